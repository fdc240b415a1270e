"""Regression metrics: MSE, RMSE, MAE, MAPE, MSLE, cosine similarity, log-cosh, R^2."""
import warnings

import numpy as np

from minikeras.metrics import per_sample_losses as L
from minikeras.metrics.metric import Metric
from minikeras.metrics.metrics_utils import squeeze_or_expand_to_same_rank, to_numpy
from minikeras.metrics.reduction_metrics import Mean, _FixedFnWrapper


class MeanSquaredError(_FixedFnWrapper):
    """Mean of the squared difference between `y_true` and `y_pred`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = keras.metrics.MeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()
    0.25
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=L.mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"


class MeanAbsoluteError(_FixedFnWrapper):
    """Mean of the absolute difference between `y_true` and `y_pred`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(L.mean_absolute_error, name, dtype=dtype)
        self._direction = "down"


class MeanAbsolutePercentageError(_FixedFnWrapper):
    """Mean of `100 * |y_true - y_pred| / max(|y_true|, epsilon)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(L.mean_absolute_percentage_error, name, dtype=dtype)
        self._direction = "down"


class MeanSquaredLogarithmicError(_FixedFnWrapper):
    """Mean of `(log(y_true + 1) - log(y_pred + 1)) ** 2`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(L.mean_squared_logarithmic_error, name, dtype=dtype)
        self._direction = "down"


class RootMeanSquaredError(Mean):
    """Square root of the mean squared error over all batches seen.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = keras.metrics.RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> m.result()
    0.5
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = to_numpy(y_true, self.dtype)
        y_pred = to_numpy(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return np.sqrt(super().result())


class CosineSimilarity(_FixedFnWrapper):
    """Mean cosine similarity between labels and predictions along `axis`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) the axis along which to compute it. Defaults to `-1`.
    """

    _config_keys = ("axis",)

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(L.cosine_similarity, name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


class LogCoshError(_FixedFnWrapper):
    """Mean of the logarithm of the hyperbolic cosine of the error.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(L.log_cosh, name, dtype=dtype)
        self._direction = "down"


class R2Score(Metric):
    """Coefficient of determination, accumulated over all batches.

    Args:
        class_aggregation: How to aggregate the per-output scores: `None`
            (return them all), `"uniform_average"` (default) or
            `"variance_weighted_average"`.
        num_regressors: Number of independent regressors, for the adjusted
            R^2. `0` (default) gives the standard R^2.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Inputs are 2D: `(batch_size, output_dim)`.
    """

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(self, class_aggregation="uniform_average", num_regressors=0,
                 name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{self._AGGREGATIONS}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        n = y_pred_shape[-1]
        self.squared_sum = self.add_variable(shape=(n,), initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=(n,), initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=(n,), initializer="zeros", name="residual")
        self.count = self.add_variable(shape=(n,), initializer="zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = to_numpy(y_true, self.dtype)
        y_pred = to_numpy(y_pred, self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        w = to_numpy(1 if sample_weight is None else sample_weight, self.dtype)
        if w.ndim == 1:
            w = w[:, None]
        w = np.broadcast_to(w, y_true.shape)
        weighted = y_true * w
        self.sum.assign(self.sum.numpy() + np.sum(weighted, axis=0))
        self.squared_sum.assign(self.squared_sum.numpy() + np.sum(y_true * weighted, axis=0))
        self.total_mse.assign(self.total_mse.numpy()
                              + np.sum(np.square(y_true - y_pred) * w, axis=0))
        self.count.assign(self.count.numpy() + np.sum(w, axis=0))
        self.num_samples.assign(self.num_samples.numpy() + y_true.size)

    def result(self):
        dt = self.dtype
        if not self._built:
            return np.zeros((), dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            s, c = self.sum.numpy(), self.count.numpy()
            mean = s / c
            total = self.squared_sum.numpy() - s * mean
            raw = (1 - self.total_mse.numpy() / total).astype(dt)
            raw = np.where(np.isinf(raw), np.zeros((), dt), raw)
            if self.class_aggregation == "uniform_average":
                r2 = np.mean(raw)
            elif self.class_aggregation == "variance_weighted_average":
                r2 = np.sum(total * raw) / np.sum(total)
            else:
                r2 = raw
        n_samples = float(self.num_samples.numpy())
        if self.num_regressors != 0:
            if self.num_regressors > n_samples - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif self.num_regressors == n_samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=2)
            else:
                n = np.float32(n_samples)
                p = np.float32(self.num_regressors)
                r2 = 1 - (1 - r2) * (n - 1) / (n - p - 1)
        return np.asarray(r2, dtype=dt)

    def reset_state(self):
        for v in self.variables:
            v.assign(np.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype,
                "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
