"""`AveragePooling2D`: average pooling over 2D spatial data."""
from minikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling operation for 2D spatial data.

    Downsamples the input by taking the average over windows of size
    `pool_size`, moved by `strides`. With `"valid"` padding the output has
    `floor((input - pool_size) / strides) + 1` cells per axis; with `"same"`
    it has `ceil(input / strides)` and padded cells are ignored.

    Args:
        pool_size: int or tuple of 2 ints, the window size.
        strides: int or tuple of 2 ints, or None (defaults to `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or `"channels_first"`
            (inputs `(batch, channels, height, width)`).

    Example:

    >>> x = np.arange(16, dtype="float32").reshape((1, 4, 4, 1))
    >>> keras.layers.AveragePooling2D((2, 2))(x).shape
    (1, 2, 2, 1)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
