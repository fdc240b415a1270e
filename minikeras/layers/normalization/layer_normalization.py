"""`LayerNormalization`: normalize each sample over its feature axes."""
import warnings

import numpy as np
import autograd.numpy as anp

from minikeras.backend import norm_primitives
from minikeras.layers.layer import Layer
from minikeras.layers.normalization.scale_offset import (
    add_scale_offset_weight, scale_offset_config, set_scale_offset_args)
from minikeras.ops.core import _v


class LayerNormalization(Layer):
    """Layer normalization layer (Ba et al., 2016).

    Normalizes the activations of each sample independently (not across the
    batch): `gamma * (x - mean) / sqrt(var + epsilon) + beta`, with the mean
    and variance taken over `axis`.

    Args:
        axis: int or list of ints, the axes to normalize over (typically
            the features axis, -1).
        epsilon: small float added to the variance.
        center: add the offset `beta`.
        scale: multiply by `gamma`.
        beta_initializer, gamma_initializer: initializers.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.

    Example:

    >>> x = np.arange(10, dtype="float32").reshape(5, 2) * 10
    >>> keras.layers.LayerNormalization(axis=1)(x)
    array([[-1., 1.], [-1., 1.], [-1., 1.], [-1., 1.], [-1., 1.]])
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated. This argument "
                "incorrectly scales the input by the variance, not the root mean square. "
                "To correctly use RMS Normalization, please use "
                "`keras.layers.RMSNormalization` instead.")
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError("Expected an int or a list/tuple of ints for the argument "
                            f"'axis', but received: {axis!r}")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        set_scale_offset_args(self, beta_initializer, gamma_initializer, beta_regularizer,
                              gamma_regularizer, beta_constraint, gamma_constraint)
        self.supports_masking = True
        self.autocast = False
        self.gamma = None
        self.beta = None

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        if isinstance(self.axis, (list, tuple)):
            self.axis = sorted(self.axis)
        else:
            self.axis = [self.axis]
        shape = tuple(input_shape[d] for d in self.axis)
        if self.scale or self.rms_scaling:
            self.gamma = add_scale_offset_weight(self, "gamma", shape)
        if self.center and not self.rms_scaling:
            self.beta = add_scale_offset_weight(self, "beta", shape)
        self.built = True

    def call(self, inputs):
        x = _v(inputs)
        ndim = anp.ndim(x)
        axes = tuple(sorted(a % ndim for a in self.axis))
        bshape = [1] * ndim
        for a in axes:
            bshape[a] = anp.shape(x)[a]
        gamma = anp.reshape(self.gamma.value, bshape) if self.gamma is not None else None
        beta = anp.reshape(self.beta.value, bshape) if self.beta is not None else None
        if self.rms_scaling:
            n = int(np.prod([anp.shape(x)[a] for a in axes]))
            mean = anp.sum(x, axis=axes, keepdims=True) / n
            var = anp.sum(anp.square(x - mean), axis=axes, keepdims=True) / n
            y = x / anp.sqrt(var + self.epsilon)
            return y * gamma if gamma is not None else y
        return norm_primitives.normalize(x, gamma, beta, axes, self.epsilon)

    def compute_output_shape(self, input_shape):
        axes = self.axis if isinstance(self.axis, (list, tuple)) else [self.axis]
        for axis in axes:
            if axis >= len(input_shape) or axis < -len(input_shape):
                raise ValueError(f"Axis {axis} is out of bounds for input shape "
                                 f"{input_shape} of layer '{self.name}'. "
                                 f"Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            **scale_offset_config(self),
        })
        return config
