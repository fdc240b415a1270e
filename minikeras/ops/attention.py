"""Scaled dot-product attention (keras.ops.nn.dot_product_attention)."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _dtype_of, _result_dtype, cast


def _plain(x):
    return np.asarray(getval(x))


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None,
                          is_causal=False, flash_attention=None, attn_logits_soft_cap=None):
    """`softmax(query @ key^T * scale + bias) @ value` over heads.

    Args:
        query: `(batch, target_len, heads, head_dim)`.
        key, value: `(batch, source_len, kv_heads, head_dim)`; fewer kv
            heads than query heads are repeated (grouped-query attention).
        bias: added to the logits `(batch, heads, target_len, source_len)`.
        mask: boolean, broadcastable to the logits; False positions are
            excluded.
        scale: defaults to `1 / sqrt(head_dim)`.
        is_causal: also mask out positions after the query position.
        flash_attention: only None/False (no fused kernels here).
        attn_logits_soft_cap: when set, logits pass through
            `cap * tanh(logits / cap)`.
    """
    if flash_attention:
        raise ValueError("Flash attention is not supported by the numpy backend.")
    q, k, v = _f(query), _f(key), _f(value)
    if np.ndim(_plain(q)) != 4:
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. Received: "
            f"query.shape={np.shape(_plain(q))}, key.shape={np.shape(_plain(k))}, "
            f"value.shape={np.shape(_plain(v))}.")
    dt = _result_dtype(_dtype_of(q), _dtype_of(k), _dtype_of(v))
    q, k, v = cast(q, dt), cast(k, dt), cast(v, dt)
    hq, hk = np.shape(_plain(q))[2], np.shape(_plain(k))[2]
    if hq > hk > 1 or (hq > hk and hk == 1):
        if hq % hk:
            raise ValueError(
                f"The number of query heads ({hq}) must be a multiple of the number of "
                f"key/value heads ({hk}).")
        k = anp.repeat(k, hq // hk, axis=2)
        v = anp.repeat(v, hq // hk, axis=2)
    head_dim = np.shape(_plain(k))[-1]
    scale = 1.0 / np.sqrt(head_dim) if scale is None else float(scale)
    logits = anp.einsum("btnh,bsnh->bnts", q, k) * np.asarray(scale, dt)
    if bias is not None:
        logits = logits + cast(_f(bias), dt)
    if attn_logits_soft_cap is not None:
        cap = np.asarray(attn_logits_soft_cap, dt)
        logits = cap * anp.tanh(logits / cap)
    keep = None
    if mask is not None:
        keep = np.asarray(getval(mask)).astype(bool)
    if is_causal:
        t, s = np.shape(_plain(logits))[-2:]
        causal = np.tril(np.ones((t, s), dtype=bool))[None, None]
        keep = causal if keep is None else keep & causal
    if keep is not None:
        large_neg = np.asarray(-0.7 * (65500.0 if dt == "float16" else 3.38953e38), dt)
        keep = np.broadcast_to(keep, np.shape(_plain(logits)))
        logits = OP.where(keep, logits, large_neg)
    probs = P.softmax(logits, -1)
    return anp.einsum("bnts,bsnh->btnh", probs, v)
