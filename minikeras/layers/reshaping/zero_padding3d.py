"""`ZeroPadding3D`: zero-padding of 3D data (spatial or spatio-temporal)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.layers.reshaping.base_padding_cropping import per_axis_pairs, spatial_offset
from minikeras.ops.core import _v
from minikeras.ops.numpy import pad


class ZeroPadding3D(Layer):
    """Zero-padding layer for 3D data (spatial or spatio-temporal).

    Adds rows/columns of zeros around the three spatial axes.

    Args:
        padding: int, tuple of 3 ints (symmetric padding per axis), or tuple of
            3 tuples of 2 ints `((left_dim1_pad, right_dim1_pad), ...)`.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or `"channels_first"`
            (inputs `(batch, channels, dim1, dim2, dim3)`).

    Example:

    >>> keras.layers.ZeroPadding3D(padding=2)(np.ones((1, 1, 2, 2, 3))).shape
    (1, 5, 6, 6, 3)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = per_axis_pairs(padding, 3, "padding")
        self.input_spec = InputSpec(ndim=5)
        self.built = True

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate(self.padding):
            if out[off + i] is not None:
                out[off + i] += lo + hi
        return tuple(out)

    def call(self, inputs):
        pairs = tuple(self.padding)
        if self.data_format == "channels_first":
            widths = ((0, 0), (0, 0)) + pairs
        else:
            widths = ((0, 0),) + pairs + ((0, 0),)
        return pad(_v(inputs), widths)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
