"""`GroupNormalization`: normalize each sample over groups of channels."""
import autograd.numpy as anp

from minikeras.backend import norm_primitives
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.layers.normalization.scale_offset import (
    add_scale_offset_weight, scale_offset_config, set_scale_offset_args)
from minikeras.ops.core import _v


class GroupNormalization(Layer):
    """Group normalization layer (Wu & He, 2018).

    Splits the channels into `groups` groups and normalizes each group of
    each sample with its own mean and variance (over the group's channels and
    all spatial positions). `groups=1` is layer normalization over all
    non-batch axes; `groups=-1` (one group per channel) is instance
    normalization.

    Args:
        groups: int, the number of groups; must divide the number of channels.
        axis: int, the channel axis.
        epsilon: small float added to the variance.
        center, scale: add `beta` / multiply by `gamma` (per channel).
        beta_initializer, gamma_initializer, beta_regularizer,
            gamma_regularizer, beta_constraint, gamma_constraint: for the weights.
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        if not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive "
                "integer (or `-1` for instance normalization). "
                f"Received: groups={groups}")
        super().__init__(**kwargs)
        self.supports_masking = True
        self.autocast = False
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        set_scale_offset_args(self, beta_initializer, gamma_initializer, beta_regularizer,
                              gamma_regularizer, beta_constraint, gamma_constraint)
        self.gamma = None
        self.beta = None

    def build(self, input_shape):
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the "
                f"layer '{self.name}' received an input with shape {input_shape}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Layer '{self.name}': number of groups ({self.groups}) cannot "
                             f"be more than the number of channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"Layer '{self.name}': number of groups ({self.groups}) must be "
                             f"a multiple of the number of channels ({dim}).")
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        if self.scale:
            self.gamma = add_scale_offset_weight(self, "gamma", (dim,))
        if self.center:
            self.beta = add_scale_offset_weight(self, "beta", (dim,))
        self.built = True

    def call(self, inputs):
        x = _v(inputs)
        shape = anp.shape(x)
        ndim = len(shape)
        axis = self.axis % ndim
        c = shape[axis]
        # (..., C, ...) -> (..., groups, C // groups, ...)
        gshape = list(shape[:axis]) + [self.groups, c // self.groups] + list(shape[axis + 1:])
        xg = anp.reshape(x, gshape)
        axes = tuple(i for i in range(1, ndim + 1) if i != axis)
        bshape = [1] * (ndim + 1)
        bshape[axis], bshape[axis + 1] = self.groups, c // self.groups
        gamma = anp.reshape(self.gamma.value, bshape) if self.scale else None
        beta = anp.reshape(self.beta.value, bshape) if self.center else None
        y = norm_primitives.normalize(xg, gamma, beta, axes, self.epsilon)
        return anp.reshape(y, shape)

    def compute_output_shape(self, input_shape):
        if self.axis >= len(input_shape) or self.axis < -len(input_shape):
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{input_shape}. Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            **scale_offset_config(self),
        })
        return config
