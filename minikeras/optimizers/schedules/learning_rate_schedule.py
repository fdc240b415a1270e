"""Learning rate schedules: step -> learning rate, as in `keras.optimizers.schedules`.

Every built-in schedule computes in float32, operation by operation in the
order Keras 3 does, so that its values match Keras to float32 precision.
`__call__` returns a numpy float32 scalar.
"""
import math

import numpy as np

from minikeras.optimizers import _serialization

_F32 = np.float32


def _step_f32(step):
    """The step (int, array, or Variable) as a float32 scalar."""
    return _F32(np.asarray(getattr(step, "_value", step)))


class LearningRateSchedule:
    """The learning rate schedule base class.

    You can use a learning rate schedule to modulate how the learning rate
    of your optimizer changes over time. A `LearningRateSchedule` instance
    can be passed in as the `learning_rate` argument of any optimizer.

    To implement your own schedule object, you should implement the
    `__call__` method, which takes a `step` argument (the current training
    step count), and optionally `get_config`/`from_config` for serialization.

    Example:

    ```python
    class MyLRSchedule(keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self, initial_learning_rate):
            self.initial_learning_rate = initial_learning_rate

        def __call__(self, step):
            return self.initial_learning_rate / (step + 1)

    optimizer = keras.optimizers.SGD(learning_rate=MyLRSchedule(0.1))
    ```
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' "
            "must override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' "
            "must override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        """Instantiates a `LearningRateSchedule` from its config.

        Args:
            config: Output of `get_config()`.

        Returns:
            A `LearningRateSchedule` instance.
        """
        return cls(**config)


def _check_positive_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class _RateDecay(LearningRateSchedule):
    """State, config and progress of the schedules driven by a `decay_rate`
    applied per `decay_steps` (exponential and inverse-time decay)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive_steps("decay_steps", self.decay_steps)

    def _progress(self, step):
        """`step / decay_steps` in float32, floored with `staircase`."""
        p = _step_f32(step) / _F32(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    """A `LearningRateSchedule` that uses an exponential decay schedule.

    ```python
    def decayed_learning_rate(step):
        return initial_learning_rate * decay_rate ^ (step / decay_steps)
    ```

    If `staircase` is `True`, `step / decay_steps` is an integer division and
    the decayed learning rate follows a staircase function.

    Args:
        initial_learning_rate: A Python float. The initial learning rate.
        decay_steps: A Python integer. Must be positive.
        decay_rate: A Python float. The decay rate.
        staircase: Boolean. If `True` decay the learning rate at discrete
            intervals.
        name: String. Optional name of the operation. Defaults to
            `"ExponentialDecay"`.

    Example:

    >>> lr = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(lr(10))
    0.05000000074505806
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate,
                 staircase=False, name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        p = self._progress(step)
        return _F32(_F32(self.initial_learning_rate) * np.power(_F32(self.decay_rate), p))


class PiecewiseConstantDecay(LearningRateSchedule):
    """A `LearningRateSchedule` that uses a piecewise constant decay schedule.

    The output is `values[0]` when `step <= boundaries[0]`, `values[1]` when
    `step > boundaries[0]` and `step <= boundaries[1]`, ..., and `values[-1]`
    when `step > boundaries[-1]`.

    Args:
        boundaries: A list of Python numbers with strictly increasing entries.
        values: A list of Python numbers, one more than `boundaries`.
        name: A string. Optional name of the operation. Defaults to
            `"PiecewiseConstant"`.

    Example:

    >>> lr = PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    >>> float(lr(100)), float(lr(101)), float(lr(201))
    (1.0, 0.5, 0.10000000149011612)

    Raises:
        ValueError: if the number of elements in `boundaries` and `values`
            do not match.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of "
                f"values. Received: boundaries={boundaries} of length "
                f"{len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = np.asarray(getattr(step, "_value", step))
        # Keras casts the boundaries to the step's dtype (an int step truncates them).
        bounds = [np.asarray(b).astype(step.dtype) for b in self.boundaries]
        if step <= bounds[0]:
            return _F32(self.values[0])
        for low, high, value in zip(bounds[:-1], bounds[1:], self.values[1:-1]):
            if low < step <= high:
                return _F32(value)
        if step > bounds[-1]:
            return _F32(self.values[-1])
        return _F32(0.0)  # unordered boundaries: no interval matches, as in Keras

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values,
                "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """A `LearningRateSchedule` that uses a polynomial decay schedule.

    ```python
    def decayed_learning_rate(step):
        step = min(step, decay_steps)
        return ((initial_learning_rate - end_learning_rate) *
                (1 - step / decay_steps) ^ (power)
               ) + end_learning_rate
    ```

    If `cycle` is True then a multiple of `decay_steps` is used, the first one
    that is bigger than `step`.

    Args:
        initial_learning_rate: A Python float. The initial learning rate.
        decay_steps: A Python integer. Must be positive.
        end_learning_rate: A Python float. The minimal end learning rate.
        power: A Python float. The power of the polynomial. Defaults to `1.0`.
        cycle: A boolean, whether it should cycle beyond decay_steps.
        name: String. Optional name of the operation. Defaults to
            `"PolynomialDecay"`.
    """

    def __init__(self, initial_learning_rate, decay_steps,
                 end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive_steps("decay_steps", self.decay_steps)

    def __call__(self, step):
        initial = _F32(self.initial_learning_rate)
        end = _F32(self.end_learning_rate)
        global_step = _step_f32(step)
        decay_steps = _F32(self.decay_steps)
        if self.cycle:
            multiplier = (_F32(1.0) if global_step == 0
                          else np.ceil(global_step / _F32(self.decay_steps)))
            decay_steps = decay_steps * multiplier
        else:
            global_step = min(global_step, decay_steps)
        p = global_step / decay_steps
        return _F32((initial - end) * np.power(_F32(1) - p, _F32(self.power)) + end)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_RateDecay):
    """A `LearningRateSchedule` that uses an inverse time decay schedule.

    ```python
    def decayed_learning_rate(step):
        return initial_learning_rate / (1 + decay_rate * step / decay_step)
    ```

    or, if `staircase` is `True`, with `floor(step / decay_step)`.

    Args:
        initial_learning_rate: A Python float. The initial learning rate.
        decay_steps: How often to apply decay.
        decay_rate: A Python number. The decay rate.
        staircase: Whether to apply decay in a discrete staircase, as opposed
            to continuous, fashion.
        name: String. Optional name of the operation. Defaults to
            `"InverseTimeDecay"`.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate,
                 staircase=False, name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        p = self._progress(step)
        denom = _F32(1) + _F32(self.decay_rate) * p
        return _F32(_F32(self.initial_learning_rate) / denom)


class CosineDecay(LearningRateSchedule):
    """A `LearningRateSchedule` that uses a cosine decay with optional warmup.

    With `warmup_target` set, the learning rate first rises linearly from
    `initial_learning_rate` to `warmup_target` over `warmup_steps`, then
    decays along a cosine from `warmup_target` to `warmup_target * alpha`
    over `decay_steps`. Without it, the decay starts at
    `initial_learning_rate`:

    ```python
    def decayed_learning_rate(step):
        step = min(step, decay_steps)
        cosine_decay = 0.5 * (1 + cos(pi * step / decay_steps))
        decayed = (1 - alpha) * cosine_decay + alpha
        return initial_decay_lr * decayed
    ```

    Args:
        initial_learning_rate: A Python float. The initial learning rate.
        decay_steps: A Python int. Number of steps to decay over.
        alpha: A Python float. Minimum learning rate value for decay as a
            fraction of `warmup_target` or, if `warmup_target` is None,
            `initial_learning_rate`.
        name: String. Optional name of the operation. Defaults to
            `"CosineDecay"`.
        warmup_target: A Python float. The target learning rate for the warmup
            phase. `None` skips warmup.
        warmup_steps: A Python int. Number of steps to warmup over.

    References:
        - [Loshchilov & Hutter, ICLR2016](https://arxiv.org/abs/1608.03983)
        - [Goyal et al.](https://arxiv.org/pdf/1706.02677.pdf) for warmup.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0,
                 name="CosineDecay", warmup_target=None, warmup_steps=0):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_positive_steps("decay_steps", self.decay_steps)

    def _decay(self, step, decay_steps, decay_from_lr):
        completed_fraction = step / decay_steps
        cosine_decayed = _F32(0.5) * (_F32(1) + np.cos(_F32(math.pi) * completed_fraction))
        decayed = _F32(1 - self.alpha) * cosine_decayed + _F32(self.alpha)
        return _F32(decay_from_lr * decayed)

    def __call__(self, step):
        initial = _F32(self.initial_learning_rate)
        decay_steps = _F32(self.decay_steps)
        global_step = _step_f32(step)
        if self.warmup_target is None:
            return self._decay(min(global_step, decay_steps), decay_steps, initial)
        warmup_target = _F32(self.warmup_target)
        warmup_steps = _F32(self.warmup_steps)
        global_step = min(global_step, decay_steps + warmup_steps)
        if global_step < warmup_steps:
            completed_fraction = global_step / warmup_steps
            return _F32((warmup_target - initial) * completed_fraction + initial)
        return self._decay(global_step - warmup_steps, decay_steps, warmup_target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha,
                "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """A `LearningRateSchedule` that uses a cosine decay schedule with restarts.

    The learning rate multiplier first decays from 1 to `alpha` for
    `first_decay_steps` steps. Then, a warm restart is performed. Each new
    warm restart runs for `t_mul` times more steps and with `m_mul` times
    initial learning rate as the new learning rate.

    Args:
        initial_learning_rate: A Python float. The initial learning rate.
        first_decay_steps: A Python integer. Number of steps to decay over.
        t_mul: A Python float. Used to derive the number of iterations in
            the i-th period.
        m_mul: A Python float. Used to derive the initial learning rate of
            the i-th period.
        alpha: A Python float. Minimum learning rate value as a fraction of
            the `initial_learning_rate`.
        name: String. Optional name of the operation. Defaults to
            `"SGDRDecay"`.

    Reference:
        - [Loshchilov & Hutter, ICLR2016](https://arxiv.org/abs/1608.03983)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0,
                 m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_positive_steps("first_decay_steps", self.first_decay_steps)

    def __call__(self, step):
        one = _F32(1)
        initial = _F32(self.initial_learning_rate)
        alpha = _F32(self.alpha)
        t_mul = _F32(self._t_mul)
        m_mul = _F32(self._m_mul)
        completed_fraction = _step_f32(step) / _F32(self.first_decay_steps)
        if t_mul == one:
            i_restart = np.floor(completed_fraction)
            completed_fraction = completed_fraction - i_restart
        else:
            i_restart = np.floor(np.log(one - completed_fraction * (one - t_mul)) / np.log(t_mul))
            sum_r = (one - np.power(t_mul, i_restart)) / (one - t_mul)
            completed_fraction = (completed_fraction - sum_r) / np.power(t_mul, i_restart)
        m_fac = np.power(m_mul, i_restart)
        cosine_decayed = _F32(0.5) * m_fac * (one + np.cos(_F32(math.pi) * completed_fraction))
        decayed = (one - alpha) * cosine_decayed + alpha
        return _F32(initial * decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul,
                "alpha": self.alpha, "name": self.name}


_BUILTINS = {cls.__name__: cls for cls in (
    LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay,
    PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    """Serializes a `LearningRateSchedule` into a JSON-compatible dict.

    Args:
        learning_rate_schedule: The `LearningRateSchedule` object to serialize.

    Returns:
        A JSON-serializable dict in Keras 3's format.

    Example:

    >>> lr_schedule = ExponentialDecay(0.1, decay_steps=100000, decay_rate=0.96)
    >>> serialize(lr_schedule)["class_name"]
    'ExponentialDecay'
    """
    return _serialization.serialize_object(
        learning_rate_schedule, "keras.optimizers.schedules", _BUILTINS)


def deserialize(config, custom_objects=None):
    """Instantiates a `LearningRateSchedule` object from a serialized form.

    Args:
        config: The serialized form of the `LearningRateSchedule` (Keras 3 or
            Keras 2 layout).
        custom_objects: A dictionary mapping class names (or function names) of
            custom (non-Keras) objects to class/functions.

    Returns:
        A `LearningRateSchedule` object.
    """
    cls = _serialization.lookup_class(config, _BUILTINS, custom_objects, "decay")
    if cls is None:
        raise ValueError(
            f"Unknown decay: '{config.get('class_name')}'. Please ensure you "
            "are using a `keras.utils.custom_object_scope` and that this object "
            "is included in the scope, or pass it in `custom_objects`.")
    inner = dict(config.get("config") or {})
    if hasattr(cls, "from_config"):
        return cls.from_config(inner)
    return cls(**inner)
