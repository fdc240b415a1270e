"""`RepeatVector`: repeat a `(batch, features)` input `n` times."""
import autograd.numpy as anp

from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class RepeatVector(Layer):
    """Repeats the input n times.

    Args:
        n: integer, repetition factor.

    Input shape: 2D `(batch_size, features)`.
    Output shape: 3D `(batch_size, n, features)`.

    Example:

    >>> keras.layers.RepeatVector(3)(np.zeros((2, 32))).shape
    (2, 3, 32)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        if n <= 0:
            raise ValueError(f"Argument `n` should be a positive integer. Received: n={n}")
        self.n = n
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def call(self, inputs):
        x = _v(inputs)
        return anp.repeat(anp.expand_dims(x, 1), self.n, axis=1)

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
