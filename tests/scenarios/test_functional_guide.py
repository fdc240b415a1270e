"""Scenarios from the keras.io guide "The Functional API", written as users write them."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


class Concat(layers.Layer):
    """A user-written merge layer (keeps these scenarios independent of layers.concatenate)."""

    def call(self, inputs):
        return ops.concatenate(inputs, axis=-1)


def _two_headed_model():
    a = keras.Input(shape=(5,), name="a")
    b = keras.Input(shape=(3,), name="b")
    h = layers.Dense(8, activation="relu")(Concat()([a, b]))
    priority = layers.Dense(1, name="priority")(h)
    department = layers.Dense(4, activation="softmax", name="department")(h)
    return keras.Model(inputs=[a, b], outputs=[priority, department])


def _data(n=16):
    rng = np.random.default_rng(0)
    xa = rng.random((n, 5)).astype("float32")
    xb = rng.random((n, 3)).astype("float32")
    y1 = rng.random((n, 1)).astype("float32")
    y2 = keras.utils.to_categorical(rng.integers(0, 4, n), 4)
    return xa, xb, y1, y2


def test_multi_input_multi_output_with_named_dict_losses():
    xa, xb, y1, y2 = _data()
    model = _two_headed_model()
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss={"priority": keras.losses.MeanSquaredError(),
              "department": keras.losses.CategoricalCrossentropy()},
        loss_weights={"priority": 1.0, "department": 0.2},
        metrics={"department": ["accuracy"]})
    history = model.fit({"a": xa, "b": xb}, {"priority": y1, "department": y2},
                        epochs=2, batch_size=8, verbose=0)
    assert sorted(history.history) == [
        "department_accuracy", "department_loss", "loss", "priority_loss"]
    logs = model.evaluate([xa, xb], [y1, y2], verbose=0, return_dict=True)
    # The total is the weighted sum of the per-output losses.
    np.testing.assert_allclose(
        logs["loss"], logs["priority_loss"] + 0.2 * logs["department_loss"], rtol=1e-5)
    preds = model.predict([xa, xb], verbose=0)
    assert [p.shape for p in preds] == [(16, 1), (16, 4)]


def test_multi_output_evaluate_list_order_matches_keras():
    xa, xb, y1, y2 = _data()
    model = _two_headed_model()
    model.compile("sgd", loss=["mse", "categorical_crossentropy"],
                  metrics=[["mae"], ["accuracy"]])
    as_list = model.evaluate([xa, xb], [y1, y2], verbose=0)
    logs = model.evaluate([xa, xb], [y1, y2], verbose=0, return_dict=True)
    # Keras 3: metrics_names order first (loss, compile_metrics' own names that appear in
    # the logs, per-output loss trackers), then the remaining log keys sorted.
    expected = [logs[k] for k in ("loss", "priority_loss", "department_loss",
                                  "department_accuracy", "priority_mae")]
    np.testing.assert_allclose(as_list, expected, rtol=1e-6)


def test_functional_output_names():
    model = _two_headed_model()
    assert model.output_names == ["priority", "department"]


def test_dict_outputs_predict_returns_dict():
    xa, xb, y1, y2 = _data()
    a = keras.Input((5,), name="a")
    b = keras.Input((3,), name="b")
    h = Concat()([a, b])
    model = keras.Model([a, b], {"priority": layers.Dense(1, name="priority")(h),
                                 "department": layers.Dense(4, name="department")(h)})
    model.compile("adam", loss={"priority": "mse", "department": "categorical_crossentropy"})
    hist = model.fit([xa, xb], {"priority": y1, "department": y2}, epochs=1, verbose=0)
    assert sorted(hist.history) == ["department_loss", "loss", "priority_loss"]
    out = model.predict([xa, xb], verbose=0)
    assert {k: v.shape for k, v in out.items()} == {"priority": (16, 1), "department": (16, 4)}


def test_shared_layer_has_one_set_of_weights():
    shared = layers.Dense(4)
    i1, i2 = keras.Input((3,)), keras.Input((3,))
    o = shared(i1) + shared(i2)
    model = keras.Model([i1, i2], o)
    assert len(model.trainable_weights) == 2
    x = np.ones((2, 3), "float32")
    expected = 2 * (x @ shared.kernel.numpy() + shared.bias.numpy())
    np.testing.assert_allclose(model.predict([x, x], verbose=0), expected, rtol=1e-6)


def test_models_as_layers_autoencoder():
    enc_in = keras.Input((6,), name="img")
    encoder = keras.Model(enc_in, layers.Dense(2)(enc_in), name="encoder")
    dec_in = keras.Input((2,))
    decoder = keras.Model(dec_in, layers.Dense(6)(dec_in), name="decoder")
    ae_in = keras.Input((6,))
    autoencoder = keras.Model(ae_in, decoder(encoder(ae_in)), name="autoencoder")
    assert [l.name for l in autoencoder.layers][1:] == ["encoder", "decoder"]
    x = np.random.default_rng(0).random((8, 6)).astype("float32")
    np.testing.assert_allclose(autoencoder.predict(x, verbose=0),
                               decoder.predict(encoder.predict(x, verbose=0), verbose=0),
                               rtol=1e-5)
    autoencoder.compile("adam", "mse")
    before = encoder.get_weights()[0].copy()
    autoencoder.fit(x, x, epochs=1, verbose=0)
    assert not np.allclose(before, encoder.get_weights()[0])  # nested model trains


def test_feature_extraction_from_intermediate_layer():
    xa, xb, _, _ = _data()
    model = _two_headed_model()
    extractor = keras.Model(model.inputs, model.get_layer("priority").input)
    assert extractor.predict([xa[:1], xb[:1]], verbose=0).shape == (1, 8)
    with pytest.raises(ValueError, match="nope"):
        model.get_layer("nope")


def test_plot_model_writes_png(tmp_path):
    model = _two_headed_model()
    path = tmp_path / "model.png"
    keras.utils.plot_model(model, str(path), show_shapes=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_activation_function_applied_to_keras_tensor():
    inputs = keras.Input((4,))
    outputs = keras.activations.relu(inputs - 1.5)
    model = keras.Model(inputs, outputs)
    x = np.array([[1.0, 2.0, 3.0, 0.0]], "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), np.maximum(x - 1.5, 0.0))


def test_loss_dict_missing_an_output_is_rejected():
    rng = np.random.default_rng(0)
    x = rng.random((12, 3)).astype("float32")
    y2 = rng.random((12, 2)).astype("float32")
    inp = keras.Input((3,), name="inp")
    model = keras.Model(inp, [layers.Dense(1, name="o1")(inp), layers.Dense(2, name="o2")(inp)])
    with pytest.raises(ValueError, match="o1"):
        model.compile("sgd", loss={"o2": "mae"})
        model.evaluate(x, {"o2": y2}, verbose=0)


def test_none_loss_for_one_output_trains_only_the_other():
    rng = np.random.default_rng(0)
    x = rng.random((12, 3)).astype("float32")
    y1, y2 = rng.random((12, 1)).astype("float32"), rng.random((12, 2)).astype("float32")
    inp = keras.Input((3,), name="inp")
    model = keras.Model(inp, [layers.Dense(1, name="o1")(inp), layers.Dense(2, name="o2")(inp)])
    model.compile("sgd", [None, "mae"])
    logs = model.evaluate(x, [y1, y2], verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"],
                               np.mean(np.abs(model.predict(x, verbose=0)[1] - y2)), rtol=1e-5)
