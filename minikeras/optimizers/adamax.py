"""Adamax: Adam with the infinity norm."""
import numpy as np

from minikeras.optimizers._moments import ema_update
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Adamax(Optimizer):
    """Optimizer that implements the Adamax algorithm.

    Adamax, a variant of Adam based on the infinity norm, is a first-order
    gradient-based optimization method:

    ```python
    m = m + (g - m) * (1 - beta_1)
    u = max(beta_2 * u, abs(g))
    w = w - learning_rate * m / ((1 - beta_1 ** t) * (u + epsilon))
    ```

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Defaults to `0.001`.
        beta_1: A float. The exponential decay rate for the 1st moment
            estimates. Defaults to `0.9`.
        beta_2: A float. The exponential decay rate for the exponentially
            weighted infinity norm. Defaults to `0.999`.
        epsilon: A small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Reference:
        - [Kingma et al., 2014](http://arxiv.org/abs/1412.6980)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        """Initialize optimizer variables: momentums (m) and norms (u)."""
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def _compute_constants(self, lr):
        t = _F32(self._effective_iterations() + 1)
        one_minus_beta_1_power = _F32(1) - np.power(_F32(self.beta_1), t)
        return (lr, _F32(1 - self.beta_1), _F32(self.beta_2), _F32(self.epsilon),
                one_minus_beta_1_power)

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        lr, one_minus_beta_1, beta_2, epsilon, bias = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(gradient, variable, False)
        m = self._value_of(self._m[index])
        u = self._value_of(self._u[index])
        tmp = self._scratch(value)
        ema_update(m, g, one_minus_beta_1, tmp)
        np.multiply(u, beta_2, out=u)
        np.abs(g, out=tmp)
        np.maximum(u, tmp, out=u)
        # w -= (lr * m) / ((1 - beta_1^t) * (u + epsilon))
        tmp2 = self._scratch(value, 1)
        np.add(u, epsilon, out=tmp)
        np.multiply(tmp, bias, out=tmp)
        np.multiply(m, lr, out=tmp2)
        np.divide(tmp2, tmp, out=tmp)
        np.subtract(value, tmp, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
