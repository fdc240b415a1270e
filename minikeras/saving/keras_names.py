"""The bridge between minikeras objects and the names Keras 3 writes in configs.

A config written by Keras names a built-in class by its public module and
class name (`{"module": "keras.layers", "class_name": "Dense"}`), a few
internal classes by their source module (`keras.src.models.functional`),
and a built-in function as `{"module": "builtins", "class_name": "function",
"config": "relu"}`. This module maps both ways, and only ever resolves a
name to a class of the modelling families (layers, models, optimizers,
schedules, losses, metrics, initializers, regularizers, constraints) or to
a function of activations/losses/metrics: a config can't reach anything
else (no `load_model`, no `os.system`).
"""
import importlib
import inspect

# Classes Keras 3 exports at its top level first (`keras.Sequential`).
_TOP_LEVEL = ("Initializer", "InputSpec", "Layer", "Loss", "Metric", "Model",
              "Optimizer", "Regularizer", "Sequential")

# Keras public module -> minikeras module, in the order canonical names are chosen.
_PUBLIC = (
    ("keras.layers", "minikeras.layers"),
    ("keras.models", "minikeras.models"),
    ("keras.optimizers", "minikeras.optimizers"),
    ("keras.optimizers.schedules", "minikeras.optimizers.schedules"),
    ("keras.losses", "minikeras.losses"),
    ("keras.metrics", "minikeras.metrics"),
    ("keras.initializers", "minikeras.initializers"),
    ("keras.regularizers", "minikeras.regularizers"),
    ("keras.constraints", "minikeras.constraints"),
    ("keras.activations", "minikeras.activations"),
    ("keras.utils", "minikeras.utils"),  # FeatureSpace
)

# Keras-internal classes that configs name by source module.
_INTERNAL = {"Functional": "keras.src.models.functional"}

# Keras-internal classes of FeatureSpace, named by their source module (with
# `registered_name` = class name) in configs: {Keras module: (minikeras module, names)}.
# Feature and Cross are not layers: only these exact names resolve to them.
_INTERNAL_MODULES = {
    "keras.src.layers.preprocessing.feature_space": (
        "minikeras.utils.feature_specs", ("Cross", "Feature", "TFDConcat", "TFDIdentity")),
}

# Where functions named by a bare name are searched (Keras's BUILTIN_MODULES).
_FUNCTION_MODULES = ("minikeras.activations", "minikeras.losses", "minikeras.metrics")

_FAMILY = {"layers": "minikeras.layers", "models": "minikeras.models",
           "optimizers": "minikeras.optimizers", "losses": "minikeras.losses",
           "metrics": "minikeras.metrics", "initializers": "minikeras.initializers",
           "regularizers": "minikeras.regularizers", "constraints": "minikeras.constraints",
           "activations": "minikeras.activations", "engine": "minikeras.models",
           "trainers": "minikeras.models"}

_cache = {}


def _module(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _allowed_bases():
    """The classes a config may instantiate (their subclasses included)."""
    bases = []
    for mod, attr in (("minikeras.layers.layer", "Layer"),
                      ("minikeras.optimizers.base_optimizer", "Optimizer"),
                      ("minikeras.optimizers.schedules.learning_rate_schedule",
                       "LearningRateSchedule"),
                      ("minikeras.losses.loss", "Loss"),
                      ("minikeras.metrics.metric", "Metric"),
                      ("minikeras.initializers.initializer", "Initializer"),
                      ("minikeras.regularizers", "Regularizer"),
                      ("minikeras.constraints", "Constraint")):
        m = _module(mod)
        if m is not None and hasattr(m, attr):
            bases.append(getattr(m, attr))
    return tuple(bases)


def is_modelling_class(obj):
    """True for a class a config may name: a layer, optimizer, loss, ..."""
    return inspect.isclass(obj) and issubclass(obj, _allowed_bases())


def is_builtin_function(obj):
    """True for a minikeras activation, loss or metric function."""
    if not inspect.isfunction(obj):
        return False
    mod = getattr(obj, "__module__", "") or ""
    return any(mod == m or mod.startswith(m + ".") for m in _FUNCTION_MODULES)


def _public_index():
    """{id(obj): (keras_module, name)}: the canonical Keras name of each export."""
    if "index" in _cache:
        return _cache["index"]
    index = {}
    top = _module("minikeras")
    for name in _TOP_LEVEL:
        obj = getattr(top, name, None)
        if obj is not None:
            index.setdefault(id(obj), ("keras", name))
    for keras_mod, mini_mod in _PUBLIC:
        mod = _module(mini_mod)
        if mod is None:
            continue
        for name in sorted(dir(mod)):
            obj = getattr(mod, name, None)
            if name.startswith("_") or not inspect.isclass(obj):
                continue
            if not is_modelling_class(obj):
                continue
            # Prefer the class's own name over an alias (Conv2D, not Convolution2D).
            current = index.get(id(obj))
            if current is None or (current[0] == keras_mod and name == obj.__name__
                                   and current[1] != obj.__name__):
                index[id(obj)] = (keras_mod, name)
    from minikeras.models.functional import Functional
    index[id(Functional)] = (_INTERNAL["Functional"], "Functional")
    for keras_mod, class_name in _internal_names():
        index[id(_internal_class(keras_mod, class_name))] = (keras_mod, class_name)
    _cache["index"] = index
    _cache["objects"] = {id(o): o for o in _iter_public_objects()}
    return index


def _iter_public_objects():
    top = _module("minikeras")
    for name in _TOP_LEVEL:
        if hasattr(top, name):
            yield getattr(top, name)
    for _, mini_mod in _PUBLIC:
        mod = _module(mini_mod)
        for name in dir(mod) if mod else ():
            yield getattr(mod, name)


def _internal_names():
    return [(keras_mod, name) for keras_mod, (_, names) in _INTERNAL_MODULES.items()
            for name in names]


def _internal_class(keras_mod, class_name):
    mini_mod, names = _INTERNAL_MODULES[keras_mod]
    return getattr(importlib.import_module(mini_mod), class_name) if class_name in names \
        else None


def keras_name(cls):
    """`(module, class_name)` Keras writes for a built-in class, else None."""
    index = _public_index()
    found = index.get(id(cls))
    if found is None:
        _cache.pop("index", None)  # a module imported late may export it now
        found = _public_index().get(id(cls))
    return found


def resolve_class(module, class_name):
    """The minikeras class Keras's `(module, class_name)` names, or None.

    `module` may be a public Keras module (`keras.layers`), a Keras source
    module (`keras.src.layers.core.dense`), a minikeras module, or None
    (Keras 2 configs carry no module: the class is searched by name).
    """
    if not isinstance(class_name, str) or not class_name.isidentifier():
        return None
    if module in _INTERNAL_MODULES:
        return _internal_class(module, class_name)
    candidates = []
    if module in (None, "", "keras") or module.startswith(("keras.", "tf_keras", "tensorflow")):
        if module == "keras" or module in (None, ""):
            candidates.append("minikeras")
        for keras_mod, mini_mod in _PUBLIC:
            if module == keras_mod:
                candidates.append(mini_mod)
        if module and module.startswith(("keras.src.", "keras.", "tf_keras.", "tensorflow.")):
            parts = module.split(".")
            for part in parts[1:]:
                if part in _FAMILY:
                    if part == "optimizers" and "schedules" in parts:
                        candidates.append("minikeras.optimizers.schedules")
                    candidates.append(_FAMILY[part])
                    break
        if module in (None, "", "keras"):
            # Keras 2 configs (no module) and top-level names: search by class name.
            candidates.extend(m for _, m in _PUBLIC)
    elif module == "minikeras" or module.startswith("minikeras."):
        candidates.append(module)
    for mod_name in candidates:
        mod = _module(mod_name)
        obj = getattr(mod, class_name, None) if mod is not None else None
        if obj is not None and is_modelling_class(obj):
            return obj
    if class_name == "Functional":
        from minikeras.models.functional import Functional
        return Functional
    return None


def resolve_function(name):
    """The built-in activation/loss/metric function called `name`, or None."""
    if not isinstance(name, str) or not name.isidentifier():
        return None
    for mod_name in _FUNCTION_MODULES:
        mod = _module(mod_name)
        obj = getattr(mod, name, None) if mod is not None else None
        if obj is not None and is_builtin_function(obj):
            return obj
    return None
