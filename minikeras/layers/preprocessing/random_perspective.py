"""`RandomPerspective`: random perspective warps of images in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import color_ops, image_ops
from minikeras.layers.preprocessing.augmentation_layer import WarpAugmentationLayer, uniform


class RandomPerspective(WarpAugmentationLayer):
    """A preprocessing layer that applies random perspective transformations.

    The four corners `(0, 0), (W-1, 0), (0, H-1), (W-1, H-1)` move to
    `corner * (1 + d)` with `d` uniform in `[-scale/2, scale/2]` per
    coordinate; the image is warped by the homography between them
    (constant fill). An image is warped when a uniform draw is below its
    probability (uniform in the factor range). Inactive at inference.

    Args:
        factor: a float in `[0, 1]` (probabilities `[0, factor]`) or a pair.
        scale: the distortion strength, in `[0, 1]`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: the value of pixels from outside the image.
        seed: int, for reproducible warps.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (0, 1)
    _SUPPORTED_INTERPOLATION = ("nearest", "bilinear")

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = scale
        self.fill_value = fill_value
        self.interpolation = interpolation
        self._make_seed_generator(seed)
        if scale < 0.0 or scale > 1.0:
            raise ValueError("The `scale` argument should be a number in the range [0,1]. "
                             f"Received: scale={scale}")
        if interpolation not in self._SUPPORTED_INTERPOLATION:
            raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of "
                                      f"one {self._SUPPORTED_INTERPOLATION}.")

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        b = self._batch_size(data)
        height, width = self._hw(data)
        rng = self._rng(seed)
        probability = uniform(rng, self.factor[0], self.factor[1], (b,))
        threshold = uniform(rng, 0.0, 1.0, (b,))
        factor = uniform(rng, -0.5 * self.scale, 0.5 * self.scale, (b, 4, 2))
        start = np.array([[[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                           [width - 1, height - 1]]], dtype=np.float32)
        start = np.repeat(start, b, axis=0)
        return {"apply_perspective": threshold < probability, "start_points": start,
                "end_points": (start + start * factor).astype(np.float32),
                "input_shape": np.shape(self._images_of(data))}

    def _warp(self, images, transformation, interpolation):
        x = self._cl(images)
        transform = color_ops.homography_matrix(transformation["start_points"],
                                                transformation["end_points"])
        out = image_ops.affine_transform(x, transform, interpolation=interpolation,
                                         fill_mode="constant", fill_value=self.fill_value)
        apply = np.asarray(transformation["apply_perspective"])[:, None, None, None]
        return self._from_cl(anp.where(apply, out, x))

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale,
                       "interpolation": self.interpolation, "fill_value": self.fill_value,
                       "seed": self.seed})
        return config
