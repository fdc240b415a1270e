"""Lamb: Adam with layer-wise trust ratios."""
import numpy as np

from minikeras.optimizers._moments import adam_moments
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Lamb(Optimizer):
    """Optimizer that implements the Lamb algorithm.

    Lamb is a stochastic gradient descent method that uses layer-wise adaptive
    moments to adjust the learning rate for each parameter based on the ratio
    of the norm of the weight to the norm of the gradient. This helps to
    stabilize the training process and improves convergence, especially for
    large batch sizes.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Defaults to `0.001`.
        beta_1: A float. The exponential decay rate for the 1st moment
            estimates. Defaults to `0.9`.
        beta_2: A float. The exponential decay rate for the 2nd moment
            estimates. Defaults to `0.999`.
        epsilon: A small constant for numerical stability. Defaults to `1e-7`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    References:
        - [Yang et al.](https://arxiv.org/pdf/1904.00962)
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
        """Initialize optimizer variables: momentums and velocities."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])

    def _compute_constants(self, lr):
        t = _F32(self._effective_iterations() + 1)
        one = _F32(1)
        return (lr, _F32(1 - self.beta_1), _F32(1 - self.beta_2),
                one - np.power(_F32(self.beta_1), t),
                one - np.power(_F32(self.beta_2), t), _F32(self.epsilon))

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        (lr, one_minus_beta_1, one_minus_beta_2, m_den, v_den,
         epsilon) = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        dt = value.dtype.type
        g = self._as_gradient(gradient, variable, False)
        m = self._value_of(self._momentums[index])
        v = self._value_of(self._velocities[index])
        tmp = self._scratch(value)
        update = self._scratch(value, 1)
        adam_moments(m, v, g, one_minus_beta_1, one_minus_beta_2, tmp)
        # update = (m / (1 - beta_1^t)) / (sqrt(v / (1 - beta_2^t)) + epsilon)
        np.divide(v, v_den, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.add(tmp, epsilon, out=tmp)
        np.divide(m, m_den, out=update)
        np.divide(update, tmp, out=update)
        flat_w, flat_u = value.reshape(-1), update.reshape(-1)
        w_norm = np.sqrt(np.dot(flat_w, flat_w))
        g_norm = np.sqrt(np.dot(flat_u, flat_u))
        ratio = w_norm / g_norm if (w_norm > 0 and g_norm > 0) else dt(1)
        np.multiply(update, dt(ratio) * lr, out=update)
        np.subtract(value, update, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
