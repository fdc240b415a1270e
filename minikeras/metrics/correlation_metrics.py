"""Correlation metrics: Pearson and concordance correlation, per batch, averaged."""
import numpy as np

from minikeras.backend import config
from minikeras.metrics.per_sample_losses import align_pair
from minikeras.metrics.reduction_metrics import _FixedFnWrapper


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson correlation coefficient along `axis`.

    Example:

    >>> keras.metrics.pearson_correlation([[0, 1, 0.5]], [[1, 1, 0.2]])
    array([-0.7559], dtype=float32)
    """
    y_true, y_pred = align_pair(y_true, y_pred)
    t = y_true - np.mean(y_true, axis=axis, keepdims=True)
    p = y_pred - np.mean(y_pred, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = t / np.std(t, axis=axis, keepdims=True)
        p = p / np.std(p, axis=axis, keepdims=True)
    return np.mean(t * p, axis=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along `axis`."""
    y_true, y_pred = align_pair(y_true, y_pred)
    true_mean = np.mean(y_true, axis=axis, keepdims=True)
    pred_mean = np.mean(y_pred, axis=axis, keepdims=True)
    true_var = np.var(y_true - true_mean, axis=axis, keepdims=True)
    pred_var = np.var(y_pred - pred_mean, axis=axis, keepdims=True)
    # Keras centres y_true on the *prediction* mean here; kept for identical numbers.
    covar = (y_true - pred_mean) * (y_pred - pred_mean)
    norm = true_var + pred_var + np.square(true_mean - pred_mean)
    eps = np.asarray(config.epsilon(), y_pred.dtype)
    return np.mean(2 * covar / (norm + eps), axis=axis)


class PearsonCorrelation(_FixedFnWrapper):
    """Mean of the per-sample Pearson correlation along `axis`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) integer, the axis along which to correlate.
            Defaults to `-1`.
    """

    _config_keys = ("axis",)

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(fn=pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


class ConcordanceCorrelation(_FixedFnWrapper):
    """Mean of the per-sample concordance correlation along `axis`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        axis: (Optional) integer, the axis along which to correlate.
            Defaults to `-1`.
    """

    _config_keys = ("axis",)

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(fn=concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"
