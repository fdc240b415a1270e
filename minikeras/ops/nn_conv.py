"""Convolution and pooling ops of keras.ops.nn.

They wrap the im2col/GEMM convolution and the pooling primitives of
`backend/conv_primitives.py` and `backend/pool_primitives.py` (channels-last,
with hand-written VJPs); `channels_first` inputs are transposed on the way
in and out. Kernels use Keras's layouts.
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import conv_primitives as CP
from minikeras.backend import pool_primitives as PP
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _t, _dtype_of, cast


def _plain(x):
    return np.asarray(getval(x))


def _shape(x):
    return np.shape(_plain(x))


def _tuple(v, rank, name):
    if isinstance(v, (int, np.integer)):
        return (int(v),) * rank
    v = tuple(int(e) for e in v)
    if len(v) == 1 and rank > 1:
        return v * rank
    if len(v) != rank:
        raise ValueError(f"`{name}` must have {rank} entries (one per spatial axis). Received: {v}")
    return v


def _check_padding(padding, allowed=("valid", "same")):
    p = str(padding).lower()
    if p not in allowed:
        raise ValueError(f"`padding` must be one of {allowed}. Received: padding={padding}")
    return p


def _to_last(x, data_format):
    if data_format == "channels_first":
        nd = len(_shape(x))
        return anp.transpose(x, (0,) + tuple(range(2, nd)) + (1,))
    return x


def _from_last(x, data_format):
    if data_format == "channels_first":
        nd = len(_shape(x))
        return anp.transpose(x, (0, nd - 1) + tuple(range(1, nd - 1)))
    return x


def _common(x, kernel, data_format):
    data_format = config.standardize_data_format(data_format)
    x, kernel = _f(x), _f(kernel)
    if _dtype_of(kernel) != _dtype_of(x):
        kernel = cast(kernel, _dtype_of(x))
    nd = len(_shape(x))
    if nd not in (3, 4, 5):
        raise ValueError(
            f"Inputs to convolution must have rank 3, 4 or 5 (1D, 2D or 3D). Received: "
            f"inputs.shape={_shape(x)}")
    return _to_last(x, data_format), kernel, data_format, nd - 2


def _check_nonempty(y, x):
    if int(np.prod(_shape(y))) == 0 and int(np.prod(_shape(x))) != 0:
        raise ValueError(
            f"The convolution operation resulted in an empty output. Output shape: {_shape(y)}. "
            "This can happen if the input is too small for the given kernel size, strides, "
            "dilation rate, and padding mode. Please check the input shape and convolution "
            "parameters.")


# ----- convolutions --------------------------------------------------------------
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1, 2 or 3 spatial axes).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first).
        kernel: `(*kernel_size, channels // groups, filters)`; a kernel with
            fewer input channels than `inputs` makes a grouped convolution.
        strides, dilation_rate: an int or one per spatial axis.
        padding: "valid" or "same".
    """
    x, kernel, data_format, rank = _common(inputs, kernel, data_format)
    padding = _check_padding(padding)
    c, kc = _shape(x)[-1], _shape(kernel)[-2]
    if len(_shape(kernel)) != rank + 2:
        raise ValueError(
            f"The kernel must have rank {rank + 2}. Received: kernel.shape={_shape(kernel)}")
    if kc == 0 or c % kc:
        raise ValueError(
            "The number of input channels must be evenly divisible by kernel.shape[-2]. "
            f"Received: inputs.shape={_shape(inputs)}, kernel.shape={_shape(kernel)}")
    groups = c // kc
    if _shape(kernel)[-1] % groups:
        raise ValueError(
            f"The number of filters ({_shape(kernel)[-1]}) must be divisible by the number of "
            f"groups ({groups}).")
    y = CP.conv(x, kernel, None, _tuple(strides, rank, "strides"), padding,
                _tuple(dilation_rate, rank, "dilation_rate"), groups=groups)
    _check_nonempty(y, x)
    return _from_last(y, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution: each channel filtered by its own
    `depth_multiplier` kernels; kernel `(*kernel_size, channels, multiplier)`."""
    x, kernel, data_format, rank = _common(inputs, kernel, data_format)
    if rank > 2:
        raise ValueError(f"`inputs` rank must be 3 (1D conv) or 4 (2D conv). Received: {rank + 2}.")
    padding = _check_padding(padding)
    if _shape(kernel)[-2] != _shape(x)[-1]:
        raise ValueError(
            "The number of input channels must match kernel.shape[-2]. Received: "
            f"inputs.shape={_shape(inputs)}, kernel.shape={_shape(kernel)}")
    y = CP.depthwise_conv(x, kernel, None, _tuple(strides, rank, "strides"), padding,
                          _tuple(dilation_rate, rank, "dilation_rate"))
    _check_nonempty(y, x)
    return _from_last(y, data_format)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a 1x1 pointwise convolution."""
    x, dk, data_format, rank = _common(inputs, depthwise_kernel, data_format)
    if rank > 2:
        raise ValueError(f"`num_spatial_dims` must be 1 or 2. Received: num_spatial_dims={rank}.")
    padding = _check_padding(padding)
    pk = cast(_f(pointwise_kernel), _dtype_of(x))
    y = CP.depthwise_conv(x, dk, None, _tuple(strides, rank, "strides"), padding,
                          _tuple(dilation_rate, rank, "dilation_rate"))
    y = CP.conv(y, pk, None, 1, "valid", 1)
    _check_nonempty(y, x)
    return _from_last(y, data_format)


def _deconv_length(n, k, s, d, padding, output_padding):
    k_eff = (k - 1) * d + 1
    if output_padding is None:
        if padding == "valid":
            return n * s + max(k_eff - s, 0)
        return n * s
    pad = k_eff // 2 if padding == "same" else 0
    return (n - 1) * s + k_eff - 2 * pad + output_padding


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (the gradient of `conv` with respect to its
    input); kernel `(*kernel_size, filters, channels)`."""
    x, kernel, data_format, rank = _common(inputs, kernel, data_format)
    padding = _check_padding(padding)
    if _shape(kernel)[-1] != _shape(x)[-1]:
        raise ValueError(
            "The number of input channels must match kernel.shape[-1]. Received: "
            f"inputs.shape={_shape(inputs)}, kernel.shape={_shape(kernel)}")
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    ks = _shape(kernel)[:rank]
    ops_ = [None] * rank if output_padding is None else list(
        _tuple(output_padding, rank, "output_padding"))
    out_spatial = tuple(_deconv_length(n, k, s, d, padding, op)
                        for n, k, s, d, op in zip(_shape(x)[1:-1], ks, strides, dilation, ops_))
    y = CP.conv_transpose(x, kernel, None, out_spatial, strides, padding, dilation)
    return _from_last(y, data_format)


# ----- pooling --------------------------------------------------------------------------
def _pool(inputs, pool_size, strides, padding, data_format, prim):
    data_format = config.standardize_data_format(data_format)
    x = _f(inputs)
    rank = len(_shape(x)) - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            "Pooling inputs's shape must be 3, 4 or 5, corresponding to 1D, 2D and 3D inputs. "
            f"But received shape: {_shape(x)}.")
    padding = _check_padding(padding)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    x = _to_last(x, data_format)
    pads = PP.pool_pads(_shape(x)[1:-1], pool_size, strides, padding)
    y = prim(x, pool_size, strides, pads)
    return _from_last(y, data_format)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of `pool_size` (strides default to it)."""
    return _pool(inputs, pool_size, strides, padding, data_format, PP.max_pool)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling; with "same" padding the padded cells are not counted."""
    return _pool(inputs, pool_size, strides, padding, data_format, PP.avg_pool)


def _adaptive_windows(n, out):
    starts = (np.arange(out) * n) // out
    ends = -((-np.arange(1, out + 1) * n) // out)
    return starts, np.minimum(ends, n)


def _adaptive(inputs, output_size, data_format, kind):
    data_format = config.standardize_data_format(data_format)
    x = _f(inputs)
    rank = len(_shape(x)) - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"adaptive_{kind}_pool supports 1D, 2D, or 3D inputs only.")
    out = _tuple(output_size, rank, "output_size")
    x = _to_last(x, data_format)
    dt = _dtype_of(x)
    # Windows are boxes, so the pooling separates into one pass per axis.
    for ax, o in enumerate(out, start=1):
        n = _shape(x)[ax]
        starts, ends = _adaptive_windows(n, o)
        if kind == "average":
            w = np.zeros((n, o), dtype=dt)
            for j, (a, b) in enumerate(zip(starts, ends)):
                w[a:b, j] = 1.0 / (b - a)
            x = anp.moveaxis(anp.tensordot(anp.moveaxis(x, ax, -1), w, axes=1), -1, ax)
        else:
            parts = [OP.reduce_max(x[(slice(None),) * ax + (slice(a, b),)], axis=ax, keepdims=True)
                     for a, b in zip(starts, ends)]
            x = anp.concatenate(parts, axis=ax)
    return _from_last(x, data_format)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling into a fixed `output_size` (PyTorch's windows:
    `[floor(i * n / out), ceil((i + 1) * n / out))`)."""
    return _adaptive(inputs, output_size, data_format, "average")


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling into a fixed `output_size` (PyTorch's windows)."""
    return _adaptive(inputs, output_size, data_format, "max")


# ----- rearrangements ------------------------------------------------------------------
def depth_to_space(x, block_size, data_format="channels_last"):
    """Move channel blocks into `block_size x block_size` spatial tiles."""
    x = _t(x)
    data_format = config.standardize_data_format(data_format)
    x = _to_last(x, data_format)
    n, h, w, c = _shape(x)
    b = int(block_size)
    if c % (b * b):
        raise ValueError(f"Channels ({c}) must be divisible by block_size**2 ({b * b}).")
    y = anp.reshape(x, (n, h, w, b, b, c // (b * b)))
    y = anp.transpose(y, (0, 1, 3, 2, 4, 5))
    y = anp.reshape(y, (n, h * b, w * b, c // (b * b)))
    return _from_last(y, data_format)


def space_to_depth(x, block_size, data_format="channels_last"):
    """Move `block_size x block_size` spatial tiles into channels."""
    x = _t(x)
    data_format = config.standardize_data_format(data_format)
    x = _to_last(x, data_format)
    n, h, w, c = _shape(x)
    b = int(block_size)
    if h % b or w % b:
        raise ValueError(f"Height ({h}) and width ({w}) must be divisible by block_size ({b}).")
    y = anp.reshape(x, (n, h // b, b, w // b, b, c))
    y = anp.transpose(y, (0, 1, 3, 2, 4, 5))
    y = anp.reshape(y, (n, h // b, w // b, b * b * c))
    return _from_last(y, data_format)


def _pair(v):
    return (v, v) if isinstance(v, (int, np.integer)) else tuple(v)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of an `(N, C, H, W)` image: `(N, C * kH * kW, L)`
    (PyTorch's `unfold`)."""
    x = _f(x)
    k, d, p, s = _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    if len(_shape(x)) != 4:
        raise ValueError(f"Input must be a 4D tensor. Received: x.shape={_shape(x)}")
    n, c = _shape(x)[:2]
    xl = anp.transpose(x, (0, 2, 3, 1))
    pads = ((p[0], p[0]), (p[1], p[1]))
    cols = CP.im2col(xl, k, s, d, pads)  # (N, nH, nW, kH*kW*C) ordered (kh, kw, c)
    nh, nw = _shape(cols)[1:3]
    cols = anp.reshape(cols, (n, nh, nw, k[0], k[1], c))
    cols = anp.transpose(cols, (0, 5, 3, 4, 1, 2))
    return anp.reshape(cols, (n, c * k[0] * k[1], nh * nw))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sum sliding blocks `(N, C * kH * kW, L)` back into `(N, C, H, W)`
    (PyTorch's `fold`, the adjoint of `unfold`)."""
    x = _f(x)
    k, d, p, s = _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    o = _pair(output_size)
    n, ckk, _ = _shape(x)
    c = ckk // (k[0] * k[1])
    nh = (o[0] + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    nw = (o[1] + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    cols = anp.reshape(x, (n, c, k[0], k[1], nh, nw))
    cols = anp.transpose(cols, (0, 4, 5, 2, 3, 1))
    cols = anp.reshape(cols, (n, nh, nw, k[0] * k[1] * c))
    pads = ((p[0], p[0]), (p[1], p[1]))
    y = CP.col2im(cols, (n, o[0], o[1], c), k, s, d, pads)
    return anp.transpose(y, (0, 3, 1, 2))
