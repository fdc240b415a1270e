"""`keras.layers.serialize` / `deserialize`: a layer to and from its config dict."""
from minikeras.saving.serialization import deserialize_keras_object, serialize_keras_object


def serialize(layer):
    """The layer's config in Keras's `{"module", "class_name", "config", ...}` form."""
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """A new layer (or model) from a config made by `serialize`."""
    return deserialize_keras_object(config, custom_objects=custom_objects)
