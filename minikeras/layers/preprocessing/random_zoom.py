"""`RandomZoom`: zoom images in or out by a random factor during training."""
import numpy as np

from minikeras.layers.preprocessing.base_image_layer import (
    BaseRandomAffineLayer, signed_factor_range)


def _zoom_factor(factor, name):
    return signed_factor_range(
        factor, name, "The `height_factor` and `width_factor` arguments should be a number "
        "(or a list of two numbers) in the range (-1.0, 1.0]. ", lower_open=True)


def zoom_transforms(width_zoom, height_zoom, height, width):
    zx = np.asarray(width_zoom, dtype=np.float32)
    zy = np.asarray(height_zoom, dtype=np.float32)
    x_off = (np.float32(width) - 1) / 2 * (1 - zx)
    y_off = (np.float32(height) - 1) / 2 * (1 - zy)
    z = np.zeros_like(zx)
    return np.stack([zx, z, x_off, z, zy, y_off, z, z], axis=1).astype(np.float32)


class RandomZoom(BaseRandomAffineLayer):
    """A preprocessing layer which randomly zooms images during training.

    A positive factor zooms out (the image shrinks, `fill_mode` fills the
    border), a negative one zooms in: the sampling grid is scaled by
    `1 + factor` about the image center. Inactive at inference.

    Args:
        height_factor: a float (range `[-f, f]`) or a pair `(lower, upper)` in
            `(-1, 1]`.
        width_factor: same for the width; None zooms both axes by the same
            (height) factor, preserving the aspect ratio.
        fill_mode, interpolation, seed, fill_value, data_format: as in
            `RandomRotation`.
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _zoom_factor(height_factor, "height_factor")
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _zoom_factor(width_factor, "width_factor")
        self._init_affine(fill_mode, interpolation, seed, fill_value)

    def _random_transforms(self, rng, batch, height, width):
        hz = rng.uniform(1.0 + self.height_lower, 1.0 + self.height_upper, size=(batch,))
        wz = (rng.uniform(1.0 + self.width_lower, 1.0 + self.width_upper, size=(batch,))
              if self.width_factor is not None else hz)
        return zoom_transforms(wz, hz, height, width)

    def get_config(self):
        config = super().get_config()
        config.update({"height_factor": self.height_factor, "width_factor": self.width_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value})
        return config
