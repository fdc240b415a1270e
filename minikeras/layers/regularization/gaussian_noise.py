"""`GaussianNoise`: additive zero-centered noise, only in training."""
import numpy as np
from autograd.tracer import getval

from minikeras.backend.random import SeedGenerator
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class GaussianNoise(Layer):
    """Apply additive zero-centered Gaussian noise.

    Useful to mitigate overfitting (a form of random data augmentation). As
    a regularization layer it is only active at training time.

    Args:
        stddev: float in [0, 1], standard deviation of the noise.
        seed: int, for reproducible noise.

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to add noise (training) or pass through.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError("Invalid value received for argument `stddev`. Expected a "
                             f"float value between 0 and 1. Received: stddev={stddev}")
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        inputs = _v(inputs)
        if training and self.stddev > 0:
            x = getval(inputs)
            noise = self.seed_generator.rng.standard_normal(np.shape(x), dtype=np.float32)
            return inputs + (noise * np.float32(self.stddev)).astype(x.dtype, copy=False)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
