"""Affine warps of images in numpy, matching `scipy.ndimage.affine_transform`.

Keras's `ImageDataGenerator` warps each channel of each image with
`scipy.ndimage.affine_transform(channel, matrix, offset, order, mode, cval)`.
This module reproduces that computation for spline orders 0 and 1, for a
whole batch of images at once and without SciPy:

* an output pixel `o` samples the input at `matrix @ o + offset` (float64);
* outside `[0, n - 1]` the coordinate is folded back by the fill mode
  (`constant` gives `cval`, `nearest` clamps, `reflect` is half-sample
  symmetric, `wrap` repeats with period `n - 1`, `mirror` is whole-sample
  symmetric), exactly as SciPy folds it;
* the interpolation taps that still fall outside are mirrored (constant,
  wrap, mirror) or edge-extended (reflect, nearest), which here is done by
  padding the image with one border pixel;
* order 1 sums `value * w_row * w_col` over the four taps in SciPy's order,
  in float64, and casts to the input dtype at the end (`precise=True`: the
  same bits as SciPy); `precise=False` does the two-step bilinear lerp in
  float32 instead, about 3x faster and within 1e-4 of SciPy on 0..255
  images (coordinates stay float64 either way).

The output is produced in tiles of about `_TILE_PIXELS` pixels so that the
temporaries stay in the CPU cache on large images.
"""
import numpy as np

FILL_MODES = ("constant", "nearest", "reflect", "wrap", "mirror")


def _check_mode_order(fill_mode, order):
    if fill_mode not in FILL_MODES:
        if isinstance(fill_mode, str) and fill_mode.startswith("grid-"):
            raise NotImplementedError(
                f"fill_mode={fill_mode!r} is not supported; use one of "
                f"{FILL_MODES}.")
        raise ValueError(
            f"Invalid fill_mode: {fill_mode!r}. Expected one of {FILL_MODES}.")
    if order not in (0, 1):
        raise NotImplementedError(
            f"Spline interpolation of order {order} is not supported: only "
            "order 0 (nearest) and 1 (bilinear) are implemented.")


def _fold(c, n, mode):
    """Fold float coordinates `c` into the image of length `n` (in place).

    For `constant`, coordinates outside `[0, n - 1]` become -1 (the caller
    turns those pixels into `cval`). `nearest` is left as is: SciPy clamps
    its taps instead (see `warp_batch`).
    """
    if mode == "nearest":
        return c
    lo = c < 0
    hi = c > n - 1
    if not (lo.any() or hi.any()):
        return c
    if mode == "constant":
        c[lo | hi] = -1.0
        return c
    if n <= 1:
        c[lo | hi] = 0.0
        return c
    if lo.any():
        v = c[lo]
        if mode == "mirror":
            sz2 = 2 * n - 2
            v = sz2 * np.trunc(-v / sz2) + v
            v = np.where(v <= 1 - n, v + sz2, -v)
        elif mode == "reflect":
            sz2 = 2 * n
            v = np.where(v < -sz2, sz2 * np.trunc(-v / sz2) + v, v)
            # SciPy nudges values just below zero so that -v - 1 stays > -1.
            v = np.where(v < -n, v + sz2, np.where(v > -1e-15, 1e-15, -v) - 1)
        else:  # wrap: period n - 1, first and last sample overlap
            sz = n - 1
            v = v + sz * (np.trunc(-v / sz) + 1)
        c[lo] = v
    if hi.any():
        v = c[hi]
        if mode == "mirror":
            sz2 = 2 * n - 2
            v = v - sz2 * np.trunc(v / sz2)
            v = np.where(v >= n, sz2 - v, v)
        elif mode == "reflect":
            sz2 = 2 * n
            v = v - sz2 * np.trunc(v / sz2)
            v = np.where(v >= n, sz2 - v - 1, v)
        else:
            sz = n - 1
            v = v - sz * np.trunc(v / sz)
        c[hi] = v
    return c


def _pad_for_taps(x, mode):
    """Pad axes 1 and 2 of a (B, R, C, K) batch by one pixel for the taps.

    Taps are mirrored for constant/wrap/mirror and edge-extended for
    reflect/nearest, as SciPy maps the spline taps at the borders.
    """
    b, rows, cols, k = x.shape
    p = np.empty((b, rows + 2, cols + 2, k), dtype=x.dtype)
    p[:, 1:-1, 1:-1] = x
    edge = mode in ("reflect", "nearest")
    r_lo = 0 if (edge or rows == 1) else 1
    r_hi = rows - 1 if (edge or rows == 1) else rows - 2
    c_lo = 0 if (edge or cols == 1) else 1
    c_hi = cols - 1 if (edge or cols == 1) else cols - 2
    p[:, 0, 1:-1] = x[:, r_lo]
    p[:, -1, 1:-1] = x[:, r_hi]
    p[:, :, 0] = p[:, :, c_lo + 1]
    p[:, :, -1] = p[:, :, c_hi + 1]
    return p


def _out_dtype_cast(t, dtype):
    """Store float64 results the way SciPy stores them in `dtype`."""
    dtype = np.dtype(dtype)
    if t.dtype == dtype:
        return t
    if dtype.kind == "f":
        return t.astype(dtype, copy=False)
    if dtype.kind == "b":
        return t.astype(dtype)
    info = np.iinfo(dtype)
    if dtype.kind == "u":
        t = np.where(t > 0, t + 0.5, 0.0)
    else:
        t = np.where(t > 0, t + 0.5, t - 0.5)
    return np.clip(t, info.min, info.max).astype(dtype)


def warp_batch(x, matrices, offsets, fill_mode="nearest", cval=0.0, order=1,
               out_rows=None, out_cols=None, out_dtype=None, precise=True):
    """Warp a batch of multi-channel 2D images, one affine map per image.

    Args:
        x: array of shape `(batch, rows, cols, channels)`.
        matrices: float64 array `(batch, 2, 2)`; output pixel `(i, j)` reads
            the input at `matrices[b] @ (i, j) + offsets[b]`.
        offsets: float64 array `(batch, 2)`.
        fill_mode: one of `"constant"`, `"nearest"`, `"reflect"`, `"wrap"`,
            `"mirror"`.
        cval: value for `"constant"`.
        order: 0 (nearest) or 1 (bilinear).
        out_rows, out_cols: optional arrays `(batch, rows)` / `(batch, cols)`
            of output pixel coordinates; they default to `arange` and let a
            flip be folded into the warp (pass the reversed range).
        out_dtype: dtype of the result (default: `x.dtype`).
        precise: `True` reproduces SciPy bit for bit (float64 arithmetic in
            SciPy's order); `False` interpolates in float32 (about 4x less
            memory traffic, results within 1e-4 of SciPy on 0..255 images).

    Returns:
        Array of shape `x.shape`.
    """
    _check_mode_order(fill_mode, order)
    x = np.asarray(x)
    b, rows, cols, k = x.shape
    out_dtype = x.dtype if out_dtype is None else np.dtype(out_dtype)
    if x.size == 0:
        return x.astype(out_dtype)
    m = np.asarray(matrices, dtype=np.float64).reshape(b, 2, 2)
    off = np.asarray(offsets, dtype=np.float64).reshape(b, 2)
    if out_rows is None:
        out_rows = np.broadcast_to(np.arange(rows, dtype=np.float64), (b, rows))
    if out_cols is None:
        out_cols = np.broadcast_to(np.arange(cols, dtype=np.float64), (b, cols))
    oi = np.asarray(out_rows, dtype=np.float64)
    oj = np.asarray(out_cols, dtype=np.float64)
    # SciPy computes shift + i * m0 + j * m1 in this order; the first two
    # terms depend on the row only, the last on the column only.
    row_terms = (off[:, 0, None] + oi * m[:, 0, 0, None],
                 off[:, 1, None] + oi * m[:, 1, 0, None])
    col_terms = (oj * m[:, 0, 1, None], oj * m[:, 1, 1, None])
    # Rounding is monotonic, so these bound every coordinate exactly.
    lo = [row_terms[a].min(axis=1) + col_terms[a].min(axis=1) for a in (0, 1)]
    hi = [row_terms[a].max(axis=1) + col_terms[a].max(axis=1) for a in (0, 1)]
    inside = ((lo[0] >= 0) & (hi[0] <= rows - 1)
              & (lo[1] >= 0) & (hi[1] <= cols - 1))

    p = _pad_for_taps(x, fill_mode)
    flat = p.reshape(-1, k)
    pc = cols + 2
    # Flat index of padded pixel (0, 0) of each image (the +1s skip the pad).
    first = np.arange(b, dtype=np.float64) * ((rows + 2) * pc) + (pc + 1)
    out = np.empty(x.shape, dtype=out_dtype)
    for b0, b1, r0, r1 in _tiles(b, rows, cols):
        cr = row_terms[0][b0:b1, r0:r1, None] + col_terms[0][b0:b1, None, :]
        cc = row_terms[1][b0:b1, r0:r1, None] + col_terms[1][b0:b1, None, :]
        t = _warp_tile(flat, cr, cc, first[b0:b1, None, None], rows, cols,
                       pc, fill_mode, cval, order, precise,
                       bool(inside[b0:b1].all()))
        out[b0:b1, r0:r1] = _out_dtype_cast(
            t.reshape((b1 - b0, r1 - r0, cols, k)), out_dtype)
    return out


_TILE_PIXELS = 16384


def _tiles(b, rows, cols):
    """Split the output into pieces of about `_TILE_PIXELS` pixels, so that
    the temporaries of one piece stay in the CPU cache."""
    per_image = rows * cols
    if per_image >= _TILE_PIXELS:
        step = max(1, _TILE_PIXELS // cols)
        for i in range(b):
            for r0 in range(0, rows, step):
                yield i, i + 1, r0, min(rows, r0 + step)
    else:
        step = max(1, _TILE_PIXELS // per_image)
        for b0 in range(0, b, step):
            yield b0, min(b, b0 + step), 0, rows


def _warp_tile(flat, cr, cc, first, rows, cols, pc, fill_mode, cval, order,
               precise, inside):
    """Sample one tile; returns `(pixels, channels)` values."""
    outside = None
    if not inside:
        cr = _fold(cr.ravel(), rows, fill_mode).reshape(cr.shape)
        cc = _fold(cc.ravel(), cols, fill_mode).reshape(cc.shape)
        if fill_mode == "constant":
            outside = (cr == -1.0) | (cc == -1.0)
            if outside.any():
                cr[outside] = 0.0
                cc[outside] = 0.0
                outside = outside.ravel()
            else:
                outside = None
        elif fill_mode == "nearest" and (order == 0 or not precise):
            # Clamping the coordinate gives the edge pixel, as SciPy does.
            np.clip(cr, 0, rows - 1, out=cr)
            np.clip(cc, 0, cols - 1, out=cc)
    if order == 0:
        fr = np.floor(cr + 0.5)
        fr *= pc
        fr += np.floor(cc + 0.5)
        fr += first
        t = np.take(flat, fr.astype(np.intp).ravel(), axis=0)
        if outside is not None:
            t[outside] = cval
        return t
    fr = np.floor(cr)
    fc = np.floor(cc)
    if fill_mode == "nearest" and precise and not inside:
        # SciPy keeps the raw coordinate (and its weights) and clamps the
        # taps; the edge padding turns taps -1 and n into the edge pixels.
        idx = np.clip(fr, -1, rows - 1)
        idx *= pc
        idx += np.clip(fc, -1, cols - 1)
    else:
        idx = fr * pc
        idx += fc
    idx += first
    idx = idx.astype(np.intp).ravel()
    k = flat.shape[1]
    if precise:
        cr = cr - fr
        cc = cc - fc
        t = _blend_precise(flat, idx, pc, cr.ravel(), cc.ravel(), k)
    else:
        wr = np.empty(cr.shape, dtype=np.float32)
        wc = np.empty(cc.shape, dtype=np.float32)
        np.subtract(cr, fr, out=wr, casting="unsafe")
        np.subtract(cc, fc, out=wc, casting="unsafe")
        t = _blend_fast(flat, idx, pc, wr.ravel(), wc.ravel(), k)
    if outside is not None:
        t[outside] = cval
    return t


def _blend_precise(flat, idx, pc, fr, fc, k):
    """SciPy's order-1 sum: taps (r0,c0), (r0,c1), (r1,c0), (r1,c1) in float64."""
    wr0 = 1.0 - fr
    wr1 = 1.0 - wr0
    wc0 = 1.0 - fc
    wc1 = 1.0 - wc0
    if k > 1:
        wr0, wr1, wc0, wc1 = (np.repeat(w, k).reshape(-1, k)
                              for w in (wr0, wr1, wc0, wc1))
    else:
        wr0, wr1, wc0, wc1 = (w[:, None] for w in (wr0, wr1, wc0, wc1))
    t = np.take(flat, idx, axis=0) * wr0
    t *= wc0
    s = np.take(flat, idx + 1, axis=0) * wr0
    s *= wc1
    t += s
    s = np.take(flat, idx + pc, axis=0) * wr1
    s *= wc0
    t += s
    s = np.take(flat, idx + (pc + 1), axis=0) * wr1
    s *= wc1
    t += s
    return t


def _blend_fast(flat, idx, pc, fr, fc, k):
    """Bilinear interpolation as two float32 lerps along columns, one along rows."""
    if flat.dtype != np.float32:
        flat = flat.astype(np.float32)
    if k > 1:
        fr = np.repeat(fr, k).reshape(-1, k)
        fc = np.repeat(fc, k).reshape(-1, k)
    else:
        fr = fr[:, None]
        fc = fc[:, None]
    v0 = np.take(flat, idx, axis=0)
    top = np.take(flat, idx + 1, axis=0)
    top -= v0
    top *= fc
    top += v0
    v0 = np.take(flat, idx + pc, axis=0)
    bot = np.take(flat, idx + (pc + 1), axis=0)
    bot -= v0
    bot *= fc
    bot += v0
    bot -= top
    bot *= fr
    bot += top
    return bot


def transform_matrices(theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, rows=1,
                       cols=1, swap=True):
    """Keras's affine matrices for a batch of transform parameters.

    Composes rotation (degrees), shift, shear (degrees) and zoom as
    `R @ T @ S @ Z`, moves the origin to the image centre and, when the
    column axis comes after the row axis (`swap`), swaps the two coordinates
    as Keras does before calling SciPy.

    Returns:
        `(matrices, offsets)`: float64 arrays `(batch, 2, 2)` and
        `(batch, 2)` for `warp_batch`.
    """
    theta, tx, ty, shear, zx, zy = np.broadcast_arrays(
        *[np.atleast_1d(np.asarray(v, dtype=np.float64))
          for v in (theta, tx, ty, shear, zx, zy)])
    n = theta.shape[0]
    eye = np.zeros((n, 3, 3))
    eye[:, 0, 0] = eye[:, 1, 1] = eye[:, 2, 2] = 1.0

    rad = np.deg2rad(theta)
    rot = eye.copy()
    rot[:, 0, 0] = np.cos(rad)
    rot[:, 0, 1] = -np.sin(rad)
    rot[:, 1, 0] = np.sin(rad)
    rot[:, 1, 1] = np.cos(rad)
    shift = eye.copy()
    shift[:, 0, 2] = tx
    shift[:, 1, 2] = ty
    srad = np.deg2rad(shear)
    shr = eye.copy()
    shr[:, 0, 1] = -np.sin(srad)
    shr[:, 1, 1] = np.cos(srad)
    zoom = eye.copy()
    zoom[:, 0, 0] = zx
    zoom[:, 1, 1] = zy
    mat = _matmul3(_matmul3(_matmul3(rot, shift), shr), zoom)

    o_x = float(rows) / 2 - 0.5
    o_y = float(cols) / 2 - 0.5
    centre = eye.copy()
    centre[:, 0, 2] = o_x
    centre[:, 1, 2] = o_y
    reset = eye.copy()
    reset[:, 0, 2] = -o_x
    reset[:, 1, 2] = -o_y
    mat = _matmul3(_matmul3(centre, mat), reset)
    if swap:
        mat = mat[:, [1, 0, 2]][:, :, [1, 0, 2]]
    return np.ascontiguousarray(mat[:, :2, :2]), np.ascontiguousarray(mat[:, :2, 2])


def _matmul3(a, b):
    """Batched 3x3 product with a fixed summation order (no BLAS)."""
    return (a[:, :, 0, None] * b[:, None, 0, :]
            + a[:, :, 1, None] * b[:, None, 1, :]) \
        + a[:, :, 2, None] * b[:, None, 2, :]


def is_identity(theta, tx, ty, shear, zx, zy):
    """Per-image mask: parameters that leave the image untouched."""
    return ((np.asarray(theta) == 0) & (np.asarray(tx) == 0)
            & (np.asarray(ty) == 0) & (np.asarray(shear) == 0)
            & (np.asarray(zx) == 1) & (np.asarray(zy) == 1))


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1,
                           row_axis=1, col_axis=2, channel_axis=0,
                           fill_mode="nearest", cval=0.0, order=1):
    """Applies an affine transformation specified by the parameters given.

    Args:
        x: 3D numpy array - a 2D image with one or more channels.
        theta: Rotation angle in degrees.
        tx: Width shift.
        ty: Heigh shift.
        shear: Shear angle in degrees.
        zx: Zoom in x direction.
        zy: Zoom in y direction
        row_axis: Index of axis for rows (aka Y axis) in the input image.
            Direction: left to right.
        col_axis: Index of axis for columns (aka X axis) in the input image.
            Direction: top to bottom.
        channel_axis: Index of axis for channels in the input image.
        fill_mode: Points outside the boundaries of the input
            are filled according to the given mode
            (one of `{'constant', 'nearest', 'reflect', 'wrap'}`).
        cval: Value used for points outside the boundaries
            of the input if `mode='constant'`.
        order: int, order of interpolation (0 or 1).

    Returns:
        The transformed version of the input.
    """
    if np.unique([row_axis, col_axis, channel_axis]).size != 3:
        raise ValueError(
            "'row_axis', 'col_axis', and 'channel_axis' must be distinct")
    valid_indices = {0, 1, 2}
    actual_indices = {row_axis, col_axis, channel_axis}
    if actual_indices != valid_indices:
        raise ValueError(
            f"Invalid axis' indices: {actual_indices - valid_indices}")
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(
            "Input arrays must be multi-channel 2D images. Received an array "
            f"of shape {x.shape}.")
    if channel_axis not in [0, 2]:
        raise ValueError(
            "Channels are allowed and the first and last dimensions.")
    if bool(is_identity(theta, tx, ty, shear, zx, zy)):
        return x
    _check_mode_order(fill_mode, order)
    h, w = x.shape[row_axis], x.shape[col_axis]
    mats, offs = transform_matrices(theta, tx, ty, shear, zx, zy, h, w,
                                    swap=col_axis > row_axis)
    # Channels last; the two image axes keep their order in `x`.
    img = np.moveaxis(x, channel_axis, -1)[None]
    out = warp_batch(img, mats, offs, fill_mode=fill_mode, cval=cval,
                     order=order)[0]
    return np.moveaxis(out, -1, channel_axis)
