"""Image resizing and affine warps with TensorFlow's sampling rules.

* `resize`: `tf.image.resize` without antialiasing (half-pixel centers).
  'bilinear' and 'nearest' are separable, so a resize is two small
  interpolation matrices applied along height and width; it is
  differentiable through `autograd.numpy.tensordot`.
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

RESIZE_INTERPOLATIONS = ("bilinear", "nearest")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


# ----- resize -----------------------------------------------------------------------
def _interp_matrix(in_size, out_size, interpolation, dtype):
    """`(out_size, in_size)` matrix that resamples one axis like TF."""
    scale = np.float32(in_size) / np.float32(out_size)
    o = np.arange(out_size, dtype=np.float32)
    m = np.zeros((out_size, in_size), dtype=dtype)
    rows = np.arange(out_size)
    if interpolation == "nearest":
        src = np.floor((o + np.float32(0.5)) * scale).astype(np.int64)
        src = np.clip(src, 0, in_size - 1)
        m[rows, src] = 1
        return m
    src = (o + np.float32(0.5)) * scale - np.float32(0.5)
    floor = np.floor(src)
    lerp = (src - floor).astype(dtype)
    lower = np.clip(floor.astype(np.int64), 0, in_size - 1)
    upper = np.clip(np.ceil(src).astype(np.int64), 0, in_size - 1)
    np.add.at(m, (rows, lower), 1 - lerp)
    np.add.at(m, (rows, upper), lerp)
    return m


def resize(images, size, interpolation="bilinear", crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_value=0.0):
    """Resize channels-last `images` (rank 3 or 4) to `size = (height, width)`."""
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise NotImplementedError(
            f"Resizing with interpolation={interpolation!r} is not supported by minikeras; "
            f"use one of {RESIZE_INTERPOLATIONS}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
                         "`True`.")
    single = anp.ndim(images) == 3
    if single:
        images = anp.expand_dims(images, 0)
    if anp.ndim(images) != 4:
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 "
                         f"(batch of images). Received input with shape: "
                         f"images.shape={anp.shape(images)}")
    th, tw = int(size[0]), int(size[1])
    h, w = anp.shape(images)[1:3]
    if crop_to_aspect_ratio:
        ch = max(min(h, int(np.float32(w * th) / np.float32(tw))), 1)
        cw = max(min(w, int(np.float32(h * tw) / np.float32(th))), 1)
        hs, ws = int(np.float32(h - ch) / 2), int(np.float32(w - cw) / 2)
        images = images[:, hs:hs + ch, ws:ws + cw, :]
    elif pad_to_aspect_ratio:
        ph = max(h, int(np.float32(w * th) / np.float32(tw)))
        pw = max(w, int(np.float32(h * tw) / np.float32(th)))
        hs, ws = int(np.float32(ph - h) / 2), int(np.float32(pw - w) / 2)
        pad = ((0, 0), (hs, hs), (ws, ws), (0, 0))
        if hs or ws:
            images = anp.pad(images, pad, mode="constant", constant_values=fill_value)
    h, w = anp.shape(images)[1:3]
    dtype = getval(images).dtype
    if dtype.kind != "f":
        images, dtype = np.asarray(images, dtype=np.float32), np.dtype(np.float32)
    if (h, w) != (th, tw):
        mh = _interp_matrix(h, th, interpolation, dtype)
        mw = _interp_matrix(w, tw, interpolation, dtype)
        y = anp.transpose(anp.tensordot(mh, images, axes=([1], [1])), (1, 0, 2, 3))
        images = anp.transpose(anp.tensordot(mw, y, axes=([1], [2])), (1, 2, 0, 3))
    return images[0] if single else images


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
