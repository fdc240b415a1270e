"""Make `import keras` (and `tensorflow.keras` when TensorFlow is absent) load minikeras.

A meta-path finder maps `keras` and `keras.<sub>` onto `minikeras` and
`minikeras.<sub>`; the module objects are shared, so `keras.layers.Dense is
minikeras.layers.Dense`.
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types

_ALIASES = {"keras": "minikeras"}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        for alias, real in _ALIASES.items():
            if fullname == alias or fullname.startswith(alias + "."):
                real_name = real + fullname[len(alias):]
                if importlib.util.find_spec(real_name) is None:
                    return None
                return importlib.util.spec_from_loader(fullname, _AliasLoader(real_name))
        return None


def _tensorflow_stub():
    """A `tensorflow` module exposing only `keras`, for `from tensorflow import keras`."""
    import minikeras
    tf = types.ModuleType("tensorflow")
    tf.__minikeras_alias__ = True
    tf.__path__ = []  # a package, so `tensorflow.keras.layers` can be imported
    tf.keras = minikeras

    def __getattr__(name):
        raise AttributeError(
            f"minikeras provides `tensorflow.keras` only; `tensorflow.{name}` needs the real "
            "TensorFlow package.")
    tf.__getattr__ = __getattr__
    return tf


def alias_keras(tensorflow=None):
    """Make `import keras` resolve to minikeras in this process (for notebooks).

    Args:
        tensorflow: also provide `tensorflow.keras` through a stub `tensorflow`
            module. Default: only when the real TensorFlow is not installed.

    Raises:
        RuntimeError: if the real `keras` is already imported: the two cannot
            share the name. Restart the kernel and call this first.
    """
    existing = sys.modules.get("keras")
    if existing is not None and not getattr(existing, "__minikeras_alias__", False) \
            and existing is not sys.modules.get("minikeras"):
        raise RuntimeError(
            "The real `keras` package is already imported in this process, so `keras` cannot "
            "be aliased to minikeras. Restart the interpreter (or notebook kernel) and call "
            "`minikeras.alias_keras()` before anything imports keras.")
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
    import minikeras
    minikeras.__minikeras_alias__ = True
    if tensorflow is None:
        tensorflow = "tensorflow" not in sys.modules and importlib.util.find_spec("tensorflow") is None
    if tensorflow:
        _ALIASES["tensorflow.keras"] = "minikeras"
        sys.modules.setdefault("tensorflow", _tensorflow_stub())
    return minikeras
