"""`ZeroPadding2D`: zero-padding of 2D input (e.g. picture)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.layers.reshaping.base_padding_cropping import per_axis_pairs, spatial_offset
from minikeras.ops.core import _v
from minikeras.ops.numpy import pad


class ZeroPadding2D(Layer):
    """Zero-padding layer for 2D input (e.g. picture).

    Adds rows/columns of zeros around the top, bottom, left and right sides of an image.

    Args:
        padding: int (same padding on all sides), tuple of 2 ints
            `(symmetric_height_pad, symmetric_width_pad)`, or tuple of 2
            tuples of 2 ints `((top_pad, bottom_pad), (left_pad, right_pad))`.
        data_format: `"channels_last"` (inputs `(batch, rows, cols, channels)`) or `"channels_first"`
            (inputs `(batch, channels, rows, cols)`).

    Example:

    >>> keras.layers.ZeroPadding2D(padding=1)(np.ones((1, 2, 2, 1))).shape
    (1, 4, 4, 1)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.padding = per_axis_pairs(padding, 2, "padding")
        self.input_spec = InputSpec(ndim=4)
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
