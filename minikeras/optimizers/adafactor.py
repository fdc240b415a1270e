"""Adafactor: Adam-like updates with factored second moments."""
import numpy as np

from minikeras.backend.variables import Variable
from minikeras.optimizers.base_optimizer import Optimizer



def _rms(x):
    return np.sqrt(np.mean(np.square(x)))


class Adafactor(Optimizer):
    """Optimizer that implements the Adafactor algorithm.

    Adafactor is commonly used in NLP tasks, and has the advantage of taking
    less memory because it only saves partial information of previous
    gradients: for a matrix, the row and column means of the squared
    gradients instead of the full second moment.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Defaults to `0.001`.
        beta_2_decay: float, defaults to -0.8. The decay rate of `beta_2`.
        epsilon_1: float, defaults to 1e-30. A small offset to keep
            denominator away from 0.
        epsilon_2: float, defaults to 1e-3. A small offset to avoid learning
            rate becoming too small by time.
        clip_threshold: float, defaults to 1.0. Clipping threshold. This is a
            part of Adafactor algorithm, independent from `clipnorm`,
            `clipvalue`, and `global_clipnorm`.
        relative_step: bool, defaults to `True`. If `learning_rate` is a
            constant and `relative_step=True`, learning rate will be adjusted
            based on current iterations. This is a default learning rate decay
            in Adafactor.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Reference:
        - [Shazeer, Noam et al., 2018](https://arxiv.org/abs/1804.04235).
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0, relative_step=True,
                 weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        """Initialize optimizer variables: row (r) and column (c) second
        moments for matrices, and the velocity (v)."""
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            shape = tuple(var.shape)
            if len(shape) < 2:
                # Keras keeps unused scalar placeholders here; saved files count them.
                for store in (self._r, self._c):
                    placeholder = Variable(0, dtype="int32", trainable=False,
                                           name=var.name,
                                           path=f"{self._scope_prefix}{self.name}/{var.name}")
                    self._track_variable(placeholder)
                    store.append(placeholder)
            elif self._overwrite_variable_with_gradient(var):
                self._r.append(None)
                self._c.append(None)
            else:
                self._r.append(self.add_variable(shape=shape[:-1], dtype=var.dtype,
                                                 name=var.name))
                self._c.append(self.add_variable(shape=shape[:-2] + (shape[-1],),
                                                 dtype=var.dtype, name=var.name))
            if self._overwrite_variable_with_gradient(var):
                self._v.append(None)
            else:
                self._v.append(self.add_variable_from_reference(var, name="velocity"))

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        dt = value.dtype.type
        lr = dt(np.asarray(getattr(learning_rate, "_value", learning_rate)))
        g = self._as_gradient(gradient, variable, False)
        one = dt(1)
        local_step = dt(self._effective_iterations() + 1)
        inv_sqrt_step = one / np.sqrt(local_step)
        if not callable(self._learning_rate) and self.relative_step:
            lr = min(lr, inv_sqrt_step)
        index = self._get_variable_index(variable)
        rho_t = min(lr, inv_sqrt_step)
        alpha_t = max(dt(self.epsilon_2), _rms(value)) * rho_t
        regulated_grad_square = np.square(g) + dt(self.epsilon_1)
        beta_2_t = one - np.power(local_step, dt(self.beta_2_decay))
        v = self._value_of(self._v[index])
        if value.ndim >= 2:
            r = self._value_of(self._r[index])
            c = self._value_of(self._c[index])
            r[...] = beta_2_t * r + (one - beta_2_t) * np.mean(regulated_grad_square, axis=-1)
            c[...] = beta_2_t * c + (one - beta_2_t) * np.mean(regulated_grad_square, axis=-2)
            v[...] = (np.expand_dims(r / np.mean(r, axis=-1, keepdims=True), -1)
                      * np.expand_dims(c, -2))
        else:
            v[...] = beta_2_t * v + (one - beta_2_t) * regulated_grad_square
        u_t = g / np.sqrt(v)
        u_t_hat = u_t / max(one, _rms(u_t) / dt(self.clip_threshold))
        value -= alpha_t * u_t_hat

    def get_config(self):
        config = super().get_config()
        config.update({
            "beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step})
        return config
