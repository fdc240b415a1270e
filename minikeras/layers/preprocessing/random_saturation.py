"""`RandomSaturation`: scale the saturation of images in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.backend import config as backend_config
from minikeras.layers.preprocessing import color_ops
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomSaturation(BaseAugmentationLayer):
    """A preprocessing layer which randomly adjusts the saturation in training.

    For a draw `f` in the factor range, the HSV saturation is multiplied by
    `f / (1 - f + epsilon)` (so `f = 0.5` keeps it, `0` makes the image
    gray, values near 1 saturate it), clipped to `value_range`, and the
    image converted back to RGB, as in Keras 3. Inactive at inference.

    Args:
        factor: a float (range `[-factor, factor]`, as Keras' base class
            interprets it) or a pair `(lower, upper)` in `[0, 1]`.
        value_range: the `(min, max)` range of the images.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible factors.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = sorted(value_range)
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        b = self._batch_size(data)
        factor = uniform(self._rng(seed), self.factor[0], self.factor[1], (b,))
        factor = factor / (np.float32(1) - factor + np.float32(backend_config.epsilon()))
        return {"factor": factor.astype(np.float32)}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        x = self._cl(images)
        factor = np.asarray(transformation["factor"], dtype=x.dtype).reshape(-1, 1, 1)
        hsv = color_ops.rgb_to_hsv(x)
        s = anp.clip(hsv[..., 1] * factor, self.value_range[0], self.value_range[1])
        x = color_ops.hsv_to_rgb(anp.stack([hsv[..., 0], s, hsv[..., 2]], axis=-1))
        return self._from_cl(x)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
