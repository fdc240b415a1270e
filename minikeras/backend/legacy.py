"""The Keras 2 `keras.backend` functions (`K.mean`, `K.square`, ...).

tf.keras 3 still exports them under `keras.backend`, and Keras 2-era code
(custom losses, Lambda layers, callbacks) uses them everywhere. Each one
works on numpy arrays, Variables and, during training, on the traced values
of a loss or a layer, through `minikeras.ops` (so it is differentiable).
Semantics follow the TensorFlow implementation Keras 2 used: e.g. `K.sqrt`
clips negatives to 0, `K.binary_crossentropy` adds epsilon inside the log,
`K.argmax` returns int64 and `K.zeros` returns a Variable.

A few Keras 2 functions that tf.keras 3 dropped are kept too (`function`,
`learning_phase`, `set_learning_phase`, `placeholder`, `in_train_phase`,
...), each with a `DeprecationWarning` naming the Keras 3 way.
"""
import builtins
import contextlib
import math
import warnings
from collections import namedtuple

import numpy as np
from autograd.tracer import getval, isbox

from minikeras import ops
from minikeras.backend import common, config
from minikeras.backend.variables import Variable
from minikeras.ops.core import _t, _v, _dtype_of

py_any, py_all, py_sum = builtins.any, builtins.all, builtins.sum


def _deprecated(old, new):
    warnings.warn(f"`keras.backend.{old}` is a Keras 2 function; in Keras 3 use {new}.",
                  DeprecationWarning, stacklevel=3)


def _plain(x):
    return np.asarray(getval(_v(x)))


def _floatx_or(dtype):
    return common.standardize_dtype(dtype or config.floatx())


# ----- values, variables, constants ---------------------------------------------------
def variable(value, dtype=None, name=None, constraint=None):
    """A Variable holding `value` (`floatx()` by default)."""
    if isinstance(value, Variable):
        value = value.numpy()
    return Variable(np.asarray(getval(value)), dtype=_floatx_or(dtype), name=name,
                    constraint=constraint)


def constant(value, dtype=None, shape=None, name=None):
    """An array of `value` (broadcast to `shape` if given), `floatx()` by default."""
    arr = np.asarray(getval(_v(value)), dtype=_floatx_or(dtype))
    if shape is not None:
        shape = tuple(shape)
        arr = np.broadcast_to(arr, shape).copy() if arr.size == 1 else arr.reshape(shape)
    return arr


def get_value(x):
    """The numpy value of a Variable or array."""
    if isinstance(x, Variable):
        v = np.array(x.numpy())
        return v[()] if v.ndim == 0 else v
    if isbox(x):
        return np.asarray(getval(x))
    return x


def batch_get_value(tensors):
    """`get_value` of each element."""
    return [get_value(t) for t in tensors]


def set_value(x, value):
    """Assign `value` to Variable `x` (e.g. `K.set_value(opt.lr, 1e-4)`)."""
    if not isinstance(x, Variable):
        raise ValueError(
            f"`set_value` needs a Variable (such as `optimizer.learning_rate`); received {type(x).__name__}.")
    x.assign(np.asarray(getval(_v(value)), dtype=x.dtype))


def batch_set_value(tuples):
    """`set_value` for each `(variable, value)` pair."""
    for x, value in tuples:
        set_value(x, value)


def eval(x):
    """The numpy value of `x`."""
    return get_value(x)


def update(x, new_x):
    """`x.assign(new_x)`."""
    return x.assign(_plain(new_x))


def update_add(x, increment):
    """`x.assign_add(increment)`."""
    return x.assign_add(_plain(increment))


def update_sub(x, decrement):
    """`x.assign_sub(decrement)`."""
    return x.assign_sub(_plain(decrement))


def moving_average_update(x, value, momentum):
    """`x -= (x - value) * (1 - momentum)`."""
    value = np.asarray(_plain(value), dtype=x.dtype)
    return x.assign_sub((x.numpy() - value) * (1 - np.asarray(momentum, dtype=x.dtype)))


def zeros(shape, dtype=None, name=None):
    """A Variable of zeros (an array if the shape has unknown entries)."""
    arr = np.zeros(tuple(shape) if not isinstance(shape, int) else (shape,), _floatx_or(dtype))
    return Variable(arr, dtype=arr.dtype, name=name)


def ones(shape, dtype=None, name=None):
    """A Variable of ones."""
    arr = np.ones(tuple(shape) if not isinstance(shape, int) else (shape,), _floatx_or(dtype))
    return Variable(arr, dtype=arr.dtype, name=name)


def eye(size, dtype=None, name=None):
    """A Variable holding the identity matrix."""
    if isinstance(size, (list, tuple)):
        arr = np.eye(*size, dtype=_floatx_or(dtype))
    else:
        arr = np.eye(size, dtype=_floatx_or(dtype))
    return Variable(arr, dtype=arr.dtype, name=name)


def zeros_like(x, dtype=None, name=None):
    return ops.zeros_like(x, dtype=dtype)


def ones_like(x, dtype=None, name=None):
    return ops.ones_like(x, dtype=dtype)


def cast(x, dtype):
    return ops.cast(x, dtype)


def cast_to_floatx(x):
    """`x` as a `floatx()` array."""
    if isinstance(x, Variable) or isbox(x):
        return ops.cast(x, config.floatx())
    return np.asarray(x, dtype=config.floatx())


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    from minikeras import random
    return variable(random.uniform(shape, low, high, dtype=_floatx_or(dtype), seed=seed),
                    dtype=dtype, name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    from minikeras import random
    return variable(random.normal(shape, mean, scale, dtype=_floatx_or(dtype), seed=seed),
                    dtype=dtype, name=name)


# ----- shapes ---------------------------------------------------------------------
def int_shape(x):
    """The static shape as a tuple (None for unknown dimensions)."""
    try:
        shape = x.shape
    except AttributeError:
        return tuple(np.shape(getval(x)))
    return tuple(shape) if shape is not None else None


def shape(x):
    """The shape as an int32 array (TensorFlow's `tf.shape`)."""
    return np.asarray(np.shape(_plain(x)), dtype="int32")


def ndim(x):
    if hasattr(x, "shape") and not isinstance(x, np.ndarray) and not isbox(x):
        return len(x.shape)
    return np.ndim(_plain(x))


def dtype(x):
    """The dtype name, e.g. `'float32'`."""
    if hasattr(x, "dtype") and isinstance(getattr(x, "dtype"), str):
        return x.dtype
    return common.standardize_dtype(np.asarray(getval(_v(x))).dtype)


def count_params(x):
    return int(math.prod(int_shape(x)))


def is_sparse(tensor):
    """Always False: minikeras arrays are dense."""
    return False


def to_dense(tensor):
    return tensor


def reshape(x, shape):
    return ops.reshape(x, tuple(int(s) for s in np.asarray(getval(_v(shape))).reshape(-1)))


def permute_dimensions(x, pattern):
    return ops.transpose(x, tuple(pattern))


def transpose(x):
    return ops.transpose(x)


def expand_dims(x, axis=-1):
    return ops.expand_dims(x, axis)


def squeeze(x, axis):
    return ops.squeeze(x, axis)


def flatten(x):
    return ops.reshape(x, (-1,))


def batch_flatten(x):
    """`(batch, -1)`."""
    s = np.shape(_plain(x))
    return ops.reshape(x, (s[0], int(np.prod(s[1:]))))


def concatenate(tensors, axis=-1):
    if axis < 0:
        rank = ndim(tensors[0])
        axis = axis % rank if rank else 0
    return ops.concatenate(list(tensors), axis=axis)


def stack(x, axis=0):
    return ops.stack(list(x), axis=axis)


def tile(x, n):
    return ops.tile(x, [n] if isinstance(n, int) else list(n))


def repeat(x, n):
    """`(batch, dim)` -> `(batch, n, dim)`."""
    if ndim(x) != 2:
        raise ValueError(f"Expected input `x` to have rank 2. Received: rank(x)={ndim(x)}")
    return ops.tile(ops.expand_dims(x, 1), [1, n, 1])


def repeat_elements(x, rep, axis):
    """Repeat each slice along `axis` `rep` times (like `np.repeat`)."""
    return ops.repeat(x, rep, axis=axis)


def reverse(x, axes):
    return ops.flip(x, axis=(axes,) if isinstance(axes, int) else tuple(axes))


def gather(reference, indices):
    return ops.take(reference, indices, axis=0)


def arange(start, stop=None, step=1, dtype="int32"):
    if stop is None and start < 0:
        start = 0
    if stop is None:
        start, stop = 0, start
    return np.arange(start, stop, step).astype(common.standardize_dtype(dtype))


def one_hot(indices, num_classes):
    return ops.one_hot(indices, num_classes, axis=-1)


def temporal_padding(x, padding=(1, 1)):
    """Zero-pad the time axis of `(batch, time, features)`."""
    if len(padding) != 2:
        raise ValueError(f"Expected `padding` to be a tuple of 2 integers. Received: padding={padding}")
    return ops.pad(x, [[0, 0], list(padding), [0, 0]])


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Unknown data_format: {data_format}")
    return data_format


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Zero-pad the two spatial axes of a 4-D tensor."""
    if len(padding) != 2 or len(padding[0]) != 2 or len(padding[1]) != 2:
        raise ValueError(
            "Expected `padding` to be a tuple of 2 tuples of 2 integers. "
            f"Received: padding={padding}")
    if _data_format(data_format) == "channels_first":
        pattern = [[0, 0], [0, 0], list(padding[0]), list(padding[1])]
    else:
        pattern = [[0, 0], list(padding[0]), list(padding[1]), [0, 0]]
    return ops.pad(x, pattern)


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Zero-pad the three spatial axes of a 5-D tensor."""
    if len(padding) != 3 or py_any(len(p) != 2 for p in padding):
        raise ValueError(
            "Expected `padding` to be a tuple of 3 tuples of 2 integers. "
            f"Received: padding={padding}")
    pads = [list(p) for p in padding]
    if _data_format(data_format) == "channels_first":
        pattern = [[0, 0], [0, 0]] + pads
    else:
        pattern = [[0, 0]] + pads + [[0, 0]]
    return ops.pad(x, pattern)


# ----- elementwise ------------------------------------------------------------------
def abs(x):
    return ops.abs(x)


def exp(x):
    return ops.exp(x)


def log(x):
    return ops.log(x)


def sqrt(x):
    """`sqrt(max(x, 0))`: negative inputs give 0, as Keras 2 did."""
    x = _t(x)
    zero = np.zeros((), dtype=_dtype_of(x)) if _dtype_of(x).kind == "f" else 0.0
    return ops.sqrt(ops.maximum(x, zero))


def square(x):
    return ops.square(x)


def sign(x):
    return ops.sign(x)


def round(x):
    """Round half to even."""
    return ops.round(x)


def pow(x, a):
    return ops.power(x, a)


def sin(x):
    return ops.sin(x)


def cos(x):
    return ops.cos(x)


def tanh(x):
    return ops.tanh(x)


def sigmoid(x):
    return ops.sigmoid(x)


def hard_sigmoid(x):
    """Keras 2's `clip(0.2 * x + 0.5, 0, 1)`."""
    x = _t(x)
    dt = _dtype_of(x)
    return ops.clip(x * np.asarray(0.2, dt) + np.asarray(0.5, dt), 0.0, 1.0)


def softplus(x):
    return ops.softplus(x)


def softsign(x):
    return ops.softsign(x)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Rectifier with optional leak `alpha`, ceiling and threshold."""
    x = _t(x)
    dt = _dtype_of(x)
    if alpha != 0.0:
        if max_value is None and threshold == 0:
            return ops.leaky_relu(x, negative_slope=alpha)
        negative_part = ops.relu(-x + threshold) if threshold != 0 else ops.relu(-x)
    else:
        negative_part = None
    clip_max = max_value is not None
    if threshold != 0:
        x = x * (_plain(x) > threshold).astype(dt)
    elif max_value == 6:
        x = ops.relu6(x)
        clip_max = False
    else:
        x = ops.relu(x)
    if clip_max:
        x = ops.clip(x, 0, max_value)
    if negative_part is not None:
        x = x - np.asarray(alpha, dt) * negative_part
    return x


def softmax(x, axis=-1):
    """Softmax over `axis`; the logits are remembered for the cross-entropies."""
    if ndim(x) <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    from minikeras.backend import primitives as P
    x = _t(x)
    return P.remember_logits(ops.softmax(x, axis=axis), x)


def l2_normalize(x, axis=None):
    """`x / sqrt(max(sum(x**2), 1e-12))` over `axis`."""
    x = _t(x)
    dt = _dtype_of(x)
    sq = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(sq, np.asarray(1e-12, dt)))


def clip(x, min_value, max_value):
    if isinstance(min_value, (int, float)) and isinstance(max_value, (int, float)) \
            and max_value < min_value:
        max_value = min_value
    if min_value is None:
        min_value = -np.inf
    if max_value is None:
        max_value = np.inf
    return ops.clip(x, min_value, max_value)


def maximum(x, y):
    return ops.maximum(x, y)


def minimum(x, y):
    return ops.minimum(x, y)


def equal(x, y):
    return ops.equal(x, y)


def not_equal(x, y):
    return ops.not_equal(x, y)


def greater(x, y):
    return ops.greater(x, y)


def greater_equal(x, y):
    return ops.greater_equal(x, y)


def less(x, y):
    return ops.less(x, y)


def less_equal(x, y):
    return ops.less_equal(x, y)


def switch(condition, then_expression, else_expression):
    """`then_expression` where `condition`, else `else_expression`; a scalar
    condition picks one branch (callables are called)."""
    cond = _plain(condition).astype(bool)
    if cond.ndim == 0:
        branch = then_expression if bool(cond) else else_expression
        return branch() if callable(branch) else branch
    then_v = then_expression() if callable(then_expression) else then_expression
    else_v = else_expression() if callable(else_expression) else else_expression
    expr_ndim = ndim(then_v)
    if cond.ndim > expr_ndim:
        raise ValueError(
            "Rank of `condition` should be less than or equal to rank of `then_expression` "
            f"and `else_expression`. ndim(condition)={cond.ndim}, ndim(then_expression)={expr_ndim}")
    cond = cond.reshape(cond.shape + (1,) * (expr_ndim - cond.ndim))
    return ops.where(cond, then_v, else_v)


def stop_gradient(variables):
    if isinstance(variables, (list, tuple)):
        return [ops.stop_gradient(v) for v in variables]
    return ops.stop_gradient(variables)


# ----- reductions ---------------------------------------------------------------------
def _bool_to_float(x):
    x = _t(x)
    return ops.cast(x, config.floatx()) if _dtype_of(x).kind == "b" else x


def _int_reduce(fn, x, axis, keepdims):
    # TensorFlow reduces integers in integer arithmetic (truncating means).
    v = _plain(x)
    return np.trunc(fn(v.astype(np.float64), axis=_ax(axis), keepdims=keepdims)).astype(v.dtype)


def _ax(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    if _dtype_of(x).kind == "b":
        raise TypeError("`sum` does not accept booleans; cast them first.")
    return ops.sum(x, axis=_ax(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    x = _bool_to_float(x)
    if _dtype_of(x).kind in "iu":
        return _int_reduce(np.mean, x, axis, keepdims)
    return ops.mean(x, axis=_ax(axis), keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    return ops.max(x, axis=_ax(axis), keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    return ops.min(x, axis=_ax(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    x = _t(x)
    return ops.prod(x, axis=_ax(axis), keepdims=keepdims, dtype=_dtype_of(x))


def var(x, axis=None, keepdims=False):
    return ops.var(_bool_to_float(x), axis=_ax(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return ops.std(_bool_to_float(x), axis=_ax(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return ops.all(ops.cast(x, "bool"), axis=_ax(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return ops.any(ops.cast(x, "bool"), axis=_ax(axis), keepdims=keepdims)


def argmax(x, axis=-1):
    """Index of the maximum along `axis` (int64, as `tf.argmax`)."""
    return np.argmax(_plain(x), axis=axis).astype("int64")


def argmin(x, axis=-1):
    """Index of the minimum along `axis` (int64, as `tf.argmin`)."""
    return np.argmin(_plain(x), axis=axis).astype("int64")


def cumsum(x, axis=0):
    return ops.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return ops.cumprod(x, axis=axis)


def in_top_k(predictions, targets, k):
    return ops.in_top_k(targets, predictions, k)


# ----- products -------------------------------------------------------------------
def dot(x, y):
    """Matrix product; for N-D inputs, `x`'s last axis with `y`'s
    second-to-last (Theano/Keras 2 semantics)."""
    nx, ny = ndim(x), ndim(y)
    if nx > 2 or ny > 2:
        xs, ys = np.shape(_plain(x)), np.shape(_plain(y))
        perm = list(range(ny))
        perm = [perm.pop(-2)] + perm
        xt = ops.reshape(x, (-1, xs[-1]))
        yt = ops.reshape(ops.transpose(y, perm), (ys[-2], -1))
        return ops.reshape(ops.matmul(xt, yt), xs[:-1] + ys[:-2] + ys[-1:])
    return ops.matmul(x, y)


def batch_dot(x, y, axes=None):
    """Dot product of each sample of `x` with the same sample of `y` over
    `axes` (Keras 2 semantics: rank-2 inputs give `(batch, 1)`)."""
    xs, ys = np.shape(_plain(x)), np.shape(_plain(y))
    x_ndim, y_ndim = len(xs), len(ys)
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError(
            f"Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes {xs} and {ys}.")
    if xs[0] != ys[0]:
        raise ValueError(
            f"Cannot do batch_dot on inputs with different batch sizes. Received inputs with "
            f"shapes {xs} and {ys}.")
    if isinstance(axes, int):
        axes = [axes, axes]
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 1] if y_ndim == 2 else [x_ndim - 1, y_ndim - 2]
    if py_any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError(
            f"Multiple target dimensions are not supported. Expected: None, int, (int, int), "
            f"Provided: {axes}")
    a0, a1 = [a + (x_ndim if a < 0 and i == 0 else y_ndim if a < 0 else 0)
              for i, a in enumerate(axes)]
    if 0 in (a0, a1):
        raise ValueError(
            "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy "
            "batch dimension to your inputs using K.expand_dims(x, 0)")
    if xs[a0] != ys[a1]:
        raise ValueError(
            f"Cannot do batch_dot on inputs with shapes {xs} and {ys} with axes={[a0, a1]}. "
            f"x.shape[{a0}] != y.shape[{a1}] ({xs[a0]} != {ys[a1]}).")
    # x: contracted axis last; y: contracted axis second; then one batched GEMM.
    xm = ops.moveaxis(x, a0, -1)
    ym = ops.moveaxis(y, a1, 1)
    xr = ops.reshape(xm, (xs[0], -1, xs[a0]))
    yr = ops.reshape(ym, (ys[0], ys[a1], -1))
    out = ops.matmul(xr, yr)
    x_rest = tuple(s for i, s in enumerate(xs) if i not in (0, a0))
    y_rest = tuple(s for i, s in enumerate(ys) if i not in (0, a1))
    out = ops.reshape(out, (xs[0],) + x_rest + y_rest)
    if x_ndim == 2 and y_ndim == 2:
        out = ops.reshape(out, (xs[0], 1))
    return out


def bias_add(x, bias, data_format=None):
    """`x + bias` with `bias` along the channel axis."""
    data_format = _data_format(data_format)
    bshape = np.shape(_plain(bias))
    nd = ndim(x)
    if len(bshape) != 1 and len(bshape) != nd - 1:
        raise ValueError(
            f"Unexpected bias dimensions {len(bshape)}. Expected it to be 1 or {nd - 1} dimensions")
    if len(bshape) == 1:
        if data_format == "channels_first" and nd > 2:
            return ops.add(x, ops.reshape(bias, (1, bshape[0]) + (1,) * (nd - 2)))
        return ops.add(x, bias)
    if data_format == "channels_first":
        return ops.add(x, ops.reshape(bias, (1, bshape[-1]) + bshape[:-1]))
    return ops.add(x, ops.reshape(bias, (1,) + bshape))


# ----- losses ---------------------------------------------------------------------
def binary_crossentropy(target, output, from_logits=False):
    """Keras 2's elementwise binary cross-entropy (epsilon inside the log)."""
    target, output = _t(target), _t(output)
    if from_logits:
        return ops.binary_crossentropy(target, output, from_logits=True)
    eps = config.epsilon()
    output = ops.clip(output, eps, 1.0 - eps)
    bce = target * ops.log(output + eps)
    bce = bce + (1 - target) * ops.log(1 - output + eps)
    return -bce


def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False):
    target, output = _t(target), _t(output)
    p = ops.sigmoid(output) if from_logits else output
    p_t = target * p + (1 - target) * (1 - p)
    focal = ops.power(1.0 - p_t, gamma)
    out = focal * binary_crossentropy(target, output, from_logits=from_logits)
    if apply_class_balancing:
        out = (target * alpha + (1 - target) * (1 - alpha)) * out
    return out


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return ops.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False,
                                   axis=-1):
    target, output = _t(target), _t(output)
    if from_logits:
        output = ops.softmax(output, axis=axis)
    output = output / ops.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    output = ops.clip(output, eps, 1.0 - eps)
    cce = -target * ops.log(output)
    return ops.sum(ops.power(1.0 - output, gamma) * alpha * cce, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1, ignore_class=None):
    """Cross-entropy with integer targets; `ignore_class` entries give 0."""
    output = _t(output)
    nd = ndim(output)
    axis = axis % nd
    if axis != nd - 1:
        output = ops.moveaxis(output, axis, -1)
    tv = _plain(target).astype(np.int64)
    if tv.ndim == nd and tv.shape[-1] == 1:
        tv = tv[..., 0]
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(tv, output, from_logits=from_logits)
    valid = tv != ignore_class
    safe = np.where(valid, tv, 0)
    res = ops.sparse_categorical_crossentropy(safe, output, from_logits=from_logits)
    return ops.where(valid, res, np.zeros((), _dtype_of(output)))


# ----- convolution and pooling -------------------------------------------------------------
def _pad_name(padding):
    if padding not in ("same", "valid"):
        raise ValueError(f"Invalid padding: {padding}")
    return padding


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    if padding == "causal":
        k = np.shape(_plain(kernel))[0]
        left = dilation_rate * (k - 1)
        pads = [[0, 0], [0, 0], [left, 0]] if data_format == "channels_first" else [[0, 0], [left, 0], [0, 0]]
        x = ops.pad(x, pads)
        padding = "valid"
    return ops.conv(x, kernel, strides, _pad_name(padding), data_format, dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    return ops.conv(x, kernel, strides, _pad_name(padding), _data_format(data_format), dilation_rate)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1)):
    return ops.conv(x, kernel, strides, _pad_name(padding), _data_format(data_format), dilation_rate)


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    """Transposed 2-D convolution to the given `output_shape`."""
    from minikeras.backend import conv_primitives as CP
    from minikeras.ops.nn_conv import _to_last, _from_last
    data_format = _data_format(data_format)
    _pad_name(padding)
    x = _t(x)
    kernel = _t(kernel)
    out = tuple(output_shape)
    spatial = out[2:4] if data_format == "channels_first" else out[1:3]
    y = CP.conv_transpose(_to_last(x, data_format), kernel, None, tuple(int(s) for s in spatial),
                          tuple(strides), padding, tuple(dilation_rate))
    return _from_last(y, data_format)


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    return ops.depthwise_conv(x, depthwise_kernel, strides, _pad_name(padding),
                              _data_format(data_format), dilation_rate)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    return ops.separable_conv(x, depthwise_kernel, pointwise_kernel, strides, _pad_name(padding),
                              _data_format(data_format), dilation_rate)


def _pool(x, pool_size, strides, padding, data_format, pool_mode):
    data_format = _data_format(data_format)
    if pool_mode == "max":
        return ops.max_pool(x, pool_size, strides, _pad_name(padding), data_format)
    if pool_mode == "avg":
        return ops.average_pool(x, pool_size, strides, _pad_name(padding), data_format)
    raise ValueError(f"Invalid pooling mode: {pool_mode}")


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    if len(pool_size) != 2:
        raise ValueError("`pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    return _pool(x, pool_size, strides, padding, data_format, pool_mode)


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    return _pool(x, pool_size, strides, padding, data_format, pool_mode)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta` (broadcasting)."""
    return ops.batch_normalization(x, mean, var, axis=axis, offset=beta, scale=gamma,
                                   epsilon=epsilon)


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Upscale the spatial axes by integer factors."""
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid `data_format` argument: {data_format}")
    methods = ("area", "bicubic", "bilinear", "lanczos3", "lanczos5", "nearest")
    if interpolation not in methods:
        raise ValueError(
            "`interpolation` argument should be one of: "
            + ", ".join(f'"{m}"' for m in methods) + f'. Received: "{interpolation}".')
    s = np.shape(_plain(x))
    h, w = (s[2], s[3]) if data_format == "channels_first" else (s[1], s[2])
    return ops.image.resize(x, (h * height_factor, w * width_factor), interpolation=interpolation,
                            data_format=data_format)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Repeat each voxel along the three spatial axes."""
    if data_format == "channels_first":
        axes = (2, 3, 4)
    elif data_format == "channels_last":
        axes = (1, 2, 3)
    else:
        raise ValueError(f"Invalid data_format: {data_format}")
    for ax, f in zip(axes, (depth_factor, height_factor, width_factor)):
        x = ops.repeat(x, f, axis=ax)
    return x


# ----- randomness -------------------------------------------------------------------
def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from minikeras import random
    return random.normal(shape, mean, stddev, dtype=_floatx_or(dtype), seed=seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    from minikeras import random
    return random.uniform(shape, minval, maxval, dtype=_floatx_or(dtype), seed=seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from minikeras import random
    return random.truncated_normal(shape, mean, stddev, dtype=_floatx_or(dtype), seed=seed)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability `p`, else 0."""
    u = random_uniform(shape, dtype=dtype, seed=seed)
    return (u <= p).astype(_floatx_or(dtype))


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """Keras 2 alias of `random_bernoulli`."""
    _deprecated("random_binomial", "`keras.random.binomial` or `keras.random.uniform(...) < p`")
    return random_bernoulli(shape, p, dtype, seed)


def dropout(x, level, noise_shape=None, seed=None):
    from minikeras import random
    return random.dropout(x, level, noise_shape=noise_shape, seed=seed)


# ----- control flow --------------------------------------------------------------------
def map_fn(fn, elems, name=None, dtype=None):
    return ops.map(fn, elems)


def foldl(fn, elems, initializer=None, name=None):
    """Reduce `elems` along axis 0 from the left with `fn(acc, x)`."""
    n = np.shape(_plain(elems))[0]
    acc, start = (elems[0], 1) if initializer is None else (initializer, 0)
    for i in range(start, n):
        acc = fn(acc, _t(elems)[i])
    return acc


def foldr(fn, elems, initializer=None, name=None):
    """Reduce `elems` along axis 0 from the right with `fn(acc, x)`."""
    n = np.shape(_plain(elems))[0]
    x = _t(elems)
    acc, stop = (x[n - 1], n - 1) if initializer is None else (initializer, n)
    for i in range(stop - 1, -1, -1):
        acc = fn(acc, x[i])
    return acc


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Iterate `step_function(input_t, states) -> (output_t, new_states)`
    over the time axis.

    Returns `(last_output, outputs, new_states)`; masked steps keep the
    previous output (zeros with `zero_output_for_mask`) and states.
    """
    from minikeras.ops.core import _tree_flatten, _tree_pack
    x_leaves = [_t(e) for e in _tree_flatten(inputs)]
    if not time_major:
        x_leaves = [ops.swapaxes(e, 0, 1) for e in x_leaves]
    steps = np.shape(_plain(x_leaves[0]))[0]
    m = None
    if mask is not None:
        m = _plain(mask).astype(bool)
        if m.ndim == 2 and not time_major:
            m = m.T
        elif m.ndim > 2 and not time_major:
            m = np.swapaxes(m, 0, 1)
    constants = list(constants or [])
    states = list(initial_states)
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs, prev = [], None
    for t in order:
        inp = _tree_pack(inputs, [e[t] for e in x_leaves])
        out, new_states = step_function(inp, tuple(states) + tuple(constants))
        new_states = list(new_states) if isinstance(new_states, (list, tuple)) else [new_states]
        if m is not None:
            mt = m[t]
            if prev is None:
                prev = ops.zeros_like(out)
            fallback = ops.zeros_like(out) if zero_output_for_mask else prev

            def sel(a, b, mt=mt):
                mm = mt.reshape(mt.shape + (1,) * (ndim(a) - mt.ndim))
                return ops.where(mm, a, b)
            out = sel(out, fallback)
            new_states = [sel(s, ps) for s, ps in zip(new_states, states)]
        prev = out
        states = new_states
        outputs.append(out)
    if not return_all_outputs:
        outputs = outputs[-1:]
    stacked = ops.stack(outputs, axis=0)
    if not time_major:
        stacked = ops.swapaxes(stacked, 0, 1)
    return outputs[-1], stacked, states


# ----- CTC -------------------------------------------------------------------------
SparseTensorValue = namedtuple("SparseTensorValue", ["indices", "values", "dense_shape"])


def ctc_label_dense_to_sparse(labels, label_lengths):
    """Dense `(batch, max_len)` labels to `(indices, values, dense_shape)`."""
    lab = _plain(labels)
    lengths = _plain(label_lengths).reshape(-1)
    idx = [(b, i) for b in range(lab.shape[0]) for i in range(int(lengths[b]))]
    indices = np.asarray(idx, dtype=np.int64).reshape(-1, 2)
    values = lab[indices[:, 0], indices[:, 1]] if len(idx) else lab.reshape(-1)[:0]
    return SparseTensorValue(indices, values, np.asarray(lab.shape, dtype=np.int64))


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """Keras 2 CTC loss of softmax outputs `y_pred` `(batch, time, classes)`;
    the blank is the last class. Returns `(batch, 1)`."""
    y_pred = _t(y_pred)
    classes = np.shape(_plain(y_pred))[-1]
    logits = ops.log(y_pred + np.asarray(config.epsilon(), _dtype_of(y_pred)))
    loss = ops.ctc_loss(_plain(y_true).astype(np.int64), logits,
                        _plain(label_length).reshape(-1), _plain(input_length).reshape(-1),
                        mask_index=classes - 1)
    return ops.expand_dims(loss, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Decode softmax outputs (blank = last class). Returns `(list of
    (batch, time) int arrays padded with -1, log_probabilities)`."""
    y = _plain(y_pred)
    logp = np.log(y + config.epsilon())
    decoded, scores = ops.ctc_decode(logp, _plain(input_length).reshape(-1),
                                     strategy="greedy" if greedy else "beam_search",
                                     beam_width=beam_width, top_paths=top_paths,
                                     mask_index=y.shape[-1] - 1)
    return [d.astype(np.int64) for d in decoded], scores


# ----- sessions, graphs, phases (Keras 2 compatibility) -------------------------------------
def gradients(loss, variables):
    raise RuntimeError(
        "tf.gradients is not supported when eager execution is enabled. Use "
        "`keras.GradientTape` (tf.GradientTape) instead: `with GradientTape() as tape: "
        "loss = ...; grads = tape.gradient(loss, variables)`.")


@contextlib.contextmanager
def name_scope(name):
    """A no-op context manager (TensorFlow's `tf.name_scope`)."""
    yield name


class _LearningPhase(int):
    """`K.learning_phase()`'s value: an int that `K.function` recognises
    as the slot for the training flag."""


_PHASE = {"value": None}


def learning_phase():
    """0 (inference) unless `set_learning_phase(1)` was called."""
    _deprecated("learning_phase()", "the `training` argument of `model(x, training=...)`")
    return _LearningPhase(0 if _PHASE["value"] is None else _PHASE["value"])


def set_learning_phase(value):
    """Set the global learning phase used by `K.function` calls (0 or 1)."""
    _deprecated("set_learning_phase()", "the `training` argument of `model(x, training=...)`")
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _PHASE["value"] = int(value)


@contextlib.contextmanager
def learning_phase_scope(value):
    _deprecated("learning_phase_scope()", "the `training` argument of `model(x, training=...)`")
    old = _PHASE["value"]
    _PHASE["value"] = int(value)
    try:
        yield
    finally:
        _PHASE["value"] = old


def in_train_phase(x, alt, training=None):
    """`x` in the training phase, else `alt` (callables are called)."""
    _deprecated("in_train_phase()", "`ops.cond(training, ...)` or Python `if training:`")
    if training is None:
        training = _PHASE["value"] or 0
    branch = x if bool(_plain(training)) else alt
    return branch() if callable(branch) else branch


def in_test_phase(x, alt, training=None):
    """`x` in the test phase, else `alt`."""
    _deprecated("in_test_phase()", "`ops.cond(training, ...)` or Python `if training:`")
    if training is None:
        training = _PHASE["value"] or 0
    branch = alt if bool(_plain(training)) else x
    return branch() if callable(branch) else branch


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None, ragged=False):
    """A symbolic input: `keras.Input(batch_shape=shape)`."""
    _deprecated("placeholder()", "`keras.Input(shape=..., batch_size=...)`")
    from minikeras.layers import Input
    if shape is None:
        if ndim is None:
            raise ValueError("Please provide to placeholder a `shape` or a `ndim` argument.")
        shape = (None,) * ndim
    return Input(batch_shape=tuple(shape), dtype=_floatx_or(dtype), name=name)


def manual_variable_initialization(value):
    """No-op: variables are always initialized when created."""
    _deprecated("manual_variable_initialization()", "nothing (variables are eager)")


def reset_uids():
    """Reset the layer-name counters."""
    common.reset_uids()


def print_tensor(x, message="", summarize=3):
    """Print `message` and the value of `x`; return `x`."""
    print(message, np.asarray(getval(_v(x))))
    return x


class _Function:
    """What `K.function` returns: call it with a list of input arrays."""

    def __init__(self, inputs, outputs, updates=None, name=None):
        from minikeras.backend.keras_tensor import KerasTensor
        self.inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._single = not isinstance(outputs, (list, tuple))
        self.outputs = [outputs] if self._single else list(outputs)
        self._phase_slot = None
        tensors = []
        for i, t in enumerate(self.inputs):
            if isinstance(t, _LearningPhase):
                self._phase_slot = i
            elif isinstance(t, KerasTensor):
                tensors.append(t)
            else:
                raise ValueError(
                    "`K.function` inputs must be symbolic tensors (model.input, "
                    f"layer.output, K.learning_phase()); received {type(t).__name__}.")
        if py_any(not isinstance(o, KerasTensor) for o in self.outputs):
            raise ValueError("`K.function` outputs must be symbolic tensors such as `layer.output`.")
        from minikeras.models import Model
        self._model = Model(tensors, self.outputs)
        self.updates = updates
        self.name = name

    def __call__(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        inputs = list(inputs)
        training = bool(_PHASE["value"])
        if self._phase_slot is not None:
            training = bool(np.asarray(inputs.pop(self._phase_slot)))
        arrays = [np.asarray(getval(_v(a))) for a in inputs]
        feed = arrays if len(arrays) > 1 else arrays[0]
        out = self._model(feed, training=training)
        out = out if isinstance(out, (list, tuple)) else [out]
        return [np.asarray(getval(o)) for o in out]


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """An eager callable computing `outputs` from `inputs` (symbolic tensors
    of a model), e.g. the activations of an inner layer:

    >>> get_hidden = K.function([model.input], [model.layers[0].output])
    >>> hidden = get_hidden([x])[0]

    Put `K.learning_phase()` among the inputs to pass the training flag.
    """
    _deprecated("function()", "`keras.Model(inputs, outputs)` and calling it, or `model.predict`")
    return _Function(inputs, outputs, updates=updates, name=name)


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """Batch-normalize `x` with its own statistics over `reduction_axes`;
    returns `(normalized, mean, variance)`."""
    _deprecated("normalize_batch_in_training()", "`keras.ops.moments` and `keras.ops.batch_normalization`")
    mean_, var_ = ops.moments(x, list(reduction_axes), keepdims=True)
    nd = ndim(x)
    shape_ = [1 if i in [a % nd for a in reduction_axes] else s
              for i, s in enumerate(np.shape(_plain(x)))]

    def b(t):
        return None if t is None else ops.reshape(t, shape_)
    out = ops.batch_normalization(x, mean_, var_, axis=-1, offset=b(beta), scale=b(gamma),
                                  epsilon=epsilon)
    keep = [i for i in range(nd) if i not in [a % nd for a in reduction_axes]]
    flat = tuple(np.shape(_plain(x))[i] for i in keep)
    return out, ops.reshape(mean_, flat), ops.reshape(var_, flat)


def _local_conv(inputs, kernel, kernel_size, strides, data_format):
    from minikeras.backend import conv_primitives as CP
    from minikeras.ops.nn_conv import _to_last, _from_last
    data_format = _data_format(data_format)
    x = _to_last(_t(inputs), data_format)
    rank = len(kernel_size)
    cols = CP.im2col(x, tuple(kernel_size), tuple(strides), (1,) * rank, ((0, 0),) * rank)
    n, out = np.shape(_plain(cols))[0], np.shape(_plain(cols))[1:-1]
    c = np.shape(_plain(x))[-1]
    if data_format == "channels_first":
        # Keras 2 flattened channels-first patches as (channel, offsets...).
        cols = ops.reshape(cols, (n,) + out + tuple(kernel_size) + (c,))
        cols = ops.moveaxis(cols, -1, 1 + rank)
    cols = ops.reshape(cols, (n, int(np.prod(out)), -1))
    y = ops.einsum("nlf,lfo->nlo", cols, kernel)
    y = ops.reshape(y, (n,) + out + (np.shape(_plain(kernel))[-1],))
    return _from_last(y, data_format)


def local_conv1d(inputs, kernel, kernel_size, strides, data_format=None):
    """Locally connected 1-D convolution: unshared weights per position;
    `kernel` is `(output_length, kernel_size * channels, filters)`."""
    _deprecated("local_conv1d()", "a custom layer (LocallyConnected layers were removed)")
    return _local_conv(inputs, kernel, tuple(kernel_size), tuple(strides), data_format)


def local_conv2d(inputs, kernel, kernel_size, strides, output_shape, data_format=None):
    """Locally connected 2-D convolution; `kernel` is
    `(rows * cols, kh * kw * channels, filters)`."""
    _deprecated("local_conv2d()", "a custom layer (LocallyConnected layers were removed)")
    return _local_conv(inputs, kernel, tuple(kernel_size), tuple(strides), data_format)
