"""Keras 2-era scripts run unchanged and reach the numbers of real Keras.

Each script below is written the Keras 2 way (`from keras import backend as
K`, `Adam(lr=...)`, `fit_generator`, `metrics=['acc']`, `K.*` inside a
custom loss and a Lambda layer). The goldens (`ops_compat.*`, written by
`tests/parity/generate_ops_goldens.py`) are the same models trained by
Keras 3 from the same initial weights with its own spellings. A custom
GradientTape loop must reproduce `fit` too.
"""
import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import backend as K

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "parity", "goldens")
ARR = np.load(os.path.join(GOLDENS, "ops_compat.npz"))
with open(os.path.join(GOLDENS, "ops_compat.json")) as _f:
    RUNS = json.load(_f)["runs"]


def _setup(name, model):
    n = len(model.get_weights())
    model.set_weights([ARR[f"{name}/init/{i}"] for i in range(n)])
    return ARR[f"{name}/x"], ARR[f"{name}/y"]


def _check(name, model, history, rtol=1e-4):
    n = len(model.get_weights())
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, ARR[f"{name}/final/{i}"], rtol=rtol, atol=1e-5,
                                   err_msg=f"{name}: weight {i}")
    want = RUNS[name]
    assert sorted(history.history) == sorted(want)
    for key, vals in want.items():
        np.testing.assert_allclose(history.history[key], vals, rtol=rtol, atol=1e-6,
                                   err_msg=f"{name}: history[{key!r}]")
    assert n > 0


def test_custom_loss_with_K_functions_and_adam_lr():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    x, y = _setup("custom_loss_adam", model)

    def k_mse(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    with pytest.warns(DeprecationWarning, match="learning_rate"):
        opt = keras.optimizers.Adam(lr=0.01)
    model.compile(optimizer=opt, loss=k_mse)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    _check("custom_loss_adam", model, history)


def test_lambda_layer_of_K_functions_and_acc_metric():
    model = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(6),
        keras.layers.Lambda(lambda t: K.l2_normalize(t, axis=-1) * K.sigmoid(t)),
        keras.layers.Dense(3, activation="softmax")])
    x, y = _setup("lambda_k_layer", model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        opt = keras.optimizers.SGD(lr=0.1, momentum=0.9)
    model.compile(optimizer=opt, loss="categorical_crossentropy", metrics=["acc"])
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert "acc" in history.history
    _check("lambda_k_layer", model, history)


def test_fit_generator_with_rmsprop_lr():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"),
                              keras.layers.Dense(1)])
    x, y = _setup("generator_rmsprop", model)

    def batches():
        while True:
            for i in range(0, 32, 8):
                yield x[i:i + 8], y[i:i + 8]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        model.compile(optimizer=keras.optimizers.RMSprop(lr=0.01), loss="mse", metrics=["mae"])
    with pytest.warns(DeprecationWarning, match="fit"):
        history = model.fit_generator(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    _check("generator_rmsprop", model, history)


def test_set_value_on_optimizer_lr_changes_training():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        opt = keras.optimizers.SGD(lr=0.5)
        model.compile(optimizer=opt, loss="mse")
        K.set_value(model.optimizer.lr, 0.0)
        assert float(K.get_value(model.optimizer.lr)) == 0.0
    before = [w.copy() for w in model.get_weights()]
    x = np.ones((4, 4), "float32")
    model.fit(x, np.ones((4, 1), "float32"), verbose=0, epochs=1)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)  # lr 0: nothing moves
    K.set_value(model.optimizer.learning_rate, 0.1)
    assert np.isclose(float(K.get_value(model.optimizer.learning_rate)), 0.1)
    model.fit(x, np.ones((4, 1), "float32"), verbose=0, epochs=1)
    assert not np.allclose(before[0], model.get_weights()[0])


def test_custom_gradient_tape_loop_matches_fit():
    name = "fit_for_custom_loop"
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    x, y = _setup(name, model)
    opt = keras.optimizers.Adam(learning_rate=0.02)
    loss_fn = keras.losses.CategoricalCrossentropy()
    loss_tracker = keras.metrics.Mean()
    acc = keras.metrics.CategoricalAccuracy()
    history = {"loss": [], "accuracy": []}
    for _ in range(2):
        loss_tracker.reset_state()
        acc.reset_state()
        for i in range(0, 32, 8):
            xb, yb = x[i:i + 8], y[i:i + 8]
            with keras.GradientTape() as tape:
                pred = model(xb, training=True)
                loss = loss_fn(yb, pred)
            grads = tape.gradient(loss, model.trainable_weights)
            opt.apply_gradients(zip(grads, model.trainable_weights))
            loss_tracker.update_state(loss)
            acc.update_state(yb, pred)
        history["loss"].append(float(loss_tracker.result()))
        history["accuracy"].append(float(acc.result()))
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, ARR[f"{name}/final/{i}"], rtol=1e-4, atol=1e-5)
    for key, vals in RUNS[name].items():
        np.testing.assert_allclose(history[key], vals, rtol=1e-4, atol=1e-6)

    # ... and the same loop equals minikeras' own fit, weight for weight.
    twin = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"),
                             keras.layers.Dense(2, activation="softmax")])
    _setup(name, twin)
    twin.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02),
                 loss="categorical_crossentropy", metrics=["accuracy"])
    fit_hist = twin.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(fit_hist.history["loss"], history["loss"], rtol=1e-6)
