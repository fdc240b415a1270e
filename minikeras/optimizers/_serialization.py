"""Keras 3 config dicts for optimizers and schedules.

Both `optimizers.serialize` and `optimizers.schedules.serialize` write the
format of Keras 3's `serialize_keras_object` (`module`, `class_name`,
`config`, `registered_name`) so that configs move to and from real Keras.
Reading also accepts the Keras 2 form (`class_name` + `config` only).
"""


def _registry():
    """`keras.saving`'s registry module, or None while it does not exist."""
    try:
        from minikeras.saving import object_registration
    except ImportError:
        return None
    return object_registration


def serialize_object(obj, builtin_module, builtin_classes):
    """Config dict of `obj` in Keras 3's format.

    Built-in classes are recorded under their Keras module name (so real Keras
    can read the config); user classes under their own module and class name.
    """
    cls = obj.__class__
    config = obj.get_config()
    if builtin_classes.get(cls.__name__) is cls:
        return {"module": builtin_module, "class_name": cls.__name__,
                "config": config, "registered_name": None}
    registry = _registry()
    getter = getattr(registry, "get_registered_name", None)
    registered = getter(cls) if getter else cls.__name__
    return {"module": cls.__module__, "class_name": cls.__name__,
            "config": config, "registered_name": registered}


def lookup_class(config, builtin_classes, custom_objects, kind,
                 case_insensitive=False):
    """Find the class named by a serialized `config`.

    Order: `custom_objects`, then `keras.saving`'s scopes and registry, then
    the built-ins (matched case-insensitively when `case_insensitive`).
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"Could not interpret {kind} config: expected a dict with keys "
            f"'class_name' and 'config'. Received: {config!r}")
    names = [config["class_name"]]
    if config.get("registered_name"):
        names.insert(0, config["registered_name"])
    custom_objects = custom_objects or {}
    getter = getattr(_registry(), "get_registered_object", None)
    for name in names:
        if name in custom_objects:
            return custom_objects[name]
        found = getter(name, custom_objects) if getter else None
        if found is not None:
            return found
    for name in names:
        if name in builtin_classes:
            return builtin_classes[name]
    if case_insensitive:
        lowered = {k.lower(): v for k, v in builtin_classes.items()}
        for name in names:
            if isinstance(name, str) and name.lower() in lowered:
                return lowered[name.lower()]
    return None
