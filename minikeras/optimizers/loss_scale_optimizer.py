"""LossScaleOptimizer: dynamic loss scaling around another optimizer."""
import numpy as np

from minikeras.optimizers.base_optimizer import Optimizer

_F32 = np.float32


class LossScaleOptimizer(Optimizer):
    """An optimizer that dynamically scales the loss to prevent underflow.

    Loss scaling is a technique to prevent numeric underflow in intermediate
    gradients when float16 is used. The loss is multiplied by a scale
    (`scale_loss`), and the gradients are divided by it before the inner
    optimizer applies them. The scale doubles after `dynamic_growth_steps`
    steps with finite gradients, and halves (skipping the update) whenever a
    gradient is not finite.

    Args:
        inner_optimizer: The `keras.optimizers.Optimizer` instance to wrap.
        initial_scale: Float. The initial loss scale. Defaults to `2**15`.
        dynamic_growth_steps: Int. How often to update the scale upwards.
            After every `dynamic_growth_steps` steps with finite gradients,
            the loss scale is doubled. Defaults to `2000`.
        name: String. The name of the optimizer.
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15,
                 dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, "
                "simply set `loss_scale_factor` directly on the `inner_optimizer`.")
        defaults = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                    "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                    "ema_overwrite_frequency": None, "loss_scale_factor": None,
                    "gradient_accumulation_steps": None}
        for arg_name, default in defaults.items():
            if arg_name in kwargs and kwargs.pop(arg_name) != default:
                raise ValueError(
                    f"LossScaleOptimizer does not support `{arg_name}`. Instead, "
                    f"set `{arg_name}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not support arguments: "
                f"`{'`, `'.join(kwargs.keys())}`.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        self.step_counter = self.add_variable(shape=(), dtype="int64",
                                              initializer="zeros", name="step_counter")
        self.dynamic_scale = self.add_variable(shape=(), dtype="float32",
                                               initializer=float(self.initial_scale),
                                               name="dynamic_scale")
        # Keras builds the inner optimizer inside this one's name scope.
        self.inner_optimizer._scope_prefix = f"{self._scope_prefix}{self.name}/"
        try:
            self.inner_optimizer.build(var_list)
        finally:
            self.inner_optimizer._scope_prefix = ""
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads):
        """True when every (non-None) gradient is finite."""
        return all(bool(np.all(np.isfinite(np.asarray(getattr(g, "_value", g)))))
                   for g in grads if g is not None)

    def apply(self, grads, trainable_variables=None):
        if not self.built:
            self.build(trainable_variables)
            self.built = True
        if self.check_finite(grads):
            scale = _F32(self.dynamic_scale._value)
            variables = trainable_variables or self._trainable_variables
            unscaled = [g if g is None or self._overwrite_variable_with_gradient(v)
                        else np.asarray(getattr(g, "_value", g)) / scale
                        for g, v in zip(grads, variables)]
            self.inner_optimizer.apply(unscaled, trainable_variables=trainable_variables)
            if int(self.step_counter._value) == self.dynamic_growth_steps - 1:
                self.step_counter.assign(0)
                self.dynamic_scale.assign(scale * _F32(2.0))
            else:
                self.step_counter.assign(self.step_counter._value + 1)
        else:
            self.step_counter.assign(0)
            self.dynamic_scale.assign(_F32(self.dynamic_scale._value) * _F32(0.5))

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """Multiply the loss by the current loss scale."""
        scale = _F32(self.dynamic_scale._value) if self.built else self.initial_scale
        return loss * scale

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from minikeras.optimizers import serialize
        return {"name": self.name, "inner_optimizer": serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from minikeras.optimizers import deserialize
        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)
