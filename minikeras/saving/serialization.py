"""`serialize_keras_object` / `deserialize_keras_object` in Keras 3's format.

Every object becomes `{"module", "class_name", "config", "registered_name"}`
(plus `build_config`/`compile_config` for layers and models), with built-in
classes named as Keras names them, so configs written here load in Keras 3
and configs written by Keras load here. Deserialization never imports a
module named by the config and never runs code from it: classes come from
the registry, `custom_objects`, or the modelling families of minikeras, and
a serialized lambda is refused unless `safe_mode=False`.
"""
import base64
import codecs
import inspect
import marshal
import threading
import types

import numpy as np

from minikeras.saving import keras_names, object_registration, safe_mode as safe_mode_lib

PLAIN_TYPES = (str, int, float, bool)

_SHARED = threading.local()


class UnknownObjectError(TypeError):
    """A config names a class or function that is not built in nor registered."""


class ObjectSharingScope:
    """Within it, configs carrying the same `shared_object_id` give one object."""

    def __enter__(self):
        self.previous = getattr(_SHARED, "objects", None)
        _SHARED.objects = {}
        return self

    def __exit__(self, *args):
        _SHARED.objects = self.previous


# ----- serialization ---------------------------------------------------------------
def serialize_keras_object(obj):
    """Retrieve the config dict by serializing the Keras object.

    The result is JSON-friendly and is the input of
    `deserialize_keras_object()`.

    Args:
        obj: the Keras object to serialize (a layer, model, optimizer, loss,
            metric, initializer, function, or a plain value / container).

    Returns:
        A python dict (or plain value) that represents the object.

    Example:

    >>> cfg = keras.saving.serialize_keras_object(keras.layers.Dense(2))
    >>> cfg["module"], cfg["class_name"]
    ('keras.layers', 'Dense')
    """
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__",
                "config": {"start": serialize_keras_object(obj.start),
                           "stop": serialize_keras_object(obj.stop),
                           "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}

    from minikeras.backend.keras_tensor import KerasTensor
    from minikeras.backend.variables import Variable
    if isinstance(obj, KerasTensor):
        history = getattr(obj, "_keras_history", None)
        if history:
            history = [history[0].name, history[1], history[2]]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(obj.shape), "dtype": obj.dtype,
                           "keras_history": history}}
    if isinstance(obj, Variable):
        value = np.asarray(obj.numpy())
        return {"class_name": "__tensor__",
                "config": {"value": value.tolist(), "dtype": value.dtype.name}}
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__",
                    "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
        return obj.item()
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        return {"class_name": "__lambda__", "config": {"value": _func_dump(obj)}}
    if isinstance(obj, types.FunctionType) or (inspect.isbuiltin(obj)):
        # Keras records a function by (registered) name under "builtins";
        # loading searches activations/losses/metrics, then the registry.
        name = object_registration.get_registered_name(obj)
        return {"module": "builtins", "class_name": "function", "config": name,
                "registered_name": "function"}
    if inspect.isclass(obj):
        return object_registration.get_registered_name(obj)

    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize object {obj} of type {type(obj)}. To be serializable, "
            "a class must implement the `get_config()` method.")
    inner = obj.get_config()
    if not isinstance(inner, dict):
        raise TypeError(f"The `get_config()` method of {obj} should return a dict. "
                        f"It returned: {inner}")
    inner = serialize_dict(inner)
    cls = type(obj)
    public = keras_names.keras_name(cls)
    registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
    if public is not None and registered is None:
        module, class_name = public
        # Keras registers its internal classes (Functional, FeatureSpace's parts)
        # under their class names; the public ones carry no registered name.
        config = {"module": module, "class_name": class_name, "config": inner,
                  "registered_name": class_name if module.startswith("keras.src") else None}
    else:
        module = cls.__module__
        config = {"module": None if module == "__main__" else module,
                  "class_name": cls.__name__, "config": inner,
                  "registered_name": object_registration.get_registered_name(cls)}
    _add_build_and_compile_config(obj, config)
    return config


def serialize_dict(obj):
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _add_build_and_compile_config(obj, config):
    if hasattr(obj, "get_build_config"):
        build_config = obj.get_build_config()
        if build_config is not None:
            config["build_config"] = serialize_dict(build_config)
    if hasattr(obj, "get_compile_config"):
        compile_config = obj.get_compile_config()
        if compile_config is not None:  # Keras writes `{}` for an uncompiled model
            optimizer = getattr(obj, "optimizer", None)
            if isinstance(compile_config.get("optimizer"), str) and optimizer is not None:
                # Keras records the optimizer object (its learning rate etc.).
                compile_config["optimizer"] = serialize_keras_object(optimizer)
            config["compile_config"] = serialize_dict(compile_config)


def _func_dump(fn):
    """`(code, defaults, closure)` of a lambda, as Keras's `func_dump`."""
    code = codecs.encode(marshal.dumps(fn.__code__), "base64").decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return [code, fn.__defaults__, closure]


def _func_load(value):
    if isinstance(value, (list, tuple)):
        code, defaults, closure = (list(value) + [None, None])[:3]
    else:
        code, defaults, closure = value, None, None
    raw = base64.b64decode(code.encode("ascii"))
    fn_code = marshal.loads(raw)
    cells = None
    if closure:
        cells = tuple(types.CellType(c) for c in closure)
    return types.FunctionType(fn_code, {"__builtins__": __builtins__}, "<lambda>",
                              tuple(defaults) if defaults else None, cells)


# ----- compile config --------------------------------------------------------------
def serialize_compile_config(config):
    """The `compile()` arguments as Keras 3's `compile_config` dict."""
    if config is None:
        return None
    return {key: serialize_keras_object(value) for key, value in config.items()}


def deserialize_compile_config(config, custom_objects=None):
    """`compile()` keyword arguments from a `compile_config` dict.

    Accepts Keras 3 configs and Keras 2 `training_config`s
    (`optimizer_config`, `loss`, `metrics`, ...).
    """
    if not config:
        return {}
    config = dict(config)
    if "optimizer_config" in config and "optimizer" not in config:
        config["optimizer"] = config.pop("optimizer_config")
    out = {}
    for key, value in config.items():
        if key == "optimizer":
            from minikeras import optimizers
            if isinstance(value, dict):
                value = deserialize_keras_object(value, custom_objects)
                if isinstance(value, dict):  # a Keras 2 {"class_name", "config"}
                    value = optimizers.deserialize(value, custom_objects=custom_objects)
            out[key] = value
        elif key in ("loss", "metrics", "weighted_metrics", "loss_weights"):
            out[key] = deserialize_keras_object(value, custom_objects)
        elif key in ("run_eagerly", "steps_per_execution", "jit_compile",
                     "auto_scale_loss"):
            out[key] = value
        # Unknown keys (Keras 2's sample_weight_mode, ...) are dropped.
    return out


# ----- deserialization -------------------------------------------------------------
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Retrieve the object by deserializing the config dict.

    The config holds `class_name`, `config`, `module` and `registered_name`
    (see `serialize_keras_object()`). Custom classes are found through
    `custom_objects`, `custom_object_scope` and
    `register_keras_serializable`; built-ins through their Keras names.

    Args:
        config: Python dict describing the object.
        custom_objects: dict mapping names to custom classes or functions.
        safe_mode: whether to refuse deserializing Python lambdas (which
            would run code stored in the config). Defaults to `True`.

    Returns:
        The object described by the `config` dictionary.
    """
    scoped = safe_mode_lib.scope_value()
    if scoped is not None:
        safe_mode = scoped
    elif safe_mode_lib.unsafe_globally_enabled():
        safe_mode = False
    module_objects = kwargs.pop("module_objects", None)
    custom_objects = _merged_custom_objects(custom_objects)

    if config is None:
        return None
    if isinstance(config, str) and custom_objects.get(config) is not None:
        return custom_objects[config]
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects=custom_objects, safe_mode=safe_mode)
                for x in config]
    if module_objects is not None:
        if isinstance(config, str):
            return module_objects.get(config, config)
        if isinstance(config, dict) and config.get("class_name") in module_objects \
                and "module" not in config:
            cls = module_objects[config["class_name"]]
            if inspect.isfunction(cls):
                return cls
            return cls.from_config(config.get("config") or {})
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config}")
    if "class_name" not in config or "config" not in config:
        return {key: deserialize_keras_object(value, custom_objects=custom_objects,
                                              safe_mode=safe_mode)
                for key, value in config.items()}

    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}

    special = _deserialize_special(class_name, inner, custom_objects, safe_mode)
    if special is not _NOT_SPECIAL:
        return special

    module = config.get("module")
    registered_name = config.get("registered_name", class_name)
    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError("Expected 'config' to be a non-null str for a function "
                            f"class name, instead got {type(inner)}\nFull config: {config}")
        return _retrieve_function(inner, config, custom_objects)
    if class_name in ("DTypePolicy", "FloatDTypePolicy") and (module or "keras").startswith("keras"):
        return inner.get("name", "float32") if isinstance(inner, dict) else inner
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name},\n"
                        f"instead got {type(inner)}\nFull config: {config}")

    shared_id = config.get("shared_object_id")
    shared = getattr(_SHARED, "objects", None)
    if shared_id is not None and shared is not None and shared_id in shared:
        return shared[shared_id]

    cls = _retrieve_class(class_name, registered_name, module, config, custom_objects)
    if inspect.isfunction(cls):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of '{class_name}' because the "
                        f"class is missing a `from_config()` method. Full object config: {config}")
    with object_registration.CustomObjectScope(custom_objects), \
            safe_mode_lib.SafeModeScope(safe_mode):
        try:
            instance = cls.from_config(inner)
        except UnknownObjectError:
            raise
        except TypeError as e:
            raise TypeError(
                f"{cls} could not be deserialized properly. Please ensure that components "
                "that are Python object instances (layers, models, etc.) returned by "
                "`get_config()` are explicitly deserialized in the model's "
                f"`from_config()` method.\n\nconfig={config}.\n\nException encountered: {e}"
            ) from e
        build_config = config.get("build_config")
        if build_config and not getattr(instance, "built", True):
            instance.build_from_config(build_config)
            instance.built = True
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(compile_config)
            instance.compiled = True
            _build_optimizer(instance)
    if shared_id is not None and shared is not None:
        shared[shared_id] = instance
    return instance


def _build_optimizer(model):
    """Create the optimizer's variables so saved optimizer state can load into them."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(model, "built", False):
        return
    if not getattr(optimizer, "built", True) and hasattr(optimizer, "build"):
        variables = model.trainable_variables
        if variables:
            optimizer.build(variables)
            optimizer.built = True


_NOT_SPECIAL = object()


def _deserialize_special(class_name, inner, custom_objects, safe_mode):
    if class_name == "__keras_tensor__":
        from minikeras.backend.keras_tensor import KerasTensor
        tensor = KerasTensor(tuple(inner["shape"]), dtype=inner["dtype"])
        tensor._pre_serialization_keras_history = inner.get("keras_history")
        return tensor
    if class_name in ("__tensor__", "__numpy__"):
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(*(deserialize_keras_object(inner[k], custom_objects, safe_mode)
                       for k in ("start", "stop", "step")))
    if class_name == "__lambda__":
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a Python lambda. This carries a "
                "potential risk of arbitrary code execution and thus it is disallowed by "
                "default. If you trust the source of the artifact, you can override this "
                "error by passing `safe_mode=False` to the loading function, or calling "
                "`keras.config.enable_unsafe_deserialization()`.")
        return _func_load(inner["value"])
    if class_name == "__typespec__":
        raise TypeError("TensorFlow TypeSpecs in configs are not supported by minikeras.")
    return _NOT_SPECIAL


def _merged_custom_objects(custom_objects):
    merged = dict(custom_objects or {})
    for scope in object_registration._scope_stack():
        merged.update(scope)
    merged.update(object_registration._GLOBAL_CUSTOM_OBJECTS)
    return merged


def _retrieve_function(name, full_config, custom_objects):
    found = object_registration.get_registered_object(name, custom_objects=custom_objects)
    if found is not None:
        return found
    module = full_config.get("module")
    if module in (None, "builtins") or (module or "").startswith(("keras", "minikeras")):
        fn = keras_names.resolve_function(name)
        if fn is not None:
            return fn
        if ">" not in name:
            # Keras <= 3.6 wrote registered functions by bare name.
            for key, obj in custom_objects.items():
                if key.endswith(">" + name):
                    return obj
    raise UnknownObjectError(
        f"Could not locate function '{name}'. Make sure custom classes and functions are "
        "decorated with `@keras.saving.register_keras_serializable()`. If they are "
        "already decorated, make sure they are all imported so that the decorator is run "
        f"before trying to load them. Full object config: {full_config}")


def _retrieve_class(class_name, registered_name, module, full_config, custom_objects):
    for name in (registered_name, class_name):
        if not name:
            continue
        found = object_registration.get_registered_object(name, custom_objects=custom_objects)
        if found is not None:
            return found
    if module in (None, "") or module == "keras" or module.startswith(("keras.", "minikeras",
                                                                        "tf_keras", "tensorflow")):
        cls = keras_names.resolve_class(module, class_name)
        if cls is not None:
            return cls
    if module is None and "module" in full_config:
        raise UnknownObjectError(
            f"Could not locate class '{class_name}'. If `{class_name}` is a custom class, "
            "please register it using the `@keras.saving.register_keras_serializable()` "
            "decorator, or pass it in `custom_objects`.")
    raise UnknownObjectError(
        f"Could not locate class '{class_name}'. Make sure custom classes and functions are "
        "decorated with `@keras.saving.register_keras_serializable()`. If they are already "
        "decorated, make sure they are all imported so that the decorator is run before "
        f"trying to load them. Full object config: {full_config}")
