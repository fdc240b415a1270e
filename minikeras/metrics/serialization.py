"""Keras-format configs for metrics and metric functions.

Produces the same dicts as Keras 3's `serialize_keras_object`, so that
metric configs move between minikeras and Keras `.keras` files.
"""
import inspect


def _registered(obj_or_cls):
    """The name under which a custom object is registered (or None)."""
    try:
        from minikeras.saving import object_registration
    except ImportError:
        return None
    getter = getattr(object_registration, "get_registered_name", None)
    return getter(obj_or_cls) if getter else None


def serialize_function(fn):
    """Keras's config of a plain function: looked up again by its name."""
    if isinstance(fn, dict) or fn is None:
        return fn
    if inspect.isfunction(fn) or inspect.isbuiltin(fn):
        return {"module": "builtins", "class_name": "function", "config": fn.__name__,
                "registered_name": "function"}
    if hasattr(fn, "get_config"):  # a loss or metric object used as `fn`
        return serialize(fn)
    raise TypeError(f"Cannot serialize metric function {fn!r}: expected a function.")


def _lookup(name, custom_objects, function=False):
    """Find `name` among custom objects, registered objects, then metrics.

    With `function=True` metric *functions* win over the metric classes of
    the same snake_case name (`mean_squared_error`).
    """
    from minikeras import metrics
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    try:
        from minikeras.saving import object_registration
        found = object_registration.get_registered_object(name, custom_objects)
        if found is not None:
            return found
    except (ImportError, AttributeError):
        pass
    if function and name in metrics.METRIC_FUNCTIONS:
        return metrics.METRIC_FUNCTIONS[name]
    if name in metrics.ALL_OBJECTS_DICT:
        return metrics.ALL_OBJECTS_DICT[name]
    fn = metrics.METRIC_FUNCTIONS.get(name)
    if fn is not None:
        return fn
    try:
        from minikeras import losses
        return getattr(losses, name, None)
    except ImportError:
        return None


def deserialize_function(config, custom_objects=None):
    """Inverse of `serialize_function`."""
    if callable(config):
        return config
    if isinstance(config, str):
        name = config
    elif isinstance(config, dict) and config.get("class_name") == "function":
        name = config["config"]
    elif isinstance(config, dict):
        return deserialize(config, custom_objects)
    else:
        raise ValueError(f"Could not interpret metric function config: {config!r}")
    fn = _lookup(name, custom_objects, function=True)
    if fn is None:
        raise ValueError(
            f"Unknown metric function: '{name}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is included in the scope.")
    return fn


def serialize(metric):
    """Serialize a `Metric` instance or a metric function to a config dict."""
    from minikeras.metrics.metric import Metric
    if metric is None:
        return None
    if not isinstance(metric, Metric) and callable(metric) and not hasattr(metric, "get_config"):
        return serialize_function(metric)
    cls = metric.__class__
    from minikeras import metrics
    builtin = metrics.ALL_OBJECTS_DICT.get(cls.__name__) is cls
    registered = None if builtin else (_registered(cls) or cls.__name__)
    return {"module": "keras.metrics" if builtin else cls.__module__,
            "class_name": cls.__name__, "config": metric.get_config(),
            "registered_name": registered}


def deserialize(config, custom_objects=None):
    """Build a metric (or find a metric function) from its config."""
    if isinstance(config, str):
        obj = _lookup(config, custom_objects)
        if obj is None:
            raise ValueError(f"Could not interpret metric identifier: {config}")
        return obj() if inspect.isclass(obj) else obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Could not interpret serialized metric: expected a string or a dict with "
            f"'class_name' and 'config'. Received: {config!r}")
    if config["class_name"] == "function":
        return deserialize_function(config, custom_objects)
    name = config.get("registered_name") or config["class_name"]
    cls = _lookup(name, custom_objects) or _lookup(config["class_name"], custom_objects)
    if cls is None or not inspect.isclass(cls):
        raise ValueError(
            f"Unknown metric: '{config['class_name']}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is included in the scope.")
    return cls.from_config(dict(config.get("config") or {}))
