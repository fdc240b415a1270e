"""`RandomTranslation`: shift images by a random offset during training."""
import numpy as np

from minikeras.layers.preprocessing.base_image_layer import (
    BaseRandomAffineLayer, signed_factor_range)


def _translation_factor(factor, name):
    return signed_factor_range(
        factor, name, "The `factor` argument should be a number (or a list of two numbers) "
        "in the range [-1.0, 1.0]. ")


def translation_transforms(dx, dy):
    dx = np.asarray(dx, dtype=np.float32)
    dy = np.asarray(dy, dtype=np.float32)
    one, zero = np.ones_like(dx), np.zeros_like(dx)
    return np.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1).astype(np.float32)


class RandomTranslation(BaseRandomAffineLayer):
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
        self._init_affine(fill_mode, interpolation, seed, fill_value)

    def _random_transforms(self, rng, batch, height, width):
        dy = rng.uniform(self.height_lower, self.height_upper, size=(batch,)) * height
        dx = rng.uniform(self.width_lower, self.width_upper, size=(batch,)) * width
        return translation_transforms(dx, dy)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config
