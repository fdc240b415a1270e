"""keras.constraints: projections applied to a weight after each optimizer step.

A constraint is called on a weight array and returns the projected array of
the same shape and dtype (the optimizer assigns it back).
"""
import inspect

import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.activations._serialization import deserialize_object, serialize_object
from minikeras.backend import config as _config
from minikeras.backend.common import to_snake_case
from minikeras.ops.core import convert_to_tensor


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _norms(w, axis):
    return anp.sqrt(anp.sum(anp.square(w), axis=_axis(axis), keepdims=True))


def _as(value, w):
    return anp.asarray(value, dtype=getval(w).dtype)


class Constraint:
    """Base class for weight constraints.

    A `Constraint` instance works like a stateless function. Users who
    subclass this class should override the `__call__()` method, which takes
    a single weight parameter and returns a projected version of that
    parameter (e.g. normalized or clipped). Constraints can be used with
    various Keras layers via the `kernel_constraint` or `bias_constraint`
    arguments.

    Here's a simple example of a non-negative weight constraint:

    >>> class NonNegative(keras.constraints.Constraint):
    ...
    ...  def __call__(self, w):
    ...    return w * ops.cast(ops.greater_equal(w, 0.), dtype=w.dtype)

    >>> weight = ops.convert_to_tensor((-1.0, 1.0))
    >>> NonNegative()(weight)
    [0.,  1.]
    """

    def __call__(self, w):
        """Applies the constraint to the input weight variable.

        Args:
            w: Input weight variable.

        Returns:
            Projected variable (by default, returns unmodified inputs).
        """
        return w

    def get_config(self):
        """Returns a Python dict of the object config (`{}` by default)."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Instantiates a weight constraint from a configuration dictionary."""
        return cls(**config)


class MaxNorm(Constraint):
    """MaxNorm weight constraint.

    Constrains the weights incident to each hidden unit to have a norm less
    than or equal to a desired value.

    Args:
        max_value: the maximum norm value for the incoming weights.
        axis: integer, axis along which to calculate weight norms.
            For instance, in a `Dense` layer the weight matrix has shape
            `(input_dim, output_dim)`, set `axis` to `0` to constrain each
            weight vector of length `(input_dim,)`. In a `Conv2D` layer with
            `data_format="channels_last"`, the weight tensor has shape
            `(rows, cols, input_depth, output_depth)`, set `axis` to
            `[0, 1, 2]` to constrain the weights of each filter tensor of
            size `(rows, cols, input_depth)`.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = anp.clip(norms, 0, self.max_value)
        return w * (desired / (_as(_config.epsilon(), w) + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Constrains the weights to be non-negative."""

    def __call__(self, w):
        w = convert_to_tensor(w)
        return anp.maximum(w, _as(0, w))


class UnitNorm(Constraint):
    """Constrains the weights incident to each hidden unit to have unit norm.

    Args:
        axis: integer, axis along which to calculate weight norms (see
            `MaxNorm`): `0` for a `Dense` kernel, `[0, 1, 2]` for a
            channels-last `Conv2D` kernel.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        return w / (_as(_config.epsilon(), w) + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """MinMaxNorm weight constraint.

    Constrains the weights incident to each hidden unit to have the norm
    between a lower bound and an upper bound.

    Args:
        min_value: the minimum norm for the incoming weights.
        max_value: the maximum norm for the incoming weights.
        rate: rate for enforcing the constraint: weights will be rescaled to
            yield `(1 - rate) * norm + rate * norm.clip(min_value, max_value)`.
            Effectively, this means that rate=1.0 stands for strict
            enforcement of the constraint, while rate<1.0 means that weights
            will be rescaled at each step to slowly move towards a value
            inside the desired interval.
        axis: integer, axis along which to calculate weight norms (see
            `MaxNorm`).
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        rate = _as(self.rate, w)
        desired = (rate * anp.clip(norms, self.min_value, self.max_value)
                   + (_as(1.0, w) - rate) * norms)
        return w * (desired / (_as(_config.epsilon(), w) + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value,
                "rate": self.rate, "axis": self.axis}


# Keras 3 aliases (the same classes)
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

ALL_OBJECTS = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})


def serialize(constraint):
    """Returns the constraint's config (Keras 3 format) as a Python dict."""
    return serialize_object(constraint, "keras.constraints")


def deserialize(config, custom_objects=None):
    """Return a Keras constraint object via its config."""
    obj = deserialize_object(config, ALL_OBJECTS_DICT, custom_objects, "constraint")
    return obj() if inspect.isclass(obj) else obj


def get(identifier):
    """Retrieve a Keras constraint object via an identifier.

    Args:
        identifier: `None`, a name (`"max_norm"`, `"NonNeg"`, ...), a config
            dict, a `Constraint` class or instance, or a callable `fn(w) -> w`.

    Returns:
        A constraint (callable), or `None`.

    Raises:
        ValueError: if the identifier is not understood.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier, None)
    else:
        obj = identifier
    if callable(obj):
        if inspect.isclass(obj):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "max_norm",
           "min_max_norm", "non_neg", "unit_norm", "get", "serialize", "deserialize"]
