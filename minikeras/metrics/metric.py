"""`Metric`: the base class of all stateful metrics."""
import warnings

import numpy as np

from minikeras.backend import common, config
from minikeras.backend.eager_tensor import as_eager
from minikeras.backend.variables import Variable


def _compute_dtype(dtype):
    """The computation dtype of a metric: a dtype, a policy name or a policy."""
    if dtype is None:
        return config.floatx()
    compute = getattr(dtype, "compute_dtype", None)
    if compute is not None:
        return common.standardize_dtype(compute)
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        # "mixed_float16" policies compute in float16.
        return common.standardize_dtype(dtype[len("mixed_"):])
    return common.standardize_dtype(dtype)


def _zeros(shape, dtype=None):
    return np.zeros(shape, dtype=dtype)


def _ones(shape, dtype=None):
    return np.ones(shape, dtype=dtype)


_SIMPLE_INITIALIZERS = {"zeros": _zeros, "Zeros": _zeros, "ones": _ones, "Ones": _ones}


def _get_initializer(initializer):
    """Resolve a state initializer; 'zeros' and 'ones' need no other module."""
    if initializer is None:
        return _zeros
    if isinstance(initializer, str) and initializer in _SIMPLE_INITIALIZERS:
        return _SIMPLE_INITIALIZERS[initializer]
    if callable(initializer):
        return initializer
    from minikeras import initializers  # only for uncommon identifiers
    return initializers.get(initializer)


class Metric:
    """Encapsulates metric logic and state.

    Args:
        dtype: The dtype of the metric's computations. Defaults to `None`,
            which means `keras.backend.floatx()` (`"float32"`).
        name: Optional name for the metric instance.

    Subclasses create their state in `__init__` with `self.add_variable()`,
    accumulate into it in `update_state()` and compute the value from it in
    `result()`.

    Example:

    ```python
    class BinaryTruePositives(keras.metrics.Metric):
        def __init__(self, name="binary_true_positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.true_positives = self.add_variable(
                shape=(), initializer="zeros", name="true_positives")

        def update_state(self, y_true, y_pred, sample_weight=None):
            values = ops.logical_and(ops.cast(y_true, "bool"),
                                     ops.cast(y_pred, "bool"))
            values = ops.cast(values, self.dtype)
            if sample_weight is not None:
                values = values * ops.cast(sample_weight, self.dtype)
            self.true_positives.assign(self.true_positives + ops.sum(values))

        def result(self):
            return self.true_positives
    ```
    """

    def __init__(self, dtype=None, name=None):
        self.name = name or common.unique_name(common.to_snake_case(self.__class__.__name__))
        self._dtype = _compute_dtype(dtype)
        self._dtype_policy = dtype
        self._metrics = []
        self._variables = []

    # ----- state ---------------------------------------------------------------
    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Create a non-trainable state variable tracked by this metric."""
        self._check_super_called()
        init = _get_initializer(initializer)
        variable = Variable(
            initializer=init, shape=tuple(shape), dtype=dtype, trainable=False,
            aggregation=aggregation, synchronization="on_read", name=name,
            path=f"{self.name.replace('/', '>')}/{name}" if name else None)
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """Alias of `add_variable` with Keras 2 defaults."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        """All state variables, those of nested metrics included."""
        variables = list(self._variables)
        for metric in self._metrics:
            variables.extend(metric.variables)
        return variables

    @property
    def weights(self):
        return self.variables

    @property
    def trainable_weights(self):
        return []

    @property
    def non_trainable_weights(self):
        return self.variables

    @property
    def dtype(self):
        return self._dtype

    def __setattr__(self, name, value):
        # Track state assigned as attributes, as Keras's tracker does.
        tracked = self.__dict__.get("_variables")
        if tracked is not None:
            if isinstance(value, Variable) and not any(v is value for v in tracked):
                tracked.append(value)
            elif isinstance(value, Metric) and value is not self and not any(
                    m is value for m in self._metrics):
                self._metrics.append(value)
        object.__setattr__(self, name, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                "You forgot to call `super().__init__()` in the `__init__()` "
                "method. Go add it!")

    # ----- the metric protocol ------------------------------------------------
    def reset_state(self):
        """Reset all state variables (called between epochs)."""
        for v in self.variables:
            v.assign(np.zeros(v.shape, dtype=v.dtype))

    def reset_states(self):
        """Keras 2 spelling of `reset_state()`."""
        warnings.warn("`reset_states()` is the Keras 2 name; use `reset_state()`.",
                      DeprecationWarning, stacklevel=2)
        self.reset_state()

    def update_state(self, *args, **kwargs):
        """Accumulate statistics for the metric."""
        raise NotImplementedError

    def result(self):
        """Compute the current metric value from the state."""
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return as_eager(self.result())

    # ----- stateless API (state passed in and out as arrays) ------------------
    def _check_metric_variables(self, metric_variables):
        if len(metric_variables) != len(self.variables):
            raise ValueError(
                "Argument `metric_variables` must be a list of tensors "
                f"corresponding 1:1 to {self.__class__.__name__}().variables. "
                f"Received list with length {len(metric_variables)}, but "
                f"expected {len(self.variables)} variables.")

    def _swap_state(self, values):
        old = [v.numpy() for v in self.variables]
        for v, new in zip(self.variables, values):
            v.assign(new)
        return old

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        self._check_metric_variables(metric_variables)
        old = self._swap_state(metric_variables)
        try:
            self.update_state(*args, **kwargs)
            return [np.array(v.numpy()) for v in self.variables]
        finally:
            self._swap_state(old)

    def stateless_result(self, metric_variables):
        self._check_metric_variables(metric_variables)
        old = self._swap_state(metric_variables)
        try:
            return self.result()
        finally:
            self._swap_state(old)

    def stateless_reset_state(self):
        old = [v.numpy() for v in self.variables]
        try:
            self.reset_state()
            return [np.array(v.numpy()) for v in self.variables]
        finally:
            self._swap_state(old)

    # ----- config --------------------------------------------------------------
    def get_config(self):
        """Return the serializable config of the metric."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}>"

    def __str__(self):
        return self.__repr__()
