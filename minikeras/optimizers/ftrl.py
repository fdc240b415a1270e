"""FTRL-Proximal ("Follow The Regularized Leader")."""
import numpy as np

from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class Ftrl(Optimizer):
    """Optimizer that implements the FTRL algorithm.

    "Follow The Regularized Leader" (FTRL) is an optimization algorithm
    developed at Google for click-through rate prediction in the early 2010s.
    It is most suitable for shallow models with large and sparse feature
    spaces. This version supports both online L2 (the L2 penalty given in the
    paper above) and shrinkage-type L2, which is the addition of an L2
    penalty to the loss function.

    Args:
        learning_rate: A float, a
            `keras.optimizers.schedules.LearningRateSchedule` instance, or a
            callable that takes no arguments and returns the actual value to
            use. Defaults to `0.001`.
        learning_rate_power: A float value, must be less or equal to zero.
            Controls how the learning rate decreases during training. Use zero
            for a fixed learning rate.
        initial_accumulator_value: The starting value for accumulators. Only
            zero or positive values are allowed.
        l1_regularization_strength: A float value, must be greater than or
            equal to zero. Defaults to `0.0`.
        l2_regularization_strength: A float value, must be greater than or
            equal to zero. Defaults to `0.0`.
        l2_shrinkage_regularization_strength: A float value, must be greater
            than or equal to zero. This differs from L2 above in that the L2
            above is a stabilization penalty, whereas this L2 shrinkage is a
            magnitude penalty.
        beta: A float value, representing the beta value from the paper.
            Defaults to `0.0`.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: see `keras.optimizers.Optimizer`.

    Reference:
        - [McMahan et al., 2013](https://research.google.com/pubs/archive/41159.pdf)
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
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
        if initial_accumulator_value < 0.0:
            raise ValueError(
                "`initial_accumulator_value` needs to be positive or zero. "
                f"Received: initial_accumulator_value={initial_accumulator_value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}.")
        if l1_regularization_strength < 0.0:
            raise ValueError(
                "`l1_regularization_strength` needs to be positive or zero. "
                f"Received: l1_regularization_strength={l1_regularization_strength}.")
        if l2_regularization_strength < 0.0:
            raise ValueError(
                "`l2_regularization_strength` needs to be positive or zero. "
                f"Received: l2_regularization_strength={l2_regularization_strength}.")
        if l2_shrinkage_regularization_strength < 0.0:
            raise ValueError(
                "`l2_shrinkage_regularization_strength` needs to be positive or "
                "zero. Received: l2_shrinkage_regularization_strength="
                f"{l2_shrinkage_regularization_strength}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        """Initialize optimizer variables: accumulators and linears."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[float(self.initial_accumulator_value), "zeros"])

    def _compute_constants(self, lr):
        l2_reg = _F32(self.l2_regularization_strength) + _F32(self.beta) / (_F32(2.0) * lr)
        return (lr, _F32(-self.learning_rate_power),
                _F32(2 * self.l2_shrinkage_regularization_strength),
                _F32(2) * _F32(l2_reg), _F32(self.l1_regularization_strength))

    @staticmethod
    def _power(x, p, out):
        if p == 0.5:
            return np.sqrt(x, out=out)
        return np.power(x, p, out=out)

    def update_step(self, gradient, variable, learning_rate):
        """Update step given gradient and the associated model variable."""
        value = self._value_of(variable)
        lr, power, shrinkage, two_l2_reg, l1 = self._step_constants(learning_rate, value.dtype)
        index = self._get_variable_index(variable)
        g = self._as_gradient(gradient, variable, False)
        accum = self._value_of(self._accumulators[index])
        linear = self._value_of(self._linears[index])
        new_accum = self._scratch(value)
        new_pow = self._scratch(value, 1)
        tmp = self._scratch(value, 2)
        np.square(g, out=new_accum)
        np.add(accum, new_accum, out=new_accum)
        self._power(new_accum, power, new_pow)
        self._power(accum, power, tmp)
        # linear += (g + 2 * l2_shrinkage * w) - (new_accum^p - accum^p) / lr * w
        np.subtract(new_pow, tmp, out=tmp)
        np.divide(tmp, lr, out=tmp)
        np.multiply(tmp, value, out=tmp)
        np.copyto(accum, new_accum)
        np.multiply(value, shrinkage, out=new_accum)
        np.add(g, new_accum, out=new_accum)
        np.subtract(new_accum, tmp, out=new_accum)
        np.add(linear, new_accum, out=linear)
        # quadratic = new_accum^p / lr + 2 * l2_reg;  w = (clip(linear) - linear) / quadratic
        np.divide(new_pow, lr, out=new_pow)
        np.add(new_pow, two_l2_reg, out=new_pow)
        np.clip(linear, -l1, l1, out=tmp)
        np.subtract(tmp, linear, out=tmp)
        np.divide(tmp, new_pow, out=value)

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength":
                self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
