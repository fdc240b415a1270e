"""`Variable`: a named, mutable float32 array that training updates in place.

During a traced computation (a `fit` step or a `GradientTape`) a variable's
`value` is temporarily bound to an autograd box so that every op reading it is
recorded; outside, `value` is the plain numpy array.
"""
import numpy as np

from minikeras.backend import common
from minikeras.backend.name_scope import current_path

# The GradientTapes now recording, innermost last; tape.py owns the logic.
# The list lives here so that reading `Variable.value` is one lookup.
_ACTIVE_TAPES = []


class Variable:
    """A mutable tensor with a name, a dtype and a `trainable` flag.

    Args:
        initializer: an array-like, or a callable `(shape, dtype) -> array`
            (an initializer object or string resolved by `initializers.get`).
        shape: the shape, required when `initializer` is callable.
        dtype: defaults to `floatx()` for float values.
        trainable: whether optimizers update it and gradients flow to it.
        name: short name; `path` is `"<layer path>/<name>"` inside a layer.

    Example:

    >>> v = Variable(np.ones((2,)), name="v")
    >>> v.assign_add([1.0, 2.0]).numpy()
    array([2., 3.], dtype=float32)
    """

    __array_priority__ = 200  # make `ndarray <op> Variable` dispatch to us

    def __init__(self, initializer, shape=None, dtype=None, trainable=True,
                 autocast=True, aggregation="none", synchronization="auto",
                 name=None, layout=None, **kwargs):
        unknown = set(kwargs) - {"regularizer", "constraint", "path"}
        if unknown:
            raise TypeError(f"Variable got unexpected keyword arguments: {sorted(unknown)}")
        self.name = common.check_name(name or common.unique_name("variable"))
        # As in Keras, the path is prefixed by the open name scopes (the
        # layers being built or called around the variable's creation).
        parent = current_path()
        self.path = kwargs.get("path") or (f"{parent}/{self.name}" if parent else self.name)
        self.trainable = bool(trainable)
        self.autocast = autocast
        self.aggregation = aggregation
        self.synchronization = synchronization
        self.regularizer = kwargs.get("regularizer")
        self.constraint = kwargs.get("constraint")
        self.overwrite_with_gradient = False
        self._traced = None
        if callable(initializer) and not isinstance(initializer, np.ndarray):
            if shape is None:
                raise ValueError(
                    "When creating a Variable from a callable initializer, the "
                    f"`shape` argument must be given. Received: shape={shape}")
            dt = common.standardize_dtype(dtype)
            value = initializer(tuple(shape), dtype=dt)
        else:
            value = initializer
            dt = None if dtype is None else common.standardize_dtype(dtype)
        value = np.asarray(_plain(value))
        if dt is None:
            dt = common.standardize_dtype(None) if value.dtype.kind == "f" else value.dtype.name
        self._value = np.array(value, dtype=dt)
        if shape is not None and tuple(self._value.shape) != tuple(shape):
            raise ValueError(
                f"Initial value for variable '{self.name}' has shape "
                f"{self._value.shape}, expected {tuple(shape)}")

    # ----- value access -------------------------------------------------------
    @property
    def value(self):
        """The current value: an autograd box while traced, else the array."""
        if self._traced is not None:
            return self._traced
        if _ACTIVE_TAPES:
            from minikeras.backend import tape  # local: tape imports us
            return tape._auto_watch(self)
        return self._value

    def numpy(self):
        """A copy of the value: optimizers update variables in place, and a
        snapshot taken here must not change under its reader (as in TF)."""
        return np.array(self._value)

    @property
    def shape(self):
        return self._value.shape

    @property
    def dtype(self):
        return self._value.dtype.name

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def handle(self):
        return self._value

    def __len__(self):
        return len(self._value)

    # ----- mutation ------------------------------------------------------------
    def assign(self, value):
        """Replace the value (same shape); returns the variable."""
        from minikeras.backend import scopes
        if scopes._STATELESS:
            scopes._STATELESS[-1].add_update((self, value))
            return self
        value = np.asarray(_plain(value), dtype=self._value.dtype)
        if value.shape != self._value.shape:
            try:
                value = np.broadcast_to(value, self._value.shape)
            except ValueError:
                raise ValueError(
                    f"The shape of the target variable and the shape of the target "
                    f"value in `variable.assign(value)` must match. "
                    f"variable.shape={self._value.shape}, Received: value.shape={value.shape}. "
                    f"Target variable: {self!r}") from None
        # Copy into a fresh array: a value handed out earlier must not change under its reader.
        self._value = np.array(value, dtype=self._value.dtype)
        return self

    def assign_add(self, value):
        return self.assign(self._value + np.asarray(_plain(value), dtype=self._value.dtype))

    def assign_sub(self, value):
        return self.assign(self._value - np.asarray(_plain(value), dtype=self._value.dtype))

    # ----- numpy interop -------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._value, dtype=dtype)

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
                f"value={self._value}>")

    def __getitem__(self, idx):
        return self.value[idx]

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return _binary("equal", self, other)

    def __ne__(self, other):
        return _binary("not_equal", self, other)

    def __lt__(self, other):
        return _binary("less", self, other)

    def __le__(self, other):
        return _binary("less_equal", self, other)

    def __gt__(self, other):
        return _binary("greater", self, other)

    def __ge__(self, other):
        return _binary("greater_equal", self, other)

    def __neg__(self):
        return -self.value

    def __pos__(self):
        return self.value

    def __abs__(self):
        return abs(self.value)

    @property
    def T(self):
        return self.value.T


def _binary(opname, a, b):
    from minikeras import ops
    return getattr(ops, opname)(a, b)


def _make_operator(name, reflected=False):
    def op(self, other):
        if isinstance(other, Variable):
            other = other.value
        v = self.value
        return getattr(v, name)(other) if not reflected else getattr(v, name)(other)
    op.__name__ = name
    return op


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul"):
    for _fmt in ("__%s__", "__r%s__"):
        _dunder = _fmt % _name
        setattr(Variable, _dunder, _make_operator(_dunder))


def _plain(x):
    """Strip Variables and autograd boxes down to numpy values."""
    if isinstance(x, Variable):
        return x._value
    from autograd.tracer import getval
    return getval(x)


def is_variable(x):
    return isinstance(x, Variable)


def _teach_arraybox_about_variables():
    """`box <op> variable` must read the variable's traced value, not its array.

    Python tries the left operand first, and autograd's ArrayBox would turn a
    Variable into a constant through `__array__`, losing its gradient.
    """
    from autograd.numpy.numpy_boxes import ArrayBox
    names = ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
             "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__matmul__",
             "__rmatmul__", "__mod__", "__rmod__", "__floordiv__", "__rfloordiv__",
             "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")
    for name in names:
        original = getattr(ArrayBox, name, None)
        if original is None or getattr(original, "_minikeras_patched", False):
            continue

        def patched(self, other, _original=original):
            if isinstance(other, Variable):
                other = other.value
            return _original(self, other)
        patched._minikeras_patched = True
        setattr(ArrayBox, name, patched)
    # A value computed under a tape stays an autograd box after the block; let it
    # be read the way a TensorFlow tensor is (`float(loss)`, `loss.numpy()`,
    # `np.asarray(y)`, f-strings). Reading it this way does not record a gradient.
    if not hasattr(ArrayBox, "numpy"):
        ArrayBox.numpy = lambda self: np.array(_plain(self))
        ArrayBox.__float__ = lambda self: float(_plain(self))
        ArrayBox.__int__ = lambda self: int(_plain(self))
        ArrayBox.__index__ = lambda self: int(_plain(self))
        ArrayBox.__format__ = lambda self, spec: format(_plain(self), spec)
        ArrayBox.__array__ = lambda self, dtype=None, copy=None: np.asarray(_plain(self), dtype=dtype)
        ArrayBox.__repr__ = lambda self: repr(_plain(self))
        ArrayBox.__str__ = lambda self: str(_plain(self))


_teach_arraybox_about_variables()
