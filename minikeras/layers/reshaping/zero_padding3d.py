"""`ZeroPadding3D`: zero-padding of 3D data (spatial or spatio-temporal)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.reshaping.base_padding_cropping import BaseZeroPadding, per_axis_pairs


class ZeroPadding3D(BaseZeroPadding):
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
