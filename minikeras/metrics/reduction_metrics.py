"""Reduction metrics: `Sum`, `Mean` and `MeanMetricWrapper` (the base of
every metric that averages a per-sample function)."""
import numpy as np

from minikeras.metrics.metric import Metric
from minikeras.losses.loss import apply_mask, get_loss_mask
from minikeras.metrics.metrics_utils import divide_no_nan, reduce_to_samplewise_values


class Sum(Metric):
    """Compute the (weighted) sum of the given values.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> metric = keras.metrics.Sum()
    >>> metric.update_state([1, 3, 5, 7])
    >>> metric.result()
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, np.sum, self.dtype)
        self.total.assign(self.total.numpy() + np.sum(values))

    def reset_state(self):
        self.total.assign(0)

    def result(self):
        return np.array(self.total.numpy(), dtype=self.dtype)


class Mean(Metric):
    """Compute the (weighted) mean of the given values.

    If `sample_weight` is given, the result is `sum(values * w) / sum(w)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = keras.metrics.Mean()
    >>> m.update_state([1, 3, 5, 7])
    >>> m.result()
    4.0
    >>> m.reset_state()
    >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    >>> m.result()
    2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        if (type(values) is np.ndarray and values.ndim == 0
                and (sample_weight is None or type(sample_weight) is int)):
            # The per-batch loss the trainer tracks: one weighted scalar.
            weight = np.asarray(1 if sample_weight is None else sample_weight, self.dtype)
            self.total.assign(self.total.numpy() + values.astype(self.dtype) * weight)
            self.count.assign(self.count.numpy() + weight)
            return
        values, sample_weight = reduce_to_samplewise_values(
            values, sample_weight, np.mean, self.dtype)
        if sample_weight is not None:
            num_samples = np.sum(sample_weight)
        elif values.ndim >= 1:
            num_samples = values.shape[0]
        else:
            num_samples = 1
        self.total.assign(self.total.numpy() + np.sum(values))
        self.count.assign(self.count.numpy() + np.asarray(num_samples, dtype=self.dtype))

    def reset_state(self):
        self.total.assign(0)
        self.count.assign(0)

    def result(self):
        return divide_no_nan(self.total.numpy(), self.count.numpy()).astype(self.dtype)


class MeanMetricWrapper(Mean):
    """Wrap a stateless metric function into a `Mean` metric.

    Args:
        fn: The metric function, called as `fn(y_true, y_pred, **kwargs)` and
            returning one value per sample (or per element).
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        **kwargs: Keyword arguments passed on to `fn`.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        self._direction = getattr(self, "_direction", None)

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_loss_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:  # a masked model output: padded steps do not count
            sample_weight = apply_mask(sample_weight, mask, dtype=self.dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        from minikeras.metrics import serialization
        config = super().get_config()
        config["fn"] = serialization.serialize_function(self._fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from minikeras.metrics import serialization
            config["fn"] = serialization.deserialize_function(config["fn"])
        return cls(**config)


class _FixedFnWrapper(MeanMetricWrapper):
    """A `MeanMetricWrapper` subclass that fixes its `fn`.

    Its config holds the constructor's arguments (`name`, `dtype` and the
    attributes named in `_config_keys`) rather than `fn`, as Keras's built-in
    metrics do, so `cls(**config)` rebuilds it.
    """

    _config_keys = ()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype,
                **{key: getattr(self, key) for key in self._config_keys}}
