"""`RMSNormalization`: scale each sample by its root mean square."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class RMSNormalization(Layer):
    """Root Mean Square (RMS) normalization layer (Zhang & Sennrich, 2019).

    Computes `x * rsqrt(mean(square(x), axis) + epsilon) * scale`, with a
    trainable `scale` over `axis` (initialized to ones).

    Args:
        axis: int or list of ints, the axes to normalize over.
        epsilon: small float added to the mean square.
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        if isinstance(self.axis, (list, tuple)):
            self.axis = sorted(self.axis)
            shape = tuple(input_shape[d] for d in self.axis)
        else:
            shape = (input_shape[self.axis],)
            self.axis = [self.axis]
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")
        self.built = True

    def call(self, x):
        x = _v(x)
        ndim = anp.ndim(x)
        axes = tuple(a % ndim for a in self.axis)
        bshape = [1] * ndim
        for a in axes:
            bshape[a] = anp.shape(x)[a]
        n = int(np.prod([anp.shape(x)[a] for a in axes]))
        rrms = 1.0 / anp.sqrt(anp.sum(anp.square(x), axis=axes, keepdims=True) / n
                              + np.float32(self.epsilon))
        return x * rrms * anp.reshape(self.scale.value, bshape)

    def compute_output_shape(self, input_shape):
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        for a in axes:
            if a >= len(input_shape) or a < -len(input_shape):
                raise ValueError(f"Axis {a} is out of bounds for input shape {input_shape}. "
                                 f"Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
