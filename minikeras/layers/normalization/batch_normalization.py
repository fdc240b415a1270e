"""`BatchNormalization`: normalize with batch statistics, track moving ones."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras import constraints, initializers, regularizers
from minikeras.backend import config, norm_primitives
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import CTX, Layer
from minikeras.layers.normalization.scale_offset import (
    add_scale_offset_weight, set_scale_offset_args)
from minikeras.ops.core import _v
from minikeras.ops._primitives import where


class BatchNormalization(Layer):
    """Layer that normalizes its inputs.

    Batch normalization applies a transformation that keeps the mean output
    close to 0 and the output standard deviation close to 1.

    **During training** (`training=True`, as in `fit()`), the layer
    normalizes with the mean and variance of the current batch,
    `gamma * (batch - mean(batch)) / sqrt(var(batch) + epsilon) + beta`, and
    updates `moving_mean` and `moving_variance` as
    `moving = moving * momentum + batch_stat * (1 - momentum)`.

    **During inference** (the default of `predict()`, `evaluate()` and
    plain calls) it uses the moving statistics instead.

    **Frozen layers**: with `layer.trainable = False` the layer always runs
    in inference mode, even with `training=True`, and its moving statistics
    are not updated (the Keras 3 behaviour that makes fine-tuning work).

    Args:
        axis: int, the feature axis (typically -1; 1 for `channels_first`).
        momentum: momentum of the moving average.
        epsilon: small float added to the variance.
        center: add the offset `beta`.
        scale: multiply by `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
            moving_variance_initializer: initializers.
        beta_regularizer, gamma_regularizer: regularizers.
        beta_constraint, gamma_constraint: constraints.
        synchronized: only meaningful for distributed training; ignored here.
        renorm, renorm_clipping, renorm_momentum: batch renormalization
            (not supported: `renorm=True` raises NotImplementedError).

    Weights, in order: `gamma`, `beta` (if enabled), `moving_mean`,
    `moving_variance`.

    Call arguments:
        inputs: input tensor of any rank.
        training: whether to normalize with the batch statistics.
        mask: optional `(batch, ...)` mask with one axis less than the input;
            masked entries do not count in the batch statistics.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if renorm:
            raise NotImplementedError(
                "BatchNormalization(renorm=True) (batch renormalization) is not supported "
                "by minikeras.")
        self.axis = int(axis)
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        set_scale_offset_args(self, beta_initializer, gamma_initializer, beta_regularizer,
                              gamma_regularizer, beta_constraint, gamma_constraint)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True
        self.gamma = None
        self.beta = None
        self.moving_mean = None
        self.moving_variance = None
        self._reduction_axes = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{tuple(input_shape)} of layer '{self.name}'. "
                             f"Received: axis={self.axis}")
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of the input to layer '{self.name}' should "
                             f"have a defined dimension. Received input_shape={input_shape}")
        shape = (dim,)
        if self.scale:
            self.gamma = add_scale_offset_weight(self, "gamma", shape)
        if self.center:
            self.beta = add_scale_offset_weight(self, "beta", shape)
        self.moving_mean = self.add_weight(
            shape=shape, name="moving_mean", initializer=self.moving_mean_initializer,
            trainable=False, autocast=False)
        self.moving_variance = self.add_weight(
            shape=shape, name="moving_variance",
            initializer=self.moving_variance_initializer, trainable=False, autocast=False)
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        axis = self.axis % ndim
        self._reduction_axes = tuple(i for i in range(ndim) if i != axis)
        self.built = True

    def _broadcast(self, v, ndim):
        if v is None:
            return None
        shape = [1] * ndim
        shape[self.axis % ndim] = -1
        return anp.reshape(v, shape)

    def call(self, inputs, training=None, mask=None):
        x = _v(inputs)
        ndim = anp.ndim(x)
        if mask is not None and np.ndim(getval(_v(mask))) != ndim - 1:
            raise ValueError(
                "The mask provided should be one dimension less than the inputs. "
                f"Received: mask.shape={np.shape(getval(_v(mask)))}, "
                f"inputs.shape={np.shape(getval(x))}")
        gamma = self._broadcast(self.gamma.value, ndim) if self.scale else None
        beta = self._broadcast(self.beta.value, ndim) if self.center else None
        if training and self.trainable:
            if mask is None:
                y, mean, var = norm_primitives.normalize(
                    x, gamma, beta, self._reduction_axes, self.epsilon, return_moments=True)
            else:
                mean, var = self._masked_moments(x, mask)
                y = _apply(x, mean, var, gamma, beta, self.epsilon)
            if not CTX.symbolic:
                self._update_moving(getval(mean), getval(var))
            return y
        mean = self._broadcast(self.moving_mean.value, ndim)
        var = self._broadcast(self.moving_variance.value, ndim)
        return _apply(x, mean, var, gamma, beta, self.epsilon)

    def _masked_moments(self, x, mask):
        m = np.expand_dims(np.asarray(getval(_v(mask))).astype(bool), -1)
        m = np.broadcast_to(m, np.shape(getval(x)))
        fm = m.astype(getval(x).dtype)
        axes = self._reduction_axes
        weight = np.sum(fm, axis=axes, keepdims=True) + np.asarray(config.epsilon(), fm.dtype)
        zero = np.zeros((), dtype=fm.dtype)
        mean = anp.sum(where(m, x, zero), axis=axes, keepdims=True) / weight
        diff = where(m, x - mean, zero)
        var = anp.sum(diff * diff, axis=axes, keepdims=True) / weight
        return mean, var

    def _update_moving(self, mean, var):
        dt = self.moving_mean.dtype
        mom = np.asarray(self.momentum, dtype=dt)
        rest = np.asarray(1.0 - self.momentum, dtype=dt)
        mean = np.reshape(np.asarray(mean, dtype=dt), (-1,))
        var = np.reshape(np.asarray(var, dtype=dt), (-1,))
        self.moving_mean.assign(self.moving_mean.numpy() * mom + mean * rest)
        self.moving_variance.assign(self.moving_variance.numpy() * mom + var * rest)

    def compute_output_shape(self, input_shape):
        if self.axis >= len(input_shape) or self.axis < -len(input_shape):
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{input_shape}. Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        config_ = super().get_config()
        config_.update({
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        })
        return config_


def _apply(x, mean, var, gamma, beta, epsilon):
    """TensorFlow's `batch_normalization` arithmetic with given statistics."""
    inv = 1.0 / anp.sqrt(var + np.float32(epsilon))
    if gamma is not None:
        inv = inv * gamma
    res = -mean * inv if beta is None else beta - mean * inv
    return x * inv + res
