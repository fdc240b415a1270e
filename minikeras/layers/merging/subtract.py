"""`Subtract` and `subtract`: element-wise difference of two inputs."""
from minikeras.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Performs elementwise subtraction.

    It takes exactly two inputs and returns `inputs[0] - inputs[1]`.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable after the batch axis), and returns a single tensor of the
    same shape.

    Example:

    >>> x1 = np.ones((2, 3), dtype="float32")
    >>> x2 = np.full((2, 3), 2.0, dtype="float32")
    >>> keras.layers.Subtract()([x1, x2])[0]
    array([-1., -1., -1.], dtype=float32)
    """

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                f"A `Subtract` layer ('{self.name}') should be called on exactly 2 inputs. "
                f"Received: input_shape={input_shape}")
        self.built = True

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                f"A `Subtract` layer ('{self.name}') should be called on exactly 2 "
                f"inputs. Received: inputs={inputs}")
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """Functional interface to the `keras.layers.Subtract` layer.

    Args:
        inputs: a list of input tensors (exactly 2).
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the result of `Subtract()(inputs)`.
    """
    return Subtract(**kwargs)(inputs)
