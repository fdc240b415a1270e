"""Schedule-Free AdamW."""
import numpy as np

from minikeras.optimizers._moments import ema_update
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class ScheduleFreeAdamW(Optimizer):
    """Optimizer that implements the Schedule-Free AdamW algorithm.

    Schedule-Free learning replaces the learning rate schedule with an
    interpolation between a fast iterate `z` (kept in the `momentum` slot) and
    a running average `x`; the model weights hold `y`, the point where the
    gradient is evaluated. No learning rate schedule is needed; a linear
    `warmup_steps` is supported.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Defaults to `0.0025`.
        beta_1: A float. The interpolation coefficient. Defaults to `0.9`.
        beta_2: A float. The exponential decay rate for the 2nd moment
            estimates. Defaults to `0.999`.
        epsilon: A small constant for numerical stability. Defaults to `1e-8`.
        warmup_steps: Int. Number of steps of linear learning rate warmup.
            Defaults to `0`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Reference:
        - [Defazio et al., 2024](https://arxiv.org/abs/2405.15682)
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-8, warmup_steps=0, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        """Initialize optimizer variables: momentums (z, starting at the
        weights) and velocities."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        for momentum, var in zip(self._momentums, var_list):
            if momentum is not None:
                momentum.assign(np.array(var.numpy()))

    def _compute_constants(self, lr):
        one = _F32(1)
        t = _F32(self._effective_iterations() + 1)
        beta_1, beta_2 = _F32(self.beta_1), _F32(self.beta_2)
        if self.warmup_steps > 0:
            lr = lr * min(t / _F32(self.warmup_steps), one)
        weight = one / t
        return (_F32(lr), beta_1, one - beta_1, one - beta_2,
                one - np.power(beta_2, t), _F32(self.epsilon), weight, one - weight)

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        (lr, beta_1, one_minus_beta_1, one_minus_beta_2, bias_correction_2, epsilon,
         weight, one_minus_weight) = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(gradient, variable, False)
        z = self._value_of(self._momentums[index])
        velocity = self._value_of(self._velocities[index])
        tmp = self._scratch(value)
        x = self._scratch(value, 1)
        np.square(g, out=tmp)
        ema_update(velocity, tmp, one_minus_beta_2, tmp)
        np.divide(velocity, bias_correction_2, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.add(tmp, epsilon, out=tmp)
        np.multiply(g, lr, out=x)
        np.divide(x, tmp, out=tmp)
        np.subtract(z, tmp, out=z)
        # Keras (TensorFlow backend) reads the momentum *after* this update as
        # "momentum_old", since its value is the live tf.Variable.
        np.multiply(z, one_minus_beta_1, out=tmp)
        np.subtract(value, tmp, out=x)
        np.divide(x, beta_1, out=x)
        np.multiply(x, one_minus_weight, out=x)
        np.multiply(z, weight, out=tmp)
        np.add(x, tmp, out=x)
        np.multiply(x, beta_1, out=x)
        np.multiply(z, one_minus_beta_1, out=tmp)
        np.add(tmp, x, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2,
                       "epsilon": self.epsilon, "warmup_steps": self.warmup_steps})
        return config
