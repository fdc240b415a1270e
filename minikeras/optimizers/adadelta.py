"""Adadelta: adaptive learning rates from moving windows of updates."""
import numpy as np

from minikeras.optimizers._moments import decay_update
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Adadelta(Optimizer):
    """Optimizer that implements the Adadelta algorithm.

    Adadelta optimization is a stochastic gradient descent method that is
    based on adaptive learning rate per dimension to address two drawbacks:
    the continual decay of learning rates throughout training, and the need
    for a manually selected global learning rate:

    ```python
    acc_grad = rho * acc_grad + (1 - rho) * g ** 2
    delta = -sqrt(acc_delta + epsilon) * g / sqrt(acc_grad + epsilon)
    acc_delta = rho * acc_delta + (1 - rho) * delta ** 2
    w = w + learning_rate * delta
    ```

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Note that `Adadelta` tends to benefit from higher initial
            learning rate values, such as `1.0`. Defaults to `0.001`.
        rho: A floating point value. The decay rate. Defaults to `0.95`.
        epsilon: Small floating point value for maintaining numerical
            stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Reference:
        - [Zeiler, 2012](http://arxiv.org/abs/1212.5701)
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = (
            self.add_optimizer_variables(
                var_list, ["accumulated_grad", "accumulated_delta_var"]))

    def _compute_constants(self, lr):
        return lr, _F32(self.rho), _F32(1 - self.rho), _F32(self.epsilon)

    def update_step(self, grad, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        lr, rho, one_minus_rho, epsilon = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(grad, variable, False)
        acc_grad = self._value_of(self._accumulated_grads[index])
        acc_delta = self._value_of(self._accumulated_delta_vars[index])
        tmp = self._scratch(value)
        delta = self._scratch(value, 1)
        np.square(g, out=tmp)
        decay_update(acc_grad, tmp, rho, one_minus_rho, tmp)
        # delta = -(sqrt(acc_delta + eps) * g / sqrt(acc_grad + eps))
        np.add(acc_delta, epsilon, out=delta)
        np.sqrt(delta, out=delta)
        np.multiply(delta, g, out=delta)
        np.add(acc_grad, epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(delta, tmp, out=delta)
        np.negative(delta, out=delta)
        np.square(delta, out=tmp)
        decay_update(acc_delta, tmp, rho, one_minus_rho, tmp)
        np.multiply(delta, lr, out=delta)
        np.add(value, delta, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
