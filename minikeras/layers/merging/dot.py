"""`Dot` and `dot`: batched dot product of two inputs."""
import numpy as np
import autograd.numpy as anp

from minikeras.backend import primitives
from minikeras.layers.merging.base_merge import Merge, _shape
from minikeras.ops.core import _v
from minikeras.ops._primitives import minimum


def _l2_normalize(x, axis):
    square_sum = anp.sum(anp.square(x), axis=axis, keepdims=True)
    return x * minimum(1.0 / anp.sqrt(square_sum), np.float32(1e12))


def batch_dot(x, y, axes, layer_name="dot"):
    """Dot product of `x` and `y` over `axes`, per sample (Keras' batch_dot)."""
    xs, ys = anp.shape(x), anp.shape(y)
    xn, yn = len(xs), len(ys)
    if xn < 2 or yn < 2:
        raise ValueError(f"Layer '{layer_name}': cannot do batch_dot on inputs with rank < 2. "
                         f"Received inputs with shapes {xs} and {ys}.")
    if xs[0] != ys[0]:
        raise ValueError(f"Layer '{layer_name}': cannot do batch_dot on inputs with "
                         f"different batch sizes. Received inputs with shapes {xs} and {ys}.")
    a0, a1 = axes
    if 0 in (a0, a1):
        raise ValueError("Cannot perform batch_dot over axis 0. If your inputs are not "
                         "batched, add a dummy batch dimension to your inputs using "
                         "keras.ops.expand_dims(x, 0)")
    if xs[a0] != ys[a1]:
        raise ValueError(
            f"Layer '{layer_name}' (Dot): incompatible input shapes: axis values {xs[a0]} "
            f"(at axis {a0}) != {ys[a1]} (at axis {a1}). Full input shapes: {xs}, {ys}")
    x2, y2 = xn == 2, yn == 2
    if x2:
        x = anp.expand_dims(x, 1)
        a0 += 1
        xn += 1
    if y2:
        y = anp.expand_dims(y, 2)
        yn += 1
    if a0 != xn - 1:
        x = anp.moveaxis(x, a0, -1)
    if a1 != 1:
        y = anp.moveaxis(y, a1, 1)
    xshape, yshape = anp.shape(x), anp.shape(y)
    if xn > 3:
        x = anp.reshape(x, (xshape[0], -1, xshape[-1]))
    if yn > 3:
        y = anp.reshape(y, (yshape[0], yshape[1], -1))
    out = primitives.matmul(x, y)
    shape = anp.shape(out)
    if xn > 3 or yn > 3:
        shape = (shape[0],) + (tuple(xshape[1:-1]) if xn > 3 else (shape[1],)) + \
            (tuple(yshape[2:]) if yn > 3 else (shape[-1],))
        out = anp.reshape(out, shape)
    if x2:
        out = anp.squeeze(out, 1)
    elif y2:
        out = anp.squeeze(out, -1)
    return out


class Dot(Merge):
    """Computes element-wise dot product of two tensors.

    It takes a list of two inputs `x1`, `x2` of shapes `(batch, n)` (or any
    rank with a shared batch axis) and returns, per sample, the sum of
    `x1 * x2` over `axes` (the batched matrix product for higher ranks).

    Args:
        axes: int or tuple of two ints, the axis (or axes, one per input)
            along which to take the dot product.
        normalize: whether to L2-normalize the samples along the dot axis
            first; the dot product is then the cosine proximity.

    Example:

    >>> x = np.arange(10).reshape(1, 5, 2).astype("float32")
    >>> y = np.arange(10, 20).reshape(1, 2, 5).astype("float32")
    >>> keras.layers.Dot(axes=(1, 2))([x, y])
    array([[[260., 360.],
            [320., 445.]]], dtype=float32)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError("Invalid type for argument `axes`: it should be a list or "
                                f"an int. Received: axes={axes}")
            if len(axes) != 2:
                raise ValueError("Invalid format for argument `axes`: it should contain two "
                                 f"elements. Received: axes={axes}")
            if not isinstance(axes[0], int) or not isinstance(axes[1], int):
                raise ValueError("Invalid format for argument `axes`: list elements should "
                                 f"be integers. Received: axes={axes}")
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _axes(self, shape1, shape2):
        if isinstance(self.axes, int):
            if self.axes < 0:
                return [self.axes % len(shape1), self.axes % len(shape2)]
            return [self.axes] * 2
        return [a % len(s) if a < 0 else a for a, s in zip(self.axes, (shape1, shape2))]

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 or \
                not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(f"A `Dot` layer ('{self.name}') should be called on a list of 2 "
                             f"inputs. Received: input_shape={input_shape}")
        s1, s2 = input_shape
        a = self._axes(s1, s2)
        if s1[a[0]] is not None and s2[a[1]] is not None and s1[a[0]] != s2[a[1]]:
            raise ValueError(
                f"Layer '{self.name}' (Dot): incompatible input shapes: axis values "
                f"{s1[a[0]]} (at axis {a[0]}) != {s2[a[1]]} (at axis {a[1]}). Full input "
                f"shapes: {tuple(s1)}, {tuple(s2)}")
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(f"A `Dot` layer ('{self.name}') should be called on exactly 2 "
                             f"inputs. Received: inputs={inputs}")
        x1, x2 = _v(inputs[0]), _v(inputs[1])
        axes = self._axes(_shape(x1), _shape(x2))
        if self.normalize:
            x1 = _l2_normalize(x1, axes[0])
            x2 = _l2_normalize(x2, axes[1])
        return batch_dot(x1, x2, axes, self.name)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
            raise ValueError(f"A `Dot` layer ('{self.name}') should be called on a list of 2 "
                             f"inputs. Received: input_shape={input_shape}")
        s1, s2 = list(input_shape[0]), list(input_shape[1])
        a = self._axes(s1, s2)
        s1.pop(a[0])
        s2.pop(a[1])
        s2.pop(0)
        out = s1 + s2
        if len(out) == 1:
            out += [1]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, **kwargs):
    """Functional interface to the `Dot` layer.

    Args:
        inputs: a list of two input tensors.
        axes: int or tuple of two ints, the axes of the dot product.
        normalize: whether to L2-normalize the samples along the dot axis.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the dot product of the samples from the inputs.
    """
    return Dot(axes=axes, **kwargs)(inputs)
