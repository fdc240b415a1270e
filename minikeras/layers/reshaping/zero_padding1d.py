"""`ZeroPadding1D`: zero-padding of 1D input (e.g. temporal sequence)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.convolutional.arg_utils import standardize_tuple
from minikeras.layers.layer import Layer
from minikeras.layers.reshaping.base_padding_cropping import spatial_offset
from minikeras.ops.core import _v
from minikeras.ops.numpy import pad


class ZeroPadding1D(Layer):
    """Zero-padding layer for 1D input (e.g. temporal sequence).

    Adds rows/columns of zeros around the time axis (axis 1).

    Args:
        padding: int, or tuple of 2 ints `(left_pad, right_pad)`.
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or `"channels_first"`
            (inputs `(batch, features, steps)`).

    Example:

    >>> keras.layers.ZeroPadding1D(padding=2)(np.ones((2, 2, 3))).shape
    (2, 6, 3)
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate((self.padding,)):
            if out[off + i] is not None:
                out[off + i] += lo + hi
        return tuple(out)

    def call(self, inputs):
        pairs = tuple((self.padding,))
        if self.data_format == "channels_first":
            widths = ((0, 0), (0, 0)) + pairs
        else:
            widths = ((0, 0),) + pairs + ((0, 0),)
        return pad(_v(inputs), widths)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
