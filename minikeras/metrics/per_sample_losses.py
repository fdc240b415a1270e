"""Per-sample loss formulas behind the loss-like metrics.

Keras's loss-like metrics average the functions of `keras.losses`; these are
the same formulas in plain numpy (metric state needs no gradient, and this
skips autograd's dispatch on every batch). The public loss functions that
`keras.metrics` re-exports are those of `minikeras.losses` (see `__init__`).
"""
import warnings

import numpy as np

from minikeras.backend import config
from minikeras.metrics.metrics_utils import squeeze_or_expand_to_same_rank, to_numpy


def align_pair(y_true, y_pred, same_rank=True):
    """Arrays in the prediction's dtype, ranks reconciled as Keras does."""
    y_pred = to_numpy(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = y_pred.astype(config.floatx())
    y_true = to_numpy(y_true, y_pred.dtype)
    if same_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def _eps(dtype):
    return np.asarray(config.epsilon(), dtype=dtype)


def _check_same_shape(y_true, y_pred):
    # Keras's TensorFlow backend checks the rank first, with its own message
    # (what the "Overfit and underfit" tutorial's (batch,) labels run into).
    if len(y_true.shape) != len(y_pred.shape):
        raise ValueError(
            "Arguments `target` and `output` must have the same rank (ndim). Received: "
            f"target.shape={y_true.shape}, output.shape={y_pred.shape}")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={y_true.shape}, output.shape={y_pred.shape}")


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred)
    return np.mean(np.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred)
    return np.mean(np.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred)
    diff = np.abs((y_true - y_pred) / np.maximum(np.abs(y_true), _eps(y_pred.dtype)))
    return np.asarray(100.0, y_pred.dtype) * np.mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred)
    eps, one = _eps(y_pred.dtype), np.asarray(1.0, y_pred.dtype)
    first = np.log(np.maximum(y_pred, eps) + one)
    second = np.log(np.maximum(y_true, eps) + one)
    return np.mean(np.square(first - second), axis=-1)


def _l2_normalize(x, axis):
    square_sum = np.sum(np.square(x), axis=axis, keepdims=True)
    # As tf.math.l2_normalize: x * rsqrt(max(sum(x**2), 1e-12)).
    return x / np.sqrt(np.maximum(square_sum, np.asarray(1e-12, x.dtype)))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity (not its negative, unlike the loss)."""
    y_true, y_pred = align_pair(y_true, y_pred)
    return np.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


def log_cosh(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred)
    x = y_pred - y_true
    dt = x.dtype
    # log(cosh(x)) = x + softplus(-2x) - log(2), stable for large |x|.
    softplus = np.logaddexp(np.zeros((), dt), np.asarray(-2.0, dt) * x)
    return np.mean(x + softplus - np.log(np.asarray(2.0, dt)), axis=-1)


def _to_hinge_labels(y_true):
    """Binary {0, 1} labels become {-1, 1}; other labels stay as they are."""
    if np.all((y_true == 0) | (y_true == 1)):
        return np.asarray(2.0, y_true.dtype) * y_true - np.asarray(1.0, y_true.dtype)
    return y_true


def hinge(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    y_true = _to_hinge_labels(y_true)
    return np.mean(np.maximum(1.0 - y_true * y_pred, 0.0).astype(y_pred.dtype), axis=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    y_true = _to_hinge_labels(y_true)
    margin = np.maximum(1.0 - y_true * y_pred, 0.0).astype(y_pred.dtype)
    return np.mean(np.square(margin), axis=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    one = np.asarray(1.0, y_pred.dtype)
    pos = np.sum(y_true * y_pred, axis=-1)
    neg = np.max((one - y_true) * y_pred, axis=-1)
    return np.maximum(neg - pos + one, np.zeros((), y_pred.dtype))


def kl_divergence(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    eps = _eps(y_pred.dtype)
    y_true = np.clip(y_true, eps, 1)
    y_pred = np.clip(y_pred, eps, 1)
    return np.sum(y_true * np.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    return np.mean(y_pred - y_true * np.log(y_pred + _eps(y_pred.dtype)), axis=-1)


def _bce_elementwise(target, output, from_logits):
    _check_same_shape(target, output)
    dt = output.dtype
    if from_logits:
        # max(x, 0) - x*z + log(1 + exp(-|x|)), as sigmoid_cross_entropy_with_logits.
        return (np.maximum(output, 0) - output * target
                + np.log1p(np.exp(-np.abs(output)))).astype(dt)
    eps = _eps(dt)
    one = np.asarray(1.0, dt)
    output = np.clip(output, eps, one - eps)
    # Keras 3 (every backend) takes the logs of the clipped output, no extra eps.
    return -(target * np.log(output) + (one - target) * np.log(one - output))


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    if label_smoothing:
        ls = np.asarray(label_smoothing, y_pred.dtype)
        y_true = y_true * (1.0 - ls) + np.asarray(0.5, y_pred.dtype) * ls
    return np.mean(_bce_elementwise(y_true.astype(y_pred.dtype), y_pred, from_logits), axis=axis)


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type {type(axis)}")


def _warn_one_class(name, shape):
    warnings.warn(
        f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) with "
        f"num_classes > 1. Received: y_pred.shape={shape}. Consider using "
        "'binary_crossentropy' if you only have 2 classes.", SyntaxWarning, stacklevel=3)


def _log_softmax(x, axis):
    z = x - np.max(x, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    _check_axis(axis)
    y_true, y_pred = align_pair(y_true, y_pred, same_rank=False)
    dt = y_pred.dtype
    if y_pred.shape[-1] == 1:
        _warn_one_class("categorical_crossentropy", y_pred.shape)
    if label_smoothing:
        ls = np.asarray(label_smoothing, dt)
        y_true = y_true * (1.0 - ls) + ls / np.asarray(y_true.shape[-1], dt)
    _check_same_shape(y_true, y_pred)
    if from_logits:
        return -np.sum(y_true * _log_softmax(y_pred, axis), axis=axis)
    output = y_pred / np.sum(y_pred, axis=axis, keepdims=True)
    eps = _eps(dt)
    output = np.clip(output, eps, 1.0 - eps)
    return -np.sum(y_true * np.log(output), axis=axis)


def sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits=False,
                                              ignore_class=None, axis=-1):
    """Per-sample sparse cross-entropy and the mask of entries not ignored.

    The mask is `None` unless `ignore_class` is set.
    """
    y_pred = to_numpy(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = y_pred.astype(config.floatx())
    y_true = to_numpy(y_true)
    if axis not in (-1, y_pred.ndim - 1):
        raise ValueError(
            "Only axis=-1 is supported for sparse_categorical_crossentropy. "
            f"Received: axis={axis}")
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = np.squeeze(y_true, -1)
    valid = None
    if ignore_class is not None:
        valid = y_true != ignore_class
        y_true = np.where(valid, y_true, 0)
        y_pred = np.where(valid[..., None], y_pred, np.zeros((), y_pred.dtype))
    if y_true.shape != y_pred.shape[:-1]:
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
            f"target.shape={y_true.shape}, output.shape={y_pred.shape}")
    dt = y_pred.dtype
    if from_logits:
        log_probs = _log_softmax(y_pred, -1)
    else:
        eps = _eps(dt)
        log_probs = _log_softmax(np.log(np.clip(y_pred, eps, 1.0 - eps)), -1)
    labels = y_true.astype(np.int64)
    n = y_pred.shape[-1]
    if np.any((labels < 0) | (labels >= n)):
        raise ValueError(
            f"Received a label value outside the valid range [0, {n}) in "
            f"sparse_categorical_crossentropy: labels={np.unique(labels)}")
    res = -np.take_along_axis(log_probs, labels[..., None], axis=-1)[..., 0]
    if valid is not None:
        res = np.where(valid, res, np.zeros((), dt))
    return res.astype(dt), valid


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    return sparse_categorical_crossentropy_with_mask(
        y_true, y_pred, from_logits, ignore_class, axis)[0]
