"""`Hashing`: hash categorical features into a fixed number of bins."""
import numpy as np

from minikeras.backend import config as backend_config
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing import string_hashing
from minikeras.layers.preprocessing.categorical_utils import encode_categorical


class Hashing(Layer):
    """A preprocessing layer which hashes and bins categorical features.

    The bin of a value is `Fingerprint64(value) % num_bins` (FarmHash, as
    `tf.strings.to_hash_bucket_fast`), or SipHash-2-4 keyed by `salt`
    (`tf.strings.to_hash_bucket_strong`). Integers are hashed through their
    decimal text and floats are first cast to int64, as in Keras, so the
    bins equal those of Keras 3 bit for bit.

    Args:
        num_bins: number of hash bins; with `mask_value`, bin 0 is reserved
            for it and the others get `num_bins - 1` bins.
        mask_value: a value that maps to bin 0 (optional).
        salt: one int or two ints: use the keyed (strong) hash.
        output_mode: `"int"` (default), `"one_hot"`, `"multi_hot"` or
            `"count"`.
        sparse: unsupported (`True` raises ValueError).

    Example:

    >>> layer = keras.layers.Hashing(num_bins=3)
    >>> layer([["A"], ["B"], ["C"], ["D"], ["E"]])
    array([[1],
           [0],
           [1],
           [1],
           [2]])
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend_config.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError("The `num_bins` for `Hashing` cannot be `None` or non-positive "
                             f"values. Received: num_bins={num_bins}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError('When `output_mode="int"`, `dtype` should be an integer type, '
                             f"'int32' or 'in64'. Received: dtype={kwargs['dtype']}")
        accepted = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in accepted:
            raise ValueError(f"Invalid value for argument `output_mode`. Expected one of "
                             f"{accepted}. Received: output_mode={output_mode}")
        if sparse and output_mode == "int":
            raise ValueError('`sparse` may only be true if `output_mode` is `"one_hot"`, '
                             f'`"multi_hot"`, or `"count"`. Received: sparse={sparse} and '
                             f"output_mode={output_mode}")
        if sparse:
            raise ValueError("`sparse=True` is not supported by minikeras (outputs are dense "
                             "numpy arrays).")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = None
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                self.salt = list(salt)
            elif isinstance(salt, int) and not isinstance(salt, bool):
                self.salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size "
                                 f"2 integers, or a single integer. Received: salt={salt}.")
        self.built = True

    def _hash_values_to_bins(self, values):
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        if self.strong_hash:
            out = string_hashing.hash_bucket_strong(values, bins, self.salt)
        else:
            out = string_hashing.hash_bucket_fast(values, bins)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = np.asarray(inputs)
        if values.dtype.kind == "S":
            values = values.astype(object)
        if self.output_mode == "one_hot" and values.ndim and values.shape[-1] == 1:
            values = values.reshape(values.shape[:-1])
        indices = self._hash_values_to_bins(values)
        return encode_categorical(indices, self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"num_bins": self.num_bins, "salt": self.salt,
                       "mask_value": self.mask_value, "output_mode": self.output_mode,
                       "sparse": self.sparse})
        return config
