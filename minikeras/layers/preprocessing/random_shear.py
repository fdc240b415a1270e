"""`RandomShear`: shear images along x and/or y by random amounts in training."""
import numpy as np

from minikeras.layers.preprocessing import image_ops
from minikeras.layers.preprocessing.augmentation_layer import WarpAugmentationLayer, uniform

_FACTOR_ERROR = ("The `factor` argument should be a number (or a list of two numbers) in the "
                 "range [0, 1.0]. ")


class RandomShear(WarpAugmentationLayer):
    """A preprocessing layer that randomly applies shear transformations.

    Output pixel `(x, y)` reads the input at `(x + sx * y, sy * x + y)`
    (the projective transform `[1, sx, 0, sy, 1, 0, 0, 0]`), with `sx`, `sy`
    uniform in the factor ranges and a random common sign per image, filled
    and interpolated like `RandomRotation`. Inactive at inference.

    Args:
        x_factor: a float in `[0, 1]` (range `[-x_factor, x_factor]`) or a pair.
        y_factor: same for the y direction.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        fill_value: the value outside the image with `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible shears.
    """

    _SUPPORTED_FILL_MODE = ("reflect", "wrap", "constant", "nearest")
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.x_factor = self._named_factor(x_factor, "x_factor")
        self.y_factor = self._named_factor(y_factor, "y_factor")
        if fill_mode not in self._SUPPORTED_FILL_MODE:
            raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                      f"{self._SUPPORTED_FILL_MODE}.")
        if interpolation not in self._SUPPORTED_INTERPOLATION:
            raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of "
                                      f"one {self._SUPPORTED_INTERPOLATION}.")
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self._make_seed_generator(seed)

    @staticmethod
    def _named_factor(factor, name):
        def check(v, low=0.0):
            if v > 1.0 or v < low:
                raise ValueError(_FACTOR_ERROR + f"Received: input_number={v}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2:
                raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")
            # A pair may be the `(-f, f)` that get_config stores (Keras 3.15 rejects it,
            # so its config does not round-trip; this one does).
            check(factor[0], -1.0)
            check(factor[1], -1.0)
            return tuple(sorted(factor))
        if isinstance(factor, (int, float)) and not isinstance(factor, bool):
            check(factor)
            return (-abs(factor), abs(factor))
        raise ValueError(_FACTOR_ERROR + f"Received: {name}={factor}")

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        b = self._batch_size(data)
        rng = self._rng(seed)
        invert = uniform(rng, 0, 1, (b, 1))
        invert = np.where(invert > 0.5, np.float32(-1), np.float32(1))
        shear_y = uniform(rng, self.y_factor[0], self.y_factor[1], (b, 1))
        shear_x = uniform(rng, self.x_factor[0], self.x_factor[1], (b, 1))
        return {"shear_factor": (np.concatenate([shear_x, shear_y], axis=1) * invert
                                 ).astype(np.float32),
                "input_shape": np.shape(self._images_of(data))}

    @staticmethod
    def shear_matrix(shear_factors):
        """`(B, 2)` shears -> `(B, 8)` projective transforms."""
        s = np.asarray(shear_factors, dtype=np.float32)
        one, zero = np.ones(len(s), np.float32), np.zeros(len(s), np.float32)
        return np.stack([one, s[:, 0], zero, s[:, 1], one, zero, zero, zero], axis=1)

    def _warp(self, images, transformation, interpolation):
        x = self._cl(images)
        x = image_ops.affine_transform(x, self.shear_matrix(transformation["shear_factor"]),
                                       interpolation=interpolation, fill_mode=self.fill_mode,
                                       fill_value=self.fill_value)
        return self._from_cl(x)

    def get_config(self):
        config = super().get_config()
        config.update({"x_factor": self.x_factor, "y_factor": self.y_factor,
                       "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                       "seed": self.seed, "fill_value": self.fill_value,
                       "data_format": self.data_format})
        return config
