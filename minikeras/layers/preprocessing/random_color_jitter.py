"""`RandomColorJitter`: brightness, contrast, saturation and hue jitter in training."""
from minikeras.layers.preprocessing.augment_steps import _ContrastStep
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer
from minikeras.layers.preprocessing.random_brightness import RandomBrightness
from minikeras.layers.preprocessing.random_hue import RandomHue
from minikeras.layers.preprocessing.random_saturation import RandomSaturation


class RandomColorJitter(BaseAugmentationLayer):
    """Randomly apply brightness, contrast, saturation and hue changes.

    In training, the configured steps run in the order brightness,
    contrast, saturation, hue, each as the corresponding layer
    (`RandomBrightness`, `RandomContrast`, `RandomSaturation`, `RandomHue`)
    with its own random draw. Inactive at inference.

    Args:
        value_range: the `(min, max)` range of the images.
        brightness_factor, contrast_factor, saturation_factor, hue_factor:
            the factor of each step (None skips it).
        seed: int, for reproducible draws.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self._make_seed_generator(seed)
        fmt = dict(data_format=data_format)
        self.random_brightness = None if brightness_factor is None else RandomBrightness(
            brightness_factor, value_range=value_range, seed=seed, **fmt)
        self.random_contrast = None if contrast_factor is None else _ContrastStep(
            contrast_factor, value_range=value_range, seed=seed, **fmt)
        self.random_saturation = None if saturation_factor is None else RandomSaturation(
            saturation_factor, value_range=value_range, seed=seed, **fmt)
        self.random_hue = None if hue_factor is None else RandomHue(
            hue_factor, value_range=value_range, seed=seed, **fmt)

    def _steps(self):
        return [s for s in (self.random_brightness, self.random_contrast,
                            self.random_saturation, self.random_hue) if s is not None]

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if not training:
            return images
        for step in self._steps():
            t = step.get_random_transformation(images, seed=self.seed_generator.rng)
            images = step.transform_images(images, t)
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range,
                       "brightness_factor": self.brightness_factor,
                       "contrast_factor": self.contrast_factor,
                       "saturation_factor": self.saturation_factor,
                       "hue_factor": self.hue_factor, "seed": self.seed})
        return config
