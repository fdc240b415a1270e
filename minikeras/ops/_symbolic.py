"""keras.ops on symbolic tensors: `ops.concatenate([a, b])` while building a
Functional model.

As in Keras 3, calling an op on `keras.Input(...)` (or any KerasTensor)
records it in the graph instead of failing: the call becomes an `OpLayer`
node whose `call` replays the op on the real arrays. The public ops are
wrapped once by `symbolic_aware` (a type check per call when nothing is
symbolic).
"""
import functools

_LAYER_CLASS = []


_KT = []


def _any_symbolic(args):
    """True if a KerasTensor is among `args` (a tuple, or a kwargs dict),
    looking one level into lists/tuples/dicts."""
    if not _KT:
        from minikeras.backend.keras_tensor import KerasTensor
        _KT.append(KerasTensor)
    kt = _KT[0]
    items = args.values() if isinstance(args, dict) else args
    for a in items:
        t = type(a)
        if t is kt:
            return True
        if t is list or t is tuple:
            for e in a:
                if type(e) is kt or ((type(e) is list or type(e) is tuple) and _any_symbolic(e)):
                    return True
        elif t is dict and _any_symbolic(a):
            return True
    return False


def _template(tree, tensors):
    """Replace KerasTensors in `tree` by placeholders; collect them."""
    from minikeras.backend.keras_tensor import KerasTensor
    if isinstance(tree, KerasTensor):
        tensors.append(tree)
        return _Slot(len(tensors) - 1)
    if isinstance(tree, list):
        return [_template(t, tensors) for t in tree]
    if isinstance(tree, tuple):
        return tuple(_template(t, tensors) for t in tree)
    if isinstance(tree, dict):
        return {k: _template(v, tensors) for k, v in tree.items()}
    return tree


def _fill(tree, values):
    if isinstance(tree, _Slot):
        return values[tree.index]
    if isinstance(tree, list):
        return [_fill(t, values) for t in tree]
    if isinstance(tree, tuple):
        return tuple(_fill(t, values) for t in tree)
    if isinstance(tree, dict):
        return {k: _fill(v, values) for k, v in tree.items()}
    return tree


class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index


def _op_layer_class():
    if _LAYER_CLASS:
        return _LAYER_CLASS[0]
    from minikeras.layers.layer import Layer

    class OpLayer(Layer):
        """One keras.ops call inside a Functional graph.

        Saved as Keras saves the operation of that call (see
        `minikeras.saving.keras_ops`): it holds the call's arguments with
        slots where the node's input tensors go.
        """

        # A raw op: written as a Keras operation, not in Keras's `model.layers`.
        _keras_op_node = True

        def __init__(self, fn, args, kwargs, n_tensors=None, **layer_kwargs):
            super().__init__(**layer_kwargs)
            self.fn = fn
            self._args, self._kwargs = args, kwargs
            self._n_tensors = n_tensors
            self.autocast = False

        def call(self, inputs):
            values = inputs if isinstance(inputs, (list, tuple)) else [inputs]
            return self.fn(*_fill(self._args, values), **_fill(self._kwargs, values))

        def keras_op_name(self):
            """`(family, name)`: the Keras function this node calls (as read from a
            Keras config when replayed from one: `true_divide` stays `true_divide`)."""
            return getattr(self, "_keras_op", None) or _family_and_name(self.fn)

        def keras_op_arguments(self, node):
            """`(args, kwargs)` of the function call a node of this layer made."""
            values = node.call_args[0] if node.call_args else node.call_kwargs.get("inputs")
            if self._n_tensors == 1 or not isinstance(values, (list, tuple)):
                values = [values]
            return _fill(self._args, list(values)), _fill(self._kwargs, list(values))

        def get_config(self):
            raise NotImplementedError(
                f"The keras.ops call `{self.fn.__name__}` is saved as part of its Functional "
                "model's config (as Keras saves operations), not as a layer of its own.")

    _LAYER_CLASS.append(OpLayer)
    return OpLayer


def _family_and_name(fn):
    module = getattr(fn, "__module__", "") or ""
    family = "activations" if module.startswith("minikeras.activations") else "ops"
    return family, fn.__name__


def _node_name(fn):
    """Keras's name for the node: its operation's class in snake case (`get_item`)."""
    from minikeras.backend import common
    from minikeras.saving.keras_ops import keras_class_name
    class_name = keras_class_name(*_family_and_name(fn))
    return common.unique_name(common.to_snake_case(class_name) if class_name else fn.__name__)


def symbolic_call(fn, args, kwargs):
    tensors = []
    a = _template(args, tensors)
    k = _template(kwargs, tensors)
    layer = _op_layer_class()(fn, a, k, n_tensors=len(tensors), name=_node_name(fn))
    return layer(tensors if len(tensors) > 1 else tensors[0])


_WRAPPED = {}


def symbolic_aware(fn):
    """Wrap op `fn` so that KerasTensor arguments build a graph node (one
    wrapper per function, so `ops.add is ops.numpy.add`)."""
    if getattr(fn, "_symbolic_aware", False) or not callable(fn):
        return fn
    if id(fn) in _WRAPPED:
        return _WRAPPED[id(fn)][1]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if (args and _any_symbolic(args)) or (kwargs and _any_symbolic(kwargs)):
            return symbolic_call(fn, args, kwargs)
        return fn(*args, **kwargs)
    wrapper._symbolic_aware = True
    _WRAPPED[id(fn)] = (fn, wrapper)  # keep fn alive so its id stays unique
    return wrapper


# Ops that never take tensors, or whose arguments are functions/structures
# that must reach the implementation untouched.
_SKIP = {"custom_gradient", "vectorize", "jvp", "is_tensor", "dtype", "shape", "ndim",
         "convert_to_numpy", "convert_to_tensor", "cond", "while_loop", "fori_loop", "scan",
         "map", "vectorized_map", "switch", "associative_scan"}


def wrap_module(module, names):
    for name in names:
        obj = getattr(module, name, None)
        if callable(obj) and name not in _SKIP and not isinstance(obj, type):
            setattr(module, name, symbolic_aware(obj))
