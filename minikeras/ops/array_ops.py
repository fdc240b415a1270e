"""Shape manipulation, joining, splitting and indexing ops of keras.ops.

All of them move data without arithmetic, so they are differentiable
through autograd's numpy wrappers or the gather primitives in
`backend/primitives.py`; integer index arguments are plain values.
"""
import builtins

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _t, _v, _dtype_of, _result_dtype, cast


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _plain(x):
    return np.asarray(getval(x))


def _ndim(x):
    return np.ndim(_plain(x))


def _same_dtype(xs):
    """Arrays of `xs` cast to their common Keras dtype."""
    xs = [_t(x) for x in xs]
    dt = _result_dtype(*[_dtype_of(x) for x in xs]) if xs else None
    return [x if _dtype_of(x) == dt else cast(x, dt) for x in xs]


# ----- shape -----------------------------------------------------------------------
def reshape(x, newshape):
    """`x` with shape `newshape` (one entry may be -1)."""
    if isinstance(newshape, int):
        newshape = (newshape,)
    return anp.reshape(_t(x), tuple(int(getval(_v(s))) for s in newshape))


def transpose(x, axes=None):
    """Permute the axes of `x` (reverse them by default)."""
    return anp.transpose(_t(x), axes)


def expand_dims(x, axis):
    """Insert size-1 axes at `axis` (an int or a sequence)."""
    x = _t(x)
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out_ndim = _ndim(x) + len(axes)
    for a in sorted(a % out_ndim for a in axes):
        x = anp.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    """Remove size-1 axes (all of them, or those in `axis`)."""
    x = _t(x)
    if axis is not None:
        shape = np.shape(_plain(x))
        axes = axis if isinstance(axis, (list, tuple)) else (axis,)
        for a in axes:
            if shape[a] != 1:
                raise ValueError(f"Cannot squeeze axis={a}, because the dimension is not 1.")
        axis = tuple(axes)
    return anp.squeeze(x, axis=axis)


def ravel(x):
    """`x` flattened to 1-D."""
    return anp.ravel(_t(x))


def swapaxes(x, axis1, axis2):
    """Interchange two axes of `x`."""
    return anp.swapaxes(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    """Move axes `source` to positions `destination`."""
    return anp.moveaxis(_t(x), source, destination)


def broadcast_to(x, shape):
    """`x` broadcast to `shape`."""
    x = _t(x)
    shape = tuple(int(getval(_v(s))) for s in shape)
    if _dtype_of(x).kind not in "fc":
        return np.broadcast_to(_plain(x), shape)
    return OP.broadcast_to(x, shape)


def ndim(x):
    """Number of axes of `x`."""
    if hasattr(x, "shape") and not isinstance(x, np.ndarray) and not hasattr(x, "_value"):
        return len(x.shape)
    return _ndim(_v(x))


def size(x):
    """Number of elements of `x` (an int32 scalar, as Keras returns)."""
    return np.int32(np.size(_plain(_v(x))))


def view(x, dtype=None):
    """The bytes of `x` reinterpreted as `dtype` (last axis rescaled)."""
    v = _plain(_t(x))
    if dtype is None:
        return v.copy()
    from minikeras.backend import common
    dt = np.dtype(common.standardize_dtype(dtype))
    if v.ndim == 0 and dt.itemsize != v.dtype.itemsize:
        raise ValueError(
            f"Cannot view array of shape {v.shape} and dtype {v.dtype} as dtype {dt} "
            "because the total number of bytes is not divisible by the new itemsize.")
    if v.ndim and (v.shape[-1] * v.dtype.itemsize) % dt.itemsize:
        raise ValueError(
            f"Cannot view array of shape {v.shape} and dtype {v.dtype} as dtype {dt} "
            "because the total number of bytes is not divisible by the new itemsize.")
    return np.ascontiguousarray(v).view(dt)


# ----- joining and splitting ---------------------------------------------------------
def concatenate(xs, axis=0):
    """Join arrays along an existing axis."""
    xs = _same_dtype(xs)
    if axis is None:
        return anp.concatenate([anp.ravel(x) for x in xs], axis=0)
    return anp.concatenate(xs, axis=axis)


def stack(x, axis=0):
    """Join arrays along a new axis."""
    return anp.stack(_same_dtype(x), axis=axis)


def hstack(xs):
    """Join along the second axis (the first for 1-D arrays)."""
    xs = _same_dtype(xs)
    return anp.concatenate(xs, axis=0 if _ndim(xs[0]) == 1 else 1)


def vstack(xs):
    """Join along the first axis, 1-D arrays becoming rows."""
    xs = [anp.reshape(x, (1, -1)) if _ndim(x) <= 1 else x for x in _same_dtype(xs)]
    return anp.concatenate(xs, axis=0)


def dstack(xs):
    """Join along the third axis, promoting inputs to 3-D."""
    out = []
    for x in _same_dtype(xs):
        n = _ndim(x)
        if n == 0:
            x = anp.reshape(x, (1, 1, 1))
        elif n == 1:
            x = anp.reshape(x, (1, -1, 1))
        elif n == 2:
            x = anp.expand_dims(x, -1)
        out.append(x)
    return anp.concatenate(out, axis=2)


def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (flattened if None)."""
    x1, x2 = _same_dtype([x1, x2])
    if axis is None:
        return anp.concatenate([anp.ravel(x1), anp.ravel(x2)], axis=0)
    return anp.concatenate([x1, x2], axis=axis)


def split(x, indices_or_sections, axis=0):
    """Split into equal sections or at the given indices along `axis`."""
    x = _t(x)
    n = np.shape(_plain(x))[axis]
    if isinstance(indices_or_sections, int) and indices_or_sections and n % indices_or_sections:
        raise ValueError(
            f"Cannot split axis {axis} of size {n} into {indices_or_sections} equal parts.")
    return list(anp.split(x, indices_or_sections, axis=axis))


def array_split(x, indices_or_sections, axis=0):
    """Split into `indices_or_sections` nearly equal parts (the first ones
    one larger when the size does not divide)."""
    if not isinstance(indices_or_sections, int) or indices_or_sections < 1:
        raise ValueError(
            "Argument `indices_or_sections` must be a positive integer. Received: "
            f"indices_or_sections={indices_or_sections}")
    x = _t(x)
    total = np.shape(_plain(x))[axis]
    avg, rem = divmod(total, indices_or_sections)
    sizes = [avg + 1] * rem + [avg] * (indices_or_sections - rem)
    cuts = list(np.cumsum(sizes)[:-1])
    return list(anp.split(x, cuts, axis=axis))


def hsplit(x, indices_or_sections):
    """Split along the second axis (the first for 1-D arrays)."""
    return split(x, indices_or_sections, axis=0 if _ndim(_t(x)) == 1 else 1)


def vsplit(x, indices_or_sections):
    """Split along the first axis."""
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    """Split along the third axis."""
    return split(x, indices_or_sections, axis=2)


# ----- repetition, flipping, rolling ----------------------------------------------------
def tile(x, repeats):
    """`x` repeated `repeats` times along each axis."""
    x = _t(x)
    reps = [repeats] if isinstance(repeats, int) else [int(getval(_v(r))) for r in repeats]
    nd = _ndim(x)
    if len(reps) < nd:
        reps = [1] * (nd - len(reps)) + reps
    elif len(reps) > nd:
        x = anp.reshape(x, (1,) * (len(reps) - nd) + np.shape(_plain(x)))
    return OP.tile(x, tuple(reps))


def repeat(x, repeats, axis=None):
    """Each element repeated `repeats` times along `axis` (flattened if None)."""
    x = _t(x)
    reps = np.asarray(getval(_v(repeats)))
    reps = int(reps) if reps.ndim == 0 else reps
    if isinstance(reps, np.ndarray):
        # Per-element counts: a gather of repeated indices (autograd's
        # repeat only takes a scalar).
        if axis is None:
            x, axis = anp.ravel(x), 0
        idx = np.repeat(np.arange(np.shape(_plain(x))[axis]), reps)
        return P.take(x, idx, axis=axis)
    return anp.repeat(x, reps, axis=axis)


def flip(x, axis=None):
    """Reverse the order of elements along `axis` (all axes if None)."""
    return P.flip(_t(x), axis=_axis(axis))


def fliplr(x):
    """Reverse along axis 1."""
    return flip(x, axis=1)


def flipud(x):
    """Reverse along axis 0."""
    return flip(x, axis=0)


def roll(x, shift, axis=None):
    """Roll elements along `axis` (the flattened array if None)."""
    return anp.roll(_t(x), shift, axis=axis)


def rot90(array, k=1, axes=(0, 1)):
    """Rotate by 90 degrees `k` times in the plane of `axes`."""
    x = _t(array)
    if _ndim(x) < 2:
        raise ValueError(
            f"Input array must have at least 2 dimensions. Received: array.ndim={_ndim(x)}")
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"Invalid axes: {axes}. Axes must be a tuple of two different dimensions.")
    a0, a1 = (a % _ndim(x) for a in axes)
    k = k % 4
    if k == 0:
        return x
    if k == 2:
        return P.flip(x, axis=(a0, a1))
    perm = list(range(_ndim(x)))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return anp.transpose(P.flip(x, axis=a1), perm)
    return P.flip(anp.transpose(x, perm), axis=a1)


def pad(x, pad_width, mode="constant", constant_values=None):
    """Pad `x` by `pad_width` (`((before, after), ...)`).

    `mode` is "constant", "edge", "linear_ramp", "maximum", "mean",
    "median", "minimum", "reflect", "symmetric", "wrap", "empty".
    """
    x = _t(x)
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(
                "Argument `constant_values` can only be provided when `mode == 'constant'`. "
                f"Received: mode={mode}")
    pw = np.asarray(getval(_v(pad_width)), dtype=np.int64)
    if mode == "constant":
        pw2 = np.broadcast_to(pw, (_ndim(x), 2))
        value = np.asarray(0 if constant_values is None else constant_values, _dtype_of(x))
        return OP.pad_constant(x, pw2, value)
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        # A gather of the padded positions: differentiable for any mode.
        pw = np.broadcast_to(pw, (_ndim(x), 2))
        for ax in range(_ndim(x)):
            n = np.shape(_plain(x))[ax]
            lo, hi = int(pw[ax][0]), int(pw[ax][1])
            if lo == hi == 0:
                continue
            idx = np.pad(np.arange(n), (lo, hi), mode=mode)
            x = P.take(x, idx, axis=ax)
        return x
    return np.pad(_plain(x), pw, mode=mode)


# ----- indexing ------------------------------------------------------------------------
def _int_indices(indices):
    idx = np.asarray(getval(_v(indices)))
    if idx.dtype.kind not in "iub":
        idx = idx.astype(np.int64)
    return idx.astype(np.intp)


def take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis` (of the flattened `x` if
    None); negative indices count from the end."""
    x = _t(x)
    if axis is None:
        x, axis = anp.ravel(x), 0
    n = np.shape(_plain(x))[axis]
    idx = _int_indices(indices)
    idx = np.where(idx < 0, idx + n, idx)
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError(f"Index out of range in `take`: indices must be in [-{n}, {n}).")
    return P.take(x, idx, axis=axis)


def take_along_axis(x, indices, axis=None):
    """Values of `x` at the matching positions of `indices` along `axis`."""
    x = _t(x)
    idx = _int_indices(indices)
    if axis is None:
        x, axis = anp.ravel(x), 0
        idx = idx.reshape(-1)
    n = np.shape(_plain(x))[axis]
    idx = np.where(idx < 0, idx + n, idx)
    # Broadcast the non-indexed axes against each other, as Keras does.
    xs, isz = list(np.shape(_plain(x))), list(idx.shape)
    if len(isz) != len(xs):
        raise ValueError(
            "`x` and `indices` must have the same number of dimensions. Received: "
            f"x.shape={tuple(xs)}, indices.shape={tuple(isz)}")
    ax = axis % len(xs)
    bshape = [builtins.max(a, b) if i != ax else None for i, (a, b) in enumerate(zip(xs, isz))]
    xt = [s if i == ax else bshape[i] for i, s in enumerate(xs)]
    it = [s if i == ax else bshape[i] for i, s in enumerate(isz)]
    if tuple(xt) != tuple(xs):
        x = anp.broadcast_to(x, tuple(xt))
    if tuple(it) != tuple(isz):
        idx = np.broadcast_to(idx, tuple(it))
    return P.take_along_axis(x, idx, ax)


def get_item(x, key):
    """`x[key]`."""
    return _t(x)[key]


def nonzero(x):
    """Indices of the non-zero elements, one int32 array per axis."""
    return tuple(i.astype("int32") for i in np.nonzero(_plain(_t(x))))


def unravel_index(indices, shape):
    """Flat `indices` converted to a tuple of coordinate arrays."""
    idx = _int_indices(indices)
    return tuple(c.astype("int32") for c in np.unravel_index(idx, tuple(shape)))


def meshgrid(*x, indexing="xy"):
    """Coordinate matrices from coordinate vectors ("xy" or "ij" indexing)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Valid values for `indexing` are 'xy' and 'ij'. Received: indexing={indexing}")
    xs = [anp.ravel(v) for v in _same_dtype(x)]
    shape = [np.shape(_plain(v))[0] for v in xs]
    n = len(xs)
    if indexing == "xy" and n >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, v in enumerate(xs):
        pos = i
        if indexing == "xy" and n >= 2 and i < 2:
            pos = 1 - i
        s = [1] * n
        s[pos] = -1
        out.append(anp.broadcast_to(anp.reshape(v, s), tuple(shape)))
    return out


# ----- diagonals and triangles ------------------------------------------------------------
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The diagonal at `offset` of the planes spanned by `axis1`, `axis2`."""
    x = _t(x)
    nd = _ndim(x)
    if nd < 2:
        raise ValueError(f"`diagonal` needs at least 2 dimensions. Received: x.shape={np.shape(_plain(x))}")
    return OP.diagonal(x, int(offset), axis1 % nd, axis2 % nd)


def diag(x, k=0):
    """The `k`-th diagonal of 2-D `x`, or the 2-D array with 1-D `x` on it."""
    x = _t(x)
    if _ndim(x) not in (1, 2):
        raise ValueError(f"`x` must be 1d or 2d. Received: x.shape={np.shape(_plain(x))}")
    if _ndim(x) == 2:
        return OP.diagonal(x, int(k), 0, 1)
    return _diag_matrix(x, k)


def _diag_matrix(v, k):
    n = np.shape(_plain(v))[0]
    m = n + builtins.abs(k)
    sel = np.zeros((n, m, m), dtype=_dtype_of(v))
    rows = np.arange(n) + builtins.max(-k, 0)
    cols = np.arange(n) + builtins.max(k, 0)
    sel[np.arange(n), rows, cols] = 1
    return anp.einsum("k,kij->ij", v, sel) if _dtype_of(v).kind in "fc" else np.einsum(
        "k,kij->ij", _plain(v), sel.astype(_dtype_of(v)))


def diagflat(x, k=0):
    """A 2-D array with flattened `x` on the `k`-th diagonal."""
    return _diag_matrix(anp.ravel(_t(x)), k)


def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along the diagonal of the planes spanned by `axis1`, `axis2`."""
    x = _t(x)
    dt = _dtype_of(x)
    if dt.kind == "b" or dt.name in ("int8", "int16"):
        x = cast(x, "int32")
    nd = _ndim(x)
    return anp.sum(OP.diagonal(x, int(offset), axis1 % nd, axis2 % nd), axis=-1)


def _tri_mask(shape, k, lower):
    n, m = shape[-2], shape[-1]
    return np.tri(n, m, k=k, dtype=bool) if lower else ~np.tri(n, m, k=k - 1, dtype=bool)


def tril(x, k=0):
    """`x` with the elements above the `k`-th diagonal zeroed."""
    x = _t(x)
    mask = _tri_mask(np.shape(_plain(x)), k, lower=True)
    return OP.where(mask, x, np.zeros((), _dtype_of(x)))


def triu(x, k=0):
    """`x` with the elements below the `k`-th diagonal zeroed."""
    x = _t(x)
    mask = _tri_mask(np.shape(_plain(x)), k, lower=False)
    return OP.where(mask, x, np.zeros((), _dtype_of(x)))


def diff(a, n=1, axis=-1):
    """`n`-th discrete difference along `axis`."""
    a = _t(a)
    if n < 0:
        raise ValueError(f"Order `n` must be non-negative. Received n={n}")
    if n == 0:
        return a
    if _ndim(a) == 0:
        raise ValueError(f"`diff` requires input that is at least one dimensional. Received: a={a}")
    ax = axis % _ndim(a)
    hi = tuple(builtins.slice(1, None) if i == ax else builtins.slice(None) for i in range(_ndim(a)))
    lo = tuple(builtins.slice(None, -1) if i == ax else builtins.slice(None) for i in range(_ndim(a)))
    for _ in range(n):
        if _dtype_of(a).kind == "b":
            a = np.not_equal(_plain(a)[hi], _plain(a)[lo])
        else:
            a = a[hi] - a[lo]
    return a
