"""`RandomColorDegeneration`: blend images toward their grayscale in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import color_ops
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomColorDegeneration(BaseAugmentationLayer):
    """A preprocessing layer which randomly degenerates the color of images.

    `image + f * (gray(image) - image)` with `f` uniform in the factor
    range, clipped to `value_range`. Inactive at inference.

    Args:
        factor: a float (range `[-factor, factor]` within `[-1, 1]`) or a
            pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible factors.
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = self._set_value_range_sorted(value_range)
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        b = self._batch_size(data)
        return {"factor": uniform(self._rng(seed), self.factor[0], self.factor[1],
                                  (b, 1, 1, 1))}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        x = self._cl(images)
        factor = np.asarray(transformation["factor"], dtype=x.dtype).reshape(-1, 1, 1, 1)
        x = x + factor * (color_ops.rgb_to_grayscale(x) - x)
        x = anp.clip(x, self.value_range[0], self.value_range[1])
        return self._from_cl(x)

    def compute_output_shape(self, input_shape):
        if len(input_shape) not in (3, 4):
            raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 "
                             f"(batch of images). Received: input_shape={input_shape}")
        channels = input_shape[-1 if self.data_format == "channels_last" else -3]
        if channels is not None and channels != 3:
            raise ValueError("Input images must have 3 channels, but received images with "
                             f"{channels} channels.")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
