"""`ELU`: exponential linear unit."""
from minikeras import activations
from minikeras.layers.layer import Layer


class ELU(Layer):
    """Applies an Exponential Linear Unit function to an output.

    `f(x) = alpha * (exp(x) - 1.) if x < 0 else x`.

    Args:
        alpha: float, the scale of the negative section.
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
