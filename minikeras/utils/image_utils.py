"""Image helpers: PIL images <-> numpy arrays, loading, saving, smart resize."""
import io
import pathlib
import warnings

import numpy as np

from minikeras.backend import config

try:
    from PIL import Image as pil_image
    from PIL import UnidentifiedImageError
except ImportError:  # pragma: no cover - pillow is a runtime dependency
    pil_image = None
    UnidentifiedImageError = OSError

if pil_image is not None:
    _R = getattr(pil_image, "Resampling", pil_image)
    PIL_INTERPOLATION_METHODS = {
        "nearest": _R.NEAREST,
        "bilinear": _R.BILINEAR,
        "bicubic": _R.BICUBIC,
        "hamming": _R.HAMMING,
        "box": _R.BOX,
        "lanczos": _R.LANCZOS,
    }
else:  # pragma: no cover
    PIL_INTERPOLATION_METHODS = {}


def _require_pil(fn):
    if pil_image is None:  # pragma: no cover
        raise ImportError(
            f"Could not import PIL.Image. The use of `{fn}` requires PIL.")


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a 3D NumPy array to a PIL Image instance.

    Example:

    ```python
    img = np.random.random(size=(100, 100, 3))
    pil_img = keras.utils.array_to_img(img)
    ```

    Args:
        x: Input data, in any form that can be converted to a NumPy array.
        data_format: Image data format, either `"channels_first"` or
            `"channels_last"`. Defaults to `None`, in which case the global
            setting `keras.backend.image_data_format()` is used.
        scale: Whether to rescale the image such that minimum and maximum
            values are 0 and 255 respectively. Defaults to `True`.
        dtype: Dtype to use. `None` means `keras.backend.floatx()`.

    Returns:
        A PIL Image instance.
    """
    data_format = config.standardize_data_format(data_format)
    if dtype is None:
        dtype = config.floatx()
    _require_pil("array_to_img")
    x = np.asarray(x, dtype=dtype)
    if x.ndim != 3:
        raise ValueError(
            "Expected image array to have rank 3 (single image). "
            f"Got array with shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    if x.shape[2] == 4:
        return pil_image.fromarray(x.astype("uint8"), "RGBA")
    if x.shape[2] == 3:
        return pil_image.fromarray(x.astype("uint8"), "RGB")
    if x.shape[2] == 1:
        if np.max(x) > 255:
            # 32-bit signed integer grayscale image ('I' mode).
            return pil_image.fromarray(x[:, :, 0].astype("int32"), "I")
        return pil_image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(
        f"Unsupported channel number: {x.shape[2]}. Expected 1, 3 or 4 "
        f"channels; received an array of shape {x.shape}.")


def img_to_array(img, data_format=None, dtype=None):
    """Converts a PIL Image instance to a NumPy array.

    Example:

    ```python
    img = keras.utils.load_img("cat.png")
    array = keras.utils.img_to_array(img)  # (height, width, 3), float32
    ```

    Args:
        img: Input PIL Image instance.
        data_format: Image data format, either `"channels_first"` or
            `"channels_last"`. Defaults to `keras.backend.image_data_format()`.
        dtype: Dtype to use. `None` means `keras.backend.floatx()`.

    Returns:
        A 3D NumPy array.
    """
    data_format = config.standardize_data_format(data_format)
    if dtype is None:
        dtype = config.floatx()
    x = np.asarray(img, dtype=dtype)
    if x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        if data_format == "channels_first":
            x = x.reshape((1, x.shape[0], x.shape[1]))
        else:
            x = x.reshape((x.shape[0], x.shape[1], 1))
    else:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x


def save_img(path, x, data_format=None, file_format=None, scale=True,
             **kwargs):
    """Saves an image stored as a NumPy array to a path or file object.

    Args:
        path: Path or file object.
        x: NumPy array.
        data_format: Image data format, either `"channels_first"` or
            `"channels_last"`.
        file_format: Optional file format override. If omitted, the format
            to use is determined from the filename extension. If a file
            object was used instead of a filename, this parameter should
            always be used.
        scale: Whether to rescale image values to be within `[0, 255]`.
        **kwargs: Additional keyword arguments passed to `PIL.Image.save()`.
    """
    data_format = config.standardize_data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn(
            "The JPEG format does not support RGBA images, converting to RGB.")
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _open_image(path):
    """Open `path` with PIL and decode it now, naming the file on failure."""
    if isinstance(path, io.BytesIO):
        name, data = "<BytesIO>", path.read()
    else:
        if isinstance(path, pathlib.Path):
            path = str(path.resolve())
        name = path.decode() if isinstance(path, bytes) else path
        with open(path, "rb") as f:
            data = f.read()
    try:
        img = pil_image.open(io.BytesIO(data))
        # Decode now so that a truncated file fails here, with its name.
        img.load()
    except UnidentifiedImageError as e:
        raise UnidentifiedImageError(
            f"Cannot identify image file {name!r}: it is not an image format "
            "Pillow can read, or the file is corrupt.") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise OSError(
            f"Could not decode image file {name!r} (corrupt or truncated): "
            f"{e}") from e
    return img


def load_img(path, color_mode="rgb", target_size=None,
             interpolation="nearest", keep_aspect_ratio=False):
    """Loads an image into PIL format.

    Example:

    ```python
    image = keras.utils.load_img(image_path)
    input_arr = keras.utils.img_to_array(image)
    input_arr = np.array([input_arr])  # Convert single image to a batch.
    predictions = model.predict(input_arr)
    ```

    Args:
        path: Path to image file (str, `pathlib.Path`, bytes) or
            `io.BytesIO`.
        color_mode: One of `"grayscale"`, `"rgb"`, `"rgba"`.
            Default: `"rgb"`. The desired image format.
        target_size: Either `None` (default to original size) or tuple of
            ints `(img_height, img_width)`.
        interpolation: Interpolation method used to resample the image if
            the target size is different from that of the loaded image.
            One of `"nearest"` (default), `"bilinear"`, `"bicubic"`,
            `"lanczos"`, `"box"`, `"hamming"`.
        keep_aspect_ratio: Boolean, whether to resize images to a target
            size without aspect ratio distortion. The image is cropped in
            the center with target aspect ratio before resizing.

    Returns:
        A PIL Image instance.
    """
    _require_pil("load_img")
    if not isinstance(path, (io.BytesIO, pathlib.Path, bytes, str)):
        raise TypeError(
            f"path should be path-like or io.BytesIO, not {type(path)}")
    img = _open_image(path)
    if color_mode == "grayscale":
        # An image already in a 16/32-bit grayscale mode is kept as is.
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    else:
        raise ValueError(
            'color_mode must be "grayscale", "rgb", or "rgba". '
            f"Received: color_mode={color_mode!r}")
    if target_size is not None:
        width_height_tuple = (target_size[1], target_size[0])
        if img.size != width_height_tuple:
            if interpolation not in PIL_INTERPOLATION_METHODS:
                raise ValueError(
                    "Invalid interpolation method {} specified. Supported "
                    "methods are {}".format(
                        interpolation,
                        ", ".join(PIL_INTERPOLATION_METHODS.keys())))
            resample = PIL_INTERPOLATION_METHODS[interpolation]
            if keep_aspect_ratio:
                width, height = img.size
                target_width, target_height = width_height_tuple
                crop_height = min(height, (width * target_height) // target_width)
                crop_width = min(width, (height * target_width) // target_height)
                hstart = (height - crop_height) // 2
                wstart = (width - crop_width) // 2
                box = [wstart, hstart, wstart + crop_width, hstart + crop_height]
                img = img.resize(width_height_tuple, resample, box=box)
            else:
                img = img.resize(width_height_tuple, resample)
    return img


def smart_resize(x, size, interpolation="bilinear",
                 data_format="channels_last", **kwargs):
    """Resize images to a target size without aspect ratio distortion.

    Takes the largest centered crop of the image that has the aspect ratio
    of `size`, then resizes that crop to `size` (as `keras.ops.image.resize`
    does: half-pixel centres, no antialiasing).

    Example:

    ```python
    img = np.random.random((340, 500, 3))
    out = keras.preprocessing.image.smart_resize(img, (200, 200))
    # out.shape == (200, 200, 3); the (340, 340) centre crop was resized.
    ```

    Args:
        x: Input image or batch of images (NumPy array), of shape
            `(height, width, channels)` or
            `(batch_size, height, width, channels)` (channels first with
            `data_format="channels_first"`).
        size: Tuple of `(height, width)` integer. Target size.
        interpolation: String, interpolation to use for resizing:
            `"bilinear"` (default), `"nearest"` or `"bicubic"`.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        Array with shape `(size[0], size[1], channels)` (or the batched /
        channels-first equivalent), float32 except for `"nearest"`, which
        keeps the input dtype.
    """
    kwargs.pop("backend_module", None)
    if kwargs:
        raise TypeError(
            "smart_resize() got unexpected keyword arguments: "
            f"{list(kwargs.keys())}")
    if len(size) != 2:
        raise ValueError(
            f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = np.asarray(x)
    if img.ndim < 3 or img.ndim > 4:
        raise ValueError(
            "Expected an image array with shape `(height, width, "
            "channels)`, or `(batch_size, height, width, channels)`, but "
            f"got input with incorrect rank, of shape {img.shape}.")
    data_format = config.standardize_data_format(data_format)
    if data_format == "channels_last":
        height, width = img.shape[-3], img.shape[-2]
    else:
        height, width = img.shape[-2], img.shape[-1]
    target_height, target_width = size
    crop_height = int(float(width * target_height) / target_width)
    crop_height = max(min(height, crop_height), 1)
    crop_width = int(float(height * target_width) / target_height)
    crop_width = max(min(width, crop_width), 1)
    hstart = int(float(height - crop_height) / 2)
    wstart = int(float(width - crop_width) / 2)
    hs = slice(hstart, hstart + crop_height)
    ws = slice(wstart, wstart + crop_width)
    if data_format == "channels_last":
        img = img[..., hs, ws, :]
    else:
        img = img[..., hs, ws]
    return _resize(img, size, interpolation, data_format)


def _resize(img, size, interpolation, data_format):
    """`keras.ops.image.resize` without antialiasing, in numpy.

    Follows TensorFlow's kernels (half-pixel centres, float32 arithmetic):
    bilinear lerps, nearest with floor, and bicubic with Keys' kernel
    (a = -0.5) taken from a 1024-entry table, renormalised at the borders.
    """
    if interpolation not in ("bilinear", "nearest", "bicubic"):
        if interpolation in ("lanczos3", "lanczos5", "area"):
            raise NotImplementedError(
                f"smart_resize(interpolation={interpolation!r}) is not "
                "implemented; use 'bilinear', 'nearest' or 'bicubic'.")
        raise ValueError(
            "Invalid value for argument `interpolation`. Expected one of "
            "('bilinear', 'nearest', 'bicubic', 'lanczos3', 'lanczos5', "
            f"'area'). Received: interpolation={interpolation}")
    single = img.ndim == 3
    if single:
        img = img[None]
    if data_format == "channels_first":
        img = img.transpose(0, 2, 3, 1)
    out_h, out_w = int(size[0]), int(size[1])
    in_h, in_w = img.shape[1], img.shape[2]
    if interpolation == "nearest":
        rows = _nearest_index(in_h, out_h)
        cols = _nearest_index(in_w, out_w)
        out = img[:, rows][:, :, cols]
    elif interpolation == "bilinear":
        r0, r1, rl = _bilinear_weights(in_h, out_h)
        c0, c1, cl = _bilinear_weights(in_w, out_w)
        v = img.astype(np.float32)
        cl = cl[None, None, :, None]
        top = v[:, r0][:, :, c0]
        top = top + (v[:, r0][:, :, c1] - top) * cl
        bot = v[:, r1][:, :, c0]
        bot = bot + (v[:, r1][:, :, c1] - bot) * cl
        out = top + (bot - top) * rl[None, :, None, None]
    else:
        ri, rw = _bicubic_weights(in_h, out_h)
        ci, cw = _bicubic_weights(in_w, out_w)
        v = img.astype(np.float32)
        rows = []
        for i in range(4):
            vr = v[:, ri[:, i]]
            acc = vr[:, :, ci[:, 0]] * cw[None, None, :, 0, None]
            for j in range(1, 4):
                acc = acc + vr[:, :, ci[:, j]] * cw[None, None, :, j, None]
            rows.append(acc)
        out = rows[0] * rw[None, :, 0, None, None]
        for i in range(1, 4):
            out = out + rows[i] * rw[None, :, i, None, None]
    out = np.asarray(out)
    if interpolation != "nearest":
        out = out.astype(np.float32, copy=False)
    if data_format == "channels_first":
        out = out.transpose(0, 3, 1, 2)
    out = np.ascontiguousarray(out)
    return out[0] if single else out


def _scale(in_size, out_size):
    return np.float32(in_size) / np.float32(out_size)


def _nearest_index(in_size, out_size):
    pos = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) \
        * _scale(in_size, out_size)
    return np.clip(np.floor(pos).astype(np.int64), 0, in_size - 1)


def _bilinear_weights(in_size, out_size):
    pos = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) \
        * _scale(in_size, out_size) - np.float32(0.5)
    low = np.floor(pos)
    lower = np.maximum(low.astype(np.int64), 0)
    upper = np.minimum(np.ceil(pos).astype(np.int64), in_size - 1)
    return lower, upper, (pos - low).astype(np.float32)


_CUBIC_TABLE = None


def _cubic_table(a=-0.5, size=1024):
    global _CUBIC_TABLE
    if _CUBIC_TABLE is None:
        x = (np.arange(size + 1) * 1.0 / size).astype(np.float32)
        near = (((a + 2) * x.astype(np.float64) - (a + 3)) * x * x + 1)
        x1 = (x + np.float32(1.0)).astype(np.float64)
        far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
        _CUBIC_TABLE = (near.astype(np.float32), far.astype(np.float32))
    return _CUBIC_TABLE


def _bicubic_weights(in_size, out_size, table_size=1024):
    near, far = _cubic_table(size=table_size)
    pos = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) \
        * _scale(in_size, out_size) - np.float32(0.5)
    base = np.floor(pos).astype(np.int64)
    delta = (pos - base.astype(np.float32)).astype(np.float32)
    off = np.rint(delta * np.float32(table_size)).astype(np.int64)
    raw = np.stack([far[off], near[off], near[table_size - off],
                    far[table_size - off]], axis=1)
    taps = base[:, None] + np.arange(-1, 3)[None, :]
    idx = np.clip(taps, 0, in_size - 1)
    # Taps that fall outside get weight 0; the rest are renormalised.
    w = np.where(idx == taps, raw, np.float32(0)).astype(np.float32)
    total = ((w[:, 0] + w[:, 1]) + w[:, 2]) + w[:, 3]
    inv = np.float32(1.0) / total
    w = (w * inv[:, None]).astype(np.float32)
    return idx, w
