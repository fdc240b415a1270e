"""Confusion-matrix metrics: TP/FP/TN/FN counts, Precision, Recall, the
"X at Y" metrics and AUC. All accumulate counts per threshold over batches,
so the result is the metric of everything seen, not a mean of batch values."""
import numpy as np

from minikeras.backend import config
from minikeras.metrics import metrics_utils as mu
from minikeras.metrics.metric import Metric
from minikeras.metrics.metrics_utils import divide_no_nan, to_numpy


class _ConfusionMatrixConditionCount(Metric):
    """Weighted count of one confusion-matrix condition at each threshold."""

    def __init__(self, confusion_matrix_cond, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._confusion_matrix_cond = confusion_matrix_cond
        self.init_thresholds = thresholds
        self.thresholds = mu.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer="zeros",
                                             name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        mu.update_confusion_matrix_variables(
            {self._confusion_matrix_cond: self.accumulator}, y_true, y_pred,
            thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight)

    def result(self):
        acc = self.accumulator.numpy()
        return np.array(acc[0] if len(self.thresholds) == 1 else acc, dtype=self.dtype)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


_COUNT_DOC = """Counts the {what}, weighted by `sample_weight`.

    A prediction is positive when it is above the threshold.

    Args:
        thresholds: (Optional) a float or a list of floats in [0, 1]; the
            result has one count per threshold. Defaults to `0.5`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """


class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="false positives")

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.FALSE_POSITIVES, thresholds=thresholds, name=name, dtype=dtype)


class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="false negatives")

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.FALSE_NEGATIVES, thresholds=thresholds, name=name, dtype=dtype)


class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="true negatives")

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.TRUE_NEGATIVES, thresholds=thresholds, name=name, dtype=dtype)


class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = _COUNT_DOC.format(what="true positives")

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(mu.TRUE_POSITIVES, thresholds=thresholds, name=name, dtype=dtype)


class _PrecisionRecallBase(Metric):
    """Shared state handling of `Precision` and `Recall`."""

    _second = None  # "fp" for precision, "fn" for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else mu.NEG_INF
        self.thresholds = mu.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(self.thresholds)
        n = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(n,), initializer="zeros",
                                                name="true_positives")
        second = "false_positives" if self._second == mu.FALSE_POSITIVES else "false_negatives"
        setattr(self, second, self.add_variable(shape=(n,), initializer="zeros", name=second))
        self._second_var = getattr(self, second)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate true positives and false positives (or negatives).

        Args:
            y_true: Ground-truth labels; nonzero means positive.
            y_pred: Predicted scores, compared to the thresholds.
            sample_weight: Optional weights, broadcastable to `y_pred`.
        """
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, self._second: self._second_var},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            top_k=self.top_k, class_id=self.class_id, sample_weight=sample_weight)

    def result(self):
        tp = self.true_positives.numpy()
        res = divide_no_nan(tp, tp + self._second_var.numpy()).astype(self.dtype)
        return res[0] if len(self.thresholds) == 1 else res

    def reset_state(self):
        n = len(self.thresholds)
        self.true_positives.assign(np.zeros((n,)))
        self._second_var.assign(np.zeros((n,)))

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


_PR_DOC = """{what}: `true_positives / (true_positives + {second})`.

    Args:
        thresholds: (Optional) a float or list of floats in [0, 1]; a
            prediction above a threshold is positive. One result per
            threshold. Defaults to `0.5` (or, with `top_k`, "in the top k").
        top_k: (Optional) only the `top_k` largest predictions of each row
            are candidates for being positive.
        class_id: (Optional) the class (column) to compute it for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = keras.metrics.{what}()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> m.result()
    0.6666667
    """


class Precision(_PrecisionRecallBase):
    __doc__ = _PR_DOC.format(what="Precision", second="false_positives")
    _second = mu.FALSE_POSITIVES


class Recall(_PrecisionRecallBase):
    __doc__ = _PR_DOC.format(what="Recall", second="false_negatives")
    _second = mu.FALSE_NEGATIVES


class SensitivitySpecificityBase(Metric):
    """Base of the metrics that maximise one rate under a bound on another.

    Keeps TP/FP/TN/FN at `num_thresholds` evenly spaced thresholds.
    """

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        n = len(self.thresholds)
        self.true_positives = self.add_variable(shape=(n,), initializer="zeros",
                                                name="true_positives")
        self.false_positives = self.add_variable(shape=(n,), initializer="zeros",
                                                 name="false_positives")
        self.true_negatives = self.add_variable(shape=(n,), initializer="zeros",
                                                name="true_negatives")
        self.false_negatives = self.add_variable(shape=(n,), initializer="zeros",
                                                 name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, mu.TRUE_NEGATIVES: self.true_negatives,
             mu.FALSE_POSITIVES: self.false_positives, mu.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, thresholds=self.thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id, sample_weight=sample_weight)

    def reset_state(self):
        n = len(self.thresholds)
        for v in (self.true_positives, self.false_positives, self.true_negatives,
                  self.false_negatives):
            v.assign(np.zeros((n,)))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}

    def _rates(self):
        tp, fp = self.true_positives.numpy(), self.false_positives.numpy()
        tn, fn = self.true_negatives.numpy(), self.false_negatives.numpy()
        return {"sensitivity": divide_no_nan(tp, tp + fn),   # = recall
                "specificity": divide_no_nan(tn, tn + fp),
                "precision": divide_no_nan(tp, tp + fp)}

    def _find_max_under_constraint(self, constrained, dependent):
        feasible = constrained >= np.asarray(self.value, constrained.dtype)
        best = np.max(np.where(feasible, dependent, np.zeros((), dependent.dtype)), initial=0)
        return np.asarray(best, dtype=self.dtype)


def _check_rate(name, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")


_AT_DOC = """Best {target} among the thresholds where {bound} >= `{arg}`.

    Args:
        {arg}: A scalar value in range `[0, 1]`.
        num_thresholds: (Optional) number of evenly spaced thresholds to
            search. Defaults to `200`.
        class_id: (Optional) the class (column) to compute it for.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """


class _RateAtRate(SensitivitySpecificityBase):
    """Shared body of the four "X at Y" metrics.

    Subclasses name their constructor argument (`_arg`), the rate it bounds
    (`_bound`) and the rate maximised under that bound (`_target`); the
    public `__init__`s stay explicit so their signatures match Keras.
    """

    _arg = _bound = _target = None

    def _init_at(self, value, num_thresholds, class_id, name, dtype):
        _check_rate(self._arg, value)
        setattr(self, self._arg, value)
        self.num_thresholds = num_thresholds
        super().__init__(value, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._find_max_under_constraint(r[self._bound], r[self._target])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                self._arg: getattr(self, self._arg)}


class SensitivityAtSpecificity(_RateAtRate):
    __doc__ = _AT_DOC.format(target="sensitivity", bound="specificity", arg="specificity")
    _arg, _bound, _target = "specificity", "specificity", "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._init_at(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_RateAtRate):
    __doc__ = _AT_DOC.format(target="specificity", bound="sensitivity", arg="sensitivity")
    _arg, _bound, _target = "sensitivity", "sensitivity", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._init_at(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_RateAtRate):
    __doc__ = _AT_DOC.format(target="precision", bound="recall", arg="recall")
    # recall is the sensitivity rate
    _arg, _bound, _target = "recall", "sensitivity", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._init_at(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_RateAtRate):
    __doc__ = _AT_DOC.format(target="recall", bound="precision", arg="precision")
    _arg, _bound, _target = "precision", "precision", "sensitivity"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._init_at(precision, num_thresholds, class_id, name, dtype)


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


class AUC(Metric):
    """Area under the ROC or precision-recall curve, over all batches seen.

    TP/FP/TN/FN are accumulated at `num_thresholds` thresholds and the
    curve they trace is integrated with a Riemann sum (PR interpolation as
    Davis & Goadrich 2006).

    Args:
        num_thresholds: (Optional) number of thresholds, > 1. Defaults to 200.
        curve: (Optional) `"ROC"` (default), `"PR"` or `"PRGAIN"`.
        summation_method: (Optional) `"interpolation"` (default),
            `"minoring"` or `"majoring"`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        thresholds: (Optional) explicit list of thresholds in [0, 1]; then
            `num_thresholds` is ignored.
        multi_label: whether each label (column) gets its own curve, the
            AUCs then averaged (weighted by `label_weights`).
        num_labels: (Optional) number of labels, with `multi_label=True`,
            to create the state before the first batch.
        label_weights: (Optional) per-label weights.
        from_logits: whether `y_pred` holds logits (a sigmoid is applied).

    Example:

    >>> m = keras.metrics.AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> m.result()
    0.75
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        key = str(getattr(curve, "value", curve))
        if key.lower() not in _CURVES or key not in (key.lower(), key.upper()):
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             '["PR", "ROC", "PRGAIN"]')
        self.curve = _CURVES[key.lower()]
        method = str(getattr(summation_method, "value", summation_method))
        if method.lower() not in _SUMMATIONS or method not in (method.lower(),
                                                                method.capitalize()):
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        self.summation_method = method.lower()
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(mu.to_list(thresholds))
            self.num_thresholds = len(thresholds) + 2
            self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(
                np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        eps = config.epsilon()
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else np.array(label_weights, dtype=self.dtype))
        self._from_logits = from_logits
        self._built = False
        if self.multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, with `-epsilon` and `1 + epsilon` at the ends."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                    f"{len(shape)}. Full shape received for `y_pred`: {shape}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, name, self.add_variable(shape=variable_shape, initializer="zeros",
                                                  name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the confusion counts of a batch.

        Args:
            y_true: Ground-truth labels; nonzero means positive.
            y_pred: Predicted probabilities (logits with `from_logits=True`).
            sample_weight: Optional weights, broadcastable to `y_pred`.
        """
        y_pred = to_numpy(y_pred, self.dtype)
        if not self._built:
            self._build(y_pred.shape)
        label_weights = None if self.multi_label else self.label_weights
        if self._from_logits:
            y_pred = (1.0 / (1.0 + np.exp(-y_pred))).astype(self.dtype)
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, mu.TRUE_NEGATIVES: self.true_negatives,
             mu.FALSE_POSITIVES: self.false_positives, mu.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            label_weights=label_weights)

    def _aggregate(self, terms):
        if self.multi_label:
            by_label = np.sum(terms, axis=0)
            if self.label_weights is None:
                return np.mean(by_label)
            return divide_no_nan(np.sum(by_label * self.label_weights),
                                 np.sum(self.label_weights))
        return np.sum(terms)

    def interpolate_pr_auc(self):
        """PR AUC by the interpolation of Davis & Goadrich (2006)."""
        n = self.num_thresholds
        tp, fp, fn = (self.true_positives.numpy(), self.false_positives.numpy(),
                      self.false_negatives.numpy())
        dtp = tp[:n - 1] - tp[1:]
        p = tp + fp
        dp = p[:n - 1] - p[1:]
        prec_slope = divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - prec_slope * p[1:]
        both = (p[:n - 1] > 0) & (p[1:] > 0)
        safe_p_ratio = np.where(both, divide_no_nan(p[:n - 1], np.maximum(p[1:], 0)),
                                np.ones_like(p[1:]))
        increment = divide_no_nan(prec_slope * (dtp + intercept * np.log(safe_p_ratio)),
                                  np.maximum(tp[1:] + fn[1:], 0))
        return np.asarray(self._aggregate(increment), dtype=self.dtype)

    def result(self):
        if not self._built:
            return np.zeros((), self.dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        n = self.num_thresholds
        tp, fp = self.true_positives.numpy(), self.false_positives.numpy()
        tn, fn = self.true_negatives.numpy(), self.false_negatives.numpy()
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
            recall_gain = np.maximum(np.where(tp == 0, 0.0, recall_gain), 0.0)
            precision_gain = np.where(tp == 0, 1.0, precision_gain)
            x, y = recall_gain.astype(self.dtype), precision_gain.astype(self.dtype)
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:n - 1], y[1:])
        else:
            heights = np.maximum(y[:n - 1], y[1:])
        terms = (x[:n - 1] - x[1:]) * heights
        return np.asarray(self._aggregate(terms), dtype=self.dtype)

    def reset_state(self):
        if self._built:
            for v in (self.true_positives, self.false_positives, self.true_negatives,
                      self.false_negatives):
                v.assign(np.zeros(v.shape))

    def get_config(self):
        label_weights = self.label_weights
        config = {
            "num_thresholds": self.num_thresholds, "curve": self.curve,
            "summation_method": self.summation_method, "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if label_weights is None else label_weights.tolist(),
            "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = [float(t) for t in self.thresholds[1:-1]]
        return {**super().get_config(), **config}
