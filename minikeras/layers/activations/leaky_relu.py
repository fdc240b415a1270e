"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` below."""
import warnings

from minikeras import activations
from minikeras.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky version of a Rectified Linear Unit activation layer.

    Allows a small gradient when the unit is not active:
    `f(x) = negative_slope * x if x < 0 else x`.

    Args:
        negative_slope: float >= 0, the negative slope coefficient (the old
            name `alpha` is accepted with a warning).

    Example:

    >>> keras.layers.LeakyReLU()(np.array([-3.0, -1.0, 0.0, 2.0], dtype="float32"))
    array([-0.90000004, -0.3, 0., 2.], dtype=float32)
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or "
                             f"negative value. Expected a float. Received: "
                             f"negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
