"""`GaussianDropout`: multiplicative 1-centered noise, only in training."""
import math

import numpy as np
from autograd.tracer import getval

from minikeras.backend.random import SeedGenerator
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class GaussianDropout(Layer):
    """Apply multiplicative 1-centered Gaussian noise.

    The noise has standard deviation `sqrt(rate / (1 - rate))`. Only active
    at training time.

    Args:
        rate: float in [0, 1], the drop probability (as with `Dropout`).
        seed: int, for reproducible noise.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a "
                             f"float value between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        inputs = _v(inputs)
        if training and self.rate > 0:
            x = getval(inputs)
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = self.seed_generator.rng.standard_normal(np.shape(x), dtype=np.float32)
            return inputs * (1.0 + noise * np.float32(stddev)).astype(x.dtype, copy=False)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
