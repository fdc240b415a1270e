"""Hot ops as autograd primitives with hand-written VJPs.

autograd's generic VJPs for `dot`/`matmul` go through `tensordot` with extra
transposes and copies; the ones here are the plain GEMMs a step needs. Each
VJP is written with `autograd.numpy` so that an outer trace can differentiate
it again (nested tapes).
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp


def _unbroadcast(g, shape):
    """Sum `g` down to `shape` (the reverse of numpy broadcasting)."""
    gshape = anp.shape(g)
    if tuple(gshape) == tuple(shape):
        return g
    extra = len(gshape) - len(shape)
    if extra > 0:
        g = anp.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and anp.shape(g)[i] != 1)
    if axes:
        g = anp.sum(g, axis=axes, keepdims=True)
    return g


# ----- dense: x @ w + b -------------------------------------------------------
@primitive
def dense(x, w, b):
    """`x @ w + b` over the last axis of `x` (`b` may be None)."""
    y = np.matmul(x, w)
    if b is not None:
        y += b
    return y


def _all_arrays(*values):
    """True when none of `values` is boxed by an outer trace (a nested tape).

    The VJPs then run on numpy directly, skipping autograd's wrapper on every
    call; with an outer trace they use `autograd.numpy` so it can record them.
    """
    for v in values:
        if type(v) is not np.ndarray:
            return False
    return True


def _dense_vjp_x(ans, x, w, b):
    def vjp(g):
        if _all_arrays(g, w):
            return np.matmul(g, w.T)
        return anp.matmul(g, anp.transpose(w))
    return vjp


def _dense_vjp_w(ans, x, w, b):
    def vjp(g):
        n = anp.shape(w)[0]
        if _all_arrays(g, x):
            return np.matmul(x.reshape(-1, n).T, g.reshape(-1, g.shape[-1]))
        x2 = anp.reshape(x, (-1, n))
        g2 = anp.reshape(g, (-1, anp.shape(g)[-1]))
        return anp.dot(anp.transpose(x2), g2)
    return vjp


def _dense_vjp_b(ans, x, w, b):
    def vjp(g):
        if _all_arrays(g):
            return g.reshape(-1, g.shape[-1]).sum(axis=0)
        return anp.sum(anp.reshape(g, (-1, anp.shape(g)[-1])), axis=0)
    return vjp


defvjp(dense, _dense_vjp_x, _dense_vjp_w, _dense_vjp_b)


# ----- matmul with numpy broadcasting --------------------------------------
@primitive
def matmul(a, b):
    return np.matmul(a, b)


def _swap(x):
    return anp.swapaxes(x, -1, -2)


def _matmul_vjp_a(ans, a, b):
    sa, sb = anp.shape(a), anp.shape(b)

    def vjp(g):
        if len(sb) == 1:
            if len(sa) == 1:
                return g * b
            return _unbroadcast(anp.expand_dims(g, -1) * b, sa)
        if len(sa) == 1:
            return _unbroadcast(anp.matmul(anp.expand_dims(g, -2), _swap(b))[..., 0, :], sa)
        return _unbroadcast(anp.matmul(g, _swap(b)), sa)
    return vjp


def _matmul_vjp_b(ans, a, b):
    sa, sb = anp.shape(a), anp.shape(b)

    def vjp(g):
        if len(sa) == 1:
            if len(sb) == 1:
                return g * a
            return _unbroadcast(anp.expand_dims(a, -1) * anp.expand_dims(g, -2), sb)
        if len(sb) == 1:
            return _unbroadcast(anp.matmul(_swap(a), anp.expand_dims(g, -1))[..., 0], sb)
        return _unbroadcast(anp.matmul(_swap(a), g), sb)
    return vjp


defvjp(matmul, _matmul_vjp_a, _matmul_vjp_b)


# ----- activations -------------------------------------------------------------
@primitive
def relu(x):
    return np.maximum(x, 0)


def _relu_vjp(ans, x):
    def vjp(g):
        if _all_arrays(g):
            return np.multiply(g, ans > 0)  # np.where is several times slower
        return g * (ans > 0)
    return vjp


defvjp(relu, _relu_vjp)


@primitive
def sigmoid(x):
    # exp(-|x|) never overflows. With exp(min(x, 0)) on top this is 1 / (1 + e)
    # for x >= 0 and e / (1 + e) below: the same numbers as selecting between
    # the two with np.where, which is several times slower here.
    x = np.asarray(x, dtype=np.result_type(x, np.float32))
    e = np.exp(-np.abs(x))
    e += 1
    return np.exp(np.minimum(x, 0)) / e


defvjp(sigmoid, lambda ans, x: lambda g: g * ans * (1 - ans))


@primitive
def softmax(x, axis=-1):
    # ufunc.reduce: what np.max/np.sum call, minus their Python-level wrapper.
    e = np.exp(x - np.maximum.reduce(x, axis=axis, keepdims=True))
    e /= np.add.reduce(e, axis=axis, keepdims=True)
    return e


def _softmax_vjp(ans, x, axis=-1):
    def vjp(g):
        if _all_arrays(g):
            return ans * (g - (g * ans).sum(axis=axis, keepdims=True))
        return ans * (g - anp.sum(g * ans, axis=axis, keepdims=True))
    return vjp


defvjp(softmax, _softmax_vjp)


@primitive
def log_softmax(x, axis=-1):
    s = x - np.maximum.reduce(x, axis=axis, keepdims=True)
    return s - np.log(np.add.reduce(np.exp(s), axis=axis, keepdims=True))


def _log_softmax_vjp(ans, x, axis=-1):
    return lambda g: g - anp.exp(ans) * anp.sum(g, axis=axis, keepdims=True)


defvjp(log_softmax, _log_softmax_vjp)


# ----- mean of all elements ------------------------------------------------------
@primitive
def mean_all(x):
    """`sum(x) / size(x)` in `x`'s dtype as one traced op; 0 when `x` is empty.

    The default loss reduction: one graph node instead of a sum and a divide.
    """
    n = np.size(x)
    if n == 0:
        return np.zeros((), dtype=x.dtype)
    return np.sum(x) / np.asarray(n, dtype=x.dtype)


def _mean_all_vjp(ans, x):
    shape, dtype = np.shape(x), x.dtype
    n = max(np.size(x), 1)

    def vjp(g):
        if _all_arrays(g) or type(g) is dtype.type:
            return np.full(shape, g / np.asarray(n, dtype), dtype=dtype)
        return anp.ones(shape, dtype=dtype) * (g / np.asarray(n, dtype))
    return vjp


defvjp(mean_all, _mean_all_vjp)


# ----- fused softmax cross-entropy -----------------------------------------------
@primitive
def softmax_cross_entropy(labels, logits, axis=-1):
    """`-sum(labels * log_softmax(logits), axis)`, one value per sample."""
    return -np.add.reduce(labels * log_softmax.fun(logits, axis), axis=axis)


def _sce_vjp_labels(ans, labels, logits, axis=-1):
    return lambda g: -anp.expand_dims(g, axis) * log_softmax(logits, axis)


def _sce_vjp_logits(ans, labels, logits, axis=-1):
    def vjp(g):
        if _all_arrays(g, labels, logits):
            p = softmax.fun(logits, axis)
            p *= labels.sum(axis=axis, keepdims=True)
            p -= labels
            p *= np.expand_dims(g, axis)
            return p
        p = softmax(logits, axis)
        total = anp.sum(labels, axis=axis, keepdims=True)
        return anp.expand_dims(g, axis) * (p * total - labels)
    return vjp


defvjp(softmax_cross_entropy, _sce_vjp_labels, _sce_vjp_logits)


@primitive
def sparse_softmax_cross_entropy(labels, logits):
    """Cross-entropy with integer class ids along the last axis of `logits`."""
    ls = log_softmax.fun(logits, -1)
    idx = labels.astype(np.intp)[..., None]
    return -np.take_along_axis(ls, idx, axis=-1)[..., 0]


def _ssce_vjp_logits(ans, labels, logits):
    def vjp(g):
        p = softmax(logits, -1)
        onehot = np.zeros(np.shape(logits), dtype=np.asarray(p if not hasattr(p, "_value") else p._value).dtype)
        np.put_along_axis(onehot, np.asarray(labels).astype(np.intp)[..., None], 1, axis=-1)
        return anp.expand_dims(g, -1) * (p - onehot)
    return vjp


defvjp(sparse_softmax_cross_entropy, None, _ssce_vjp_logits)


# ----- logits behind softmax/sigmoid outputs -------------------------------------
# Keras's activations.softmax/sigmoid remember their input, and the
# TensorFlow backend's cross-entropies then compute from those logits (exact,
# no clipping). Arrays cannot carry attributes, so a small registry keyed by
# the output object does the same; it holds the last few outputs only.
_LOGITS = {}
_LOGITS_ORDER = []
_LOGITS_KEEP = 32


def remember_logits(output, logits):
    key = id(output)
    if key not in _LOGITS:
        _LOGITS_ORDER.append(key)
        if len(_LOGITS_ORDER) > _LOGITS_KEEP:
            _LOGITS.pop(_LOGITS_ORDER.pop(0), None)
    _LOGITS[key] = (output, logits)
    return output


def recall_logits(output):
    """The logits `output` was computed from by softmax/sigmoid, or None."""
    entry = _LOGITS.get(id(output))
    if entry is not None and entry[0] is output:
        return entry[1]
    return None


# ----- indexing ops autograd lacks VJPs for -----------------------------------------
@primitive
def take(x, indices, axis=None):
    return np.take(x, indices, axis=axis)


def _take_vjp(ans, x, indices, axis=None):
    shape, dtype = np.shape(x), np.asarray(x).dtype

    def vjp(g):
        g = np.asarray(g)
        out = np.zeros(shape, dtype=g.dtype if g.dtype.kind == "f" else dtype)
        if axis is None:
            np.add.at(out.reshape(-1), np.asarray(indices).reshape(-1),
                      g.reshape(-1))
            return out
        ax = axis % len(shape)
        idx = np.asarray(indices)
        moved = np.moveaxis(out, ax, 0)
        # g has x's axes before `ax`, then idx's axes, then the rest.
        gm = np.moveaxis(g.reshape(shape[:ax] + (idx.size,) + shape[ax + 1:]), ax, 0)
        np.add.at(moved, idx.reshape(-1), gm)
        return out
    return vjp


defvjp(take, _take_vjp)


@primitive
def take_along_axis(x, indices, axis):
    return np.take_along_axis(x, indices, axis=axis)


def _take_along_axis_vjp(ans, x, indices, axis):
    shape = np.shape(x)

    def vjp(g):
        g = np.asarray(g)
        out = np.zeros(shape, dtype=g.dtype)
        idx = np.asarray(indices)
        if axis is None:
            np.add.at(out.reshape(-1), idx.reshape(-1), g.reshape(-1))
            return out
        ax = axis % len(shape)
        grid = list(np.indices(idx.shape, sparse=True))
        grid[ax] = idx
        np.add.at(out, tuple(grid), g)
        return out
    return vjp


defvjp(take_along_axis, _take_along_axis_vjp)


@primitive
def flip(x, axis=None):
    return np.flip(x, axis=axis)


defvjp(flip, lambda ans, x, axis=None: lambda g: flip(g, axis))
