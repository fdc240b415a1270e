"""Learning rate schedules: errors, serialization, custom schedules."""
import numpy as np
import pytest

from minikeras import optimizers
from minikeras.optimizers import schedules


@pytest.mark.parametrize("make", [
    lambda: schedules.ExponentialDecay(0.1, 0, 0.9),
    lambda: schedules.PolynomialDecay(0.1, -1),
    lambda: schedules.InverseTimeDecay(0.1, 0, 0.5),
    lambda: schedules.CosineDecay(0.1, 0),
    lambda: schedules.CosineDecayRestarts(0.1, 0),
])
def test_non_positive_decay_steps_raise(make):
    with pytest.raises(ValueError, match="must be > 0"):
        make()


def test_piecewise_length_mismatch_raises():
    with pytest.raises(ValueError, match="1 less than the length of values"):
        schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5])


def test_values_are_float32_and_follow_the_formulas():
    lr = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert lr(19) == np.float32(0.05) and lr(20) == np.float32(0.025)
    lr = schedules.PolynomialDecay(1.0, 10, end_learning_rate=0.0)
    assert lr(5) == np.float32(0.5) and lr(50) == np.float32(0.0)
    lr = schedules.CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=4)
    assert lr(2) == np.float32(0.5) and lr(4) == np.float32(1.0)
    np.testing.assert_allclose(lr(9), 0.5, rtol=1e-6)
    for value in (lr(0), lr(np.int64(3)), lr(np.array(7))):
        assert isinstance(value, np.float32)


def test_base_class_requires_call_and_config():
    base = schedules.LearningRateSchedule()
    with pytest.raises(NotImplementedError):
        base(1)
    with pytest.raises(NotImplementedError):
        base.get_config()


@pytest.mark.parametrize("schedule", [
    schedules.ExponentialDecay(0.1, 7, 0.9, staircase=True),
    schedules.PiecewiseConstantDecay([3, 9], [0.3, 0.2, 0.1]),
    schedules.PolynomialDecay(0.1, 20, 0.01, power=2.0, cycle=True),
    schedules.InverseTimeDecay(0.1, 2, 0.5),
    schedules.CosineDecay(0.1, 50, alpha=0.1, warmup_target=0.2, warmup_steps=5),
    schedules.CosineDecayRestarts(0.1, 5, t_mul=1.5, m_mul=0.9, alpha=0.01),
], ids=lambda s: type(s).__name__)
def test_serialize_round_trip(schedule):
    config = schedules.serialize(schedule)
    assert config["module"] == "keras.optimizers.schedules"
    assert config["class_name"] == type(schedule).__name__
    clone = schedules.deserialize(config)
    assert clone.get_config() == schedule.get_config()
    for step in (0, 3, 11, 60):
        assert clone(step) == schedule(step)


def test_deserialize_unknown_and_custom():
    with pytest.raises(ValueError, match="Unknown decay"):
        schedules.deserialize({"class_name": "Nope", "config": {}})

    class Halving(schedules.LearningRateSchedule):
        def __init__(self, initial):
            self.initial = initial

        def __call__(self, step):
            return self.initial / (2.0 ** float(step))

        def get_config(self):
            return {"initial": self.initial}

    restored = schedules.deserialize(schedules.serialize(Halving(1.0)),
                                     custom_objects={"Halving": Halving})
    assert restored(3) == 0.125
    opt = optimizers.Adam(learning_rate=Halving(0.8))
    clone = optimizers.deserialize(optimizers.serialize(opt),
                                   custom_objects={"Halving": Halving})
    assert isinstance(clone._learning_rate, Halving)
