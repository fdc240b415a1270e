"""`AveragePooling3D`: average pooling over 3D data (spatial or spatio-temporal)."""
from minikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    """Average pooling operation for 3D data (spatial or spatio-temporal).

    Downsamples the input by taking the average over windows of size
    `pool_size`, moved by `strides`. With `"valid"` padding the output has
    `floor((input - pool_size) / strides) + 1` cells per axis; with `"same"`
    it has `ceil(input / strides)` and padded cells are ignored.

    Args:
        pool_size: int or tuple of 3 ints, the window size.
        strides: int or tuple of 3 ints, or None (defaults to `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or `"channels_first"`
            (inputs `(batch, channels, dim1, dim2, dim3)`).

    Example:

    >>> x = np.arange(16, dtype="float32").reshape((1, 2, 2, 4, 1))
    >>> keras.layers.AveragePooling3D((2, 2, 2))(x).shape
    (1, 1, 1, 2, 1)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
