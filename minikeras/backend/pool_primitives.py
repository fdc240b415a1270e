"""Max and average pooling as autograd primitives with hand-written VJPs.

Inputs are channels-last `(batch, *spatial, channels)` with 1 to 3 spatial
axes. Both forward and backward loop over the window offsets (4 for a 2x2
pool) and do whole-array work for each, never a Python loop over pixels.

'same' padding follows TensorFlow: padded cells never win a max and are not
counted in an average. The max-pool gradient goes to the first maximum of
each window in row-major order, as TensorFlow's CPU kernel routes it.

The VJPs are plain numpy. When an outer trace records a backward pass (a
gradient penalty differentiates a critic's input gradient), the incoming
gradient is a box: the VJPs then run as primitives linear in that gradient,
whose own VJPs are the adjoint maps (average pooling itself; for max pooling,
reading each window's routed cell), so second derivatives are exact. The
routing is piecewise constant in `x`, so nothing flows back to `x` from there.
"""
import itertools
import math

import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp
from autograd.tracer import getval, isbox

from minikeras.backend.conv_primitives import compute_pads


def pool_pads(spatial, pool_size, strides, padding):
    return compute_pads(spatial, pool_size, strides, (1,) * len(pool_size), padding)


def _out(padded, pool_size, strides):
    return tuple((n - k) // s + 1 for n, k, s in zip(padded, pool_size, strides))


def _slices(offsets, strides, out):
    return (slice(None),) + tuple(slice(o, o + s * (n - 1) + 1, s)
                                  for o, s, n in zip(offsets, strides, out)) + (slice(None),)


def _pad(x, pads, value):
    if not any(lo or hi for lo, hi in pads):
        return x
    return np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), constant_values=value)


def _crop(xp, pads, spatial):
    if not any(lo or hi for lo, hi in pads):
        return xp
    return xp[(slice(None),) + tuple(slice(lo, lo + n) for (lo, _), n in zip(pads, spatial))]


def _non_overlapping(x, pool_size, strides, pads):
    """True when windows tile the input without overlap (the common 2x2/2
    case); trailing cells that no window reaches are ignored."""
    return tuple(pool_size) == tuple(strides) and not any(lo or hi for lo, hi in pads)


@primitive
def max_pool(x, pool_size, strides, pads):
    """Max over windows of `pool_size` moved by `strides` on channels-last `x`."""
    floor = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = _pad(x, pads, floor)
    out = _out(xp.shape[1:-1], pool_size, strides)
    offsets_list = list(itertools.product(*(range(k) for k in pool_size)))
    if len(offsets_list) == 1:
        return xp[_slices(offsets_list[0], strides, out)].copy()
    m = np.empty((xp.shape[0],) + tuple(out) + (xp.shape[-1],), dtype=xp.dtype)
    for i0, i1 in _image_blocks(xp):
        xb, mb = xp[i0:i1], m[i0:i1]
        views = [xb[_slices(offsets, strides, out)] for offsets in offsets_list]
        np.maximum(views[0], views[1], out=mb)
        for v in views[2:]:
            np.maximum(mb, v, out=mb)
    return m


def _image_blocks(x):
    """`(start, stop)` ranges of images whose slice of `x` is about
    `_BLOCK_BYTES`: the several passes over a block's windows then hit the
    CPU cache instead of memory."""
    per = max(1, _BLOCK_BYTES // max(1, x[0].nbytes))
    return [(i, min(i + per, x.shape[0])) for i in range(0, x.shape[0], per)]


_BLOCK_BYTES = 1 << 19


def _max_pool_vjp(ans, x, pool_size, strides, pads):
    x, ans = getval(x), getval(ans)

    def vjp(g):
        if isbox(g):
            return _max_pool_backward(g, x, ans, pool_size, strides, pads)
        return _max_pool_backward_raw(g, x, ans, pool_size, strides, pads)
    return vjp


def _max_pool_backward_raw(g, x, ans, pool_size, strides, pads):
    g = np.asarray(g)
    floor = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = _pad(x, pads, floor)
    out = ans.shape[1:-1]
    # windows that do not overlap write their cells once: assign, not add
    disjoint = all(s >= k for s, k in zip(strides, pool_size))
    tiled = disjoint and tuple(strides) == tuple(pool_size) and all(
        o * k == n for o, k, n in zip(out, pool_size, xp.shape[1:-1]))
    dxp = np.empty(xp.shape, dtype=g.dtype) if tiled else np.zeros(xp.shape, dtype=g.dtype)
    offsets_list = list(itertools.product(*(range(k) for k in pool_size)))
    blocks = _image_blocks(xp)
    bshape = (blocks[0][1] - blocks[0][0],) + tuple(ans.shape[1:])
    hit_buf = np.empty(bshape, dtype=bool)
    rem_buf = np.empty(bshape, dtype=bool)
    for i0, i1 in blocks:
        xb, ab, gb, db = xp[i0:i1], ans[i0:i1], g[i0:i1], dxp[i0:i1]
        hit, remaining = hit_buf[:i1 - i0], rem_buf[:i1 - i0]
        # route each window's gradient to its first maximum in order
        for n, offsets in enumerate(offsets_list):
            sl = _slices(offsets, strides, out)
            if n == len(offsets_list) - 1 and n > 0:
                h = remaining  # every window has its maximum somewhere
            else:
                h = np.equal(xb[sl], ab, out=hit)
                if n == 0:
                    np.logical_not(h, out=remaining)
                else:
                    h &= remaining
                    remaining ^= h
            if disjoint:
                np.multiply(gb, h, out=db[sl])
            else:
                db[sl] += gb * h
    return _crop(dxp, pads, x.shape[1:-1])


def _max_pool_pick(gx, x, ans, pool_size, strides, pads):
    """The adjoint of the max-pool backward: each window's value of `gx` at
    the cell its gradient is routed to (the first maximum)."""
    floor = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = _pad(x, pads, floor)
    gp = _pad(np.asarray(gx), pads, 0)
    out = ans.shape[1:-1]
    picked = np.zeros(ans.shape, dtype=gp.dtype)
    remaining = np.ones(ans.shape, dtype=bool)
    for offsets in itertools.product(*(range(k) for k in pool_size)):
        sl = _slices(offsets, strides, out)
        hit = (xp[sl] == ans) & remaining
        remaining &= ~hit
        picked += gp[sl] * hit
    return picked


_max_pool_backward = primitive(_max_pool_backward_raw)
defvjp(_max_pool_backward,
       lambda ans_, g, x, ans, pool_size, strides, pads:
       lambda gx: _max_pool_pick(gx, x, ans, pool_size, strides, pads))
defvjp(max_pool, _max_pool_vjp)


def _window_counts(spatial, pool_size, strides, pads, dtype):
    """How many real (unpadded) cells each output window covers."""
    counts = None
    rank = len(spatial)
    for axis, (n, k, s, (lo, hi)) in enumerate(zip(spatial, pool_size, strides, pads)):
        o = (n + lo + hi - k) // s + 1
        start = np.arange(o) * s - lo
        c = np.minimum(start + k, n) - np.maximum(start, 0)
        shape = [1] * (rank + 2)
        shape[axis + 1] = o
        c = c.reshape(shape).astype(dtype)
        counts = c if counts is None else counts * c
    return counts


@primitive
def avg_pool(x, pool_size, strides, pads):
    """Mean over windows; padded cells are excluded from the count ('same')."""
    xp = _pad(x, pads, 0)
    out = _out(xp.shape[1:-1], pool_size, strides)
    acc = None
    for offsets in itertools.product(*(range(k) for k in pool_size)):
        sl = xp[_slices(offsets, strides, out)]
        acc = sl.astype(x.dtype, copy=True) if acc is None else np.add(acc, sl, out=acc)
    return acc / _window_counts(x.shape[1:-1], pool_size, strides, pads, x.dtype)


def _avg_pool_vjp(ans, x, pool_size, strides, pads):
    x, ans = getval(x), getval(ans)

    def vjp(g):
        if isbox(g):
            return _avg_pool_backward(g, x, ans, pool_size, strides, pads)
        return _avg_pool_backward_raw(g, x, ans, pool_size, strides, pads)
    return vjp


def _avg_pool_backward_raw(g, x, ans, pool_size, strides, pads):
    g = np.asarray(g)
    if _non_overlapping(x, pool_size, strides, pads):
        share = g / np.asarray(math.prod(pool_size), dtype=g.dtype)
        shape = [x.shape[0]]
        for o, k in zip(ans.shape[1:-1], pool_size):
            shape += [o, 1]
        shape.append(x.shape[-1])
        full = [x.shape[0]]
        for o, k in zip(ans.shape[1:-1], pool_size):
            full += [o, k]
        full.append(x.shape[-1])
        tiled = np.broadcast_to(share.reshape(shape), full)
        covered = tuple(o * k for o, k in zip(ans.shape[1:-1], pool_size))
        tiled = tiled.reshape((x.shape[0],) + covered + (x.shape[-1],))
        if covered == tuple(x.shape[1:-1]):
            return np.ascontiguousarray(tiled)
        dx = np.zeros(x.shape, dtype=g.dtype)
        dx[(slice(None),) + tuple(slice(0, c) for c in covered)] = tiled
        return dx
    share = g / _window_counts(x.shape[1:-1], pool_size, strides, pads, g.dtype)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], pads))
    dxp = np.zeros((x.shape[0],) + padded + (x.shape[-1],), dtype=g.dtype)
    out = ans.shape[1:-1]
    for offsets in itertools.product(*(range(k) for k in pool_size)):
        dxp[_slices(offsets, strides, out)] += share
    return _crop(dxp, pads, x.shape[1:-1])


# Linear in `g`; its adjoint is average pooling itself.
_avg_pool_backward = primitive(_avg_pool_backward_raw)
defvjp(_avg_pool_backward,
       lambda ans_, g, x, ans, pool_size, strides, pads:
       lambda gx: avg_pool(gx, pool_size, strides, pads))
defvjp(avg_pool, _avg_pool_vjp)


@primitive
def reduce_max(x, axes, keepdims=False):
    """Max over `axes` (global max pooling); float32 gradients stay float32."""
    return np.max(x, axis=axes, keepdims=keepdims)


def _reduce_max_vjp(ans, x, axes, keepdims=False):
    x, ans = getval(x), getval(ans)

    def vjp(g):
        m = ans if keepdims else np.expand_dims(ans, axes)
        hit = x == m
        # ties share the gradient equally, as TensorFlow's reduce_max does
        count = np.sum(hit, axis=axes, keepdims=True).astype(np.asarray(getval(g)).dtype)
        if isbox(g):  # an outer trace records this: autograd.numpy, linear in g
            gk = g if keepdims else anp.expand_dims(g, axes)
            return anp.where(hit, gk / count, np.zeros((), dtype=count.dtype))
        g = np.asarray(g)
        gk = g if keepdims else np.expand_dims(g, axes)
        return np.where(hit, gk / count, np.zeros((), dtype=g.dtype))
    return vjp


defvjp(reduce_max, _reduce_max_vjp)
