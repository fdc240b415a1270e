"""`Pipeline`: apply a list of (preprocessing) layers in sequence."""
from minikeras.layers.layer import Layer


class Pipeline(Layer):
    """Applies a series of layers to an input.

    Like a `Sequential` model without being a model: no `fit`, no input
    layer; `training` is passed to every layer that takes it (default
    True, so augmentation layers are active when the pipeline is called
    directly, e.g. in a data pipeline).

    Args:
        layers: a list of layers.

    Example:

    >>> pipeline = keras.layers.Pipeline([
    ...     keras.layers.AutoContrast(),
    ...     keras.layers.RandomZoom(0.2),
    ...     keras.layers.RandomRotation(0.2),
    ... ])
    >>> augmented = pipeline(images)
    """

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = list(layers)
        self.supports_masking = True

    @property
    def layers(self):
        return self._pipeline_layers

    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs, training=True, mask=None):
        for layer in self._pipeline_layers:
            kwargs = {}
            if getattr(layer, "_call_has_mask", False) and mask is not None:
                kwargs["mask"] = mask
            if getattr(layer, "_call_has_training", False) and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            mask = layer.compute_mask(inputs, mask) if getattr(layer, "supports_masking",
                                                                False) else None
            inputs = outputs
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        return {"layers": [serialize_keras_object(layer) for layer in self._pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config):
        from minikeras.saving.serialization import deserialize_keras_object
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("`Pipeline` config must contain a `layers` key mapping to a list "
                             f"of serialized layers. Received config with layers={layers}.")
        config = dict(config)
        config["layers"] = [deserialize_keras_object(x) for x in layers]
        return cls(**config)
