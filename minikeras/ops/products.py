"""Products and contractions of keras.ops: matmul, dot, tensordot, einsum,
inner/outer/vdot, kron, cross, correlate and trapezoid integration.

`matmul` and 2-D `dot` use the GEMM primitive with a hand-written VJP;
the rest go through autograd's numpy wrappers.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import primitives as P
from minikeras.ops.core import _pair, _t, _dtype_of, cast


def _plain(x):
    return np.asarray(getval(x))


def _ndim(x):
    return np.ndim(_plain(x))


def _operands(x1, x2):
    x1, x2 = _pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    if _dtype_of(x1).kind == "b":
        x1, x2 = cast(x1, "int32"), cast(x2, "int32")
    return x1, x2


def matmul(x1, x2):
    """Matrix product with numpy broadcasting; hand-written VJP."""
    x1, x2 = _operands(x1, x2)
    if _ndim(x1) == 0 or _ndim(x2) == 0:
        raise ValueError(
            "matmul does not accept scalar inputs. Received: "
            f"x1.shape={np.shape(_plain(x1))}, x2.shape={np.shape(_plain(x2))}")
    if _dtype_of(x1).kind not in "fc":
        return np.matmul(_plain(x1), _plain(x2))
    return P.matmul(x1, x2)


def dot(x1, x2):
    """Dot product: matrix product for 1-D/2-D arrays, last axis of `x1`
    with the second-to-last of `x2` otherwise."""
    x1, x2 = _operands(x1, x2)
    if 1 <= _ndim(x1) <= 2 and 1 <= _ndim(x2) <= 2 and _dtype_of(x1).kind in "fc":
        return P.matmul(x1, x2)
    return anp.dot(x1, x2)


def tensordot(x1, x2, axes=2):
    """Sum of products over `axes` (an int or a pair of axis lists)."""
    x1, x2 = _operands(x1, x2)
    return anp.tensordot(x1, x2, axes=axes)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation over `operands` as described by `subscripts`."""
    ops_ = [_t(o) for o in operands]
    if ops_:
        from minikeras.ops.core import _result_dtype
        dt = _result_dtype(*[_dtype_of(o) for o in ops_])
        if dt == "bool":
            dt = "int32"
        ops_ = [o if _dtype_of(o) == dt else cast(o, dt) for o in ops_]
    return anp.einsum(subscripts, *ops_, **kwargs)


def outer(x1, x2):
    """Outer product of the flattened inputs."""
    x1, x2 = _operands(x1, x2)
    return anp.outer(anp.ravel(x1), anp.ravel(x2))


def inner(x1, x2):
    """Sum of products over the last axes (a product if one is a scalar)."""
    x1, x2 = _operands(x1, x2)
    if _ndim(x1) == 0 or _ndim(x2) == 0:
        return x1 * x2
    return anp.tensordot(x1, x2, axes=([-1], [-1]))


def vdot(x1, x2):
    """Dot product of the flattened inputs (first one conjugated)."""
    x1, x2 = _operands(x1, x2)
    return anp.sum(anp.conj(anp.ravel(x1)) * anp.ravel(x2))


def kron(x1, x2):
    """Kronecker product."""
    x1, x2 = _operands(x1, x2)
    n1, n2 = _ndim(x1), _ndim(x2)
    if n1 < n2:
        x1 = anp.reshape(x1, (1,) * (n2 - n1) + np.shape(_plain(x1)))
    elif n2 < n1:
        x2 = anp.reshape(x2, (1,) * (n1 - n2) + np.shape(_plain(x2)))
    s1, s2 = np.shape(_plain(x1)), np.shape(_plain(x2))
    nd = len(s1)
    # Interleave the axes: (a0, b0, a1, b1, ...) then merge each pair.
    a = anp.reshape(x1, tuple(d for s in s1 for d in (s, 1)))
    b = anp.reshape(x2, tuple(d for s in s2 for d in (1, s)))
    return anp.reshape(a * b, tuple(s1[i] * s2[i] for i in range(nd)))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 2- or 3-element vectors along the given axes."""
    x1, x2 = _operands(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = anp.moveaxis(x1, axisa, -1)
    b = anp.moveaxis(x2, axisb, -1)
    na, nb = np.shape(_plain(a))[-1], np.shape(_plain(b))[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(
            "Incompatible dimensions for cross product (dimension must be 2 or 3). "
            f"Received: x1.shape={np.shape(_plain(x1))}, x2.shape={np.shape(_plain(x2))}")
    zero = np.zeros((), _dtype_of(a))

    def comps(v, n):
        return [v[..., 0], v[..., 1], v[..., 2] if n == 3 else zero]
    a0, a1, a2 = comps(a, na)
    b0, b1, b2 = comps(b, nb)
    if na == 2 and nb == 2:
        return a0 * b1 - a1 * b0
    c = anp.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return anp.moveaxis(c, -1, axisc)


def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D sequences ("valid", "same" or "full")."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(
            f"`mode` must be either `valid`, `same`, or `full`, but received: {mode}")
    x1, x2 = _operands(x1, x2)
    if _dtype_of(x1).kind not in "fc":
        dt = "float64" if _dtype_of(x1).name == "int64" else config.floatx()
        x1, x2 = cast(x1, dt), cast(x2, dt)
    if _ndim(x1) != 1 or _ndim(x2) != 1:
        raise ValueError("`correlate` needs 1-D inputs.")
    n, m = np.shape(_plain(x1))[0], np.shape(_plain(x2))[0]
    # c[k] = sum_i x1[i + k - (m - 1)] * x2[i]  for k in [0, n + m - 1)
    full_len = n + m - 1
    xp = anp.concatenate([np.zeros(m - 1, _dtype_of(x1)), x1, np.zeros(m - 1, _dtype_of(x1))])
    windows = np.arange(full_len)[:, None] + np.arange(m)[None, :]
    full = anp.dot(anp.reshape(P.take(xp, windows.reshape(-1), axis=0), (full_len, m)), x2)
    if mode == "full":
        return full
    if mode == "same":
        length = max(n, m)
        start = (full_len - length) // 2
        return full[start:start + length]
    length = max(n, m) - min(n, m) + 1
    start = min(n, m) - 1
    return full[start:start + length]


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule."""
    y = _t(y)
    if _dtype_of(y).kind not in "fc":
        y = cast(y, config.floatx())
    y = anp.moveaxis(y, axis, -1)
    avg = 0.5 * (y[..., 1:] + y[..., :-1])
    if x is None:
        return anp.sum(avg, axis=-1) * np.asarray(dx, _dtype_of(y))
    x = cast(_t(x), _dtype_of(y))
    if _ndim(x) == 1:
        d = x[1:] - x[:-1]
    else:
        x = anp.moveaxis(x, axis, -1)
        d = x[..., 1:] - x[..., :-1]
    return anp.sum(avg * d, axis=-1)
