"""Random initializers: normal, uniform, truncated normal, variance scaling
(Glorot/He/Lecun) and orthogonal.

Seeding: an integer `seed` makes every call return the same values (as in
Keras 3); a `SeedGenerator` advances on each call; `seed=None` draws from the
global generator at call time, so `keras.utils.set_random_seed` makes whole
models reproducible. The generator is numpy's PCG64, not TensorFlow's
Philox, so values differ from Keras's bit for bit; distributions, bounds and
fan rules are the same.
"""
import math

import numpy as np

from minikeras.backend.random import SeedGenerator, rng_from_seed
from minikeras.initializers._utils import float_dtype, standardize_shape
from minikeras.initializers.initializer import Initializer

# stddev of a standard normal truncated to [-2, 2]: VarianceScaling divides
# by it so that the truncated samples keep the requested variance.
_TRUNCATED_STD = 0.87962566103423978


def _normal(rng, shape, mean, stddev, dtype):
    z = rng.standard_normal(shape, dtype=np.float32 if dtype != "float64" else np.float64)
    return (z * stddev + mean).astype(dtype)


def _truncated_normal(rng, shape, mean, stddev, dtype):
    """Normal samples re-drawn until within two standard deviations."""
    ftype = np.float32 if dtype != "float64" else np.float64
    z = rng.standard_normal(shape, dtype=ftype)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()), dtype=ftype)
        bad = np.abs(z) > 2.0
    return (z * stddev + mean).astype(dtype)


def _uniform(rng, shape, minval, maxval, dtype):
    ftype = np.float32 if dtype != "float64" else np.float64
    u = rng.random(shape, dtype=ftype)
    out = (u * (maxval - minval) + minval).astype(dtype)
    # rounding can land exactly on maxval; keep the interval half-open
    return np.where(out >= maxval, np.asarray(minval, dtype=dtype), out) if maxval > minval else out


class RandomInitializer(Initializer):
    """Base of the seeded initializers: validates and stores `seed`."""

    def __init__(self, seed=None):
        if isinstance(seed, dict):
            seed = SeedGenerator.from_config(seed.get("config", seed))
        if seed is not None and (isinstance(seed, bool) or not isinstance(
                seed, (int, np.integer, SeedGenerator))):
            raise ValueError(
                "`seed` argument should be an instance of "
                "`keras.random.SeedGenerator()` or an integer. "
                f"Received: seed={seed}")
        self._init_seed = seed
        self.seed = seed

    def _rng(self):
        return rng_from_seed(self.seed)

    def get_config(self):
        seed = self._init_seed
        if isinstance(seed, SeedGenerator):
            seed = {"module": "keras.random", "class_name": "SeedGenerator",
                    "config": seed.get_config(), "registered_name": None}
        elif isinstance(seed, np.integer):
            seed = int(seed)
        return {"seed": seed}


class RandomNormal(RandomInitializer):
    """Random normal initializer.

    Draws samples from a normal distribution for given parameters.

    Examples:

    >>> initializer = RandomNormal(mean=0.0, stddev=1.0)
    >>> values = initializer(shape=(2, 2))

    Args:
        mean: A python scalar or a scalar keras tensor. Mean of the random
            values to generate.
        stddev: A python scalar or a scalar keras tensor. Standard deviation of
            the random values to generate.
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
            Used to make the behavior of the initializer deterministic. Note
            that an initializer seeded with an integer or `None` (unseeded)
            will produce the same random values across multiple calls.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        dtype = float_dtype(dtype, "RandomNormal")
        return _normal(self._rng(), standardize_shape(shape), self.mean, self.stddev, dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Initializer that generates a truncated normal distribution.

    The values generated are similar to values from a `RandomNormal`
    initializer, except that values more than two standard deviations from
    the mean are discarded and re-drawn.

    Examples:

    >>> initializer = TruncatedNormal(mean=0., stddev=1.)
    >>> values = initializer(shape=(2, 2))

    Args:
        mean: A python scalar or a scalar keras tensor. Mean of the random
            values to generate.
        stddev: A python scalar or a scalar keras tensor. Standard deviation of
            the random values to generate (before truncation).
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        dtype = float_dtype(dtype, "TruncatedNormal")
        return _truncated_normal(self._rng(), standardize_shape(shape),
                                 self.mean, self.stddev, dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Random uniform initializer.

    Draws samples from a uniform distribution in `[minval, maxval)`.

    Examples:

    >>> initializer = RandomUniform(minval=0.0, maxval=1.0)
    >>> values = initializer(shape=(2, 2))

    Args:
        minval: A python scalar or a scalar keras tensor. Lower bound of the
            range of random values to generate (inclusive).
        maxval: A python scalar or a scalar keras tensor. Upper bound of the
            range of random values to generate (exclusive).
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        dtype = float_dtype(dtype, "RandomUniform")
        return _uniform(self._rng(), standardize_shape(shape), self.minval, self.maxval, dtype)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def compute_fans(shape, input_axes=None, output_axes=None):
    """Computes the number of input and output units for a weight shape.

    Dense kernels `(fan_in, fan_out)`; convolution kernels
    `(*spatial, in_channels, out_channels)` multiply both by the receptive
    field size (the product of the spatial dims); a 1-D shape uses its length
    for both. `input_axes`/`output_axes`, when both given, name the axes
    whose sizes multiply into each fan.

    Args:
        shape: Integer shape tuple.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Returns:
        A tuple of integer scalars: `(fan_in, fan_out)`.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = 1
        for axis in input_axes:
            fan_in *= shape[axis]
        fan_out = 1
        for axis in output_axes:
            fan_out *= shape[axis]
        return int(fan_in), int(fan_out)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    receptive_field_size = 1
    for dim in shape[:-2]:
        receptive_field_size *= dim
    return int(shape[-2] * receptive_field_size), int(shape[-1] * receptive_field_size)


class VarianceScaling(RandomInitializer):
    """Initializer that adapts its scale to the shape of its input tensors.

    With `distribution="truncated_normal"` or `"untruncated_normal"`, samples
    are drawn from a (truncated) normal distribution with a mean of zero and a
    standard deviation (after truncation, if used) `stddev = sqrt(scale / n)`,
    where `n` is the number of input units (`mode="fan_in"`), output units
    (`"fan_out"`) or their average (`"fan_avg"`). With
    `distribution="uniform"`, samples are drawn from a uniform distribution
    within `[-limit, limit]`, where `limit = sqrt(3 * scale / n)`.

    Examples:

    >>> initializer = VarianceScaling(
    ...     scale=0.1, mode='fan_in', distribution='uniform')
    >>> values = initializer(shape=(2, 2))

    Args:
        scale: Scaling factor (positive float).
        mode: One of `"fan_in"`, `"fan_out"`, `"fan_avg"`.
        distribution: Random distribution to use. One of
            `"truncated_normal"`, `"untruncated_normal"`, or `"uniform"`
            (`"normal"` means `"truncated_normal"`).
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in (with `output_axes`).
        output_axes: Optional axes that make up fan-out (with `input_axes`).
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal",
                 seed=None, input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(
                f"Argument `scale` must be positive float. Received: scale={scale}")
        allowed_modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in allowed_modes:
            raise ValueError(
                f"Invalid `mode` argument: {mode}. Please use one of {allowed_modes}")
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        allowed_distributions = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in allowed_distributions:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution}."
                f"Please use one of {allowed_distributions}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        dtype = float_dtype(dtype, type(self).__name__)
        shape = standardize_shape(shape)
        scale = self.scale
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        if self.mode == "fan_in":
            scale /= max(1.0, fan_in)
        elif self.mode == "fan_out":
            scale /= max(1.0, fan_out)
        else:
            scale /= max(1.0, (fan_in + fan_out) / 2.0)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / _TRUNCATED_STD
            return _truncated_normal(rng, shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return _normal(rng, shape, 0.0, math.sqrt(scale), dtype)
        limit = math.sqrt(3.0 * scale)
        return _uniform(rng, shape, -limit, limit, dtype)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling preset: only `seed` and the fan axes are arguments."""

    _preset = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(seed=seed, input_axes=input_axes, output_axes=output_axes,
                         **self._preset)

    def get_config(self):
        return {"seed": RandomInitializer.get_config(self)["seed"],
                "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    """The Glorot uniform initializer, also called Xavier uniform initializer.

    Draws samples from a uniform distribution within `[-limit, limit]`, where
    `limit = sqrt(6 / (fan_in + fan_out))`.

    Examples:

    >>> initializer = GlorotUniform()
    >>> values = initializer(shape=(2, 2))

    Args:
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Reference:

    - [Glorot et al., 2010](http://proceedings.mlr.press/v9/glorot10a.html)
    """

    _preset = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_FixedVarianceScaling):
    """The Glorot normal initializer, also called Xavier normal initializer.

    Draws samples from a truncated normal distribution centered on 0 with
    `stddev = sqrt(2 / (fan_in + fan_out))`.

    Args:
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Reference:

    - [Glorot et al., 2010](http://proceedings.mlr.press/v9/glorot10a.html)
    """

    _preset = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class LecunNormal(_FixedVarianceScaling):
    """Lecun normal initializer.

    Draws samples from a truncated normal distribution centered on 0 with
    `stddev = sqrt(1 / fan_in)`.

    Args:
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """

    _preset = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class LecunUniform(_FixedVarianceScaling):
    """Lecun uniform initializer.

    Draws samples from a uniform distribution within `[-limit, limit]`, where
    `limit = sqrt(3 / fan_in)`.

    Args:
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Reference:

    - [LeCun et al., 1998](https://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf)
    """

    _preset = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


class HeNormal(_FixedVarianceScaling):
    """He normal initializer.

    Draws samples from a truncated normal distribution centered on 0 with
    `stddev = sqrt(2 / fan_in)`.

    Args:
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Reference:

    - [He et al., 2015](https://arxiv.org/abs/1502.01852)
    """

    _preset = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class HeUniform(_FixedVarianceScaling):
    """He uniform variance scaling initializer.

    Draws samples from a uniform distribution within `[-limit, limit]`, where
    `limit = sqrt(6 / fan_in)`.

    Args:
        seed: A Python integer or instance of `keras.random.SeedGenerator`.
        input_axes: Optional axes that make up fan-in.
        output_axes: Optional axes that make up fan-out.

    Reference:

    - [He et al., 2015](https://arxiv.org/abs/1502.01852)
    """

    _preset = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class Orthogonal(RandomInitializer):
    """Initializer that generates an orthogonal matrix.

    If the shape of the tensor to initialize is two-dimensional, it is
    initialized with an orthogonal matrix obtained from the QR decomposition
    of a matrix of random numbers drawn from a normal distribution. If the
    matrix has fewer rows than columns then the output will have orthogonal
    rows. Otherwise, the output will have orthogonal columns.

    If the shape has more than two dimensions, a matrix of shape
    `(shape[0] * ... * shape[n - 2], shape[n - 1])` is initialized, then
    reshaped.

    Examples:

    >>> initializer = Orthogonal()
    >>> values = initializer(shape=(2, 2))

    Args:
        gain: Multiplicative factor to apply to the orthogonal matrix.
        seed: A Python integer or instance of `keras.random.SeedGenerator`.

    Reference:

    - [Saxe et al., 2014](https://openreview.net/forum?id=_XLvoE7vNDm)
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        dtype = float_dtype(dtype, "Orthogonal")
        shape = standardize_shape(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}.")
        num_rows = int(np.prod(shape[:-1]))
        num_cols = shape[-1]
        flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = _normal(self._rng(), flat_shape, 0.0, 1.0, "float64")
        q, r = np.linalg.qr(a)
        # sign fix makes Q uniformly distributed over the orthogonal group
        d = np.sign(np.diag(r))
        q = q * np.where(d == 0, 1.0, d)
        if num_rows < num_cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
