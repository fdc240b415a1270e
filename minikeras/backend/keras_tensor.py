"""`KerasTensor`: the symbolic tensor of the Functional API.

It carries a static shape (`None` for unknown dims), a dtype, and the history
`(layer, node_index, tensor_index)` of the call that produced it.
"""
from minikeras.backend import common


class KerasTensor:
    """A symbolic placeholder: shape and dtype, no value.

    Created by `keras.Input(...)` and by calling layers on other KerasTensors.
    Arithmetic on it is not supported; wrap such math in a `Lambda` layer.
    """

    def __init__(self, shape, dtype="float32", sparse=False, ragged=False,
                 record_history=True, name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = common.standardize_dtype(dtype)
        self.sparse = sparse
        self.ragged = ragged
        self.name = name or common.unique_name("keras_tensor")
        self._keras_history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse={self.sparse}, "
                f"ragged={self.ragged}, name={self.name}>")

    def __len__(self):
        raise TypeError("KerasTensor has no length: its batch size is unknown.")

    def __iter__(self):
        raise TypeError("Iterating over a symbolic KerasTensor is not supported.")

    def __array__(self, *args, **kwargs):
        raise ValueError(
            "A KerasTensor is symbolic: it's a placeholder for a shape and a dtype. "
            "It doesn't have any actual numerical value. You cannot convert it to a "
            "NumPy array. Use it as input to layers, or wrap numpy/ops code in a "
            "`keras.layers.Lambda` layer.")

    def _op(self, fn_name, *others):
        from minikeras.layers.core.lambda_layer import TensorOpLambda
        return TensorOpLambda(fn_name, others)(self)


def _make_op(name):
    def op(self, *others):
        return self._op(name, *others)
    op.__name__ = name
    return op


for _n in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
           "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__neg__", "__abs__",
           "__matmul__", "__rmatmul__", "__floordiv__", "__rfloordiv__", "__mod__",
           "__rmod__", "__lt__", "__le__", "__gt__", "__ge__", "__and__", "__rand__",
           "__or__", "__ror__", "__xor__", "__rxor__", "__invert__", "__round__"):
    setattr(KerasTensor, _n, _make_op(_n))


def _getitem(self, key):
    return self._op("__getitem__", key)


KerasTensor.__getitem__ = _getitem


def any_symbolic(tree):
    """True if `tree` (a value or nested list/tuple/dict) holds a KerasTensor."""
    t = type(tree)
    if t is KerasTensor:
        return True
    if t in (list, tuple):
        return any(any_symbolic(x) for x in tree)
    if t is dict:
        return any(any_symbolic(x) for x in tree.values())
    return False
