"""`Dropout`: randomly zeroes inputs during training, scaling the rest."""
import numpy as np
from autograd.tracer import getval

from minikeras.backend.random import SeedGenerator
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class Dropout(Layer):
    """Sets input units to 0 with frequency `rate` during training.

    Kept units are scaled by `1 / (1 - rate)` so the expected sum is
    unchanged. Inactive at inference (`training=False`, the default of
    `predict` and `evaluate`).

    Args:
        rate: float in [0, 1), the fraction of units to drop.
        noise_shape: shape of the binary mask, broadcast against the input;
            `None` entries take the input's size (e.g. `(None, 1, None)`
            drops whole timesteps).
        seed: int, for reproducible masks.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value "
                f"between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return _v(inputs)
        shape = np.shape(getval(inputs))
        if self.noise_shape is not None:
            shape = tuple(s if n is None else n for s, n in zip(shape, self.noise_shape))
        keep = 1.0 - self.rate
        dtype = getval(inputs).dtype
        if keep <= 0:
            return inputs * np.zeros(shape, dtype=dtype)
        mask = (self.seed_generator.rng.random(shape, dtype=np.float32) < keep)
        return inputs * (mask.astype(dtype) / np.asarray(keep, dtype=dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
