"""`ZeroPadding1D`: zero-padding of 1D input (e.g. temporal sequence)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.convolutional.arg_utils import standardize_tuple
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.reshaping.base_padding_cropping import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
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

    def _pairs(self):
        return (self.padding,)  # a single (lo, hi) pair, not one per axis
