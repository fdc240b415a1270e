"""`Solarization`: invert the pixels above a threshold in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform

_FACTOR_ERROR = ("The `addition_factor` and `threshold_factor` arguments should be a number "
                 "(or a list of two numbers) in the range [0, 1]. ")


class Solarization(BaseAugmentationLayer):
    """Applies `(max - pixel)` to the pixels above a threshold (in training).

    On the `[0, 255]` scale: `x = clip(image + addition, 0, 255)`, then
    `x` where `x < threshold`, else `255 - x`, mapped back to `value_range`.
    `addition` is uniform in `[a0, a1 * 255]` and `threshold` in
    `[t0, t1 * 255]` per image (Keras 3's ranges). With the default factors
    (0) every pixel is inverted. Inactive at inference.

    Args:
        addition_factor: a float in `[0, 1]` or a pair.
        threshold_factor: a float in `[0, 1]` or a pair.
        value_range: the `(min, max)` range of the images.
        seed: int, for reproducible draws.
    """

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(**kwargs)
        self._make_seed_generator(seed)
        self.addition_factor = self._named_factor(addition_factor, "addition_factor")
        self.threshold_factor = self._named_factor(threshold_factor, "threshold_factor")
        self.value_range = self._set_value_range_sorted(value_range)

    @staticmethod
    def _named_factor(factor, name):
        def check(v):
            if v > 1.0 or v < 0:
                raise ValueError(_FACTOR_ERROR + f"Received: input_number={v}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2:
                raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")
            check(factor[0])
            check(factor[1])
            return tuple(sorted(factor))
        if isinstance(factor, (int, float)) and not isinstance(factor, bool):
            check(factor)
            return (0, factor)
        raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = np.shape(self._images_of(data))
        fshape = (shape[0], 1, 1, 1) if len(shape) == 4 else (1, 1, 1)
        rng = self._rng(seed)
        a0, a1 = self.addition_factor
        t0, t1 = self.threshold_factor
        return {"additions": uniform(rng, a0, a1 * 255, fshape),
                "thresholds": uniform(rng, t0, t1 * 255, fshape)}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training or transformation is None:
            return images
        dt = images.dtype
        thresholds = np.asarray(transformation["thresholds"], dt)
        additions = np.asarray(transformation["additions"], dt)
        if thresholds.ndim == 3:
            thresholds, additions = thresholds[None], additions[None]
        x = self._transform_value_range(images, self.value_range, (0, 255))
        x = anp.clip(x + additions, 0, 255)
        x = anp.where(x < thresholds, x, np.asarray(255, dt) - x)
        return self._transform_value_range(x, (0, 255), self.value_range)

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range,
                       "addition_factor": self.addition_factor,
                       "threshold_factor": self.threshold_factor, "seed": self.seed})
        return config
