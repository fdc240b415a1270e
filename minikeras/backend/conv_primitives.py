"""Convolution as im2col + one GEMM, with hand-written VJPs.

Every convolution here works on channels-last arrays `(batch, *spatial,
channels)` of any spatial rank (1, 2 or 3). The building blocks are:

* `im2col(x, ...)`: a strided view of the (padded) input with one row per
  output position and one column per (kernel offset, channel), copied once
  into a contiguous `(batch, *out, prod(kernel) * channels)` array.
* `col2im(cols, ...)`: its adjoint, a scatter-add of the columns back onto
  the input grid. It loops over the kernel offsets (9 for a 3x3 kernel), never
  over pixels.
* `conv_matmul(cols, w, b, groups)`: the GEMM `cols @ w + b` (batched over
  groups for grouped and depthwise convolutions).

`im2col` and `col2im` are each other's VJP and the VJPs of `conv_matmul` are
GEMMs written with `autograd.numpy`, so nested tapes can differentiate a
convolution again.

A convolution is `conv_matmul(im2col(x), kernel)`; a transposed convolution
is `col2im(conv_matmul(x, kernel^T))`, which is exactly the adjoint that
TensorFlow's `conv_transpose` computes.

`conv` with `groups=1` (every Conv1D/2D/3D layer) takes a fused fast path
computing the same thing: one primitive that works in cache-sized blocks of
images and never stores the patch matrix (see "the fused convolution"
below). Its VJP falls back to the composite graph above when a gradient is
itself being differentiated.
"""
import itertools
import math

import numpy as np
import autograd.numpy as anp
from autograd import make_vjp
from autograd.extend import primitive, defvjp, defvjp_argnums
from autograd.tracer import getval, isbox
from numpy.lib.stride_tricks import as_strided


# ----- padding arithmetic (TensorFlow's rules) --------------------------------
def effective_kernel(kernel_size, dilation_rate):
    return tuple((k - 1) * d + 1 for k, d in zip(kernel_size, dilation_rate))


def conv_output_length(length, k_eff, stride, padding):
    """Output length of a convolution/pooling along one axis."""
    if length is None:
        return None
    if padding == "valid":
        return (length - k_eff) // stride + 1
    return -(-length // stride)  # same / causal: ceil(length / stride)


def compute_pads(spatial, kernel_size, strides, dilation_rate, padding):
    """Per-axis `(before, after)` zero padding for `padding` on `spatial`.

    'same' pads `max((out - 1) * stride + k_eff - length, 0)` in total with
    the extra element after, as TensorFlow does; 'causal' pads only before.
    """
    k_eff = effective_kernel(kernel_size, dilation_rate)
    if padding == "valid":
        return tuple((0, 0) for _ in spatial)
    if padding == "causal":
        return tuple((k - 1, 0) for k in k_eff)
    pads = []
    for n, k, s in zip(spatial, k_eff, strides):
        out = -(-n // s)
        total = max((out - 1) * s + k - n, 0)
        pads.append((total // 2, total - total // 2))
    return tuple(pads)


def _out_shape(spatial, pads, k_eff, strides):
    return tuple((n + lo + hi - k) // s + 1
                 for n, (lo, hi), k, s in zip(spatial, pads, k_eff, strides))


def _offset_slices(offsets, dilation, strides, out):
    """Slices of the padded grid that kernel offset `offsets` reads."""
    return tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
                 for o, d, s, n in zip(offsets, dilation, strides, out))


# ----- im2col / col2im -----------------------------------------------------------
def _im2col(x, kernel_size, strides, dilation, pads):
    x = np.asarray(x)
    if any(lo or hi for lo, hi in pads):
        x = np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
    n, spatial, c = x.shape[0], x.shape[1:-1], x.shape[-1]
    k_eff = effective_kernel(kernel_size, dilation)
    out = tuple((sz - k) // s + 1 for sz, k, s in zip(spatial, k_eff, strides))
    if all(k == 1 for k in kernel_size) and all(s == 1 for s in strides):
        return np.ascontiguousarray(x)
    if c <= 4:
        # few channels: one strided copy per kernel offset beats copying the
        # 6-D window view, whose innermost run is only `c` long
        cols = np.empty((n,) + out + tuple(kernel_size) + (c,), dtype=x.dtype)
        lead = (slice(None),) * (1 + len(spatial))
        for offsets in itertools.product(*(range(k) for k in kernel_size)):
            sl = (slice(None),) + _offset_slices(offsets, dilation, strides, out)
            cols[lead + offsets] = x[sl]
        return cols.reshape((n,) + out + (math.prod(kernel_size) * c,))
    st = x.strides
    rank = len(spatial)
    view = as_strided(
        x, shape=(n,) + out + tuple(kernel_size) + (c,),
        strides=((st[0],) + tuple(st[1 + i] * strides[i] for i in range(rank))
                 + tuple(st[1 + i] * dilation[i] for i in range(rank)) + (st[-1],)),
        writeable=False)
    return view.reshape((n,) + out + (math.prod(kernel_size) * c,))


def _col2im(cols, x_shape, kernel_size, strides, dilation, pads):
    n, spatial, c = x_shape[0], tuple(x_shape[1:-1]), x_shape[-1]
    if all(k == 1 for k in kernel_size) and all(s == 1 for s in strides) \
            and not any(lo or hi for lo, hi in pads):
        return np.reshape(cols, x_shape)
    padded = tuple(sz + lo + hi for sz, (lo, hi) in zip(spatial, pads))
    out = tuple(cols.shape[1:-1])
    xp = np.zeros((n,) + padded + (c,), dtype=cols.dtype)
    cv = np.reshape(cols, (n,) + out + tuple(kernel_size) + (c,))
    rank = len(spatial)
    lead = (slice(None),) * (1 + rank)
    for offsets in itertools.product(*(range(k) for k in kernel_size)):
        sl = (slice(None),) + _offset_slices(offsets, dilation, strides, out)
        xp[sl] += cv[lead + offsets]
    if any(lo or hi for lo, hi in pads):
        crop = (slice(None),) + tuple(slice(lo, lo + sz) for (lo, _), sz in zip(pads, spatial))
        xp = xp[crop]
    return xp


@primitive
def im2col(x, kernel_size, strides, dilation, pads):
    """Patches of `x` `(N, *S, C)` as `(N, *out, prod(kernel_size) * C)`.

    The last axis is ordered (kernel offsets..., channel), matching a Keras
    kernel `(*kernel_size, C, filters)` reshaped to `(-1, filters)`.
    """
    return _im2col(x, kernel_size, strides, dilation, pads)


@primitive
def col2im(cols, x_shape, kernel_size, strides, dilation, pads):
    """Adjoint of `im2col`: scatter-add the patches onto an `x_shape` grid."""
    return _col2im(cols, tuple(x_shape), kernel_size, strides, dilation, pads)


defvjp(im2col, lambda ans, x, kernel_size, strides, dilation, pads:
       lambda g: col2im(g, anp.shape(x), kernel_size, strides, dilation, pads))
defvjp(col2im, lambda ans, cols, x_shape, kernel_size, strides, dilation, pads:
       lambda g: im2col(g, kernel_size, strides, dilation, pads))


# ----- the GEMM -------------------------------------------------------------------
@primitive
def conv_matmul(cols, w, b, groups=1, relu=False):
    """`cols @ w + b` over the last axis of `cols`, optionally followed by relu.

    `w` has shape `(..., Cg, F)`: its leading axes flatten to
    `cols.shape[-1] // groups` rows. With `groups > 1` the channel part of
    each column block is split into `groups` blocks that each meet their own
    `F // groups` filters, as in Keras' grouped convolution. `relu=True`
    applies `max(y, 0)` in place (the common `activation="relu"`), saving a
    pass and a node on the tape.
    """
    lead = cols.shape[:-1]
    f = w.shape[-1]
    c2 = np.reshape(cols, (-1, cols.shape[-1]))
    if groups == 1:
        y = np.matmul(c2, np.reshape(w, (-1, f)))
    else:
        y = _grouped_forward(c2, w, groups)
    if b is not None:
        y += b
    if relu:
        np.maximum(y, 0, out=y)
    return np.reshape(y, lead + (f,))


def _grouped_w(w, groups):
    cg, f = w.shape[-2], w.shape[-1]
    wg = anp.reshape(w, (-1, cg, groups, f // groups))
    return anp.reshape(anp.transpose(wg, (2, 0, 1, 3)), (groups, -1, f // groups))


def _split_groups(c2, groups, cg):
    m = anp.shape(c2)[0]
    cv = anp.reshape(c2, (m, -1, groups, cg))               # (M, K, G, Cg)
    return anp.reshape(anp.transpose(cv, (2, 0, 1, 3)), (groups, m, -1))  # (G, M, K*Cg)


def _merge_groups(cg_arr, groups, cg):
    g_, m, kcg = anp.shape(cg_arr)
    cv = anp.reshape(cg_arr, (groups, m, -1, cg))           # (G, M, K, Cg)
    return anp.reshape(anp.transpose(cv, (1, 2, 0, 3)), (m, -1))


def _grouped_forward(c2, w, groups):
    cg = w.shape[-2]
    yg = np.matmul(_split_groups(c2, groups, cg), _grouped_w(w, groups))  # (G, M, Fg)
    return np.reshape(np.transpose(yg, (1, 0, 2)), (c2.shape[0], -1))


def _sum_rows(g2):
    """Column sums of a 2-D gradient as a GEMV (4x faster than `sum(axis=0)`)."""
    ones = np.ones(anp.shape(g2)[0], dtype=getval(g2).dtype)
    return anp.dot(ones, g2)


def _conv_matmul_vjp(argnums, ans, args, kwargs):
    cols, w, b = args[:3]
    groups = args[3] if len(args) > 3 else kwargs.get("groups", 1)
    relu = args[4] if len(args) > 4 else kwargs.get("relu", False)
    f = anp.shape(w)[-1]
    cshape = anp.shape(cols)
    wshape = anp.shape(w)

    def vjp(g):
        if relu:
            g = g * (ans > 0)
        g2 = anp.reshape(g, (-1, f))
        out = []
        if groups == 1:
            w2 = anp.reshape(w, (-1, f))
            for i in argnums:
                if i == 0:
                    out.append(anp.reshape(anp.dot(g2, anp.transpose(w2)), cshape))
                elif i == 1:
                    c2 = anp.reshape(cols, (-1, cshape[-1]))
                    out.append(anp.reshape(anp.dot(anp.transpose(c2), g2), wshape))
                else:
                    out.append(_sum_rows(g2))
            return tuple(out)
        cg = wshape[-2]
        fg = f // groups
        gg = anp.transpose(anp.reshape(g2, (-1, groups, fg)), (1, 0, 2))  # (G, M, Fg)
        for i in argnums:
            if i == 0:
                wg = _grouped_w(w, groups)                               # (G, K*Cg, Fg)
                dc = anp.matmul(gg, anp.transpose(wg, (0, 2, 1)))         # (G, M, K*Cg)
                out.append(anp.reshape(_merge_groups(dc, groups, cg), cshape))
            elif i == 1:
                c2 = anp.reshape(cols, (-1, cshape[-1]))
                cgr = _split_groups(c2, groups, cg)                       # (G, M, K*Cg)
                dw = anp.matmul(anp.transpose(cgr, (0, 2, 1)), gg)        # (G, K*Cg, Fg)
                dw = anp.reshape(dw, (groups, -1, cg, fg))
                out.append(anp.reshape(anp.transpose(dw, (1, 2, 0, 3)), wshape))
            else:
                out.append(_sum_rows(g2))
        return tuple(out)
    return vjp


defvjp_argnums(conv_matmul, _conv_matmul_vjp)


# ----- the fused convolution (the layers' fast path) -----------------------------
# Measured with numpy 2 / OpenBLAS, memory traffic rather than arithmetic
# bounds everything but the GEMMs, so a groups=1 convolution runs in blocks
# of whole images sized to stay in the CPU's L2 cache: for each block, its patch matrix is gathered, multiplied
# by the kernel (with the bias as an extra kernel row against a column of
# ones) and the relu applied while the block is still in cache. The patch
# matrix is never stored: the backward pass gathers each block again, which
# costs less than writing the whole matrix to memory and reading it back
# twice. Backward blocks likewise apply the relu mask, accumulate the kernel
# gradient and scatter the input gradient block by block.
_BLOCK_BYTES = 1 << 22     # working set of one block (patches + outputs)
_OFFSET_GEMM_MIN_C = 16    # from this many input channels, dx is one GEMM per offset


class _ConvRun:
    """A finished convolution forward pass, kept for its backward pass."""
    __slots__ = ("y", "xp", "w2", "x_shape", "pads", "ks", "strides", "dilation",
                 "relu", "has_bias", "out", "block")


def _patch_view(cols, n, out, ks, c):
    """The first `prod(ks) * c` columns of `cols` `(n * prod(out), K)` as
    `(n, *out, *ks, c)`."""
    rs, es = cols.strides
    row_strides = []
    acc = rs
    for d in reversed(tuple(out)):
        row_strides.append(acc)
        acc *= d
    row_strides.append(acc)
    col_strides = [es]
    acc = es * c
    for k in reversed(tuple(ks)):
        col_strides.append(acc)
        acc *= k
    return as_strided(cols, shape=(n,) + tuple(out) + tuple(ks) + (c,),
                      strides=tuple(reversed(row_strides)) + tuple(reversed(col_strides)))


def _fill_patches(dst, x, ks, strides, dilation, out):
    """Copy the patches of (padded) `x` into `dst` `(N, *out, *ks, C)`."""
    c = x.shape[-1]
    rank = len(ks)
    if c <= 4:
        # few channels: one strided copy per kernel offset beats copying the
        # window view, whose innermost run is only `c` long
        lead = (slice(None),) * (1 + rank)
        for offsets in itertools.product(*(range(k) for k in ks)):
            sl = (slice(None),) + _offset_slices(offsets, dilation, strides, out)
            dst[lead + offsets] = x[sl]
        return
    st = x.strides
    view = as_strided(
        x, shape=(x.shape[0],) + tuple(out) + tuple(ks) + (c,),
        strides=((st[0],) + tuple(st[1 + i] * strides[i] for i in range(rank))
                 + tuple(st[1 + i] * dilation[i] for i in range(rank)) + (st[-1],)),
        writeable=False)
    np.copyto(dst, view)


def _blocks(n, rows_per_image, row_bytes):
    """`(start, stop)` image ranges whose rows fit in `_BLOCK_BYTES`."""
    per = max(1, _BLOCK_BYTES // max(1, rows_per_image * row_bytes))
    return [(i, min(i + per, n)) for i in range(0, n, per)]


def _gather(run, cols, i0, i1):
    """Patch matrix of images `[i0, i1)` into the first rows of `cols`."""
    c = run.xp.shape[-1]
    rows = (i1 - i0) * math.prod(run.out)
    blk = cols[:rows]
    _fill_patches(_patch_view(blk, i1 - i0, run.out, run.ks, c), run.xp[i0:i1], run.ks,
                  run.strides, run.dilation, run.out)
    return blk


def _conv_forward(x, kernel, bias, ks, strides, dilation, pads, relu):
    """Raw forward of a groups=1 convolution. Returns a `_ConvRun`."""
    dt = x.dtype
    if any(lo or hi for lo, hi in pads):
        xp = np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
    else:
        xp = x
    n, c, f = x.shape[0], x.shape[-1], kernel.shape[-1]
    k_eff = effective_kernel(ks, dilation)
    out = tuple((sz - k) // s + 1 for sz, k, s in zip(xp.shape[1:-1], k_eff, strides))
    kk = math.prod(ks) * c
    has_bias = bias is not None
    w2 = np.reshape(kernel, (kk, f))
    wb = np.concatenate([w2, np.reshape(bias, (1, f))]) if has_bias else w2
    run = _ConvRun()
    run.xp, run.w2, run.x_shape, run.pads = xp, w2, x.shape, pads
    run.ks, run.strides, run.dilation, run.out = ks, strides, dilation, out
    run.relu, run.has_bias = relu, has_bias
    per_image = math.prod(out)
    run.block = _blocks(n, per_image, (kk + has_bias + f) * dt.itemsize)
    y = np.empty((n * per_image, f), dtype=dt)
    cols = np.empty(((run.block[0][1] - run.block[0][0]) * per_image, kk + has_bias), dtype=dt)
    if has_bias:
        cols[:, kk] = 1
    for i0, i1 in run.block:
        blk = _gather(run, cols, i0, i1)
        yb = y[i0 * per_image:i1 * per_image]
        np.matmul(blk, wb, out=yb)
        if relu:
            np.maximum(yb, 0, out=yb)
    run.y = np.reshape(y, (n,) + out + (f,))
    return run


def _add_dx_block(run, dxp, gm, i0, i1, w3, buf):
    """Scatter-add the input gradient of images `[i0, i1)` from their
    (relu-masked) output gradient `gm` `(rows, F)` into padded `dxp`."""
    c = run.x_shape[-1]
    nb = i1 - i0
    lead = (slice(i0, i1),)
    offsets_list = itertools.product(*(range(k) for k in run.ks))
    if w3 is None:
        # few channels: one GEMM for all patch columns, then their scatter-add
        cv = np.reshape(np.matmul(gm, run.w2.T), (nb,) + run.out + tuple(run.ks) + (c,))
        inner = (slice(None),) * (1 + len(run.ks))
        for offsets in offsets_list:
            dst = dxp[lead + _offset_slices(offsets, run.dilation, run.strides, run.out)]
            np.add(dst, cv[inner + offsets], out=dst)
        return
    # One GEMM per kernel offset, each result contiguous, added into its
    # window of the input grid: numpy adds a contiguous operand several times
    # faster than a column block of the patch matrix.
    buf = buf[:gm.shape[0]]
    b4 = np.reshape(buf, (nb,) + run.out + (c,))
    for o, offsets in enumerate(offsets_list):
        np.matmul(gm, w3[o].T, out=buf)
        dst = dxp[lead + _offset_slices(offsets, run.dilation, run.strides, run.out)]
        np.add(dst, b4, out=dst)


def _conv_backward(run, g, want_x, want_w):
    """(dx, dW with db as its last row if there is a bias) of a groups=1
    convolution, image block by image block."""
    f = run.y.shape[-1]
    g2 = np.reshape(np.asarray(g), (-1, f))
    dt = np.result_type(g2, run.y)
    y2 = np.reshape(run.y, (-1, f))
    per_image = math.prod(run.out)
    kk = run.w2.shape[0]
    k1 = kk + run.has_bias
    c = run.x_shape[-1]
    rows0 = (run.block[0][1] - run.block[0][0]) * per_image
    dxp = dwb = w3 = dxbuf = None
    if want_x:
        dxp = np.zeros(run.xp.shape, dtype=dt)
        if c >= _OFFSET_GEMM_MIN_C:
            w3 = np.reshape(run.w2, (-1, c, f))               # (offsets, C, F)
            dxbuf = np.empty((rows0, c), dtype=dt)
    if want_w:
        dwb = np.zeros((k1, f), dtype=dt)
        part = np.empty((k1, f), dtype=dt)
        cols = np.empty((rows0, k1), dtype=run.xp.dtype)
        if run.has_bias:
            cols[:, kk] = 1
    if run.relu:
        gbuf = np.empty((rows0, f), dtype=dt)
        mbuf = np.empty((rows0, f), dtype=bool)
    for i0, i1 in run.block:
        r0, r1 = i0 * per_image, i1 * per_image
        gm = g2[r0:r1]
        if run.relu:
            mask = np.greater(y2[r0:r1], 0, out=mbuf[:r1 - r0])
            gm = np.multiply(gm, mask, out=gbuf[:r1 - r0])
        if want_w:
            np.matmul(_gather(run, cols, i0, i1).T, gm, out=part)
            dwb += part
        if want_x:
            _add_dx_block(run, dxp, gm, i0, i1, w3, dxbuf)
    if want_x and any(lo or hi for lo, hi in run.pads):
        dxp = dxp[(slice(None),) + tuple(slice(lo, lo + sz) for (lo, _), sz
                                         in zip(run.pads, run.x_shape[1:-1]))]
    return dxp, dwb


@primitive
def _conv_apply(run, x, kernel, bias):
    """Returns the precomputed output; the VJP uses the stored run."""
    return run.y


def _conv_apply_vjp(argnums, ans, args, kwargs):
    run, x, kernel, bias = args

    def vjp(g):
        if isbox(g) or isbox(x) or isbox(kernel) or isbox(bias):
            # differentiating the gradient (nested tapes): take the VJP of
            # the composite graph, whose VJPs are differentiable
            def composite(x_, k_, b_=None):
                cols = im2col(x_, run.ks, run.strides, run.dilation, run.pads)
                return conv_matmul(cols, k_, b_, 1, run.relu)
            inputs = (x, kernel) if bias is None else (x, kernel, bias)
            comp_vjp, _ = make_vjp(composite, argnum=tuple(range(len(inputs))))(*inputs)
            grads = comp_vjp(g)
            return tuple(grads[a - 1] for a in argnums)
        dx, dwb = _conv_backward(run, g, 1 in argnums, 2 in argnums or 3 in argnums)
        kk = run.w2.shape[0]
        out = []
        for a in argnums:
            if a == 1:
                out.append(dx)
            elif a == 2:
                out.append(np.reshape(dwb[:kk], anp.shape(kernel)))
            else:
                out.append(dwb[kk])
        return tuple(out)
    return vjp


defvjp_argnums(_conv_apply, _conv_apply_vjp)


def _fast_path_ok(x, kernel, bias, ks, strides, dilation, pads):
    """Whether the fused primitive applies: one float dtype throughout and a
    non-empty result (anything else takes the composite path)."""
    xv, kv = getval(x), getval(kernel)
    bv = None if bias is None else getval(bias)
    dt = getattr(xv, "dtype", None)
    if dt is None or dt.kind != "f" or getattr(kv, "dtype", None) != dt:
        return False
    if bv is not None and getattr(bv, "dtype", None) != dt:
        return False
    out = _out_shape(xv.shape[1:-1], pads, effective_kernel(ks, dilation), strides)
    return xv.shape[0] > 0 and kv.size > 0 and min(out) > 0


# ----- public helpers used by the layers -------------------------------------------
def conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1, groups=1,
         relu=False):
    """N-d convolution of channels-last `x` with a Keras kernel.

    Args:
        x: `(N, *spatial, C)`.
        kernel: `(*kernel_size, C // groups, F)`.
        bias: `(F,)` or None.
        strides, dilation_rate: ints or tuples, one per spatial axis.
        padding: "valid", "same" or "causal" (1-D only).
        groups: number of channel groups.
        relu: apply `max(., 0)` to the result inside the same primitive.
    """
    rank = len(anp.shape(x)) - 2
    ks = tuple(anp.shape(kernel)[:rank])
    strides = _tuple(strides, rank)
    dilation = _tuple(dilation_rate, rank)
    pads = compute_pads(anp.shape(x)[1:-1], ks, strides, dilation, padding)
    if groups == 1 and _fast_path_ok(x, kernel, bias, ks, strides, dilation, pads):
        traced = isbox(x) or isbox(kernel) or isbox(bias)
        bv = None if bias is None else np.asarray(getval(bias))
        run = _conv_forward(np.asarray(getval(x)), np.asarray(getval(kernel)), bv, ks,
                            strides, dilation, pads, relu)
        if not traced:
            return run.y
        return _conv_apply(run, x, kernel, bias)
    cols = im2col(x, ks, strides, dilation, pads)
    return conv_matmul(cols, kernel, bias, groups, relu)


def depthwise_conv(x, kernel, bias=None, strides=1, padding="valid", dilation_rate=1):
    """Depthwise convolution: kernel `(*kernel_size, C, depth_multiplier)`.

    Output channel `c * depth_multiplier + m` is channel `c` filtered by
    `kernel[..., c, m]`, as in Keras; it is a grouped convolution with one
    group per input channel.
    """
    ks = anp.shape(kernel)
    c, dm = ks[-2], ks[-1]
    k = anp.reshape(kernel, tuple(ks[:-2]) + (1, c * dm))
    return conv(x, k, bias, strides, padding, dilation_rate, groups=c)


def conv_transpose(x, kernel, bias, output_spatial, strides=1, padding="valid",
                   dilation_rate=1):
    """Transposed convolution: the adjoint of `conv` from `output_spatial`.

    Args:
        x: `(N, *in_spatial, Cin)`.
        kernel: Keras' transposed kernel `(*kernel_size, F, Cin)`.
        output_spatial: spatial size of the result.
    """
    rank = len(anp.shape(x)) - 2
    ks = tuple(anp.shape(kernel)[:rank])
    f, cin = anp.shape(kernel)[-2], anp.shape(kernel)[-1]
    strides = _tuple(strides, rank)
    dilation = _tuple(dilation_rate, rank)
    k_eff = effective_kernel(ks, dilation)
    in_spatial = anp.shape(x)[1:-1]
    pads = []
    for n_out, n_in, k, s in zip(output_spatial, in_spatial, k_eff, strides):
        if padding == "valid":
            total = max((n_in - 1) * s + k - n_out, 0)
            pads.append((0, total))
        else:
            total = max((n_in - 1) * s + k - n_out, 0)
            pads.append((total // 2, total - total // 2))
    # kernel (K..., F, Cin) -> (Cin, K*F): columns ordered (offset, filter)
    wt = anp.transpose(anp.reshape(kernel, (-1, cin)))
    cols = conv_matmul(x, wt, None, 1)
    y = col2im(cols, (anp.shape(x)[0],) + tuple(output_spatial) + (f,),
               ks, strides, dilation, tuple(pads))
    if bias is not None:
        y = y + bias
    return y


def _tuple(v, rank):
    if isinstance(v, int):
        return (v,) * rank
    return tuple(int(e) for e in v)
