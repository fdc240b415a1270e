"""`RandomTranslation`: shift images by a random offset during training."""
import numpy as np

from minikeras.backend.random import SeedGenerator
from minikeras.layers.preprocessing import image_ops
from minikeras.layers.preprocessing.base_image_layer import (
    BaseImagePreprocessingLayer, affine_layer_init_checks)


def _translation_factor(factor, name):
    msg = ("The `factor` argument should be a number (or a list of two numbers) in the range "
           "[-1.0, 1.0]. ")
    values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
    if isinstance(factor, (tuple, list)) and len(factor) != 2:
        raise ValueError(msg + f"Received: {name}={factor}")
    for v in values:
        if not isinstance(v, (int, float)) or v > 1.0 or v < -1.0:
            raise ValueError(msg + f"Received: input_number={v}")
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(factor))
    return (-abs(factor), abs(factor))


def translation_transforms(dx, dy):
    dx = np.asarray(dx, dtype=np.float32)
    dy = np.asarray(dy, dtype=np.float32)
    one, zero = np.ones_like(dx), np.zeros_like(dx)
    return np.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1).astype(np.float32)


class RandomTranslation(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly translates images during training.

    Each image is shifted by `height_factor * height` rows and
    `width_factor * width` columns (drawn per image); empty areas are filled
    according to `fill_mode`. Inactive at inference.

    Args:
        height_factor: a float (range `[-f, f]`) or a pair `(lower, upper)` in
            `[-1, 1]`, as fractions of the height; positive values shift down.
        width_factor: same for the width; positive values shift right.
        fill_mode, interpolation, seed, fill_value, data_format: as in
            `RandomRotation`.
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _translation_factor(height_factor,
                                                                   "height_factor")
        self.width_factor = width_factor
        self.width_lower, self.width_upper = _translation_factor(width_factor, "width_factor")
        affine_layer_init_checks(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)

    def call(self, data, training=True):
        x, single = self._as_batch(data)
        if training:
            b, h, w = x.shape[:3]
            rng = self.seed_generator.rng
            dy = rng.uniform(self.height_lower, self.height_upper, size=(b,)) * h
            dx = rng.uniform(self.width_lower, self.width_upper, size=(b,)) * w
            x = image_ops.affine_transform(x, translation_transforms(dx, dy),
                                           self.interpolation, self.fill_mode, self.fill_value)
        return self._restore(x, single)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config
