"""Transformation-protocol versions of the geometric and contrast layers.

`RandAugment`, `AugMix` and `RandomColorJitter` draw a transformation from
each sub-layer and apply it with `transform_images`. `RandomRotation`,
`RandomTranslation` and `RandomContrast` predate that protocol in
minikeras, so these private steps give the same operations (same factors,
formulas and warps) behind `get_random_transformation` /
`transform_images`.
"""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing import image_ops
from minikeras.layers.preprocessing.augmentation_layer import (
    BaseAugmentationLayer, WarpAugmentationLayer, uniform)
from minikeras.layers.preprocessing.base_image_layer import affine_layer_init_checks
from minikeras.layers.preprocessing.random_rotation import rotation_transforms
from minikeras.layers.preprocessing.random_translation import (
    _translation_factor, translation_transforms)


class _WarpStep(WarpAugmentationLayer):
    def __init__(self, interpolation="bilinear", fill_mode="reflect", fill_value=0.0, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        affine_layer_init_checks(fill_mode, interpolation)
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self._make_seed_generator(seed)

    def _transforms(self, transformation, height, width):
        raise NotImplementedError

    def _warp(self, images, transformation, interpolation):
        x = self._cl(self._cast(images))
        t = self._transforms(transformation, x.shape[1], x.shape[2])
        return self._from_cl(image_ops.affine_transform(x, t, interpolation, self.fill_mode,
                                                        self.fill_value))


class _RotationStep(_WarpStep):
    """`RandomRotation`: angle in degrees, uniform in `factor * 360`."""

    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        b = self._batch_size(data)
        return {"angle": uniform(self._rng(seed), self.factor[0] * 360.0,
                                 self.factor[1] * 360.0, (b,))}

    def _transforms(self, transformation, height, width):
        return rotation_transforms(transformation["angle"], height, width)


class _TranslationStep(_WarpStep):
    """`RandomTranslation`: shifts as fractions of the height and width."""

    def __init__(self, height_factor, width_factor, **kwargs):
        super().__init__(**kwargs)
        self.height_factor = _translation_factor(height_factor, "height_factor")
        self.width_factor = _translation_factor(width_factor, "width_factor")

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        b = self._batch_size(data)
        rng = self._rng(seed)
        return {"height": uniform(rng, *self.height_factor, (b,)),
                "width": uniform(rng, *self.width_factor, (b,))}

    def _transforms(self, transformation, height, width):
        return translation_transforms(np.asarray(transformation["width"]) * width,
                                      np.asarray(transformation["height"]) * height)


class _ContrastStep(BaseAugmentationLayer):
    """`RandomContrast`: `(x - mean) * f + mean`, `f` uniform in `[1 - lower, 1 + upper]`."""

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = np.shape(self._images_of(data))
        fshape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"contrast_factor": np.zeros(fshape, np.float32)}
        return {"contrast_factor": uniform(self._rng(seed), 1.0 - self.factor[0],
                                           1.0 + self.factor[1], fshape)}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training:
            return images
        x = self._cl(images)
        f = np.asarray(transformation["contrast_factor"], x.dtype).reshape(-1, 1, 1, 1)
        mean = anp.mean(anp.mean(x, axis=1, keepdims=True), axis=2, keepdims=True)
        x = anp.clip((x - mean) * f + mean, self.value_range[0], self.value_range[1])
        return self._from_cl(x)


def make_augment_layers(names, factor, value_range, interpolation, seed, data_format):
    """The sub-layers of `RandAugment` / `AugMix`, by Keras attribute name."""
    from minikeras.layers.preprocessing.auto_contrast import AutoContrast
    from minikeras.layers.preprocessing.equalization import Equalization
    from minikeras.layers.preprocessing.random_brightness import RandomBrightness
    from minikeras.layers.preprocessing.random_color_degeneration import (
        RandomColorDegeneration)
    from minikeras.layers.preprocessing.random_posterization import RandomPosterization
    from minikeras.layers.preprocessing.random_sharpness import RandomSharpness
    from minikeras.layers.preprocessing.random_shear import RandomShear
    from minikeras.layers.preprocessing.solarization import Solarization
    fmt = dict(data_format=data_format)
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor,
                                            interpolation=interpolation, seed=seed, **fmt),
        "random_translation": lambda: _TranslationStep(factor, factor,
                                                       interpolation=interpolation,
                                                       seed=seed, **fmt),
        "random_rotation": lambda: _RotationStep(factor, interpolation=interpolation,
                                                 seed=seed, **fmt),
        "random_brightness": lambda: RandomBrightness(factor, value_range=value_range,
                                                      seed=seed, **fmt),
        "random_color_degeneration": lambda: RandomColorDegeneration(
            factor, value_range=value_range, seed=seed, **fmt),
        "random_contrast": lambda: _ContrastStep(factor, value_range=value_range, seed=seed,
                                                 **fmt),
        "random_sharpness": lambda: RandomSharpness(factor, value_range=value_range,
                                                    seed=seed, **fmt),
        "random_posterization": lambda: RandomPosterization(
            max(1, int(8 * factor[1])), value_range=value_range, seed=seed, **fmt),
        "solarization": lambda: Solarization(addition_factor=factor, threshold_factor=factor,
                                             value_range=value_range, seed=seed, **fmt),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, **fmt),
        "equalization": lambda: Equalization(value_range=value_range, **fmt),
    }
    return {name: makers[name]() for name in names}
