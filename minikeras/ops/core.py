"""Conversions and graph-control ops shared by the other ops modules."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import isbox, getval

from minikeras.backend import common, config, tape as _tape
from minikeras.backend.variables import Variable


def _v(x):
    """The value an op computes with: Variables read, watched arrays boxed."""
    if isinstance(x, Variable):
        return x.value
    if _tape._ACTIVE_TAPES and isinstance(x, np.ndarray):
        return _tape.lookup_watched_array(x)
    return x


def _t(x):
    """Like `_v`, and Python lists/scalars become arrays (floats as floatx)."""
    x = _v(x)
    if isbox(x) or isinstance(x, np.ndarray):
        return x
    if isinstance(x, (list, tuple)) and any(isbox(e) or isinstance(e, Variable) for e in _flat(x)):
        return anp.array([_t(e) for e in x])
    arr = np.asarray(x)
    if arr.dtype == np.float64 and not isinstance(x, np.generic):
        arr = arr.astype(config.floatx())
    return arr


def _flat(x):
    for e in x:
        if isinstance(e, (list, tuple)):
            yield from _flat(e)
        else:
            yield e


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Return `x` as an array (Python floats become `floatx()`)."""
    x = _t(x)
    if dtype is not None:
        x = cast(x, dtype)
    return x


def convert_to_numpy(x):
    """Return a plain numpy array (boxes and Variables stripped)."""
    if isinstance(x, Variable):
        return np.array(x.numpy())
    return np.asarray(getval(x))


def is_tensor(x):
    return isinstance(x, np.ndarray) or isbox(x)


def cast(x, dtype):
    """Cast `x` to `dtype`; differentiable between float types."""
    dtype = common.standardize_dtype(dtype)
    x = _t(x)
    if isbox(x):
        if np.dtype(dtype).kind == "f":
            return x.astype(dtype) if x.dtype != dtype else x
        return np.asarray(getval(x)).astype(dtype)
    return x.astype(dtype, copy=False)


def dtype(x):
    return common.standardize_dtype(np.asarray(getval(_v(x))).dtype)


def shape(x):
    """Static shape as a tuple of ints."""
    return tuple(np.shape(getval(_v(x))))


def stop_gradient(variable):
    """The value of `variable`, with no gradient flowing back through it."""
    return np.asarray(getval(_v(variable)))


def cond(pred, true_fn, false_fn):
    """Eager conditional: `true_fn()` if `pred` else `false_fn()`."""
    return true_fn() if bool(getval(_v(pred))) else false_fn()


def fori_loop(lower, upper, body_fun, init_val):
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    n = 0
    while bool(getval(cond(*state))):
        if maximum_iterations is not None and n >= maximum_iterations:
            break
        state = body(*state)
        state = tuple(state) if isinstance(state, (list, tuple)) else (state,)
        n += 1
    return state if is_tuple else state[0]
