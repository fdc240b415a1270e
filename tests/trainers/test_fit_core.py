"""compile / fit / evaluate / predict: behaviour, log keys, errors, printed output."""
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
XOR_Y = np.array([[0], [1], [1], [0]], dtype="float32")


def test_mlp_learns_xor_to_full_accuracy():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2,)), layers.Dense(8, activation="tanh"),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(XOR_X, XOR_Y, epochs=300, batch_size=4, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    assert history.history["loss"][-1] < history.history["loss"][0]
    pred = (model.predict(XOR_X, verbose=0) > 0.5).astype("float32")
    np.testing.assert_array_equal(pred, XOR_Y)


def step(x):
    """The perceptron's threshold function (not a Keras activation)."""
    return ops.cast(ops.greater(x, 0.0), "float32")


@pytest.mark.parametrize("gate,w,b,truth", [
    ("AND", [0.5, 0.5], -0.7, [0, 0, 0, 1]),
    ("OR", [0.5, 0.5], -0.2, [0, 1, 1, 1]),
    ("NAND", [-0.5, -0.5], 0.7, [1, 1, 1, 0]),
])
def test_perceptron_gates_with_step_activation(gate, w, b, truth):
    perceptron = keras.Sequential([keras.Input((2,)), layers.Dense(1, activation=step)])
    perceptron.set_weights([np.array(w, "float32").reshape(2, 1), np.array([b], "float32")])
    out = perceptron.predict(XOR_X, verbose=0).ravel()
    np.testing.assert_array_equal(out, truth)


def _small_model(out_units=3, activation="softmax"):
    return keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                             layers.Dense(out_units, activation=activation)])


def _data(n=40, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 4)).astype("float32")
    y = rng.integers(0, classes, n)
    return x, y


def test_fit_before_compile_is_a_clear_error():
    x, y = _data()
    with pytest.raises(ValueError, match="compile"):
        _small_model().fit(x, y)
    with pytest.raises(ValueError, match="compile"):
        _small_model().evaluate(x, y)


def test_length_mismatch_states_both_lengths():
    model = _small_model()
    model.compile(loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"(?s)40.*30|30.*40"):
        model.fit(np.zeros((40, 4)), np.zeros(30), verbose=0)


@pytest.mark.parametrize("kind,value", [("loss", "hinge_sparkle"), ("optimizer", "adamz"),
                                        ("metrics", ["wow_metric"])])
def test_unknown_strings_name_the_identifier(kind, value):
    model = _small_model()
    kwargs = {"loss": "mse", "optimizer": "sgd", kind: value}
    x, y = _data()
    with pytest.raises(ValueError, match=str(value[0] if isinstance(value, list) else value)):
        model.compile(**kwargs)
        model.fit(x, keras.utils.to_categorical(y, 3), verbose=0)


def test_nan_loss_shows_as_nan():
    model = keras.Sequential([keras.Input((1,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    h = model.fit(np.array([[np.nan]], "float32"), np.array([[1.0]], "float32"), verbose=0)
    assert np.isnan(h.history["loss"][0])
    assert np.isnan(model.evaluate(np.array([[np.nan]]), np.array([[1.0]]), verbose=0))


@pytest.mark.parametrize("loss,y_kind,expected", [
    ("sparse_categorical_crossentropy", "sparse", "SparseCategoricalAccuracy"),
    ("categorical_crossentropy", "onehot", "CategoricalAccuracy"),
])
def test_accuracy_string_resolves_from_data(loss, y_kind, expected):
    x, y = _data()
    if y_kind == "onehot":
        y = keras.utils.to_categorical(y, 3)
    model = _small_model()
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy", "acc"])
    h = model.fit(x, y, epochs=2, verbose=0)
    assert set(h.history) == {"loss", "accuracy", "acc"}
    kinds = [type(m).__name__ for m in model._compile_metrics.metrics]
    assert kinds == [expected, expected]


def test_binary_accuracy_resolution_and_metric_values():
    x, y = _data(classes=2)
    model = _small_model(1, "sigmoid")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y.reshape(-1, 1).astype("float32"), epochs=1, verbose=0)
    assert type(model._compile_metrics.metrics[0]).__name__ == "BinaryAccuracy"
    loss, acc = model.evaluate(x, y.reshape(-1, 1), verbose=0)
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(acc, np.mean((pred > 0.5).ravel() == y), rtol=1e-6)


def test_evaluate_return_forms_and_predict_batches():
    x, y = _data(n=70)
    model = _small_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.evaluate(x, y, verbose=0)  # list: loss first, then metrics
    d = model.evaluate(x, y, verbose=0, return_dict=True)
    # Keras 3 hands back logs with sorted keys.
    assert list(d) == ["accuracy", "loss"] and d["loss"] == pytest.approx(loss)
    assert d["accuracy"] == pytest.approx(acc)
    p = model.predict(x, batch_size=16, verbose=0)
    np.testing.assert_allclose(p, model(x), rtol=1e-6)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert isinstance(model.evaluate(x, y, verbose=0), float)


def test_evaluate_loss_is_sample_weighted_mean_over_batches():
    x, y = _data(n=50)
    model = _small_model()
    model.compile(loss="sparse_categorical_crossentropy")
    full = float(keras.losses.SparseCategoricalCrossentropy()(y, model.predict(x, verbose=0)))
    assert model.evaluate(x, y, batch_size=16, verbose=0) == pytest.approx(full, rel=1e-5)


def test_on_batch_methods():
    x, y = _data(n=8)
    model = _small_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    before = model.get_weights()
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    loss, acc = model.test_on_batch(x, y)
    assert 0 <= acc <= 1 and loss > 0
    np.testing.assert_allclose(model.predict_on_batch(x), model(x), rtol=1e-6)


def test_multi_output_losses_list_and_dict_and_log_keys():
    inp = keras.Input((4,))
    h = layers.Dense(8, activation="relu")(inp)
    a = layers.Dense(1, name="reg")(h)
    b = layers.Dense(3, activation="softmax", name="cls")(h)
    model = keras.Model(inp, [a, b])
    x, y = _data()
    yr = x.sum(1, keepdims=True)
    model.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy"],
                  loss_weights=[0.5, 2.0], metrics=[["mae"], ["accuracy"]])
    h1 = model.fit(x, [yr, y], epochs=2, verbose=0)
    assert set(h1.history) == {"loss", "reg_loss", "cls_loss", "reg_mae", "cls_accuracy"}
    total = 0.5 * h1.history["reg_loss"][-1] + 2.0 * h1.history["cls_loss"][-1]
    assert h1.history["loss"][-1] == pytest.approx(total, rel=0.05)  # running means per batch
    model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  metrics={"cls": "accuracy"})
    h2 = model.fit(x, {"reg": yr, "cls": y}, epochs=1, verbose=0)
    assert set(h2.history) == {"loss", "reg_loss", "cls_loss", "cls_accuracy"}
    with pytest.raises(ValueError, match="do not correspond"):
        model.compile(loss={"nope": "mse"})
        model.fit(x, [yr, y], verbose=0)


def test_regularization_losses_are_added_to_the_training_loss():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(
        1, kernel_regularizer=keras.regularizers.L2(10.0), kernel_initializer="ones")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x = np.zeros((8, 4), "float32")
    y = np.zeros((8, 1), "float32")
    h = model.fit(x, y, verbose=0, batch_size=8)
    assert h.history["loss"][0] == pytest.approx(40.0)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(40.0)



def test_compute_loss_override_without_training_argument():
    # Keras calls overrides written before 3.3 (no `training` parameter, e.g. the
    # Distiller example's `allow_empty=False`) without it.
    calls = []

    class OldStyle(keras.Model):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                         allow_empty=False):
            calls.append(allow_empty)
            return ops.mean(ops.square(y_pred - y))

    class NewStyle(keras.Model):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                         training=True):
            calls.append(training)
            return ops.mean(ops.square(y_pred - y))

    x = np.ones((4, 2), "float32")
    y = np.zeros((4, 1), "float32")
    for cls, expected in ((OldStyle, [False, False]), (NewStyle, [True, False])):
        calls.clear()
        inputs = keras.Input((2,))
        model = cls(inputs, layers.Dense(1, kernel_initializer="ones")(inputs))
        model.compile(optimizer=keras.optimizers.SGD(0.0))
        h = model.fit(x, y, batch_size=4, verbose=0)
        assert h.history["loss"][0] == pytest.approx(4.0)
        assert model.evaluate(x, y, verbose=0) == pytest.approx(4.0)
        assert calls == expected


def test_validation_split_takes_last_fraction_before_shuffling():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.arange(10, dtype="float32").reshape(10, 1)
    seen = []

    class Record(keras.callbacks.Callback):
        def on_test_batch_begin(self, batch, logs=None):
            seen.append(batch)

    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    h = model.fit(x, y, validation_split=0.2, epochs=1, verbose=0, callbacks=[Record()])
    expected = model.evaluate(x[8:], y[8:], verbose=0)
    assert h.history["val_loss"][0] == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, validation_split=1.5, verbose=0)


def test_validation_freq_and_initial_epoch():
    x, y = _data()
    model = _small_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    h = model.fit(x, y, epochs=4, validation_data=(x, y), validation_freq=2, verbose=0)
    assert len(h.history["loss"]) == 4 and len(h.history["val_loss"]) == 2
    h = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert h.epoch == [3, 4]


def test_compile_accepts_and_ignores_execution_options():
    model = _small_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  run_eagerly=True, steps_per_execution=4, jit_compile=True)
    x, y = _data()
    model.fit(x, y, verbose=0)
    assert model.run_eagerly is True


def test_verbose_modes(capsys):
    x, y = _data(n=64)
    model = _small_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, verbose=2)
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "Epoch 1/2" and out[2] == "Epoch 2/2"
    assert out[1].startswith("2/2 - ") and "accuracy: " in out[1] and "loss: " in out[1]
    model.fit(x, y, epochs=1, verbose=1)
    text = capsys.readouterr().out
    assert "2/2" in text and "━" in text and "step" in text


def test_predict_bar_times_the_step_it_reports(monkeypatch, capsys):
    # One small batch takes predict's short path; its bar must start its clock
    # before the step (it used to start after and print a few microseconds).
    import types
    from minikeras.utils import progbar
    clock = [1000.0]
    monkeypatch.setattr(progbar, "time", types.SimpleNamespace(time=lambda: clock[0]))
    model = _small_model()
    original = model.predict_step

    def slow_step(data):
        clock[0] += 2.0  # the step "takes" two seconds on the fake clock
        return original(data)

    model.predict_step = slow_step
    model.predict(_data()[0][:4], verbose=1)
    assert "1/1" in capsys.readouterr().out.splitlines()[-1]
    model.predict(_data()[0][:4], verbose=2)
    assert capsys.readouterr().out.strip().endswith("2s/step")


def test_history_object():
    x, y = _data()
    model = _small_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    h = model.fit(x, y, epochs=3, verbose=0)
    assert model.history is h and h.epoch == [0, 1, 2] and h.params["epochs"] == 3
    model.evaluate(x, y, verbose=0)
    assert model.history is h


def test_stop_training_from_callback():
    x, y = _data()
    model = _small_model()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")

    class Stop(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    h = model.fit(x, y, epochs=10, verbose=0, callbacks=[Stop()])
    assert h.epoch == [0, 1]


def test_custom_train_step_with_gradient_tape():
    class Custom(keras.Model):
        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for m in self.metrics:
                if m.name == "loss":
                    m.update_state(loss)
                else:
                    m.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    keras.utils.set_random_seed(3)
    inp = keras.Input((4,))
    model = Custom(inp, layers.Dense(1)(inp))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    x = np.random.rand(64, 4).astype("float32")
    y = x.sum(1, keepdims=True)
    h = model.fit(x, y, epochs=20, verbose=0)
    assert set(h.history) == {"loss", "mae"}
    assert h.history["loss"][-1] < 0.1 * h.history["loss"][0]


def test_keras2_style_train_step_spellings_warn_and_work():
    class Old(keras.Model):
        def train_step(self, data):
            x, y = data
            with keras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inp = keras.Input((4,))
    model = Old(inp, layers.Dense(1)(inp))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.random.rand(32, 4).astype("float32")
    with pytest.warns(DeprecationWarning):
        h = model.fit(x, x.sum(1, keepdims=True), epochs=2, verbose=0)
    assert h.history["loss"][0] > 0 and "mae" in h.history


def test_trainable_false_freezes_weights_in_fit():
    x, y = _data()
    model = _small_model()
    model.layers[0].trainable = False
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    frozen = model.layers[0].get_weights()
    model.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_fit_outputs_are_float32_and_predict_single_sample():
    x, y = _data()
    model = _small_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x.astype("float64"), y, verbose=0)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.predict(x[:1], verbose=0).dtype == np.float32


def test_fit_with_train_step_that_does_not_call_the_model_on_x():
    # Keras's GAT example: x holds node indices, the step runs the model on the whole
    # graph and gathers rows. Keras builds such a model by running the step; a symbolic
    # call on x must not stop fit/evaluate.
    class WholeGraph(keras.Model):
        def __init__(self, nodes):
            super().__init__()
            self.nodes = nodes
            self.dense = layers.Dense(2)

        def call(self, inputs):
            nodes, scale = inputs
            return self.dense(nodes) * scale

        def train_step(self, data):
            idx, y = data
            with keras.GradientTape() as tape:
                loss = self.compute_loss(y=y, y_pred=ops.take(self([self.nodes, 1.0]), idx,
                                                              axis=0))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            return {"loss": loss}

        def test_step(self, data):
            idx, y = data
            pred = ops.take(self([self.nodes, 1.0]), idx, axis=0)
            return {"loss": self.compute_loss(y=y, y_pred=pred)}

    keras.utils.set_random_seed(0)
    nodes = np.random.default_rng(0).normal(size=(10, 3)).astype("float32")
    model = WholeGraph(nodes)
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    idx, y = np.arange(10), np.arange(10) % 2
    history = model.fit(idx, y, batch_size=5, epochs=2, verbose=0, validation_data=(idx, y))
    assert set(history.history) == {"loss", "val_loss"}
    assert len(model.trainable_weights) == 2
    assert np.isfinite(model.evaluate(idx, y, verbose=0))


@pytest.mark.parametrize("make", [
    lambda: keras.optimizers.SGD(0.1, loss_scale_factor=3.0),
    lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1),
                                                initial_scale=8.0),
], ids=["loss_scale_factor", "LossScaleOptimizer"])
def test_fit_differentiates_the_scaled_loss(make):
    # Keras's train_step takes gradients of `optimizer.scale_loss(loss)`, and
    # the optimizer divides them by the scale: the step is plain SGD's, and the
    # logged loss is the unscaled one. (Scaling only in `apply` shrank steps.)
    x = np.random.default_rng(0).random((8, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)

    def run(optimizer):
        model = keras.Sequential([keras.Input((3,)), layers.Dense(1, kernel_initializer="ones")])
        model.compile(optimizer=optimizer, loss="mse")
        history = model.fit(x, y * 2, epochs=2, batch_size=4, shuffle=False, verbose=0)
        return model.get_weights(), history.history["loss"]

    (w_plain, loss_plain), (w_scaled, loss_scaled) = run(keras.optimizers.SGD(0.1)), run(make())
    for a, b in zip(w_scaled, w_plain):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(loss_scaled, loss_plain, rtol=1e-6)
