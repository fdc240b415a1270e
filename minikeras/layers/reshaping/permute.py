"""`Permute`: permute the non-batch axes."""
import autograd.numpy as anp

from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class Permute(Layer):
    """Permutes the dimensions of the input according to a given pattern.

    Useful e.g. for connecting RNNs and convnets.

    Args:
        dims: tuple of integers, the permutation pattern (not including the
            batch axis); indexing starts at 1, so `(2, 1)` swaps the first
            and second non-batch axes.

    Example:

    >>> keras.layers.Permute((2, 1))(np.zeros((4, 10, 64))).shape
    (4, 64, 10)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices "
                f"in `dims` must be consecutive and start from 1. Received dims={dims}")
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def call(self, inputs):
        return anp.transpose(_v(inputs), (0,) + self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
