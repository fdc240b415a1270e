"""`RandomGaussianBlur`: blur some images with a random Gaussian in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import color_ops
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform


class RandomGaussianBlur(BaseAugmentationLayer):
    """Applies a Gaussian blur to some images during training.

    The kernel has `kernel_size` taps and standard deviations `(sx, sy)`
    drawn uniformly in the `sigma` range (plus 1e-6); it is applied with
    zero 'SAME' padding to the images whose uniform draw is below their
    probability (uniform in the factor range), then clipped to
    `value_range`. Inactive at inference.

    Args:
        factor: a float in `[0, 1]` (probabilities `[0, factor]`) or a pair.
        kernel_size: an odd int, or a pair of odd ints.
        sigma: a float in `[0, 1]` (range `[0, sigma]`) or a pair.
        value_range: the `(min, max)` range of the images.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible blurs.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.kernel_size = self._kernel_size(kernel_size, "kernel_size")
        self.sigma = self._bounded_factor(sigma, "sigma")
        self.value_range = value_range
        self._make_seed_generator(seed)

    @staticmethod
    def _kernel_size(size, name):
        msg = f"{name} must be an odd number. Received: {name}={size}"
        if isinstance(size, (tuple, list)):
            if len(size) != 2:
                raise ValueError(f"The `{name}` argument should be a number (or a list of two "
                                 f"numbers) Received: {name}={size}")
            if size[0] % 2 == 0 or size[1] % 2 == 0:
                raise ValueError(msg)
            return (size[0], size[1])
        if isinstance(size, (int, float)) and not isinstance(size, bool):
            if size % 2 == 0:
                raise ValueError(msg)
            return (size, size)
        raise ValueError(msg)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        b = self._batch_size(data)
        rng = self._rng(seed)
        probability = uniform(rng, self.factor[0], self.factor[1], (b,))
        threshold = uniform(rng, 0.0, 1.0, (b,))
        blur = uniform(rng, self.sigma[0], self.sigma[1], (2,)) + np.float32(1e-6)
        return {"should_apply_blur": threshold < probability, "blur_factor": blur}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            x = self._cl(images)
            kernel = color_ops.gaussian_kernel(self.kernel_size,
                                               np.asarray(transformation["blur_factor"]),
                                               x.dtype)
            blurred = color_ops.depthwise_conv_same(x, kernel)
            apply = np.asarray(transformation["should_apply_blur"])[:, None, None, None]
            x = anp.clip(anp.where(apply, blurred, x), self.value_range[0],
                         self.value_range[1])
            images = self._from_cl(x)
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "kernel_size": self.kernel_size,
                       "sigma": self.sigma, "value_range": self.value_range,
                       "seed": self.seed})
        return config
