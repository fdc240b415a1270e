"""`HashedCrossing`: hash the cross of categorical features into bins."""
import numpy as np

from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing import string_hashing
from minikeras.layers.preprocessing.categorical_utils import (
    encode_categorical, validate_string_arg)


class HashedCrossing(Layer):
    """A preprocessing layer which crosses features using the "hashing trick".

    Each sample's values (one per input) are combined like
    `tf.sparse.cross_hashed`: strings contribute their FarmHash
    `Fingerprint64`, integers their value, folded with `FingerprintCat64`
    from the key `0xDECAFCAFFE`; the bin is the result `% num_bins`. The
    bins equal Keras 3's.

    Args:
        num_bins: number of hash bins.
        output_mode: `"int"` (default) or `"one_hot"`.
        sparse: unsupported (`True` raises ValueError).

    Call arguments:
        inputs: a list or tuple of at least two integer or string arrays of
            the same shape `()`, `(batch,)` or `(batch, 1)`.

    Example:

    >>> layer = keras.layers.HashedCrossing(num_bins=5)
    >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))
    array([1, 4, 1, 1, 3])
    """

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        validate_string_arg(output_mode, ("int", "one_hot"), "HashedCrossing", "output_mode")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        self._check_at_least_two_inputs(inputs)
        return super().__call__(list(inputs), *args, **kwargs)

    def _check_at_least_two_inputs(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("`HashedCrossing` should be called on a list or tuple of inputs. "
                             f"Received: inputs={inputs}")
        if len(inputs) < 2:
            raise ValueError("`HashedCrossing` should be called on at least two inputs. "
                             f"Received: inputs={inputs}")

    def call(self, inputs):
        self._check_at_least_two_inputs(inputs)
        arrays = []
        for x in inputs:
            a = np.asarray(x)
            if a.dtype.kind == "S":
                a = a.astype(object)
            arrays.append(a)
        first_shape = arrays[0].shape
        rank = len(first_shape)
        if rank > 2 or (rank == 2 and first_shape[-1] != 1):
            raise ValueError("All `HashedCrossing` inputs should have shape `()`, "
                             "`(batch_size)` or `(batch_size, 1)`. "
                             f"Received: inputs={inputs}")
        if not all(a.shape == first_shape for a in arrays[1:]):
            raise ValueError(f"All `HashedCrossing` inputs should have equal shape. "
                             f"Received: inputs={inputs}")
        for a in arrays:
            if not (a.dtype.kind in "iu" or a.dtype.kind == "U" or
                    (a.dtype == object and all(isinstance(v, (str, bytes))
                                               for v in a.reshape(-1).tolist()))):
                raise ValueError("All `HashedCrossing` inputs should have an integer or string "
                                 f"dtype. Received: inputs={inputs}")
        columns = [a.reshape(-1).tolist() for a in arrays]
        flat = np.array([string_hashing.cross_hash(vals, self.num_bins)
                         for vals in zip(*columns)], dtype=np.int64)
        out = flat.reshape(first_shape)
        return encode_categorical(out, self.output_mode, self.num_bins, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        if (not len(input_shape) == 2 or not isinstance(input_shape[0], tuple)
                or not isinstance(input_shape[1], tuple)):
            raise ValueError("Expected as input a list/tuple of 2 tensors. "
                             f"Received input_shape={input_shape}")
        if input_shape[0][-1:] != input_shape[1][-1:]:
            raise ValueError("Expected the two input tensors to have identical shapes. "
                             f"Received input_shape={input_shape}")
        if self.output_mode == "int":
            return tuple(input_shape[0])
        if input_shape[0] and input_shape[0][-1] != 1:
            return tuple(input_shape[0]) + (self.num_bins,)
        return tuple(input_shape[0])[:-1] + (self.num_bins,)

    def compute_output_spec(self, inputs, *args, **kwargs):
        shapes = [tuple(x.shape) for x in inputs]
        return KerasTensor(self.compute_output_shape(shapes), dtype=self.compute_dtype)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.dtype}
