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

from minikeras.backend.variables import Variable

_ACTIVE_TAPES = []
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
    """If a raw array was `watch`ed by an active tape, return its box."""
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
            elif isbox(t):
                # Watching an intermediate tensor: gradients are taken at its node.
                self._watched[id(t)] = (t, t)
            else:
                arr = t if isinstance(t, np.ndarray) else np.asarray(t)
                if arr is not t:
                    raise ValueError(
                        "GradientTape.watch() needs a numpy array or a Variable so that "
                        f"later ops can recognise it; received {type(t).__name__}.")
                self._box(t, t)

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

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """Gradient of `target` (summed over all its elements and entries)
        with respect to each entry of `sources`, in the structure of `sources`."""
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set "
                "of gradients (or jacobians). Use GradientTape(persistent=True).")
        self._used = True
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                "Unknown value for unconnected_gradients: "
                f"'{unconnected_gradients}'. Expected 'none' or 'zero'.")
        targets = _flatten(target)
        out_grads = _flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
        flat_sources = _flatten(sources)
        nodes = []
        for s in flat_sources:
            entry = self._watched.get(id(s))
            if entry is None and isinstance(s, Variable) and s._traced is not None:
                entry = (s, s._traced)
            if entry is None and isbox(s):
                entry = (s, s)
            nodes.append(entry[1]._node if entry is not None and isbox(entry[1]) else None)
        # Only targets recorded on this tape's level count.
        live = [(t, g) for t, g in zip(targets, out_grads)
                if isbox(t) and t._trace == self._level]
        found = {}
        if live:
            parents = tuple(t._node for t, _ in live)
            seeds = tuple(
                np.ones(np.shape(t._value), dtype=_float_dtype(t._value)) if g is None
                else np.asarray(getval(g), dtype=_float_dtype(t._value))
                for t, g in live)
            # Higher-order: the backward pass itself is traced by outer tapes.
            found = backward(_SeedNode(parents, seeds), None,
                             [n for n in nodes if n is not None])
        results = []
        for s, node in zip(flat_sources, nodes):
            g = found.get(node) if node is not None else None
            if g is None:
                if unconnected_gradients == "zero":
                    g = np.zeros(np.shape(getval(s.value if isinstance(s, Variable) else s)),
                                 dtype=_float_dtype(getval(s._value if isinstance(s, Variable) else s)))
                results.append(g)
                continue
            dt = _float_dtype(getval(s._value if isinstance(s, Variable) else s))
            if not isbox(g):
                g = np.asarray(g)
                if g.dtype != dt:
                    g = g.astype(dt)
            results.append(g)
        return _pack_like(sources, results)

    def jacobian(self, target, sources, unconnected_gradients="none",
                 parallel_iterations=None, experimental_use_pfor=True):
        raise NotImplementedError(
            "GradientTape.jacobian is not implemented yet (tracked in the ops/backend issue).")

    def batch_jacobian(self, target, source, unconnected_gradients="none",
                       parallel_iterations=None, experimental_use_pfor=True):
        raise NotImplementedError(
            "GradientTape.batch_jacobian is not implemented yet (tracked in the ops/backend issue).")


def _float_dtype(value):
    dt = np.asarray(value).dtype
    return dt if dt.kind in "fc" else np.dtype("float32")
