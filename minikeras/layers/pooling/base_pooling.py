"""`BasePooling`: shared machinery of the Max/AveragePooling{1,2,3}D layers."""
from minikeras.backend import pool_primitives as PP
from minikeras.backend.config import standardize_data_format
from minikeras.layers.convolutional.arg_utils import (
    assemble_shape, fmt_shape, spatial_and_channels, standardize_padding,
    standardize_tuple, to_channels_first, to_channels_last)
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class BasePooling(Layer):
    """Base pooling layer: max or average over sliding windows.

    Args:
        pool_size: int or tuple, the window size.
        strides: int or tuple, the window step; defaults to `pool_size`.
        pool_dimensions: number of spatial axes (1, 2 or 3).
        pool_mode: `"max"` or `"average"`.
        padding: `"valid"` or `"same"` (padded cells are ignored).
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max",
                 padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = standardize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = pool_size if strides is None else strides
        self.strides = standardize_tuple(strides, pool_dimensions, "strides", allow_zero=True)
        if not all(self.strides):
            raise ValueError(f"The `strides` argument cannot contain 0. Received "
                             f"strides={strides}")
        self.pool_mode = pool_mode
        self.padding = standardize_padding(padding)
        self.data_format = standardize_data_format(data_format)
        self.pool_dimensions = pool_dimensions
        self.input_spec = InputSpec(ndim=pool_dimensions + 2)
        self.built = True

    def _output_spatial(self, input_shape):
        spatial, _ = spatial_and_channels(input_shape, self.data_format)
        out = tuple(None if n is None else
                    ((n - k) // s + 1 if self.padding == "valid" else -(-n // s))
                    for n, k, s in zip(spatial, self.pool_size, self.strides))
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): computed output size would "
                f"be zero or negative: pool_size={self.pool_size} is larger than the input "
                f"with padding='valid'. Received: inputs shape={fmt_shape(input_shape)}, "
                f"strides={self.strides}.")
        return out

    def call(self, inputs):
        x = _v(inputs)
        self._output_spatial(x.shape)
        x = to_channels_last(x, self.data_format)
        pads = PP.pool_pads(x.shape[1:-1], self.pool_size, self.strides, self.padding)
        if self.pool_mode == "max":
            y = PP.max_pool(x, self.pool_size, self.strides, pads)
        elif self.pool_mode == "average":
            y = PP.avg_pool(x, self.pool_size, self.strides, pads)
        else:
            raise ValueError("`pool_mode` must be either 'max' or 'average'. Received: "
                             f"{self.pool_mode}.")
        return to_channels_first(y, self.data_format)

    def compute_output_shape(self, input_shape):
        _, channels = spatial_and_channels(input_shape, self.data_format)
        return assemble_shape(input_shape[0], self._output_spatial(input_shape), channels,
                              self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding,
                       "strides": self.strides, "data_format": self.data_format})
        return config
