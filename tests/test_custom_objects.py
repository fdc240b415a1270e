"""A user's own loss, metric, optimizer, initializer, regularizer and constraint plug
into compile/layers exactly as in Keras, and survive a save/load round trip."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import ops


@keras.saving.register_keras_serializable(package="Tests")
class MomentumSGD(keras.optimizers.Optimizer):
    """Keras's documented recipe: `build` adds slots, `update_step` updates."""

    def __init__(self, learning_rate=0.1, momentum=0.5, name="momentum_sgd", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = momentum

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.velocities = [self.add_variable_from_reference(v, name="velocity")
                           for v in var_list]

    def update_step(self, gradient, variable, learning_rate):
        v = self.velocities[self._get_variable_index(variable)]
        self.assign(v, self.momentum * ops.convert_to_numpy(v) - learning_rate * gradient)
        self.assign_add(variable, v)

    def get_config(self):
        config = super().get_config()
        config["momentum"] = self.momentum
        return config


@keras.saving.register_keras_serializable(package="Tests")
class HalfSquared(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return ops.mean(0.5 * ops.square(y_true - y_pred), axis=-1)


@keras.saving.register_keras_serializable(package="Tests")
class MaxAbsError(keras.metrics.Metric):
    def __init__(self, name="max_abs_error", **kwargs):
        super().__init__(name=name, **kwargs)
        self.worst = self.add_variable(shape=(), initializer="zeros", name="worst")

    def update_state(self, y_true, y_pred, sample_weight=None):
        err = np.max(np.abs(np.asarray(y_true) - np.asarray(y_pred)))
        self.worst.assign(max(float(self.worst.numpy()), float(err)))

    def result(self):
        return self.worst.numpy()

    def reset_state(self):
        self.worst.assign(0.0)


@keras.saving.register_keras_serializable(package="Tests")
class ConstantInit(keras.initializers.Initializer):
    def __init__(self, value=0.25):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(shape, self.value, dtype=dtype or "float32")

    def get_config(self):
        return {"value": self.value}


@keras.saving.register_keras_serializable(package="Tests")
class SumPenalty(keras.regularizers.Regularizer):
    def __init__(self, factor=0.1):
        self.factor = factor

    def __call__(self, w):
        return self.factor * ops.sum(ops.abs(w))

    def get_config(self):
        return {"factor": self.factor}


@keras.saving.register_keras_serializable(package="Tests")
def clip_to_one(w):
    return ops.clip(w, -1.0, 1.0)


def _model():
    return keras.Sequential([
        keras.Input((3,)),
        keras.layers.Dense(2, kernel_initializer=ConstantInit(0.25),
                           kernel_regularizer=SumPenalty(0.1)),
        keras.layers.Dense(1, kernel_constraint=keras.constraints.MaxNorm(1.0)),
    ])


def test_custom_objects_plug_into_compile_and_layers(tmp_path):
    model = _model()
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], 0.25)
    model.compile(optimizer=MomentumSGD(0.05), loss=HalfSquared(), metrics=[MaxAbsError()])
    x = np.random.default_rng(0).random((32, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    history = model.fit(x, y, epochs=15, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "max_abs_error"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    # The regularizer counts in the loss: evaluate = data loss + penalty.
    data_loss = float(HalfSquared()(y, model.predict(x, verbose=0)))
    penalty = 0.1 * np.abs(model.layers[0].get_weights()[0]).sum()
    assert model.evaluate(x, y, verbose=0)[0] == pytest.approx(data_loss + penalty, rel=1e-4)
    # The optimizer kept its own slots.
    assert len(model.optimizer.velocities) == 4

    path = tmp_path / "custom.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert isinstance(restored.optimizer, MomentumSGD) and restored.optimizer.momentum == 0.5
    assert isinstance(restored.loss, HalfSquared) or restored.loss.__class__.__name__ == "HalfSquared"
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_plain_function_loss_and_metric_and_constraint_function():
    def my_mae(y_true, y_pred):
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    layer = keras.layers.Dense(1, kernel_constraint=clip_to_one)
    model = keras.Sequential([keras.Input((2,)), layer])
    model.compile(optimizer=keras.optimizers.SGD(10.0), loss=my_mae, metrics=[my_mae])
    x = np.ones((4, 2), "float32")
    history = model.fit(x, np.full((4, 1), 100.0, "float32"), epochs=3, verbose=0)
    assert set(history.history) == {"loss", "my_mae"}
    assert np.all(np.abs(layer.kernel.numpy()) <= 1.0)   # the constraint ran after updates
