"""Adam (with the AMSGrad variant)."""
import numpy as np

from minikeras.optimizers._moments import adam_moments
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Adam(Optimizer):
    """Optimizer that implements the Adam algorithm.

    Adam optimization is a stochastic gradient descent method that is based on
    adaptive estimation of first-order and second-order moments:

    ```python
    m = m + (g - m) * (1 - beta_1)
    v = v + (g ** 2 - v) * (1 - beta_2)
    alpha = lr * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    w = w - alpha * m / (sqrt(v) + epsilon)
    ```

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. The learning rate. Defaults to `0.001`.
        beta_1: A float. The exponential decay rate for the 1st moment
            estimates. Defaults to `0.9`.
        beta_2: A float. The exponential decay rate for the 2nd moment
            estimates. Defaults to `0.999`.
        epsilon: A small constant for numerical stability ("epsilon hat" in
            the Kingma and Ba paper). Defaults to `1e-7`.
        amsgrad: Boolean. Whether to apply the AMSGrad variant of this
            algorithm from the paper "On the Convergence of Adam and beyond".
            Defaults to `False`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Reference:
        - [Kingma et al., 2014](http://arxiv.org/abs/1412.6980)
        - [Reddi et al., 2018](https://openreview.net/pdf?id=ryQu7f-RZ) for
          `amsgrad`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
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
        self.amsgrad = amsgrad

    def build(self, var_list):
        """Initialize optimizer variables: momentums, velocities and
        velocity_hat (only set when amsgrad is applied).

        Args:
            var_list: list of model variables to build Adam variables on.
        """
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _compute_constants(self, lr):
        t = _F32(self._effective_iterations() + 1)
        beta_1_power = np.power(_F32(self.beta_1), t)
        beta_2_power = np.power(_F32(self.beta_2), t)
        one = _F32(1)
        alpha = _F32(lr * np.sqrt(one - beta_2_power) / (one - beta_1_power))
        return (alpha, _F32(1 - self.beta_1), _F32(1 - self.beta_2),
                _F32(self.epsilon))

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        alpha, one_minus_beta_1, one_minus_beta_2, epsilon = self._step_constants(
            learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(gradient, variable, False)
        m = self._value_of(self._momentums[index])
        v = self._value_of(self._velocities[index])
        tmp = self._scratch(value)
        adam_moments(m, v, g, one_minus_beta_1, one_minus_beta_2, tmp)
        if self.amsgrad:
            v_hat = self._value_of(self._velocity_hats[index])
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.sqrt(v, out=tmp)
        np.add(tmp, epsilon, out=tmp)
        np.divide(m, tmp, out=tmp)
        np.multiply(tmp, alpha, out=tmp)
        np.subtract(value, tmp, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon, "amsgrad": self.amsgrad})
        return config
