"""`BaseGlobalPooling`: shared machinery of the global pooling layers."""
import math

import autograd.numpy as anp

from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v
from minikeras.backend import pool_primitives


class BaseGlobalPooling(Layer):
    """Reduces every spatial axis with a max or a mean.

    Args:
        pool_dimensions: number of spatial axes.
        data_format: `"channels_last"` or `"channels_first"`.
        keepdims: keep the spatial axes with length 1.
    """

    _reduce = None  # "max" or "mean", set by subclasses

    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.keepdims = keepdims
        self.pool_dimensions = pool_dimensions
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def _axes(self):
        start = 1 if self.data_format == "channels_last" else 2
        return tuple(range(start, start + self.pool_dimensions))

    def call(self, inputs):
        x = _v(inputs)
        axes = self._axes()
        if self._reduce == "max":
            return pool_primitives.reduce_max(x, axes, self.keepdims)
        # sum / count rather than anp.mean, whose gradient is float64
        n = math.prod(anp.shape(x)[a] for a in axes)
        return anp.sum(x, axis=axes, keepdims=self.keepdims) / n

    def compute_output_shape(self, input_shape):
        n = len(input_shape) - 2
        if self.data_format == "channels_last":
            if self.keepdims:
                return (input_shape[0],) + (1,) * n + (input_shape[-1],)
            return (input_shape[0], input_shape[-1])
        if self.keepdims:
            return (input_shape[0], input_shape[1]) + (1,) * n
        return (input_shape[0], input_shape[1])

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
