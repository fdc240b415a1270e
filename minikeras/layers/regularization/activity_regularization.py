"""`ActivityRegularization`: identity that adds an L1/L2 activity penalty."""
from minikeras import regularizers
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class ActivityRegularization(Layer):
    """Layer that applies an update to the cost function based on its input.

    The output equals the input; the penalty
    `l1 * sum(|x|) + l2 * sum(x ** 2)` (divided by the batch size) is added
    to the layer's `losses`.

    Args:
        l1: L1 regularization factor (positive float).
        l2: L2 regularization factor (positive float).
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return _v(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        config.update({"l1": self.l1, "l2": self.l2})
        return config
