"""`RandomBrightness`: add a random offset to images in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomBrightness(BaseAugmentationLayer):
    """A preprocessing layer which randomly adjusts brightness during training.

    Each image gets `delta * (value_range[1] - value_range[0])` added to all
    its pixels, with `delta` uniform in the factor range, and the result is
    clipped to `value_range`. Inactive at inference.

    Args:
        factor: a float in `[-1, 1]` (the range `[-factor, factor]`) or a
            pair `(lower, upper)`.
        value_range: the `(min, max)` range of the images.
        seed: int, for reproducible offsets.

    Example:

    >>> layer = keras.layers.RandomBrightness(factor=0.2, value_range=(0, 1))
    >>> layer(np.full((1, 2, 2, 3), 0.5), training=True).shape
    (1, 2, 2, 3)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self._make_seed_generator(seed)
        self.value_range = self._set_value_range_sorted(value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = np.shape(self._images_of(data))
        if len(shape) == 3:
            delta_shape = (1, 1, 1)
        elif len(shape) == 4:
            delta_shape = (shape[0], 1, 1, 1)
        else:
            raise ValueError(f"Expected the input image to be rank 3 or 4. Received "
                             f"inputs.shape={shape}")
        if not training:
            return {"rgb_delta": np.zeros(delta_shape, np.float32)}
        delta = uniform(self._rng(seed), self.factor[0], self.factor[1], delta_shape)
        return {"rgb_delta": delta * np.float32(self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if training:
            delta = np.asarray(transformation["rgb_delta"], dtype=images.dtype)
            if delta.ndim == 3:
                delta = delta[None]
            images = anp.clip(images + delta, self.value_range[0], self.value_range[1])
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "value_range": self.value_range,
                       "seed": self.seed})
        return config
