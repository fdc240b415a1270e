"""`GlobalMaxPooling3D`: global max pooling for 3D data."""
from minikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Global max pooling operation for 3D data.

    Takes the maximum over all spatial axes.

    Args:
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or `"channels_first"`
            (inputs `(batch, channels, dim1, dim2, dim3)`).
        keepdims: whether to keep the spatial axes (with length 1); if False
            the output is `(batch, channels)`.

    Example:

    >>> x = np.random.rand(2, 4, 5, 4, 3).astype("float32")
    >>> keras.layers.GlobalMaxPooling3D()(x).shape
    (2, 3)
    """

    _reduce = "max"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, data_format=data_format, keepdims=keepdims,
                         **kwargs)
