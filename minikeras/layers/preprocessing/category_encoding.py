"""`CategoryEncoding`: integer features -> one-hot, multi-hot or count vectors."""
import numpy as np

from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing.categorical_utils import encode_categorical


class CategoryEncoding(Layer):
    """A preprocessing layer which encodes integer features.

    Args:
        num_tokens: the number of tokens; inputs must be in `[0, num_tokens)`
            (other values are dropped).
        output_mode: `"multi_hot"` (default; `"binary"` is an alias),
            `"one_hot"` or `"count"`. `"one_hot"` encodes every element (a
            last axis of size 1 is replaced); `"multi_hot"` and `"count"`
            treat the last axis as the sample (a 1D input is one sample).
        sparse: unsupported (`True` raises ValueError).

    Call arguments:
        inputs: integer array of rank 0, 1 or 2.
        count_weights: weights of the same shape as `inputs`, summed in
            `"count"` mode.

    Example:

    >>> layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    >>> layer([3, 2, 0, 1])
    array([[0., 0., 0., 1.],
           [0., 0., 1., 0.],
           [1., 0., 0., 0.],
           [0., 1., 0., 0.]], dtype=float32)
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of tokens "
                             "is not known beforehand, use the IntegerLookup layer instead.")
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if sparse:
            raise ValueError("`sparse=True` is not supported by minikeras (outputs are dense "
                             "numpy arrays).")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.built = True

    def __call__(self, inputs, **kwargs):
        return super().__call__(inputs, **kwargs)

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError("`count_weights` is not used when `output_mode` is not "
                                 f"`'count'`. Received `count_weights={count_weights}`.")
            count_weights = np.asarray(count_weights, dtype=self.compute_dtype)
        x = np.asarray(inputs)
        if x.dtype.kind == "f":
            x = x.astype(np.int64)
        elif x.dtype.kind not in "iub":
            raise ValueError(f"CategoryEncoding expects integer inputs; received an array of "
                             f"dtype {x.dtype}.")
        return encode_categorical(x, self.output_mode, self.num_tokens, self.compute_dtype,
                                  count_weights=count_weights)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_tokens,)
        if self.output_mode == "one_hot":
            if input_shape[-1] != 1 or len(input_shape) == 1:
                return input_shape + (self.num_tokens,)
            return input_shape[:-1] + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return config
