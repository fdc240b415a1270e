"""The arithmetic shared by the attention layers: boolean masks and scaled
dot-product attention over `(batch, seq, heads, dim)` arrays.

Masks are plain numpy booleans (nothing flows back into a mask). The
products go through the GEMM primitive (`primitives.matmul`) and the
softmax through `primitives.softmax`, both with hand-written VJPs, so a
training step costs the four batched GEMMs of attention plus elementwise
work; `np.einsum` (no BLAS for batched products) is used only for the
unusual `attention_axes` layouts.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP


def dpa_large_negative(dtype):
    """The logit TensorFlow's `dot_product_attention` gives masked positions."""
    return np.asarray((65500.0 if np.dtype(dtype) == np.float16 else 3.38953e38) * -0.7,
                      dtype=dtype)


def as_bool_mask(mask):
    """A mask as a numpy bool array (non-bool masks: nonzero means keep)."""
    if mask is None:
        return None
    m = np.asarray(getval(mask))
    return m if m.dtype == bool else m.astype(bool)


def causal_mask(q_len, v_len):
    """`(1, T, S)`: query position `i` sees key positions `j <= i`."""
    return np.tril(np.ones((q_len, v_len), dtype=bool))[None]


def sliding_window_mask(q_len, v_len, window):
    """`(1, T, S)`: query position `i` sees key positions with `|i - j| < window`."""
    rows = np.arange(q_len)[:, None]
    cols = np.arange(v_len)[None, :]
    return (np.abs(rows - cols) < window)[None]


def combine(a, b):
    """Logical AND of two optional masks (broadcasting)."""
    if a is None:
        return b
    if b is None:
        return a
    return np.logical_and(a, b)


def expand_mask(mask, ndim, n_attention_axes):
    """Insert axes (the heads axis first) until `mask` has rank `ndim`, the
    way Keras broadcasts a `(B, T, S)` mask to `(B, N, T, S)` scores."""
    axis = -2 * n_attention_axes - 1
    while mask.ndim < ndim:
        mask = np.expand_dims(mask, axis)
    return mask


def _heads_first(x):
    return anp.transpose(x, (0, 2, 1, 3))


def scores_4d(query, key):
    """`(B, N, T, S)` products of `(B, T, N, H)` queries and `(B, S, N, H)` keys."""
    return P.matmul(_heads_first(query), anp.transpose(key, (0, 2, 3, 1)))


def combine_4d(probs, value):
    """`(B, T, N, H)` = probabilities `(B, N, T, S)` times values `(B, S, N, H)`."""
    return _heads_first(P.matmul(probs, _heads_first(value)))


def dot_product_attention_4d(query, key, value, keep, scale):
    """TensorFlow's fused path: `softmax(where(keep, q.k * scale, -big)) . v`.

    A query row whose keys are all masked gets uniform weights (not zeros),
    as in Keras's `ops.dot_product_attention`.
    """
    logits = scores_4d(query, key)
    dtype = getval(logits).dtype
    logits = logits * np.asarray(scale, dtype=dtype)
    if keep is not None:
        keep = np.broadcast_to(keep, np.shape(getval(logits)))
        logits = OP.where(keep, logits, dpa_large_negative(dtype))
    return combine_4d(P.softmax(logits, -1), value)
