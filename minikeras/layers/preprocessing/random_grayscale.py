"""`RandomGrayscale`: turn some images to grayscale in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import color_ops
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomGrayscale(BaseAugmentationLayer):
    """A preprocessing layer which randomly converts images to grayscale.

    With probability `factor` an image is replaced by its luma
    `0.2989 R + 0.5870 G + 0.1140 B`, repeated over the channels (the number
    of channels is kept). Inactive at inference.

    Args:
        factor: probability in `[0, 1]` (default 0.5).
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible draws.
    """

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor
        self._make_seed_generator(seed)

    def get_random_transformation(self, images, training=True, seed=None):
        b = self._batch_size(images)
        values = uniform(self._rng(seed), 0, 1, (b,))
        return (values < self.factor)[:, None, None, None]

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training:
            return images
        apply = transformation if transformation is not None else \
            self.get_random_transformation(images)
        gray = self._from_cl(color_ops.rgb_to_grayscale(self._cl(images)))
        return anp.where(np.asarray(apply), gray + np.zeros((), images.dtype), images)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config
