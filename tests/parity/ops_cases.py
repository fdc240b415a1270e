"""The keras.ops golden cases, shared by the generator (run with real Keras)
and the tests (run with minikeras). Pure data: imports neither library.

A case is `(name, expression, inputs, grads, options)`:

* `expression` is evaluated with `ops` (keras.ops or minikeras.ops), `K`
  (the backend module), `np` and the inputs bound by name;
* `inputs` maps a name to a spec `(kind, shape, *params)` (see `make_input`)
  or to a literal list;
* `grads` names the float inputs whose gradient of `sum(out * w)` (over
  every float output, `w` a fixed random cotangent) is compared;
* `options` may set `rtol`/`atol`, `grad_rtol`/`grad_atol`, `dtype` (False:
  do not compare dtypes), `numeric` (False: skip the finite-difference
  check, e.g. for non-smooth or integer-valued functions).
"""
import zlib

import numpy as np


def flatten(out):
    """An op's output (nested lists, tuples, dicts by sorted key) as the flat
    list of arrays the goldens store."""
    if isinstance(out, (list, tuple)):
        flat = []
        for o in out:
            flat.extend(flatten(o))
        return flat
    if isinstance(out, dict):
        return flatten([out[k] for k in sorted(out)])
    return [out]


def make_input(name, spec, case):
    """Deterministic input array for `spec` in `case`."""
    if isinstance(spec, list):
        return np.asarray(spec)
    kind, shape, *params = spec
    rng = np.random.default_rng(zlib.crc32(f"{case}/{name}".encode()))
    f32 = np.float32
    if kind == "N":        # standard normal
        return rng.standard_normal(shape).astype(f32)
    if kind == "P":        # positive, away from 0
        return rng.uniform(0.5, 2.0, shape).astype(f32)
    if kind == "U":        # inside (-1, 1)
        return rng.uniform(-0.9, 0.9, shape).astype(f32)
    if kind == "U01":      # inside (0, 1)
        return rng.uniform(0.05, 0.95, shape).astype(f32)
    if kind == "I":        # integers in [lo, hi)
        lo, hi = params
        return rng.integers(lo, hi, shape).astype(np.int32)
    if kind == "B":
        return rng.random(shape) > 0.5
    if kind == "SPD":      # symmetric positive definite, (..., n, n)
        a = rng.standard_normal(shape).astype(np.float64)
        n = shape[-1]
        return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(f32)
    if kind == "PR":       # probabilities along the last axis
        e = np.exp(rng.standard_normal(shape))
        return (e / e.sum(-1, keepdims=True)).astype(f32)
    if kind == "OH":       # one-hot rows
        idx = rng.integers(0, shape[-1], shape[:-1])
        return np.eye(shape[-1], dtype=f32)[idx]
    if kind == "IMG":      # image values in [0, 1]
        return rng.uniform(0.0, 1.0, shape).astype(f32)
    if kind == "NAN":      # normal with NaNs, one row entirely NaN
        z = rng.standard_normal(shape).astype(f32)
        z[0, 1] = np.nan
        z[-1, :] = np.nan
        return z
    if kind == "SORTED":
        return np.sort(rng.standard_normal(shape)).astype(f32)
    raise ValueError(f"unknown input kind {kind}")


X34 = ("N", (3, 4))
Y34 = ("N", (3, 4))
P34 = ("P", (3, 4))
U34 = ("U", (3, 4))
NO_NUM = {"numeric": False}

# ----- core: control flow, slicing, scattering, casting ----------------------------------
CORE = [
    ("cast_int", "ops.cast(x * 3, 'int32')", {"x": X34}, (), NO_NUM),
    ("cast_f16", "ops.cast(x, 'float16')", {"x": X34}, ("x",), {"rtol": 1e-3, "atol": 1e-3, "numeric": False}),
    ("convert_list", "ops.convert_to_tensor([[1.5, 2.0], [3.0, 4.0]])", {}, (), {}),
    ("convert_ints", "ops.convert_to_tensor([1, 2, 3])", {}, (), {}),
    ("saturate_cast", "ops.saturate_cast(x * 300, 'uint8')", {"x": X34}, (), NO_NUM),
    ("slice", "ops.slice(x, (1, 0), (2, 3))", {"x": X34}, ("x",), {}),
    ("slice_update", "ops.slice_update(x, (1, 1), y)", {"x": X34, "y": ("N", (2, 2))}, ("x", "y"), {}),
    ("scatter", "ops.scatter([[0, 1], [2, 3], [0, 1]], v, (3, 4))", {"v": ("N", (3,))}, ("v",), {}),
    ("scatter_update", "ops.scatter_update(x, [[0, 1], [2, 3]], v)",
     {"x": X34, "v": ("N", (2,))}, ("x", "v"), {}),
    ("scatter_update_rows", "ops.scatter_update(x, [[2], [0]], v)",
     {"x": X34, "v": ("N", (2, 4))}, ("x", "v"), {}),
    ("where3", "ops.where(x > 0, x, y)", {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("where1", "ops.where(x > 0)", {"x": X34}, (), {}),
    ("cond", "ops.cond(ops.sum(x) > 100.0, lambda: x * 2.0, lambda: ops.exp(x))", {"x": X34}, ("x",), {}),
    ("while_loop", "ops.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * 1.5 + x), (0, x))[1]",
     {"x": X34}, ("x",), {}),
    ("fori_loop", "ops.fori_loop(0, 4, lambda i, s: s * x + 1.0, ops.ones_like(x))", {"x": U34}, ("x",), {}),
    ("scan", "ops.scan(lambda c, v: (c * 0.5 + v, c * v), ops.zeros((4,)), x)", {"x": X34}, ("x",), {}),
    ("scan_reverse", "ops.scan(lambda c, v: (c + v, ops.tanh(c)), ops.zeros((4,)), x, reverse=True)",
     {"x": X34}, ("x",), {}),
    ("map", "ops.map(lambda v: ops.sum(v * v), x)", {"x": X34}, ("x",), {}),
    ("vectorized_map", "ops.vectorized_map(lambda v: ops.sin(v) * 2.0, x)", {"x": X34}, ("x",), {}),
    ("switch", "ops.switch(1, [lambda a: a * 2.0, lambda a: ops.exp(a)], x)", {"x": X34}, ("x",), {}),
    ("associative_scan", "ops.associative_scan(lambda a, b: a + b, x, axis=1)", {"x": X34}, ("x",), {}),
    ("associative_scan_rev", "ops.associative_scan(lambda a, b: a * b, x, reverse=True)",
     {"x": U34}, ("x",), {}),
    ("stop_gradient", "ops.stop_gradient(x) * x", {"x": X34}, ("x",), NO_NUM),
    ("unstack", "ops.unstack(x, axis=1)", {"x": X34}, ("x",), {}),
]

# ----- numpy: elementwise ---------------------------------------------------------------
_UNARY_N = ["abs", "negative", "square", "sin", "cos", "tanh", "sinh", "cosh", "arctan",
            "arcsinh", "exp", "expm1", "exp2", "sign", "floor", "ceil", "round", "trunc",
            "fabs", "deg2rad", "rad2deg", "cbrt", "sinc", "signbit", "isnan", "isfinite",
            "isinf"]
_UNARY_P = ["sqrt", "log", "log1p", "log2", "log10", "reciprocal", "arccosh"]
_UNARY_U = ["arcsin", "arccos", "arctanh", "tan"]
_NON_SMOOTH = {"sign", "floor", "ceil", "round", "trunc", "signbit", "isnan", "isfinite", "isinf"}

NUMPY = []
for _f in _UNARY_N:
    NUMPY.append((f"u_{_f}", f"ops.{_f}(x)", {"x": X34}, () if _f in _NON_SMOOTH else ("x",),
                  NO_NUM if _f in _NON_SMOOTH else {}))
for _f in _UNARY_P:
    _x = ("P", (3, 4)) if _f != "arccosh" else ("P", (3, 4))
    NUMPY.append((f"u_{_f}", f"ops.{_f}(x + 1.0)" if _f == "arccosh" else f"ops.{_f}(x)",
                  {"x": _x}, ("x",), {}))
for _f in _UNARY_U:
    NUMPY.append((f"u_{_f}", f"ops.{_f}(x)", {"x": U34}, ("x",), {}))
NUMPY += [
    ("u_int_exp", "ops.exp(x)", {"x": ("I", (3, 4), 0, 4)}, (), {}),
    ("u_int_sqrt", "ops.sqrt(x)", {"x": ("I", (3, 4), 0, 9)}, (), {}),
    ("u_round_dec", "ops.round(x * 10.0, decimals=1)", {"x": X34}, (), NO_NUM),
    ("nan_to_num", "ops.nan_to_num(ops.log(x), nan=0.5)", {"x": X34}, (), NO_NUM),
    ("i0", "ops.i0(x)", {"x": X34}, (), {"rtol": 1e-5}),
    ("angle", "ops.angle(x)", {"x": X34}, (), NO_NUM),
    ("real_imag", "(ops.real(x), ops.imag(x))", {"x": X34}, (), NO_NUM),
]
_BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "arctan2", "hypot",
           "logaddexp", "logaddexp2", "fmax", "fmin", "true_divide"]
for _f in _BINARY:
    NUMPY.append((f"b_{_f}", f"ops.{_f}(x, y)", {"x": X34, "y": Y34}, ("x", "y"), {}))
NUMPY += [
    ("b_power", "ops.power(x, y)", {"x": P34, "y": Y34}, ("x", "y"), {}),
    ("b_mod", "ops.mod(x, y)", {"x": X34, "y": P34}, ("x",), {}),
    ("b_fmod", "ops.fmod(x * 3.0, y)", {"x": X34, "y": P34}, ("x",), {}),
    ("b_floor_divide", "ops.floor_divide(x * 3.0, y)", {"x": X34, "y": P34}, (), NO_NUM),
    ("b_divide_no_nan", "ops.divide_no_nan(x, ops.where(y > 0.5, y, 0.0))", {"x": X34, "y": Y34}, ("x",), {}),
    ("b_broadcast", "ops.add(x, ops.sum(y, axis=0))", {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("b_scalar", "ops.multiply(x, 2.5) + ops.subtract(1, x)", {"x": X34}, ("x",), {}),
    ("b_int_float", "ops.add(i, x)", {"i": ("I", (3, 4), 0, 5), "x": X34}, ("x",), {}),
    ("b_int_int", "ops.multiply(i, j)", {"i": ("I", (3, 4), 0, 5), "j": ("I", (3, 4), 0, 5)}, (), {}),
    ("b_int_div", "ops.divide(i, 4)", {"i": ("I", (3, 4), 0, 9)}, (), {}),
    ("b_heaviside", "ops.heaviside(ops.round(x), y)", {"x": X34, "y": Y34}, ("y",), {}),
    ("b_ldexp", "ops.ldexp(x, i)", {"x": X34, "i": ("I", (3, 4), -2, 3)}, ("x",), {}),
    ("b_gcd_lcm", "(ops.gcd(i, j), ops.lcm(i, j))",
     {"i": ("I", (3, 4), 1, 20), "j": ("I", (3, 4), 1, 20)}, (), {}),
    ("b_nextafter", "ops.nextafter(x, y)", {"x": X34, "y": Y34}, (), NO_NUM),
    ("cmp", "(ops.equal(x, y), ops.not_equal(x, y), ops.less(x, y), ops.less_equal(x, 0.0), "
     "ops.greater(x, y), ops.greater_equal(x, 0.0))", {"x": X34, "y": Y34}, (), {}),
    ("logic", "(ops.logical_and(x > 0, y > 0), ops.logical_or(x > 0, y > 0), "
     "ops.logical_xor(x > 0, y > 0), ops.logical_not(x > 0))", {"x": X34, "y": Y34}, (), {}),
    ("isclose", "(ops.isclose(x, x + 1e-7), ops.allclose(x, y))", {"x": X34, "y": Y34}, (), {}),
    ("isin", "ops.isin(i, [1, 3])", {"i": ("I", (3, 4), 0, 5)}, (), {}),
    ("bitwise", "(ops.bitwise_and(i, j), ops.bitwise_or(i, j), ops.bitwise_xor(i, j), "
     "ops.bitwise_invert(i), ops.left_shift(i, 2), ops.right_shift(j, 1))",
     {"i": ("I", (3, 4), 0, 16), "j": ("I", (3, 4), 0, 16)}, (), {}),
    ("clip", "ops.clip(x, -0.5, 0.7)", {"x": X34}, ("x",), {}),
    ("clip_int", "ops.clip(i, 1, 3)", {"i": ("I", (3, 4), 0, 5)}, (), {}),
    ("select", "ops.select([x < -0.5, x > 0.5], [x * 2.0, y], default=0.25)",
     {"x": X34, "y": Y34}, ("x", "y"), {}),
    # ----- reductions and statistics
    ("sum", "ops.sum(x)", {"x": X34}, ("x",), {}),
    ("sum_axis", "ops.sum(x, axis=1, keepdims=True)", {"x": X34}, ("x",), {}),
    ("sum_bool", "ops.sum(x > 0, axis=0)", {"x": X34}, (), {}),
    ("mean", "ops.mean(x, axis=(0, 1))", {"x": X34}, ("x",), {}),
    ("mean_int", "ops.mean(i, axis=0)", {"i": ("I", (3, 4), 0, 9)}, (), {}),
    ("max", "ops.max(x, axis=0)", {"x": X34}, ("x",), {}),
    ("min_initial", "ops.min(x, axis=1, initial=-0.5)", {"x": X34}, ("x",), {}),
    ("amax_amin", "(ops.amax(x, axis=1), ops.amin(x))", {"x": X34}, ("x",), {}),
    ("prod", "ops.prod(x, axis=1)", {"x": P34}, ("x",), {}),
    ("var_std", "(ops.var(x, axis=0), ops.std(x, axis=1, keepdims=True))", {"x": X34}, ("x",), {}),
    ("ptp", "ops.ptp(x, axis=1)", {"x": X34}, ("x",), {}),
    ("average", "ops.average(x, axis=1, weights=w)", {"x": X34, "w": ("P", (4,))}, ("x", "w"), {}),
    ("average_full", "ops.average(x, weights=w)", {"x": X34, "w": P34}, ("x", "w"), {}),
    ("median", "ops.median(x, axis=1)", {"x": ("N", (3, 5))}, ("x",), {}),
    ("quantile", "ops.quantile(x, [0.1, 0.5, 0.9], axis=0)", {"x": ("N", (7, 3))}, ("x",), {}),
    ("quantile_methods", "(ops.quantile(x, 0.3, method='lower'), ops.quantile(x, 0.3, method='higher'), "
     "ops.quantile(x, 0.3, method='midpoint'), ops.quantile(x, 0.3, method='nearest'))",
     {"x": ("N", (9,))}, (), NO_NUM),
    ("percentile", "ops.percentile(x, 75.0, axis=1, keepdims=True)", {"x": ("N", (3, 6))}, ("x",), {}),
    ("count_nonzero", "ops.count_nonzero(ops.round(x), axis=1)", {"x": X34}, (), {}),
    ("all_any", "(ops.all(x > -1.0, axis=0), ops.any(x > 1.0))", {"x": X34}, (), {}),
    ("cumsum", "ops.cumsum(x, axis=1)", {"x": X34}, ("x",), {}),
    ("cumsum_flat", "ops.cumsum(x)", {"x": X34}, ("x",), {}),
    ("cumprod", "ops.cumprod(x, axis=0)", {"x": P34}, ("x",), {}),
    ("argmax", "(ops.argmax(x, axis=1), ops.argmin(x), ops.argmax(x, axis=0, keepdims=True))",
     {"x": X34}, (), {}),
    ("argsort_sort", "(ops.argsort(x, axis=1), ops.sort(x, axis=0))", {"x": X34}, ("x",), {}),
    ("logsumexp", "ops.logsumexp(x, axis=1)", {"x": X34}, ("x",), {}),
    ("nan_reductions", "(ops.nansum(z), ops.nanmean(z, axis=0), ops.nanmax(z, axis=1), "
     "ops.nanmin(z), ops.nanstd(z, axis=0), ops.nanvar(z), ops.nanprod(z, axis=1))",
     {"z": ("NAN", (3, 4))}, (), NO_NUM),
    ("nan_args", "(ops.nanargmax(z, axis=1), ops.nanargmin(z, axis=0), ops.nancumsum(z, axis=1), "
     "ops.nancumprod(z, axis=0), ops.nanmedian(z, axis=1), ops.nanquantile(z, 0.25, axis=0))",
     {"z": ("NAN", (3, 4))}, (), NO_NUM),
    ("corrcoef", "ops.corrcoef(x)", {"x": ("N", (3, 6))}, ("x",), {}),
    ("bincount", "(ops.bincount(i), ops.bincount(i, weights=w, minlength=8))",
     {"i": ("I", (10,), 0, 6), "w": ("P", (10,))}, ("w",), {}),
    ("histogram", "ops.histogram(x, bins=5)", {"x": ("N", (20,))}, (), NO_NUM),
    ("digitize", "ops.digitize(x, [-1.0, 0.0, 0.5])", {"x": X34}, (), {}),
    ("searchsorted", "ops.searchsorted(s, x, side='right')", {"s": ("SORTED", (6,)), "x": ("N", (5,))}, (), {}),
    ("unique", "ops.unique(i, return_counts=True, return_inverse=True)", {"i": ("I", (10,), 0, 5)}, (), {}),
    ("trapezoid", "(ops.trapezoid(x), ops.trapezoid(x, dx=0.5, axis=0))", {"x": X34}, ("x",), {}),
    # ----- products
    ("matmul", "ops.matmul(x, y)", {"x": X34, "y": ("N", (4, 2))}, ("x", "y"), {}),
    ("matmul_batch", "ops.matmul(x, y)", {"x": ("N", (2, 3, 4)), "y": ("N", (4, 5))}, ("x", "y"), {}),
    ("matmul_vec", "ops.matmul(x, v)", {"x": X34, "v": ("N", (4,))}, ("x", "v"), {}),
    ("dot_nd", "ops.dot(x, y)", {"x": ("N", (2, 3, 4)), "y": ("N", (3, 4, 2))}, ("x", "y"), {}),
    ("tensordot", "ops.tensordot(x, y, axes=([1], [0]))", {"x": X34, "y": ("N", (4, 2))}, ("x", "y"), {}),
    ("einsum", "ops.einsum('bij,bjk->bik', x, y)", {"x": ("N", (2, 3, 4)), "y": ("N", (2, 4, 2))},
     ("x", "y"), {}),
    ("inner_outer", "(ops.inner(x, y), ops.outer(v, w))",
     {"x": X34, "y": Y34, "v": ("N", (3,)), "w": ("N", (2,))}, ("x", "y", "v", "w"), {}),
    ("vdot", "ops.vdot(x, y)", {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("kron", "ops.kron(x, y)", {"x": ("N", (2, 3)), "y": ("N", (2, 2))}, ("x", "y"), {}),
    ("cross", "ops.cross(x, y)", {"x": ("N", (4, 3)), "y": ("N", (4, 3))}, ("x", "y"), {}),
    ("correlate", "(ops.correlate(v, w), ops.correlate(v, w, mode='same'), ops.correlate(v, w, mode='full'))",
     {"v": ("N", (6,)), "w": ("N", (3,))}, ("v", "w"), {}),
    ("trace", "ops.trace(x, offset=1)", {"x": ("N", (4, 4))}, ("x",), {}),
    # ----- shapes and indexing
    ("reshape", "ops.reshape(x, (2, -1))", {"x": X34}, ("x",), {}),
    ("transpose", "ops.transpose(x, (2, 0, 1))", {"x": ("N", (2, 3, 4))}, ("x",), {}),
    ("expand_squeeze", "(ops.expand_dims(x, (0, 2)), ops.squeeze(ops.expand_dims(x, 1), 1))",
     {"x": X34}, ("x",), {}),
    ("moveaxis_swapaxes", "(ops.moveaxis(x, 0, -1), ops.swapaxes(x, 0, 2))", {"x": ("N", (2, 3, 4))}, ("x",), {}),
    ("concat_stack", "(ops.concatenate([x, y], axis=1), ops.stack([x, y], axis=1))",
     {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("hvd_stack", "(ops.hstack([x, y]), ops.vstack([x, y]), ops.dstack([x, y]))",
     {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("append", "(ops.append(x, y), ops.append(x, y, axis=0))", {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("split", "ops.split(x, [1, 3], axis=1)", {"x": X34}, ("x",), {}),
    ("array_split", "ops.array_split(x, 3, axis=1)", {"x": X34}, ("x",), {}),
    ("hvd_split", "(ops.hsplit(x, 2), ops.vsplit(x, 3))", {"x": ("N", (3, 4))}, ("x",), {}),
    ("dsplit", "ops.dsplit(x, 2)", {"x": ("N", (2, 2, 4))}, ("x",), {}),
    ("tile", "ops.tile(x, (2, 1, 2))", {"x": X34}, ("x",), {}),
    ("repeat", "(ops.repeat(x, 2, axis=1), ops.repeat(x, [1, 0, 2], axis=0), ops.repeat(x, 2))",
     {"x": X34}, ("x",), {}),
    ("flip", "(ops.flip(x, axis=1), ops.fliplr(x), ops.flipud(x), ops.flip(x))", {"x": X34}, ("x",), {}),
    ("roll", "(ops.roll(x, 1, axis=1), ops.roll(x, -2))", {"x": X34}, ("x",), {}),
    ("rot90", "(ops.rot90(x), ops.rot90(x, k=3, axes=(1, 0)))", {"x": X34}, ("x",), {}),
    ("pad", "ops.pad(x, [[1, 0], [2, 1]])", {"x": X34}, ("x",), {}),
    ("pad_value", "ops.pad(x, [[1, 1], [0, 2]], constant_values=1.5)", {"x": X34}, ("x",), {}),
    ("pad_reflect", "(ops.pad(x, [[1, 1], [2, 2]], mode='reflect'), ops.pad(x, [[2, 1], [1, 2]], mode='symmetric'))",
     {"x": X34}, ("x",), {}),
    ("take", "(ops.take(x, [2, 0, -1], axis=1), ops.take(x, [[1, 5], [7, 0]]))", {"x": X34}, ("x",), {}),
    ("take_along_axis", "ops.take_along_axis(x, i, axis=1)", {"x": X34, "i": ("I", (3, 2), 0, 4)},
     ("x",), {}),
    ("get_item", "(ops.get_item(x, 1), x[:, 1:3] * 1.0)", {"x": X34}, ("x",), {}),
    ("broadcast_to", "ops.broadcast_to(v, (3, 4))", {"v": ("N", (4,))}, ("v",), {}),
    ("ravel_size", "(ops.ravel(x), ops.size(x), ops.ndim(x))", {"x": X34}, ("x",), {}),
    ("meshgrid", "ops.meshgrid(v, w)", {"v": ("N", (3,)), "w": ("N", (2,))}, ("v", "w"), {}),
    ("meshgrid_ij", "ops.meshgrid(v, w, indexing='ij')", {"v": ("N", (3,)), "w": ("N", (2,))}, ("v", "w"), {}),
    ("nonzero", "ops.nonzero(x > 0.3)", {"x": X34}, (), {}),
    ("unravel_index", "ops.unravel_index([1, 5, 11], (3, 4))", {}, (), {}),
    ("diag", "(ops.diag(x), ops.diag(x, k=1), ops.diag(v), ops.diag(v, k=-1))",
     {"x": ("N", (4, 4)), "v": ("N", (3,))}, ("x", "v"), {}),
    ("diagflat_diagonal", "(ops.diagflat(x), ops.diagonal(y, offset=1, axis1=1, axis2=2))",
     {"x": ("N", (2, 2)), "y": ("N", (2, 3, 4))}, ("x", "y"), {}),
    ("tril_triu", "(ops.tril(x), ops.triu(x, k=1), ops.tril(x, k=-1))", {"x": ("N", (4, 4))}, ("x",), {}),
    ("diff", "(ops.diff(x), ops.diff(x, n=2, axis=0))", {"x": ("N", (4, 5))}, ("x",), {}),
    # ----- creation
    ("creation", "(ops.zeros((2, 3)), ops.ones((2,), dtype='int32'), ops.full((2, 2), 7.0), "
     "ops.eye(3, 4, k=1), ops.identity(2), ops.tri(3, 4, k=-1), ops.zeros_like(x), ops.ones_like(x), "
     "ops.full_like(x, 2), ops.empty((2,)) * 0)", {"x": ("I", (3,), 0, 3)}, (), {}),
    ("ranges", "(ops.arange(5), ops.arange(1.0, 3.0, 0.5), ops.arange(2, 11, 3), "
     "ops.linspace(0.0, 1.0, 5), ops.logspace(0.0, 2.0, 4), ops.geomspace(1.0, 8.0, 4), "
     "ops.linspace(0.0, 1.0, 4, endpoint=False))", {}, (), {}),
    ("windows", "(ops.bartlett(5), ops.blackman(5), ops.hamming(5), ops.hanning(5), ops.kaiser(5, 2.0))",
     {}, (), {"atol": 1e-6}),
    ("vander", "(ops.vander(v), ops.vander(v, N=2, increasing=True))", {"v": ("N", (3,))}, ("v",), {}),
    ("view", "(ops.view(x, 'int32'), ops.view(x, 'int16'))", {"x": X34}, (), {}),
    ("array_copy", "(ops.array([[1, 2], [3, 4]]), ops.copy(x))", {"x": X34}, ("x",), {}),
]

# ----- nn --------------------------------------------------------------------------------
_ACTS = ["relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "log_sigmoid",
         "leaky_relu", "hard_sigmoid", "hard_silu", "hard_swish", "elu", "selu", "gelu",
         "celu", "sparse_plus", "sparse_sigmoid", "squareplus", "tanh_shrink", "hard_tanh",
         "hard_shrink", "soft_shrink"]
_ACT_NON_SMOOTH = {"relu6", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "hard_shrink",
                   "soft_shrink", "sparse_sigmoid"}
NN = []
for _f in _ACTS:
    NN.append((f"act_{_f}", f"ops.{_f}(x * 4.0)", {"x": X34}, ("x",),
               NO_NUM if _f in _ACT_NON_SMOOTH else {}))
NN += [
    ("gelu_exact", "ops.gelu(x * 3.0, approximate=False)", {"x": X34}, ("x",), {}),
    ("leaky_relu_01", "ops.leaky_relu(x, negative_slope=0.1)", {"x": X34}, ("x",), {}),
    ("elu_alpha", "ops.elu(x, alpha=0.5)", {"x": X34}, ("x",), {}),
    ("celu_alpha", "ops.celu(x, alpha=2.0)", {"x": X34}, ("x",), {}),
    ("threshold", "ops.threshold(x, 0.3, -1.0)", {"x": X34}, ("x",), NO_NUM),
    ("glu", "ops.glu(x)", {"x": X34}, ("x",), {}),
    ("softmax", "(ops.softmax(x), ops.softmax(x, axis=0))", {"x": X34}, ("x",), {}),
    ("softmax_tuple", "ops.softmax(x, axis=(1, 2))", {"x": ("N", (2, 3, 4))}, ("x",), {}),
    ("log_softmax", "(ops.log_softmax(x), ops.log_softmax(x, axis=0))", {"x": X34}, ("x",), {}),
    ("sparsemax", "ops.sparsemax(x * 2.0)", {"x": X34}, ("x",), NO_NUM),
    ("one_hot", "(ops.one_hot(i, 5), ops.one_hot(i, 3, axis=0), ops.one_hot(i, 4, dtype='int32'))",
     {"i": ("I", (4,), -1, 5)}, (), {}),
    ("multi_hot", "(ops.multi_hot(i, 6), ops.multi_hot(j, 6))",
     {"i": ("I", (3, 4), 0, 6), "j": ("I", (4,), 0, 6)}, (), {}),
    ("moments", "ops.moments(x, axes=[0, 1])", {"x": ("N", (4, 3, 2))}, ("x",), {}),
    ("moments_keep", "ops.moments(x, axes=[1], keepdims=True)", {"x": ("N", (4, 3, 2))}, ("x",), {}),
    ("batch_normalization", "ops.batch_normalization(x, m, v, axis=-1, offset=b, scale=g, epsilon=1e-3)",
     {"x": ("N", (4, 3)), "m": ("N", (3,)), "v": ("P", (3,)), "b": ("N", (3,)), "g": ("P", (3,))},
     ("x", "m", "v", "b", "g"), {}),
    ("batch_normalization_axis1", "ops.batch_normalization(x, m, v, axis=1)",
     {"x": ("N", (2, 3, 4)), "m": ("N", (3,)), "v": ("P", (3,))}, ("x", "m", "v"), {}),
    ("normalize", "(ops.normalize(x), ops.normalize(x, axis=0, order=1))", {"x": X34}, ("x",), {}),
    ("layer_normalization", "ops.layer_normalization(x, gamma=g, beta=b, axis=-1)",
     {"x": X34, "g": ("P", (4,)), "b": ("N", (4,))}, ("x", "g", "b"), {}),
    ("rms_normalization", "ops.rms_normalization(x, scale=g, axis=-1)",
     {"x": X34, "g": ("P", (4,))}, ("x", "g"), {}),
    ("binary_crossentropy", "(ops.binary_crossentropy(t, p), ops.binary_crossentropy(t, x, from_logits=True))",
     {"t": ("U01", (3, 4)), "p": ("U01", (3, 4)), "x": X34}, ("t", "p", "x"), {}),
    ("categorical_crossentropy", "(ops.categorical_crossentropy(t, p), "
     "ops.categorical_crossentropy(t, x, from_logits=True), ops.categorical_crossentropy(t, p, axis=0))",
     {"t": ("OH", (3, 4)), "p": ("PR", (3, 4)), "x": X34}, ("p", "x"), {}),
    ("sparse_categorical_crossentropy", "(ops.sparse_categorical_crossentropy(i, p), "
     "ops.sparse_categorical_crossentropy(i, x, from_logits=True))",
     {"i": ("I", (3,), 0, 4), "p": ("PR", (3, 4)), "x": X34}, ("p", "x"), {}),
    ("ctc_loss", "ops.ctc_loss(lab, x, [2, 3], [6, 5], mask_index=0)",
     {"lab": [[1, 2, 0], [3, 3, 1]], "x": ("N", (2, 6, 5))}, ("x",), {"rtol": 1e-4}),
    ("ctc_decode_greedy", "ops.ctc_decode(x, [6, 4], strategy='greedy')", {"x": ("N", (2, 6, 5))}, (), {}),
    ("ctc_decode_beam", "ops.ctc_decode(x, [6, 5], strategy='beam_search', beam_width=10, top_paths=2)[0]",
     {"x": ("N", (2, 6, 4))}, (), {}),
    ("polar", "ops.nn.polar(r, t)", {"r": P34, "t": X34}, (), {}),
    ("psnr", "ops.psnr(a, b, 1.0)", {"a": ("IMG", (2, 4, 4, 1)), "b": ("IMG", (2, 4, 4, 1))}, ("a", "b"), {}),
    ("conv1d", "ops.conv(x, k, strides=1, padding='same')", {"x": ("N", (2, 7, 3)), "k": ("N", (3, 3, 4))},
     ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv2d_stride", "ops.conv(x, k, strides=2, padding='valid')",
     {"x": ("N", (2, 7, 6, 3)), "k": ("N", (3, 2, 3, 4))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv2d_dilated_same", "ops.conv(x, k, padding='same', dilation_rate=2)",
     {"x": ("N", (1, 6, 6, 2)), "k": ("N", (3, 3, 2, 3))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv2d_cf", "ops.conv(x, k, strides=(1, 2), padding='same', data_format='channels_first')",
     {"x": ("N", (2, 3, 5, 6)), "k": ("N", (2, 3, 3, 2))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv2d_grouped", "ops.conv(x, k)", {"x": ("N", (1, 5, 5, 4)), "k": ("N", (3, 3, 2, 6))},
     ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv3d", "ops.conv(x, k, padding='same')", {"x": ("N", (1, 4, 4, 4, 2)), "k": ("N", (2, 2, 2, 2, 3))},
     ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("depthwise_conv", "ops.depthwise_conv(x, k, strides=1, padding='same')",
     {"x": ("N", (2, 5, 5, 3)), "k": ("N", (3, 3, 3, 2))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("depthwise_conv1d", "ops.depthwise_conv(x, k, strides=2)",
     {"x": ("N", (2, 9, 3)), "k": ("N", (3, 3, 1))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("separable_conv", "ops.separable_conv(x, dk, pk, padding='same')",
     {"x": ("N", (2, 5, 5, 3)), "dk": ("N", (3, 3, 3, 2)), "pk": ("N", (1, 1, 6, 4))},
     ("x", "dk", "pk"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv_transpose", "ops.conv_transpose(x, k, strides=2, padding='same')",
     {"x": ("N", (2, 3, 3, 4)), "k": ("N", (3, 3, 2, 4))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv_transpose_valid", "ops.conv_transpose(x, k, strides=2, padding='valid')",
     {"x": ("N", (1, 4, 3)), "k": ("N", (3, 2, 3))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("conv_transpose_outpad", "ops.conv_transpose(x, k, strides=2, padding='same', output_padding=1)",
     {"x": ("N", (1, 3, 3, 2)), "k": ("N", (3, 3, 2, 2))}, ("x", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("max_pool", "ops.max_pool(x, 2)", {"x": ("N", (2, 4, 6, 3))}, ("x",), {}),
    ("max_pool_same", "ops.max_pool(x, 3, strides=2, padding='same')", {"x": ("N", (1, 5, 5, 2))}, ("x",), {}),
    ("average_pool", "ops.average_pool(x, (2, 3), strides=1, padding='same')",
     {"x": ("N", (1, 4, 5, 2))}, ("x",), {}),
    ("pool1d_cf", "ops.average_pool(x, 2, data_format='channels_first')", {"x": ("N", (2, 3, 6))}, ("x",), {}),
    ("adaptive_pools", "(ops.adaptive_average_pool(x, (2, 3)), ops.adaptive_max_pool(x, (3, 2)))",
     {"x": ("N", (2, 5, 7, 2))}, ("x",), {}),
    ("depth_to_space", "ops.depth_to_space(x, 2)", {"x": ("N", (1, 2, 3, 8))}, ("x",), {}),
    ("space_to_depth", "ops.space_to_depth(x, 2)", {"x": ("N", (1, 4, 6, 2))}, ("x",), {}),
    ("unfold", "ops.unfold(x, 2, stride=1, padding=1)", {"x": ("N", (1, 2, 3, 3))}, ("x",), {}),
    ("fold", "ops.fold(x, (4, 4), 2, stride=2)", {"x": ("N", (1, 8, 4))}, ("x",), {}),
    ("dot_product_attention", "ops.dot_product_attention(q, k, v)",
     {"q": ("N", (2, 3, 2, 4)), "k": ("N", (2, 5, 2, 4)), "v": ("N", (2, 5, 2, 4))}, ("q", "k", "v"), {}),
    ("dot_product_attention_causal", "ops.dot_product_attention(q, k, v, is_causal=True, scale=0.3)",
     {"q": ("N", (1, 4, 2, 3)), "k": ("N", (1, 4, 2, 3)), "v": ("N", (1, 4, 2, 3))}, ("q", "k", "v"), {}),
    ("dot_product_attention_mask", "ops.dot_product_attention(q, k, v, bias=b, mask=m)",
     {"q": ("N", (1, 3, 2, 4)), "k": ("N", (1, 5, 2, 4)), "v": ("N", (1, 5, 2, 4)),
      "b": ("N", (1, 2, 3, 5)), "m": ("B", (1, 1, 3, 5))}, ("q", "k", "v", "b"), {}),
    ("dot_product_attention_gqa", "ops.dot_product_attention(q, k, v)",
     {"q": ("N", (1, 3, 4, 2)), "k": ("N", (1, 3, 2, 2)), "v": ("N", (1, 3, 2, 2))}, ("q", "k", "v"), {}),
]

# ----- linalg ------------------------------------------------------------------------------
LINALG = [
    ("inv", "ops.inv(a)", {"a": ("SPD", (2, 3, 3))}, ("a",), {"rtol": 1e-4}),
    ("det", "ops.det(a)", {"a": ("N", (2, 3, 3))}, ("a",), {"rtol": 1e-4}),
    ("slogdet", "ops.slogdet(a)", {"a": ("N", (3, 3))}, ("a",), {"rtol": 1e-4}),
    ("solve", "ops.solve(a, b)", {"a": ("SPD", (3, 3)), "b": ("N", (3, 2))}, ("a", "b"), {"rtol": 1e-4}),
    ("solve_vec", "ops.solve(a, b)", {"a": ("SPD", (3, 3)), "b": ("N", (3,))}, ("a", "b"), {"rtol": 1e-4}),
    ("solve_triangular", "(ops.solve_triangular(a, b, lower=True), ops.solve_triangular(a, b))",
     {"a": ("SPD", (3, 3)), "b": ("N", (3, 2))}, ("a", "b"), {"rtol": 1e-4}),
    ("cholesky", "(ops.cholesky(a), ops.cholesky(a, upper=True))", {"a": ("SPD", (3, 3))}, ("a",),
     {"rtol": 1e-4, "grad_rtol": 1e-3, "numeric": False}),
    ("cholesky_inverse", "ops.cholesky_inverse(ops.cholesky(a))", {"a": ("SPD", (3, 3))}, (),
     {"rtol": 1e-4}),
    ("qr", "ops.qr(a)", {"a": ("N", (4, 3))}, ("a",), {"rtol": 1e-4, "atol": 1e-5}),
    ("qr_wide", "ops.qr(a)", {"a": ("N", (3, 4))}, ("a",), {"rtol": 1e-4, "atol": 1e-5}),
    ("qr_complete", "ops.qr(a, mode='complete')", {"a": ("N", (4, 3))}, (), {"rtol": 1e-4, "atol": 1e-5}),
    ("svd_values", "ops.svd(a, compute_uv=False)", {"a": ("N", (4, 3))}, ("a",), {"rtol": 1e-4}),
    ("svd_reconstruct", "(lambda u, s, vh: ops.matmul(u * s, vh))(*ops.svd(a, full_matrices=False))",
     {"a": ("N", (4, 3))}, ("a",), {"rtol": 1e-4, "atol": 1e-5}),
    ("eigh_values", "ops.eigh(a)[0]", {"a": ("SPD", (3, 3))}, ("a",), {"rtol": 1e-4}),
    ("eigh_projector", "(lambda w, v: ops.matmul(v * w, ops.transpose(v)))(*ops.eigh(a))",
     {"a": ("SPD", (3, 3))}, ("a",), {"rtol": 1e-4, "atol": 1e-4}),
    ("eig_values", "ops.sort(ops.real(ops.eig(a)[0]))", {"a": ("SPD", (3, 3))}, (), {"rtol": 1e-4}),
    ("lstsq", "ops.lstsq(a, b)", {"a": ("N", (5, 3)), "b": ("N", (5, 2))}, ("a", "b"), {"rtol": 1e-4}),
    ("pinv", "ops.pinv(a)", {"a": ("N", (4, 3))}, ("a",), {"rtol": 1e-4, "atol": 1e-5}),
    ("matrix_rank", "(ops.matrix_rank(a), ops.matrix_rank(ops.matmul(b, ops.transpose(b))))",
     {"a": ("N", (4, 3)), "b": ("N", (4, 2))}, (), {}),
    ("lu_factor", "ops.lu_factor(a)", {"a": ("N", (3, 3))}, (), {"rtol": 1e-4, "atol": 1e-5}),
    ("norm_vector", "(ops.norm(v), ops.norm(v, ord=1), ops.norm(v, ord=np.inf), "
     "ops.norm(v, ord=-np.inf), ops.norm(v, ord=3), ops.norm(v, ord=0))", {"v": ("N", (5,))}, ("v",), {}),
    ("norm_axis", "(ops.norm(a, axis=1), ops.norm(a, axis=0, keepdims=True))", {"a": X34}, ("a",), {}),
    ("norm_matrix", "(ops.norm(a), ops.norm(a, ord='fro'), ops.norm(a, ord=1, axis=(0, 1)), "
     "ops.norm(a, ord=np.inf, axis=(0, 1)), ops.norm(a, ord=-1, axis=(0, 1)), "
     "ops.norm(a, ord='nuc', axis=(0, 1)), ops.norm(a, ord=2, axis=(0, 1)))",
     {"a": X34}, ("a",), {"rtol": 1e-4}),
    ("jvp", "ops.jvp(lambda a: ops.sin(a) * a, (x,), (t,))", {"x": X34, "t": Y34}, (), {}),
]

# ----- math -------------------------------------------------------------------------------
MATH = [
    ("erf", "ops.erf(x * 2.0)", {"x": X34}, ("x",), {}),
    ("erfc", "ops.erfc(x * 2.5)", {"x": X34}, ("x",), {}),
    ("erfinv", "ops.erfinv(x)", {"x": U34}, ("x",), {}),
    ("logsumexp", "(ops.logsumexp(x), ops.logsumexp(x, axis=0, keepdims=True))", {"x": X34}, ("x",), {}),
    ("rsqrt", "ops.rsqrt(x)", {"x": P34}, ("x",), {}),
    ("cdist", "ops.cdist(a, b)", {"a": ("N", (3, 4)), "b": ("N", (5, 4))}, ("a", "b"), {}),
    ("logdet", "ops.logdet(a)", {"a": ("SPD", (3, 3))}, ("a",), {"rtol": 1e-4}),
    ("top_k", "ops.top_k(x, 2)", {"x": X34}, ("x",), {}),
    ("top_k_unsorted", "ops.sort(ops.top_k(x, 3, sorted=False)[1], axis=-1)", {"x": X34}, (), {}),
    ("in_top_k", "ops.in_top_k(t, x, 2)", {"t": ("I", (3,), 0, 4), "x": X34}, (), {}),
    ("segment_sum", "(ops.segment_sum(x, np.array([0, 0, 1])), "
     "ops.segment_sum(x, np.array([0, 1, 1]), num_segments=3))",
     {"x": X34}, ("x",), {}),
    ("segment_max_min", "(ops.segment_max(x, np.array([0, 1, 1])), "
     "ops.segment_min(x, np.array([1, 1, 0]), num_segments=2))",
     {"x": X34}, ("x",), {}),
    ("segment_prod", "ops.segment_prod(x, np.array([0, 1, 0]))", {"x": P34}, ("x",), {}),
    ("extract_sequences", "ops.extract_sequences(x, 3, 2)", {"x": ("N", (2, 9))}, ("x",), {}),
    ("fft", "ops.fft((x, y))", {"x": ("N", (2, 8)), "y": ("N", (2, 8))}, ("x", "y"), {"atol": 1e-5}),
    ("fft2", "ops.fft2((x, y))", {"x": ("N", (4, 4)), "y": ("N", (4, 4))}, ("x", "y"), {"atol": 1e-5}),
    ("ifft2", "ops.ifft2((x, y))", {"x": ("N", (4, 4)), "y": ("N", (4, 4))}, ("x", "y"), {"atol": 1e-5}),
    ("rfft", "ops.rfft(x)", {"x": ("N", (2, 8))}, ("x",), {"atol": 1e-5}),
    ("rfft_length", "ops.rfft(x, fft_length=6)", {"x": ("N", (2, 8))}, (), {"atol": 1e-5}),
    ("irfft", "ops.irfft((x, y), fft_length=8)", {"x": ("N", (2, 5)), "y": ("N", (2, 5))}, ("x", "y"),
     {"atol": 1e-5}),
    ("stft", "ops.stft(x, 8, 4, 8)", {"x": ("N", (2, 32))}, ("x",), {"atol": 1e-5}),
    ("stft_hamming", "ops.stft(x, 6, 3, 8, window='hamming', center=False)", {"x": ("N", (20,))}, ("x",),
     {"atol": 1e-5}),
    ("istft", "ops.istft(ops.stft(x, 8, 4, 8), 8, 4, 8)", {"x": ("N", (2, 32))}, ("x",), {"atol": 1e-4}),
    ("view_as", "(ops.view_as_real(ops.view_as_complex(x)),)", {"x": ("N", (3, 2))}, (), {}),
    ("rearrange", "(ops.rearrange(x, 'b h w -> b (h w)'), ops.rearrange(y, 'b (h w) c -> c b h w', h=2))",
     {"x": ("N", (2, 3, 4)), "y": ("N", (2, 6, 3))}, ("x", "y"), {}),
]

# ----- image -------------------------------------------------------------------------------
IMAGE = [
    ("resize_bilinear", "ops.image.resize(x, (7, 5))", {"x": ("IMG", (2, 4, 6, 3))}, ("x",), {}),
    ("resize_bilinear_down", "ops.image.resize(x, (3, 2))", {"x": ("IMG", (1, 8, 7, 2))}, ("x",), {}),
    ("resize_bilinear_aa", "ops.image.resize(x, (3, 2), antialias=True)", {"x": ("IMG", (1, 8, 7, 2))},
     ("x",), {}),
    ("resize_nearest", "(ops.image.resize(x, (7, 5), interpolation='nearest'), "
     "ops.image.resize(x, (2, 3), interpolation='nearest'))", {"x": ("IMG", (1, 4, 6, 2))}, ("x",), {}),
    ("resize_bicubic", "ops.image.resize(x, (7, 9), interpolation='bicubic')", {"x": ("IMG", (1, 5, 6, 1))},
     ("x",), {"atol": 1e-5}),
    ("resize_bicubic_aa", "ops.image.resize(x, (3, 2), interpolation='bicubic', antialias=True)",
     {"x": ("IMG", (1, 7, 6, 1))}, ("x",), {"atol": 1e-5}),
    ("resize_area", "ops.image.resize(x, (3, 4), interpolation='area')", {"x": ("IMG", (1, 7, 6, 2))},
     ("x",), {"atol": 1e-5}),
    ("resize_lanczos3", "ops.image.resize(x, (9, 5), interpolation='lanczos3')", {"x": ("IMG", (1, 6, 7, 1))},
     ("x",), {"atol": 1e-5}),
    ("resize_lanczos5_aa", "ops.image.resize(x, (3, 4), interpolation='lanczos5', antialias=True)",
     {"x": ("IMG", (1, 9, 8, 1))}, ("x",), {"atol": 1e-5}),
    ("resize_crop", "ops.image.resize(x, (4, 4), crop_to_aspect_ratio=True)", {"x": ("IMG", (1, 6, 9, 1))},
     ("x",), {}),
    ("resize_pad", "ops.image.resize(x, (4, 4), pad_to_aspect_ratio=True, fill_value=0.5)",
     {"x": ("IMG", (1, 4, 8, 1))}, ("x",), {}),
    ("resize_cf_unbatched", "ops.image.resize(x, (5, 3), data_format='channels_first')",
     {"x": ("IMG", (2, 4, 6))}, ("x",), {}),
    ("affine_bilinear", "ops.image.affine_transform(x, t)",
     {"x": ("IMG", (2, 6, 5, 2)), "t": [[0.9, 0.2, 0.5, -0.1, 1.1, -0.3, 0.0, 0.0],
                                         [1.0, 0.0, -1.5, 0.0, 1.0, 0.7, 0.0, 0.0]]},
     ("x",), {"tf_grad": False, "atol": 1e-5}),
    ("affine_nearest_reflect", "ops.image.affine_transform(x, t, interpolation='nearest', fill_mode='reflect')",
     {"x": ("IMG", (1, 6, 5, 1)), "t": [0.8, -0.3, 2.2, 0.4, 1.2, -1.7, 0.0, 0.0]}, ("x",), {"tf_grad": False}),
    ("affine_wrap", "ops.image.affine_transform(x, t, fill_mode='wrap')",
     {"x": ("IMG", (1, 5, 6, 1)), "t": [1.0, 0.3, 2.4, 0.1, 1.0, -2.2, 0.0, 0.0]}, ("x",), {"tf_grad": False, "atol": 1e-5}),
    ("affine_nearest_mode", "ops.image.affine_transform(x, t, fill_mode='nearest')",
     {"x": ("IMG", (1, 5, 6, 1)), "t": [1.2, 0.0, -1.4, 0.0, 0.9, 1.3, 0.01, 0.02]}, ("x",), {"tf_grad": False, "atol": 1e-5}),
    ("affine_constant_fill", "ops.image.affine_transform(x, t, fill_value=0.5)",
     {"x": ("IMG", (1, 5, 6, 1)), "t": [1.0, 0.0, 1.5, 0.0, 1.0, -2.5, 0.0, 0.0]}, ("x",), {"tf_grad": False, "atol": 1e-5}),
    ("perspective", "ops.image.perspective_transform(x, s, e)",
     {"x": ("IMG", (1, 8, 8, 1)), "s": [[0, 0], [7, 0], [0, 7], [7, 7]],
      "e": [[1, 0.5], [6, 1], [0, 6], [7.5, 7]]}, ("x",), {"tf_grad": False, "atol": 1e-4}),
    ("map_coordinates", "ops.image.map_coordinates(x, c, order=1)",
     {"x": ("N", (5, 6)), "c": [[0.5, 2.2, 4.7, -0.3, 3.0], [1.5, 5.5, 0.2, 2.0, 6.4]]}, ("x",), {}),
    ("map_coordinates_nearest", "ops.image.map_coordinates(x, c, 0, fill_mode='nearest')",
     {"x": ("N", (5, 6)), "c": [[-1.5, 2.2, 5.7, 7.3], [1.5, -2.5, 6.2, 9.0]]}, (), {}),
    ("map_coordinates_reflect", "ops.image.map_coordinates(x, c, 1, fill_mode='reflect')",
     {"x": ("N", (5, 6)), "c": [[-1.5, 2.2, 3.7, 1.3], [1.5, -2.5, 4.2, 7.0]]}, ("x",), {}),
    ("map_coordinates_wrap", "ops.image.map_coordinates(x, c, 1, fill_mode='wrap')",
     {"x": ("N", (5, 6)), "c": [[-1.5, 2.2, 5.7, 7.3], [1.5, -2.5, 6.2, 9.0]]}, ("x",), {}),
    ("map_coordinates_mirror", "ops.image.map_coordinates(x, c, 1, fill_mode='mirror')",
     {"x": ("N", (5, 6)), "c": [[-1.5, 2.2, 3.7, 1.3], [1.5, -2.5, 4.2, 7.0]]}, ("x",), {}),
    ("rgb_to_grayscale", "ops.image.rgb_to_grayscale(x)", {"x": ("IMG", (2, 3, 4, 3))}, ("x",), {}),
    ("rgb_hsv", "(ops.image.rgb_to_hsv(x), ops.image.hsv_to_rgb(x))", {"x": ("IMG", (2, 3, 4, 3))}, (),
     {"atol": 1e-6}),
    ("pad_crop_images", "(ops.image.pad_images(x, 1, 2, target_height=6, target_width=7), "
     "ops.image.crop_images(x, 1, 0, bottom_cropping=1, right_cropping=2))",
     {"x": ("IMG", (1, 4, 4, 2))}, ("x",), {}),
    ("extract_patches", "ops.image.extract_patches(x, 2)", {"x": ("IMG", (1, 4, 6, 2))}, ("x",), {}),
    ("extract_patches_strided", "ops.image.extract_patches(x, (3, 2), strides=1, padding='same')",
     {"x": ("IMG", (5, 4, 1))}, ("x",), {}),
    ("extract_patches_3d", "ops.image.extract_patches_3d(x, 2)", {"x": ("IMG", (1, 4, 4, 4, 2))},
     ("x",), {}),
    ("gaussian_blur", "ops.image.gaussian_blur(x, (3, 5), (1.0, 1.5))", {"x": ("IMG", (1, 6, 6, 2))},
     ("x",), {}),
    ("sobel_edges", "ops.image.sobel_edges(x)", {"x": ("IMG", (1, 5, 6, 2))}, ("x",), {}),
    ("scale_and_translate", "ops.image.scale_and_translate(x, (1, 6, 9, 1), [1.5, 1.2], [0.5, -0.4], "
     "(1, 2), 'linear')", {"x": ("IMG", (1, 4, 7, 1))}, ("x",), {"atol": 1e-5}),
    ("ssim", "ops.image.ssim(a, b, filter_size=3)", {"a": ("IMG", (2, 6, 6, 1)), "b": ("IMG", (2, 6, 6, 1))},
     ("a", "b"), {"rtol": 1e-4}),
]

# ----- keras.backend (Keras 2 functions of tf.keras 3) -----------------------------------------
BACKEND = [
    ("K_mean_square", "K.mean(K.square(x - y), axis=-1)", {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("K_reductions", "(K.sum(x, axis=0), K.max(x, axis=1), K.min(x), K.prod(p, axis=1), K.std(x), "
     "K.var(x, axis=0, keepdims=True), K.mean(x > 0, axis=1))", {"x": X34, "p": P34}, ("x", "p"), {}),
    ("K_sqrt_clip", "(K.sqrt(x), K.clip(x, -0.5, 0.2), K.clip(x, 1.0, 0.0), K.abs(x), K.exp(x), K.log(p))",
     {"x": X34, "p": P34}, ("x", "p"), NO_NUM),
    ("K_argmax", "(K.argmax(x), K.argmin(x, axis=0))", {"x": X34}, (), {}),
    ("K_dot", "K.dot(x, y)", {"x": ("N", (2, 3, 4)), "y": ("N", (5, 4, 2))}, ("x", "y"), {}),
    ("K_batch_dot_2d", "K.batch_dot(x, y, axes=1)", {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("K_batch_dot_3d", "K.batch_dot(x, y)", {"x": ("N", (2, 3, 4)), "y": ("N", (2, 4, 5))}, ("x", "y"), {}),
    ("K_batch_dot_axes", "K.batch_dot(x, y, axes=(1, 2))", {"x": ("N", (2, 3, 4)), "y": ("N", (2, 5, 3))},
     ("x", "y"), {}),
    ("K_shape_ops", "(K.reshape(x, (4, 3)), K.permute_dimensions(x, (1, 0)), K.expand_dims(x), "
     "K.batch_flatten(K.expand_dims(x, 1)), K.flatten(x), K.repeat(x, 2), K.repeat_elements(x, 2, 1), "
     "K.tile(x, (1, 2)), K.reverse(x, 1), K.transpose(x), K.squeeze(K.expand_dims(x, 0), 0))",
     {"x": X34}, ("x",), {}),
    ("K_concat_stack", "(K.concatenate([x, y]), K.concatenate([x, y], axis=0), K.stack([x, y], axis=-1))",
     {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("K_gather_onehot", "(K.gather(x, [2, 0]), K.one_hot(i, 5))", {"x": X34, "i": ("I", (3,), 0, 5)}, ("x",), {}),
    ("K_activations", "(K.relu(x), K.relu(x, alpha=0.1), K.relu(x, max_value=0.5), "
     "K.relu(x, alpha=0.2, max_value=1.0, threshold=0.3), K.hard_sigmoid(x * 3.0), K.elu(x, 0.5), "
     "K.softplus(x), K.softsign(x), K.sigmoid(x), K.tanh(x), K.softmax(x))", {"x": X34}, ("x",), NO_NUM),
    ("K_l2_normalize", "K.l2_normalize(x, axis=1)", {"x": X34}, ("x",), {}),
    ("K_crossentropies", "(K.binary_crossentropy(t, p), K.binary_crossentropy(t, x, from_logits=True), "
     "K.categorical_crossentropy(o, q), K.categorical_crossentropy(o, x, from_logits=True), "
     "K.sparse_categorical_crossentropy(i, q), K.sparse_categorical_crossentropy(i, x, from_logits=True))",
     {"t": ("U01", (3, 4)), "p": ("U01", (3, 4)), "x": X34, "o": ("OH", (3, 4)), "q": ("PR", (3, 4)),
      "i": ("I", (3,), 0, 4)}, ("p", "x", "q"), {}),
    ("K_scce_ignore", "K.sparse_categorical_crossentropy(i, q, ignore_class=1)",
     {"i": ("I", (5,), 0, 3), "q": ("PR", (5, 3))}, ("q",), {}),
    ("K_focal", "(K.binary_focal_crossentropy(t, p, apply_class_balancing=True), "
     "K.categorical_focal_crossentropy(o, q))",
     {"t": ("U01", (3, 4)), "p": ("U01", (3, 4)), "o": ("OH", (3, 4)), "q": ("PR", (3, 4))}, ("p", "q"), {}),
    ("K_switch", "(K.switch(x > 0, x, y * 2.0), K.switch(K.constant(True), x, y))",
     {"x": X34, "y": Y34}, ("x", "y"), {}),
    ("K_padding", "(K.temporal_padding(x, (1, 2)), K.spatial_2d_padding(z), "
     "K.spatial_2d_padding(z, ((0, 1), (2, 0)), data_format='channels_first'))",
     {"x": ("N", (2, 3, 4)), "z": ("N", (1, 3, 3, 2))}, ("x", "z"), {}),
    ("K_conv", "(K.conv1d(a, k1, padding='causal'), K.conv2d(b, k2, strides=(2, 1), padding='same'), "
     "K.depthwise_conv2d(b, kd), K.separable_conv2d(b, kd, kp), "
     "K.pool2d(b, (2, 2), strides=(2, 2), pool_mode='avg'), K.pool2d(b, (2, 2)))",
     {"a": ("N", (2, 6, 3)), "k1": ("N", (3, 3, 2)), "b": ("N", (1, 5, 5, 2)), "k2": ("N", (3, 3, 2, 3)),
      "kd": ("N", (3, 3, 2, 2)), "kp": ("N", (1, 1, 4, 3))}, ("a", "b", "k1", "k2"), {"rtol": 1e-4, "atol": 1e-5}),
    ("K_conv2d_transpose", "K.conv2d_transpose(b, k, (1, 6, 6, 2), strides=(2, 2), padding='same')",
     {"b": ("N", (1, 3, 3, 3)), "k": ("N", (3, 3, 2, 3))}, ("b", "k"), {"rtol": 1e-4, "atol": 1e-5}),
    ("K_bias_add", "(K.bias_add(x, b), K.bias_add(z, c, data_format='channels_first'))",
     {"x": X34, "b": ("N", (4,)), "z": ("N", (2, 3, 4)), "c": ("N", (3,))}, ("x", "b", "z", "c"), {}),
    ("K_batch_normalization", "K.batch_normalization(x, m, v, b, g, epsilon=1e-3)",
     {"x": X34, "m": ("N", (4,)), "v": ("P", (4,)), "b": ("N", (4,)), "g": ("P", (4,))},
     ("x", "m", "v", "b", "g"), {}),
    ("K_resize", "(K.resize_images(z, 2, 3, 'channels_last'), K.resize_volumes(w, 1, 2, 2, 'channels_last'), "
     "K.resize_images(z, 2, 2, 'channels_last', interpolation='bilinear'))",
     {"z": ("N", (1, 2, 3, 2)), "w": ("N", (1, 2, 2, 2, 1))}, ("z", "w"), {}),
    ("K_cumulative", "(K.cumsum(x), K.cumprod(p, axis=1))", {"x": X34, "p": P34}, ("x", "p"), {}),
    ("K_ctc_batch_cost", "K.ctc_batch_cost(lab, p, [[6], [5]], [[2], [3]])",
     {"lab": [[1, 2, 0], [3, 3, 1]], "p": ("PR", (2, 6, 5))}, ("p",), {"rtol": 1e-4}),
    ("K_ctc_decode", "K.ctc_decode(p, [6, 5])", {"p": ("PR", (2, 6, 5))}, (), {}),
    ("K_in_top_k", "K.in_top_k(x, t, 2)", {"x": X34, "t": ("I", (3,), 0, 4)}, (), {}),
    ("K_misc", "(K.cast_to_floatx([1, 2]), K.arange(2, 9, 3), K.round(x * 3.0), K.sign(x), K.pow(p, 2.5), "
     "K.maximum(x, y), K.minimum(x, 0.0), K.cast(x > 0, 'float32'), K.all(x > -3.0), K.any(x > 3.0, axis=0))",
     {"x": X34, "y": Y34, "p": P34}, ("p",), {}),
]

FAMILIES = {"core": CORE, "numpy": NUMPY, "nn": NN, "linalg": LINALG, "math": MATH,
            "image": IMAGE, "backend": BACKEND}
