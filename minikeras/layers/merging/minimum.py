"""`Minimum` and `minimum`: element-wise minimum of a list of inputs."""
from autograd.tracer import getval

from minikeras.layers.merging.base_merge import Merge
from minikeras.ops._primitives import where


class Minimum(Merge):
    """Computes element-wise minimum on a list of inputs.

    It takes as input a list of tensors, all of the same shape (or
    broadcastable after the batch axis), and returns a single tensor of the
    same shape.

    Example:

    >>> x1 = np.ones((2, 3), dtype="float32")
    >>> x2 = np.full((2, 3), 2.0, dtype="float32")
    >>> keras.layers.Minimum()([x1, x2])[0]
    array([1., 1., 1.], dtype=float32)
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            # ties send the gradient to the earlier input, as TensorFlow does
            out = where(getval(out) <= getval(x), out, x)
        return out


def minimum(inputs, **kwargs):
    """Functional interface to the `keras.layers.Minimum` layer.

    Args:
        inputs: a list of input tensors.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the result of `Minimum()(inputs)`.
    """
    return Minimum(**kwargs)(inputs)
