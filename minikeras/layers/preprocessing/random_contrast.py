"""`RandomContrast`: scale each image's contrast by a random factor in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.backend.random import SeedGenerator
from minikeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class RandomContrast(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly adjusts contrast during training.

    For each image and channel, `(x - mean) * contrast_factor + mean`, where
    `mean` is the channel's mean over the pixels and `contrast_factor` is
    drawn uniformly from `[1 - lower, 1 + upper]`; the result is clipped to
    `value_range`. Inactive at inference.

    Args:
        factor: a non-negative float, or a pair `(lower, upper)` in `[0, 1]`.
        value_range: the `(min, max)` range of the images.
        seed: int, for reproducible factors.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)

    def call(self, data, training=True):
        x, single = self._as_batch(data)
        if training:
            b = x.shape[0]
            f = self.seed_generator.rng.uniform(1.0 - self.factor[0], 1.0 + self.factor[1],
                                                size=(b, 1, 1, 1)).astype(np.float32)
            h, w = x.shape[1:3]
            mean = anp.sum(anp.sum(x, axis=1, keepdims=True) / h, axis=2, keepdims=True) / w
            x = (x - mean) * f + mean
            x = anp.clip(x, self.value_range[0], self.value_range[1])
        return self._restore(x, single)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
