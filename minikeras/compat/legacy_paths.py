"""Keras 2 module paths: `from keras.layers.core import Dense` and the like.

Keras 2 scripts import names from the modules that defined them there
(`keras.layers.core`, `keras.layers.convolutional`, `keras.layers.recurrent`,
`keras.layers.merge`, `keras.utils.np_utils`, ...). Keras 3 removed those
paths. minikeras resolves them with a `DeprecationWarning` that names the
Keras 3 spelling: each such module gets a module-level `__getattr__` made here
that looks the name up in the public namespace that replaced it.
"""
import importlib
import warnings


def legacy_module_getattr(old_path, new_path):
    """A module `__getattr__` resolving `old_path.<name>` to `new_path.<name>`.

    Both paths are spelled as users write them (`keras.layers.recurrent`,
    `keras.layers`); `new_path` is imported from minikeras. Names are not
    cached, so every use warns (Python's default filter shows one per line;
    `from package import X` looks `X` up twice on the same line). Private and
    dunder names are not forwarded, so introspection sees an ordinary module.
    """
    real = "minikeras" + new_path[len("keras"):]

    def __getattr__(name):
        if name.startswith("_"):
            raise AttributeError(f"module '{old_path}' has no attribute '{name}'")
        try:
            value = getattr(importlib.import_module(real), name)
        except AttributeError:
            raise AttributeError(f"module '{old_path}' has no attribute '{name}'") from None
        warnings.warn(f"`{old_path}.{name}` is a Keras 2 import path; in Keras 3 use "
                      f"`{new_path}.{name}`.", DeprecationWarning, stacklevel=2)
        return value

    return __getattr__
