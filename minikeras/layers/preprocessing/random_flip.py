"""`RandomFlip`: randomly flip images during training."""
from minikeras.backend.random import SeedGenerator
from minikeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from minikeras.ops._primitives import where

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


class RandomFlip(BaseImagePreprocessingLayer):
    """A preprocessing layer which randomly flips images during training.

    Each image is flipped with probability 1/2 (`"horizontal_and_vertical"`
    flips both axes together for the chosen images). At inference time the
    images pass through unchanged.

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"`.
        seed: int, for reproducible flips.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError(f"RandomFlip layer {self.name} received an unknown mode argument "
                             f"{mode}. Expected one of '{HORIZONTAL}', '{VERTICAL}', "
                             f"'{HORIZONTAL_AND_VERTICAL}'.")
        self.mode = mode
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)

    def call(self, data, training=True):
        x, single = self._as_batch(data)
        if training:
            flips = self.seed_generator.rng.random((x.shape[0], 1, 1, 1)) <= 0.5
            if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
                x = where(flips, x[:, :, ::-1], x)
            if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
                x = where(flips, x[:, ::-1], x)
        return self._restore(x, single)

    def get_config(self):
        config = super().get_config()
        config.update({"seed": self.seed, "mode": self.mode})
        return config
