"""Normalization ops of keras.ops.nn: moments, batch/layer/RMS
normalization and Lp normalization.

The arithmetic follows TensorFlow's (`inv = rsqrt(var + eps) * scale;
y = x * inv + (offset - mean * inv)`) so results agree to float32 rounding.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _t, _dtype_of, cast


def _plain(x):
    return np.asarray(getval(x))


def _axes(axes, ndim):
    axes = list(axes) if isinstance(axes, (list, tuple)) else [axes]
    return tuple(sorted(a % ndim for a in axes))


def _mean(x, axes, keepdims):
    n = int(np.prod([np.shape(_plain(x))[a] for a in axes]))
    return anp.sum(x, axis=axes, keepdims=keepdims) / np.asarray(n, _dtype_of(x))


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance of `x` over `axes`.

    Example:

    >>> m, v = keras.ops.moments(np.array([1.0, 2.0, 3.0]), axes=[0])
    """
    x = _f(x)
    orig = _dtype_of(x)
    if orig.name == "float16":
        x = cast(x, "float32")
    ax = _axes(axes, np.ndim(_plain(x)))
    mean = _mean(x, ax, True)
    variance = _mean(anp.square(x - mean), ax, True)
    if not keepdims:
        mean = anp.squeeze(mean, axis=ax)
        variance = anp.squeeze(variance, axis=ax)
    if orig.name == "float16":
        info = np.finfo(np.float16)
        mean = cast(OP.minimum(OP.maximum(mean, info.min), info.max), "float16")
        variance = cast(OP.minimum(variance, info.max), "float16")
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with the
    1-D statistics laid along `axis`."""
    x = _f(x)
    dt = _dtype_of(x)
    nd = np.ndim(_plain(x))

    def b(t):
        if t is None:
            return None
        t = _t(t)
        if _dtype_of(t) != dt:
            t = cast(t, dt)
        if axis not in (-1, nd - 1) and np.ndim(_plain(t)) == 1:
            shape = [1] * nd
            shape[axis] = -1
            t = anp.reshape(t, shape)
        return t
    mean, variance, offset, scale = b(mean), b(variance), b(offset), b(scale)
    inv = 1.0 / anp.sqrt(variance + np.asarray(epsilon, dt))
    if scale is not None:
        inv = inv * scale
    res = -mean * inv if offset is None else offset - mean * inv
    return x * inv + res


def normalize(x, axis=-1, order=2, epsilon=None):
    """`x` divided by its `order`-norm along `axis` (at least `epsilon`).

    Example:

    >>> keras.ops.normalize(np.array([3.0, 4.0]))
    array([0.6, 0.8], dtype=float32)
    """
    if not isinstance(order, int) or not order >= 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = _f(x)
    if np.ndim(_plain(x)) == 0:
        x = anp.expand_dims(x, 0)
    if epsilon is None:
        epsilon = config.epsilon()
    dt = _dtype_of(x)
    if order == 2:
        square_sum = anp.sum(anp.square(x), axis=axis, keepdims=True)
        inv_norm = OP.minimum(1.0 / anp.sqrt(square_sum), np.asarray(1.0 / epsilon, dt))
        return x * inv_norm
    from minikeras.ops.linalg import norm
    n = norm(x, ord=order, axis=axis, keepdims=True)
    return x / OP.maximum(n, np.asarray(epsilon, dt))


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalize `x` over `axis` (an int or list) with its own statistics,
    then scale by `gamma` and shift by `beta`.

    `rms_scaling=True` divides by `sqrt(var + eps)` without centering.
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    if epsilon is None:
        epsilon = config.epsilon()
    x = _f(x)
    orig = _dtype_of(x)
    if orig.name == "float16":
        x = cast(x, "float32")
    dt = _dtype_of(x)
    nd = np.ndim(_plain(x))
    ax = _axes(axis, nd)
    bshape = [1] * nd
    for a in ax:
        bshape[a] = np.shape(_plain(x))[a]

    def bc(v):
        if v is None:
            return None
        v = cast(_t(v), dt)
        if np.ndim(_plain(v)) != nd and ax != (nd - 1,):
            v = anp.reshape(v, bshape)
        return v
    gamma, beta = bc(gamma), bc(beta)
    eps = np.asarray(epsilon, dt)
    if rms_scaling:
        m = _mean(x, ax, True)
        var = _mean(anp.square(x - m), ax, True)
        out = x * (1.0 / anp.sqrt(var + eps))
        if gamma is not None:
            out = out * gamma
    else:
        mean = _mean(x, ax, True)
        var = _mean(anp.square(x - mean), ax, True)
        inv = 1.0 / anp.sqrt(var + eps)
        if gamma is not None:
            inv = inv * gamma
        res = -mean * inv
        if beta is not None:
            res = res + beta
        out = x * inv + res
    return cast(out, orig) if orig != dt else out


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x^2) + epsilon) * scale` over `axis`."""
    if epsilon is None:
        epsilon = config.epsilon()
    x = _f(x)
    orig = _dtype_of(x)
    if orig.name == "float16":
        x = cast(x, "float32")
    dt = _dtype_of(x)
    if np.ndim(_plain(x)) == 0:
        x = anp.expand_dims(x, 0)
    ax = _axes(axis, np.ndim(_plain(x)))
    rrms = 1.0 / anp.sqrt(_mean(anp.square(x), ax, True) + np.asarray(epsilon, dt))
    out = x * rrms
    if scale is not None:
        out = out * cast(_t(scale), dt)
    return cast(out, orig) if orig != dt else out
