"""Record real Keras 3's public API (names, kinds, signatures) as JSON.

Run in a virtualenv with TensorFlow >= 2.16 (Keras 3):

    python tests/parity/snapshot_keras_api.py

Writes `goldens/keras3_api_snapshot.json`: for each module of `keras` and of
tf.keras (`keras._tf_keras.keras`, which adds ImageDataGenerator and the
Keras 2 `K.*` functions), every public name with its kind and, for functions
and classes, the parameters of the function or of `__init__` (name, kind,
default repr). The file is deterministic. minikeras is not imported here.
"""
import importlib
import inspect
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = ["", "activations", "backend", "callbacks", "constraints", "datasets",
           "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers",
           "optimizers.schedules", "preprocessing", "preprocessing.image", "random",
           "regularizers", "saving", "utils"]
ROOTS = {"keras3": "keras", "tfkeras3": "keras._tf_keras.keras"}


def default_repr(value):
    if value is inspect.Parameter.empty:
        return None
    if inspect.isclass(value) or inspect.isfunction(value):
        return f"<{value.__name__}>"
    text = repr(value)
    if re.search(r" at 0x[0-9a-f]+", text):
        return f"<{type(value).__name__} instance>"
    return text


def signature_of(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return None
    params = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        params.append({"name": p.name, "kind": p.kind.name.lower(),
                       "default": default_repr(p.default)})
    return params


def describe(obj):
    if inspect.ismodule(obj):
        return {"kind": "module"}
    if inspect.isclass(obj):
        return {"kind": "class", "signature": signature_of(obj)}
    if callable(obj):
        return {"kind": "function", "signature": signature_of(obj)}
    return {"kind": "other", "type": type(obj).__name__}


def main():
    out = {}
    for api, root in ROOTS.items():
        out[api] = {}
        for mod in MODULES:
            name = root + ("." + mod if mod else "")
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            entries = {}
            for attr in sorted(dir(module)):
                if attr.startswith("_"):
                    continue
                entries[attr] = describe(getattr(module, attr))
            out[api][mod or "top"] = entries
    import keras
    path = os.path.join(HERE, "goldens", "keras3_api_snapshot.json")
    with open(path, "w") as fh:
        json.dump({"keras_version": keras.__version__, "apis": out}, fh, indent=0,
                  sort_keys=True)
    print("wrote", path)


if __name__ == "__main__":
    main()
