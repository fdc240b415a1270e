"""Scenarios from "Save, serialize, and export models" (keras.io)."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


def _data():
    rng = np.random.default_rng(0)
    return rng.random((16, 4)).astype("float32"), rng.random((16, 1)).astype("float32")


def _model():
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer=keras.optimizers.Adam(), loss="mean_squared_error")
    return model


def test_save_load_keras_file_keeps_predictions_and_optimizer(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, verbose=0)
    model.save(tmp_path / "my_model.keras")
    reconstructed = keras.models.load_model(tmp_path / "my_model.keras")
    np.testing.assert_allclose(model.predict(x, verbose=0), reconstructed.predict(x, verbose=0))
    assert type(reconstructed.optimizer).__name__ == "Adam"
    assert int(reconstructed.optimizer.iterations.numpy()) == 1
    # Training continues from the restored optimizer state exactly as the original does.
    model.fit(x, y, verbose=0, shuffle=False)
    reconstructed.fit(x, y, verbose=0, shuffle=False)
    np.testing.assert_allclose(model.get_weights()[0], reconstructed.get_weights()[0], rtol=1e-6)


def test_save_requires_a_known_extension(tmp_path):
    with pytest.raises(ValueError, match=r"\.keras"):
        _model().save(tmp_path / "noext")
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        _model().save_weights(tmp_path / "x.h5")


@keras.saving.register_keras_serializable(package="scenarios", name="square_fn")
def square_fn(x):
    return x ** 2


@keras.saving.register_keras_serializable(package="ScenarioLayers")
class ScaleLayer(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config


@keras.saving.register_keras_serializable(package="scenarios", name="sq_loss")
def sq_loss(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


def test_registered_custom_objects_round_trip(tmp_path):
    x, y = _data()
    inputs = keras.Input((4,))
    h = layers.Dense(3, activation=square_fn)(ScaleLayer(0.5)(inputs))
    model = keras.Model(inputs, layers.Dense(1)(h))
    model.compile(optimizer="rmsprop", loss=sq_loss)
    model.fit(x, y, verbose=0)
    model.save(tmp_path / "custom.keras")
    loaded = keras.models.load_model(tmp_path / "custom.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert keras.saving.get_registered_name(ScaleLayer) == "ScenarioLayers>ScaleLayer"
    assert keras.saving.get_registered_name(square_fn) == "scenarios>square_fn"
    assert loaded.layers[1].factor == 0.5
    assert loaded.evaluate(x, y, verbose=0) == pytest.approx(model.evaluate(x, y, verbose=0),
                                                             rel=1e-6)


class Unregistered(keras.layers.Layer):
    def __init__(self, k=2, **kwargs):
        super().__init__(**kwargs)
        self.k = k

    def call(self, x):
        return x * self.k

    def get_config(self):
        return {**super().get_config(), "k": self.k}


def test_unregistered_layer_needs_custom_objects_or_scope(tmp_path):
    x, _ = _data()
    model = keras.Sequential([keras.Input((4,)), Unregistered(3), layers.Dense(2)])
    path = tmp_path / "unreg.keras"
    model.save(path)
    with pytest.raises((TypeError, ValueError), match="Unregistered"):
        keras.models.load_model(path)
    loaded = keras.models.load_model(path, custom_objects={"Unregistered": Unregistered})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with keras.saving.custom_object_scope({"Unregistered": Unregistered}):
        assert type(keras.models.load_model(path).layers[0]) is Unregistered


def test_get_config_from_config_and_json_round_trips():
    x, _ = _data()
    model = _model()
    clone = keras.Model.from_config(model.get_config())
    assert clone.predict(x[:1], verbose=0).shape == (1, 1)
    again = keras.models.model_from_json(model.to_json())
    assert [l.__class__.__name__ for l in again.layers] == ["InputLayer", "Dense"]
    seq = keras.Sequential([keras.Input((4,)), Unregistered(3), layers.Dense(2)])
    seq2 = keras.Sequential.from_config(seq.get_config(),
                                        custom_objects={"Unregistered": Unregistered})
    assert [l.name for l in seq2.layers] == [l.name for l in seq.layers]


def test_save_weights_load_weights_and_get_set_weights(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, verbose=0)
    model.save_weights(tmp_path / "ckpt.weights.h5")
    other = _model()
    other.load_weights(tmp_path / "ckpt.weights.h5")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0))
    third = _model()
    third.set_weights(model.get_weights())
    np.testing.assert_allclose(third.predict(x, verbose=0), model.predict(x, verbose=0))


def test_legacy_h5_model_round_trip(tmp_path):
    pytest.importorskip("h5py")
    x, y = _data()
    model = _model()
    model.fit(x, y, verbose=0)
    with pytest.warns(UserWarning, match="legacy"):
        model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_subclassed_model_round_trip(tmp_path):
    class MyModel(keras.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = layers.Dense(units)

        def call(self, x):
            return self.dense(x)

        def get_config(self):
            return {"units": self.units, **super().get_config()}

    x, _ = _data()
    model = MyModel(2)
    model(x[:1])
    model.save(tmp_path / "sub.keras")
    loaded = keras.models.load_model(tmp_path / "sub.keras", custom_objects={"MyModel": MyModel})
    assert loaded.units == 2
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_lambda_layer_needs_safe_mode_false(tmp_path):
    x, _ = _data()
    model = keras.Sequential([keras.Input((4,)), layers.Lambda(lambda t: t * 2)])
    model.save(tmp_path / "lam.keras")
    with pytest.raises(ValueError, match="safe_mode"):
        keras.models.load_model(tmp_path / "lam.keras")
    loaded = keras.models.load_model(tmp_path / "lam.keras", safe_mode=False)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), 2 * x)


def test_clone_model_has_fresh_weights_and_same_structure():
    model = _model()
    clone = keras.models.clone_model(model)
    assert [type(l) for l in clone.layers] == [type(l) for l in model.layers]
    assert not np.allclose(clone.get_weights()[0], model.get_weights()[0])


def _round_trip(model, tmp_path, name):
    x = np.random.default_rng(0).random((2, 4)).astype("float32")
    model.save(tmp_path / f"{name}.keras")
    loaded = keras.models.load_model(tmp_path / f"{name}.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_functional_scalar_arithmetic_round_trip(tmp_path):
    inputs = keras.Input((4,))
    _round_trip(keras.Model(inputs, layers.Dense(4)(inputs) * 2.0), tmp_path, "scaled")


def test_functional_residual_add_operator_round_trip(tmp_path):
    inputs = keras.Input((4,))
    _round_trip(keras.Model(inputs, layers.Dense(4)(inputs) + inputs), tmp_path, "residual")


def test_functional_slice_round_trip(tmp_path):
    inputs = keras.Input((4,))
    _round_trip(keras.Model(inputs, layers.Dense(4)(inputs)[:, :2]), tmp_path, "slice")


def test_functional_ops_call_round_trip(tmp_path):
    inputs = keras.Input((4,))
    h = ops.relu(ops.concatenate([inputs, layers.Dense(2)(inputs)], axis=-1))
    _round_trip(keras.Model(inputs, h), tmp_path, "ops")
