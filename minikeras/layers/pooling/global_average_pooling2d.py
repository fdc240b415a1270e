"""`GlobalAveragePooling2D`: global average pooling for 2D data."""
from minikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Global average pooling operation for 2D data.

    Takes the mean over all spatial axes.

    Args:
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or `"channels_first"`
            (inputs `(batch, channels, height, width)`).
        keepdims: whether to keep the spatial axes (with length 1); if False
            the output is `(batch, channels)`.

    Example:

    >>> x = np.random.rand(2, 4, 5, 3).astype("float32")
    >>> keras.layers.GlobalAveragePooling2D()(x).shape
    (2, 3)
    """

    _reduce = "mean"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims,
                         **kwargs)
