"""Array helpers shared by the metrics (plain numpy: metric state needs no gradients)."""
import numpy as np
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend.variables import Variable


def to_numpy(x, dtype=None):
    """`x` as a plain numpy array: Variables read, autograd boxes stripped.

    Python floats become `floatx()`, as `convert_to_tensor` does.
    """
    if isinstance(x, Variable):
        x = x.numpy()
    elif isinstance(x, (list, tuple)):
        x = [to_numpy(e) for e in x] if any(
            isinstance(e, Variable) or not isinstance(e, (int, float, bool, list, tuple))
            for e in x) else x
    x = getval(x)
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()  # tensors of other frameworks
    is_python = not isinstance(x, (np.ndarray, np.generic))
    arr = np.asarray(x)
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    if is_python and arr.dtype == np.float64:
        arr = arr.astype(config.floatx())
    return arr


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Squeeze or expand the last axis when the ranks differ by exactly one."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = np.expand_dims(x2, -1)
        else:
            x1 = np.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = np.expand_dims(x1, -1)
        else:
            x2 = np.squeeze(x2, -1)
    return x1, x2


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Weight `values` and reduce both to one value per sample (axis 0).

    Returns `(values, sample_weight)`; `sample_weight` is `None` when none
    was given, else it has been broadcast and reduced like the values.
    """
    values = to_numpy(values, dtype)
    if sample_weight is not None:
        sample_weight = to_numpy(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_ndim, values_ndim = sample_weight.ndim, values.ndim
        if values_ndim > weight_ndim:
            values = reduce_fn(values, axis=tuple(range(weight_ndim, values_ndim)))
        try:
            sample_weight = np.broadcast_to(sample_weight, values.shape)
        except ValueError:
            raise ValueError(
                "`sample_weight` cannot be broadcast to the shape of the values. "
                f"Received: sample_weight.shape={sample_weight.shape}, "
                f"values.shape={values.shape}") from None
        values = values * sample_weight
        if weight_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


def divide_no_nan(x, y):
    """`x / y`, and 0 where `y == 0` (no warnings)."""
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim == 0 and y.ndim == 0:  # every Mean result: skip the np.where calls
        return np.asarray(x / y) if y != 0 else np.zeros_like(x / np.ones_like(y))
    safe = np.where(y == 0, np.ones_like(y), y)
    return np.where(y == 0, np.zeros_like(x / safe), x / safe)


# ----- confusion-matrix accumulation (Precision, Recall, AUC, ...) -------------

NEG_INF = -1e10

TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES = "tp", "fp", "tn", "fn"
_CONDITIONS = (TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES)


def to_list(x):
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, np.ndarray):
        return x.tolist() if x.ndim else [x.item()]
    return [x]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """The list of thresholds, each checked to lie in [0, 1]."""
    if thresholds is not None:
        invalid = [t for t in to_list(thresholds) if t is None or t < 0 or t > 1]
        if invalid:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return to_list(default_threshold if thresholds is None else thresholds)


def is_evenly_distributed_thresholds(thresholds):
    """Whether the thresholds are `i / (n - 1)` (then a bucketed update is exact)."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def _filter_top_k(x, k):
    """Keep the `k` largest entries of the last axis, the rest become NEG_INF."""
    # Stable sort on -x: among ties the lower index wins, as tf.math.top_k.
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    mask = np.zeros(x.shape, dtype=x.dtype)
    np.put_along_axis(mask, idx, 1, axis=-1)
    return x * mask + np.asarray(NEG_INF, x.dtype) * (1 - mask)


def _update_bucketed(variables, y_true, y_pred, num_thresholds, multi_label, sample_weight,
                     label_weights, thresholds_with_epsilon):
    """O(n) update for evenly spaced thresholds: histogram, then reverse cumsum."""
    dt = y_pred.dtype
    weights = np.ones((), dt)
    if sample_weight is not None:
        weights = np.broadcast_to(sample_weight.astype(dt), y_pred.shape)
    if label_weights is not None:
        weights = weights * np.broadcast_to(label_weights[None], y_pred.shape)
    weights = np.broadcast_to(weights, y_pred.shape).astype(dt)
    y_pred = np.clip(y_pred, 0.0, 1.0).astype(dt)
    y_true = (y_true != 0).astype(dt)
    true_labels = y_true * weights
    false_labels = (1.0 - y_true).astype(dt) * weights
    buckets = np.ceil(y_pred * np.asarray(num_thresholds - 1, dt)) - 1
    if thresholds_with_epsilon:
        buckets = np.maximum(buckets, 0)
    buckets = buckets.astype(np.int64)
    if multi_label:
        # One histogram per label (column), shape (num_thresholds, num_labels).
        n_labels = y_pred.shape[-1]
        cols = np.broadcast_to(np.arange(n_labels), buckets.shape)
        keep = buckets >= 0  # negative ids are dropped, as unsorted_segment_sum does
        flat = (buckets * n_labels + cols)[keep]

        def hist(values):
            h = np.bincount(flat, weights=values[keep].astype(np.float64),
                            minlength=num_thresholds * n_labels)
            return h.reshape(num_thresholds, n_labels).astype(dt)
        total_axis = 0
    else:
        buckets, true_labels, false_labels = (
            buckets.reshape(-1), true_labels.reshape(-1), false_labels.reshape(-1))
        keep = buckets >= 0

        def hist(values):
            return np.bincount(buckets[keep], weights=values[keep].astype(np.float64),
                               minlength=num_thresholds).astype(dt)
        total_axis = None
    tp = np.flip(np.cumsum(np.flip(hist(true_labels), 0), axis=0, dtype=dt), 0)
    fp = np.flip(np.cumsum(np.flip(hist(false_labels), 0), axis=0, dtype=dt), 0)
    if TRUE_POSITIVES in variables:
        v = variables[TRUE_POSITIVES]
        v.assign(v.numpy() + tp)
    if FALSE_POSITIVES in variables:
        v = variables[FALSE_POSITIVES]
        v.assign(v.numpy() + fp)
    if TRUE_NEGATIVES in variables:
        v = variables[TRUE_NEGATIVES]
        v.assign(v.numpy() + (np.sum(false_labels, axis=total_axis, dtype=dt) - fp))
    if FALSE_NEGATIVES in variables:
        v = variables[FALSE_NEGATIVES]
        v.assign(v.numpy() + (np.sum(true_labels, axis=total_axis, dtype=dt) - tp))


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, top_k=None,
                                      class_id=None, sample_weight=None, multi_label=False,
                                      label_weights=None, thresholds_distributed_evenly=False):
    """Add this batch's TP/FP/TN/FN counts at each threshold to `variables`.

    Args:
        variables: dict from "tp"/"fp"/"tn"/"fn" to the Variables to update.
        y_true, y_pred: labels (nonzero = positive) and scores.
        thresholds: list of floats; a prediction is positive when it is
            strictly above a threshold.
        top_k: only the `k` largest predictions of each row count.
        class_id: only this column counts.
        sample_weight: optional weights, broadcastable to `y_pred`.
        multi_label: count each label (column) separately.
        label_weights: per-label weights (only without `multi_label`).
        thresholds_distributed_evenly: use the exact bucketed update.
    """
    if multi_label and label_weights is not None:
        raise ValueError(
            "`label_weights` for multilabel data should be handled outside of "
            "`update_confusion_matrix_variables` when `multi_label` is True.")
    if not variables:
        return
    invalid = [k for k in variables if k not in _CONDITIONS]
    if invalid:
        raise ValueError(f'Invalid keys: "{invalid}". Valid variable key options are: '
                         f'"{list(_CONDITIONS)}"')
    dt = next(iter(variables.values())).dtype
    y_true = to_numpy(y_true, dt)
    y_pred = to_numpy(y_pred, dt)
    if thresholds_distributed_evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    thresholds = np.asarray(thresholds, dtype=dt)
    num_thresholds = thresholds.shape[0]
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_pred.shape != y_true.shape:
        try:
            np.broadcast_shapes(y_pred.shape, y_true.shape)
        except ValueError:
            raise ValueError(
                "`y_true` and `y_pred` must have compatible shapes. Received: "
                f"y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}") from None
    if sample_weight is not None:
        sample_weight = np.expand_dims(to_numpy(sample_weight, dt), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape "
                f"(num_samples, num_classes), found shape: {y_pred.shape}")
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    if thresholds_distributed_evenly:
        return _update_bucketed(variables, y_true, y_pred, num_thresholds, multi_label,
                                sample_weight, label_weights, with_epsilon)

    y_true = np.broadcast_to(y_true, y_pred.shape)
    weights = None
    if sample_weight is not None:
        weights = np.broadcast_to(sample_weight.astype(dt), y_pred.shape)
    if label_weights is not None and not multi_label:
        lw = np.broadcast_to(np.asarray(label_weights, dt)[None], y_pred.shape)
        weights = lw if weights is None else weights * lw
    if multi_label:
        # (thresholds, samples, labels); counts summed over samples.
        preds, labels = y_pred[None], (y_true != 0)[None]
        thresh = thresholds.reshape(-1, *([1] * y_pred.ndim))
        w = None if weights is None else weights[None]
    else:
        preds, labels = y_pred.reshape(1, -1), (y_true != 0).reshape(1, -1)
        thresh = thresholds.reshape(-1, 1)
        w = None if weights is None else weights.reshape(1, -1)
    pred_pos = preds > thresh
    label_pos = labels

    def count(label, pred):
        hit = label & pred
        if w is None:
            return np.sum(hit, axis=1, dtype=dt)
        return np.sum(np.where(hit, w, np.zeros((), dt)), axis=1, dtype=dt)

    pairs = {TRUE_POSITIVES: lambda: (label_pos, pred_pos),
             FALSE_POSITIVES: lambda: (~label_pos, pred_pos),
             TRUE_NEGATIVES: lambda: (~label_pos, ~pred_pos),
             FALSE_NEGATIVES: lambda: (label_pos, ~pred_pos)}
    for key, var in variables.items():
        var.assign(var.numpy() + count(*pairs[key]()))
