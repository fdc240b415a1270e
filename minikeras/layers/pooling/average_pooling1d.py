"""`AveragePooling1D`: average pooling over 1D temporal data."""
from minikeras.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """Average pooling operation for 1D temporal data.

    Downsamples the input by taking the average over windows of size
    `pool_size`, moved by `strides`. With `"valid"` padding the output has
    `floor((input - pool_size) / strides) + 1` cells per axis; with `"same"`
    it has `ceil(input / strides)` and padded cells are ignored.

    Args:
        pool_size: int or tuple of 1 ints, the window size.
        strides: int or tuple of 1 ints, or None (defaults to `pool_size`).
        padding: `"valid"` or `"same"` (case-insensitive).
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or `"channels_first"`
            (inputs `(batch, features, steps)`).

    Example:

    >>> x = np.arange(16, dtype="float32").reshape((1, 16, 1))
    >>> keras.layers.AveragePooling1D(2)(x).shape
    (1, 8, 1)
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
