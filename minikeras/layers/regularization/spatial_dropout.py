"""`SpatialDropout1D/2D/3D`: drop whole feature maps instead of single units."""
import numpy as np
from autograd.tracer import getval

from minikeras.backend.config import standardize_data_format
from minikeras.layers.core.dropout import Dropout
from minikeras.layers.input_spec import InputSpec
from minikeras.ops.core import _v


class BaseSpatialDropout(Dropout):
    """Dropout whose mask is shared across the spatial axes."""

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def _get_noise_shape(self, shape):
        raise NotImplementedError

    def call(self, inputs, training=False):
        inputs = _v(inputs)
        if not training or self.rate == 0:
            return inputs
        x = getval(inputs)
        shape = self._get_noise_shape(np.shape(x))
        keep = 1.0 - self.rate
        if keep <= 0:
            return inputs * np.zeros(shape, dtype=x.dtype)
        mask = self.seed_generator.rng.random(shape, dtype=np.float32) < keep
        return inputs * (mask.astype(x.dtype) / np.asarray(keep, dtype=x.dtype))

    def get_config(self):
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D version of Dropout.

    Drops entire 1D feature maps (channels) instead of individual elements:
    useful when adjacent frames are strongly correlated, where regular
    dropout would not regularize the activations. Active only in training.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        seed: int, for reproducible masks.

    Input shape: 3D `(samples, timesteps, channels)`; output: same shape.
    """

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=3)

    def _get_noise_shape(self, shape):
        return (shape[0], 1, shape[2])


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D version of Dropout.

    Drops entire 2D feature maps (channels) instead of individual elements.
    Active only in training.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        data_format: `"channels_last"` (`(samples, rows, cols, channels)`) or
            `"channels_first"` (`(samples, channels, rows, cols)`).
        seed: int, for reproducible masks.
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def _get_noise_shape(self, shape):
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1)
        return (shape[0], 1, 1, shape[3])

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class SpatialDropout3D(BaseSpatialDropout):
    """Spatial 3D version of Dropout.

    Drops entire 3D feature maps (channels) instead of individual elements.
    Active only in training.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        data_format: `"channels_last"` (`(samples, dim1, dim2, dim3,
            channels)`) or `"channels_first"`.
        seed: int, for reproducible masks.
    """

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=5)

    def _get_noise_shape(self, shape):
        if self.data_format == "channels_first":
            return (shape[0], shape[1], 1, 1, 1)
        return (shape[0], 1, 1, 1, shape[4])

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
