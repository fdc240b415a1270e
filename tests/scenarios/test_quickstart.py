"""The TensorFlow/Keras beginner quickstart, on the bundled 8x8 digits (offline)."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import ops


def _digits():
    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
    return (x_train / 16.0, y_train), (x_test / 16.0, y_test)


def test_quickstart_trains_and_evaluates(capsys):
    (x_train, y_train), (x_test, y_test) = _digits()
    model = keras.Sequential([
        keras.layers.Flatten(input_shape=(8, 8)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10),
    ])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    predictions = ops.convert_to_numpy(model(x_train[:1]))
    # Untrained: close to -log(1/10).
    assert abs(float(loss_fn(y_train[:1], predictions)) - np.log(10)) < 1.5
    model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3, verbose=0)
    loss, acc = model.evaluate(x_test, y_test, verbose=2)
    assert "accuracy:" in capsys.readouterr().out
    assert acc > 0.8  # 8x8 digits are easy; 3 epochs of Adam get well past chance
    probability_model = keras.Sequential([model, keras.layers.Activation("softmax")])
    probs = probability_model.predict(x_test[:5], verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert probs.dtype == np.float32


def test_model_call_result_has_numpy_method():
    (x_train, y_train), _ = _digits()
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(10)])
    predictions = model(x_train[:1]).numpy()
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    assert np.isfinite(loss_fn(y_train[:1], predictions).numpy())
