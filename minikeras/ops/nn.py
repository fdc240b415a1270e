"""keras.ops.nn: activations, softmax, encodings, and (re-exported from the
neighbouring modules) convolutions, pooling, normalization, attention and
the cross-entropies.

Activations follow TensorFlow's formulas and gradient conventions (e.g. the
gradient of `relu6` is zero at 0 and 6); integer inputs become `floatx()`.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import common
from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _v, _dtype_of


def _plain(x):
    return np.asarray(getval(x))


def _c(value, x):
    """A constant in the dtype of `x`."""
    return np.asarray(value, dtype=_dtype_of(x))


# ----- rectifiers ---------------------------------------------------------------------
def relu(x):
    """`max(x, 0)`."""
    return P.relu(_f(x))


def relu6(x):
    """`min(max(x, 0), 6)`; gradient 1 strictly inside (0, 6)."""
    x = _f(x)
    xv = _plain(x)
    return OP.where((xv > 0) & (xv < 6), x, np.clip(xv, 0, 6))


def leaky_relu(x, negative_slope=0.2):
    """`x` for `x > 0`, else `negative_slope * x`."""
    x = _f(x)
    return OP.where(_plain(x) > 0, x, x * _c(negative_slope, x))


def elu(x, alpha=1.0):
    """`x` for `x > 0`, else `alpha * (exp(x) - 1)`."""
    x = _f(x)
    neg = anp.expm1(OP.minimum(x, _c(0, x)))
    return OP.where(_plain(x) > 0, x, neg * _c(alpha, x))


def selu(x):
    """Scaled ELU with the self-normalizing constants."""
    x = _f(x)
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return elu(x, alpha) * _c(scale, x)


def celu(x, alpha=1.0):
    """`max(x, 0) + alpha * expm1(min(x, 0) / alpha)`."""
    x = _f(x)
    a = _c(alpha, x)
    return OP.maximum(x, _c(0, x)) + a * anp.expm1(OP.minimum(x, _c(0, x)) / a)


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    x = _f(x)
    return OP.where(_plain(x) > threshold, x, _c(default_value, x))


# ----- sigmoid family ---------------------------------------------------------------------
def sigmoid(x):
    """`1 / (1 + exp(-x))`."""
    return P.sigmoid(_f(x))


def hard_sigmoid(x):
    """`relu6(x + 3) / 6`."""
    x = _f(x)
    return relu6(x + _c(3.0, x)) / _c(6.0, x)


def sparse_sigmoid(x):
    """0 below -1, 1 above 1, `(x + 1) / 2` between."""
    x = _f(x)
    xv = _plain(x)
    return OP.where(xv <= -1, _c(0, x), OP.where(xv >= 1, _c(1, x), (x + _c(1, x)) * _c(0.5, x)))


def log_sigmoid(x):
    """`log(sigmoid(x))` computed without overflow."""
    return -OP.softplus(-_f(x))


def silu(x):
    """`x * sigmoid(x)` (swish)."""
    x = _f(x)
    return x * P.sigmoid(x)


swish = silu


def hard_silu(x):
    """`x * hard_sigmoid(x)` (hard swish)."""
    x = _f(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def glu(x, axis=-1):
    """Gated linear unit: first half times sigmoid of the second half."""
    x = _f(x)
    n = np.shape(_plain(x))[axis]
    if n % 2:
        raise ValueError(
            f"axis size must be divisible by 2. Received: x.shape={np.shape(_plain(x))} with axis={axis}")
    a, b = anp.split(x, 2, axis=axis)
    return a * P.sigmoid(b)


# ----- softplus family, tanh family --------------------------------------------------
def softplus(x):
    """`log(1 + exp(x))`."""
    return OP.softplus(_f(x))


def softsign(x):
    """`x / (1 + |x|)`."""
    x = _f(x)
    return x / (_c(1, x) + anp.abs(x))


def sparse_plus(x):
    """0 below -1, x above 1, `(x + 1)^2 / 4` between."""
    x = _f(x)
    xv = _plain(x)
    return OP.where(xv <= -1, _c(0, x),
                    OP.where(xv < 1, anp.square(x + _c(1, x)) * _c(0.25, x), x))


def squareplus(x, b=4):
    """`(x + sqrt(x^2 + b)) / 2`."""
    x = _f(x)
    return (x + anp.sqrt(anp.square(x) + _c(b, x))) / _c(2, x)


def tanh_shrink(x):
    """`x - tanh(x)`."""
    x = _f(x)
    return x - anp.tanh(x)


def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    from minikeras.ops.elementwise import clip
    return clip(_f(x), -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    x = _f(x)
    return OP.where(np.abs(_plain(x)) > threshold, x, _c(0, x))


def soft_shrink(x, threshold=0.5):
    """`x - threshold` above, `x + threshold` below `-threshold`, else 0."""
    x = _f(x)
    xv, t = _plain(x), _c(threshold, x)
    return OP.where(xv > threshold, x - t, OP.where(xv < -threshold, x + t, _c(0, x)))


def gelu(x, approximate=True):
    """Gaussian error linear unit; the tanh approximation by default."""
    x = _f(x)
    if approximate:
        c = _c(np.sqrt(2.0 / np.pi), x)
        inner = c * (x + _c(0.044715, x) * x * x * x)
        return _c(0.5, x) * x * (_c(1, x) + anp.tanh(inner))
    from minikeras.ops.math import erf
    return _c(0.5, x) * x * (_c(1, x) + erf(x / _c(np.sqrt(2.0), x)))


# ----- softmax --------------------------------------------------------------------------
def softmax(x, axis=-1):
    """Softmax over `axis` (an int or a tuple of axes)."""
    x = _f(x)
    if isinstance(axis, (tuple, list)):
        m = np.max(_plain(x), axis=tuple(axis), keepdims=True)
        e = anp.exp(x - m)
        return e / anp.sum(e, axis=tuple(axis), keepdims=True)
    return P.softmax(x, axis)


def log_softmax(x, axis=-1):
    """`log(softmax(x))` computed stably."""
    x = _f(x)
    if isinstance(axis, (tuple, list)):
        m = np.max(_plain(x), axis=tuple(axis), keepdims=True)
        s = x - m
        return s - anp.log(anp.sum(anp.exp(s), axis=tuple(axis), keepdims=True))
    return P.log_softmax(x, axis)


def sparsemax(x, axis=-1):
    """Sparsemax: a sparse alternative to softmax.

    Uses Keras's formula (the same in all its backends): with `z` sorted
    descending, support `z_j > (cumsum_j - 1) / j` of size `k`, the
    threshold is `tau = (sum of the supported cumsums - 1) / k`.
    """
    from minikeras.ops.reductions import cumsum, sort
    x = _f(x)
    dt = _dtype_of(x)
    z = -sort(-x, axis=axis)
    cums = cumsum(z, axis=axis)
    n = np.shape(_plain(x))[axis]
    shape = [1] * np.ndim(_plain(x))
    shape[axis] = n
    r = np.arange(1, n + 1, dtype=dt).reshape(shape)
    support = _plain(z) - (_plain(cums) - 1) / r > 0
    k = np.sum(support, axis=axis, keepdims=True).astype(dt)
    tau = (anp.sum(OP.where(support, cums, _c(0, x)), axis=axis, keepdims=True) - _c(1, x)) / k
    return OP.maximum(x - tau, _c(0, x))


# ----- encodings --------------------------------------------------------------------------
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encode integer `x` into a new `axis` of size `num_classes`.

    Out-of-range (and negative) entries give rows of zeros. The dtype
    defaults to float32.
    """
    if sparse:
        raise ValueError("Sparse tensors are not supported; use sparse=False.")
    x = _plain(_v(x)).astype(np.int64)
    dtype = "float32" if dtype is None else common.standardize_dtype(dtype)
    out = (x[..., None] == np.arange(int(num_classes))).astype(dtype)
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return out


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encode each row of integer `inputs` (a 1-D input is one row)."""
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("Argument `num_classes` must be specified.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    x = _plain(_v(inputs))
    reduce_axis = 1 if x.ndim > 1 else 0
    oh = one_hot(x, num_classes, axis=axis, dtype="float32", sparse=sparse)
    out = np.max(oh, axis=reduce_axis)
    dtype = "float32" if dtype is None else common.standardize_dtype(dtype)
    return out.astype(dtype)


def polar(abs_, angle):
    """The complex number `abs_ * (cos(angle) + i sin(angle))`."""
    r, t = _f(abs_), _f(angle)
    cdt = np.complex64 if _dtype_of(r).itemsize <= 4 else np.complex128
    return (r * anp.cos(t)).astype(cdt) + (r * anp.sin(t)).astype(cdt) * np.asarray(1j, cdt)


def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio: `20 log10(max_val) - 10 log10(mse)`."""
    x1, x2 = _f(x1), _f(x2)
    if np.shape(_plain(x1)) != np.shape(_plain(x2)):
        raise ValueError(
            f"Input shapes {np.shape(_plain(x1))} and {np.shape(_plain(x2))} must match "
            "for PSNR calculation. ")
    from minikeras.ops.reductions import mean
    mse = mean(anp.square(x1 - x2))
    ln10 = _c(np.log(10.0), x1)
    return (_c(20.0 * np.log10(float(getval(_v(max_val)))), x1)
            - _c(10.0, x1) * anp.log(mse) / ln10)


# ----- re-exports: the rest of keras.ops.nn -----------------------------------------------
from minikeras.ops.nn_conv import (  # noqa: E402,F401
    adaptive_average_pool, adaptive_max_pool, average_pool, conv, conv_transpose,
    depth_to_space, depthwise_conv, fold, max_pool, separable_conv, space_to_depth, unfold)
from minikeras.ops.nn_norm import (  # noqa: E402,F401
    batch_normalization, layer_normalization, moments, normalize, rms_normalization)
from minikeras.ops.nn_losses import (  # noqa: E402,F401
    binary_crossentropy, categorical_crossentropy, ctc_decode, ctc_loss,
    sparse_categorical_crossentropy)
from minikeras.ops.attention import dot_product_attention  # noqa: E402,F401

__all__ = [
    "adaptive_average_pool", "adaptive_max_pool", "average_pool", "batch_normalization",
    "binary_crossentropy", "categorical_crossentropy", "celu", "conv", "conv_transpose",
    "ctc_decode", "ctc_loss", "depth_to_space", "depthwise_conv", "dot_product_attention",
    "elu", "fold", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax",
    "max_pool", "moments", "multi_hot", "normalize", "one_hot", "polar", "psnr", "relu",
    "relu6", "rms_normalization", "selu", "separable_conv", "sigmoid", "silu",
    "soft_shrink", "softmax", "softplus", "softsign", "space_to_depth",
    "sparse_categorical_crossentropy", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh_shrink", "threshold", "unfold",
]
