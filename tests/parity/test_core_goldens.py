"""Dense and whole fit/evaluate/predict runs against goldens recorded with real Keras 3.

Goldens: `generate_core_goldens.py` (run with TensorFlow installed). Same
initial weights, same data, shuffle=False: the histories, final weights,
predictions and evaluate results must agree to float32 precision.
"""
import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers

HERE = os.path.dirname(os.path.abspath(__file__))
G = np.load(os.path.join(HERE, "goldens", "core_goldens.npz"))
META = json.load(open(os.path.join(HERE, "goldens", "core_goldens.json")))


@pytest.mark.parametrize("act", ["linear", "relu", "sigmoid", "tanh", "softmax"])
def test_dense_output_and_gradients(act):
    layer = layers.Dense(3, activation=act)
    layer.build((None, 4))
    layer.set_weights([G["dense_w"], G["dense_b"]])
    x = keras.Variable(G["dense_x"], trainable=False)
    with keras.GradientTape() as tape:
        tape.watch(x)
        out = layer(x.value)
        scalar = keras.ops.sum(out * G["dense_g"])
    gx, gw, gb = tape.gradient(scalar, [x, layer.kernel, layer.bias])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(out), G[f"dense_{act}_out"],
                               rtol=1e-5, atol=1e-6)
    for got, key in ((gx, "gx"), (gw, "gw"), (gb, "gb")):
        np.testing.assert_allclose(got, G[f"dense_{act}_{key}"], rtol=1e-5, atol=1e-6)


CASES = {
    "categorical_adam": (3, "softmax", "categorical_crossentropy",
                         lambda: keras.optimizers.Adam(learning_rate=0.01), ["accuracy"], "onehot"),
    "sparse_sgd_momentum": (3, "softmax", "sparse_categorical_crossentropy",
                            lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                            ["accuracy"], "sparse"),
    "binary_rmsprop": (1, "sigmoid", "binary_crossentropy",
                       lambda: keras.optimizers.RMSprop(learning_rate=0.01), ["accuracy"], "binary"),
    "mse_sgd_val": (1, "linear", "mse", lambda: keras.optimizers.SGD(learning_rate=0.05),
                    ["mae"], "regression"),
    "logits_adam": (3, "linear", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    lambda: keras.optimizers.Adam(learning_rate=0.02), ["accuracy"], "sparse"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fit_trajectory_matches_keras(name):
    out, act, loss, opt, metrics, ykind = CASES[name]
    meta = META[name]
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                              layers.Dense(out, activation=act)])
    model.set_weights([G[f"{name}_init_{i}"] for i in range(meta["n_weights"])])
    model.compile(optimizer=opt(), loss=loss, metrics=metrics)
    x, y = G["fit_x"], G[f"fit_y_{ykind}"]
    kwargs = {"validation_data": (x[:10], y[:10])} if "val_loss" in meta["history"] else {}
    hist = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, **kwargs)
    assert set(hist.history) == set(meta["history"])
    for key, values in meta["history"].items():
        np.testing.assert_allclose(hist.history[key], values, rtol=2e-5, atol=1e-6, err_msg=key)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, G[f"{name}_final_{i}"], rtol=2e-5, atol=2e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), G[f"{name}_pred"], rtol=2e-5, atol=1e-6)
    ev = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert list(ev) == list(meta["evaluate"])
    for key, value in meta["evaluate"].items():
        np.testing.assert_allclose(ev[key], value, rtol=2e-5, atol=1e-6, err_msg=key)
