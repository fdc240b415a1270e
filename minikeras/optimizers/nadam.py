"""Nadam: Adam with Nesterov momentum."""
import numpy as np

from minikeras.backend.variables import Variable
from minikeras.optimizers._moments import adam_moments
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Nadam(Optimizer):
    """Optimizer that implements the Nadam algorithm.

    Much like Adam is essentially RMSprop with momentum, Nadam is Adam with
    Nesterov momentum (with Dozat's momentum schedule
    `u_t = beta_1 * (1 - 0.5 * 0.96 ** t)`).

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

    Reference:
        - [Dozat, 2015](http://cs229.stanford.edu/proj2015/054_report.pdf).
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
        """Initialize optimizer variables: momentums, velocities and the
        running product of the momentum schedule (last, as in Keras)."""
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else None
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        # Keras creates it as an unnamed Variable inside the optimizer's scope.
        u_product = Variable(1.0, dtype=dtype, trainable=False)
        u_product.path = f"{self._scope_prefix}{self.name}/{u_product.name}"
        self._u_product = u_product

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        t = _F32(self._effective_iterations() + 1)
        u = _F32(self._u_product._value)
        factor = _F32(1) - _F32(0.5) * np.power(_F32(0.96), t)
        self._u_product.assign(u * _F32(self.beta_1) * factor)
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def _compute_constants(self, lr):
        it = self._effective_iterations()
        t, t_next = _F32(it + 1), _F32(it + 2)
        one, half, decay = _F32(1), _F32(0.5), _F32(0.96)
        beta_1, beta_2 = _F32(self.beta_1), _F32(self.beta_2)
        u_t = beta_1 * (one - half * np.power(decay, t))
        u_t_1 = beta_1 * (one - half * np.power(decay, t_next))
        u_product_t = _F32(self._u_product._value)
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = np.power(beta_2, t)
        return (lr, one - beta_1, one - beta_2, u_t_1 / (one - u_product_t_1),
                (one - u_t) / (one - u_product_t), one - beta_2_power,
                _F32(self.epsilon))

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        (lr, one_minus_beta_1, one_minus_beta_2, m_coef, g_coef, v_den,
         epsilon) = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(gradient, variable, False)
        m = self._value_of(self._momentums[index])
        v = self._value_of(self._velocities[index])
        tmp = self._scratch(value)
        tmp2 = self._scratch(value, 1)
        adam_moments(m, v, g, one_minus_beta_1, one_minus_beta_2, tmp)
        # m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
        np.multiply(m, m_coef, out=tmp)
        np.multiply(g, g_coef, out=tmp2)
        np.add(tmp, tmp2, out=tmp)
        # w -= m_hat * lr / (sqrt(v / (1 - beta_2^t)) + epsilon)
        np.divide(v, v_den, out=tmp2)
        np.sqrt(tmp2, out=tmp2)
        np.add(tmp2, epsilon, out=tmp2)
        np.multiply(tmp, lr, out=tmp)
        np.divide(tmp, tmp2, out=tmp)
        np.subtract(value, tmp, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon})
        return config
