"""`AlphaDropout`: dropout that keeps SELU's self-normalizing statistics."""
import numpy as np
from autograd.tracer import getval

from minikeras.backend.random import SeedGenerator
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class AlphaDropout(Layer):
    """Applies Alpha Dropout to the input.

    Dropped units are set to SELU's negative saturation value
    `-alpha * scale` and an affine correction `a * x + b` keeps the mean and
    variance of the inputs, so the self-normalizing property of SELU
    networks survives. Only active at training time.

    Args:
        rate: float in [0, 1], the drop probability.
        noise_shape: 1D shape of the binary mask (None entries follow the
            input).
        seed: int, for reproducible masks.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a "
                             f"float value between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.seed = seed
        self.noise_shape = noise_shape
        if rate > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        inputs = _v(inputs)
        if training and self.rate > 0:
            x = getval(inputs)
            shape = np.shape(x)
            if self.noise_shape is not None:
                shape = tuple(s if n is None else n for s, n in zip(shape, self.noise_shape))
            alpha = 1.6732632423543772848170429916717
            scale = 1.0507009873554804934193349852946
            alpha_p = -alpha * scale
            kept = (self.seed_generator.rng.random(shape, dtype=np.float32)
                    >= self.rate).astype(x.dtype)
            a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
            b = -a * alpha_p * self.rate
            y = inputs * kept + (alpha_p * (1 - kept)).astype(x.dtype)
            return y * np.asarray(a, dtype=x.dtype) + np.asarray(b, dtype=x.dtype)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
