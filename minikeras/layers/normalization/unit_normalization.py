"""`UnitNormalization`: scale each sample to unit L2 norm."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.layer import Layer
from minikeras.ops.core import _v
from minikeras.ops._primitives import minimum


class UnitNormalization(Layer):
    """Unit normalization layer.

    Normalizes a batch of inputs so that each input has an L2 norm of 1 along
    `axis`: `x * min(rsqrt(sum(x ** 2)), 1e12)`.

    Args:
        axis: int or list/tuple of ints, the axes to normalize over.

    Example:

    >>> y = keras.layers.UnitNormalization()(np.arange(6, dtype="float32").reshape(2, 3))
    >>> np.sum(y ** 2, axis=-1)
    array([1., 1.], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError("Invalid value for `axis` argument: expected an int or a "
                            f"list/tuple of ints. Received: axis={axis}")
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        x = _v(inputs)
        axis = tuple(self.axis) if isinstance(self.axis, list) else self.axis
        square_sum = anp.sum(anp.square(x), axis=axis, keepdims=True)
        # min(rsqrt(s), 1 / epsilon) with epsilon = 1e-12, as Keras' ops.normalize
        inv = minimum(1.0 / anp.sqrt(square_sum), np.float32(1e12))
        return x * inv

    def compute_output_shape(self, input_shape):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if a >= len(input_shape) or a < -len(input_shape):
                raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                                 f"{input_shape}.")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
