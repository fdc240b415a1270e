"""The Keras 3 loss classes and loss functions.

Each loss function returns one value per sample (usually the mean over the
last axis); each class wraps its function in `LossFunctionWrapper`, which
adds `reduction` and `sample_weight` (see `loss.py`).
"""
import warnings

import numpy as np

from minikeras import ops
from minikeras.backend import config
from minikeras.losses._ctc import ctc_negative_log_likelihood
from minikeras.losses.loss import Loss, set_loss_mask, squeeze_or_expand_to_same_rank


class LossFunctionWrapper(Loss):
    """Turns a loss function `fn(y_true, y_pred, **kwargs)` into a `Loss`.

    Args:
        fn: The loss function, returning one value per sample.
        reduction: Type of reduction to apply to the loss.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss's computations.
        **kwargs: Keyword arguments passed on to `fn`.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if isinstance(y_true, dict) and isinstance(y_pred, dict):
            pairs = {k: squeeze_or_expand_to_same_rank(y_true[k], y_pred[k]) for k in y_true}
            y_true = {k: p[0] for k, p in pairs.items()}
            y_pred = {k: p[1] for k, p in pairs.items()}
        elif not isinstance(y_true, dict) and not isinstance(y_pred, dict):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        from minikeras.losses import _serialize_function
        config = super().get_config()
        config.update({"fn": _serialize_function(self.fn)})
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        from minikeras.losses import _deserialize_function
        config = dict(config)
        if "fn" in config:
            config["fn"] = _deserialize_function(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class _SimpleLoss(LossFunctionWrapper):
    """A wrapper around a fixed loss function.

    Its config is the constructor's arguments (`Loss`'s own plus the
    attributes named in `_config_keys`) rather than `fn`, so `cls(**config)`
    rebuilds it.
    """

    _config_keys = ()

    def get_config(self):
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# ============================================================================
# Classes
# ============================================================================
class MeanSquaredError(_SimpleLoss):
    """Computes the mean of squares of errors between labels and predictions.

    `loss = mean(square(y_true - y_pred))`

    Args:
        reduction: Type of reduction to apply to the loss (default
            `"sum_over_batch_size"`).
        name: Optional name for the loss instance.
        dtype: The dtype of the loss's computations (default `floatx()`).
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(_SimpleLoss):
    """Computes the mean of absolute difference between labels and predictions.

    `loss = mean(abs(y_true - y_pred))`
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(_SimpleLoss):
    """Computes the mean absolute percentage error between `y_true` & `y_pred`.

    `loss = 100 * mean(abs((y_true - y_pred) / y_true))`
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name,
                         reduction=reduction, dtype=dtype)


class MeanSquaredLogarithmicError(_SimpleLoss):
    """Computes the mean squared logarithmic error between `y_true` & `y_pred`.

    `loss = mean(square(log(y_true + 1) - log(y_pred + 1)))`
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name,
                         reduction=reduction, dtype=dtype)


class CosineSimilarity(_SimpleLoss):
    """Computes the (negative) cosine similarity between `y_true` & `y_pred`.

    `loss = -sum(l2_norm(y_true) * l2_norm(y_pred))`, a number between -1 and
    1 where -1 means most similar.

    Args:
        axis: The axis along which the cosine similarity is computed
            (the features axis). Defaults to `-1`.
    """

    # Keras 3 leaves `axis` out (so a reload forgets it); we keep it.
    _config_keys = ("axis",)

    def __init__(self, axis=-1, reduction="sum_over_batch_size",
                 name="cosine_similarity", dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction,
                         dtype=dtype, axis=axis)
        self.axis = axis


class Huber(_SimpleLoss):
    """Computes the Huber loss between `y_true` & `y_pred`.

    `0.5 * x^2` where `|x| <= delta`, else `delta * |x| - 0.5 * delta^2`,
    averaged over the last axis, with `x = y_pred - y_true`.

    Args:
        delta: A float, the point where the Huber loss function changes from a
            quadratic to linear.
    """

    # Keras 3 leaves `delta` out (so a reload forgets it); we keep it.
    _config_keys = ("delta",)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta


class LogCosh(_SimpleLoss):
    """Computes the logarithm of the hyperbolic cosine of the prediction error.

    `loss = mean(log(cosh(y_pred - y_true)), axis=-1)`
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class Hinge(_SimpleLoss):
    """Computes the hinge loss: `mean(maximum(1 - y_true * y_pred, 0))`.

    `y_true` values are expected to be -1 or 1; binary (0 or 1) labels are
    converted to -1 or 1.
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(_SimpleLoss):
    """Computes the squared hinge loss: `mean(square(maximum(1 - y_true * y_pred, 0)))`."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(_SimpleLoss):
    """Computes the categorical hinge loss: `maximum(neg - pos + 1, 0)`.

    `pos = sum(y_true * y_pred)` and `neg = max((1 - y_true) * y_pred)`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)


class KLDivergence(_SimpleLoss):
    """Computes the Kullback-Leibler divergence: `sum(y_true * log(y_true / y_pred))`.

    Both inputs are clipped to `[epsilon, 1]`.
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(_SimpleLoss):
    """Computes the Poisson loss: `mean(y_pred - y_true * log(y_pred + epsilon))`."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(_SimpleLoss):
    """Computes the cross-entropy loss between true labels and predicted labels.

    Use it for binary (0 or 1) classification.

    Args:
        from_logits: Whether `y_pred` holds logits (unbounded) rather than
            probabilities. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`. Non-zero values squeeze the
            labels towards 0.5: `y_true * (1 - label_smoothing) + 0.5 *
            label_smoothing`.
        axis: The axis along which to compute the mean. Defaults to `-1`.
        reduction: Type of reduction to apply to the loss.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss's computations.
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class BinaryFocalCrossentropy(_SimpleLoss):
    """Computes the focal cross-entropy loss between true labels and predictions.

    `loss = -(1 - p_t) ** gamma * log(p_t)` (Lin et al., 2018), optionally
    weighted by `alpha` for the positive class when `apply_class_balancing`.

    Args:
        apply_class_balancing: Whether to weight the classes with `alpha`.
        alpha: Weight of the positive class (negatives get `1 - alpha`).
            Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: Float in `[0, 1]`, as in `BinaryCrossentropy`.
        axis: The axis along which to compute the mean. Defaults to `-1`.
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha",
                    "gamma")

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma


class CategoricalCrossentropy(_SimpleLoss):
    """Computes the cross-entropy loss between one-hot labels and predictions.

    Args:
        from_logits: Whether `y_pred` holds logits rather than a probability
            distribution. Defaults to `False`.
        label_smoothing: Float in `[0, 1]`: labels become `y_true * (1 -
            label_smoothing) + label_smoothing / num_classes`.
        axis: The axis along which to compute crossentropy (the features
            axis). Defaults to `-1`.
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(_SimpleLoss):
    """Computes the alpha-balanced focal cross-entropy for one-hot labels.

    `loss = -alpha * (1 - p) ** gamma * y_true * log(p)`, summed over classes.

    Args:
        alpha: Weighting factor. Defaults to `0.25`.
        gamma: Focusing parameter. Defaults to `2.0`.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: Float in `[0, 1]`, as in `CategoricalCrossentropy`.
        axis: The features axis. Defaults to `-1`.
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma


class SparseCategoricalCrossentropy(_SimpleLoss):
    """Computes the cross-entropy loss between integer labels and predictions.

    Args:
        from_logits: Whether `y_pred` holds logits. Defaults to `False`.
        ignore_class: Optional integer label to ignore (e.g. a padding or
            void class); its entries get zero loss and are left out of the
            `"sum_over_batch_size"` average.
        reduction: Type of reduction to apply to the loss.
        axis: The class axis of `y_pred`. Defaults to `-1`.
    """

    # Keras 3 leaves `axis` out of the config; so do we.
    _config_keys = ("from_logits", "ignore_class")

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class


class CTC(_SimpleLoss):
    """CTC (Connectionist Temporal Classification) loss.

    `y_true`: `(batch_size, max_length)` integer labels, 0 being both the
    blank and the padding index. `y_pred`: `(batch_size, max_time,
    num_classes)` logits.
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)


class Dice(_SimpleLoss):
    """Computes the Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        axis: Tuple of the dimensions to compute the loss over. Defaults to
            `None` (all of them, giving one value for the whole batch).
    """

    _config_keys = ("axis",)

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(_SimpleLoss):
    """Computes the Tversky loss: `1 - TP / (TP + alpha * FP + beta * FN)`.

    With `alpha = beta = 0.5` it equals the Dice loss.

    Args:
        alpha: Weight of false positives. Defaults to `0.5`.
        beta: Weight of false negatives. Defaults to `0.5`.
        axis: Dimensions to compute the loss over. Defaults to `None`.
    """

    _config_keys = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype,
                         alpha=alpha, beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis


class Circle(_SimpleLoss):
    """Computes the Circle loss (Sun et al., 2020) for metric learning.

    `y_true` holds integer class labels, `y_pred` unit-norm embeddings; the
    loss pulls same-class pairs together and pushes other pairs apart.

    Args:
        gamma: Scaling factor. Defaults to `80.0`.
        margin: The relaxation factor. Defaults to `0.4`.
        remove_diagonal: Whether to remove self-similarities from the
            positive mask. Defaults to `True`.
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal


class CategoricalGeneralizedCrossEntropy(_SimpleLoss):
    """Generalized Cross Entropy (Zhang & Sabuncu, 2018): `(1 - p ** q) / q`.

    `p` is the predicted probability of the true (integer) class.

    Args:
        q: Float in `(0, 1)`: near 0 it behaves like cross-entropy, near 1
            like mean absolute error. Defaults to `0.5`.
    """

    _config_keys = ("q",)

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1). Received: q={q}")
        super().__init__(categorical_generalized_cross_entropy, name=name,
                         reduction=reduction, dtype=dtype, q=q)
        self.q = q


# ============================================================================
# Functions
# ============================================================================
def _pair(y_true, y_pred, same_rank=True):
    """Tensors of `y_pred`'s dtype, ranks aligned, shapes checked."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=ops.dtype(y_pred))
    if same_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _check_broadcastable(y_true, y_pred)
    return y_true, y_pred


def _check_broadcastable(y_true, y_pred):
    st, sp = ops.shape(y_true), ops.shape(y_pred)
    try:
        np.broadcast_shapes(st, sp)
    except ValueError:
        raise ValueError(
            "`y_true` and `y_pred` have incompatible shapes (they cannot be "
            f"broadcast together). Received: y_true.shape={st}, "
            f"y_pred.shape={sp}") from None


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


def _eps(dtype):
    return np.asarray(config.epsilon(), dtype=dtype)


def mean_squared_error(y_true, y_pred):
    """Mean squared error: `mean(square(y_true - y_pred), axis=-1)`.

    Args:
        y_true: Ground truth values with shape `[batch_size, d0, .. dN]`.
        y_pred: The predicted values with shape `[batch_size, d0, .. dN]`.

    Returns:
        Mean squared error values with shape `[batch_size, d0, .. dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error: `mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true))`.

    The denominator is at least `epsilon()` to avoid dividing by zero.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = _eps(ops.dtype(y_pred))
    diff = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), eps))
    return 100.0 * ops.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared log error: `mean(square(log(y_true + 1) - log(y_pred + 1)))`.

    Values below `epsilon()` are raised to it first.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = _eps(ops.dtype(y_pred))
    first_log = ops.log(ops.maximum(y_pred, eps) + 1.0)
    second_log = ops.log(ops.maximum(y_true, eps) + 1.0)
    return ops.mean(ops.square(first_log - second_log), axis=-1)


def _l2_normalize(x, axis):
    # x * rsqrt(sum(x^2)), the inverse norm capped at 1/epsilon (zero vectors
    # give 0). Written with `where` so that zero vectors get zero gradient
    # instead of the 0 * inf of a capped rsqrt.
    if ops.ndim(x) == 0:
        x = ops.expand_dims(x, 0)
    dtype = ops.dtype(x)
    eps = config.epsilon()
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    big = ops.convert_to_numpy(square_sum) > np.asarray(eps * eps, dtype=dtype)
    safe = ops.where(big, square_sum, np.ones((), dtype))
    inv_norm = ops.where(big, 1.0 / ops.sqrt(safe), np.asarray(1.0 / eps, dtype=dtype))
    return x * inv_norm


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity: `-sum(l2_norm(y_true) * l2_norm(y_pred), axis)`.

    Returns values between -1 (most similar) and 1; a zero vector gives 0.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_pred = _l2_normalize(y_pred, axis)
    y_true = _l2_normalize(y_true, axis)
    return -ops.sum(y_true * y_pred, axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for `|error| <= delta`, linear beyond.

    `0.5 * x^2` if `|x| <= delta` else `delta * |x| - 0.5 * delta^2`, averaged
    over the last axis, with `x = y_pred - y_true`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    dtype = ops.dtype(y_pred)
    delta = np.asarray(delta, dtype=dtype)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    half = np.asarray(0.5, dtype=dtype)
    small = ops.convert_to_numpy(abs_error) <= delta
    return ops.mean(
        ops.where(small, half * ops.square(error), delta * abs_error - half * np.square(delta)),
        axis=-1)


def log_cosh(y_true, y_pred):
    """Log-cosh of the prediction error, averaged over the last axis.

    Computed as `x + softplus(-2x) - log(2)` so large errors do not overflow.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    log2 = np.asarray(np.log(np.float32(2.0)), dtype=ops.dtype(y_pred))
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(x * -2.0) - log2, axis=-1)


def convert_binary_labels_to_hinge(y_true):
    """Map labels made only of 0 and 1 to -1 and 1; leave others unchanged."""
    v = ops.convert_to_numpy(y_true)
    if np.all((v == 0) | (v == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    """Hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    `y_true` should be -1 or 1; binary 0/1 labels are converted.
    """
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """Squared hinge loss: `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Categorical hinge loss: `maximum(neg - pos + 1, 0)`.

    `pos = sum(y_true * y_pred, axis=-1)`, `neg = max((1 - y_true) * y_pred, axis=-1)`.
    """
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, np.zeros((), dtype=ops.dtype(y_pred)))


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence: `sum(y_true * log(y_true / y_pred), axis=-1)`.

    Both inputs are clipped to `[epsilon, 1]` first.
    """
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    eps = config.epsilon()
    y_true = ops.clip(y_true, eps, 1)
    y_pred = ops.clip(y_pred, eps, 1)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, same_rank=False)
    eps = _eps(ops.dtype(y_pred))
    return ops.mean(y_pred - y_true * ops.log(y_pred + eps), axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical cross-entropy between one-hot `y_true` and `y_pred`.

    Args:
        y_true: One-hot labels.
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: Float in `[0, 1]`: labels become `y_true * (1 -
            label_smoothing) + label_smoothing / num_classes`.
        axis: The class axis. Defaults to `-1`.

    Returns:
        The per-sample loss values.
    """
    _check_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    _warn_single_class(y_pred, "categorical_crossentropy")
    if label_smoothing:
        num_classes = np.asarray(ops.shape(y_true)[-1], dtype=ops.dtype(y_pred))
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def _warn_single_class(y_pred, fn_name):
    if ops.shape(y_pred)[-1:] == (1,):
        warnings.warn(
            f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) "
            f"with num_classes > 1. Received: y_pred.shape={ops.shape(y_pred)}. "
            "Consider using 'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning, stacklevel=3)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical focal cross-entropy, summed over the class axis.

    `-alpha * (1 - p) ** gamma * y_true * log(p)` with `p` the (renormalized,
    clipped) predicted probabilities.
    """
    _check_axis(axis)
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    _check_broadcastable(y_true, y_pred)
    _warn_single_class(y_pred, "categorical_focal_crossentropy")
    if label_smoothing:
        num_classes = np.asarray(ops.shape(y_true)[-1], dtype=ops.dtype(y_pred))
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    eps = config.epsilon()
    output = y_pred / ops.sum(y_pred, axis=axis, keepdims=True)
    output = ops.clip(output, eps, 1.0 - eps)
    cce = -y_true * ops.log(output)
    weighting_factor = ops.power(1.0 - output, gamma) * alpha
    return ops.sum(weighting_factor * cce, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Cross-entropy between integer labels `y_true` and `y_pred`.

    Args:
        y_true: Integer class ids, shape `y_pred.shape[:-1]` (or with a
            trailing 1).
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        from_logits: Whether `y_pred` holds logits.
        ignore_class: Optional label whose entries get zero loss and are
            masked out of the averaging reductions.
        axis: The class axis (only -1 is supported, as in Keras's TensorFlow
            backend).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if ops.ndim(y_true) == ops.ndim(y_pred) and ops.shape(y_true)[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    valid_mask = None
    if ignore_class is not None:
        class_axis = axis % ops.ndim(y_pred)
        res_shape = tuple(d for i, d in enumerate(ops.shape(y_pred)) if i != class_axis)
        labels = ops.convert_to_numpy(y_true)
        valid_mask = labels != np.asarray(ignore_class).astype(labels.dtype)
        y_true = np.where(valid_mask, labels, 0)
        y_pred = ops.where(np.expand_dims(valid_mask, axis), y_pred,
                           np.zeros((), dtype=ops.dtype(y_pred)))
    _check_sparse_labels(y_true, y_pred)
    res = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    if valid_mask is not None:
        valid_mask = np.reshape(valid_mask, res_shape)
        res = ops.where(valid_mask, res, np.zeros((), dtype=ops.dtype(res)))
        set_loss_mask(res, valid_mask)
    return res


def _check_sparse_labels(y_true, y_pred):
    labels = ops.convert_to_numpy(y_true)
    n = ops.shape(y_pred)[-1] if ops.ndim(y_pred) else 0
    if labels.size and labels.shape == ops.shape(y_pred)[:-1]:
        bad = (labels < 0) | (labels >= n)
        if np.any(bad):
            raise ValueError(
                f"Received a label value of {labels[bad].flat[0]:g} which is outside the "
                f"valid range of [0, {n}). Received: y_true.shape={labels.shape}, "
                f"y_pred.shape={ops.shape(y_pred)}")


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy, averaged over `axis`.

    Args:
        y_true: Binary (0 or 1) labels.
        y_pred: Predicted probabilities (or logits with `from_logits=True`).
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: Float in `[0, 1]`: labels become `y_true * (1 -
            label_smoothing) + 0.5 * label_smoothing`.
        axis: The axis along which the mean is computed. Defaults to `-1`.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(_elementwise_bce(y_true, y_pred, from_logits), axis=axis)


def _elementwise_bce(target, output, from_logits):
    # Keras 3.15's TensorFlow-backend formula (clip to [eps, 1 - eps], plain
    # logs; exact from logits, including those remembered by `sigmoid`).
    return ops.binary_crossentropy(target, output, from_logits=from_logits)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary focal cross-entropy, averaged over `axis`.

    `focal_factor = (1 - p_t) ** gamma` scales the binary cross-entropy, with
    `p_t = y_true * p + (1 - y_true) * (1 - p)`; with `apply_class_balancing`
    positives are weighted by `alpha` and negatives by `1 - alpha`.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = _elementwise_bce(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return ops.mean(focal_bce, axis=axis)


def ctc(y_true, y_pred):
    """CTC (Connectionist Temporal Classification) loss, one value per sample.

    Args:
        y_true: `(batch_size, max_length)` integer labels; 0 is both the blank
            and the padding index, so a sample's label length is its count of
            non-zero entries.
        y_pred: `(batch_size, max_time, num_classes)` logits.
    """
    if len(ops.shape(y_true)) != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape "
            "`(batch_size, max_length)` in integer format. "
            f"Received: y_true.shape={ops.shape(y_true)}")
    if len(ops.shape(y_pred)) != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            "`(batch_size, max_length, num_classes)`. "
            f"Received: y_pred.shape={ops.shape(y_pred)}")
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.convert_to_numpy(y_true).astype(np.int64)
    label_length = np.sum(labels != 0, axis=-1)
    return ctc_negative_log_likelihood(labels, y_pred, label_length, blank_index=0)


def dice(y_true, y_pred, axis=None):
    """Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`.

    Args:
        axis: Dimensions to sum over. Defaults to `None` (everything).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    _check_broadcastable(y_true, y_pred)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    eps = _eps(ops.dtype(y_pred))
    score = (2.0 * intersection) / (ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis) + eps)
    return 1 - score


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss: `1 - TP / (TP + alpha * FP + beta * FN)`.

    Args:
        alpha: Weight of false positives. beta: Weight of false negatives.
        axis: Dimensions to sum over. Defaults to `None` (everything).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, ops.dtype(y_pred))
    _check_broadcastable(y_true, y_pred)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    fp = ops.sum((1 - y_pred) * y_true, axis=axis)
    fn = ops.sum(y_pred * (1 - y_true), axis=axis)
    eps = _eps(ops.dtype(y_pred))
    score = intersection / (intersection + fp * alpha + fn * beta + eps)
    return 1 - score


def _pos_neg_masks(query_labels, key_labels, remove_diagonal=True):
    q = np.reshape(query_labels, (-1, 1)) if np.ndim(query_labels) == 1 else query_labels
    k = np.reshape(key_labels, (-1, 1)) if np.ndim(key_labels) == 1 else key_labels
    positive = q == np.transpose(k)
    negative = ~positive
    if remove_diagonal:
        positive = positive & ~np.eye(np.size(q), np.size(k), dtype=bool)
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss for metric learning, one value per query embedding.

    Args:
        y_true: Integer labels of the query embeddings, `(batch_size,)`.
        y_pred: Query embeddings, `(batch_size, dim)`, ideally unit-norm.
        ref_labels: Labels of the reference embeddings (defaults to `y_true`).
        ref_embeddings: Reference embeddings (defaults to `y_pred`).
        remove_diagonal: Whether to drop self-pairs from the positive mask.
        gamma: Scaling factor. margin: Relaxation factor.

    Entries with zero loss are masked out of the averaging reductions.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    dtype = ops.dtype(y_pred)
    labels = ops.convert_to_numpy(y_true).astype(np.int32)
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = labels if ref_labels is None else ops.convert_to_numpy(ref_labels).astype(np.int32)

    optim_pos, optim_neg = margin, 1 + margin
    delta_pos, delta_neg = margin, 1 - margin
    distances = 1 - ops.matmul(y_pred, ops.transpose(ref_embeddings))
    distances = ops.maximum(distances, 0.0)
    positive, negative = _pos_neg_masks(labels, ref_labels, remove_diagonal)
    pos_mask, neg_mask = positive.astype(dtype), negative.astype(dtype)

    pos_weights = ops.maximum((optim_pos + distances) * pos_mask, 0.0)
    neg_weights = ops.maximum((optim_neg - distances) * neg_mask, 0.0)
    pos_wdists = -1 * gamma * pos_weights * (delta_pos - distances)
    neg_wdists = gamma * neg_weights * (delta_neg - distances)
    # Keras masks with -inf; a finite stand-in gives the same values (a row
    # with no positive or negative pairs still gets softplus(-huge) = 0) and
    # keeps autograd's gradients free of 0 * inf.
    neg_inf = np.asarray(-1e30, dtype=dtype)
    p_loss = ops.logsumexp(ops.where(positive, pos_wdists, neg_inf), axis=1)
    n_loss = ops.logsumexp(ops.where(negative, neg_wdists, neg_inf), axis=1)
    loss = ops.softplus(p_loss + n_loss)
    set_loss_mask(loss, ops.convert_to_numpy(loss) > 0)
    return loss


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy: `(1 - p ** q) / q`, `p` the true class's probability.

    Args:
        y_true: Integer class labels.
        y_pred: Predicted probabilities, classes on the last axis.
        q: Float in `(0, 1)`.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.convert_to_numpy(y_true).astype(np.int32)
    one_hot = ops.one_hot(labels, ops.shape(y_pred)[-1], dtype=ops.dtype(y_pred))
    p = ops.sum(y_pred * one_hot, axis=-1)
    return (1 - ops.power(p, q)) / q
