"""`BaseImagePreprocessingLayer`: shared plumbing of the image layers.

Images may be a batch `(batch, height, width, channels)` or one image
`(height, width, channels)` (channels first with `data_format=
"channels_first"`). Integer images are cast to the layer's float dtype.
Random layers draw their parameters from `self.seed_generator.rng` and act
only when `training` is true: `fit()` and plain calls transform, while
`predict()`/`evaluate()` (and `training=False`) pass images through.
"""
import numpy as np
from autograd.tracer import getval, isbox

from minikeras.backend.config import standardize_data_format
from minikeras.backend.random import SeedGenerator
from minikeras.layers.convolutional.arg_utils import to_channels_first, to_channels_last
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing import image_ops
from minikeras.ops.core import _v


class BaseImagePreprocessingLayer(Layer):
    """Base class of the image preprocessing and augmentation layers.

    Args:
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (-1, 1)

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.built = True

    def __call__(self, inputs, **kwargs):
        return super().__call__(inputs, **kwargs)

    def _set_factor(self, factor):
        """Keras' `(lower, upper)` from a number or a pair, within the bounds."""
        self.factor = self._bounded_factor(factor, "factor")

    def _bounded_factor(self, factor, name):
        """`(lower, upper)` of argument `name` from a number or a pair, within
        `_FACTOR_BOUNDS` (a number `f` gives `(max(-|f|, lower bound), |f|)`)."""
        lo_b, hi_b = self._FACTOR_BOUNDS
        msg = (f"The `{name}` argument should be a number (or a list of two numbers) in the "
               f"range [{lo_b}, {hi_b}]. Received: factor={factor}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > hi_b or factor[1] < lo_b:
                raise ValueError(msg)
            return tuple(sorted(factor))
        if isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if factor < lo_b or factor > hi_b:
                raise ValueError(msg)
            return (max(-abs(factor), lo_b), abs(factor))
        raise ValueError(msg)

    def _as_batch(self, inputs):
        """`(channels-last float batch, was_single_image)`."""
        x = _v(inputs)
        if not isbox(x):
            x = np.asarray(x)
            if x.dtype != np.dtype(self.compute_dtype):
                x = x.astype(self.compute_dtype)
        nd = np.ndim(getval(x))
        if nd not in (3, 4):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expected images of rank 3 "
                f"(height, width, channels) or 4 (batch, height, width, channels). "
                f"Received input with shape: {np.shape(getval(x))}")
        single = nd == 3
        if single:
            x = x[None]
        return to_channels_last(x, self.data_format), single

    def _restore(self, x, single):
        x = to_channels_first(x, self.data_format)
        return x[0] if single else x

    def _hw_axes(self, rank):
        if self.data_format == "channels_first":
            return rank - 2, rank - 1
        return rank - 3, rank - 2

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


def affine_layer_init_checks(fill_mode, interpolation):
    if fill_mode not in ("reflect", "wrap", "constant", "nearest"):
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                  "('reflect', 'wrap', 'constant', 'nearest').")
    if interpolation not in ("nearest", "bilinear"):
        raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one "
                                  "('nearest', 'bilinear').")


def signed_factor_range(factor, name, msg, lower_open=False):
    """`(lower, upper)` from a number `f` (giving `(-|f|, |f|)`) or a pair,
    every value in `[-1, 1]` (`(-1, 1]` with `lower_open`); `msg` starts
    the error."""
    values = list(factor) if isinstance(factor, (tuple, list)) else [factor]
    if isinstance(factor, (tuple, list)) and len(factor) != 2:
        raise ValueError(msg + f"Received: {name}={factor}")
    for v in values:
        if (not isinstance(v, (int, float)) or v > 1.0 or v < -1.0
                or (lower_open and v == -1.0)):
            raise ValueError(msg + f"Received: input_number={v}")
    if isinstance(factor, (tuple, list)):
        return tuple(sorted(factor))
    return (-abs(factor), abs(factor))


class BaseRandomAffineLayer(BaseImagePreprocessingLayer):
    """Shared state and call of the layers that warp each image by a random
    affine transform (`RandomRotation`, `RandomTranslation`, `RandomZoom`).

    Subclasses call `_init_affine` from their `__init__` and implement
    `_random_transforms(rng, batch, height, width)`, returning Keras'
    `(batch, 8)` transforms.
    """

    def _init_affine(self, fill_mode, interpolation, seed, fill_value):
        affine_layer_init_checks(fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)

    def _random_transforms(self, rng, batch, height, width):
        raise NotImplementedError

    def call(self, data, training=True):
        x, single = self._as_batch(data)
        if training:
            b, h, w = x.shape[:3]
            transforms = self._random_transforms(self.seed_generator.rng, b, h, w)
            x = image_ops.affine_transform(x, transforms, self.interpolation, self.fill_mode,
                                           self.fill_value)
        return self._restore(x, single)
