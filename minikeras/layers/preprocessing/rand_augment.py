"""`RandAugment`: apply `num_ops` randomly chosen augmentations in training."""
import numpy as np

from minikeras.layers.preprocessing.augment_steps import make_augment_layers
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer

AUGMENT_LAYERS = ["random_shear", "random_translation", "random_rotation", "random_brightness",
                  "random_color_degeneration", "random_contrast", "random_sharpness",
                  "random_posterization", "solarization", "auto_contrast", "equalization"]


class RandAugment(BaseAugmentationLayer):
    """RandAugment performs the Rand Augment operation on input images.

    Each call draws `num_ops` operation indices (with repetition) among
    shear, translation, rotation, brightness, color degeneration, contrast,
    sharpness, posterization, solarization, auto-contrast and equalization
    (all with magnitude `factor`), draws one transformation per operation,
    and applies the chosen operations in order to the whole batch. Inactive
    at inference.

    Args:
        value_range: the `(min, max)` range of the images.
        num_ops: number of operations per call (default 2).
        factor: magnitude, a float in `[0, 1]` (range `[0, factor]`) or a pair.
        interpolation: `"bilinear"` or `"nearest"` for the geometric operations.
        seed: int, for reproducible draws.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (0, 1)
    _AUGMENT_LAYERS = AUGMENT_LAYERS

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self._set_factor(factor)
        self.interpolation = interpolation
        self._make_seed_generator(seed)
        for name, layer in make_augment_layers(AUGMENT_LAYERS, self.factor, value_range,
                                               interpolation, seed, data_format).items():
            setattr(self, name, layer)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        rng = self._rng(seed)
        layer_idxes = rng.integers(0, len(AUGMENT_LAYERS), size=(self.num_ops,))
        transforms = {name: getattr(self, name).get_random_transformation(data, training=True,
                                                                          seed=rng)
                      for name in AUGMENT_LAYERS}
        return {"transforms": transforms, "layer_idxes": layer_idxes.astype(np.int32)}

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            transforms = transformation["transforms"]
            for idx in np.asarray(transformation["layer_idxes"]).tolist():
                name = AUGMENT_LAYERS[int(idx)]
                images = self._cast(getattr(self, name).transform_images(
                    images, transforms[name]))
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training and transformation is not None:
            transforms = transformation["transforms"]
            for idx in np.asarray(transformation["layer_idxes"]).tolist():
                name = AUGMENT_LAYERS[int(idx)]
                segmentation_masks = getattr(self, name).transform_segmentation_masks(
                    segmentation_masks, transforms[name])
        return segmentation_masks

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "num_ops": self.num_ops,
                       "factor": self.factor, "interpolation": self.interpolation,
                       "seed": self.seed})
        return config
