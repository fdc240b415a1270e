"""keras.regularizers: weight penalties added to the training loss.

A regularizer is called on a weight (array, Variable or autograd box while
traced) and returns a scalar of the weight's dtype; layers add it to their
`losses`.
"""
import inspect
import math

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.activations._primitives import _where
from minikeras.activations._serialization import deserialize_object, serialize_object
from minikeras.backend import config as _config
from minikeras.backend.common import to_snake_case
from minikeras.ops.core import convert_to_tensor


def validate_float_arg(value, name):
    """Check that `value` is a non-negative finite number; return it as float."""
    if (isinstance(value, bool) or not isinstance(value, (float, int))
            or math.isinf(value) or math.isnan(value) or value < 0):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float."
            f"Received: {name}={value}")
    return float(value)


def _scalar(value, x):
    return anp.asarray(value, dtype=getval(x).dtype)


class Regularizer:
    """Regularizer base class.

    Regularizers apply penalties on layer parameters during optimization.
    These penalties are summed into the loss function that the network
    optimizes. A regularizer is any callable that takes a weight tensor and
    returns a scalar penalty; subclass this class and implement
    `__call__(self, x)` and `get_config()` to make one serializable.

    >>> layer = Dense(5, kernel_regularizer=keras.regularizers.L1(0.01))
    >>> # the penalties are in layer.losses after the layer is called

    Example of a custom regularizer:

    ```python
    class L2Regularizer(keras.regularizers.Regularizer):
        def __init__(self, strength):
            self.strength = strength

        def __call__(self, x):
            return self.strength * ops.sum(ops.square(x))

        def get_config(self):
            return {"strength": self.strength}
    ```
    """

    def __call__(self, x):
        """Compute a regularization penalty from an input tensor."""
        return 0.0

    @classmethod
    def from_config(cls, config):
        """Creates a regularizer from its config (the output of `get_config`)."""
        return cls(**config)

    def get_config(self):
        """Returns the config of the regularizer (a JSON-serializable dict)."""
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    """A regularizer that applies both L1 and L2 regularization penalties.

    The L1 regularization penalty is computed as
    `loss = l1 * reduce_sum(abs(x))`, the L2 penalty as
    `loss = l2 * reduce_sum(square(x))`.

    L1L2 may be passed to a layer as a string identifier:

    >>> dense = Dense(3, kernel_regularizer='l1_l2')

    In this case, the default values used are `l1=0.01` and `l2=0.01`.

    Args:
        l1: float, L1 regularization factor.
        l2: float, L2 regularization factor.
    """

    def __init__(self, l1=0.0, l2=0.0):
        l1 = 0.0 if l1 is None else l1
        l2 = 0.0 if l2 is None else l2
        self.l1 = validate_float_arg(l1, name="l1")
        self.l2 = validate_float_arg(l2, name="l2")

    def __call__(self, x):
        x = convert_to_tensor(x)
        regularization = _scalar(0.0, x)
        if self.l1 != 0.0:
            regularization = regularization + _scalar(self.l1, x) * anp.sum(anp.abs(x))
        if self.l2 != 0.0:
            regularization = regularization + _scalar(self.l2, x) * anp.sum(anp.square(x))
        return regularization

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """A regularizer that applies a L1 regularization penalty.

    The L1 regularization penalty is computed as:
    `loss = l1 * reduce_sum(abs(x))`

    L1 may be passed to a layer as a string identifier:

    >>> dense = Dense(3, kernel_regularizer='l1')

    In this case, the default value used is `l1=0.01`.

    Args:
        l1: float, L1 regularization factor.
    """

    def __init__(self, l1=0.01):
        l1 = 0.01 if l1 is None else l1
        # Keras keeps this factor as a float32 tensor, so its config shows the
        # float32-rounded value (0.01 -> 0.009999999776482582); so do we.
        self.l1 = float(np.float32(validate_float_arg(l1, name="l1")))

    def __call__(self, x):
        x = convert_to_tensor(x)
        return _scalar(self.l1, x) * anp.sum(anp.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """A regularizer that applies a L2 regularization penalty.

    The L2 regularization penalty is computed as:
    `loss = l2 * reduce_sum(square(x))`

    L2 may be passed to a layer as a string identifier:

    >>> dense = Dense(3, kernel_regularizer='l2')

    In this case, the default value used is `l2=0.01`.

    Args:
        l2: float, L2 regularization factor.
    """

    def __init__(self, l2=0.01):
        l2 = 0.01 if l2 is None else l2
        self.l2 = validate_float_arg(l2, name="l2")

    def __call__(self, x):
        x = convert_to_tensor(x)
        return _scalar(self.l2, x) * anp.sum(anp.square(x))

    def get_config(self):
        return {"l2": self.l2}


def _l2_normalize(x, axis):
    """`x * min(rsqrt(sum(x^2)), 1/epsilon)` along `axis`, as keras.ops.normalize."""
    square_sum = anp.sum(anp.square(x), axis=axis, keepdims=True)
    inv_eps = 1.0 / _config.epsilon()
    # rsqrt(s) <= 1/eps exactly where s >= eps^2; elsewhere the cap is a
    # constant (no gradient), and s is replaced to avoid dividing by zero.
    ok = np.asarray(getval(square_sum)) >= _config.epsilon() ** 2
    safe = _where(ok, square_sum, 1.0)
    inv_norm = _where(ok, 1.0 / anp.sqrt(safe), _scalar(inv_eps, x))
    return x * inv_norm


class OrthogonalRegularizer(Regularizer):
    """Regularizer that encourages input vectors to be orthogonal to each other.

    It can be applied to either the rows of a matrix (`mode="rows"`) or its
    columns (`mode="columns"`). When applied to a `Dense` kernel of shape
    `(input_dim, units)`, rows mode will seek to make the feature vectors
    (i.e. the basis of the output space) orthogonal to each other.

    Args:
        factor: Float. The regularization factor. The regularization penalty
            will be proportional to `factor` times the mean of the dot products
            between the L2-normalized rows (if `mode="rows"`, or columns if
            `mode="columns"`) of the inputs, excluding the product of each
            row/column with itself. Defaults to `0.01`.
        mode: String, one of `{"rows", "columns"}`. Defaults to `"rows"`.

    Example:

    >>> regularizer = OrthogonalRegularizer(factor=0.01)
    >>> layer = Dense(units=4, kernel_regularizer=regularizer)
    """

    def __init__(self, factor=0.01, mode="rows"):
        # float32-rounded, as Keras stores it (see L1)
        self.factor = float(np.float32(validate_float_arg(factor, name="factor")))
        if mode not in {"rows", "columns"}:
            raise ValueError(
                "Invalid value for argument `mode`. Expected one of "
                f'{{"rows", "columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        inputs = convert_to_tensor(inputs)
        if anp.ndim(inputs) != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. Received: "
                f"inputs.shape={anp.shape(inputs)}")
        if self.mode == "rows":
            inputs = _l2_normalize(inputs, axis=1)
            product = anp.dot(inputs, anp.transpose(inputs))
            size = anp.shape(inputs)[0]
        else:
            inputs = _l2_normalize(inputs, axis=0)
            product = anp.dot(anp.transpose(inputs), inputs)
            size = anp.shape(inputs)[1]
        dtype = getval(inputs).dtype
        product_no_diagonal = product * (1.0 - anp.eye(size, dtype=dtype))
        num_pairs = size * (size - 1.0) / 2.0
        total = anp.sum(anp.abs(product_no_diagonal))
        # a single row/column has no pairs: Keras divides 0 by 0 (nan) too
        return _scalar(self.factor, inputs) * _scalar(0.5, inputs) * total / _scalar(num_pairs, inputs)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


# Keras 3 aliases (the same classes)
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

ALL_OBJECTS = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})


def serialize(regularizer):
    """Returns the regularizer's config (Keras 3 format) as a Python dict."""
    return serialize_object(regularizer, "keras.regularizers")


def deserialize(config, custom_objects=None):
    """Return a Keras regularizer object via its config."""
    obj = deserialize_object(config, ALL_OBJECTS_DICT, custom_objects, "regularizer")
    return obj() if inspect.isclass(obj) else obj


def get(identifier):
    """Retrieve a Keras regularizer object via an identifier.

    Args:
        identifier: `None`, a name (`"l1"`, `"l2"`, `"l1_l2"`, `"L2"`,
            `"orthogonal_regularizer"`, ...), a config dict, a `Regularizer`
            class or instance, or any callable `fn(weights) -> scalar`.

    Returns:
        A regularizer (callable), or `None`.

    Raises:
        ValueError: if the identifier is not understood.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        if identifier == "l1_l2":
            # the documented string shortcut: both factors at 0.01
            return L1L2(l1=0.01, l2=0.01)
        obj = ALL_OBJECTS_DICT.get(identifier, None)
    else:
        obj = identifier
    if callable(obj):
        if inspect.isclass(obj):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")


__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2",
           "l1_l2", "orthogonal_regularizer", "get", "serialize", "deserialize"]
