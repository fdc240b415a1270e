"""`RandomInvert`: invert the colors of some images in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomInvert(BaseAugmentationLayer):
    """A preprocessing layer which randomly inverts images during training.

    An image is replaced by `value_range[1] - image` when a uniform draw is
    below its inversion probability (itself uniform in the factor range).

    Args:
        factor: a float in `[0, 1]` (probabilities `[0, factor]`) or a pair.
        value_range: the `(min, max)` range of the images.
        seed: int, for reproducible draws.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        b = self._batch_size(data)
        rng = self._rng(seed)
        probability = uniform(rng, self.factor[0], self.factor[1], (b,))
        threshold = uniform(rng, 0, 1, (b,))
        return {"apply_inversion": threshold < probability}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            apply = np.asarray(transformation["apply_inversion"])[:, None, None, None]
            images = anp.where(apply, np.asarray(self.value_range[1], images.dtype) - images,
                               images)
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
