"""The sampling functions of keras.random, on numpy's `Generator`.

Values differ from TensorFlow's (a different generator) but follow the same
distributions, shapes, dtypes (`floatx()` by default) and seeding rules.
"""
import numpy as np
from autograd.tracer import getval

from minikeras.backend import common, config
from minikeras.backend.random import rng_from_seed


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(getval(s)) for s in shape)


def _float_dtype(dtype, name):
    dtype = common.standardize_dtype(dtype)
    if not common.is_float_dtype(dtype):
        raise ValueError(
            f"`keras.random.{name}` requires a floating point `dtype`. Received: dtype={dtype} ")
    return dtype


def _value(x):
    from minikeras.ops.core import _v
    return np.asarray(getval(_v(x)))


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution.

    Example:

    >>> keras.random.normal((2, 3), seed=1).dtype
    dtype('float32')
    """
    dtype = _float_dtype(dtype, "normal")
    rng = rng_from_seed(seed)
    out = rng.standard_normal(_shape(shape)) * _value(stddev) + _value(mean)
    return np.asarray(out).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from a uniform distribution on `[minval, maxval)`."""
    dtype = _float_dtype(dtype, "uniform")
    rng = rng_from_seed(seed)
    lo, hi = _value(minval), _value(maxval)
    out = lo + (hi - lo) * rng.random(_shape(shape))
    out = np.asarray(out).astype(dtype)
    # Rounding to float32 may land on maxval: keep the interval half-open.
    return np.where(out >= hi, np.nextafter(hi.astype(dtype), lo.astype(dtype)), out).astype(dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples, re-drawn until within two standard deviations."""
    dtype = _float_dtype(dtype, "truncated_normal")
    rng = rng_from_seed(seed)
    shape = _shape(shape)
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2.0
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2.0
    return np.asarray(z * _value(stddev) + _value(mean)).astype(dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in `[minval, maxval)`."""
    dtype = common.standardize_dtype(dtype)
    if not common.is_int_dtype(dtype):
        raise ValueError(
            f"`keras.random.randint` requires an integer `dtype`. Received: dtype={dtype} ")
    rng = rng_from_seed(seed)
    return rng.integers(_value(minval), _value(maxval), size=_shape(shape)).astype(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draw `num_samples` class indices per row of 2-D `logits`."""
    logits = _value(logits).astype(np.float64)
    if logits.ndim != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits={logits}")
    rng = rng_from_seed(seed)
    m = np.max(logits, axis=-1, keepdims=True)
    p = np.exp(logits - np.where(np.isfinite(m), m, 0))
    p /= p.sum(axis=-1, keepdims=True)
    cdf = np.cumsum(p, axis=-1)
    u = rng.random((logits.shape[0], int(num_samples)))
    idx = np.array([np.searchsorted(c, row, side="right") for c, row in zip(cdf, u)])
    idx = np.minimum(idx.reshape(logits.shape[0], int(num_samples)), logits.shape[1] - 1)
    return idx.astype(common.standardize_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero elements with probability `rate` and scale the rest by
    `1 / (1 - rate)`; `noise_shape` (None entries follow `inputs`) shares the
    mask across axes. Differentiable with respect to `inputs`."""
    from minikeras.ops.core import _t, _dtype_of
    x = _t(inputs)
    if not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `rate`. Expected a float value "
                         f"between 0 and 1. Received: rate={rate}")
    if rate == 1.0:
        return np.zeros(np.shape(getval(x)), dtype=_dtype_of(x))
    if rate == 0.0:
        return x
    xshape = np.shape(getval(x))
    if noise_shape is None:
        ns = xshape
    else:
        ns = tuple(xshape[i] if s is None else int(s) for i, s in enumerate(noise_shape))
    rng = rng_from_seed(seed)
    keep = rng.random(ns) >= rate
    dt = _dtype_of(x) if _dtype_of(x).kind == "f" else np.dtype(config.floatx())
    scale = (keep / (1.0 - rate)).astype(dt)
    return x * scale


def shuffle(x, axis=0, seed=None):
    """`x` with its slices along `axis` in random order."""
    from minikeras.ops.core import _t
    from minikeras.backend.primitives import take
    x = _t(x)
    rng = rng_from_seed(seed)
    n = np.shape(getval(x))[axis]
    return take(x, rng.permutation(n), axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from a Gamma distribution with concentration `alpha` (scale 1)."""
    dtype = _float_dtype(dtype, "gamma")
    rng = rng_from_seed(seed)
    return rng.standard_gamma(_value(alpha), size=_shape(shape)).astype(dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples from a binomial distribution (as floats by default)."""
    dtype = common.standardize_dtype(dtype)
    rng = rng_from_seed(seed)
    return rng.binomial(_value(counts).astype(np.int64), _value(probabilities),
                        size=_shape(shape)).astype(dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from a Beta distribution."""
    dtype = _float_dtype(dtype, "beta")
    rng = rng_from_seed(seed)
    return rng.beta(_value(alpha), _value(beta), size=_shape(shape)).astype(dtype)
