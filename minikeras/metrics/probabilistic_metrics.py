"""Probabilistic metrics: KL divergence, Poisson and the cross-entropies."""
from minikeras.metrics import per_sample_losses as L
from minikeras.metrics.metrics_utils import squeeze_or_expand_to_same_rank, to_numpy
from minikeras.metrics.reduction_metrics import Mean, _FixedFnWrapper


class KLDivergence(_FixedFnWrapper):
    """Mean Kullback-Leibler divergence `y_true * log(y_true / y_pred)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(fn=L.kl_divergence, name=name, dtype=dtype)


class Poisson(_FixedFnWrapper):
    """Mean Poisson loss `y_pred - y_true * log(y_pred)`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="poisson", dtype=None):
        super().__init__(fn=L.poisson, name=name, dtype=dtype)


class BinaryCrossentropy(_FixedFnWrapper):
    """Mean binary cross-entropy between labels and predictions.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits instead of
            probabilities.
        label_smoothing: (Optional) float in [0, 1]; labels are squeezed
            towards 0.5 by this amount.
    """

    _config_keys = ("from_logits", "label_smoothing")

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(L.binary_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"


class CategoricalCrossentropy(_FixedFnWrapper):
    """Mean categorical cross-entropy between one-hot labels and predictions.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits.
        label_smoothing: (Optional) float in [0, 1] smoothing the labels.
        axis: (Optional) the class axis. Defaults to `-1`.
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(L.categorical_crossentropy, name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"


class SparseCategoricalCrossentropy(_FixedFnWrapper):
    """Mean cross-entropy between integer labels and predictions.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_logits: (Optional) whether `y_pred` holds logits.
        ignore_class: (Optional) integer label whose entries are left out of
            the mean (as in segmentation "void" classes).
        axis: (Optional) the class axis. Defaults to `-1`.
    """

    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(L.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        values, valid = L.sparse_categorical_crossentropy_with_mask(
            y_true, y_pred, self.from_logits, self.ignore_class, self.axis)
        if valid is not None:
            # Ignored entries get zero weight, so they leave the count too.
            mask = valid.astype(self.dtype)
            if sample_weight is not None:
                mask, sw = squeeze_or_expand_to_same_rank(mask, to_numpy(sample_weight, self.dtype))
                mask = mask * sw
            sample_weight = mask
        return Mean.update_state(self, values, sample_weight=sample_weight)
