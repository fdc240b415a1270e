"""Single-image transforms of `keras.preprocessing.image`.

Random draws use numpy's global random state (`np.random`), as Keras does,
so `keras.utils.set_random_seed` (or `np.random.seed`) makes them
reproducible.
"""
import numpy as np

from minikeras.preprocessing.affine import apply_affine_transform


def flip_axis(x, axis):
    """Reverse `x` along `axis` (a view)."""
    x = np.asarray(x).swapaxes(axis, 0)
    x = x[::-1, ...]
    return x.swapaxes(0, axis)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0,
                    fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Performs a random rotation of a Numpy image tensor.

    Args:
        x: Input tensor. Must be 3D.
        rg: Rotation range, in degrees.
        row_axis: Index of axis for rows in the input tensor.
        col_axis: Index of axis for columns in the input tensor.
        channel_axis: Index of axis for channels in the input tensor.
        fill_mode: Points outside the boundaries of the input are filled
            according to the given mode (one of `{'constant', 'nearest',
            'reflect', 'wrap'}`).
        cval: Value used for points outside the boundaries of the input if
            `mode='constant'`.
        interpolation_order: int, order of spline interpolation (0 or 1).

    Returns:
        Rotated Numpy image tensor.
    """
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x, theta=theta, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0,
                 fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Performs a random spatial shift of a Numpy image tensor.

    Args:
        x: Input tensor. Must be 3D.
        wrg: Width shift range, as a float fraction of the width.
        hrg: Height shift range, as a float fraction of the height.
        row_axis: Index of axis for rows in the input tensor.
        col_axis: Index of axis for columns in the input tensor.
        channel_axis: Index of axis for channels in the input tensor.
        fill_mode: One of `{'constant', 'nearest', 'reflect', 'wrap'}`.
        cval: Value used for points outside the boundaries of the input if
            `mode='constant'`.
        interpolation_order: int, order of spline interpolation (0 or 1).

    Returns:
        Shifted Numpy image tensor.
    """
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(
        x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0,
                 fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Performs a random spatial shear of a Numpy image tensor.

    Args:
        x: Input tensor. Must be 3D.
        intensity: Transformation intensity in degrees.
        row_axis: Index of axis for rows in the input tensor.
        col_axis: Index of axis for columns in the input tensor.
        channel_axis: Index of axis for channels in the input tensor.
        fill_mode: One of `{'constant', 'nearest', 'reflect', 'wrap'}`.
        cval: Value used for points outside the boundaries of the input if
            `mode='constant'`.
        interpolation_order: int, order of spline interpolation (0 or 1).

    Returns:
        Sheared Numpy image tensor.
    """
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x, shear=shear, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0,
                fill_mode="nearest", cval=0.0, interpolation_order=1):
    """Performs a random spatial zoom of a Numpy image tensor.

    Args:
        x: Input tensor. Must be 3D.
        zoom_range: Tuple of floats; zoom range for width and height.
        row_axis: Index of axis for rows in the input tensor.
        col_axis: Index of axis for columns in the input tensor.
        channel_axis: Index of axis for channels in the input tensor.
        fill_mode: One of `{'constant', 'nearest', 'reflect', 'wrap'}`.
        cval: Value used for points outside the boundaries of the input if
            `mode='constant'`.
        interpolation_order: int, order of spline interpolation (0 or 1).

    Returns:
        Zoomed Numpy image tensor.

    Raises:
        ValueError: if `zoom_range` isn't a tuple of two floats.
    """
    if len(zoom_range) != 2:
        raise ValueError(
            "`zoom_range` should be a tuple or list of two floats. "
            f"Received: {zoom_range}")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis,
        channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
        order=interpolation_order)


def apply_channel_shift(x, intensity, channel_axis=0):
    """Performs a channel shift.

    Adds `intensity` to every channel and clips the result to the
    image's original minimum and maximum.

    Args:
        x: Input tensor. Must be 3D.
        intensity: Transformation intensity.
        channel_axis: Index of axis for channels in the input tensor.

    Returns:
        Numpy image tensor.
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(
            f"Expected a 3D image; received an array of shape {x.shape}.")
    min_x, max_x = np.min(x), np.max(x)
    # numpy's promotion decides the dtype, as in Keras: a float32 image
    # shifted by a Python float stays float32, by a numpy float64 becomes
    # float64.
    return np.clip(x + intensity, min_x, max_x)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """Performs a random channel shift.

    Args:
        x: Input tensor. Must be 3D.
        intensity_range: Transformation intensity.
        channel_axis: Index of axis for channels in the input tensor.

    Returns:
        Numpy image tensor.
    """
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def _brightness_uint8(img8, brightness):
    """What `PIL.ImageEnhance.Brightness(img).enhance(f)` does to uint8 data.

    PIL blends with a black image in single precision: `v * f`, truncated,
    and clipped to [0, 255] when `f` is outside [0, 1].
    """
    f = np.float32(brightness)
    v = img8.astype(np.float32) * f
    if not 0.0 <= f <= 1.0:
        v = np.clip(v, 0, 255)
    return v.astype(np.uint8)


def apply_brightness_shift(x, brightness, scale=True):
    """Performs a brightness shift.

    As in Keras, the image goes through 8-bit values (as a PIL image
    would): it is rescaled to 0..255 when `scale` is true or when its values
    leave that range, truncated to integers, multiplied by `brightness`,
    and, if it was rescaled only because of its range and `scale` is
    false, mapped back to its original range.

    Args:
        x: Input tensor. Must be 3D, channels last.
        brightness: Float. The new brightness value.
        scale: Whether to rescale the image such that minimum and maximum
            values are 0 and 255 respectively. Default: True.

    Returns:
        Numpy image tensor.
    """
    from minikeras.backend import config
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(
            f"Expected a 3D image; received an array of shape {x.shape}.")
    channels_first = config.image_data_format() == "channels_first"
    return _brightness_shift_batch(x[None], np.asarray([brightness]), scale,
                                   channels_first)[0]


def random_brightness(x, brightness_range, scale=True):
    """Performs a random brightness shift.

    Args:
        x: Input tensor. Must be 3D.
        brightness_range: Tuple of floats; brightness range.
        scale: Whether to rescale the image such that minimum and maximum
            values are 0 and 255 respectively. Default: True.

    Returns:
        Numpy image tensor.

    Raises:
        ValueError: if `brightness_range` isn't a tuple of two floats.
    """
    if len(brightness_range) != 2:
        raise ValueError(
            "`brightness_range should be tuple or list of two floats. "
            f"Received: {brightness_range}")
    u = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, u, scale)


def _brightness_shift_batch(x, brightness, scale, channels_first=False):
    """`apply_brightness_shift` for a batch, one factor per image."""
    from minikeras.backend import config
    floatx = config.floatx()
    axes = tuple(range(1, x.ndim))
    x_min = np.min(x, axis=axes, keepdims=True)
    x_max = np.max(x, axis=axes, keepdims=True)
    local_scale = (x_min < 0) | (x_max > 255)
    channels = x.shape[1] if channels_first else x.shape[-1]
    if channels not in (1, 3, 4):
        raise ValueError(
            f"Unsupported channel number: {channels}. Brightness shifts need "
            "images with 1, 3 or 4 channels.")
    v = x.astype(floatx)
    rescale = local_scale | bool(scale)
    if rescale.any():
        # array_to_img(scale=True): shift to 0, divide by the max, * 255.
        w = v - np.min(v, axis=axes, keepdims=True)
        w_max = np.max(w, axis=axes, keepdims=True)
        w /= np.where(w_max != 0, w_max, 1).astype(w.dtype)
        w *= 255
        v = np.where(rescale, w, v)
    img8 = v.astype(np.uint8)
    f = np.asarray(brightness, dtype=np.float64).reshape(-1)
    out = np.empty(img8.shape, dtype=np.uint8)
    for i in range(len(f)):
        out[i] = _brightness_uint8(img8[i], f[i])
    if channels == 4:
        # PIL keeps the alpha band of RGBA images.
        if channels_first:
            out[:, 3] = img8[:, 3]
        else:
            out[..., 3] = img8[..., 3]
    y = out.astype(floatx)
    if not scale:
        back = y / 255 * (x_max - x_min) + x_min
        y = np.where(local_scale, back, y)
    return y
