"""RMSprop (plain momentum, optionally centered)."""
import numpy as np

from minikeras.optimizers._moments import decay_update
from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class RMSprop(Optimizer):
    """Optimizer that implements the RMSprop algorithm.

    The gist of RMSprop is to:

    - Maintain a moving (discounted) average of the square of gradients
    - Divide the gradient by the root of this average

    This implementation of RMSprop uses plain momentum, not Nesterov momentum.
    The centered version additionally maintains a moving average of the
    gradients, and uses that average to estimate the variance.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. The learning rate. Defaults to `0.001`.
        rho: float, defaults to 0.9. Discounting factor for the old gradients.
        momentum: float, defaults to 0.0. If not 0.0., the optimizer tracks the
            momentum value, with a decay rate equals to `1 - momentum`.
        epsilon: A small constant for numerical stability. Defaults to 1e-7.
        centered: Boolean. If `True`, gradients are normalized by the estimated
            variance of the gradient; if False, by the uncentered second
            moment. Defaults to `False`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Example:

    >>> opt = keras.optimizers.RMSprop(learning_rate=0.1)
    >>> var1 = keras.Variable(10.0)
    >>> _ = opt.apply_gradients([(var1.numpy(), var1)])  # d(var1**2/2)/d(var1) = var1
    >>> float(var1.numpy())
    9.683772...

    Reference:
        - [Hinton, 2012](http://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name,
            **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(
                var_list, "average_gradient")

    def _compute_constants(self, lr):
        return (lr, _F32(self.rho), _F32(1 - self.rho), _F32(self.epsilon),
                _F32(self.momentum))

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        lr, rho, one_minus_rho, epsilon, momentum = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(gradient, variable, False)
        velocity = self._value_of(self._velocities[index])
        tmp = self._scratch(value)
        # velocity = rho * velocity + (1 - rho) * g^2
        np.square(g, out=tmp)
        decay_update(velocity, tmp, rho, one_minus_rho, tmp)
        if self.centered:
            average = self._value_of(self._average_gradients[index])
            decay_update(average, g, rho, one_minus_rho, tmp)
            # denominator = velocity - average^2 + epsilon
            np.square(average, out=tmp)
            np.subtract(velocity, tmp, out=tmp)
            np.add(tmp, epsilon, out=tmp)
        else:
            np.add(velocity, epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(g, tmp, out=tmp)
        np.multiply(tmp, lr, out=tmp)  # increment = lr * g / sqrt(denominator)
        if self.momentum > 0:
            mom = self._value_of(self._momentums[index])
            np.multiply(mom, momentum, out=mom)
            np.add(mom, tmp, out=mom)
            np.subtract(value, mom, out=value)
        else:
            np.subtract(value, tmp, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum,
                       "epsilon": self.epsilon, "centered": self.centered})
        return config
