"""keras.ops.nn: activations, normalization statistics and cross-entropies."""
import numpy as np
import autograd.numpy as anp
import autograd.scipy.special as asp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import primitives as P
from minikeras.ops.core import _t, _v


def relu(x):
    return P.relu(_t(x))


def relu6(x):
    return anp.clip(_t(x), 0.0, 6.0)


def sigmoid(x):
    return P.sigmoid(_t(x))


def softmax(x, axis=-1):
    x = _t(x)
    if isinstance(axis, (tuple, list)):
        m = anp.max(getval(x), axis=tuple(axis), keepdims=True)
        e = anp.exp(x - m)
        return e / anp.sum(e, axis=tuple(axis), keepdims=True)
    return P.softmax(x, axis)


def log_softmax(x, axis=-1):
    return P.log_softmax(_t(x), axis)


def softplus(x):
    # log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|)
    x = _t(x)
    return anp.maximum(x, 0) + anp.log1p(anp.exp(-anp.abs(x)))


def softsign(x):
    x = _t(x)
    return x / (1 + anp.abs(x))


def silu(x):
    x = _t(x)
    return x * P.sigmoid(x)


swish = silu


def log_sigmoid(x):
    return -softplus(-_t(x))


def leaky_relu(x, negative_slope=0.2):
    x = _t(x)
    return anp.where(getval(x) >= 0, x, negative_slope * x)


def hard_sigmoid(x):
    x = _t(x)
    return anp.clip(x / 6.0 + 0.5, 0.0, 1.0)


def hard_silu(x):
    x = _t(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def elu(x, alpha=1.0):
    x = _t(x)
    return anp.where(getval(x) > 0, x, alpha * anp.expm1(anp.minimum(x, 0)))


def selu(x):
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return scale * elu(x, alpha)


def gelu(x, approximate=True):
    x = _t(x)
    if approximate:
        c = np.sqrt(2.0 / np.pi).astype(np.float32)
        return 0.5 * x * (1.0 + anp.tanh(c * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1.0 + asp.erf(x / np.sqrt(2.0).astype(np.float32)))


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encode integer `x` into a new `axis` of size `num_classes`."""
    if sparse:
        raise ValueError("Sparse tensors are not supported; use sparse=False.")
    x = np.asarray(getval(_v(x))).astype(np.intp)
    out = np.zeros(x.shape + (num_classes,), dtype=dtype or config.floatx())
    valid = (x >= 0) & (x < num_classes)
    idx = np.where(valid, x, 0)
    np.put_along_axis(out, idx[..., None], valid[..., None].astype(out.dtype), axis=-1)
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return out


def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over `axes`."""
    x = _t(x)
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = anp.mean(x, axis=axes, keepdims=True)
    variance = anp.mean(anp.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean = anp.squeeze(mean, axis=axes)
        variance = anp.squeeze(variance, axis=axes)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _t(x)
    shape = [1] * anp.ndim(x)
    shape[axis] = anp.shape(x)[axis]

    def b(t):
        t = _t(t)
        return anp.reshape(t, shape) if anp.ndim(t) == 1 else t
    inv = 1.0 / anp.sqrt(b(variance) + epsilon)
    if scale is not None:
        inv = inv * b(scale)
    out = (x - b(mean)) * inv
    if offset is not None:
        out = out + b(offset)
    return out


# ----- cross-entropies (TensorFlow-backend formulas, as Keras computes them) -----
def _check_same_shape(target, output, name):
    if np.shape(getval(target)) != np.shape(getval(output)):
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={np.shape(getval(target))}, "
            f"output.shape={np.shape(getval(output))}")


def binary_crossentropy(target, output, from_logits=False):
    target, output = _t(target), _t(output)
    _check_same_shape(target, output, "binary_crossentropy")
    logits = P.recall_logits(output) if not from_logits else None
    if logits is not None:
        output, from_logits = logits, True
    if from_logits:
        # max(x, 0) - x*z + log(1 + exp(-|x|))
        return anp.maximum(output, 0) - output * target + anp.log1p(anp.exp(-anp.abs(output)))
    eps = config.epsilon()
    output = anp.clip(output, eps, 1.0 - eps)
    bce = target * anp.log(output)
    bce = bce + (1 - target) * anp.log(1 - output)
    return -bce


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    _check_same_shape(target, output, "categorical_crossentropy")
    logits = P.recall_logits(output) if not from_logits else None
    if logits is not None and axis in (-1, anp.ndim(output) - 1):
        output, from_logits = logits, True
    if from_logits:
        return P.softmax_cross_entropy(target, output, axis)
    output = output / anp.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    output = anp.clip(output, eps, 1.0 - eps)
    return -anp.sum(target * anp.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _t(output)
    if axis != -1 and axis != anp.ndim(output) - 1:
        raise ValueError(
            f"Only axis=-1 is supported for sparse_categorical_crossentropy. Received: axis={axis}")
    tv = np.asarray(getval(target))
    if tv.ndim == anp.ndim(output) and tv.shape[-1] == 1:
        tv = tv[..., 0]
    if tv.shape != tuple(anp.shape(output)[:-1]):
        raise ValueError(
            "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
            f"target.shape={np.shape(getval(target))}, output.shape={anp.shape(output)}")
    logits = P.recall_logits(output) if not from_logits else None
    if logits is not None:
        output, from_logits = logits, True
    if not from_logits:
        eps = config.epsilon()
        output = anp.log(anp.clip(output, eps, 1.0 - eps))
    return P.sparse_softmax_cross_entropy(tv, output)


__all__ = [_n for _n, _o in list(globals().items())
           if not _n.startswith("_") and callable(_o)
           and getattr(_o, "__module__", None) == __name__]
