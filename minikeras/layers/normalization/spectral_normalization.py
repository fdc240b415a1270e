"""`SpectralNormalization`: divide a wrapped layer's kernel by its largest singular value."""
import numpy as np
from autograd.tracer import getval, isbox

from minikeras import initializers
from minikeras.backend import config
from minikeras.backend.scopes import StatelessScope
from minikeras.layers.core.wrapper import Wrapper
from minikeras.layers.input_spec import InputSpec


class SpectralNormalization(Wrapper):
    """Performs spectral normalization on the weights of a target layer.

    Controls the Lipschitz constant of the wrapped layer by dividing its
    kernel by an estimate of its spectral norm (largest singular value),
    found by power iteration with the persistent vector `vector_u`. This can
    stabilize the training of GANs (Miyato et al., 2018).

    As in Keras 3, each call with `training=True` *replaces* the kernel
    variable by the normalized kernel and advances `vector_u`; the wrapped
    layer then runs with it. In `fit`, the gradient step applies to that
    normalized kernel (the normalization itself is not differentiated).

    Args:
        layer: a layer with a `kernel` (Dense, Conv2D, ...) or an
            `embeddings` (Embedding) weight.
        power_iterations: number of power iterations per training call.

    Example:

    >>> layer = keras.layers.SpectralNormalization(keras.layers.Dense(10))
    >>> layer(np.random.rand(1, 10, 10, 1).astype("float32")).shape
    (1, 10, 10, 10)
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if _has_attr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif _has_attr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor "
                "'embeddings'")
        self.kernel_shape = self.kernel.shape
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02), trainable=False,
            name="vector_u", dtype=self.kernel.dtype)
        self.built = True

    def call(self, inputs, training=False):
        if not training:
            return self.layer(inputs)
        current = self.kernel.value  # a box while traced (fit or GradientTape)
        kernel = np.asarray(getval(current))
        if not np.all(kernel == 0):
            new_u, new_kernel = self.normalized_weights()
            self.vector_u.assign(new_u)
            self.kernel.assign(new_kernel)
            if isbox(current):
                # The wrapped layer must compute with the normalized kernel while
                # gradients still reach the kernel variable unchanged (as the
                # assignment does in Keras): shift the traced value by a constant.
                shifted = current + (np.asarray(new_kernel, kernel.dtype) - kernel)
                with StatelessScope(state_mapping=[(self.kernel, shifted)]):
                    return self.layer(inputs)
        return self.layer(inputs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def normalized_weights(self):
        """`(new vector_u, normalized kernel)` as float arrays (no gradient).

        One power iteration is `v = l2(u W^T)`, `u = l2(v W)`, with `W` the
        kernel reshaped to `(-1, units)`; `sigma = v W u^T`.
        """
        kernel = np.asarray(getval(self.kernel.value))
        dtype = kernel.dtype
        w = kernel.reshape(-1, self.kernel_shape[-1])
        u = np.asarray(getval(self.vector_u.value))
        for _ in range(self.power_iterations):
            v = _l2_normalize(u @ w.T)
            u = _l2_normalize(v @ w)
        sigma = (v @ w) @ u.T
        return u.astype(self.vector_u.dtype), (kernel / sigma).reshape(self.kernel_shape).astype(
            dtype)

    def get_config(self):
        cfg = super().get_config()
        cfg["power_iterations"] = self.power_iterations
        return cfg


def _l2_normalize(x):
    """`x * min(1 / ||x||, 1 / epsilon)` over all entries (Keras's `normalize`)."""
    dtype = x.dtype
    inv = 1.0 / np.sqrt(np.sum(np.square(x), dtype=dtype))
    inv = np.minimum(inv, np.asarray(1.0 / config.epsilon(), dtype=dtype))
    return (x * inv).astype(dtype)


def _has_attr(layer, name):
    try:
        return getattr(layer, name) is not None
    except (AttributeError, ValueError):
        return False
