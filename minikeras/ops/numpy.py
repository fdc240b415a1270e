"""keras.ops.numpy: the numpy-style functions of keras.ops.

They are defined by kind in `elementwise.py`, `reductions.py`,
`array_ops.py`, `products.py` and `creation.py` (plus `vectorize` from
`core.py` and `slogdet` from `linalg.py`) and gathered here.
"""
from minikeras.ops.elementwise import (  # noqa: F401
    abs, absolute, add, allclose, angle, arccos, arccosh, arcsin, arcsinh, arctan, arctan2,
    arctanh, bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_not, bitwise_or,
    bitwise_right_shift, bitwise_xor, cbrt, ceil, clip, conj, conjugate, copy, cos, cosh,
    deg2rad, divide, divide_no_nan, equal, exp, exp2, expm1, fabs, floor, floor_divide,
    fmax, fmin, fmod, gcd, greater, greater_equal, heaviside, hypot, i0, imag, isclose,
    isfinite, isin, isinf, isnan, isneginf, isposinf, isreal, lcm, ldexp, left_shift, less,
    less_equal, log, log10, log1p, log2, logaddexp, logaddexp2, logical_and, logical_not,
    logical_or, logical_xor, maximum, minimum, mod, multiply, nan_to_num, negative,
    nextafter, not_equal, power, rad2deg, real, reciprocal, right_shift, round, select,
    sign, signbit, sin, sinc, sinh, sqrt, square, subtract, tan, tanh, true_divide, trunc,
    where)
from minikeras.ops.reductions import (  # noqa: F401
    all, amax, amin, any, argmax, argmin, argpartition, argsort, average, bincount,
    corrcoef, count_nonzero, cumprod, cumsum, digitize, histogram, max, mean, median, min,
    nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmedian, nanmin,
    nanpercentile, nanprod, nanquantile, nanstd, nansum, nanvar, percentile, prod, ptp,
    quantile, searchsorted, sort, std, sum, unique, var)
from minikeras.ops.array_ops import (  # noqa: F401
    append, array_split, broadcast_to, concatenate, diag, diagflat, diagonal, diff, dsplit,
    dstack, expand_dims, flip, fliplr, flipud, get_item, hsplit, hstack, meshgrid, moveaxis,
    ndim, nonzero, pad, ravel, repeat, reshape, roll, rot90, size, split, squeeze, stack,
    swapaxes, take, take_along_axis, tile, trace, transpose, tril, triu, unravel_index,
    view, vsplit, vstack)
from minikeras.ops.products import (  # noqa: F401
    correlate, cross, dot, einsum, inner, kron, matmul, outer, tensordot, trapezoid, vdot)
from minikeras.ops.creation import (  # noqa: F401
    arange, array, bartlett, blackman, empty, empty_like, eye, full, full_like, geomspace,
    hamming, hanning, identity, kaiser, linspace, logspace, ones, ones_like, tri, vander,
    zeros, zeros_like)
from minikeras.ops.core import (  # noqa: F401
    vectorize)
from minikeras.ops.linalg import (  # noqa: F401
    slogdet)

__all__ = [
    "abs", "absolute", "add", "all", "allclose", "amax", "amin", "angle", "any", "append",
    "arange", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh",
    "argmax", "argmin", "argpartition", "argsort", "array", "array_split", "average",
    "bartlett", "bincount", "bitwise_and", "bitwise_invert", "bitwise_left_shift",
    "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor", "blackman",
    "broadcast_to", "cbrt", "ceil", "clip", "concatenate", "conj", "conjugate", "copy",
    "corrcoef", "correlate", "cos", "cosh", "count_nonzero", "cross", "cumprod", "cumsum",
    "deg2rad", "diag", "diagflat", "diagonal", "diff", "digitize", "divide",
    "divide_no_nan", "dot", "dsplit", "dstack", "einsum", "empty", "empty_like", "equal",
    "exp", "exp2", "expand_dims", "expm1", "eye", "fabs", "flip", "fliplr", "flipud",
    "floor", "floor_divide", "fmax", "fmin", "fmod", "full", "full_like", "gcd",
    "geomspace", "get_item", "greater", "greater_equal", "hamming", "hanning", "heaviside",
    "histogram", "hsplit", "hstack", "hypot", "i0", "identity", "imag", "inner", "isclose",
    "isfinite", "isin", "isinf", "isnan", "isneginf", "isposinf", "isreal", "kaiser",
    "kron", "lcm", "ldexp", "left_shift", "less", "less_equal", "linspace", "log", "log10",
    "log1p", "log2", "logaddexp", "logaddexp2", "logical_and", "logical_not", "logical_or",
    "logical_xor", "logspace", "matmul", "max", "maximum", "mean", "median", "meshgrid",
    "min", "minimum", "mod", "moveaxis", "multiply", "nan_to_num", "nanargmax", "nanargmin",
    "nancumprod", "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin", "nanpercentile",
    "nanprod", "nanquantile", "nanstd", "nansum", "nanvar", "ndim", "negative", "nextafter",
    "nonzero", "not_equal", "ones", "ones_like", "outer", "pad", "percentile", "power",
    "prod", "ptp", "quantile", "rad2deg", "ravel", "real", "reciprocal", "repeat",
    "reshape", "right_shift", "roll", "rot90", "round", "searchsorted", "select", "sign",
    "signbit", "sin", "sinc", "sinh", "size", "slogdet", "sort", "split", "sqrt", "square",
    "squeeze", "stack", "std", "subtract", "sum", "swapaxes", "take", "take_along_axis",
    "tan", "tanh", "tensordot", "tile", "trace", "transpose", "trapezoid", "tri", "tril",
    "triu", "true_divide", "trunc", "unique", "unravel_index", "vander", "var", "vdot",
    "vectorize", "view", "vsplit", "vstack", "where", "zeros", "zeros_like",
]
