"""`RandomHue`: shift the hue of images by a random amount in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import color_ops
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomHue(BaseAugmentationLayer):
    """A preprocessing layer which randomly adjusts the hue during training.

    Each image's hue (HSV, in `[0, 1)`) is shifted by `±f / 2` with `f`
    uniform in the factor range and a random sign, wrapping around; the
    result is converted back to RGB and clipped. Inactive at inference.

    Args:
        factor: a float in `[0, 1]` (range `[0, factor]`) or a pair.
        value_range: the `(min, max)` range of the images.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible shifts.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        b = self._batch_size(data)
        rng = self._rng(seed)
        invert = uniform(rng, 0, 1, (b,))
        invert = np.where(invert > 0.5, np.float32(-1), np.float32(1))
        factor = uniform(rng, self.factor[0], self.factor[1], (b,))
        return {"factor": (invert * factor * np.float32(0.5)).astype(np.float32)}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        x = self._transform_value_range(self._cl(images), self.value_range, (0, 1))
        shift = np.asarray(transformation["factor"], dtype=x.dtype).reshape(-1, 1, 1)
        hsv = color_ops.rgb_to_hsv(x)
        h = hsv[..., 0] + shift
        h = anp.where(h > 1.0, h - np.float32(1), h)
        h = anp.where(h < 0.0, h + np.float32(1), h)
        x = color_ops.hsv_to_rgb(anp.stack([h, hsv[..., 1], hsv[..., 2]], axis=-1))
        x = anp.clip(x, 0, 1)
        x = self._transform_value_range(x, (0, 1), self.value_range)
        return self._from_cl(x)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
