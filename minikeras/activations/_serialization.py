"""Keras 3 object configs for the activations, initializers, regularizers and
constraints modules: `{"module", "class_name", "config", "registered_name"}`.

A small stand-in for Keras's `serialization_lib`, enough for these modules'
`serialize`/`deserialize`. Custom objects come from the `custom_objects`
argument, from `keras.saving.register_keras_serializable` (when the saving
package provides `get_registered_object`), or from `custom_object_scope`.
"""
import inspect


def _registered(name, custom_objects):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    try:  # the saving package may not exist yet; it is optional here
        from minikeras.saving import object_registration
    except ImportError:
        return None
    getter = getattr(object_registration, "get_registered_object", None)
    return getter(name, custom_objects) if getter else None


def _registered_name(obj):
    try:
        from minikeras.saving import object_registration
    except ImportError:
        return None
    getter = getattr(object_registration, "get_registered_name", None)
    return getter(obj) if getter else None


def _unknown_object_error(message):
    try:
        from minikeras.saving.serialization import UnknownObjectError
    except ImportError:
        return TypeError(message)
    return UnknownObjectError(message)


def serialize_object(obj, module):
    """Keras 3 config dict of an object with `get_config` (or a function)."""
    if obj is None:
        return None
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        builtin = (getattr(obj, "__module__", None) or "").startswith("minikeras.")
        if builtin:
            return {"module": module, "class_name": "function",
                    "config": obj.__name__, "registered_name": obj.__name__}
        # as Keras: an unregistered user function is recorded by name only
        registered = _registered_name(obj)
        if registered == obj.__name__:
            registered = None  # the registry echoes plain names back
        return {"module": "builtins", "class_name": "function",
                "config": registered or obj.__name__,
                "registered_name": registered or "function"}
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize {obj!r}: it has no `get_config()` method.")
    cls = type(obj)
    builtin = cls.__module__.startswith("minikeras.")
    return {"module": module if builtin else cls.__module__,
            "class_name": cls.__name__,
            "config": obj.get_config(),
            "registered_name": None if builtin else (_registered_name(cls) or cls.__name__)}


def deserialize_object(config, module_objects, custom_objects, kind):
    """Rebuild an object from a string name or a (Keras 2 or 3) config dict.

    Args:
        config: a name (`"relu"`, `"GlorotUniform"`) or a dict with
            `class_name` and `config` (Keras 3 adds `module`/`registered_name`).
        module_objects: name -> class or function known to the module.
        custom_objects: optional user mapping, searched first.
        kind: words for error messages, e.g. `"initializer"`.
    """
    if config is None:
        return None
    if isinstance(config, str):
        obj = _registered(config, custom_objects) or module_objects.get(config)
        if obj is None:
            raise ValueError(f"Could not interpret {kind} identifier: {config}")
        return obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret {kind} identifier: {config}. Expected a "
            "string or a dict with keys 'class_name' and 'config'.")
    class_name = config["class_name"]
    inner = config.get("config", {})
    if class_name == "function":
        name = inner if isinstance(inner, str) else config.get("registered_name")
        reg = config.get("registered_name")
        obj = (_registered(name, custom_objects)
               or (reg and _registered(reg, custom_objects))
               or module_objects.get(name))
        if obj is None:
            # Keras resolves a function's config through `deserialize_keras_object`,
            # which raises a TypeError, so loading a model whose activation (or loss)
            # is an unregistered function fails with the same type there.
            raise _unknown_object_error(
                f"Could not locate function '{name}'. Make sure custom classes and "
                "functions are decorated with "
                "`@keras.saving.register_keras_serializable()`. If they are already "
                "decorated, make sure they are all imported so that the decorator is "
                f"run before trying to load them. Full object config: {config}")
        return obj
    reg = config.get("registered_name")
    cls = (_registered(class_name, custom_objects)
           or (reg and _registered(reg, custom_objects))
           or module_objects.get(class_name))
    if cls is None:
        raise ValueError(
            f"Could not interpret {kind} identifier: {class_name}. Unknown "
            "class; pass it in `custom_objects` or register it with "
            "`keras.saving.register_keras_serializable()`.")
    if not inspect.isclass(cls):
        return cls
    if hasattr(cls, "from_config"):
        return cls.from_config(inner or {})
    return cls(**(inner or {}))
