"""Affine warps with TensorFlow's sampling rules (resizing is
`keras.ops.image.resize`, which the layers call).

* `affine_transform`: `ImageProjectiveTransformV3` (what Keras 3 uses for
  RandomRotation/Zoom/Translation): every output pixel `(x, y)` reads the
  input at `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with
  `k = c0 x + c1 y + 1`, folds out-of-range coordinates by the fill mode
  (reflect, wrap, nearest, constant) and interpolates (nearest or
  bilinear, taps outside the image read `fill_value`). It is linear in the
  image; its VJP scatters the gradient back onto the taps.

All functions take channels-last batches `(batch, height, width, channels)`.
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp
from autograd.tracer import getval

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


# ----- affine / projective transform ---------------------------------------------------
def _trunc(v):
    return np.trunc(v)


def _map_coordinate(c, n, mode):
    """Fold float32 coordinates `c` into `[0, n - 1]` as TensorFlow does."""
    c = c.astype(np.float32, copy=True)
    if mode == "constant":
        return c
    if n <= 1:
        return np.zeros_like(c)
    # the two branches are exclusive (if / else if), so both masks come first
    lo, hi = c < 0, c > n - 1
    if mode == "reflect":
        sz2 = np.float32(2 * n)
        v = c[lo]
        v = sz2 * _trunc(-v / sz2) + v
        c[lo] = np.where(v < -n, v + sz2, -v - 1)
        v = c[hi]
        v = v - sz2 * _trunc(v / sz2)
        c[hi] = np.where(v >= n, sz2 - v - 1, v)
    elif mode == "wrap":
        sz = np.float32(n - 1)
        c[lo] = c[lo] + n * (_trunc(-c[lo] / sz) + 1)
        c[hi] = c[hi] - n * _trunc(c[hi] / sz)
    return np.clip(c, 0, np.float32(n - 1))


def _round_half_away(v):
    return np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))


def _taps(transforms, h, w, interpolation, fill_mode):
    """Flat source indices `(B, H*W, T)`, weights, and in-bounds flags."""
    t = np.asarray(transforms, dtype=np.float32).reshape(-1, 8)
    yy, xx = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32),
                         indexing="ij")
    xx, yy = xx.reshape(1, -1), yy.reshape(1, -1)
    a = [t[:, i:i + 1] for i in range(8)]
    k = a[6] * xx + a[7] * yy + np.float32(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        in_x = (a[0] * xx + a[1] * yy + a[2]) / k
        in_y = (a[3] * xx + a[4] * yy + a[5]) / k
    in_x = _map_coordinate(in_x, w, fill_mode)
    in_y = _map_coordinate(in_y, h, fill_mode)
    if interpolation == "nearest":
        ys = [_round_half_away(in_y)]
        xs = [_round_half_away(in_x)]
        weights = [np.ones_like(in_x)]
    else:
        yf, xf = np.floor(in_y), np.floor(in_x)
        yc, xc = yf + 1, xf + 1
        ys = [yf, yf, yc, yc]
        xs = [xf, xc, xf, xc]
        weights = [(yc - in_y) * (xc - in_x), (yc - in_y) * (in_x - xf),
                   (in_y - yf) * (xc - in_x), (in_y - yf) * (in_x - xf)]
    ys = np.stack(ys, -1)
    xs = np.stack(xs, -1)
    wts = np.stack(weights, -1)
    valid = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w) & (k[..., None] != 0)
    idx = (np.clip(ys, 0, h - 1) * w + np.clip(xs, 0, w - 1)).astype(np.int64)
    return idx, wts, valid


@primitive
def _warp(images, idx, wts, valid, fill_value):
    b, h, w, c = images.shape
    flat = images.reshape(b, h * w, c)
    bi = np.arange(b)[:, None, None]
    taps = flat[bi, idx]                                   # (B, P, T, C)
    wv = np.where(valid, wts, 0).astype(images.dtype)[..., None]
    out = np.sum(taps * wv, axis=2)
    if fill_value != 0:
        wf = np.sum(np.where(valid, 0, wts), axis=-1).astype(images.dtype)[..., None]
        out = out + wf * np.asarray(fill_value, dtype=images.dtype)
    return out.reshape(b, h, w, c)


def _warp_vjp(ans, images, idx, wts, valid, fill_value):
    def vjp(g):
        b, h, w, c = images.shape
        g = np.asarray(g).reshape(b, h * w, 1, c)
        wv = np.where(valid, wts, 0).astype(g.dtype)[..., None]
        contrib = (g * wv).reshape(b, -1, c)
        flat_idx = (idx + (np.arange(b) * h * w)[:, None, None]).reshape(-1)
        dx = np.zeros((b * h * w, c), dtype=g.dtype)
        np.add.at(dx, flat_idx, contrib.reshape(-1, c))
        return dx.reshape(b, h, w, c)
    return vjp


defvjp(_warp, _warp_vjp)


def affine_transform(images, transforms, interpolation="bilinear", fill_mode="constant",
                     fill_value=0.0):
    """Warp a channels-last batch with one 8-parameter transform per image."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"('nearest', 'bilinear'). Received: interpolation={interpolation}")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"Invalid value for argument `fill_mode`. Expected of one "
                         f"{FILL_MODES}. Received: fill_mode={fill_mode}")
    h, w = anp.shape(images)[1:3]
    idx, wts, valid = _taps(transforms, h, w, interpolation, fill_mode)
    return _warp(images, idx, wts, valid, float(fill_value))
