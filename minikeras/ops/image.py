"""keras.ops.image: resizing, affine/perspective warps, coordinate mapping,
colour conversion, padding/cropping, patches, blurs and SSIM.

Resizing is a product of per-axis weight matrices (TensorFlow's kernels and
half-pixel sampling), and warps gather pixels with constant interpolation
weights, so both are differentiable with respect to the images. The colour
conversions work on plain values (no gradient).
"""
import itertools

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _t, _v, _dtype_of, cast

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")
AFFINE_TRANSFORM_INTERPOLATIONS = ("nearest", "bilinear")
AFFINE_TRANSFORM_FILL_MODES = ("constant", "nearest", "wrap", "reflect")
MAP_COORDINATES_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
SCALE_AND_TRANSLATE_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic",
                               "tricubic", "lanczos3", "lanczos5")


def _plain(x):
    return np.asarray(getval(x))


def _shape(x):
    return np.shape(_plain(x))


def _check_rank(images, name="images"):
    if len(_shape(images)) not in (3, 4):
        raise ValueError(
            f"Invalid {name} rank: expected rank 3 (single image) or rank 4 (batch of "
            f"images). Received input with shape: {name}.shape={_shape(images)}")


def _check_option(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"Invalid value for argument `{name}`. Expected of one {allowed}. "
                         f"Received: {name}={value}")


def _to_last(x, data_format):
    if data_format == "channels_first":
        return anp.moveaxis(x, -3, -1)
    return x


def _from_last(x, data_format):
    if data_format == "channels_first":
        return anp.moveaxis(x, -1, -3)
    return x


def _apply_axis(x, w, axis):
    """Contract `x`'s `axis` (length n) with weights `w` (n, m)."""
    w = w.astype(_dtype_of(x))
    return anp.moveaxis(anp.tensordot(anp.moveaxis(x, axis, -1), w, axes=1), -1, axis)


# ----- interpolation kernels (TensorFlow's) ---------------------------------------------------
def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    x = np.abs(x)
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        x = np.abs(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi ** 2 * x ** 2)
        out = np.where(x > 1e-3, y, 1.0)
        return np.where(x > radius, 0.0, out)
    return kernel


_KERNELS = {"linear": _triangle, "cubic": _keys_cubic,
            "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def _weight_mat(n_in, n_out, scale, translation, kernel, antialias):
    """`(n_in, n_out)` sampling weights of scale-and-translate."""
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(n_out) + 0.5) * inv_scale - translation * inv_scale - 0.5
    x = np.abs(sample[None, :] - np.arange(n_in)[:, None]) / kernel_scale
    w = kernel(x)
    total = np.sum(w, axis=0, keepdims=True)
    w = np.where(np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
                 w / np.where(total != 0, total, 1), 0.0)
    inside = (sample >= -0.5) & (sample <= n_in - 0.5)
    return np.where(inside[None, :], w, 0.0)


def _nearest_mat(n_in, n_out):
    scale = n_in / n_out
    idx = np.minimum(np.floor((np.arange(n_out) + 0.5) * scale).astype(np.int64), n_in - 1)
    w = np.zeros((n_in, n_out))
    w[np.maximum(idx, 0), np.arange(n_out)] = 1.0
    return w


def _bicubic_mat(n_in, n_out):
    """TensorFlow's ResizeBicubic (half-pixel, Keys a=-0.5): the fractional
    offset is quantized to a 1024-entry table, out-of-range taps dropped and
    the rest renormalized."""
    scale = n_in / n_out
    pos = (np.arange(n_out) + 0.5) * scale - 0.5
    base = np.floor(pos).astype(np.int64)
    frac = np.rint((pos - base) * 1024) / 1024
    w = np.zeros((n_in, n_out))
    for j in range(n_out):
        taps = base[j] + np.arange(-1, 3)
        ws = _keys_cubic(np.array([1 + frac[j], frac[j], 1 - frac[j], 2 - frac[j]]))
        ok = (taps >= 0) & (taps < n_in)
        ws = np.where(ok, ws, 0.0)
        total = ws.sum()
        if abs(total) >= 1000.0 * np.finfo(np.float32).tiny:
            ws = ws / total
        for t, v in zip(taps[ok], ws[ok]):
            w[t, j] += v
    return w


def _area_mat(n_in, n_out):
    scale = n_in / n_out
    w = np.zeros((n_in, n_out))
    for j in range(n_out):
        start, end = j * scale, (j + 1) * scale
        for i in range(int(np.floor(start)), int(np.ceil(end))):
            overlap = min(i + 1, end) - max(i, start)
            if overlap > 0:
                w[min(i, n_in - 1), j] += overlap / scale
    return w


def _resize_mats(interpolation, antialias, h, w, th, tw):
    if interpolation == "nearest":
        return _nearest_mat(h, th), _nearest_mat(w, tw)
    if interpolation == "area":
        return _area_mat(h, th), _area_mat(w, tw)
    if interpolation == "bicubic" and not antialias:
        return _bicubic_mat(h, th), _bicubic_mat(w, tw)
    kernel = {"bilinear": "linear", "bicubic": "cubic"}.get(interpolation, interpolation)
    aa = antialias and interpolation != "nearest"
    return (_weight_mat(h, th, th / h, 0.0, _KERNELS[kernel], aa),
            _weight_mat(w, tw, tw / w, 0.0, _KERNELS[kernel], aa))


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resize images to `size = (height, width)`.

    Args:
        interpolation: "bilinear", "nearest", "bicubic", "area", "lanczos3"
            or "lanczos5" (TensorFlow's half-pixel conventions).
        antialias: widen the kernel when downsampling.
        crop_to_aspect_ratio / pad_to_aspect_ratio: first crop (or pad
            with `fill_value`) the centre to the target aspect ratio.
    """
    data_format = config.standardize_data_format(data_format)
    _check_option("interpolation", interpolation, RESIZE_INTERPOLATIONS)
    if fill_mode != "constant":
        raise ValueError(
            "Invalid value for argument `fill_mode`. Only `'constant'` is supported. "
            f"Received: fill_mode={fill_mode}")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.")
    if len(size) != 2:
        raise ValueError(
            f"Argument `size` must be a tuple of two elements (height, width). Received: size={size}")
    images = _t(images)
    _check_rank(images)
    x = _to_last(images, data_format)
    th, tw = int(size[0]), int(size[1])
    h, w = _shape(x)[-3], _shape(x)[-2]
    if crop_to_aspect_ratio:
        ch = max(min(h, int(np.float32(w * th) / tw)), 1)
        cw = max(min(w, int(np.float32(h * tw) / th)), 1)
        hs, ws = int(np.float32(h - ch) / 2), int(np.float32(w - cw) / 2)
        x = x[..., hs:hs + ch, ws:ws + cw, :]
    elif pad_to_aspect_ratio:
        ph = max(h, int(np.float32(w * th) / tw))
        pw = max(w, int(np.float32(h * tw) / th))
        hs, ws = int(np.float32(ph - h) / 2), int(np.float32(pw - w) / 2)
        pads = [(0, 0)] * (len(_shape(x)) - 3) + [(hs, hs), (ws, ws), (0, 0)]
        value = np.asarray(fill_value, _dtype_of(x))
        x = OP.pad_constant(x, np.asarray(pads), value) if _dtype_of(x).kind == "f" else np.pad(
            _plain(x), pads, constant_values=fill_value)
    h, w = _shape(x)[-3], _shape(x)[-2]
    wh, ww = _resize_mats(interpolation, antialias, h, w, th, tw)
    dt = _dtype_of(x)
    if interpolation != "nearest" and dt.kind != "f":
        x = cast(x, "float32")
    elif interpolation != "nearest" and dt.name == "float16":
        x = cast(x, "float32")
    if interpolation == "nearest" and dt.kind != "f":
        ih, iw = np.argmax(wh, axis=0), np.argmax(ww, axis=0)
        out = np.take(np.take(_plain(x), ih, axis=-3), iw, axis=-2)
    else:
        out = _apply_axis(_apply_axis(x, wh, -3), ww, -2)
    return _from_last(out, data_format)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resample `images` on the `spatial_dims` with `scale` and
    `translation` (JAX's `scale_and_translate`)."""
    _check_option("method", method, SCALE_AND_TRANSLATE_METHODS)
    method = {"bilinear": "linear", "trilinear": "linear", "bicubic": "cubic",
              "tricubic": "cubic"}.get(method, method)
    x = _t(images)
    scale = np.asarray(getval(_v(scale)), dtype=np.float64).reshape(-1)
    translation = np.asarray(getval(_v(translation)), dtype=np.float64).reshape(-1)
    is_int = _dtype_of(x).kind in "iub"
    out = cast(x, "float32") if is_int else x
    nd = len(_shape(x))
    for i, d in enumerate(spatial_dims):
        d = d % nd
        w = _weight_mat(_shape(x)[d], int(output_shape[d]), scale[i], translation[i],
                        _KERNELS[method], antialias)
        out = _apply_axis(out, w, d)
    if is_int:
        xv = _plain(x)
        out = np.clip(np.round(_plain(out)), xv.min(), xv.max()).astype(xv.dtype)
    return out


# ----- warps ---------------------------------------------------------------------
def _map_coord(c, n, mode):
    """TensorFlow's ImageProjectiveTransform coordinate mapping."""
    c = c.astype(np.float64)
    if mode == "reflect":
        if n <= 1:
            return np.zeros_like(c)
        sz2 = 2 * n
        lo = c < 0
        cl = np.where(lo & (c < sz2), sz2 * np.trunc(-c / sz2) + c, c)
        cl = np.where(cl < -n, cl + sz2, -cl - 1)
        hi = c > n - 1
        ch = c - sz2 * np.trunc(c / sz2)
        ch = np.where(ch >= n, sz2 - ch - 1, ch)
        c = np.where(lo, cl, np.where(hi, ch, c))
        return np.clip(c, 0, n - 1)
    if mode == "wrap":
        if n <= 1:
            return np.zeros_like(c)
        sz = n - 1
        lo = c < 0
        cl = c + n * (np.trunc(-c / sz) + 1)
        hi = c > n - 1
        ch = c - n * np.trunc(c / sz)
        c = np.where(lo, cl, np.where(hi, ch, c))
        return np.clip(c, 0, n - 1)
    if mode == "nearest":
        return np.clip(c, 0, n - 1)
    return c


def _gather_2d(img, yi, xi, fill):
    """`img (N, H, W, C)` at integer `(N, h, w)` positions; outside gets `fill`."""
    n, h, w, c = _shape(img)
    ok = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
    flat = (np.arange(n)[:, None, None] * h * w + np.clip(yi, 0, h - 1) * w + np.clip(xi, 0, w - 1))
    vals = P.take(anp.reshape(img, (n * h * w, c)), flat.reshape(-1), axis=0)
    vals = anp.reshape(vals, flat.shape + (c,))
    fillv = np.asarray(fill, _dtype_of(img))
    return OP.where(np.broadcast_to(ok[..., None], np.shape(_plain(vals))), vals, fillv)


def _projective(img, transforms, interpolation, fill_mode, fill_value):
    n, h, w, c = _shape(img)
    t = np.asarray(transforms, dtype=np.float32)
    if t.shape[0] == 1 and n > 1:
        t = np.repeat(t, n, axis=0)
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij")
    k = t[:, 6, None, None] * xs + t[:, 7, None, None] * ys + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        xin = (t[:, 0, None, None] * xs + t[:, 1, None, None] * ys + t[:, 2, None, None]) / k
        yin = (t[:, 3, None, None] * xs + t[:, 4, None, None] * ys + t[:, 5, None, None]) / k
    xin, yin = _map_coord(xin, w, fill_mode), _map_coord(yin, h, fill_mode)
    zero_k = np.broadcast_to(k == 0, xin.shape)
    xin, yin = np.where(zero_k, -10.0, xin), np.where(zero_k, -10.0, yin)
    dt = _dtype_of(img)
    if interpolation == "nearest":
        # std::round: half away from zero
        yi = (np.sign(yin) * np.floor(np.abs(yin) + 0.5)).astype(np.int64)
        xi = (np.sign(xin) * np.floor(np.abs(xin) + 0.5)).astype(np.int64)
        return _gather_2d(img, yi, xi, fill_value)
    y0, x0 = np.floor(yin), np.floor(xin)
    wy1, wx1 = (yin - y0).astype(dt)[..., None], (xin - x0).astype(dt)[..., None]
    wy0, wx0 = (1 - (yin - y0)).astype(dt)[..., None], (1 - (xin - x0)).astype(dt)[..., None]
    y0, x0 = y0.astype(np.int64), x0.astype(np.int64)
    top = wx0 * _gather_2d(img, y0, x0, fill_value) + wx1 * _gather_2d(img, y0, x0 + 1, fill_value)
    bot = wx0 * _gather_2d(img, y0 + 1, x0, fill_value) + wx1 * _gather_2d(img, y0 + 1, x0 + 1, fill_value)
    return wy0 * top + wy1 * bot


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Warp images by the projective `transform` `[a0, a1, a2, b0, b1, b2,
    c0, c1]`: output `(x, y)` reads input `((a0 x + a1 y + a2) / k,
    (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`."""
    data_format = config.standardize_data_format(data_format)
    _check_option("interpolation", interpolation, AFFINE_TRANSFORM_INTERPOLATIONS)
    _check_option("fill_mode", fill_mode, AFFINE_TRANSFORM_FILL_MODES)
    images = _t(images)
    _check_rank(images)
    t = _plain(_t(transform))
    if t.ndim not in (1, 2):
        raise ValueError(
            "Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of "
            f"transforms). Received input with shape: transform.shape={t.shape}")
    single = len(_shape(images)) == 3
    x = anp.expand_dims(images, 0) if single else images
    x = _to_last(x, data_format)
    out = _projective(x, t.reshape(-1, 8), interpolation, fill_mode, fill_value)
    out = _from_last(out, data_format)
    return out[0] if single else out


def _homography(start, end):
    """The 8 transform parameters mapping `end` points onto `start` points."""
    mats, rhs = [], []
    for (sx, sy), (ex, ey) in zip(start, end):
        mats.append([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey])
        mats.append([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey])
        rhs.extend([sx, sy])
    return np.linalg.solve(np.asarray(mats, np.float64), np.asarray(rhs, np.float64))


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warp images so that the 4 `start_points` move to `end_points`
    (`(4, 2)` or `(N, 4, 2)` pixel coordinates `(x, y)`)."""
    data_format = config.standardize_data_format(data_format)
    _check_option("interpolation", interpolation, AFFINE_TRANSFORM_INTERPOLATIONS)
    images = _t(images)
    _check_rank(images)
    sp = _plain(_t(start_points)).astype(np.float32)
    ep = _plain(_t(end_points)).astype(np.float32)
    for name, pts in (("start_points", sp), ("end_points", ep)):
        if pts.ndim not in (2, 3) or pts.shape[-2:] != (4, 2):
            raise ValueError(
                f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a "
                f"batch. Received shape: {pts.shape}")
    if sp.shape != ep.shape:
        raise ValueError(
            "start_points and end_points must have the same shape. Received "
            f"start_points.shape={sp.shape}, end_points.shape={ep.shape}")
    sp, ep = sp.reshape(-1, 4, 2), ep.reshape(-1, 4, 2)
    t = np.stack([_homography(s, e) for s, e in zip(sp, ep)]).astype(np.float32)
    single = len(_shape(images)) == 3
    x = anp.expand_dims(images, 0) if single else images
    x = _to_last(x, data_format)
    out = _projective(x, t, interpolation, "constant", fill_value)
    out = _from_last(out, data_format)
    return out[0] if single else out


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Sample `inputs` at `coordinates` (one array per input axis) with
    nearest (`order=0`) or linear (`order=1`) interpolation (scipy's
    `map_coordinates` conventions)."""
    x = _t(inputs)
    coords = [_plain(_t(c)).astype(np.float64) for c in coordinates]
    if len(coords) != len(_shape(x)):
        raise ValueError(
            "First dim of `coordinates` must be the same as the rank of `inputs`. "
            f"Received inputs with shape: {_shape(x)} and coordinate leading dim of {len(coords)}")
    if np.ndim(coords[0]) < 1:
        raise ValueError(
            "Invalid coordinates rank: expected at least rank 2. Received input with shape: "
            f"{np.shape(coordinates)}")
    if fill_mode not in MAP_COORDINATES_FILL_MODES:
        raise ValueError(
            "Invalid value for argument `fill_mode`. Expected one of "
            f"{set(MAP_COORDINATES_FILL_MODES)}. Received: fill_mode={fill_mode}")
    if order not in (0, 1):
        raise NotImplementedError("map_coordinates currently requires order<=1")

    def fix(idx, size):
        if fill_mode == "constant":
            return np.clip(idx, 0, size - 1), (idx >= 0) & (idx < size)
        if fill_mode == "nearest":
            return np.clip(idx, 0, size - 1), np.ones(idx.shape, bool)
        if fill_mode in ("mirror", "reflect"):
            a = np.abs(idx)
            mod = np.mod(a, 2 * size)
            under = mod < size
            c = np.where(under, mod, 2 * size - mod)
            if fill_mode == "reflect":
                c = np.where(~under, c - 1, c)
            return c, np.ones(idx.shape, bool)
        return np.mod(idx, size), np.ones(idx.shape, bool)

    per_axis = []
    for c, size in zip(coords, _shape(x)):
        if order == 0:
            nodes = [(np.round(c).astype(np.int64), np.ones_like(c))]
        else:
            lo = np.floor(c)
            nodes = [(lo.astype(np.int64), 1 - (c - lo)), (lo.astype(np.int64) + 1, c - lo)]
        per_axis.append([fix(i, size) + (w,) for i, w in nodes])
    dt = _dtype_of(x)
    wdt = dt if dt.kind == "f" else np.dtype(config.floatx())
    xf = x if dt.kind == "f" else cast(x, wdt)
    flat = anp.reshape(xf, (-1,))
    strides = np.cumprod((1,) + _shape(x)[::-1][:-1])[::-1]
    out = None
    for items in itertools.product(*per_axis):
        idx = sum(i * s for (i, _, _), s in zip(items, strides))
        vals = P.take(flat, idx.reshape(-1), axis=0)
        vals = anp.reshape(vals, idx.shape)
        if fill_mode == "constant":
            ok = np.logical_and.reduce([v for _, v, _ in items])
            vals = OP.where(ok, vals, np.asarray(fill_value, wdt))
        weight = np.prod([w for _, _, w in items], axis=0).astype(wdt)
        term = vals * weight
        out = term if out is None else out + term
    if dt.kind != "f":
        return np.round(_plain(out)).astype(dt)
    return out


# ----- colour --------------------------------------------------------------------------
def _channel_axis(data_format):
    return -1 if config.standardize_data_format(data_format) == "channels_last" else -3


def rgb_to_grayscale(images, data_format=None):
    """Luma `0.2989 R + 0.5870 G + 0.1140 B` (channel axis kept, size 1)."""
    x = _t(images)
    _check_rank(x)
    ax = _channel_axis(data_format)
    if _shape(x)[ax] not in (1, 3):
        raise ValueError(
            "Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with "
            f"shape: images.shape={_shape(x)}")
    if _shape(x)[ax] == 1:
        return x
    dt = _dtype_of(x)
    xf = x if dt.kind == "f" else cast(x, config.floatx())
    wts = np.asarray([0.2989, 0.5870, 0.1140], dtype=_dtype_of(xf))
    g = anp.expand_dims(anp.tensordot(anp.moveaxis(xf, ax, -1), wts, axes=1), ax)
    return g if dt.kind == "f" else _plain(g).astype(dt)


def _check_float_images(x):
    _check_rank(x)
    if _dtype_of(x).kind != "f":
        raise ValueError(f"Invalid images dtype: expected float dtype. Received: images.dtype={_dtype_of(x)}")


def rgb_to_hsv(images, data_format=None):
    """RGB in [0, 1] to HSV in [0, 1] (TensorFlow's formulas; no gradient)."""
    x = _t(images)
    _check_float_images(x)
    v = np.moveaxis(_plain(x), _channel_axis(data_format), -1)
    r, g, b = v[..., 0], v[..., 1], v[..., 2]
    vv = np.max(v, axis=-1)
    rng = vv - np.min(v, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(vv > 0, rng / np.where(vv > 0, vv, 1), 0)
        norm = 1.0 / (6.0 * rng)
        h = np.where(r == vv, norm * (g - b),
                     np.where(g == vv, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0))
    h = np.where(rng <= 0, 0.0, h)
    h = np.where(h < 0, h + 1, h)
    out = np.stack([h, s, vv], axis=-1).astype(v.dtype)
    return np.moveaxis(out, -1, _channel_axis(data_format))


def hsv_to_rgb(images, data_format=None):
    """HSV in [0, 1] to RGB (TensorFlow's formulas; no gradient)."""
    x = _t(images)
    _check_float_images(x)
    v = np.moveaxis(_plain(x), _channel_axis(data_format), -1)
    h, s, val = v[..., 0], v[..., 1], v[..., 2]
    c = val * s
    m = val - c
    dh = h * 6
    cat = np.floor(dh).astype(np.int64)
    fm = np.mod(dh, 2)
    xx = c * (1 - np.abs(fm - 1))
    zero = np.zeros_like(c)
    table = {0: (c, xx, zero), 1: (xx, c, zero), 2: (zero, c, xx),
             3: (zero, xx, c), 4: (xx, zero, c), 5: (c, zero, xx)}
    rgb = [np.zeros_like(c) for _ in range(3)]
    for k, comps in table.items():
        sel = cat == k
        for i in range(3):
            rgb[i] = np.where(sel, comps[i], rgb[i])
    out = np.stack([rgb[0] + m, rgb[1] + m, rgb[2] + m], axis=-1).astype(v.dtype)
    return np.moveaxis(out, -1, _channel_axis(data_format))


# ----- padding and cropping ------------------------------------------------------------------
def _check_sides(x, data_format, kind, top, bottom, target_height, left, right, target_width):
    """Checks of `pad_images`/`crop_images` (`kind` is "padding" or "cropping"):
    rank-3 or rank-4 images and exactly two of each side/side/target triple.
    Returns the images' `(height, width)`."""
    sh = _shape(x)
    if len(sh) not in (3, 4):
        raise ValueError(
            "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). "
            f"Received: images.shape={sh}")
    sides = (("top", "bottom", "target_height", top, bottom, target_height),
             ("left", "right", "target_width", left, right, target_width))
    for first, second, target, *values in sides:
        if values.count(None) != 1:
            a, b = f"{first}_{kind}", f"{second}_{kind}"
            raise ValueError(
                f"Must specify exactly two of {a}, {b}, {target}. "
                f"Received: {a}={values[0]}, {b}={values[1]}, {target}={values[2]}")
    return (sh[-3], sh[-2]) if data_format == "channels_last" else (sh[-2], sh[-1])


def _check_non_negative(**values):
    for name, val in values.items():
        if val < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={val}")


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Zero-pad images on each side (or up to `target_height/width`)."""
    data_format = config.standardize_data_format(data_format)
    x = _t(images)
    h, w = _check_sides(x, data_format, "padding", top_padding, bottom_padding, target_height,
                        left_padding, right_padding, target_width)
    sh = _shape(x)
    if top_padding is None:
        top_padding = target_height - bottom_padding - h
    if bottom_padding is None:
        bottom_padding = target_height - top_padding - h
    if left_padding is None:
        left_padding = target_width - right_padding - w
    if right_padding is None:
        right_padding = target_width - left_padding - w
    _check_non_negative(top_padding=top_padding, left_padding=left_padding,
                        right_padding=right_padding, bottom_padding=bottom_padding)
    pw = [[top_padding, bottom_padding], [left_padding, right_padding]]
    pw = pw + [[0, 0]] if data_format == "channels_last" else [[0, 0]] + pw
    if len(sh) == 4:
        pw = [[0, 0]] + pw
    from minikeras.ops.array_ops import pad
    return pad(x, pw)


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crop images on each side (or down to `target_height/width`)."""
    data_format = config.standardize_data_format(data_format)
    x = _t(images)
    h, w = _check_sides(x, data_format, "cropping", top_cropping, bottom_cropping,
                        target_height, left_cropping, right_cropping, target_width)
    if top_cropping is None:
        top_cropping = h - target_height - bottom_cropping
    if target_height is None:
        target_height = h - bottom_cropping - top_cropping
    if left_cropping is None:
        left_cropping = w - target_width - right_cropping
    if target_width is None:
        target_width = w - right_cropping - left_cropping
    _check_non_negative(top_cropping=top_cropping, target_height=target_height,
                        left_cropping=left_cropping, target_width=target_width)
    hs = slice(top_cropping, top_cropping + target_height)
    ws = slice(left_cropping, left_cropping + target_width)
    key = (Ellipsis, hs, ws, slice(None)) if data_format == "channels_last" else (Ellipsis, hs, ws)
    return x[key]


# ----- patches, filters, similarity ------------------------------------------------------------
def _identity_patch_conv(x, size, strides, dilation_rate, padding, data_format, rank):
    from minikeras.ops.nn_conv import conv
    data_format = config.standardize_data_format(data_format)
    c = _shape(x)[-1] if data_format == "channels_last" else _shape(x)[-rank - 1]
    out_dim = int(np.prod(size)) * c
    kernel = np.eye(out_dim, dtype=_dtype_of(x)).reshape(tuple(size) + (c, out_dim))
    single = len(_shape(x)) == rank + 1
    if single:
        x = anp.expand_dims(x, 0)
    y = conv(x, kernel, strides=strides, padding=padding, data_format=data_format,
             dilation_rate=dilation_rate)
    return y[0] if single else y


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Patches of `size` (2-D, or 3-D for volumes) flattened into channels."""
    x = _f(images)
    if not isinstance(size, int) and len(size) == 3:
        return extract_patches_3d(x, size, strides, dilation_rate, padding, data_format)
    if isinstance(size, int):
        size = (size, size)
    elif len(size) != 2:
        raise TypeError(
            f"Invalid `size` argument. Expected an int or a tuple of length 2. Received: size={size}")
    if not strides:
        strides = size
    return _identity_patch_conv(x, tuple(size), strides, dilation_rate, padding, data_format, 2)


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """3-D patches of `size` flattened into channels."""
    x = _f(volumes)
    if isinstance(size, int):
        size = (size, size, size)
    elif len(size) != 3:
        raise TypeError(
            f"Invalid `size` argument. Expected an int or a tuple of length 3. Received: size={size}")
    if strides is None:
        strides = size
    if isinstance(strides, int):
        strides = (strides,) * 3
    if len(strides) != 3:
        raise ValueError(f"Invalid `strides` argument. Got: {strides}")
    return _identity_patch_conv(x, tuple(size), strides, dilation_rate, padding, data_format, 3)


def _gauss1d(n, sigma):
    x = np.arange(n, dtype=np.float64) - (n - 1) / 2
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Blur each channel with a Gaussian of `kernel_size` and `sigma`
    ("same" zero padding)."""
    from minikeras.ops.nn_conv import depthwise_conv
    x = _f(images)
    _check_rank(x)
    data_format = config.standardize_data_format(data_format)
    ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    sg = (sigma, sigma) if isinstance(sigma, (int, float)) else tuple(sigma)
    single = len(_shape(x)) == 3
    if single:
        x = anp.expand_dims(x, 0)
    x = _to_last(x, data_format)
    c = _shape(x)[-1]
    # Keras builds outer(g_y, g_x) of shape (ks[1], ks[0]) and *reshapes* it
    # to (ks[0], ks[1]); identical for square kernels, kept for parity.
    k2 = np.outer(_gauss1d(ks[1], sg[1]), _gauss1d(ks[0], sg[0]))
    kernel = np.tile(k2.reshape(ks[0], ks[1], 1, 1), (1, 1, c, 1)).astype(_dtype_of(x))
    y = depthwise_conv(x, kernel, strides=1, padding="same", data_format="channels_last")
    y = _from_last(y, data_format)
    return y[0] if single else y


def sobel_edges(images, data_format=None):
    """Sobel `(dy, dx)` edge maps: `(..., channels, 2)` (reflect padding)."""
    from minikeras.ops.array_ops import pad
    from minikeras.ops.nn_conv import depthwise_conv
    x = _f(images)
    data_format = config.standardize_data_format(data_format)
    x = _to_last(x, data_format)
    n, h, w, c = _shape(x)
    kernels = np.array([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
                        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]], dtype=_dtype_of(x))
    kernels = np.transpose(kernels, (1, 2, 0))[:, :, None, :]
    kernels = np.tile(kernels, (1, 1, c, 1))
    padded = pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="reflect")
    y = depthwise_conv(padded, kernels, strides=1, padding="valid", data_format="channels_last")
    y = anp.reshape(y, (n, h, w, c, 2))
    if data_format == "channels_first":
        y = anp.transpose(y, (0, 3, 1, 2, 4))
    return y


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Random elastic distortion: Gaussian-smoothed random displacements
    scaled by `alpha`, resampled with `map_coordinates`."""
    from minikeras.backend.random import rng_from_seed
    data_format = config.standardize_data_format(data_format)
    _check_option("interpolation", interpolation, AFFINE_TRANSFORM_INTERPOLATIONS)
    _check_option("fill_mode", fill_mode, AFFINE_TRANSFORM_FILL_MODES)
    x = _f(images)
    _check_rank(x)
    single = len(_shape(x)) == 3
    if single:
        x = anp.expand_dims(x, 0)
    x = _to_last(x, data_format)
    n, h, w, c = _shape(x)
    dt = _dtype_of(x)
    rng = rng_from_seed(seed)
    ksize = int(6 * int(sigma)) | 1
    dx = rng.standard_normal((n, h, w, 1)).astype(dt) * dt.type(sigma)
    dy = rng.standard_normal((n, h, w, 1)).astype(dt) * dt.type(sigma)
    dx = _plain(gaussian_blur(dx, (ksize, ksize), (sigma, sigma)))[..., 0]
    dy = _plain(gaussian_blur(dy, (ksize, ksize), (sigma, sigma)))[..., 0]
    xs, ys = np.meshgrid(np.arange(w, dtype=dt), np.arange(h, dtype=dt), indexing="xy")
    order = AFFINE_TRANSFORM_INTERPOLATIONS.index(interpolation)
    outs = []
    for b in range(n):
        chans = [map_coordinates(x[b, :, :, i], [ys + alpha * dy[b], xs + alpha * dx[b]],
                                 order=order, fill_mode=fill_mode, fill_value=fill_value)
                 for i in range(c)]
        outs.append(anp.stack(chans, axis=-1))
    y = _from_last(anp.stack(outs), data_format)
    return y[0] if single else y


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity of two images (Gaussian window, "valid")."""
    from minikeras.ops.nn_conv import conv
    a, b = _f(image1), _f(image2)
    _check_rank(a, "image1")
    _check_rank(b, "image2")
    data_format = config.standardize_data_format(data_format)
    single = len(_shape(a)) == 3
    if single:
        a, b = anp.expand_dims(a, 0), anp.expand_dims(b, 0)
    a, b = _to_last(a, data_format), _to_last(b, data_format)
    n, h, w, c = _shape(a)
    dt = _dtype_of(a)
    g = _gauss1d(filter_size, filter_sigma)
    kernel = np.outer(g, g).reshape(filter_size, filter_size, 1, 1).astype(dt)
    a = anp.reshape(anp.transpose(a, (0, 3, 1, 2)), (-1, h, w, 1))
    b = anp.reshape(anp.transpose(b, (0, 3, 1, 2)), (-1, h, w, 1))

    def blur(t):
        return conv(t, kernel, strides=1, padding="valid", data_format="channels_last")
    c1, c2 = dt.type((k1 * max_val) ** 2), dt.type((k2 * max_val) ** 2)
    mu1, mu2 = blur(a), blur(b)
    s11 = blur(a * a) - mu1 * mu1
    s22 = blur(b * b) - mu2 * mu2
    s12 = blur(a * b) - mu1 * mu2
    num = (2.0 * mu1 * mu2 + c1) * (2.0 * s12 + c2)
    den = (mu1 * mu1 + mu2 * mu2 + c1) * (s11 + s22 + c2)
    from minikeras.ops.reductions import mean
    per = anp.reshape(mean(num / den, axis=(1, 2, 3)), (n, c))
    out = mean(per, axis=-1)
    return out[0] if single else out
