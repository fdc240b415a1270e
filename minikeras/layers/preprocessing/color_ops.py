"""Color-space and filtering helpers of the image augmentation layers.

All functions take channels-last float batches `(batch, height, width,
channels)` and compute with `autograd.numpy`, so gradients flow through
them. The formulas are TensorFlow's (`tf.image.rgb_to_grayscale`,
`rgb_to_hsv`, `hsv_to_rgb`, a 'SAME' depthwise convolution, the Gaussian
kernel of `keras.ops.image.gaussian_blur`, the homography of
`keras.ops.image.perspective_transform`).
"""
import numpy as np
import autograd.numpy as anp

GRAY_WEIGHTS = (0.2989, 0.5870, 0.1140)


def rgb_to_grayscale(images):
    """`(B, H, W, 3)` -> `(B, H, W, 1)` luma; one channel passes through."""
    if images.shape[-1] == 1:
        return images
    if images.shape[-1] != 3:
        raise ValueError("Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received "
                         f"input with shape: images.shape={images.shape}")
    w = np.asarray(GRAY_WEIGHTS, dtype=images.dtype)
    return anp.expand_dims(anp.tensordot(images, w, axes=([3], [0])), -1)


def rgb_to_hsv(images):
    """RGB in [0, 1] -> HSV, hue in [0, 1)."""
    r, g, b = images[..., 0], images[..., 1], images[..., 2]
    dtype = images.dtype
    value = anp.maximum(anp.maximum(r, g), b)
    rng = value - anp.minimum(anp.minimum(r, g), b)
    one = np.asarray(1, dtype)
    safe_value = anp.where(value > 0, value, one)
    safe_range = anp.where(rng > 0, rng, one)
    saturation = anp.where(value > 0, rng / safe_value, np.asarray(0, dtype))
    norm = (one / safe_range) * np.asarray(1.0 / 6.0, dtype)
    hue = anp.where(r == value, norm * (g - b),
                    anp.where(g == value, norm * (b - r) + np.asarray(2.0 / 6.0, dtype),
                              norm * (r - g) + np.asarray(4.0 / 6.0, dtype)))
    hue = anp.where(rng > 0, hue, np.asarray(0, dtype))
    hue = anp.where(hue < 0, hue + one, hue)
    return anp.stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(images):
    """HSV (hue in [0, 1]) -> RGB."""
    h, s, v = images[..., 0], images[..., 1], images[..., 2]
    dtype = images.dtype
    c = lambda x: np.asarray(x, dtype)  # noqa: E731 - typed constants keep float32
    dh = h * c(6)
    dr = anp.clip(anp.abs(dh - c(3)) - c(1), 0, 1)
    dg = anp.clip(c(2) - anp.abs(dh - c(2)), 0, 1)
    db = anp.clip(c(2) - anp.abs(dh - c(4)), 0, 1)
    one_s = c(1) - s
    return anp.stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v],
                     axis=-1)


def depthwise_conv_same(images, kernel):
    """Per-channel 2D correlation with zero 'SAME' padding.

    `kernel` is `(kh, kw)`, shared by all channels (TensorFlow pads
    `(k - 1) // 2` before and the rest after).
    """
    kernel = np.asarray(kernel, dtype=images.dtype)
    kh, kw = kernel.shape
    h, w = images.shape[1:3]
    pt, pl = (kh - 1) // 2, (kw - 1) // 2
    padded = anp.pad(images, ((0, 0), (pt, kh - 1 - pt), (pl, kw - 1 - pl), (0, 0)),
                     mode="constant")
    out = None
    for i in range(kh):
        for j in range(kw):
            term = padded[:, i:i + h, j:j + w, :] * kernel[i, j]
            out = term if out is None else out + term
    return out


def gaussian_kernel(kernel_size, sigma, dtype):
    """Keras' 2D Gaussian kernel: `outer(k_y, k_x)` laid out as `kernel_size`."""
    def kernel1d(size, s):
        x = np.arange(size, dtype=dtype) - np.asarray((size - 1) / 2, dtype)
        k = np.exp(np.asarray(-0.5, dtype) * (x / np.asarray(s, dtype)) ** 2)
        return k / np.sum(k)
    kx = kernel1d(int(kernel_size[0]), sigma[0])
    ky = kernel1d(int(kernel_size[1]), sigma[1])
    return np.tensordot(ky, kx, axes=0).reshape(int(kernel_size[0]), int(kernel_size[1]))


def homography_matrix(start_points, end_points):
    """The 8 projective-transform parameters mapping `end_points` to
    `start_points` (`(B, 4, 2)` each), solved as TensorFlow does."""
    start = np.asarray(start_points, dtype=np.float32)
    end = np.asarray(end_points, dtype=np.float32)
    rows = []
    for k in range(4):
        ex, ey = end[:, k, 0], end[:, k, 1]
        sx, sy = start[:, k, 0], start[:, k, 1]
        one, zero = np.ones_like(ex), np.zeros_like(ex)
        rows.append(np.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1))
        rows.append(np.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1))
    a = np.stack(rows, axis=1)
    target = np.stack([start[:, k // 2, k % 2] for k in range(8)], -1)[..., None]
    return np.linalg.solve(a, target).reshape(-1, 8).astype(np.float32)
