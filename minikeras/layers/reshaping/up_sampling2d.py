"""`UpSampling2D`: enlarge images by integer factors (nearest or bilinear)."""
import autograd.numpy as anp

from minikeras.backend.config import standardize_data_format
from minikeras.layers.convolutional.arg_utils import (
    standardize_tuple, to_channels_first, to_channels_last)
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops import image as image_ops_api
from minikeras.ops.core import _v


class UpSampling2D(Layer):
    """Upsampling layer for 2D inputs.

    The rows and columns are repeated `size[0]` and `size[1]` times
    (`interpolation="nearest"`) or resampled bilinearly
    (`interpolation="bilinear"`, TensorFlow's half-pixel rule).

    Args:
        size: int or tuple of 2 ints, the upsampling factors for rows and columns.
        data_format: `"channels_last"` (inputs `(batch, rows, cols, channels)`)
            or `"channels_first"` (inputs `(batch, channels, rows, cols)`).
        interpolation: `"nearest"`, `"bilinear"`, `"bicubic"`, `"lanczos3"` or
            `"lanczos5"`.

    Example:

    >>> keras.layers.UpSampling2D(size=(1, 2))(np.zeros((2, 2, 1, 3))).shape
    (2, 2, 2, 3)
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 2, "size")
        self.interpolation = interpolation.lower()
        if self.interpolation not in ("nearest", "bilinear", "bicubic", "lanczos3",
                                      "lanczos5"):
            raise ValueError("Invalid value for argument `interpolation`. Expected one of "
                             "('nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5'). "
                             f"Received: interpolation={interpolation}")
        self.input_spec = InputSpec(ndim=4)
        self.built = True

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_first":
            h, w = input_shape[2], input_shape[3]
        else:
            h, w = input_shape[1], input_shape[2]
        h = None if h is None else h * self.size[0]
        w = None if w is None else w * self.size[1]
        if self.data_format == "channels_first":
            return (input_shape[0], input_shape[1], h, w)
        return (input_shape[0], h, w, input_shape[3])

    def call(self, inputs):
        x = to_channels_last(_v(inputs), self.data_format)
        if self.interpolation == "nearest":
            x = anp.repeat(x, self.size[0], axis=1)
            x = anp.repeat(x, self.size[1], axis=2)
        else:
            h, w = anp.shape(x)[1:3]
            x = image_ops_api.resize(x, (h * self.size[0], w * self.size[1]),
                                     interpolation=self.interpolation,
                                     data_format="channels_last")
        return to_channels_first(x, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format,
                       "interpolation": self.interpolation})
        return config
