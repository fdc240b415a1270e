"""`RandomSharpness`: blend images with a smoothed copy in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import color_ops
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform

_A, _B = 1.0 / 13.0, 5.0 / 13.0
SMOOTH_KERNEL = np.array([[_A, _A, _A], [_A, _B, _A], [_A, _A, _A]])


class RandomSharpness(BaseAugmentationLayer):
    """A preprocessing layer which randomly adjusts the sharpness in training.

    With `s = 2 f` (`f` uniform in the factor range) the output is
    `image + (1 - s) * (smoothed - image)`, where `smoothed` is the image
    filtered by the 3x3 kernel `[[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13`
    (zero padding); `f = 0.5` keeps the image. Clipped to `value_range`.

    Args:
        factor: a float in `[0, 1]` (range `[0, factor]`) or a pair.
        value_range: the `(min, max)` range of the images.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible factors.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = sorted(value_range)
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        b = self._batch_size(data)
        return {"factor": uniform(self._rng(seed), self.factor[0], self.factor[1], (b,))}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        x = self._cl(images)
        s = (np.asarray(transformation["factor"], dtype=x.dtype) * 2).reshape(-1, 1, 1, 1)
        smoothed = color_ops.depthwise_conv_same(x, SMOOTH_KERNEL)
        x = x + (np.float32(1) - s) * (smoothed - x)
        x = anp.clip(x, self.value_range[0], self.value_range[1])
        return self._from_cl(x)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
