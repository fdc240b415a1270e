"""Reverse-mode differentiation on autograd's tracer.

Two entry points share one backward pass:

* `value_and_grad(fn, variables)`: the trainer's fast path. Each variable is
  boxed with its own root node for the duration of `fn()`.
* `GradientTape`: TensorFlow's imperative API for custom loops and
  `train_step` overrides. Each tape owns one autograd trace level, so nested
  tapes give higher-order gradients.
"""
import contextlib
import operator

import numpy as np
from autograd.core import VJPNode, add_outgrads
from autograd.tracer import isbox, new_box, trace_stack, getval
from autograd.util import toposort

from minikeras.backend.variables import Variable, _ACTIVE_TAPES
_parents = operator.attrgetter("parents")


class _SeedNode:
    """A fake end node whose parents are the targets: sums several targets."""
    __slots__ = ("parents", "seeds")

    def __init__(self, parents, seeds):
        self.parents = parents
        self.seeds = seeds

    def vjp(self, g):
        return self.seeds


def backward(end_node, seed, wanted):
    """Propagate `seed` from `end_node`; return {node: gradient} for `wanted`."""
    wanted = set(wanted)
    found = {}
    outgrads = {end_node: (seed, False)}
    for node in toposort(end_node, _parents):
        entry = outgrads.pop(node, None)
        if entry is None:
            continue
        g = entry[0]
        if node in wanted:
            found[node] = g
            if not node.parents:
                continue
        for parent, ingrad in zip(node.parents, node.vjp(g)):
            outgrads[parent] = add_outgrads(outgrads.get(parent), ingrad)
    return found


def _as_like(g, like_dtype):
    g = np.asarray(getval(g)) if not isbox(g) else g
    if not isbox(g) and g.dtype != like_dtype:
        g = g.astype(like_dtype)
    return g


def value_and_grad(fn, variables):
    """Run `fn()` with `variables` traced; return `(fn's output, grads)`.

    `fn` returns `(loss, aux)`; the loss is summed if it is not a scalar. `aux`
    is returned unboxed. A variable the loss does not depend on gets zeros.
    """
    variables = list(variables)
    with trace_stack.new_trace() as level:
        nodes = []
        try:
            for v in variables:
                node = VJPNode.new_root()
                v._traced = new_box(v._value, level, node)
                nodes.append(node)
            loss, aux = fn()
        finally:
            for v in variables:
                v._traced = None
    if isbox(loss) and loss._trace == level:
        value = loss._value
        seed = np.ones(np.shape(value), dtype=np.asarray(value).dtype)
        found = backward(loss._node, seed, nodes)
    else:
        value, found = loss, {}
    grads = []
    for v, node in zip(variables, nodes):
        g = found.get(node)
        grads.append(np.zeros_like(v._value) if g is None else _as_like(g, v._value.dtype))
    return (value, _strip(aux)), grads


def _strip(tree):
    if isbox(tree):
        return getval(tree)
    if isinstance(tree, dict):
        return {k: _strip(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_strip(v) for v in tree)
    return tree


def _read_under(var, depth):
    """The value of `var` as seen by the tapes `_ACTIVE_TAPES[:depth]`."""
    if depth == 0:
        t = var._traced
        return var._value if t is None else t
    tape = _ACTIVE_TAPES[depth - 1]
    entry = tape._watched.get(id(var))
    if entry is not None:
        return entry[1]
    base = _read_under(var, depth - 1)
    if tape._watch_accessed and var.trainable and not tape._paused:
        return tape._box(var, base)
    return base


def _auto_watch(var):
    return _read_under(var, len(_ACTIVE_TAPES))


def lookup_watched_array(x):
    """If a raw array (or an outer tape's box) was `watch`ed by an active
    tape, return the box that tape recorded it with."""
    for tape in reversed(_ACTIVE_TAPES):
        entry = tape._watched.get(id(x))
        if entry is not None and entry[0] is x:
            return entry[1]
    return x


def _flatten(structure):
    if isinstance(structure, dict):
        out = []
        for k in structure:
            out.extend(_flatten(structure[k]))
        return out
    if isinstance(structure, (list, tuple)):
        out = []
        for s in structure:
            out.extend(_flatten(s))
        return out
    return [structure]


def _pack_like(structure, flat):
    it = iter(flat)

    def rebuild(s):
        if isinstance(s, dict):
            return {k: rebuild(s[k]) for k in s}
        if isinstance(s, (list, tuple)):
            return type(s)(rebuild(x) for x in s)
        return next(it)
    return rebuild(structure)


class GradientTape:
    """Records operations for automatic differentiation.

    Trainable variables read inside the `with` block are watched
    automatically; `watch()` adds other variables or arrays.

    Example:

    >>> w = Variable(np.array([1.0, 2.0]))
    >>> with GradientTape() as tape:
    ...     loss = ops.sum(w * w)
    >>> tape.gradient(loss, w)
    array([2., 4.], dtype=float32)
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._watched = {}
        self._level = None
        self._used = False
        self._paused = False
        self._recording = False

    def __enter__(self):
        trace_stack.top += 1
        self._level = trace_stack.top
        self._recording = True
        _ACTIVE_TAPES.append(self)
        return self

    def __exit__(self, *exc):
        self._recording = False
        if self in _ACTIVE_TAPES:
            _ACTIVE_TAPES.remove(self)
        trace_stack.top -= 1
        return False

    def _box(self, key_obj, base):
        box = new_box(base, self._level, VJPNode.new_root())
        self._watched[id(key_obj)] = (key_obj, box)
        return box

    def watch(self, tensor):
        """Track `tensor` (a Variable, an array, or a nested structure)."""
        if self._level is None:
            raise ValueError("GradientTape.watch() must be called inside the `with` block.")
        for t in _flatten(tensor):
            if id(t) in self._watched:
                continue
            if isinstance(t, Variable):
                depth = _ACTIVE_TAPES.index(self) if self in _ACTIVE_TAPES else len(_ACTIVE_TAPES)
                self._box(t, _read_under(t, depth))
            elif isbox(t) and t._trace >= self._level:
                # Watching an intermediate tensor: gradients are taken at its node.
                self._watched[id(t)] = (t, t)
            elif isbox(t):
                # A tensor an outer tape recorded (WGAN-GP's interpolated images
                # inside the critic's tape): this tape starts recording at it, so
                # it gets a box of its own level, which ops look up (as arrays).
                self._box(t, t)
            else:
                arr = t if isinstance(t, np.ndarray) else np.asarray(t)
                if arr is not t:
                    raise ValueError(
                        "GradientTape.watch() needs a numpy array or a Variable so that "
                        f"later ops can recognise it; received {type(t).__name__}.")
                # autograd boxes plain arrays only (an EagerTensor is a subclass).
                self._box(t, t if type(t) is np.ndarray else t.view(np.ndarray))

    def watched_variables(self):
        return tuple(obj for obj, _ in self._watched.values() if isinstance(obj, Variable))

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stop watching variables read in the block."""
        self._paused = True
        was = list(_ACTIVE_TAPES)
        _ACTIVE_TAPES.clear()
        try:
            yield
        finally:
            _ACTIVE_TAPES.extend(was)
            self._paused = False

    def reset(self):
        self._watched.clear()

    def _check_use(self):
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set "
                "of gradients (or jacobians). Use GradientTape(persistent=True).")
        self._used = True

    def _source_nodes(self, flat_sources):
        nodes = []
        for s in flat_sources:
            entry = self._watched.get(id(s))
            if entry is None and isinstance(s, Variable) and s._traced is not None:
                entry = (s, s._traced)
            if entry is None and isbox(s):
                entry = (s, s)
            nodes.append(entry[1]._node if entry is not None and isbox(entry[1]) else None)
        return nodes

    def _backward(self, targets, seeds, nodes):
        """Gradients reaching `nodes` from `targets` seeded with `seeds`
        (None seeds mean ones); {node: grad}."""
        live = [(t, g) for t, g in zip(targets, seeds)
                if isbox(t) and t._trace == self._level]
        if not live:
            return {}
        parents = tuple(t._node for t, _ in live)
        seed_vals = tuple(
            np.ones(np.shape(t._value), dtype=_float_dtype(t._value)) if g is None
            else _seed_like(g, t._value)
            for t, g in live)
        # Higher-order: the backward pass itself is traced by outer tapes.
        return backward(_SeedNode(parents, seed_vals), None, [n for n in nodes if n is not None])

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """Gradient of `target` (summed over all its elements and entries)
        with respect to each entry of `sources`, in the structure of `sources`.

        Args:
            target: a tensor or a nested structure of tensors.
            sources: a Variable, array or nested structure of them.
            output_gradients: cotangents for each target (default ones).
            unconnected_gradients: "none" (None for sources the target does
                not depend on) or "zero" (zeros instead).
        """
        self._check_use()
        unconnected = _unconnected(unconnected_gradients)
        # A target that *is* a watched array or variable (e.g. `y = x`) stands
        # for its box, so its gradient is ones, as in TensorFlow.
        targets = [self._watched[id(t)][1] if (not isbox(t) and id(t) in self._watched
                                               and self._watched[id(t)][0] is t) else t
                   for t in _flatten(target)]
        out_grads = _flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
        if len(out_grads) != len(targets):
            raise ValueError(
                f"`output_gradients` must match the structure of `target`: got {len(out_grads)} "
                f"gradients for {len(targets)} targets.")
        flat_sources = _flatten(sources)
        nodes = self._source_nodes(flat_sources)
        found = self._backward(targets, out_grads, nodes)
        results = [self._finish(found.get(node) if node is not None else None, s, unconnected)
                   for s, node in zip(flat_sources, nodes)]
        return _pack_like(sources, results)

    def _finish(self, g, source, unconnected):
        value = getval(source._value if isinstance(source, Variable) else source)
        dt = _float_dtype(value)
        if g is None and type(source) is np.ndarray:
            import warnings
            warnings.warn(
                "No gradient reached a watched numpy array. Computations on it are recorded "
                "only through `keras.ops` functions (or on a `keras.Variable`); Python "
                "operators on a raw array, such as `x * x`, are plain numpy. Use "
                "`keras.ops.multiply(x, x)` or `x = keras.Variable(x)`.", stacklevel=3)
        if g is None:
            if unconnected == "zero":
                return np.zeros(np.shape(value), dtype=dt)
            return None
        if not isbox(g):
            g = np.asarray(g)
            if g.dtype != dt:
                g = g.astype(dt)
        return g

    def jacobian(self, target, sources, unconnected_gradients="none",
                 parallel_iterations=None, experimental_use_pfor=True):
        """Jacobian of `target` with respect to each source: shape
        `target.shape + source.shape` (one backward pass per target element).

        Example:

        >>> x = np.array([1.0, 2.0], dtype="float32")
        >>> with GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.jacobian(y, x)
        array([[2., 0.],
               [0., 4.]], dtype=float32)
        """
        self._check_use()
        unconnected = _unconnected(unconnected_gradients)
        flat_sources = _flatten(sources)
        nodes = self._source_nodes(flat_sources)
        tshape = tuple(np.shape(getval(target)))
        tdtype = _float_dtype(getval(target))
        n = int(np.prod(tshape)) if tshape else 1
        rows = [[] for _ in flat_sources]
        connected = [False] * len(flat_sources)
        for i in range(n):
            seed = np.zeros(n, dtype=tdtype)
            seed[i] = 1
            found = self._backward([target], [seed.reshape(tshape)], nodes)
            for k, (s, node) in enumerate(zip(flat_sources, nodes)):
                g = found.get(node) if node is not None else None
                connected[k] = connected[k] or g is not None
                rows[k].append(self._finish(g, s, "zero"))
        results = []
        for k, s in enumerate(flat_sources):
            sshape = tuple(np.shape(getval(s._value if isinstance(s, Variable) else s)))
            if not connected[k] and unconnected == "none":
                results.append(None)
                continue
            results.append(_stack_rows(rows[k], tshape + sshape))
        return _pack_like(sources, results)

    def batch_jacobian(self, target, source, unconnected_gradients="none",
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobian: for `target` `(B, *T)` and `source` `(B, *S)`
        whose examples are independent, the `(B, *T, *S)` array of
        `d target[b] / d source[b]`."""
        self._check_use()
        unconnected = _unconnected(unconnected_gradients)
        tshape = tuple(np.shape(getval(target)))
        sval = getval(source._value if isinstance(source, Variable) else source)
        sshape = tuple(np.shape(sval))
        if not tshape or not sshape or tshape[0] != sshape[0]:
            raise ValueError(
                "Need first dimension of `target` shape and `source` shape to match, got "
                f"{tshape} vs {sshape}")
        nodes = self._source_nodes([source])
        batch = tshape[0]
        m = int(np.prod(tshape[1:])) if len(tshape) > 1 else 1
        tdtype = _float_dtype(getval(target))
        rows, connected = [], False
        for j in range(m):
            seed = np.zeros((batch, m), dtype=tdtype)
            seed[:, j] = 1
            found = self._backward([target], [seed.reshape(tshape)], nodes)
            g = found.get(nodes[0]) if nodes[0] is not None else None
            connected = connected or g is not None
            rows.append(self._finish(g, source, "zero"))
        if not connected and unconnected == "none":
            return None
        # rows[j]: (B, *S) -> (B, m, *S) -> (B, *T, *S)
        stacked = _stack_rows(rows, (m,) + sshape)
        import autograd.numpy as anp
        moved = anp.moveaxis(stacked, 0, 1) if isbox(stacked) else np.moveaxis(stacked, 0, 1)
        shape = (batch,) + tshape[1:] + sshape[1:]
        return anp.reshape(moved, shape) if isbox(moved) else np.reshape(moved, shape)


def _stack_rows(rows, shape):
    import autograd.numpy as anp
    if any(isbox(r) for r in rows):
        return anp.reshape(anp.stack(rows), shape)
    return np.reshape(np.stack(rows), shape)


def _seed_like(g, value):
    dt = _float_dtype(value)
    if isbox(g):
        return g
    return np.broadcast_to(np.asarray(getval(g), dtype=dt), np.shape(value))


def _unconnected(value):
    value = getattr(value, "value", value)
    value = str(value).lower()
    if value not in ("none", "zero"):
        raise ValueError(
            f"Unknown value for unconnected_gradients: '{value}'. Expected 'none' or 'zero'.")
    return value


def _float_dtype(value):
    dt = np.asarray(value).dtype
    return dt if dt.kind in "fc" else np.dtype("float32")
