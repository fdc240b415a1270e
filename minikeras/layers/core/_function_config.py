"""Serialize Python functions for Lambda configs, in Keras 3's format.

A named function is stored by name (resolved through custom objects when
loading); a lambda is stored as marshalled bytecode, which loading executes
only when the caller passes `safe_mode=False`.
"""
import base64
import marshal
import types


def serialize_function(fn):
    if isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>":
        code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": fn.__defaults__, "closure": None}}
    return {"module": getattr(fn, "__module__", None), "class_name": "function",
            "config": fn.__name__, "registered_name": fn.__name__}


def deserialize_function(config, custom_objects=None, safe_mode=None):
    if callable(config):
        return config
    if isinstance(config, str):
        config = {"class_name": "function", "config": config}
    if config.get("class_name") == "__lambda__":
        from minikeras.saving.safe_mode import in_safe_mode
        if safe_mode is None:
            safe_mode = in_safe_mode()
        if safe_mode:
            raise ValueError(
                "Requested the deserialization of a `lambda` function, which may execute "
                "arbitrary code. This is disallowed by default (`safe_mode=True`). If you "
                "trust the source of the file, pass `safe_mode=False` to the loading "
                "function, or call `keras.config.enable_unsafe_deserialization()`.")
        code = marshal.loads(base64.b64decode(config["config"]["code"]))
        defaults = config["config"].get("defaults")
        return types.FunctionType(code, globals(), "<lambda>",
                                  tuple(defaults) if defaults else None)
    name = config.get("config")
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    from minikeras.saving.object_registration import get_registered_object
    obj = get_registered_object(name, custom_objects)
    if obj is None:
        from minikeras import activations
        try:
            return activations.get(name)
        except ValueError:
            # TypeError, as Keras raises for any function or class it cannot locate.
            from minikeras.saving.serialization import UnknownObjectError
            raise UnknownObjectError(
                f"Could not locate function '{name}' (used by a Lambda layer). Pass it in "
                "`custom_objects` or register it with "
                "`@keras.saving.register_keras_serializable()`.") from None
    return obj
