"""Autograd primitives behind keras.ops where autograd's own are unusable.

With numpy 2, several of autograd's VJPs either fail (`pad`, `tile`,
`diagonal` off the main axes) or return float64 gradients for float32
inputs (`where`, `max`/`min`, `maximum`/`minimum`, `mean`). The versions
here keep the input dtype, follow TensorFlow's gradient conventions (ties of
`maximum` go to the first argument; a reduced max shares its gradient
among tied elements) and build their VJPs from differentiable pieces so that
nested tapes can take higher derivatives.
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp
from autograd.tracer import getval

from minikeras.backend.primitives import _unbroadcast


def _zeros_like(x):
    v = np.asarray(getval(x))
    return np.zeros(v.shape, dtype=v.dtype)


# ----- where -----------------------------------------------------------------------
@primitive
def where(cond, a, b):
    """`numpy.where` with a constant boolean `cond`; gradients keep dtype."""
    return np.where(cond, a, b)


def _where_vjp_a(ans, cond, a, b):
    shape = np.shape(a)
    return lambda g: _unbroadcast(where(cond, g, _zeros_like(g)), shape)


def _where_vjp_b(ans, cond, a, b):
    shape = np.shape(b)
    return lambda g: _unbroadcast(where(cond, _zeros_like(g), g), shape)


defvjp(where, None, _where_vjp_a, _where_vjp_b)


# ----- maximum / minimum (TensorFlow's tie rule) -------------------------------------------
@primitive
def maximum(a, b):
    return np.maximum(a, b)


@primitive
def minimum(a, b):
    return np.minimum(a, b)


def _pick_vjp(first, compare):
    def maker(ans, a, b):
        mask = compare(np.asarray(a), np.asarray(b))
        shape = np.shape(a) if first else np.shape(b)
        mask = np.broadcast_to(mask, np.shape(ans))
        if not first:
            mask = ~mask

        def vjp(g):
            return _unbroadcast(where(mask, g, _zeros_like(g)), shape)
        return vjp
    return maker


defvjp(maximum, _pick_vjp(True, np.greater_equal), _pick_vjp(False, np.greater_equal))
defvjp(minimum, _pick_vjp(True, np.less_equal), _pick_vjp(False, np.less_equal))


# ----- broadcasting ----------------------------------------------------------------
@primitive
def broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


defvjp(broadcast_to, lambda ans, x, shape: lambda g: _unbroadcast(g, np.shape(x)))


# ----- reduced max / min -------------------------------------------------------------
def _norm_axis(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (list, tuple)):
        return tuple(a % ndim for a in axis)
    return (axis % ndim,)


def _make_reduce(np_fn):
    @primitive
    def reduce(x, axis=None, keepdims=False):
        return np_fn(x, axis=axis, keepdims=keepdims)

    def vjp_maker(ans, x, axis=None, keepdims=False):
        xv = np.asarray(x)
        axes = _norm_axis(axis, xv.ndim)
        full = np.asarray(ans)
        if not keepdims:
            full = np.expand_dims(full, axes)
        mask = (xv == full)
        count = np.sum(mask, axis=axes, keepdims=True).astype(xv.dtype)
        weights = (mask / count).astype(xv.dtype)

        def vjp(g):
            if not keepdims:
                g = anp.reshape(g, np.shape(full))
            return g * weights
        return vjp
    defvjp(reduce, vjp_maker)
    return reduce


reduce_max = _make_reduce(np.max)
reduce_min = _make_reduce(np.min)


# ----- padding and tiling -----------------------------------------------------------------
@primitive
def pad_constant(x, pad_width, value):
    """Constant padding; `pad_width` is an `(ndim, 2)` int array."""
    return np.pad(x, pad_width, mode="constant", constant_values=value)


def _pad_vjp(ans, x, pad_width, value):
    shape = np.shape(x)
    key = tuple(slice(int(lo), int(lo) + n) for (lo, _), n in zip(pad_width, shape))
    return lambda g: g[key]


defvjp(pad_constant, _pad_vjp)


@primitive
def tile(x, reps):
    """`numpy.tile` with `reps` already padded to `x.ndim` entries."""
    return np.tile(x, reps)


def _tile_vjp(ans, x, reps):
    shape = np.shape(x)

    def vjp(g):
        # (r0*s0, r1*s1, ...) -> (r0, s0, r1, s1, ...) summed over the r's
        split = []
        for r, s in zip(reps, shape):
            split.extend([r, s])
        g2 = anp.reshape(g, tuple(split))
        return anp.sum(g2, axis=tuple(range(0, 2 * len(shape), 2)))
    return vjp


defvjp(tile, _tile_vjp)


# ----- diagonals -----------------------------------------------------------------
@primitive
def diagonal(x, offset, axis1, axis2):
    return np.diagonal(x, offset=offset, axis1=axis1, axis2=axis2).copy()


def _diag_positions(shape, offset, axis1, axis2):
    n1, n2 = shape[axis1], shape[axis2]
    if offset >= 0:
        k = max(0, min(n1, n2 - offset))
        return np.arange(k), np.arange(k) + offset
    k = max(0, min(n1 + offset, n2))
    return np.arange(k) - offset, np.arange(k)


def _diagonal_vjp(ans, x, offset, axis1, axis2):
    shape = np.shape(x)
    nd = len(shape)
    a1, a2 = axis1 % nd, axis2 % nd
    rows, cols = _diag_positions(shape, offset, a1, a2)
    # A constant (n1, n2, k) selector: g (..., k) -> (..., n1, n2) by einsum.
    sel = np.zeros((shape[a1], shape[a2], len(rows)), dtype=np.asarray(x).dtype)
    sel[rows, cols, np.arange(len(rows))] = 1
    rest = [i for i in range(nd) if i not in (a1, a2)]

    def vjp(g):
        full = anp.einsum("...k,ijk->...ij", g, sel)
        # full is (rest..., n1, n2): move the two axes back into place.
        order = rest + [a1, a2]
        inv = np.argsort(order)
        return anp.transpose(full, tuple(inv))
    return vjp


defvjp(diagonal, _diagonal_vjp)


# ----- softplus ---------------------------------------------------------------------
@primitive
def softplus(x):
    """`log(1 + exp(x))` = `logaddexp(0, x)`: no overflow, no cancellation."""
    return np.logaddexp(np.zeros((), dtype=np.asarray(x).dtype), x)


def _softplus_vjp(ans, x):
    from minikeras.backend.primitives import sigmoid
    return lambda g: g * sigmoid(x)


defvjp(softplus, _softplus_vjp)
