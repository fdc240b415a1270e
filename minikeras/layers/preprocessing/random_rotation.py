"""`RandomRotation`: rotate images by a random angle during training."""
import math

import numpy as np

from minikeras.layers.preprocessing.base_image_layer import BaseRandomAffineLayer


def rotation_transforms(angles_deg, height, width):
    """Keras' 8-parameter transforms for rotations about the image center."""
    a = np.asarray(angles_deg, dtype=np.float32) * np.float32(math.pi / 180.0)
    cx = np.float32(0.5) * (np.float32(width) - 1)
    cy = np.float32(0.5) * (np.float32(height) - 1)
    cos, sin = np.cos(a), np.sin(a)
    a0, a1 = cos, -sin
    b0, b1 = sin, cos
    a2 = cx - cx * a0 - cy * a1
    b2 = cy - cx * b0 - cy * b1
    zeros = np.zeros_like(a)
    return np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1).astype(np.float32)


class RandomRotation(BaseRandomAffineLayer):
    """A preprocessing layer which randomly rotates images during training.

    Each image is rotated by an angle drawn uniformly from
    `factor * 2 * pi` (e.g. `factor=0.2` gives up to +/-72 degrees); empty
    areas are filled according to `fill_mode`. Inactive at inference.

    Args:
        factor: a float (range `[-factor, factor]`) or a pair `(lower,
            upper)`, as fractions of a full turn; positive values rotate
            counter clock-wise.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: int, for reproducible rotations.
        fill_value: the value outside the image with `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._init_affine(fill_mode, interpolation, seed, fill_value)

    def _random_transforms(self, rng, batch, height, width):
        angles = rng.uniform(self.factor[0] * 360.0, self.factor[1] * 360.0, size=(batch,))
        return rotation_transforms(angles, height, width)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "fill_mode": self.fill_mode,
                       "fill_value": self.fill_value, "interpolation": self.interpolation,
                       "seed": self.seed})
        return config
