"""`UpSampling1D`: repeat each time step `size` times."""
import autograd.numpy as anp

from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class UpSampling1D(Layer):
    """Upsampling layer for 1D inputs.

    Repeats each temporal step `size` times along the time axis.

    Args:
        size: integer, the upsampling factor.

    Input shape: 3D `(batch_size, steps, features)`.
    Output shape: 3D `(batch_size, upsampled_steps, features)`.

    Example:

    >>> keras.layers.UpSampling1D(size=2)(np.zeros((2, 2, 3))).shape
    (2, 4, 3)
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(size, int) or isinstance(size, bool):
            raise TypeError(f"Expected an integer value for `size`, got {type(size)}.")
        if size <= 0:
            raise ValueError(f"Argument `size` should be a positive integer. Received: "
                             f"size={size}")
        self.size = size
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def compute_output_shape(self, input_shape):
        steps = None if input_shape[1] is None else self.size * input_shape[1]
        return (input_shape[0], steps, input_shape[2])

    def call(self, inputs):
        return anp.repeat(_v(inputs), self.size, axis=1)

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size
        return config
