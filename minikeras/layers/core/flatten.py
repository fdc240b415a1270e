"""`Flatten`: collapses every axis but the batch axis."""
import math

import autograd.numpy as anp

from minikeras.backend.config import standardize_data_format
from minikeras.layers.layer import Layer
from minikeras.layers.input_spec import InputSpec


class Flatten(Layer):
    """Flattens the input; the batch size is kept.

    Args:
        data_format: `"channels_last"` or `"channels_first"`; with
            channels_first the channel axis is moved last before flattening so
            that weights carry over between the two formats, as in Keras.

    Example:

    >>> keras.layers.Flatten()(np.zeros((2, 3, 4))).shape
    (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        if self.data_format == "channels_first" and anp.ndim(inputs) > 2:
            inputs = anp.moveaxis(inputs, 1, -1)
        return anp.reshape(inputs, (anp.shape(inputs)[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else int(math.prod(rest))
        return (input_shape[0], size)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
