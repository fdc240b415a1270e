"""`GlobalAveragePooling1D`: global average pooling for temporal data."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.layers.pooling.base_global_pooling import BaseGlobalPooling
from minikeras.ops.core import _v
from minikeras.ops._primitives import where


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling operation for temporal data.

    Takes the mean over all spatial axes.

    Args:
        data_format: `"channels_last"` (inputs `(batch, steps, features)`) or `"channels_first"`
            (inputs `(batch, features, steps)`).
        keepdims: whether to keep the spatial axes (with length 1); if False
            the output is `(batch, channels)`.

    Example:

    >>> x = np.random.rand(2, 3, 4).astype("float32")
    >>> keras.layers.GlobalAveragePooling1D()(x).shape
    (2, 4)
    """

    _reduce = "mean"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims,
                         **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        """Mean over the steps; with a `(batch, steps)` mask, over the
        unmasked steps only."""
        x = _v(inputs)
        if mask is None:
            return anp.sum(x, axis=self._axes(), keepdims=self.keepdims) / anp.shape(x)[
                self._axes()[0]]
        steps_axis = self._axes()[0]
        m = np.expand_dims(np.asarray(getval(_v(mask))).astype(bool),
                           2 if self.data_format == "channels_last" else 1)
        fm = m.astype(getval(x).dtype)
        x = where(m, x, np.zeros((), dtype=fm.dtype))
        return (anp.sum(x, axis=steps_axis, keepdims=self.keepdims)
                / np.sum(fm, axis=steps_axis, keepdims=self.keepdims))

    def compute_mask(self, inputs, mask=None):
        return None
