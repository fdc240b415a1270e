"""Fused normalization: `(x - mean) / sqrt(var + eps) * gamma + beta`.

One primitive serves BatchNormalization (statistics over the batch and
spatial axes), LayerNormalization (over the feature axes) and
GroupNormalization (over each group): only the reduction axes differ.

The forward pass uses TensorFlow's arithmetic (`inv = rsqrt(var + eps) *
gamma; y = x * inv + (beta - mean * inv)`) so results agree to float32
rounding. The backward pass is the closed form

    dx = inv * (g - mean(g) - xhat * mean(g * xhat))
    dgamma = sum(g * xhat), dbeta = sum(g)

computed in one sweep for all three arguments (`defvjp_argnums`) instead of
autograd's graph of a dozen broadcast ops. The VJP is plain numpy, except when
an outer trace records the backward pass (a gradient penalty differentiating
a critic's input gradient): it then recomputes the statistics from `x` with
`autograd.numpy`, so second derivatives include their dependence on `x`.
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp_argnums
from autograd.tracer import getval, isbox


def moments(x, axes):
    """Mean and (biased) variance of plain array `x` over `axes`, keepdims."""
    x = np.asarray(getval(x))
    mean = np.mean(x, axis=axes, keepdims=True, dtype=x.dtype)
    d = x - mean
    var = np.mean(np.square(d), axis=axes, keepdims=True, dtype=x.dtype)
    return mean, var


@primitive
def _normalize(x, gamma, beta, mean, var, axes, epsilon):
    inv = 1.0 / np.sqrt(var + np.asarray(epsilon, dtype=var.dtype))
    if gamma is not None:
        inv = inv * gamma
    res = -mean * inv
    if beta is not None:
        res = res + beta
    return x * inv + res


def _sum_to(g, shape):
    """Sum broadcast gradient `g` down to `shape`."""
    if tuple(g.shape) == tuple(shape):
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return g


def _traced_vjp(argnums, x, gamma, beta, axes, epsilon, g):
    """The VJP in `autograd.numpy`, statistics recomputed from `x`, for an outer
    trace to differentiate (boxes among `x`, `gamma`, `g`)."""
    mean = anp.mean(x, axis=axes, keepdims=True)
    d = x - mean
    var = anp.mean(d * d, axis=axes, keepdims=True)
    rstd = 1.0 / anp.sqrt(var + np.asarray(epsilon, dtype=np.asarray(getval(var)).dtype))
    xhat = d * rstd
    out = []
    for i in argnums:
        if i == 0:
            gx = g * gamma if gamma is not None else g
            mg = anp.mean(gx, axis=axes, keepdims=True)
            mgx = anp.mean(gx * xhat, axis=axes, keepdims=True)
            out.append(rstd * (gx - mg - xhat * mgx))
        elif i == 1:
            out.append(_unbroadcast(g * xhat, np.shape(getval(gamma))))
        elif i == 2:
            out.append(_unbroadcast(g, np.shape(getval(beta))))
        else:
            out.append(np.zeros(np.shape(getval(mean if i == 3 else var)),
                                dtype=np.asarray(getval(x)).dtype))
    return tuple(out)


def _unbroadcast(g, shape):
    """`_sum_to` for a possibly boxed `g`."""
    gshape = anp.shape(g)
    extra = len(gshape) - len(shape)
    if extra:
        g = anp.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and anp.shape(g)[i] != 1)
    return anp.sum(g, axis=axes, keepdims=True) if axes else g


def _normalize_vjp(argnums, ans, args, kwargs):
    x, gamma, beta, mean, var, axes, epsilon = args
    if isbox(x) or isbox(gamma) or isbox(beta):
        return lambda g: _traced_vjp(argnums, x, gamma, beta, axes, epsilon, g)
    x = np.asarray(x)
    rstd = 1.0 / np.sqrt(var + np.asarray(epsilon, dtype=var.dtype))
    count = np.asarray(x.size // mean.size, dtype=x.dtype)

    def vjp(g):
        if isbox(g):
            return _traced_vjp(argnums, x, gamma, beta, axes, epsilon, g)
        g = np.asarray(g)
        xhat = (x - mean) * rstd
        out = []
        for i in argnums:
            if i == 0:
                gx = g * gamma if gamma is not None else g
                mg = np.sum(gx, axis=axes, keepdims=True) / count
                mgx = np.sum(gx * xhat, axis=axes, keepdims=True) / count
                out.append(rstd * (gx - mg - xhat * mgx))
            elif i == 1:
                out.append(_sum_to(g * xhat, np.shape(gamma)))
            elif i == 2:
                out.append(_sum_to(g, np.shape(beta)))
            else:
                out.append(np.zeros_like(args[i]))
        return tuple(out)
    return vjp


defvjp_argnums(_normalize, _normalize_vjp)


def normalize(x, gamma, beta, axes, epsilon, return_moments=False):
    """Normalize `x` with its own statistics over `axes`; scale and shift.

    Args:
        x: array or autograd box.
        gamma, beta: None or arrays broadcastable against `x` (already
            reshaped to the statistics' broadcast shape).
        axes: tuple of reduction axes (non-negative).
        epsilon: float added to the variance.
        return_moments: also return `(mean, var)` as plain keepdims arrays
            (BatchNormalization needs them for its moving averages).

    The statistics are taken from the value of `x` and passed to the
    primitive as constants; its VJP accounts for their dependence on `x`.
    """
    mean, var = moments(x, axes)
    y = _normalize(x, gamma, beta, mean, var, tuple(axes), float(epsilon))
    return (y, mean, var) if return_moments else y
