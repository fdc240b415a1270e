"""Accuracy metrics: exact match, binary, categorical, sparse and top-k."""
import numpy as np

from minikeras.backend import config
from minikeras.metrics.metrics_utils import squeeze_or_expand_to_same_rank, to_numpy
from minikeras.metrics.reduction_metrics import _FixedFnWrapper


def _floatx_matches(matches):
    return np.asarray(matches, dtype=config.floatx())


def accuracy(y_true, y_pred):
    """1.0 where `y_true == y_pred` elementwise, else 0.0."""
    y_pred = to_numpy(y_pred)
    y_true = to_numpy(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _floatx_matches(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `(y_pred > threshold) == y_true`, else 0.0.

    Args:
        y_true: Binary labels.
        y_pred: Predicted probabilities (or scores compared to `threshold`).
        threshold: Predictions above it count as 1.

    Returns:
        Elementwise matches as `floatx()`.
    """
    y_pred = to_numpy(y_pred)
    y_true = to_numpy(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = (y_pred > to_numpy(threshold)).astype(y_true.dtype)
    return _floatx_matches(y_true == y_pred)


def categorical_accuracy(y_true, y_pred):
    """1.0 where `argmax(y_true) == argmax(y_pred)` on the last axis, else 0.0.

    `y_true` is one-hot (or any scores whose argmax is the label).
    """
    y_pred = to_numpy(y_pred)
    y_true = np.argmax(to_numpy(y_true), axis=-1)
    original_shape = y_true.shape
    reshape_matches = False
    if y_true.ndim == y_pred.ndim:
        y_true = np.squeeze(y_true, -1)
        reshape_matches = True
    matches = _floatx_matches(y_true == np.argmax(y_pred, axis=-1))
    if reshape_matches:
        matches = matches.reshape(original_shape)
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label equals `argmax(y_pred)`, else 0.0."""
    y_pred = to_numpy(y_pred)
    y_true = to_numpy(y_true, y_pred.dtype)
    original_shape = y_true.shape
    reshape_matches = False
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = np.squeeze(y_true, -1)
        reshape_matches = True
    pred_ids = np.argmax(y_pred, axis=-1).astype(y_true.dtype)
    matches = _floatx_matches(y_true == pred_ids)
    if reshape_matches:
        matches = matches.reshape(original_shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = np.squeeze(matches, -1)
    return matches


def in_top_k(targets, predictions, k):
    """Whether each target's score is among the `k` largest of its row.

    As `tf.math.in_top_k`: ties straddling the boundary count as in the top
    k; a non-finite score or an out-of-range target is never in it.
    """
    targets = np.asarray(targets).astype(np.int64)
    predictions = np.asarray(predictions)
    rows = np.arange(predictions.shape[0])
    valid = (targets >= 0) & (targets < predictions.shape[-1])
    target_scores = predictions[rows, np.where(valid, targets, 0)]
    n_greater = np.sum(predictions > target_scores[:, None], axis=-1)
    return valid & np.isfinite(target_scores) & (n_greater < k)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target is among the top `k` predictions."""
    y_pred = to_numpy(y_pred)
    y_true = np.argmax(to_numpy(y_true), axis=-1)
    original_shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape_matches = y_true.ndim > 1
    if reshape_matches:
        y_true = y_true.reshape(-1)
    matches = _floatx_matches(in_top_k(y_true, y_pred, k))
    if reshape_matches:
        matches = matches.reshape(original_shape)
    return matches


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the top `k` predictions.

    Args:
        y_true: Integer labels.
        y_pred: Scores, or (with `from_sorted_ids=True`) class ids sorted by
            decreasing score, of which the first `k` are used.
        k: How many top entries to look at.
        from_sorted_ids: Whether `y_pred` holds sorted ids instead of scores.
    """
    y_pred = to_numpy(y_pred)
    y_true = to_numpy(y_true, y_pred.dtype if from_sorted_ids else "int32")
    original_shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    reshape_matches = y_true.ndim > 1
    if reshape_matches:
        y_true = y_true.reshape(-1)
    if from_sorted_ids:
        matches = np.any(y_true[:, None] == y_pred[:, :k], axis=1)
    else:
        matches = in_top_k(y_true, y_pred, k)
    matches = _floatx_matches(matches)
    if reshape_matches:
        matches = matches.reshape(original_shape)
    return matches


class Accuracy(_FixedFnWrapper):
    """How often predictions equal labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = keras.metrics.Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> m.result()
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"


class BinaryAccuracy(_FixedFnWrapper):
    """How often predictions match binary labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        threshold: (Optional) float, predictions above it count as 1.
            Defaults to `0.5`.

    Example:

    >>> m = keras.metrics.BinaryAccuracy()
    >>> m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
    >>> m.result()
    0.75
    """

    _config_keys = ("threshold",)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"


class CategoricalAccuracy(_FixedFnWrapper):
    """How often the argmax of predictions matches the one-hot labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


class SparseCategoricalAccuracy(_FixedFnWrapper):
    """How often the argmax of predictions matches the integer labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


class TopKCategoricalAccuracy(_FixedFnWrapper):
    """How often the one-hot targets are in the top `K` predictions.

    Args:
        k: (Optional) number of top elements to look at. Defaults to `5`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    _config_keys = ("k",)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"


class SparseTopKCategoricalAccuracy(_FixedFnWrapper):
    """How often the integer targets are in the top `K` predictions.

    Args:
        k: (Optional) number of top elements to look at. Defaults to `5`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_sorted_ids: (Optional) whether `y_pred` holds the top class ids
            sorted by decreasing score instead of scores. Defaults to `False`.
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype,
                         k=k, from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    _config_keys = ("k",)

    def get_config(self):
        config = super().get_config()
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
