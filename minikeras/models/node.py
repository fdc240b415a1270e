"""`Node`: one call of a layer on KerasTensors, an edge set of the Functional graph."""
from minikeras.backend.keras_tensor import KerasTensor


def flatten(tree):
    """Leaves of a nested list/tuple/dict, in order."""
    if isinstance(tree, (list, tuple)):
        out = []
        for t in tree:
            out.extend(flatten(t))
        return out
    if isinstance(tree, dict):
        out = []
        for k in tree:
            out.extend(flatten(tree[k]))
        return out
    return [tree]


def map_structure(fn, tree):
    if isinstance(tree, (list, tuple)):
        return type(tree)(map_structure(fn, t) for t in tree)
    if isinstance(tree, dict):
        return {k: map_structure(fn, v) for k, v in tree.items()}
    return fn(tree)


class Node:
    """Records `outputs = layer(*args, **kwargs)` with symbolic tensors."""

    def __init__(self, layer, args=(), kwargs=None, outputs=None):
        self.layer = layer
        self.call_args = args
        self.call_kwargs = dict(kwargs or {})
        self.input_tensors = [t for t in flatten((args, self.call_kwargs)) if isinstance(t, KerasTensor)]
        self.outputs = outputs
        self.output_tensors = [t for t in flatten(outputs) if isinstance(t, KerasTensor)]
        self.parent_nodes = []
        for t in self.input_tensors:
            if t._keras_history is not None:
                parent = t._keras_history[0]._inbound_nodes[t._keras_history[1]]
                if parent not in self.parent_nodes:
                    self.parent_nodes.append(parent)
        node_index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, node_index, i)

    @property
    def is_input(self):
        return not self.input_tensors


def cast_to_input_dtype(value, tensor):
    """Convert an input as Keras's Functional models do: to the Input's dtype.

    Integer data fed to a float `Input` becomes float32 (so outputs stay
    float32); float data keeps its (already autocast) type.
    """
    import numpy as np
    if type(value) is np.ndarray and value.dtype.kind in "iub" and tensor.dtype.startswith("float"):
        return value.astype(tensor.dtype)
    return value


def adjust_input_rank(value, tensor):
    """Keras's rank fix-up for a model input: a trailing unit axis is added or
    dropped to match the `Input` `tensor`.

    `{"age": np.array([60])}` fed to `Input(shape=(1,))` is a batch of one, as
    in Keras; other rank mismatches raise Keras's ValueError.
    """
    from minikeras import ops
    shape = getattr(value, "shape", None)
    if shape is None or tensor.shape is None or len(shape) == len(tensor.shape):
        return value
    if len(shape) == len(tensor.shape) + 1 and shape[-1] == 1:
        return ops.squeeze(value, axis=-1)
    if len(shape) == len(tensor.shape) - 1 and tensor.shape[-1] == 1:
        return ops.expand_dims(value, axis=-1)
    raise ValueError(
        f"Invalid input shape for input with name '{tensor.name}'. Expected shape "
        f"{tensor.shape}, but input has incompatible shape {tuple(shape)}")
