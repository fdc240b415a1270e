"""`Reshape`: reshape the non-batch axes to `target_shape`."""
import math

import autograd.numpy as anp

from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


def _resolve(input_shape, target_shape, layer_name):
    """`target_shape` with its `-1` resolved (None when it cannot be)."""
    if None in input_shape:
        return tuple(None if d == -1 else d for d in target_shape)
    size = math.prod(input_shape)
    if -1 not in target_shape:
        if size != math.prod(target_shape):
            raise ValueError(
                f"Layer '{layer_name}' (Reshape): the total size of the tensor must be "
                f"unchanged. Received: input_shape={tuple(input_shape)}, "
                f"target_shape={tuple(target_shape)}")
        return tuple(target_shape)
    known = math.prod(d for d in target_shape if d != -1)
    if known == 0 or size % known != 0:
        raise ValueError(
            f"Layer '{layer_name}' (Reshape): the total size of the tensor must be "
            "unchanged, however, the input size cannot by divided by the specified "
            f"dimensions in target_shape. Received: input_shape={tuple(input_shape)}, "
            f"target_shape={tuple(target_shape)}")
    return tuple(size // known if d == -1 else d for d in target_shape)


class Reshape(Layer):
    """Layer that reshapes inputs into the given shape.

    Args:
        target_shape: target shape, a tuple of integers that does not include
            the samples dimension; one entry may be `-1` (inferred).

    Example:

    >>> keras.layers.Reshape((3, 4))(np.zeros((2, 12))).shape
    (2, 3, 4)
    >>> keras.layers.Reshape((-1, 2, 2))(np.zeros((2, 12))).shape
    (2, 3, 2, 2)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError("There must be at most one unknown dimension (-1) in "
                             f"target_shape. Received: target_shape={target_shape}.")
        for d in target_shape:
            if isinstance(d, int) and d < -1:
                raise ValueError(
                    "Each dimension in `target_shape` must be a non-negative integer, or "
                    f"`-1` for a single unknown dimension. Received: "
                    f"target_shape={target_shape}.")
        self.target_shape = target_shape
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + _resolve(tuple(input_shape[1:]), self.target_shape,
                                            self.name)

    def call(self, inputs):
        x = _v(inputs)
        shape = anp.shape(x)
        target = _resolve(tuple(shape[1:]), self.target_shape, self.name)
        return anp.reshape(x, (shape[0],) + target)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
