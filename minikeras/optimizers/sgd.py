"""SGD: gradient descent with optional (Nesterov) momentum."""
import numpy as np

from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Update rule for parameter `w` with gradient `g` when `momentum` is 0:

    ```python
    w = w - learning_rate * g
    ```

    Update rule when `momentum` is larger than 0:

    ```python
    velocity = momentum * velocity - learning_rate * g
    w = w + velocity
    ```

    When `nesterov=True`, this rule becomes:

    ```python
    velocity = momentum * velocity - learning_rate * g
    w = w + momentum * velocity - learning_rate * g
    ```

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. The learning rate. Defaults to `0.01`.
        momentum: float hyperparameter >= 0 that accelerates gradient descent
            in the relevant direction and dampens oscillations. 0 is vanilla
            gradient descent. Defaults to `0.0`.
        nesterov: boolean. Whether to apply Nesterov momentum. Defaults to
            `False`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False,
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
        # Keras demands a float; an int such as 0 or 1 is accepted here too.
        if (isinstance(momentum, bool) or not isinstance(momentum, (int, float, np.number))
                or momentum < 0 or momentum > 1):
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def build(self, variables):
        """Initialize optimizer variables (`momentums`, only if `momentum` != 0).

        Args:
            variables: list of model variables to build SGD variables on.
        """
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def _compute_constants(self, lr):
        return lr, _F32(self.momentum)

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        lr, momentum = self._step_constants(learning_rate, value.dtype)
        g = self._as_gradient(gradient, variable, False)
        tmp = self._scratch(value)
        np.multiply(g, lr, out=tmp)  # learning_rate * g
        if self.momentum == 0:
            np.subtract(value, tmp, out=value)
            return
        m = self._value_of(self.momentums[self._get_variable_index(variable)])
        np.multiply(m, momentum, out=m)
        np.subtract(m, tmp, out=m)
        if self.nesterov:
            # w += momentum * m - lr * g
            tmp2 = self._scratch(value, 1)
            np.multiply(m, momentum, out=tmp2)
            np.subtract(tmp2, tmp, out=tmp2)
            np.add(value, tmp2, out=value)
        else:
            np.add(value, m, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
