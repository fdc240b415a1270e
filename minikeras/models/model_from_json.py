"""`model_from_json`: a model from the JSON string of `Model.to_json()`."""
import json


def model_from_json(json_string, custom_objects=None):
    """Parses a JSON model configuration string and returns a model instance.

    Args:
        json_string: JSON string encoding a model configuration.
        custom_objects: Optional dictionary mapping names (strings) to custom
            classes or functions to be considered during deserialization.

    Returns:
        A Keras model instance (uncompiled), with freshly initialized weights.

    Example:

    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> config = model.to_json()
    >>> loaded_model = keras.models.model_from_json(config)
    """
    from minikeras.saving.serialization import deserialize_keras_object
    try:
        config = json.loads(json_string)
    except (TypeError, json.JSONDecodeError) as e:
        raise ValueError(f"`model_from_json` expects a JSON string; it could not be "
                         f"parsed: {e}") from e
    if isinstance(config, dict) and "module" not in config:
        config = dict(config, module=None)  # a Keras 2 config: classes found by name
    return deserialize_keras_object(config, custom_objects=custom_objects)
