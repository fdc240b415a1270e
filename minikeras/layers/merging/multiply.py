"""`Multiply` and `multiply`: element-wise product of a list of inputs."""
from minikeras.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Performs elementwise multiplication.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable after the batch axis), and returns a single tensor of the
    same shape.

    Example:

    >>> x1 = np.ones((2, 3), dtype="float32")
    >>> x2 = np.full((2, 3), 2.0, dtype="float32")
    >>> keras.layers.Multiply()([x1, x2])[0]
    array([2., 2., 2.], dtype=float32)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


def multiply(inputs, **kwargs):
    """Functional interface to the `keras.layers.Multiply` layer.

    Args:
        inputs: a list of input tensors.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the result of `Multiply()(inputs)`.
    """
    return Multiply(**kwargs)(inputs)
