"""`RandomPosterization`: keep only the top bits of each color in training."""
import numpy as np

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer


class RandomPosterization(BaseAugmentationLayer):
    """A preprocessing layer which reduces the bits per color channel.

    Each image keeps `b` bits per channel (`b` an integer drawn in
    `[1, factor)`, or exactly `factor` for a pair of equal bounds): values
    mapped to `[0, 255]`, truncated to uint8, shifted right then left by
    `8 - b`, and mapped back to `value_range`. Inactive at inference; not
    differentiable.

    Args:
        factor: an int in `[1, 8]` or a pair of ints.
        value_range: the `(min, max)` range of the images.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible draws.
    """

    _FACTOR_BOUNDS = (1, 8)
    _MAX_FACTOR = 8

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = self._set_value_range_sorted(value_range)
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        b = self._batch_size(data)
        if self.factor[0] != self.factor[1]:
            bits = self._rng(seed).integers(int(self.factor[0]), int(self.factor[1]), size=(b,))
        else:
            bits = np.full((b,), int(self.factor[0]))
        return {"shift_factor": (self._MAX_FACTOR - bits).astype(np.uint8)}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        from autograd.tracer import getval
        x = np.asarray(getval(images))
        shift = np.asarray(transformation["shift_factor"], dtype=np.uint8).reshape(-1, 1, 1, 1)
        x = self._transform_value_range(x, self.value_range, (0, 255))
        x = x.astype(np.uint8)
        x = np.left_shift(np.right_shift(x, shift), shift).astype(self.compute_dtype)
        return self._transform_value_range(x, (0, 255), self.value_range)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
