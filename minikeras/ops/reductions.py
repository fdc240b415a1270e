"""Reductions, statistics, sorting and counting ops of keras.ops.

Sums of small integers and booleans accumulate in int32 and means of
integers are `floatx()`, following Keras's dtype rules. Sorting-based ops
(sort, median, quantile, top-style selections) are differentiable through
gathers with hand-written VJPs.
"""
import builtins

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _t, _v, _dtype_of, cast


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _plain(x):
    return np.asarray(getval(x))


def _acc_dtype(x):
    """The accumulator dtype Keras sums in: int32 for bool/int8/int16."""
    dt = _dtype_of(x)
    if dt.kind == "b" or dt.name in ("int8", "int16"):
        return "int32"
    if dt.name in ("uint8", "uint16"):
        return "uint32"
    return None


def _float_of(x):
    x = _t(x)
    return x if _dtype_of(x).kind in "fc" else cast(x, config.floatx())


# ----- sums, means, extremes ----------------------------------------------------
def sum(x, axis=None, keepdims=False):
    """Sum over `axis` (all axes by default)."""
    x = _t(x)
    acc = _acc_dtype(x)
    if acc:
        x = cast(x, acc)
    if _dtype_of(x).kind in "iu":
        # numpy would widen int32 sums to int64.
        return np.sum(_plain(x), axis=_axis(axis), keepdims=keepdims, dtype=_dtype_of(x))
    return anp.sum(x, axis=_axis(axis), keepdims=keepdims)


def _count(x, axis):
    shape = np.shape(_plain(x))
    if axis is None:
        return int(np.prod(shape))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return int(np.prod([shape[a] for a in axes]))


def _mean(x, axis=None, keepdims=False):
    # sum / n in the input dtype (autograd's mean VJP returns float64).
    axis = _axis(axis)
    return anp.sum(x, axis=axis, keepdims=keepdims) / np.asarray(_count(x, axis), _dtype_of(x))


def mean(x, axis=None, keepdims=False):
    """Arithmetic mean over `axis`; integers give `floatx()`."""
    return _mean(_float_of(x), axis=axis, keepdims=keepdims)


def _check_nonempty(x, what):
    if np.size(_plain(x)) == 0:
        raise ValueError(f"Cannot compute the {what} of an empty tensor.")


def max(x, axis=None, keepdims=False, initial=None):
    """Maximum over `axis`, optionally no less than `initial`."""
    x = _t(x)
    if initial is None:
        _check_nonempty(x, "max")
    if _dtype_of(x).kind == "b":
        out = np.any(_plain(x), axis=_axis(axis), keepdims=keepdims)
        return out if initial is None else np.logical_or(out, bool(initial))
    if np.size(_plain(x)) == 0:
        return np.full(np.shape(np.sum(_plain(x), axis=_axis(axis), keepdims=keepdims)),
                       initial, dtype=_dtype_of(x))
    out = _reduce(OP.reduce_max, np.max, x, axis, keepdims)
    return out if initial is None else _ew_max(out, np.asarray(initial, _dtype_of(x)))


def _reduce(prim, np_fn, x, axis, keepdims):
    if _dtype_of(x).kind not in "fc":
        return np_fn(_plain(x), axis=_axis(axis), keepdims=keepdims)
    return prim(x, axis=_axis(axis), keepdims=keepdims)


def _ew_max(a, b):
    return OP.maximum(a, b) if _dtype_of(a).kind in "fc" else np.maximum(_plain(a), b)


def _ew_min(a, b):
    return OP.minimum(a, b) if _dtype_of(a).kind in "fc" else np.minimum(_plain(a), b)


def amax(x, axis=None, keepdims=False):
    """Maximum over `axis`."""
    return max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False, initial=None):
    """Minimum over `axis`, optionally no more than `initial`."""
    x = _t(x)
    if initial is None:
        _check_nonempty(x, "min")
    if _dtype_of(x).kind == "b":
        out = np.all(_plain(x), axis=_axis(axis), keepdims=keepdims)
        return out if initial is None else np.logical_and(out, bool(initial))
    if np.size(_plain(x)) == 0:
        return np.full(np.shape(np.sum(_plain(x), axis=_axis(axis), keepdims=keepdims)),
                       initial, dtype=_dtype_of(x))
    out = _reduce(OP.reduce_min, np.min, x, axis, keepdims)
    return out if initial is None else _ew_min(out, np.asarray(initial, _dtype_of(x)))


def amin(x, axis=None, keepdims=False):
    """Minimum over `axis`."""
    return min(x, axis=axis, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    """Range `max - min` over `axis`."""
    x = _t(x)
    return (_reduce(OP.reduce_max, np.max, x, axis, keepdims)
            - _reduce(OP.reduce_min, np.min, x, axis, keepdims))


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over `axis`."""
    x = _t(x)
    if dtype is not None:
        x = cast(x, dtype)
    else:
        acc = _acc_dtype(x)
        if acc:
            x = cast(x, acc)
    if _dtype_of(x).kind in "iu":
        return np.prod(_plain(x), axis=_axis(axis), keepdims=keepdims, dtype=_dtype_of(x))
    return anp.prod(x, axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    """Population variance over `axis`."""
    x = _float_of(x)
    m = _mean(x, axis=axis, keepdims=True)
    return _mean(anp.square(x - m), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """Population standard deviation over `axis`."""
    return anp.sqrt(var(x, axis=axis, keepdims=keepdims))


def average(x, axis=None, weights=None):
    """Weighted mean over `axis`; 1-D `weights` apply along `axis`."""
    x = _float_of(x)
    if weights is None:
        return _mean(x, axis=axis)
    w = _t(weights)
    dt = np.result_type(_dtype_of(x), _dtype_of(w) if _dtype_of(w).kind in "fc" else _dtype_of(x))
    x, w = cast(x, dt), cast(w, dt)
    if axis is None or np.ndim(_plain(w)) == np.ndim(_plain(x)):
        return anp.sum(x * w, axis=axis) / anp.sum(w, axis=axis)
    if np.ndim(_plain(w)) != 1:
        raise ValueError(
            "1D weights expected when shapes of a and weights differ. Received: "
            f"weights.shape={np.shape(_plain(w))}")
    shape = [1] * np.ndim(_plain(x))
    shape[axis] = -1
    return anp.sum(x * anp.reshape(w, shape), axis=axis) / anp.sum(w)


def count_nonzero(x, axis=None):
    """Number of non-zero elements over `axis` (int32)."""
    return np.asarray(np.count_nonzero(_plain(_t(x)), axis=_axis(axis))).astype("int32")


def all(x, axis=None, keepdims=False):
    """True where all elements over `axis` are truthy."""
    return np.all(_plain(_t(x)), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    """True where any element over `axis` is truthy."""
    return np.any(_plain(_t(x)), axis=_axis(axis), keepdims=keepdims)


# ----- cumulative -------------------------------------------------------------
def _cum_prep(x, axis, dtype):
    x = _t(x)
    if dtype is not None:
        x = cast(x, dtype)
    elif _dtype_of(x).kind == "b":
        x = cast(x, "int32")
    if axis is None:
        x, axis = anp.reshape(x, (-1,)), 0
    return x, axis


def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (the flattened array by default)."""
    x, axis = _cum_prep(x, axis, dtype)
    if _dtype_of(x).kind in "iu":
        return np.cumsum(_plain(x), axis=axis, dtype=_dtype_of(x))
    return anp.cumsum(x, axis=axis)


def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (the flattened array by default)."""
    x, axis = _cum_prep(x, axis, dtype)
    if _dtype_of(x).kind in "iu":
        return np.cumprod(_plain(x), axis=axis, dtype=_dtype_of(x))
    # A running product of slices: differentiable, zeros included.
    moved = anp.moveaxis(x, axis, 0)
    n = np.shape(_plain(moved))[0]
    if n == 0:
        return x
    outs = [moved[0]]
    for i in range(1, n):
        outs.append(outs[-1] * moved[i])
    return anp.moveaxis(anp.stack(outs), 0, axis)


# ----- NaN-aware ----------------------------------------------------------------
def _nan_mask(x):
    v = _plain(x)
    return np.isnan(v) if v.dtype.kind in "fc" else np.zeros(v.shape, dtype=bool)


def _nan_fill(x, value):
    mask = _nan_mask(x)
    if not mask.any():
        return x
    return OP.where(mask, np.asarray(value, _dtype_of(x)), x)


def nansum(x, axis=None, keepdims=False):
    """Sum treating NaN as zero."""
    x = _t(x)
    return sum(_nan_fill(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    """Product treating NaN as one."""
    x = _t(x)
    return prod(_nan_fill(x, 1), axis=axis, keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """Mean ignoring NaN (NaN where every element is NaN)."""
    x = _float_of(x)
    valid = (~_nan_mask(x)).astype(_dtype_of(x))
    total = anp.sum(_nan_fill(x, 0), axis=_axis(axis), keepdims=keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / np.sum(valid, axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    """Variance ignoring NaN."""
    x = _float_of(x)
    m = nanmean(x, axis=axis, keepdims=True)
    mask = _nan_mask(x)
    centered = OP.where(mask, np.asarray(0, _dtype_of(x)), x - m)
    count = np.sum(~mask, axis=_axis(axis), keepdims=keepdims).astype(_dtype_of(x))
    with np.errstate(invalid="ignore", divide="ignore"):
        return anp.sum(anp.square(centered), axis=_axis(axis), keepdims=keepdims) / count


def nanstd(x, axis=None, keepdims=False):
    """Standard deviation ignoring NaN."""
    return anp.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def _nan_extreme(x, axis, keepdims, fill, reducer):
    x = _t(x)
    if _dtype_of(x).kind not in "fc":
        return reducer(x, axis=axis, keepdims=keepdims)
    mask = _nan_mask(x)
    allnan = np.all(mask, axis=_axis(axis), keepdims=keepdims)
    out = reducer(_nan_fill(x, fill), axis=axis, keepdims=keepdims)
    if allnan.any():
        out = OP.where(allnan, np.asarray(np.nan, _dtype_of(x)), out)
    return out


def nanmax(x, axis=None, keepdims=False):
    """Maximum ignoring NaN (NaN where every element is NaN)."""
    return _nan_extreme(x, axis, keepdims, -np.inf, max)


def nanmin(x, axis=None, keepdims=False):
    """Minimum ignoring NaN (NaN where every element is NaN)."""
    return _nan_extreme(x, axis, keepdims, np.inf, min)


def _nan_arg(x, axis, keepdims, fill, fn):
    x = _t(x)
    if _dtype_of(x).kind not in "fc":
        return fn(x, axis=axis, keepdims=keepdims)
    mask = _nan_mask(x)
    v = np.where(mask, fill, _plain(x))
    out = fn(v, axis=axis, keepdims=keepdims)
    allnan = np.all(mask, axis=axis, keepdims=keepdims)
    return np.where(allnan, -1, out).astype("int32")


def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum ignoring NaN (-1 where all are NaN)."""
    return _nan_arg(x, axis, keepdims, -np.inf, argmax)


def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum ignoring NaN (-1 where all are NaN)."""
    return _nan_arg(x, axis, keepdims, np.inf, argmin)


def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum treating NaN as zero."""
    return cumsum(_nan_fill(_t(x), 0), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    """Cumulative product treating NaN as one."""
    return cumprod(_nan_fill(_t(x), 1), axis=axis, dtype=dtype)


# ----- arg-reductions and sorting -----------------------------------------------------
def _argext(x, axis, keepdims, fn):
    v = _plain(_t(x))
    if v.dtype.kind == "f":
        # -0.0 counts as smaller than +0.0, as Keras does (JAX's rule).
        v = np.where((v == 0) & np.signbit(v), -np.finfo(v.dtype).tiny, v)
    if axis is None:
        out = fn(v.reshape(-1))
        if keepdims:
            out = np.reshape(out, (1,) * v.ndim)
        return np.asarray(out).astype("int32")
    return np.asarray(fn(v, axis=axis, keepdims=keepdims)).astype("int32")


def argmax(x, axis=None, keepdims=False):
    """Index of the maximum along `axis` (of the flattened array if None)."""
    return _argext(x, axis, keepdims, np.argmax)


def argmin(x, axis=None, keepdims=False):
    """Index of the minimum along `axis` (of the flattened array if None)."""
    return _argext(x, axis, keepdims, np.argmin)


def argsort(x, axis=-1):
    """Indices that sort `x` along `axis` (stable)."""
    v = _plain(_t(x))
    if v.ndim == 0:
        return np.array([0], dtype="int32")
    if axis is None:
        v, axis = v.reshape(-1), 0
    return np.argsort(v, axis=axis, kind="stable").astype("int32")


def sort(x, axis=-1):
    """`x` sorted along `axis`; gradients follow the elements."""
    x = _t(x)
    if axis is None:
        x, axis = anp.reshape(x, (-1,)), 0
    idx = np.argsort(_plain(x), axis=axis, kind="stable")
    return P.take_along_axis(x, idx, axis)


def argpartition(x, kth, axis=-1):
    """Indices partitioning `x` around its `kth` smallest element."""
    v = _plain(_t(x))
    if axis is None:
        v, axis = v.reshape(-1), 0
    return np.argpartition(v, kth, axis=axis).astype("int32")


# ----- quantiles --------------------------------------------------------------
_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (`q` in [0, 1]) of `x` over `axis`.

    `method` is one of "linear", "lower", "higher", "midpoint", "nearest",
    as in numpy. Differentiable with respect to `x`.
    """
    if method not in _METHODS:
        raise ValueError(
            f"Invalid value received for `method`. Expected one of {_METHODS}. "
            f"Received: method={method}")
    x = _float_of(x)
    qv = np.asarray(getval(_v(q)), dtype=np.float64)
    if np.any(qv < 0) or np.any(qv > 1):
        raise ValueError(f"Quantiles must be in the range [0, 1]. Received: q={qv}")
    ndim = np.ndim(_plain(x))
    if axis is None:
        axes = tuple(range(ndim))
    else:
        axes = tuple(a % ndim for a in ((axis,) if isinstance(axis, int) else axis))
    others = [i for i in range(ndim) if i not in axes]
    shape = np.shape(_plain(x))
    y = anp.transpose(x, others + list(axes))
    y = anp.reshape(y, tuple(shape[i] for i in others) + (-1,))
    n = np.shape(_plain(y))[-1]
    y = sort(y, axis=-1)
    pos = qv * (n - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, n - 1)
    frac = (pos - lo).astype(_dtype_of(x))
    if method == "lower":
        hi, frac = lo, np.zeros_like(frac)
    elif method == "higher":
        lo = hi = np.ceil(pos).astype(np.intp)
        frac = np.zeros_like(frac)
    elif method == "midpoint":
        frac = np.where(pos == lo, 0.0, 0.5).astype(_dtype_of(x))
    elif method == "nearest":
        lo = hi = np.round(pos).astype(np.intp)
        frac = np.zeros_like(frac)
    a = P.take(y, lo.reshape(-1), axis=-1)
    b = P.take(y, hi.reshape(-1), axis=-1)
    out = a + (b - a) * frac.reshape(-1)
    # (..., nq) -> (nq, ...) as numpy lays it out; scalar q drops that axis.
    out = anp.moveaxis(out, -1, 0)
    if keepdims:
        kshape = [1 if i in axes else shape[i] for i in range(ndim)]
        out = anp.reshape(out, (-1,) + tuple(kshape))
    out = anp.reshape(out, qv.shape + np.shape(_plain(out))[1:])
    return out


def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (`q` in [0, 100]) of `x` over `axis`."""
    qv = np.asarray(getval(_v(q)), dtype=np.float64) / 100.0
    return quantile(x, qv, axis=axis, method=method, keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    """Median over `axis`."""
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def _nan_quantile_1d(v, q, method):
    valid = v[~np.isnan(v)]
    if valid.size == 0:
        return np.full(np.shape(q), np.nan, dtype=v.dtype)
    return _plain(quantile(valid, q, method=method))


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """Quantiles ignoring NaN (no gradient)."""
    v = _plain(_float_of(x))
    qv = np.asarray(getval(_v(q)), dtype=np.float64)
    ndim = v.ndim
    axes = tuple(range(ndim)) if axis is None else tuple(
        a % ndim for a in ((axis,) if isinstance(axis, int) else axis))
    others = [i for i in range(ndim) if i not in axes]
    y = np.transpose(v, others + list(axes)).reshape(tuple(v.shape[i] for i in others) + (-1,))
    flat = y.reshape(-1, y.shape[-1])
    res = np.stack([_nan_quantile_1d(r, qv, method) for r in flat], axis=-1)
    res = res.reshape(qv.shape + tuple(v.shape[i] for i in others))
    if keepdims:
        res = res.reshape(qv.shape + tuple(1 if i in axes else v.shape[i] for i in range(ndim)))
    return res.astype(v.dtype)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """Percentiles ignoring NaN (no gradient)."""
    qv = np.asarray(getval(_v(q)), dtype=np.float64) / 100.0
    return nanquantile(x, qv, axis=axis, method=method, keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    """Median ignoring NaN (no gradient)."""
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


# ----- counting -----------------------------------------------------------------------
def bincount(x, weights=None, minlength=0, sparse=False):
    """Occurrences of each non-negative integer in `x` (rows of 2-D `x`
    are counted separately)."""
    if sparse:
        raise ValueError("`sparse=True` is not supported: minikeras arrays are dense.")
    v = _plain(_t(x)).astype(np.int64)
    if v.size and v.min() < 0:
        raise ValueError("`x` must contain non-negative integers.")
    length = builtins.max(int(v.max()) + 1 if v.size else 0, int(minlength))
    if weights is None:
        w, dt = None, "int32"
    else:
        w = _t(weights)
        dt = _dtype_of(w).name
        if dt == "bool" or dt in ("int8", "int16", "uint8", "uint16"):
            dt = "int32"
    rows = v.reshape(-1, v.shape[-1]) if v.ndim > 1 else v.reshape(1, -1)
    if w is None:
        out = np.stack([np.bincount(r, minlength=length) for r in rows]).astype(dt)
        return out if v.ndim > 1 else out[0]
    # Weighted: a one-hot matrix product, differentiable in `weights`.
    onehot = (rows[..., None] == np.arange(length)).astype(dt)
    wr = anp.reshape(cast(w, dt), np.shape(rows))
    out = anp.einsum("rn,rnk->rk", wr, onehot) if dt[0] == "f" else np.einsum(
        "rn,rnk->rk", _plain(wr), onehot).astype(dt)
    return out if v.ndim > 1 else out[0]


def histogram(x, bins=10, range=None):
    """Counts of `x` in `bins` equal bins over `range` (min to max by default).

    Returns `(counts, bin_edges)`.
    """
    v = _plain(_t(x))
    if v.ndim != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: input.shape={v.shape}")
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"Argument `bins` must be a positive integer. Received: bins={bins}")
    if range is not None and (len(range) != 2 or range[0] > range[1]):
        raise ValueError(f"Invalid value for argument `range`. Received: range={range}")
    counts, edges = np.histogram(v, bins=bins, range=range)
    dt = v.dtype if v.dtype.kind == "f" else np.dtype(config.floatx())
    return counts.astype(dt), edges.astype(dt)


def digitize(x, bins):
    """Index of the bin of `bins` (increasing) each element falls in."""
    v = _plain(_t(x))
    return np.digitize(v, np.asarray(bins, dtype=np.float64)).astype("int32")


def searchsorted(sorted_sequence, values, side="left"):
    """Insertion points of `values` into the 1-D `sorted_sequence`."""
    s = _plain(_t(sorted_sequence))
    if s.ndim != 1:
        raise ValueError(
            "`searchsorted` only supports 1-D sorted sequences. You can use "
            "`keras.ops.vectorized_map` to extend it to N-D sequences. Received: "
            f"sorted_sequence.shape={s.shape}")
    return np.searchsorted(s, _plain(_t(values)), side=side).astype("int32")


def unique(x, sorted=True, return_index=False, return_inverse=False,
           return_counts=False, axis=None, size=None, fill_value=None):
    """The distinct values of `x` (sorted), optionally with first indices,
    inverse indices and counts; `size` pads or truncates the result."""
    v = _plain(_t(x))
    res = np.unique(v, return_index=True, return_inverse=True, return_counts=True, axis=axis)
    vals, index, inverse, counts = res
    if not sorted:
        order = np.argsort(index, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        vals = np.take(vals, order, axis=0 if axis is None else axis)
        index, counts, inverse = index[order], counts[order], rank[inverse]
    if size is not None:
        n = vals.shape[0 if axis is None else axis]
        if n >= size:
            sl = [builtins.slice(None)] * vals.ndim
            sl[0 if axis is None else axis] = builtins.slice(0, size)
            vals, index, counts = vals[tuple(sl)], index[:size], counts[:size]
        else:
            fill = vals.min() if fill_value is None and vals.size else (fill_value or 0)
            pad = [(0, 0)] * vals.ndim
            pad[0 if axis is None else axis] = (0, size - n)
            vals = np.pad(vals, pad, constant_values=fill)
            index = np.pad(index, (0, size - n))
            counts = np.pad(counts, (0, size - n))
    out = [vals]
    if return_index:
        out.append(index.astype("int32"))
    if return_inverse:
        inv = inverse.reshape(v.shape) if axis is None else inverse.reshape(-1)
        out.append(inv.astype("int32"))
    if return_counts:
        out.append(counts.astype("int32"))
    return out[0] if len(out) == 1 else tuple(out)


def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x` (variables)."""
    x = _float_of(x)
    if np.ndim(_plain(x)) == 1:
        x = anp.reshape(x, (1, -1))
    xc = x - _mean(x, axis=1, keepdims=True)
    cov = anp.dot(xc, anp.transpose(xc))
    d = anp.sqrt(OP.diagonal(cov, 0, 0, 1))
    out = cov / anp.reshape(d, (-1, 1)) / anp.reshape(d, (1, -1))
    out = anp.clip(out, -1.0, 1.0)
    return out[0, 0] if np.shape(_plain(out)) == (1, 1) else out
