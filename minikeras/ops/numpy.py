"""keras.ops numpy-style functions: differentiable through autograd.

Every function accepts arrays, Python numbers and Variables, and keeps float32
inputs float32.
"""
import builtins

import numpy as np
import autograd.numpy as anp
from autograd.tracer import isbox, getval

from minikeras.backend import common, config
from minikeras.backend import primitives as P
from minikeras.ops.core import _t, _v, cast


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


# ----- elementwise unary -------------------------------------------------------
def abs(x):
    return anp.abs(_t(x))


absolute = abs


def negative(x):
    return anp.negative(_t(x))


def exp(x):
    return anp.exp(_t(x))


def expm1(x):
    return anp.expm1(_t(x))


def log(x):
    return anp.log(_t(x))


def log1p(x):
    return anp.log1p(_t(x))


def log2(x):
    return anp.log2(_t(x))


def log10(x):
    return anp.log10(_t(x))


def sqrt(x):
    return anp.sqrt(_t(x))


def rsqrt(x):
    return 1.0 / anp.sqrt(_t(x))


def square(x):
    return anp.square(_t(x))


def sign(x):
    return anp.sign(_t(x))


def sin(x):
    return anp.sin(_t(x))


def cos(x):
    return anp.cos(_t(x))


def tan(x):
    return anp.tan(_t(x))


def tanh(x):
    return anp.tanh(_t(x))


def sinh(x):
    return anp.sinh(_t(x))


def cosh(x):
    return anp.cosh(_t(x))


def arctan(x):
    return anp.arctan(_t(x))


def floor(x):
    return np.floor(getval(_t(x)))


def ceil(x):
    return np.ceil(getval(_t(x)))


def round(x, decimals=0):
    return np.round(getval(_t(x)), decimals)


def reciprocal(x):
    return 1.0 / _t(x)


def isnan(x):
    return np.isnan(getval(_t(x)))


def isinf(x):
    return np.isinf(getval(_t(x)))


def isfinite(x):
    return np.isfinite(getval(_t(x)))


def logical_not(x):
    return np.logical_not(getval(_t(x)))


def copy(x):
    return _t(x) * 1 if isbox(_t(x)) else np.array(_t(x))


# ----- elementwise binary ------------------------------------------------------
def add(x1, x2):
    return anp.add(_t(x1), _t(x2))


def subtract(x1, x2):
    return anp.subtract(_t(x1), _t(x2))


def multiply(x1, x2):
    return anp.multiply(_t(x1), _t(x2))


def divide(x1, x2):
    return anp.true_divide(_t(x1), _t(x2))


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    safe = anp.where(getval(x2) == 0, 1, x2)
    return anp.where(getval(x2) == 0, 0, x1 / safe)


def floor_divide(x1, x2):
    return np.floor_divide(getval(_t(x1)), getval(_t(x2)))


def mod(x1, x2):
    return anp.mod(_t(x1), _t(x2))


def power(x1, x2):
    return anp.power(_t(x1), _t(x2))


def maximum(x1, x2):
    return anp.maximum(_t(x1), _t(x2))


def minimum(x1, x2):
    return anp.minimum(_t(x1), _t(x2))


def logaddexp(x1, x2):
    return anp.logaddexp(_t(x1), _t(x2))


def arctan2(x1, x2):
    return anp.arctan2(_t(x1), _t(x2))


def _cmp(fn, x1, x2):
    return fn(getval(_t(x1)), getval(_t(x2)))


def equal(x1, x2):
    return _cmp(np.equal, x1, x2)


def not_equal(x1, x2):
    return _cmp(np.not_equal, x1, x2)


def less(x1, x2):
    return _cmp(np.less, x1, x2)


def less_equal(x1, x2):
    return _cmp(np.less_equal, x1, x2)


def greater(x1, x2):
    return _cmp(np.greater, x1, x2)


def greater_equal(x1, x2):
    return _cmp(np.greater_equal, x1, x2)


def logical_and(x1, x2):
    return _cmp(np.logical_and, x1, x2)


def logical_or(x1, x2):
    return _cmp(np.logical_or, x1, x2)


def logical_xor(x1, x2):
    return _cmp(np.logical_xor, x1, x2)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return np.isclose(getval(_t(x1)), getval(_t(x2)), rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.allclose(getval(_t(x1)), getval(_t(x2)), rtol=rtol, atol=atol, equal_nan=equal_nan))


def clip(x, x_min, x_max):
    return anp.clip(_t(x), getval(_v(x_min)), getval(_v(x_max)))


def where(condition, x1=None, x2=None):
    c = getval(_t(condition))
    if x1 is None and x2 is None:
        return np.nonzero(c)
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` must either both be set or both be None.")
    return anp.where(c, _t(x1), _t(x2))


# ----- reductions ----------------------------------------------------------
def sum(x, axis=None, keepdims=False):
    return anp.sum(_t(x), axis=_axis(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    x = _t(x)
    if not np.issubdtype(np.asarray(getval(x)).dtype, np.floating):
        x = cast(x, config.floatx())
    return anp.mean(x, axis=_axis(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    if initial is not None:
        return anp.maximum(anp.max(x, axis=_axis(axis), keepdims=keepdims), initial)
    return anp.max(x, axis=_axis(axis), keepdims=keepdims)


amax = max


def min(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    if initial is not None:
        return anp.minimum(anp.min(x, axis=_axis(axis), keepdims=keepdims), initial)
    return anp.min(x, axis=_axis(axis), keepdims=keepdims)


amin = min


def prod(x, axis=None, keepdims=False, dtype=None):
    out = anp.prod(_t(x), axis=_axis(axis), keepdims=keepdims)
    return cast(out, dtype) if dtype is not None else out


def var(x, axis=None, keepdims=False):
    x = _t(x)
    m = anp.mean(x, axis=_axis(axis), keepdims=True)
    return anp.mean(anp.square(x - m), axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return anp.sqrt(var(x, axis=axis, keepdims=keepdims))


def logsumexp(x, axis=None, keepdims=False):
    x = _t(x)
    m = np.max(getval(x), axis=_axis(axis), keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = anp.log(anp.sum(anp.exp(x - m), axis=_axis(axis), keepdims=True)) + m
    return out if keepdims else anp.squeeze(out, axis=_axis(axis)) if axis is not None else anp.reshape(out, ())


def argmax(x, axis=None, keepdims=False):
    return np.argmax(getval(_t(x)), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return np.argmin(getval(_t(x)), axis=axis, keepdims=keepdims).astype("int32")


def argsort(x, axis=-1):
    return np.argsort(getval(_t(x)), axis=axis).astype("int32")


def sort(x, axis=-1):
    x = _t(x)
    idx = np.argsort(getval(x), axis=axis)
    return P.take_along_axis(x, idx, axis)


def all(x, axis=None, keepdims=False):
    return np.all(getval(_t(x)), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return np.any(getval(_t(x)), axis=_axis(axis), keepdims=keepdims)


def count_nonzero(x, axis=None):
    return np.count_nonzero(getval(_t(x)), axis=_axis(axis)).astype("int32")


def cumsum(x, axis=None, dtype=None):
    out = anp.cumsum(_t(x), axis=axis)
    return cast(out, dtype) if dtype is not None else out


# ----- linear algebra ----------------------------------------------------------
def matmul(x1, x2):
    """Matrix product with numpy broadcasting; hand-written VJP."""
    return P.matmul(_t(x1), _t(x2))


def dot(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    if anp.ndim(x1) <= 2 and anp.ndim(x2) <= 2 and anp.ndim(x1) >= 1 and anp.ndim(x2) >= 1:
        return P.matmul(x1, x2)
    return anp.dot(x1, x2)


def tensordot(x1, x2, axes=2):
    return anp.tensordot(_t(x1), _t(x2), axes=axes)


def einsum(subscripts, *operands, **kwargs):
    return anp.einsum(subscripts, *[_t(o) for o in operands], **kwargs)


def outer(x1, x2):
    return anp.outer(_t(x1), _t(x2))


# ----- shape manipulation ------------------------------------------------------
def reshape(x, newshape):
    return anp.reshape(_t(x), newshape)


def transpose(x, axes=None):
    return anp.transpose(_t(x), axes)


def expand_dims(x, axis):
    x = _t(x)
    if isinstance(axis, (list, tuple)):
        for a in sorted(axis):
            x = anp.expand_dims(x, a)
        return x
    return anp.expand_dims(x, axis)


def squeeze(x, axis=None):
    return anp.squeeze(_t(x), axis=_axis(axis))


def concatenate(xs, axis=0):
    return anp.concatenate([_t(x) for x in xs], axis=axis)


def stack(x, axis=0):
    return anp.stack([_t(e) for e in x], axis=axis)


def split(x, indices_or_sections, axis=0):
    return anp.split(_t(x), indices_or_sections, axis=axis)


def unstack(x, num=None, axis=0):
    x = _t(x)
    n = anp.shape(x)[axis]
    return [anp.squeeze(s, axis=axis) for s in anp.split(x, n, axis=axis)]


def tile(x, repeats):
    return anp.tile(_t(x), repeats)


def repeat(x, repeats, axis=None):
    return anp.repeat(_t(x), repeats, axis=axis)


def flip(x, axis=None):
    return P.flip(_t(x), axis=axis)


def swapaxes(x, axis1, axis2):
    return anp.swapaxes(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    return anp.moveaxis(_t(x), source, destination)


def ravel(x):
    return anp.ravel(_t(x))


def broadcast_to(x, shape):
    return anp.broadcast_to(_t(x), tuple(shape))


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    if constant_values is not None and mode != "constant":
        raise ValueError("`constant_values` can only be set with mode='constant'.")
    if mode == "constant" and constant_values not in (None, 0):
        return anp.pad(x, pad_width, mode="constant", constant_values=constant_values)
    return anp.pad(x, pad_width, mode=mode)


def take(x, indices, axis=None):
    return P.take(_t(x), np.asarray(getval(_v(indices))).astype(np.intp), axis=axis)


def take_along_axis(x, indices, axis=None):
    return P.take_along_axis(_t(x), np.asarray(getval(_v(indices))).astype(np.intp), axis)


def get_item(x, key):
    return _t(x)[key]


def ndim(x):
    return np.ndim(getval(_v(x)))


def size(x):
    return int(np.size(getval(_v(x))))


# ----- creation ------------------------------------------------------------
def _dt(dtype):
    return common.standardize_dtype(dtype)


def zeros(shape, dtype=None):
    return np.zeros(shape, dtype=_dt(dtype))


def ones(shape, dtype=None):
    return np.ones(shape, dtype=_dt(dtype))


def full(shape, fill_value, dtype=None):
    return np.full(shape, getval(_v(fill_value)), dtype=_dt(dtype))


def zeros_like(x, dtype=None):
    x = np.asarray(getval(_v(x)))
    return np.zeros_like(x, dtype=_dt(dtype) if dtype else None)


def ones_like(x, dtype=None):
    x = np.asarray(getval(_v(x)))
    return np.ones_like(x, dtype=_dt(dtype) if dtype else None)


def full_like(x, fill_value, dtype=None):
    x = np.asarray(getval(_v(x)))
    return np.full_like(x, fill_value, dtype=_dt(dtype) if dtype else None)


def eye(N, M=None, k=0, dtype=None):
    return np.eye(N, M, k=k, dtype=_dt(dtype))


def identity(n, dtype=None):
    return np.identity(n, dtype=_dt(dtype))


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        vals = [v for v in (start, stop, step) if v is not None]
        dtype = "float32" if builtins.any(isinstance(v, float) for v in vals) else "int32"
    if stop is None:
        start, stop = 0, start
    return np.arange(start, stop, 1 if step is None else step, dtype=_dt(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    return np.linspace(start, stop, num, endpoint=endpoint, retstep=retstep,
                       dtype=_dt(dtype), axis=axis)


def array(x, dtype=None):
    from minikeras.ops.core import convert_to_tensor
    return convert_to_tensor(x, dtype=dtype)


__all__ = [_n for _n, _o in list(globals().items())
           if not _n.startswith("_") and callable(_o)
           and getattr(_o, "__module__", None) == __name__]
