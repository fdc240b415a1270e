"""F-scores: `FBetaScore` and `F1Score`, from counts accumulated over batches."""
import numpy as np

from minikeras.backend import config
from minikeras.metrics.metric import Metric
from minikeras.metrics.metrics_utils import to_numpy


class FBetaScore(Metric):
    """F-beta score: `(1 + beta^2) * P * R / (beta^2 * P + R)`.

    Args:
        average: `None` (one score per class), `"micro"` (counts pooled over
            classes), `"macro"` (unweighted mean of the class scores) or
            `"weighted"` (mean weighted by the class supports).
        beta: Python float > 0, the weight of recall.
        threshold: Python float in (0, 1]; predictions above it are positive.
            `None` means the row's maximum is the positive prediction.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Inputs are 2D: `(batch_size, num_classes)`.
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                f"'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify "
                                 f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape=shape, initializer="zeros",
                                                  dtype=self.dtype, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = to_numpy(y_true, self.dtype)
        y_pred = to_numpy(y_pred, self.dtype)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            top = np.max(y_pred, axis=-1, keepdims=True)
            y_pred = (y_pred >= top) & (np.abs(y_pred) > 1e-9)
        else:
            y_pred = y_pred > self.threshold
        y_pred = y_pred.astype(self.dtype)
        w = None if sample_weight is None else to_numpy(sample_weight, self.dtype)

        def weighted_sum(val):
            if w is not None:
                val = val * np.expand_dims(w, 1)
            return np.sum(val, axis=self.axis)

        one = np.ones((), self.dtype)
        self.true_positives.assign(self.true_positives.numpy() + weighted_sum(y_pred * y_true))
        self.false_positives.assign(self.false_positives.numpy()
                                    + weighted_sum(y_pred * (one - y_true)))
        self.false_negatives.assign(self.false_negatives.numpy()
                                    + weighted_sum((one - y_pred) * y_true))
        self.intermediate_weights.assign(self.intermediate_weights.numpy() + weighted_sum(y_true))

    def result(self):
        if not self._built:
            return np.zeros((), self.dtype)
        dt = self.dtype
        eps = np.asarray(config.epsilon(), dt)
        tp, fp, fn = (self.true_positives.numpy(), self.false_positives.numpy(),
                      self.false_negatives.numpy())
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        beta2 = np.asarray(self.beta ** 2, dt)
        score = precision * recall / (beta2 * precision + recall + eps) * (1 + beta2)
        if self.average == "weighted":
            iw = self.intermediate_weights.numpy()
            score = np.sum(score * (iw / (np.sum(iw) + eps)))
        elif self.average is not None:
            score = np.mean(score)
        return np.asarray(score, dtype=dt)

    def reset_state(self):
        for v in self.variables:
            v.assign(np.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "average": self.average,
                "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """F1 score: the harmonic mean of precision and recall (`FBetaScore` with beta 1).

    Args:
        average: `None`, `"micro"`, `"macro"` or `"weighted"` (see `FBetaScore`).
        threshold: Python float in (0, 1]; `None` takes each row's maximum.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> metric = keras.metrics.F1Score(threshold=0.5)
    >>> y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
    >>> y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
    >>> metric.update_state(y_true, y_pred)
    >>> metric.result()
    array([0.5      , 0.8      , 0.6666667], dtype=float32)
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
