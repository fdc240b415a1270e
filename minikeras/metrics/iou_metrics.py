"""Intersection-over-Union metrics for segmentation and classification."""
import warnings

import numpy as np

from minikeras.backend import config
from minikeras.metrics.metric import Metric
from minikeras.metrics.metrics_utils import to_numpy


class _IoUBase(Metric):
    """Accumulates a `(num_classes, num_classes)` confusion matrix (rows: truth)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        # Keras keeps the confusion matrix in integers by default ("int" -> int64).
        super().__init__(name=name, dtype=dtype or "int64")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), initializer="zeros",
                                          dtype=self.dtype, name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the confusion matrix of a batch.

        Args:
            y_true: Class ids (or one-hot when `sparse_y_true=False`).
            y_pred: Class ids (or scores when `sparse_y_pred=False`).
            sample_weight: Optional weights, one per entry.
        """
        dt = self.dtype
        y_true, y_pred = to_numpy(y_true), to_numpy(y_pred)
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)
        y_true = y_true.astype(dt).reshape(-1)
        y_pred = y_pred.astype(dt).reshape(-1)
        if sample_weight is None:
            sample_weight = np.ones((), dt)
        else:
            sample_weight = to_numpy(sample_weight)
            if sample_weight.dtype.kind == "f" and "int" in dt:
                warnings.warn("You are passing weight as `float`, but dtype is `int`. This may "
                              "result in an incorrect weight due to type casting Consider "
                              "using integer weights.")
            sample_weight = sample_weight.astype(dt).reshape(-1) if sample_weight.ndim > 1 \
                else sample_weight.astype(dt)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                "`y_true` and `y_pred` must hold the same number of class ids. Received: "
                f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}")
        sample_weight = np.broadcast_to(sample_weight, y_true.shape)
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        rows = y_true[valid].astype(np.int64)
        cols = y_pred[valid].astype(np.int64)
        cm = np.bincount(rows * n + cols, weights=sample_weight[valid].astype(np.float64),
                         minlength=n * n).reshape(n, n)
        self.total_cm.assign(self.total_cm.numpy() + cm.astype(dt))

    def reset_state(self):
        self.total_cm.assign(np.zeros(self.total_cm.shape, dtype=self.total_cm.dtype))


class IoU(_IoUBase):
    """Intersection-over-Union `TP / (TP + FP + FN)`, averaged over `target_class_ids`.

    Args:
        num_classes: The number of possible labels.
        target_class_ids: The class ids whose IoUs are averaged.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the confusion matrix (default int64).
        ignore_class: (Optional) class id left out of the confusion matrix.
        sparse_y_true: Whether labels are class ids (else one-hot/scores).
        sparse_y_pred: Whether predictions are class ids (else scores).
        axis: (Optional) the class axis of non-sparse inputs. Defaults to -1.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis,
                         dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, "
                             f"which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        cm = self.total_cm.numpy()
        sum_over_row = np.sum(cm, axis=0)
        sum_over_col = np.sum(cm, axis=1)
        tp = np.diag(cm)
        denominator = sum_over_row + sum_over_col - tp
        ids = np.asarray(self.target_class_ids, dtype=np.int64)
        tp = tp[ids].astype(np.float32)
        denominator = denominator[ids].astype(np.float32)
        valid = denominator > 1e-9
        eps = np.float32(config.epsilon())
        iou = np.where(valid, tp / (denominator + eps), np.float32(0.0))
        return np.asarray(np.sum(iou, axis=self.axis) / (np.sum(valid, dtype=np.float32) + eps),
                          dtype=np.float32)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of binary predictions: scores `>= threshold` are class 1.

    Args:
        target_class_ids: A tuple or list of target class ids, from {0, 1}.
            Defaults to `(0, 1)` (the mean IoU of both classes).
        threshold: Scores at or above it are class 1. Defaults to 0.5.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the confusion matrix.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = to_numpy(y_true, self.dtype)
        y_pred = to_numpy(y_pred, "float32")
        y_pred = (y_pred >= np.float32(self.threshold)).astype(self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """Mean Intersection-over-Union over all `num_classes` classes.

    Args:
        num_classes: The number of possible labels.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the confusion matrix (default int64).
        ignore_class: (Optional) class id left out of the confusion matrix.
        sparse_y_true: Whether labels are class ids.
        sparse_y_pred: Whether predictions are class ids.
        axis: (Optional) the class axis of non-sparse inputs. Defaults to -1.

    Example:

    >>> m = keras.metrics.MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> m.result()
    0.33333334
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes,
                         target_class_ids=list(range(num_classes)), axis=axis, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """`IoU` for one-hot labels and score predictions (argmax taken on `axis`).

    Args:
        num_classes: The number of possible labels.
        target_class_ids: The class ids whose IoUs are averaged.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the confusion matrix.
        ignore_class: (Optional) class id left out of the confusion matrix.
        sparse_y_pred: Whether predictions are class ids. Defaults to False.
        axis: (Optional) the class axis. Defaults to -1.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and score predictions.

    Args:
        num_classes: The number of possible labels.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the confusion matrix.
        ignore_class: (Optional) class id left out of the confusion matrix.
        sparse_y_pred: Whether predictions are class ids. Defaults to False.
        axis: (Optional) the class axis. Defaults to -1.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
