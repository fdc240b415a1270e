"""`Discretization`: bucket continuous values by boundaries (or by quantiles via `adapt`)."""
import numpy as np

from minikeras.backend import config as backend_config
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing.categorical_utils import (
    encode_categorical, validate_string_arg)


class Discretization(Layer):
    """A preprocessing layer which buckets continuous features by ranges.

    With `bin_boundaries=[0., 1., 2.]` the buckets are `(-inf, 0)`, `[0, 1)`,
    `[1, 2)` and `[2, inf)`. `adapt()` computes approximate quantile
    boundaries for `num_bins` bins with Keras' streaming summary (so the
    boundaries equal Keras').

    Args:
        bin_boundaries: sorted list of boundaries (or None to `adapt()`).
        num_bins: number of bins to compute with `adapt()`.
        epsilon: error tolerance of the quantile summary (default 0.01).
        output_mode: `"int"` (bucket indices, int32), `"one_hot"`,
            `"multi_hot"` or `"count"`.
        sparse: unsupported (`True` raises ValueError).

    Example:

    >>> layer = keras.layers.Discretization(bin_boundaries=[0., 1., 2.])
    >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    array([[0, 2, 3, 1],
           [1, 3, 2, 1]], dtype=int32)
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        if sparse and output_mode == "int":
            raise ValueError("`sparse=True` may only be used if `output_mode` is `'one_hot'`, "
                             f"`'multi_hot'`, or `'count'`. Received: sparse={sparse} and "
                             f"output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` cannot be used with backend minikeras (numpy).")
        validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count"),
                            "Discretization", "output_mode")
        if num_bins is not None and num_bins < 0:
            raise ValueError("`num_bins` must be greater than or equal to 0. "
                             f"Received: `num_bins={num_bins}`")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError("Both `num_bins` and `bin_boundaries` should not be set. "
                             f"Received: `num_bins={num_bins}` and "
                             f"`bin_boundaries={bin_boundaries}`")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("You need to set either `num_bins` or `bin_boundaries`.")
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = None if bin_boundaries else np.array([[], []], dtype="float32")
        self.built = True

    def __call__(self, inputs, **kwargs):
        return super().__call__(inputs, **kwargs)

    @property
    def input_dtype(self):
        return backend_config.floatx()

    @property
    def output_dtype(self):
        return self.compute_dtype if self.output_mode != "int" else "int32"

    def adapt(self, data, steps=None):
        """Compute `num_bins` quantile boundaries from `data` (an array, or an
        iterable of batches)."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")
        self.reset_state()
        # as in Keras, anything iterable but an array (a list too) is a sequence of batches
        if hasattr(data, "__iter__") and not isinstance(data, np.ndarray) and \
                not hasattr(data, "__array__"):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        data = np.array(data).astype("float32")
        summary = summarize(data, self.epsilon)
        self.summary = merge_summaries(summary, self.summary, self.epsilon)

    def finalize_state(self):
        if self.num_bins is None:
            return
        self.bin_boundaries = get_bin_boundaries(self.summary, self.num_bins).tolist()

    def reset_state(self):
        if self.num_bins is None:
            return
        self.summary = np.array([[], []], dtype="float32")

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("You need to either pass the `bin_boundaries` argument at "
                             "construction time or call `adapt(dataset)` before you can start "
                             "using the `Discretization` layer.")
        x = np.asarray(inputs)
        # TensorFlow's Bucketize compares in the input's precision (float32)
        bounds = np.asarray(self.bin_boundaries, dtype=x.dtype if x.dtype.kind == "f"
                            else np.float64)
        indices = np.digitize(x, bounds).astype(np.int32)
        return encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1,
                                  self.output_dtype)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None \
            else self.num_bins
        if self.output_mode == "one_hot":
            if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        if input_shape and len(input_shape) >= 2:
            return (input_shape[0],) + input_shape[2:] + (depth,)
        return (depth,)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.output_dtype)

    def load_own_variables(self, store):
        if len(store) == 1:
            self.summary = store["0"]

    def get_config(self):
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name")
        if config.get("bin_boundaries") is not None and config.get("num_bins") is not None:
            boundaries = config.pop("bin_boundaries")
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)


def summarize(values, epsilon):
    """Reduce values to a `(2, n)` summary: evenly spaced sorted values and
    the number of values each stands for (about `1 / epsilon` of them)."""
    values = np.sort(np.reshape(values, [-1]))
    elements = np.size(values)
    step = max(elements / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1)::int(step)]
    weights = np.ones_like(boundaries) * step
    return np.stack([boundaries, weights])


def merge_summaries(prev_summary, next_summary, epsilon):
    """Merge two summaries by value, then compress to the `epsilon` size."""
    merged = np.concatenate((prev_summary, next_summary), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def get_bin_boundaries(summary, num_bins):
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]


def compress_summary(summary, epsilon):
    """Interpolate the summary at the cumulative weight fractions `epsilon,
    2 epsilon, ..., 1`."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")
