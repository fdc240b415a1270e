"""`Softmax`: softmax over an axis, with optional mask."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras import activations
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v
from minikeras.ops._primitives import where


def _large_negative_number(dtype):
    return np.asarray(-3e4 if np.dtype(dtype) == np.float16 else -1e9, dtype=dtype)


class Softmax(Layer):
    """Softmax activation layer.

    `exp(x) / sum(exp(x))` over `axis`.

    Args:
        axis: int or tuple of ints, the axis (or axes) along which softmax
            normalization is applied.

    Call arguments:
        inputs: the logits.
        mask: boolean (or 0/1) tensor broadcastable to `inputs`; masked
            entries (False/0) get probability 0.

    Example:

    >>> keras.layers.Softmax()(np.array([1.0, 2.0, 1.0], dtype="float32"))
    array([0.21194157, 0.57611686, 0.21194157], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        x = _v(inputs)
        if mask is not None:
            m = np.asarray(getval(_v(mask)))
            xshape = np.shape(getval(x))
            if m.ndim > len(xshape) or any(md != 1 and md != xd for md, xd in
                                           zip(m.shape[::-1], xshape[::-1])):
                raise ValueError(
                    f"Layer '{self.name}' (Softmax): the `mask` must be broadcastable to "
                    f"`inputs`. Received: inputs.shape={xshape}, mask.shape={m.shape}")
            if m.dtype != bool:
                m = m > 0.5
            x = where(m, x, _large_negative_number(getval(x).dtype))
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                axis = tuple(self.axis)
                mx = np.max(getval(x), axis=axis, keepdims=True)
                e = anp.exp(x - mx)
                out = e / anp.sum(e, axis=axis, keepdims=True)
            else:
                out = activations.softmax(x, axis=self.axis[0])
        else:
            out = activations.softmax(x, axis=self.axis)
        if mask is not None:
            out = where(m, out, np.zeros((), dtype=getval(out).dtype))
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
