"""Array creation ops of keras.ops: constants, ranges, grids and windows.

Default dtypes follow Keras: `floatx()` for float results, int32 for
integer ranges.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import common, config
from minikeras.ops.core import _t, _v, _dtype_of, convert_to_tensor


def _dt(dtype):
    return common.standardize_dtype(dtype)


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(getval(_v(s))) for s in shape)


def _like(x):
    return np.asarray(getval(_v(x)))


def zeros(shape, dtype=None):
    """Array of zeros (`floatx()` by default)."""
    return np.zeros(_shape(shape), dtype=_dt(dtype))


def ones(shape, dtype=None):
    """Array of ones (`floatx()` by default)."""
    return np.ones(_shape(shape), dtype=_dt(dtype))


def empty(shape, dtype=None):
    """Array of the given shape (filled with zeros)."""
    return np.zeros(_shape(shape), dtype=_dt(dtype))


def full(shape, fill_value, dtype=None):
    """Array filled with `fill_value` (dtype inferred from it if not given)."""
    value = np.asarray(getval(_v(fill_value)))
    if dtype is None:
        dtype = _dtype_of(_t(fill_value)).name
    return np.full(_shape(shape), value, dtype=_dt(dtype))


def zeros_like(x, dtype=None):
    """Zeros with the shape (and dtype) of `x`."""
    x = _like(x)
    return np.zeros(x.shape, dtype=_dt(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    """Ones with the shape (and dtype) of `x`."""
    x = _like(x)
    return np.ones(x.shape, dtype=_dt(dtype) if dtype else x.dtype)


def empty_like(x, dtype=None):
    """An array with the shape (and dtype) of `x` (filled with zeros)."""
    return zeros_like(x, dtype=dtype)


def full_like(x, fill_value, dtype=None):
    """`fill_value` with the shape (and dtype) of `x`."""
    x = _like(x)
    return np.full(x.shape, np.asarray(getval(_v(fill_value))),
                   dtype=_dt(dtype) if dtype else x.dtype)


def eye(N, M=None, k=0, dtype=None):
    """2-D array with ones on the `k`-th diagonal."""
    return np.eye(int(N), None if M is None else int(M), k=int(k), dtype=_dt(dtype))


def identity(n, dtype=None):
    """Square identity matrix."""
    return np.identity(int(n), dtype=_dt(dtype))


def tri(N, M=None, k=0, dtype=None):
    """Ones at and below the `k`-th diagonal, zeros elsewhere."""
    return np.tri(int(N), None if M is None else int(M), k=int(k), dtype=_dt(dtype))


def _scalar_dtype(*vals):
    dts = []
    for v in vals:
        if v is None:
            continue
        v = getval(_v(v))
        if isinstance(v, bool):
            dts.append("bool")
        elif isinstance(v, int):
            dts.append("int32")
        elif isinstance(v, float):
            dts.append(config.floatx())
        else:
            dts.append(np.asarray(v).dtype.name)
    from minikeras.ops.core import _result_dtype
    return _result_dtype(*dts) if dts else config.floatx()


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in `[start, stop)` (int32 for integer bounds)."""
    if dtype is None:
        dtype = _scalar_dtype(start, stop, step)
    start = getval(_v(start))
    stop = getval(_v(stop)) if stop is not None else None
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else getval(_v(step))
    return np.arange(start, stop, step).astype(_dt(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`."""
    if num < 0:
        raise ValueError(f"`num` must be a non-negative integer. Received: num={num}")
    if dtype is None:
        dtype = _scalar_dtype(start, stop, 1.0)
    out = np.linspace(np.asarray(getval(_v(start)), np.float64),
                      np.asarray(getval(_v(stop)), np.float64), int(num),
                      endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        return out[0].astype(_dt(dtype)), np.asarray(out[1]).astype(_dt(dtype))
    return out.astype(_dt(dtype))


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`base ** linspace(start, stop, num)`."""
    if dtype is None:
        dtype = _scalar_dtype(start, stop, 1.0)
    out = np.logspace(np.asarray(getval(_v(start)), np.float64),
                      np.asarray(getval(_v(stop)), np.float64), int(num),
                      endpoint=endpoint, base=base, axis=axis)
    return out.astype(_dt(dtype))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` values spaced evenly on a log scale from `start` to `stop`."""
    if dtype is None:
        dtype = _scalar_dtype(start, stop, 1.0)
    out = np.geomspace(np.asarray(getval(_v(start)), np.float64),
                       np.asarray(getval(_v(stop)), np.float64), int(num),
                       endpoint=endpoint, axis=axis)
    return out.astype(_dt(dtype))


def array(x, dtype=None):
    """`x` as an array (Python floats become `floatx()`)."""
    return convert_to_tensor(x, dtype=dtype)


def vander(x, N=None, increasing=False):
    """Vandermonde matrix: columns are powers of 1-D `x`."""
    x = _t(x)
    if np.ndim(getval(x)) != 1:
        raise ValueError(f"Input tensor must be 1-dimensional. Received: x.shape={np.shape(getval(x))}")
    n = np.shape(getval(x))[0] if N is None else int(N)
    if n < 0:
        raise ValueError(f"Argument 'N' must be nonnegative. Received: N={N}")
    powers = np.arange(n) if increasing else np.arange(n - 1, -1, -1)
    dt = _dtype_of(x)
    if dt.kind in "fc":
        return anp.power(anp.expand_dims(x, -1), powers.astype(dt))
    return np.power(np.asarray(getval(x))[:, None], powers).astype(dt)


# ----- windows (functions of an integer length) -------------------------------------
def _window(fn, x):
    m = int(np.asarray(getval(_v(x))))
    return fn(m).astype(config.floatx())


def bartlett(x):
    """Bartlett (triangular) window of length `x`."""
    return _window(np.bartlett, x)


def blackman(x):
    """Blackman window of length `x`."""
    return _window(np.blackman, x)


def hamming(x):
    """Hamming window of length `x`."""
    return _window(np.hamming, x)


def hanning(x):
    """Hann window of length `x`."""
    return _window(np.hanning, x)


def kaiser(x, beta):
    """Kaiser window of length `x` with shape parameter `beta`."""
    m = int(np.asarray(getval(_v(x))))
    return np.kaiser(m, float(beta)).astype(config.floatx())
