"""Inputs people actually pass: ints, float64, lists, odd shapes, NaN, mistakes."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


def _binary_model():
    model = keras.Sequential([keras.Input((4,)),
                              layers.Dense(1, activation="sigmoid", kernel_initializer="ones")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((20, 4)), rng.integers(0, 2, 20)


def test_integer_inputs_give_float32_outputs():
    xi = np.arange(8).reshape(2, 4)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    assert model.predict(xi, verbose=0).dtype == np.float32
    assert ops.convert_to_numpy(model(xi)).dtype == np.float32
    assert ops.convert_to_numpy(layers.Dense(1)(xi)).dtype == np.float32


def test_float64_and_list_inputs_are_cast_to_float32():
    x, y = _data()
    model = _binary_model()
    model.fit(x, y.astype("float64"), epochs=1, verbose=0)
    assert model.predict(x, verbose=0).dtype == np.float32
    assert ops.convert_to_numpy(model(x)).dtype == np.float32
    assert model.get_weights()[0].dtype == np.float32
    assert model.predict([[1.0, 2.0, 3.0, 4.0]], verbose=0).shape == (1, 1)


def test_1d_and_2d_binary_targets_and_bool_labels_agree():
    x, y = _data()
    model = _binary_model()
    one_d = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(model.evaluate(x, y.reshape(-1, 1), verbose=0), one_d, rtol=1e-6)
    np.testing.assert_allclose(model.evaluate(x, y.astype(bool), verbose=0), one_d, rtol=1e-6)
    p = np.clip(model.predict(x, verbose=0)[:, 0], 1e-7, 1 - 1e-7)
    bce = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(one_d[0], bce, rtol=1e-5)
    np.testing.assert_allclose(one_d[1], np.mean((p > 0.5) == y), rtol=1e-6)


def test_batch_size_larger_than_data_and_single_sample_predict():
    x, y = _data()
    model = _binary_model()
    history = model.fit(x, y, batch_size=1000, epochs=1, verbose=0)
    assert history.params["steps"] == 1
    assert model.predict(x[:1], verbose=0).shape == (1, 1)
    # A single sample without its batch axis: Keras 3's Sequential rejects it at its input.
    with pytest.raises(ValueError, match=r"Invalid input shape.*\(None, 4\).*\(4,\)"):
        model.predict(x[0], verbose=0)


def test_validation_split_zero_and_tiny():
    x, y = _data()
    assert sorted(_binary_model().fit(x, y, validation_split=0.0, verbose=0).history) == [
        "accuracy", "loss"]
    history = _binary_model().fit(x[:3], y[:3], validation_split=0.1, verbose=0)
    assert "val_loss" in history.history


def test_multi_input_model_called_on_python_list():
    a, b = keras.Input((2,)), keras.Input((3,))
    dense = layers.Dense(1, kernel_initializer="ones")
    model = keras.Model([a, b], dense(ops.concatenate([a, b], axis=-1)))
    xs = [np.ones((2, 2), "float32"), np.ones((2, 3), "float32")]
    np.testing.assert_allclose(ops.convert_to_numpy(model(xs)), np.full((2, 1), 5.0))
    np.testing.assert_allclose(model.predict(tuple(xs), verbose=0), np.full((2, 1), 5.0))
    with pytest.raises(ValueError, match="2 input"):
        model.predict([xs[0]], verbose=0)


def test_nan_in_data_gives_nan_loss_and_terminate_on_nan_stops():
    x, y = _data()
    x = x.copy()
    x[0, 0] = np.nan
    history = _binary_model().fit(x, y, epochs=3, batch_size=20, verbose=0,
                                  callbacks=[keras.callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1 and np.isnan(history.history["loss"][0])


def test_dense_on_3d_input_acts_on_last_axis():
    x = np.random.default_rng(0).random((2, 5, 4)).astype("float32")
    model = keras.Sequential([keras.Input((5, 4)), layers.Dense(3)])
    assert model.output_shape == (None, 5, 3)
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ kernel + bias, rtol=1e-5)
    model.compile("sgd", "mse")
    assert np.isfinite(model.fit(x, np.ones((2, 5, 3)), verbose=0).history["loss"][0])


def test_clear_errors_for_common_mistakes():
    x, y = _data()
    with pytest.raises(ValueError, match="compile"):
        keras.Sequential([keras.Input((4,)), layers.Dense(1)]).fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="cardinality"):
        _binary_model().fit(x, y[:9], verbose=0)
    with pytest.raises(ValueError, match="axis -1 of input shape to have value 4"):
        _binary_model().predict(np.ones((2, 5)), verbose=0)
    with pytest.raises(ValueError, match="bogus"):
        model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
        model.compile("adam", "bogus_loss")
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="class_weight"):
        _binary_model().fit(x, y, class_weight={0: 1.0, 1: 1.0}, sample_weight=np.ones(20),
                            verbose=0)
    softmax = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    softmax.compile("adam", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError):
        softmax.evaluate(x, keras.utils.to_categorical(y, 3), verbose=0)  # one-hot to sparse


def test_fit_without_targets_but_with_a_loss_raises():
    x, _ = _data()
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    with pytest.raises((ValueError, TypeError)):
        model.fit(x, epochs=1, verbose=0)


def test_string_labels_raise():
    x, y = _data()
    with pytest.raises(ValueError):
        _binary_model().evaluate(x, y.astype(str), verbose=0)
