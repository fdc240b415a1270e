"""`RandomErasing`: fill a random rectangle of some images in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomErasing(BaseAugmentationLayer):
    """A preprocessing layer that randomly erases rectangles of images.

    Each image's rectangle has sides `sqrt(s) * width` and
    `sqrt(s') * height` (`s`, `s'` uniform in `scale`) at a uniform
    position; it is filled with `fill_value`, or with Gaussian noise times
    `value_range[1]` (clipped) when `fill_value` is None. An image is
    erased when a uniform draw is below its probability (uniform in the
    factor range). Inactive at inference.

    Args:
        factor: a float in `[0, 1]` (probabilities `[0, factor]`) or a pair.
        scale: `(min, max)` fraction of each side's square, in `[0, 1]`.
        fill_value: a number, three numbers (per channel) or None (noise).
        value_range: the `(min, max)` range of the images.
        seed: int, for reproducible erasing.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = self._bounded_factor(scale, "scale")
        self.fill_value = fill_value
        self.value_range = value_range
        self._make_seed_generator(seed)

    def _fill(self, shape, rng):
        fill = self.fill_value
        if fill is None:
            fill = rng.standard_normal(shape).astype(np.float32) * np.float32(self.value_range[1])
        else:
            msg = "The `fill_value` argument should be a number (or a list of three numbers) "
            if isinstance(fill, (tuple, list)):
                if len(fill) != 3:
                    raise ValueError(msg)
                fill = np.broadcast_to(np.asarray(fill, np.float32), shape)
            elif isinstance(fill, (int, float)):
                fill = np.full(shape, fill, np.float32)
            else:
                raise ValueError(msg)
        return np.clip(fill, self.value_range[0], self.value_range[1]).astype(np.float32)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images_shape = np.shape(self._images_of(data))
        b = self._batch_size(data)
        height, width = self._hw(data)
        rng = self._rng(seed)
        weight = np.sqrt(uniform(rng, self.scale[0], self.scale[1], (b, 2)))
        x0, x1 = _crop_bounds(rng, b, width, weight[:, 0])
        y0, y1 = _crop_bounds(rng, b, height, weight[:, 1])
        masks = box_masks(images_shape if len(images_shape) == 4 else (1,) + images_shape,
                          (x0, x1, y0, y1), self.data_format)
        probability = uniform(rng, self.factor[0], self.factor[1], (b,))
        threshold = uniform(rng, 0.0, 1.0, (b,))
        return {"apply_erasing": threshold < probability, "batch_masks": masks,
                "fill_value": self._fill(images_shape, rng)}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            masks = np.asarray(transformation["batch_masks"])
            fill = np.asarray(transformation["fill_value"], dtype=images.dtype)
            erased = anp.where(masks, fill, images)
            apply = np.asarray(transformation["apply_erasing"])[:, None, None, None]
            images = anp.where(apply, erased, images)
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale,
                       "fill_value": self.fill_value, "value_range": self.value_range,
                       "seed": self.seed})
        return config


def _crop_bounds(rng, batch_size, length, ratio):
    """Start/end of a window of `ratio * length` at a uniform position (float32)."""
    crop = (ratio * length).astype(np.float32)
    start = uniform(rng, 0, 1, (batch_size,)) * (np.float32(length) - crop)
    return start, start + crop


def box_masks(images_shape, corners, data_format):
    """Boolean `(B, H, W, C)` (or channels first) masks of `x0 <= x < x1`,
    `y0 <= y < y1` for float corners `(x0, x1, y0, y1)` of shape `(B,)`."""
    if data_format == "channels_first":
        c, h, w = images_shape[1:]
    else:
        h, w, c = images_shape[1:]
    gy, gx = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32),
                         indexing="ij")
    x0, x1, y0, y1 = (np.asarray(v, np.float32)[:, None, None] for v in corners)
    m = (gx >= x0) & (gx < x1) & (gy >= y0) & (gy < y1)
    if data_format == "channels_first":
        return np.repeat(m[:, None], c, axis=1)
    return np.repeat(m[..., None], c, axis=-1)
