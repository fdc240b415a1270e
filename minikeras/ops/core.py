"""keras.ops core: conversion, dtypes, control flow, slicing and scattering.

Shared helpers for the other ops modules live here too: `_v`/`_t` unwrap
Variables and turn Python values into arrays, `_f` makes an input floating
point the way Keras does, and `_pair` applies Keras's dtype promotion to the
two operands of a binary op (int32 with float32 gives float32, not numpy's
float64; Python scalars stay "weak").
"""
import builtins

import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp, defvjp_argnums
from autograd.tracer import isbox, getval

from minikeras.backend import common, config, tape as _tape
from minikeras.backend.variables import Variable


# ----- unwrapping and conversion helpers -------------------------------------
def _v(x):
    """The value an op computes with: Variables read, watched arrays boxed."""
    if isinstance(x, Variable):
        return x.value
    if _tape._ACTIVE_TAPES and (isinstance(x, np.ndarray) or isbox(x)):
        # Boxes too: an inner tape may have watched a tensor an outer tape recorded.
        return _tape.lookup_watched_array(x)
    return x


def _is_python_scalar(x):
    return isinstance(x, (bool, int, float)) and not isinstance(x, np.generic)


def _t(x):
    """Like `_v`, and Python lists/scalars become arrays (floats as floatx,
    ints as int32, as Keras converts them)."""
    x = _v(x)
    if isbox(x) or isinstance(x, np.ndarray):
        return x
    if isinstance(x, (list, tuple)) and builtins.any(
            isbox(e) or isinstance(e, Variable) for e in _flat(x)):
        return anp.array([_t(e) for e in x])
    arr = np.asarray(x)
    if not isinstance(x, np.generic):
        if arr.dtype == np.float64:
            arr = arr.astype(config.floatx())
        elif arr.dtype == np.int64:
            arr = arr.astype("int32")
    return arr


def _flat(x):
    for e in x:
        if isinstance(e, (list, tuple)):
            yield from _flat(e)
        else:
            yield e


def _dtype_of(x):
    return np.asarray(getval(x)).dtype


def _f(x):
    """`_t(x)`, cast to `floatx()` when it is an integer or boolean array."""
    x = _t(x)
    if _dtype_of(x).kind not in "fc":
        x = cast(x, config.floatx())
    return x


_result_dtype = common.result_type


def _pair(x1, x2):
    """Both operands of a binary op, promoted as Keras does."""
    s1, s2 = _is_python_scalar(_v(x1)), _is_python_scalar(_v(x2))
    if s1 and s2:
        return _t(x1), _t(x2)
    if s1 or s2:
        scalar, other = (x1, _t(x2)) if s1 else (x2, _t(x1))
        kind = _dtype_of(other).kind
        if isinstance(scalar, float) and kind not in "fc":
            other = cast(other, config.floatx())
        elif isinstance(scalar, int) and not isinstance(scalar, bool) and kind == "b":
            other = cast(other, "int32")
        return (scalar, other) if s1 else (other, scalar)
    x1, x2 = _t(x1), _t(x2)
    d1, d2 = _dtype_of(x1), _dtype_of(x2)
    if d1 != d2:
        dt = _result_dtype(d1, d2)
        if d1 != dt:
            x1 = cast(x1, dt)
        if d2 != dt:
            x2 = cast(x2, dt)
    return x1, x2


# ----- conversion ------------------------------------------------------------
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Convert a NumPy array, Python value or Variable to an array.

    Python floats become `floatx()` and Python ints `int32`, as in Keras.

    Args:
        x: the value to convert.
        dtype: target dtype; by default the value's own.
        sparse, ragged: only `None`/`False` are supported (dense arrays).

    Returns:
        A numpy array (or an autograd box while differentiated).

    Example:

    >>> keras.ops.convert_to_tensor([1.0, 2.0]).dtype
    dtype('float32')
    """
    if sparse:
        raise ValueError("`sparse=True` is not supported: minikeras arrays are dense.")
    if ragged:
        raise ValueError("`ragged=True` is not supported: minikeras arrays are dense.")
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
    """True for arrays (and the boxes that stand for them while traced)."""
    return isinstance(x, np.ndarray) or isbox(x)


def cast(x, dtype):
    """Cast `x` to `dtype`; differentiable between float types."""
    dtype = common.standardize_dtype(dtype)
    x = _v(x)
    if not (isbox(x) or isinstance(x, np.ndarray)):
        x = np.asarray(x)
    if isbox(x):
        if np.dtype(dtype).kind in "fc":
            return x.astype(dtype) if getval(x).dtype != dtype else x
        return np.asarray(getval(x)).astype(dtype)
    return x.astype(dtype, copy=False)


def saturate_cast(x, dtype):
    """Cast with clipping to the range of `dtype` (no wrap-around).

    Example:

    >>> keras.ops.saturate_cast(np.array([-1.0, 256.0]), "uint8")
    array([  0, 255], dtype=uint8)
    """
    dtype = common.standardize_dtype(dtype)
    x = _t(x)
    in_dt = _dtype_of(x)

    def limits(dt):
        dt = np.dtype(dt)
        if dt.kind == "b":
            return 0, 1
        info = np.iinfo(dt) if dt.kind in "iu" else np.finfo(dt)
        return info.min, info.max
    (imin, imax), (omin, omax) = limits(in_dt), limits(dtype)
    lo = np.asarray(builtins.max(imin, omin)).astype(in_dt)
    hi = np.asarray(builtins.min(imax, omax)).astype(in_dt)
    # Float bounds may round outside the integer range: step back inside.
    if lo < omin:
        lo = np.nextafter(lo, np.asarray(0, dtype=in_dt))
    if hi > omax:
        hi = np.nextafter(hi, np.asarray(0, dtype=in_dt))
    return cast(anp.clip(x, lo, hi), dtype)


def _is_symbolic(x):
    from minikeras.backend.keras_tensor import KerasTensor
    return isinstance(x, KerasTensor)


def dtype(x):
    """The standardized dtype name of `x`, e.g. `'float32'`."""
    if _is_symbolic(x):
        return x.dtype
    return common.standardize_dtype(np.asarray(getval(_v(x))).dtype)


def shape(x):
    """Static shape as a tuple of ints (None for unknown symbolic dims)."""
    if _is_symbolic(x):
        return tuple(x.shape)
    return tuple(np.shape(getval(_v(x))))


def stop_gradient(variable):
    """The value of `variable`, with no gradient flowing back through it."""
    return np.asarray(getval(_v(variable)))


# ----- nested structures (pytrees) -------------------------------------------------
def _tree_flatten(tree):
    if isinstance(tree, dict):
        out = []
        for k in sorted(tree):
            out.extend(_tree_flatten(tree[k]))
        return out
    if isinstance(tree, (list, tuple)):
        out = []
        for e in tree:
            out.extend(_tree_flatten(e))
        return out
    return [tree]


def _tree_pack(tree, flat):
    it = iter(flat)

    def rebuild(s):
        if isinstance(s, dict):
            return {k: rebuild(s[k]) for k in sorted(s)}
        if isinstance(s, (list, tuple)):
            items = [rebuild(e) for e in s]
            return type(s)(*items) if hasattr(s, "_fields") else type(s)(items)
        return next(it)
    return rebuild(tree)


def _stack_trees(trees):
    """Stack a list of same-structure trees leaf by leaf (None stays None)."""
    flats = [_tree_flatten(t) for t in trees]
    stacked = []
    for leaves in zip(*flats):
        if builtins.all(leaf is None for leaf in leaves):
            stacked.append(None)
        else:
            stacked.append(anp.stack([_t(leaf) for leaf in leaves]))
    return _tree_pack(trees[0], stacked)


# ----- control flow ----------------------------------------------------------------
def cond(pred, true_fn, false_fn):
    """Eager conditional: `true_fn()` if `pred` else `false_fn()`."""
    return true_fn() if bool(getval(_v(pred))) else false_fn()


def switch(index, branches, *operands):
    """Apply `branches[index](*operands)`; `index` is clipped into range.

    Example:

    >>> keras.ops.switch(1, [lambda x: x + 1, lambda x: x * 2], 3.0)
    6.0
    """
    if not branches:
        raise ValueError("`branches` must contain at least one callable.")
    i = int(np.asarray(getval(_v(index))))
    i = builtins.min(builtins.max(i, 0), len(branches) - 1)
    return branches[i](*operands)


def fori_loop(lower, upper, body_fun, init_val):
    """`for i in range(lower, upper): val = body_fun(i, val)`; returns val."""
    val = init_val
    for i in range(int(getval(_v(lower))), int(getval(_v(upper)))):
        val = body_fun(i, val)
    return val


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Run `body` while `cond` holds, at most `maximum_iterations` times.

    `loop_vars` may be a single value or a tuple/list that is unpacked into
    the calls of `cond` and `body`.
    """
    is_tuple = isinstance(loop_vars, (list, tuple))
    state = tuple(loop_vars) if is_tuple else (loop_vars,)
    n = 0
    while bool(getval(_v(cond(*state)))):
        if maximum_iterations is not None and n >= maximum_iterations:
            break
        state = body(*state)
        state = tuple(state) if isinstance(state, (list, tuple)) else (state,)
        n += 1
    return state if is_tuple else state[0]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Scan `f(carry, x) -> (carry, y)` over the leading axis of `xs`.

    Returns `(final_carry, stacked_ys)`; `xs` and `init` may be nested
    structures. Without `xs`, `length` iterations run with `x=None`.

    Example:

    >>> sum_fn = lambda c, x: (c + x, c + x)
    >>> keras.ops.scan(sum_fn, 0, np.array([1, 2, 3]))
    (6, array([1, 3, 6]))
    """
    if not isinstance(unroll, (bool, int)) or (not isinstance(unroll, bool) and unroll < 1):
        raise ValueError(
            f"`unroll` must be a positive integer or boolean. Received: unroll={unroll}")
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    leaves = [_t(e) for e in _tree_flatten(xs)] if xs is not None else []
    if leaves:
        n = np.shape(getval(leaves[0]))[0]
        if builtins.any(np.shape(getval(e))[0] != n for e in leaves):
            raise ValueError("All leaves of `xs` must have the same leading dimension.")
        if length is not None and int(length) != n:
            raise ValueError(
                f"`length` ({length}) does not match the leading dimension of `xs` ({n}).")
    else:
        n = int(length)
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, []
    for i in order:
        x = _tree_pack(xs, [e[i] for e in leaves]) if leaves else None
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys = ys[::-1]
    if not ys:
        return carry, None
    return carry, _stack_trees(ys)


def map(f, xs):
    """Apply `f` to each slice of `xs` along its leading axis and stack.

    Example:

    >>> keras.ops.map(lambda x: x ** 2, np.array([1.0, 2.0]))
    array([1., 4.], dtype=float32)
    """
    leaves = [_t(e) for e in _tree_flatten(xs)]
    if not leaves:
        raise ValueError("`xs` must contain at least one array.")
    n = np.shape(getval(leaves[0]))[0]
    outs = [f(_tree_pack(xs, [e[i] for e in leaves])) for i in range(n)]
    if not outs:
        raise ValueError("`xs` has an empty leading axis.")
    return _stack_trees(outs)


def vectorized_map(function, elements):
    """`function` applied to each slice of `elements` (leading axis), stacked.

    Equivalent to `map`: the slices are processed one after another.
    """
    return map(function, elements)


def associative_scan(f, elems, reverse=False, axis=0):
    """Cumulative application of the associative `f` along `axis`.

    `result[i] = f(result[i - 1], elems[i])`, with `result[0] = elems[0]`
    (from the end when `reverse=True`). `elems` may be a nested structure.

    Example:

    >>> keras.ops.associative_scan(lambda a, b: a + b, np.array([1, 2, 3]))
    array([1, 3, 6])
    """
    leaves = [_t(e) for e in _tree_flatten(elems)]
    if not leaves:
        raise ValueError("`elems` must contain at least one array.")
    lens = {np.shape(getval(e))[axis] for e in leaves}
    if len(lens) != 1:
        raise ValueError(
            "Array inputs to associative_scan must have the same first dimension. "
            f"(saw: {sorted(lens)})")
    n = lens.pop()
    moved = [anp.moveaxis(e, axis, 0) for e in leaves]
    order = list(range(n - 1, -1, -1)) if reverse else list(range(n))
    acc, outs = None, {}
    for i in order:
        cur = _tree_pack(elems, [e[i] for e in moved])
        acc = cur if acc is None else f(acc, cur)
        outs[i] = _tree_flatten(acc)
    flat = [anp.moveaxis(anp.stack([_t(outs[i][j]) for i in range(n)]), 0, axis)
            for j in range(len(leaves))]
    return _tree_pack(elems, flat)


# ----- custom gradients ------------------------------------------------------------
def custom_gradient(f):
    """Decorator giving `f` a hand-written gradient.

    `f(*args)` returns `(output, grad_fn)`; `grad_fn(upstream)` returns the
    gradient for each positional argument (one value for one argument, a
    tuple for several). Gradients through `grad_fn` are first order only.

    Example:

    >>> @keras.ops.custom_gradient
    ... def log1pexp(x):
    ...     e = keras.ops.exp(x)
    ...     def grad(upstream):
    ...         return upstream * (1.0 - 1.0 / (1 + e))
    ...     return keras.ops.log(1 + e), grad
    """
    def wrapper(*args, **kwargs):
        values = [_v(a) for a in args]
        traced = [i for i, a in enumerate(values) if isbox(a)]
        if not traced:
            out, _ = f(*[getval(a) for a in values], **kwargs)
            return out
        state = {}

        @primitive
        def forward(*inputs):
            out, grad_fn = f(*inputs, **kwargs)
            state["grad_fn"] = grad_fn
            state["multi"] = isinstance(out, (list, tuple))
            return _plain_tree(out) if not state["multi"] else tuple(_plain_tree(o) for o in out)

        def vjp_maker(argnums, ans, fargs, fkwargs):
            def vjp(g):
                grads = state["grad_fn"](*(g if state["multi"] else (g,)))
                if not isinstance(grads, (list, tuple)):
                    grads = (grads,)
                if len(grads) != len(fargs):
                    raise ValueError(
                        f"The gradient function of a custom_gradient returned {len(grads)} "
                        f"gradients for {len(fargs)} inputs.")
                return tuple(_grad_like(grads[i], fargs[i]) for i in argnums)
            return vjp
        defvjp_argnums(forward, vjp_maker)
        return forward(*values)
    wrapper.__name__ = getattr(f, "__name__", "custom_gradient")
    wrapper.__doc__ = getattr(f, "__doc__", None)
    return wrapper


def _plain_tree(x):
    return np.asarray(getval(_v(x))) if not isinstance(x, (list, tuple)) else type(x)(
        _plain_tree(e) for e in x)


def _grad_like(g, like):
    if g is None:
        return np.zeros(np.shape(like), dtype=_dtype_of(like))
    g = np.asarray(getval(_v(g)))
    dt = _dtype_of(like)
    if g.dtype != dt and dt.kind in "fc":
        g = g.astype(dt)
    return np.broadcast_to(g, np.shape(like)) if g.shape != np.shape(like) else g


# ----- slicing and scattering ----------------------------------------------------
def _starts(start_indices, rank, what):
    starts = [int(s) for s in np.asarray(getval(_v(start_indices))).reshape(-1)]
    if len(starts) != rank:
        raise ValueError(
            f"`start_indices` must have one entry per axis of `{what}` ({rank}); "
            f"received {len(starts)}.")
    return starts


def slice(inputs, start_indices, shape):
    """The block of `inputs` of size `shape` starting at `start_indices`.

    A size of -1 takes everything to the end of that axis.

    Example:

    >>> keras.ops.slice(np.arange(10).reshape(2, 5), (0, 1), (2, 3))
    array([[1, 2, 3],
           [6, 7, 8]])
    """
    x = _t(inputs)
    xshape = np.shape(getval(x))
    starts = _starts(start_indices, len(xshape), "inputs")
    sizes = [int(s) for s in np.asarray(getval(_v(shape))).reshape(-1)]
    if len(sizes) != len(xshape):
        raise ValueError(
            f"`shape` must have one entry per axis of `inputs` ({len(xshape)}); "
            f"received {len(sizes)}.")
    key = tuple(builtins.slice(s, n if z == -1 else s + z)
                for s, z, n in zip(starts, sizes, xshape))
    return x[key]


@primitive
def _slice_update(x, starts, updates):
    out = np.array(x, copy=True)
    key = tuple(builtins.slice(s, s + n) for s, n in zip(starts, np.shape(updates)))
    out[key] = updates
    return out


def _slice_key(starts, ushape):
    return tuple(builtins.slice(s, s + n) for s, n in zip(starts, ushape))


def _slice_update_vjp_x(ans, x, starts, updates):
    mask = np.ones(np.shape(x), dtype=_dtype_of(x))
    mask[_slice_key(starts, np.shape(updates))] = 0
    return lambda g: g * mask


def _slice_update_vjp_u(ans, x, starts, updates):
    key = _slice_key(starts, np.shape(updates))
    return lambda g: g[key]


defvjp(_slice_update, _slice_update_vjp_x, None, _slice_update_vjp_u)


def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block at `start_indices` set to `updates`.

    Example:

    >>> keras.ops.slice_update(np.zeros((2, 3)), (0, 1), np.ones((1, 2)))
    array([[0., 1., 1.],
           [0., 0., 0.]])
    """
    x, u = _t(inputs), _t(updates)
    u = cast(u, _dtype_of(x)) if _dtype_of(u) != _dtype_of(x) else u
    xshape, ushape = np.shape(getval(x)), np.shape(getval(u))
    if len(ushape) != len(xshape):
        raise ValueError(
            f"`updates` must have the rank of `inputs` ({len(xshape)}); "
            f"received updates.shape={ushape}.")
    starts = tuple(_starts(start_indices, len(xshape), "inputs"))
    # Out-of-range starts are clamped, as XLA's dynamic_update_slice does.
    starts = tuple(builtins.min(builtins.max(s, 0), n - m)
                   for s, n, m in zip(starts, xshape, ushape))
    return _slice_update(x, starts, u)


def _index_tuple(indices):
    idx = np.asarray(indices)
    return tuple(idx[..., k] for k in range(idx.shape[-1]))


@primitive
def _scatter_add(base, indices, values):
    out = np.array(base, copy=True)
    np.add.at(out, _index_tuple(indices), values)
    return out


defvjp(_scatter_add,
       lambda ans, base, indices, values: lambda g: g,
       None,
       lambda ans, base, indices, values: lambda g: g[_index_tuple(indices)])


@primitive
def _scatter_set(base, indices, values):
    out = np.array(base, copy=True)
    out[_index_tuple(indices)] = values
    return out


def _scatter_set_vjp_base(ans, base, indices, values):
    mask = np.ones(np.shape(base), dtype=_dtype_of(base))
    mask[_index_tuple(indices)] = 0
    return lambda g: g * mask


def _scatter_set_vjp_values(ans, base, indices, values):
    # Where an index repeats, the last write wins and only it gets gradient.
    idx = np.asarray(indices)
    flat = np.ravel_multi_index(_index_tuple(idx), np.shape(base)[:idx.shape[-1]])
    last = np.zeros(len(flat), dtype=bool)
    seen = set()
    for i in range(len(flat) - 1, -1, -1):
        if flat[i] not in seen:
            seen.add(flat[i])
            last[i] = True
    keep = last.reshape(last.shape + (1,) * (np.ndim(values) - 1)).astype(_dtype_of(values))

    def vjp(g):
        return g[_index_tuple(idx)] * keep
    return vjp


defvjp(_scatter_set, _scatter_set_vjp_base, None, _scatter_set_vjp_values)


def _check_indices(indices, shape, name):
    idx = np.asarray(getval(_v(indices)))
    if idx.dtype.kind not in "iu":
        idx = idx.astype(np.int64)
    if idx.ndim < 1 or idx.shape[-1] > len(shape):
        raise ValueError(
            f"`indices` of `{name}` must have shape (..., k) with k <= rank of the "
            f"target ({len(shape)}); received indices.shape={idx.shape}.")
    return idx.astype(np.intp)


def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (duplicates summed).

    `indices` has shape `(..., k)`: each row indexes the first `k` axes.

    Example:

    >>> keras.ops.scatter([[0, 0], [1, 1]], np.array([1.0, 2.0]), (2, 2))
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """
    shape = tuple(int(s) for s in np.asarray(getval(_v(shape))).reshape(-1))
    idx = _check_indices(indices, shape, "scatter")
    values = _t(values)
    base = np.zeros(shape, dtype=_dtype_of(values))
    return _scatter_add(base, idx, values)


def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with `updates` written at `indices`.

    Args:
        inputs: the array to update.
        indices: `(N, k)` integer positions in the first `k` axes.
        updates: `(N, *inputs.shape[k:])` new values.
        reduction: None (replace), `"add"`, `"mul"`, `"max"` or `"min"` to
            combine with the existing values.

    Example:

    >>> keras.ops.scatter_update(np.zeros((3,)), [[1]], np.array([5.0]))
    array([0., 5., 0.])
    """
    x = _t(inputs)
    shape = np.shape(getval(x))
    idx = _check_indices(indices, shape, "scatter_update")
    u = _t(updates)
    if _dtype_of(u) != _dtype_of(x):
        u = cast(u, _dtype_of(x))
    if reduction is None:
        return _scatter_set(x, idx, u)
    if reduction == "add":
        return _scatter_add(x, idx, u)
    if reduction in ("max", "min", "mul"):
        from minikeras.ops import _primitives as OP
        # Sequential over the updates: repeated indices combine in order.
        out = x
        for i in range(idx.shape[0]):
            row = idx[i:i + 1]
            cur = out[_index_tuple(row)]
            new = {"max": OP.maximum, "min": OP.minimum,
                   "mul": anp.multiply}[reduction](cur, u[i:i + 1])
            out = _scatter_set(out, row, new)
        return out
    raise ValueError(f"Unsupported reduction: {reduction}")


def unstack(x, num=None, axis=0):
    """Split `x` along `axis` into a list of arrays without that axis."""
    x = _t(x)
    n = np.shape(getval(x))[axis]
    if num is not None and num != n:
        raise ValueError(f"Cannot unstack axis {axis} of size {n} into num={num} parts.")
    return [anp.squeeze(s, axis=axis) for s in anp.split(x, n, axis=axis)] if n else []


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turn `pyfunc`, written for single elements (or for the core shapes of
    a numpy-style `signature` such as `"(n),(n)->()"`), into a function that
    broadcasts over leading axes.

    Example:

    >>> f = keras.ops.vectorize(lambda a, b: a * b + 1)
    >>> f(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    array([4., 9.], dtype=float32)
    """
    excluded = set(excluded or ())
    if signature is not None:
        ins, outs = signature.replace(" ", "").split("->")
        core_in = [len([d for d in part.strip("()").split(",") if d])
                   for part in ins.split("),(")] if ins != "()" else [0]
        multi_out = outs.startswith("(") and outs.count("(") > 1
    else:
        core_in, multi_out = None, False

    def wrapped(*args, **kwargs):
        pos = [i for i in range(len(args)) if i not in excluded]
        arrays = {i: _t(args[i]) for i in pos}
        cores = core_in if core_in is not None else [0] * len(pos)
        if len(cores) != len(pos):
            raise ValueError(
                f"vectorize: signature {signature!r} expects {len(cores)} inputs, got {len(pos)}.")
        loops = [np.shape(getval(arrays[i]))[:np.ndim(getval(arrays[i])) - c]
                 for i, c in zip(pos, cores)]
        loop = np.broadcast_shapes(*loops) if loops else ()
        bcast = {}
        for i, c in zip(pos, cores):
            a = arrays[i]
            core_shape = np.shape(getval(a))[np.ndim(getval(a)) - c:] if c else ()
            a = anp.broadcast_to(a, tuple(loop) + tuple(core_shape))
            bcast[i] = anp.reshape(a, (-1,) + tuple(core_shape))
        n = int(np.prod(loop)) if loop else 1
        results = []
        for k in range(n):
            call = list(args)
            for i in pos:
                call[i] = bcast[i][k]
            results.append(pyfunc(*call, **kwargs))
        if multi_out or isinstance(results[0], tuple):
            outs_ = []
            for j in range(len(results[0])):
                st = anp.stack([_t(r[j]) for r in results])
                outs_.append(anp.reshape(st, tuple(loop) + np.shape(getval(st))[1:]))
            return tuple(outs_)
        st = anp.stack([_t(r) for r in results])
        return anp.reshape(st, tuple(loop) + np.shape(getval(st))[1:])
    wrapped.__name__ = getattr(pyfunc, "__name__", "vectorized")
    return wrapped
