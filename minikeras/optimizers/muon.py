"""Muon: orthogonalized momentum for matrices, AdamW for everything else."""
import re

import numpy as np

from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Muon(Optimizer):
    """Optimizer that implements the Muon algorithm.

    Muon applies momentum, then replaces each 2D update by (an approximation
    of) its nearest orthogonal matrix, computed with a Newton-Schulz
    iteration. Variables that are not 2D, embeddings (when
    `exclude_embeddings`) and variables whose path matches `exclude_layers`
    are updated with AdamW instead.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Defaults to `0.001`.
        adam_beta_1: The exponential decay rate for the 1st moment estimates
            of the AdamW path. Defaults to `0.9`.
        adam_beta_2: The exponential decay rate for the 2nd moment estimates
            of the AdamW path. Defaults to `0.999`.
        adam_weight_decay: Weight decay of the AdamW path. Defaults to `0.004`.
        epsilon: A small constant for numerical stability. Defaults to `1e-7`.
        weight_decay: Weight decay of the Muon path. Defaults to `0.004`.
        exclude_layers: List of regular expressions; matching variable paths
            use AdamW.
        exclude_embeddings: Boolean. If `True`, embedding variables use AdamW.
        muon_a, muon_b, muon_c: The Newton-Schulz iteration coefficients.
        adam_lr_ratio: Learning rate ratio of the AdamW path.
        momentum: The Muon momentum. Defaults to `0.95`.
        ns_steps: Number of Newton-Schulz iterations. Defaults to `5`.
        nesterov: Whether to use Nesterov momentum. Defaults to `True`.
        rms_rate: Scales the update to match AdamW's RMS
            (`update * sqrt(max(rows, cols)) * rms_rate`); `None` disables it.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
        ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    References:
        - [Original implementation](https://github.com/KellerJordan/Muon)
        - [Liu et al, 2025](https://arxiv.org/abs/2502.16982)
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004,
                 clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, exclude_layers=None, exclude_embeddings=True,
                 muon_a=3.4445, muon_b=-4.775, muon_c=2.0315, adam_lr_ratio=1,
                 momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2, **kwargs):
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", variable.name)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list):
        """Initialize optimizer variables: a momentum per variable, plus a
        velocity for the variables on the AdamW path."""
        if self.built:
            return
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for var in var_list:
            if self._overwrite_variable_with_gradient(var):
                continue
            index = self._get_variable_index(var)
            self.momentums[index] = self.add_variable_from_reference(var, name="momentum")
            if self._should_use_adamw(var):
                self.adam_velocities[index] = self.add_variable_from_reference(
                    var, name="velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m = self.momentums[index]
        v = self.adam_velocities[index]
        lr = _F32(np.asarray(getattr(learning_rate, "_value", learning_rate)))
        if v is not None:
            self._adamw_update_step(gradient, variable, lr * _F32(self.adam_lr_ratio), m, v)
        else:
            self._muon_update_step(gradient, variable, lr, m)

    def _muon_update_step(self, gradient, variable, lr, m):
        value = self._value_of(variable)
        dt = value.dtype.type
        g = self._as_gradient(gradient, variable, False)
        m = self._value_of(m)
        m += g + m * dt(self.momentum - 1)
        update = g + dt(self.momentum) * m if self.nesterov else m
        update = self.zeropower_via_newtonschulz5(update, self.ns_steps)
        value -= self.lr_adjust(dt(lr) * update)

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        value = self._value_of(variable)
        dt = value.dtype.type
        g = self._as_gradient(gradient, variable, False)
        m, v = self._value_of(m), self._value_of(v)
        t = dt(self._effective_iterations() + 1)
        one = dt(1)
        beta_1_power = np.power(dt(self.adam_beta_1), t)
        beta_2_power = np.power(dt(self.adam_beta_2), t)
        alpha = dt(learning_rate) * np.sqrt(one - beta_2_power) / (one - beta_1_power)
        m += (g - m) * dt(1 - self.adam_beta_1)
        v += (np.square(g) - v) * dt(1 - self.adam_beta_2)
        value -= (m * alpha) / (np.sqrt(v) + dt(self.epsilon))

    def transpose_last_axis(self, X):
        """Swap the last two axes of `X`."""
        return np.swapaxes(X, -1, -2)

    def lr_adjust(self, x):
        """Scale the update so its RMS matches AdamW's (`rms_rate`)."""
        if self.rms_rate is None:
            return x
        scale = np.sqrt(_F32(max(x.shape[0], x.shape[1]))) * _F32(self.rms_rate)
        return x * x.dtype.type(scale)

    def zeropower_via_newtonschulz5(self, x, steps):
        """Orthogonalize `x` with `steps` quintic Newton-Schulz iterations."""
        shape = x.shape
        if len(shape) < 2:
            raise ValueError(
                "Expected gradient or momentum to have at least 2 dimensions. "
                f"Received: shape={shape}")
        dt = x.dtype.type
        a, b, c = dt(self.muon_a), dt(self.muon_b), dt(self.muon_c)
        transposed = shape[-2] > shape[-1]
        if transposed:
            x = self.transpose_last_axis(x)
        norm = np.sqrt(np.sum(np.square(x), axis=(-2, -1), keepdims=True))
        x = x / (norm + dt(1e-7))
        for _ in range(steps):
            temp_a = x @ self.transpose_last_axis(x)
            temp_b = b * temp_a + c * temp_a @ temp_a
            x = a * x + temp_b @ x
        if transposed:
            x = self.transpose_last_axis(x)
        return np.ascontiguousarray(x)

    def _apply_weight_decay(self, variables):
        lr = None
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = (self.adam_weight_decay if self._should_use_adamw(variable)
                     else self.weight_decay)
            if decay is None:
                continue
            if lr is None:
                lr = self._learning_rate_value()
            value = self._value_of(variable)
            dt = value.dtype.type
            value -= value * dt(decay) * dt(lr)

    def get_config(self):
        config = super().get_config()
        config.update({
            "adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon, "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a, "muon_b": self.muon_b, "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
            "ns_steps": self.ns_steps, "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate,
        })
        return config
