"""`Normalization`: feature-wise standardization with `adapt()`."""
import math

import numpy as np
from autograd.tracer import getval

from minikeras.backend import config as backend_config
from minikeras.backend.eager_tensor import as_eager
from minikeras.layers.layer import Layer
from minikeras.ops.core import _t


class Normalization(Layer):
    """A preprocessing layer that normalizes continuous features.

    Shifts and scales inputs into a distribution centered around 0 with
    standard deviation 1: `(input - mean) / sqrt(var)`. The mean and variance
    are given at construction or computed by `adapt(data)`.

    Args:
        axis: int, tuple of ints, or None: the axis (or axes) that keep a
            separate mean and variance (default -1: one per feature); None
            means a single scalar mean and variance.
        mean, variance: optional values to use instead of `adapt()`
            (broadcast to the kept axes).
        invert: apply the inverse transformation `mean + input * sqrt(var)`.

    Example:

    >>> data = np.array([[0.0, 0.7, 1.0], [0.5, 0.6, 0.1]], dtype="float32")
    >>> layer = keras.layers.Normalization(axis=None)
    >>> layer.adapt(data)
    >>> float(np.mean(layer(data))), float(np.std(layer(data)))
    (0.0, 1.0)
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        self._build_input_shape = None
        self.mean = None
        self.variance = None
        if (mean is not None) != (variance is not None):
            raise ValueError("When setting values directly, both `mean` and `variance` must "
                             f"be set. Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the same "
                    f"shape. Received: mean shape {np.shape(mean)} and variance shape "
                    f"{np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError(
                    f"The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis "
                    f"{self.axis}")

    def __call__(self, inputs, **kwargs):
        return super().__call__(inputs, **kwargs)

    def build(self, input_shape):
        if input_shape is None:
            return
        ndim = len(input_shape)
        self._build_input_shape = tuple(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). Received "
                             f"inputs with ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for d in self._keep_axis:
            if input_shape[d] is None:
                raise ValueError(
                    f"All `axis` values to be kept must have a known shape. Received "
                    f"axis={self.axis}, inputs.shape={input_shape}, with unknown axis at "
                    f"index {d}")
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = [input_shape[d] if d in self._keep_axis else 1
                                 for d in range(ndim)]
        self._mean_and_var_shape = tuple(input_shape[d] for d in self._keep_axis)
        dtype = self.compute_dtype
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(name="variance",
                                                  shape=self._mean_and_var_shape,
                                                  initializer="ones", trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int",
                                         initializer="zeros", trainable=False)
            self.built = True
            self.finalize_state()
        else:
            mean = np.asarray(self.input_mean, dtype=dtype)
            variance = np.asarray(self.input_variance, dtype=dtype)
            if mean.ndim == 0:
                mean = np.broadcast_to(mean, self._broadcast_shape)
                variance = np.broadcast_to(variance, self._broadcast_shape)
            else:
                expanded = [1] * ndim
                for i in range(1, mean.ndim + 1):
                    expanded[self._keep_axis[-i]] = mean.shape[-i]
                mean = np.broadcast_to(mean.reshape(expanded), self._broadcast_shape)
                variance = np.broadcast_to(variance.reshape(expanded), self._broadcast_shape)
            # Tensors in Keras: tutorials read `normalizer.mean.numpy()`.
            self.mean = as_eager(np.array(mean, dtype=dtype))
            self.variance = as_eager(np.array(variance, dtype=dtype))
            self.built = True

    def adapt(self, data):
        """Compute the mean and variance of `data` (an array or an iterable of
        batches) over every axis not in `axis`."""
        iterable = False
        if isinstance(data, np.ndarray) or hasattr(data, "__array__"):
            data = np.asarray(getval(data))
            input_shape = data.shape
        elif hasattr(data, "__getitem__") and hasattr(data, "__len__") and \
                not isinstance(data, (list, tuple)):
            first = _extract_batch(data[0])
            input_shape = np.shape(first)
            data = (data[i] for i in range(len(data)))
            iterable = True
        elif hasattr(data, "__iter__"):
            batches = iter(data)
            first = next(batches, None)
            if first is None:
                raise ValueError("adapt() received an empty iterable (no batches). Expected "
                                 "at least one batch.")
            first = _extract_batch(first)
            input_shape = np.shape(first)
            import itertools
            data = itertools.chain([first], batches)
            iterable = True
        else:
            raise TypeError(f"Unsupported data type: {type(data)}. `adapt` supports numpy "
                            "arrays and iterables of batches.")
        if not self.built:
            self.build(input_shape)
        else:
            for d in self._keep_axis:
                if input_shape[d] != self._build_input_shape[d]:
                    raise ValueError(
                        f"The layer was built with input_shape={self._build_input_shape}, "
                        "but adapt() is being called with data with an incompatible shape, "
                        f"data.shape={input_shape}")
        if self.input_mean is not None:
            raise ValueError("adapt() cannot be used when `mean` and `variance` were passed "
                             "to the constructor.")
        if not iterable:
            # float64 accumulation, then float32, for an exact-as-possible estimate
            total_mean = np.mean(data, axis=self._reduce_axis, dtype=np.float64)
            total_var = np.var(data, axis=self._reduce_axis, dtype=np.float64)
        else:
            total_mean = np.zeros(self._mean_and_var_shape)
            total_var = np.zeros(self._mean_and_var_shape)
            total_count = 0
            for batch in data:
                batch = np.asarray(_extract_batch(batch), dtype=np.float64)
                bmean = np.mean(batch, axis=self._reduce_axis)
                bvar = np.var(batch, axis=self._reduce_axis)
                count = math.prod(batch.shape[d] for d in self._reduce_axis) \
                    if self._reduce_axis else 1
                total_count += count
                w = count / total_count
                new_mean = total_mean * (1 - w) + bmean * w
                total_var = ((total_var + (total_mean - new_mean) ** 2) * (1 - w)
                             + (bvar + (bmean - new_mean) ** 2) * w)
                total_mean = new_mean
        self.adapt_mean.assign(np.asarray(total_mean, dtype=self.adapt_mean.dtype))
        self.adapt_variance.assign(np.asarray(total_var, dtype=self.adapt_variance.dtype))
        self.finalize_state()

    def finalize_state(self):
        if self.input_mean is not None or not self.built:
            return
        # Tensors in Keras: tutorials read `normalizer.mean.numpy()`.
        self.mean = as_eager(np.reshape(self.adapt_mean.numpy(), self._broadcast_shape).astype(
            self.compute_dtype))
        self.variance = as_eager(np.reshape(self.adapt_variance.numpy(),
                                            self._broadcast_shape).astype(self.compute_dtype))

    def call(self, inputs):
        if self.mean is None:
            raise ValueError("You must call `.build(input_shape)` on the layer before using it.")
        x = _t(inputs)
        if x.dtype != np.dtype(self.compute_dtype):
            x = x.astype(self.compute_dtype)
        if self.input_mean is None:
            # read the weights now, so that set_weights/loading take effect
            self.finalize_state()
        mean, variance = np.asarray(self.mean), np.asarray(self.variance)  # plain inside
        std = np.maximum(np.sqrt(variance), np.asarray(backend_config.epsilon(), variance.dtype))
        if self.invert:
            return mean + x * std
        return (x - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.finalize_state()

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": list(self._build_input_shape)}
        return None

    def build_from_config(self, config):
        if config:
            self.build(tuple(config["input_shape"]))

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        })
        return config


def _extract_batch(batch):
    if isinstance(batch, (tuple, list)):
        return batch[0]
    return batch
