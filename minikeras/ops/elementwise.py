"""Elementwise keras.ops: unary and binary math, comparisons, logic, bits.

Differentiable ops go through `autograd.numpy`; rounding, comparisons and
bit operations are computed on plain values (their gradient is zero, as in
Keras). Integer inputs to floating-point functions become `floatx()`.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _pair, _t, _v, _dtype_of, cast


def _plain(x):
    return np.asarray(getval(x))


# ----- unary, dtype kept -----------------------------------------------------
def abs(x):
    """Absolute value, elementwise."""
    x = _t(x)
    return x if _dtype_of(x).kind in "bu" else anp.abs(x)


absolute = abs


def fabs(x):
    """Absolute value as a float array."""
    return anp.abs(_f(x))


def negative(x):
    """Numerical negative, elementwise."""
    return anp.negative(_t(x))


def square(x):
    """`x * x`, elementwise (booleans become int32)."""
    x = _t(x)
    if _dtype_of(x).kind == "b":
        x = cast(x, "int32")
    return anp.square(x)


def sign(x):
    """-1, 0 or 1 by the sign of `x` (no gradient)."""
    x = _plain(_t(x))
    if x.dtype.kind == "u":
        return (x > 0).astype(x.dtype)
    return np.sign(x)


def conjugate(x):
    """Complex conjugate, elementwise."""
    return anp.conj(_t(x))


conj = conjugate


def real(x):
    """Real part, elementwise."""
    return anp.real(_t(x))


def imag(x):
    """Imaginary part, elementwise."""
    return anp.imag(_t(x))


def angle(x):
    """Argument of complex `x` (of real `x`: 0 or pi), as floats."""
    x = _t(x)
    if _dtype_of(x).kind not in "fc":
        x = cast(x, config.floatx())
    if _dtype_of(x).kind == "f":
        return anp.arctan2(anp.zeros_like(x), x)
    return anp.angle(x)


def copy(x):
    """A copy of `x`."""
    x = _t(x)
    return x * 1 if not isinstance(x, np.ndarray) else np.array(x)


# ----- unary, floating point ---------------------------------------------------
def _float_unary(fn, doc):
    def op(x):
        return fn(_f(x))
    op.__doc__ = doc
    return op


exp = _float_unary(anp.exp, "`e ** x`, elementwise.")
expm1 = _float_unary(anp.expm1, "`exp(x) - 1`, accurate near 0.")
log = _float_unary(anp.log, "Natural logarithm, elementwise.")
log1p = _float_unary(anp.log1p, "`log(1 + x)`, accurate near 0.")
sqrt = _float_unary(anp.sqrt, "Non-negative square root, elementwise.")
sin = _float_unary(anp.sin, "Sine, elementwise.")
cos = _float_unary(anp.cos, "Cosine, elementwise.")
tan = _float_unary(anp.tan, "Tangent, elementwise.")
arcsin = _float_unary(anp.arcsin, "Inverse sine, elementwise.")
arccos = _float_unary(anp.arccos, "Inverse cosine, elementwise.")
arctan = _float_unary(anp.arctan, "Inverse tangent, elementwise.")
sinh = _float_unary(anp.sinh, "Hyperbolic sine, elementwise.")
cosh = _float_unary(anp.cosh, "Hyperbolic cosine, elementwise.")
tanh = _float_unary(anp.tanh, "Hyperbolic tangent, elementwise.")
arcsinh = _float_unary(anp.arcsinh, "Inverse hyperbolic sine, elementwise.")
arccosh = _float_unary(anp.arccosh, "Inverse hyperbolic cosine, elementwise.")
arctanh = _float_unary(anp.arctanh, "Inverse hyperbolic tangent, elementwise.")
for _name in ("exp", "expm1", "log", "log1p", "sqrt", "sin",
              "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
              "arcsinh", "arccosh", "arctanh"):
    globals()[_name].__name__ = _name
    globals()[_name].__qualname__ = _name


def exp2(x):
    """`2 ** x`, elementwise."""
    x = _f(x)
    return anp.exp(x * np.asarray(np.log(2.0), _dtype_of(x)))


def log2(x):
    """Base-2 logarithm, elementwise."""
    x = _f(x)
    return anp.log(x) / np.asarray(np.log(2.0), _dtype_of(x))


def log10(x):
    """Base-10 logarithm, elementwise."""
    x = _f(x)
    return anp.log(x) / np.asarray(np.log(10.0), _dtype_of(x))


def deg2rad(x):
    """Degrees to radians."""
    return _f(x) * np.asarray(np.pi / 180.0, dtype=_dtype_of(_f(x)))


def rad2deg(x):
    """Radians to degrees."""
    return _f(x) * np.asarray(180.0 / np.pi, dtype=_dtype_of(_f(x)))


def cbrt(x):
    """Cube root, elementwise (negative inputs give negative roots)."""
    x = _f(x)
    return anp.sign(x) * anp.power(anp.abs(x), 1.0 / 3.0)


def reciprocal(x):
    """`1 / x`, elementwise."""
    x = _f(x)
    return 1.0 / x


def sinc(x):
    """`sin(pi x) / (pi x)`, with 1 at 0."""
    x = _f(x)
    xv = _plain(x)
    zero = xv == 0
    one = np.ones((), dtype=xv.dtype)
    pix = OP.where(zero, one, x) * np.asarray(np.pi, dtype=xv.dtype)
    return OP.where(zero, one, anp.sin(pix) / pix)


def i0(x):
    """Modified Bessel function of the first kind, order 0 (no gradient)."""
    x = _f(x)
    return np.i0(_plain(x)).astype(_dtype_of(x))


def floor(x):
    """Largest integer not above `x`, as floats (no gradient)."""
    return np.floor(_plain(_f(x)))


def ceil(x):
    """Smallest integer not below `x`, as floats (no gradient)."""
    return np.ceil(_plain(_f(x)))


def trunc(x):
    """`x` rounded toward zero (integers unchanged)."""
    x = _plain(_t(x))
    return x if x.dtype.kind in "biu" else np.trunc(x)


def round(x, decimals=0):
    """Round half to even to `decimals` places (no gradient)."""
    x = _plain(_t(x))
    if x.dtype.kind in "iu":
        if decimals >= 0:
            return x
        f = 10.0 ** decimals
        return (np.round(x.astype(config.floatx()) * f) / f).astype(x.dtype)
    return np.round(x, decimals).astype(x.dtype)


def _float_test(fn, x):
    """`fn(x)` for float/complex `x`; all False for other dtypes."""
    x = _plain(_t(x))
    return fn(x) if x.dtype.kind in "fc" else np.zeros(x.shape, dtype=bool)


def isnan(x):
    return _float_test(np.isnan, x)


def isinf(x):
    return _float_test(np.isinf, x)


def isfinite(x):
    return np.isfinite(_plain(_t(x)))


def isneginf(x):
    """True where `x` is negative infinity."""
    return np.isneginf(_plain(_f(x)))


def isposinf(x):
    """True where `x` is positive infinity."""
    return np.isposinf(_plain(_f(x)))


def isreal(x):
    """True where `x` has no imaginary part."""
    return np.isreal(_plain(_t(x)))


def signbit(x):
    """True where the sign bit is set (also for -0.0)."""
    x = _plain(_t(x))
    if x.dtype.kind == "b":
        return np.zeros(x.shape, dtype=bool)
    return np.signbit(x)


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """Replace NaN by `nan` and infinities by `posinf`/`neginf` (or the
    largest finite values)."""
    x = _t(x)
    dt = _dtype_of(x)
    if dt.kind not in "fc":
        return x
    xv = _plain(x)
    info = np.finfo(dt)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    out = OP.where(np.isnan(xv), np.asarray(nan, dt), x)
    out = OP.where(np.isposinf(xv), np.asarray(posinf, dt), out)
    return OP.where(np.isneginf(xv), np.asarray(neginf, dt), out)


# ----- binary arithmetic ---------------------------------------------------------------
def add(x1, x2):
    """`x1 + x2`, elementwise with broadcasting."""
    x1, x2 = _pair(x1, x2)
    return anp.add(x1, x2)


def subtract(x1, x2):
    """`x1 - x2`, elementwise with broadcasting."""
    x1, x2 = _pair(x1, x2)
    return anp.subtract(x1, x2)


def multiply(x1, x2):
    """`x1 * x2`, elementwise with broadcasting."""
    x1, x2 = _pair(x1, x2)
    return anp.multiply(x1, x2)


def _float_pair(x1, x2):
    def as_float(x):
        if not isinstance(x, (int, float)) and _dtype_of(x).kind not in "fc":
            return cast(x, config.floatx())
        return x
    x1, x2 = _pair(x1, x2)
    x1, x2 = as_float(x1), as_float(x2)
    if isinstance(x1, (int, float)) and isinstance(x2, (int, float)):
        x1 = _f(x1)
    return x1, x2


def divide(x1, x2):
    """`x1 / x2` as floats, elementwise."""
    x1, x2 = _float_pair(x1, x2)
    return anp.true_divide(x1, x2)


true_divide = divide


def divide_no_nan(x1, x2):
    """`x1 / x2`, with 0 where `x2 == 0`."""
    x1, x2 = _float_pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    zero = _plain(x2) == 0
    safe = OP.where(zero, np.asarray(1, _dtype_of(x2)), x2)
    return OP.where(zero, np.asarray(0, _dtype_of(x1)), x1 / safe)


def floor_divide(x1, x2):
    """`floor(x1 / x2)`, elementwise (no gradient)."""
    x1, x2 = _pair(x1, x2)
    return np.floor_divide(_plain(_t(x1)), _plain(x2) if not isinstance(x2, (int, float)) else x2)


def mod(x1, x2):
    """Remainder with the sign of `x2` (Python's `%`)."""
    x1, x2 = _pair(x1, x2)
    x1 = _t(x1)
    if _dtype_of(x1).kind == "b":
        x1 = cast(x1, "int32")
    return anp.mod(x1, x2)


def fmod(x1, x2):
    """Remainder with the sign of `x1` (C's `fmod`)."""
    x1, x2 = _pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    if _dtype_of(x1).kind == "b":
        x1, x2 = cast(x1, "int32"), cast(x2, "int32")
    if _dtype_of(x1).kind in "iu":
        return np.fmod(_plain(x1), _plain(x2))
    # x1 - x2 * trunc(x1 / x2): differentiable in both arguments
    q = np.trunc(_plain(x1) / _plain(x2))
    return x1 - x2 * q


def power(x1, x2):
    """`x1 ** x2`, elementwise."""
    x1, x2 = _pair(x1, x2)
    return anp.power(x1, x2)


def _extremum(differentiable, plain, x1, x2):
    """`differentiable(x1, x2)` for floats; integers need no gradient."""
    x1, x2 = _pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    return differentiable(x1, x2) if _dtype_of(x1).kind in "fc" else plain(_plain(x1), _plain(x2))


def maximum(x1, x2):
    """Elementwise maximum (NaN propagates)."""
    return _extremum(OP.maximum, np.maximum, x1, x2)


def minimum(x1, x2):
    """Elementwise minimum (NaN propagates)."""
    return _extremum(OP.minimum, np.minimum, x1, x2)


def _nan_ignoring_pick(keep_first, x1, x2):
    """`x1` where `keep_first(x1, x2)` holds or `x2` is NaN, else `x2`."""
    x1, x2 = _pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    a, b = _plain(x1), _plain(x2)
    return OP.where(np.isnan(b) | keep_first(a, b), x1, x2)


def fmax(x1, x2):
    """Elementwise maximum ignoring NaN."""
    return _nan_ignoring_pick(np.greater_equal, x1, x2)


def fmin(x1, x2):
    """Elementwise minimum ignoring NaN."""
    return _nan_ignoring_pick(np.less_equal, x1, x2)


def logaddexp(x1, x2):
    """`log(exp(x1) + exp(x2))` without overflow."""
    x1, x2 = _float_pair(x1, x2)
    return anp.logaddexp(x1, x2)


def logaddexp2(x1, x2):
    """`log2(2 ** x1 + 2 ** x2)` without overflow."""
    x1, x2 = _float_pair(x1, x2)
    return anp.logaddexp2(x1, x2)


def arctan2(x1, x2):
    """Angle of the point `(x2, x1)`, in radians."""
    x1, x2 = _float_pair(x1, x2)
    return anp.arctan2(x1, x2)


def hypot(x1, x2):
    """`sqrt(x1 ** 2 + x2 ** 2)`, elementwise."""
    x1, x2 = _float_pair(x1, x2)
    return anp.hypot(x1, x2)


def heaviside(x1, x2):
    """0 where `x1 < 0`, 1 where `x1 > 0`, `x2` where `x1 == 0`."""
    x1, x2 = _float_pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    v = _plain(x1)
    dt = _dtype_of(x1)
    return OP.where(v < 0, np.asarray(0, dt), OP.where(v > 0, np.asarray(1, dt), x2))


def ldexp(x1, x2):
    """`x1 * 2 ** x2` for integer `x2`."""
    x2v = _plain(_t(x2))
    if x2v.dtype.kind not in "iu":
        raise TypeError(f"ldexp exponent must be an integer type. Received: x2 dtype={x2v.dtype}")
    x1 = _f(x1)
    return x1 * np.power(np.asarray(2.0, _dtype_of(x1)), x2v.astype(_dtype_of(x1)))


def nextafter(x1, x2):
    """The next representable float after `x1` toward `x2`."""
    x1, x2 = _float_pair(x1, x2)
    a, b = _plain(_t(x1)), _plain(_t(x2))
    dt = np.result_type(a, b)
    return np.nextafter(a.astype(np.float64), b.astype(np.float64)).astype(dt)


def _integer_binary(fn, x1, x2):
    x1, x2 = _pair(x1, x2)
    a, b = _plain(_t(x1)), _plain(_t(x2))
    if a.dtype.kind not in "iub":
        raise TypeError(f"Arguments to {fn.__name__} must be integers.")
    return fn(a, b)


def gcd(x1, x2):
    """Greatest common divisor of integers."""
    return _integer_binary(np.gcd, x1, x2)


def lcm(x1, x2):
    """Least common multiple of integers."""
    return _integer_binary(np.lcm, x1, x2)


# ----- comparisons and logic (boolean results, no gradient) ---------------------------
def _cmp(fn, x1, x2):
    x1, x2 = _pair(x1, x2)
    return fn(_plain(_t(x1)), _plain(_t(x2)))


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
    return np.logical_and(_plain(_t(x1)), _plain(_t(x2)))


def logical_or(x1, x2):
    return np.logical_or(_plain(_t(x1)), _plain(_t(x2)))


def logical_xor(x1, x2):
    return np.logical_xor(_plain(_t(x1)), _plain(_t(x2)))


def logical_not(x):
    return np.logical_not(_plain(_t(x)))


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _pair(x1, x2)
    return np.isclose(_plain(_t(x1)), _plain(_t(x2)), rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _pair(x1, x2)
    return bool(np.allclose(_plain(_t(x1)), _plain(_t(x2)), rtol=rtol, atol=atol,
                            equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    """True where an element of `x1` occurs in `x2`."""
    x1, x2 = _pair(x1, x2)
    return np.isin(_plain(_t(x1)), _plain(_t(x2)), assume_unique=assume_unique, invert=invert)


# ----- bitwise (integers and booleans) -------------------------------------------------------
def _ints(x, y=None):
    def checked(v):
        v = _plain(_t(v))
        if v.dtype.kind not in "biu":
            raise TypeError(f"Bitwise ops need integer or boolean inputs. Received: {v.dtype}")
        return v
    if y is None:
        return checked(x)
    return tuple(checked(v) for v in _pair(x, y))


def bitwise_and(x, y):
    return np.bitwise_and(*_ints(x, y))


def bitwise_or(x, y):
    return np.bitwise_or(*_ints(x, y))


def bitwise_xor(x, y):
    return np.bitwise_xor(*_ints(x, y))


def bitwise_invert(x):
    return np.invert(_ints(x))


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    return np.left_shift(*_ints(x, y))


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    return np.right_shift(*_ints(x, y))


right_shift = bitwise_right_shift


# ----- clip and where -----------------------------------------------------------
def clip(x, x_min, x_max):
    """Limit `x` to `[x_min, x_max]`; gradient flows where not clipped."""
    x = _t(x)
    if _dtype_of(x).kind == "b":
        x = cast(x, "int32")
    dt = _dtype_of(x)
    lo = np.asarray(getval(_v(x_min))).astype(dt)
    hi = np.asarray(getval(_v(x_max))).astype(dt)
    if dt.kind not in "fc":
        return np.clip(_plain(x), lo, hi)
    # Gradient passes where lo <= x <= hi (boundaries included), as in TF.
    xv = _plain(x)
    clipped = np.clip(xv, lo, hi)
    return OP.where((xv >= lo) & (xv <= hi), x, clipped)


def where(condition, x1=None, x2=None):
    """`x1` where `condition` holds, else `x2`; with one argument, the
    indices of the non-zero elements (as `nonzero`)."""
    c = _plain(_t(condition))
    if x1 is None and x2 is None:
        return tuple(i.astype("int32") for i in np.nonzero(c))
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` or both should have non-None value.")
    x1, x2 = _pair(x1, x2)
    x1, x2 = _t(x1), _t(x2)
    return OP.where(c.astype(bool), x1, x2)


def select(condlist, choicelist, default=0):
    """Elements of `choicelist[i]` where `condlist[i]` is the first true
    condition, else `default`."""
    if len(condlist) != len(choicelist):
        raise ValueError(
            "condlist and choicelist must have the same length. Received: "
            f"len(condlist)={len(condlist)}, len(choicelist)={len(choicelist)}")
    if not condlist:
        raise ValueError("condlist must be non-empty.")
    choices = [_t(c) for c in choicelist]
    out = _t(default)
    for c, ch in zip(reversed(condlist), reversed(choices)):
        a, b = _pair(ch, out)
        out = OP.where(_plain(_t(c)).astype(bool), _t(a), _t(b))
    return out
