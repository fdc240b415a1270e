"""`ReLU`: rectified linear unit with optional slope, cap and threshold."""
from minikeras import activations
from minikeras.layers.layer import Layer


class ReLU(Layer):
    """Rectified Linear Unit activation function layer.

    Formula:

    ```
    f(x) = max_value if x >= max_value
    f(x) = x if threshold <= x < max_value
    f(x) = negative_slope * (x - threshold) otherwise
    ```

    Args:
        max_value: float >= 0, the maximum activation value; None means unlimited.
        negative_slope: float >= 0, the slope below the threshold.
        threshold: float >= 0, the threshold value for thresholded activation.

    Example:

    >>> keras.layers.ReLU()(np.array([-3.0, -1.0, 0.0, 2.0], dtype="float32"))
    array([0., 0., 0., 2.], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. "
                             f"Received: max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be None or a negative "
                             f"value. Received: negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be None or a negative value. "
                             f"Received: threshold={threshold}")
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config
