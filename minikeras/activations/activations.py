"""keras.activations: elementwise (and per-axis) activation functions.

Every function takes an array, a Python number/list, a `Variable` or an
autograd box (while traced) and returns a result of the input's float dtype.
The formulas are the ones Keras 3 evaluates on its TensorFlow backend,
including the gradient conventions at kinks (e.g. `relu'(0) = 0`,
`leaky_relu'(0) = negative_slope`), so outputs and gradients agree with Keras.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.activations._primitives import _softplus, _tanh, _where
from minikeras.backend import primitives as P
from minikeras.ops.core import convert_to_tensor

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _x(x):
    return convert_to_tensor(x)


def _zeros_like(x):
    return anp.zeros(anp.shape(x), dtype=getval(x).dtype)


def _const(value, x):
    """`value` as a 0-d array of `x`'s dtype (so float32 stays float32)."""
    return anp.asarray(value, dtype=getval(x).dtype)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Applies the rectified linear unit activation function.

    With default values, this returns the standard ReLU activation:
    `max(x, 0)`, the element-wise maximum of 0 and the input tensor.

    Modifying default parameters allows you to use non-zero thresholds,
    change the max value of the activation, and to use a non-zero multiple
    of the input for values below the threshold.

    Examples:

    >>> x = [-10, -5, 0.0, 5, 10]
    >>> keras.activations.relu(x)
    [ 0.,  0.,  0.,  5., 10.]
    >>> keras.activations.relu(x, negative_slope=0.5)
    [-5. , -2.5,  0. ,  5. , 10. ]
    >>> keras.activations.relu(x, max_value=5.)
    [0., 0., 0., 5., 5.]
    >>> keras.activations.relu(x, threshold=5.)
    [-0., -0.,  0.,  0., 10.]

    Args:
        x: Input tensor.
        negative_slope: A `float` that controls the slope
            for values lower than the threshold.
        max_value: A `float` that sets the saturation threshold (the largest
            value the function will return).
        threshold: A `float` giving the threshold value of the activation
            function below which values will be damped or set to zero.

    Returns:
        A tensor with the same shape and dtype as input `x`.
    """
    x = _x(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return P.relu(x)  # the fast path: a primitive with a hand-written VJP
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return leaky_relu(x, negative_slope=negative_slope)
        if threshold != 0:
            negative_part = P.relu(-x + _const(threshold, x))
        else:
            negative_part = P.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = _where(getval(x) > threshold, x, _zeros_like(x))
    elif max_value == 6:
        x = relu6(x)
        clip_max = False
    else:
        x = P.relu(x)
    if clip_max:
        x = _clip_inclusive(x, 0.0, max_value)
    if negative_slope != 0.0:
        x = x - _const(negative_slope, x) * negative_part
    return x


def _clip_inclusive(x, lo, hi):
    """`clip(x, lo, hi)` whose gradient passes at the bounds (as tf.clip_by_value)."""
    xv = getval(x)
    x = _where(xv < lo, _const(lo, x), x)
    return _where(xv > hi, _const(hi, x), x)


def leaky_relu(x, negative_slope=0.2):
    """Leaky relu activation function.

    `x` where `x > 0`, `negative_slope * x` elsewhere.

    Args:
        x: Input tensor.
        negative_slope: A `float` that controls the slope
            for values lower than the threshold.
    """
    x = _x(x)
    return _where(getval(x) > 0, x, x * _const(negative_slope, x))


def relu6(x):
    """Relu6 activation function.

    It's the ReLU function, but truncated to a maximum value of 6.

    Args:
        x: Input tensor.
    """
    x = _x(x)
    xv = getval(x)
    # gradient 1 strictly inside (0, 6), as tf.nn.relu6
    outside = np.where(xv >= 6, 6, 0).astype(xv.dtype)
    return _where((xv > 0) & (xv < 6), x, outside)


def softmax(x, axis=-1):
    """Softmax converts a vector of values to a probability distribution.

    The elements of the output vector are in range `[0, 1]` and sum to 1.
    Each input vector is handled independently. The `axis` argument sets
    which axis of the input the function is applied along (`None`: all).

    The softmax of each vector x is computed as `exp(x) / sum(exp(x))`.

    Args:
        x: Input tensor.
        axis: Integer, axis along which the softmax is applied.
    """
    x = _x(x)
    if axis is None:
        return anp.reshape(P.softmax(anp.reshape(x, (-1,)), -1), anp.shape(x))
    if isinstance(axis, (tuple, list)):
        from minikeras import ops
        return ops.softmax(x, axis=axis)
    out = P.softmax(x, axis)
    if axis in (-1, anp.ndim(x) - 1):
        # As in Keras: cross-entropy losses reuse these logits (exact, unclipped).
        P.remember_logits(out, x)
    return out


def log_softmax(x, axis=-1):
    """Log-Softmax activation function.

    Each input vector is handled independently. The `axis` argument sets
    which axis of the input the function is applied along.

    Args:
        x: Input tensor.
        axis: Integer, axis along which the softmax is applied.
    """
    x = _x(x)
    if axis is None:
        return anp.reshape(P.log_softmax(anp.reshape(x, (-1,)), -1), anp.shape(x))
    if isinstance(axis, (tuple, list)):
        axis = tuple(axis)
        shifted = x - anp.max(getval(x), axis=axis, keepdims=True)
        return shifted - anp.log(anp.sum(anp.exp(shifted), axis=axis, keepdims=True))
    return P.log_softmax(x, axis)


def elu(x, alpha=1.0):
    """Exponential Linear Unit.

    `x` if `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: Input tensor.
        alpha: A scalar, slope of the negative section. Defaults to `1.0`.

    Reference:

    - [Clevert et al., 2016](https://arxiv.org/abs/1511.07289)
    """
    x = _x(x)
    pos = getval(x) > 0
    # the inner `where` keeps exp() of large positives out of the graph
    neg = anp.expm1(_where(pos, _zeros_like(x), x))
    if alpha != 1:
        neg = neg * _const(alpha, x)
    return _where(pos, x, neg)


def selu(x):
    """Scaled Exponential Linear Unit (SELU).

    `scale * x` if `x > 0`, `scale * alpha * (exp(x) - 1)` otherwise, with
    `alpha=1.67326324` and `scale=1.05070098`. Use it together with the
    `LecunNormal` initializer.

    Args:
        x: Input tensor.

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """
    x = _x(x)
    neg = getval(x) < 0  # at 0 the gradient is `scale`, as in TensorFlow
    neg_part = anp.expm1(_where(neg, x, _zeros_like(x))) * _const(_SELU_SCALE * _SELU_ALPHA, x)
    return _where(neg, neg_part, x * _const(_SELU_SCALE, x))


def softplus(x):
    """Softplus activation function: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.
    """
    return _softplus(_x(x))


def softsign(x):
    """Softsign activation function: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.
    """
    x = _x(x)
    return x / (anp.abs(x) + _const(1.0, x))


def soft_shrink(x, threshold=0.5):
    """Soft Shrink activation function.

    `x - threshold` if `x > threshold`, `x + threshold` if `x < -threshold`,
    `0` otherwise.

    Args:
        x: Input tensor.
        threshold: Threshold value. Defaults to 0.5.
    """
    x = _x(x)
    xv = getval(x)
    t = _const(threshold, x)
    return _where(xv > threshold, x - t,
                     _where(xv < -threshold, x + t, _zeros_like(x)))


def sparse_plus(x):
    """SparsePlus activation function.

    `0` for `x <= -1`, `(1/4) * (x + 1)^2` for `-1 < x < 1`, `x` for `x >= 1`.

    Args:
        x: Input tensor.
    """
    x = _x(x)
    xv = getval(x)
    mid = _const(0.25, x) * (x + _const(1.0, x)) ** 2
    return _where(xv <= -1, _zeros_like(x), _where(xv < 1, mid, x))


def silu(x):
    """Swish (or Silu) activation function: `x * sigmoid(x)`.

    A smooth, non-monotonic function that is unbounded above and bounded
    below.

    Args:
        x: Input tensor.

    Reference:

    - [Ramachandran et al., 2017](https://arxiv.org/abs/1710.05941)
    """
    x = _x(x)
    return x * P.sigmoid(x)


swish = silu


def squareplus(x, b=4):
    """Squareplus activation function: `(x + sqrt(x^2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: Smoothness parameter. Defaults to 4.

    Reference:

    - [Ramachandran et al., 2021](https://arxiv.org/abs/2112.11687)
    """
    x = _x(x)
    return (x + anp.sqrt(anp.square(x) + _const(b, x))) / _const(2.0, x)


def gelu(x, approximate=False):
    """Gaussian error linear unit (GELU) activation function.

    `gelu(x) = x * P(X <= x)` where `P(X) ~ N(0, 1)`, i.e.
    `gelu(x) = 0.5 * x * (1 + erf(x / sqrt(2)))`. With `approximate=True`
    the tanh approximation
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` is used.

    Args:
        x: Input tensor.
        approximate: A `bool`, whether to enable approximation.

    Reference:

    - [Hendrycks et al., 2016](https://arxiv.org/abs/1606.08415)
    """
    x = _x(x)
    if approximate:
        c = _const(0.7978845608028654, x)  # sqrt(2 / pi)
        inner = c * (x + _const(0.044715, x) * x ** 3)
        return _const(0.5, x) * x * (_const(1.0, x) + _tanh(inner))
    # erfc keeps the tail accurate for large negative x (1 + erf would cancel)
    return _const(0.5, x) * x * _erfc(-x * _const(0.7071067811865476, x))


def _erfc(x):
    # ops.erfc is differentiable and needs no SciPy (not a runtime dependency).
    from minikeras.ops.math import erfc
    out = erfc(x)
    dtype = getval(x).dtype
    return out if getval(out).dtype == dtype else _cast(out, dtype)


def _cast(x, dtype):
    from minikeras.ops.core import cast
    return cast(x, dtype)


def celu(x, alpha=1.0):
    """Continuously Differentiable Exponential Linear Unit.

    `alpha * (exp(x / alpha) - 1)` for `x < 0`, `x` for `x >= 0`.

    Args:
        x: Input tensor.
        alpha: The α value for the CeLU formulation. Defaults to `1.0`.

    Reference:

    - [Barron, J. T., 2017](https://arxiv.org/abs/1704.07483)
    """
    x = _x(x)
    xv = getval(x)
    zero = _zeros_like(x)
    a = _const(alpha, x)
    # max(x, 0) + alpha * expm1(min(x, 0) / alpha); at x == 0 both branches
    # pass the gradient, as TensorFlow's maximum/minimum do.
    return _where(xv >= 0, x, zero) + a * anp.expm1(_where(xv <= 0, x, zero) / a)


def glu(x, axis=-1):
    """Gated Linear Unit (GLU) activation function: `a * sigmoid(b)`.

    `x` is split into two equal parts `a` and `b` along the given axis.

    Args:
        x: Input tensor.
        axis: The axis along which to split the input tensor. Defaults to `-1`.

    Reference:

    - [Dauphin et al., 2017](https://arxiv.org/abs/1612.08083)
    """
    x = _x(x)
    shape = anp.shape(x)
    if shape[axis] % 2 != 0:
        raise ValueError(
            "axis size must be divisible by 2. "
            f"Received: x.shape={shape} with axis={axis}")
    a, b = anp.split(x, 2, axis=axis)
    return a * P.sigmoid(b)


def tanh(x):
    """Hyperbolic tangent activation function.

    `tanh(x) = ((exp(x) - exp(-x)) / (exp(x) + exp(-x)))`.

    Args:
        x: Input tensor.
    """
    return _tanh(_x(x))


def tanh_shrink(x):
    """Tanh shrink activation function: `x - tanh(x)`.

    Args:
        x: Input tensor.
    """
    x = _x(x)
    return x - _tanh(x)


def hard_tanh(x):
    """HardTanh activation function.

    `-1` for `x < -1`, `x` for `-1 <= x <= 1`, `1` for `x > 1`.

    Args:
        x: Input tensor.
    """
    return _clip_inclusive(_x(x), -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    """Hard Shrink activation function.

    `x` if `|x| > threshold`, `0` otherwise.

    Args:
        x: Input tensor.
        threshold: Threshold value. Defaults to 0.5.
    """
    x = _x(x)
    return _where(anp.abs(getval(x)) > threshold, x, _zeros_like(x))


def threshold(x, threshold, default_value):
    """Threshold activation function.

    `x` if `x > threshold`, `default_value` otherwise.

    Args:
        x: Input tensor.
        threshold: The value that decides when to retain or replace x.
        default_value: Value to assign when `x <= threshold`.
    """
    x = _x(x)
    return _where(getval(x) > threshold, x,
                     anp.full(anp.shape(x), default_value, dtype=getval(x).dtype))


def sigmoid(x):
    """Sigmoid activation function: `1 / (1 + exp(-x))`.

    For small values (<-5) it returns a value close to zero, for large
    values (>5) a value close to 1. It is equivalent to a 2-element softmax
    whose second element is zero.

    Args:
        x: Input tensor.
    """
    x = _x(x)
    # As in Keras: binary cross-entropy reuses these logits (exact, unclipped).
    return P.remember_logits(P.sigmoid(x), x)


def exponential(x):
    """Exponential activation function: `exp(x)`.

    Args:
        x: Input tensor.
    """
    return anp.exp(_x(x))


def hard_sigmoid(x):
    """Hard sigmoid activation function.

    `0` if `x <= -3`, `1` if `x >= 3`, `(x/6) + 0.5` if `-3 < x < 3`.
    A faster, piecewise linear approximation of the sigmoid activation.

    Args:
        x: Input tensor.

    Reference:

    - [Wikipedia "Hard sigmoid"](https://en.wikipedia.org/wiki/Hard_sigmoid)
    """
    x = _x(x)
    # relu6(x + 3) / 6, the order of operations TensorFlow uses
    return relu6(x + _const(3.0, x)) / _const(6.0, x)


def log_sigmoid(x):
    """Logarithm of the sigmoid activation function: `log(1 / (1 + exp(-x)))`.

    Args:
        x: Input tensor.
    """
    return -softplus(-_x(x))


def sparse_sigmoid(x):
    """Sparse sigmoid activation function.

    `0` for `x <= -1`, `0.5 * (x + 1)` for `-1 < x < 1`, `1` for `x >= 1`.

    Args:
        x: Input tensor.

    Reference:

    - [M. Blondel, A. F. T. Martins, V. Niculae, 2019](https://arxiv.org/pdf/1901.02324)
    """
    x = _x(x)
    xv = getval(x)
    mid = _const(0.5, x) * (x + _const(1.0, x))
    return _where(xv <= -1, _zeros_like(x),
                     _where(xv >= 1, anp.ones(anp.shape(x), dtype=xv.dtype), mid))


def hard_silu(x):
    """Hard SiLU activation function, also known as Hard Swish.

    `0` if `x < -3`, `x` if `x > 3`, `x * (x + 3) / 6` if `-3 <= x <= 3`.
    A faster, piecewise linear approximation of the silu activation.

    Args:
        x: Input tensor.

    Reference:

    - [A Howard, 2019](https://arxiv.org/abs/1905.02244)
    """
    x = _x(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def linear(x):
    """Linear activation function (pass-through).

    A "linear" activation is an identity function: it returns the input,
    unmodified.

    Args:
        x: Input tensor.
    """
    return x


def mish(x):
    """Mish activation function: `x * tanh(softplus(x))`.

    Args:
        x: Input tensor.

    Reference:

    - [Misra, 2019](https://arxiv.org/abs/1908.08681)
    """
    x = _x(x)
    return x * _tanh(softplus(x))


def sparsemax(x, axis=-1):
    """Sparsemax activation function.

    For each batch `i` and class `j`:
    `sparsemax(x)[i, j] = max(x[i, j] - τ(x[i, :]), 0)`.

    Note: this follows Keras 3's implementation number for number, including
    its threshold `τ = (sum of the cumulative sums over the support - 1) / k`
    (every Keras backend computes it this way), so results agree with Keras.

    Args:
        x: Input tensor.
        axis: `int`, axis along which the sparsemax operation is applied.

    Returns:
        A tensor, output of sparsemax transformation. Has the same type and
        shape as `x`.

    Reference:

    - [Martins et.al., 2016](https://arxiv.org/abs/1602.02068)
    """
    x = _x(x)
    xv = getval(x)
    dtype = xv.dtype
    axis = axis % xv.ndim
    n = xv.shape[axis]
    # Ranks, support and k need no gradient: compute them on plain values.
    order = np.argsort(-xv, axis=axis, kind="stable")
    srt = np.take_along_axis(xv, order, axis=axis)
    csum = np.cumsum(srt, axis=axis, dtype=dtype)
    r_shape = [1] * xv.ndim
    r_shape[axis] = n
    r = np.arange(1, n + 1, dtype=dtype).reshape(r_shape)
    support = srt - (csum - 1) / r > 0
    k = np.sum(support, axis=axis, keepdims=True).astype(dtype)
    # Keras's tau sums the cumulative sums over the support; the element of
    # (0-based) rank j enters (k - j) of them. That weight, put back in x's
    # order, makes tau a differentiable weighted sum of x.
    rank_weight = np.where(support, k - (r - 1), 0).astype(dtype)
    weight = np.empty_like(rank_weight)
    np.put_along_axis(weight, order, rank_weight, axis=axis)
    tau = (anp.sum(x * weight, axis=axis, keepdims=True) - _const(1.0, x)) / k
    return P.relu(x - tau)


def _make_symbolic_aware():
    # Called on a KerasTensor (`keras.activations.relu(inputs)`), an activation
    # records a graph node, as every keras.ops function does.
    import sys
    from minikeras.ops._symbolic import wrap_module
    module = sys.modules[__name__]
    names = [n for n, f in vars(module).items()
             if callable(f) and not n.startswith("_") and getattr(f, "__module__", None) == __name__]
    wrap_module(module, names)


_make_symbolic_aware()
