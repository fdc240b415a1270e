"""`GlobalMaxPooling1D`: global max pooling for temporal data."""
from minikeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Global max pooling operation for temporal data.

    Takes the maximum over all spatial axes.

    Args:
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or `"channels_first"`
            (inputs `(batch, features, steps)`).
        keepdims: whether to keep the spatial axes (with length 1); if False
            the output is `(batch, channels)`.

    Example:

    >>> x = np.random.rand(2, 3, 4).astype("float32")
    >>> keras.layers.GlobalMaxPooling1D()(x).shape
    (2, 4)
    """

    _reduce = "max"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims,
                         **kwargs)
