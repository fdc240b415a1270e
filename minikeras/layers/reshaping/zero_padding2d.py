"""`ZeroPadding2D`: zero-padding of 2D input (e.g. picture)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.reshaping.base_padding_cropping import BaseZeroPadding, per_axis_pairs


class ZeroPadding2D(BaseZeroPadding):
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
