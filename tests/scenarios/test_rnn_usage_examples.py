"""Recurrent layers the way Keras 3 code uses them, compared with Keras 3.15.

Stateful models (`keras.Input(batch_shape=...)`, states carried across
predict/fit calls, `reset_states()` / `reset_state()`), the output structure of
`return_state` / `return_sequences`, `initial_state=`, `keras.layers.RNN` with a
custom cell, a list of cells, `go_backwards` and `unroll`, masking through
`Masking` and `Embedding(mask_zero=True)`, every `Bidirectional` merge mode with
`return_state` and a custom `backward_layer`, `TimeDistributed(Conv2D)` on video
and the keras.io "Next-frame video prediction with ConvLSTM2D" example in
miniature. The numeric cases load fixed weights and compare with what real Keras
computed on them: models and calls in `tests/parity/rnn_usage_cases.py`, results
in `tests/parity/goldens/rnn_usage.npz` (written by
`tests/parity/generate_rnn_usage_goldens.py`).
"""
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops
from tests.parity import rnn_usage_cases as cases

HERE = os.path.dirname(os.path.abspath(__file__))
G = np.load(os.path.join(HERE, "..", "parity", "goldens", "rnn_usage.npz"))
DATA = {k[len("data/"):]: G[k] for k in G.files if k.startswith("data/")}


def _x(batch=4, steps=5, features=3, seed=0):
    return np.random.default_rng(seed).standard_normal((batch, steps, features)).astype("float32")


def _shapes(y):
    if isinstance(y, (list, tuple)):
        return type(y).__name__, [_shapes(t) for t in y]
    return tuple(y.shape)


# ----- numerics against Keras, weights shared --------------------------------------
@pytest.mark.parametrize("name", sorted(cases.BUILDERS))
def test_matches_keras_with_the_same_weights(name):
    keras.utils.set_random_seed(0)
    model = cases.BUILDERS[name](keras)
    n = len([k for k in G.files if k.startswith(f"{name}/w_")])
    assert n == len(model.weights)
    model.set_weights([G[f"{name}/w_{i}"] for i in range(n)])
    got = cases.run_case(keras, name, model, DATA)
    want = sorted(k.split("/", 1)[1] for k in G.files
                  if k.startswith(f"{name}/") and "/w_" not in k)
    assert sorted(got) == want
    for key in want:
        g = np.asarray(got[key])
        assert g.dtype == np.float32, key
        np.testing.assert_allclose(g, G[f"{name}/{key}"], rtol=1e-4, atol=2e-5,
                                   err_msg=f"{name}: {key}")


# ----- stateful RNNs -----------------------------------------------------------------
def test_stateful_lstm_carries_states_until_reset():
    keras.utils.set_random_seed(1)
    inp = keras.Input(batch_shape=(4, 5, 3))
    lstm = layers.LSTM(2, stateful=True)
    model = keras.Model(inp, lstm(inp))
    assert model.input_shape == (4, 5, 3)
    x = _x()
    first = model.predict(x, verbose=0)
    second = model.predict(x, verbose=0)
    assert not np.allclose(first, second)  # the second call starts where the first ended
    assert [tuple(s.shape) for s in lstm.states] == [(4, 2), (4, 2)]
    np.testing.assert_allclose(lstm.states[0].numpy(), second, rtol=1e-6)
    lstm.reset_states()
    assert all(np.all(s.numpy() == 0) for s in lstm.states)
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-6)
    # Keras 3 dropped Model.reset_states(): resetting is per layer.
    assert not hasattr(model, "reset_states") and hasattr(lstm, "reset_state")


def test_stateful_model_requires_its_batch_size():
    model = keras.Sequential([keras.Input(batch_shape=(4, 5, 3)),
                              layers.GRU(2, stateful=True)])
    with pytest.raises(ValueError, match="batch size"):
        model.predict(_x(batch=2), verbose=0)
    with pytest.raises(ValueError, match="batch size must be static"):
        keras.Sequential([keras.Input((5, 3)), layers.LSTM(2, stateful=True)]).predict(
            _x(), verbose=0)
    # Input(shape, batch_size=...) is the other way to fix it.
    fixed = keras.Sequential([keras.Input((5, 3), batch_size=4), layers.LSTM(2, stateful=True)])
    assert fixed.predict(_x(), verbose=0).shape == (4, 2)


def test_keras2_batch_input_shape_runs_with_a_deprecation_warning():
    with pytest.warns(DeprecationWarning, match="batch_shape"):
        model = keras.Sequential([layers.GRU(2, stateful=True, batch_input_shape=(4, 5, 3)),
                                  layers.Dense(1)])
    assert model.predict(_x(), verbose=0).shape == (4, 1)
    assert tuple(model.layers[0].states[0].shape) == (4, 2)


def test_stateful_states_flow_through_train_test_and_predict_on_batch(tmp_path):
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input(batch_shape=(4, 5, 3)),
                              layers.LSTM(2, stateful=True), layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = _x(), np.zeros((4, 1), "float32")
    model.train_on_batch(x, y)
    after_train = model.layers[0].states[1].numpy().copy()
    assert np.abs(after_train).sum() > 0
    model.test_on_batch(x, y)
    after_test = model.layers[0].states[1].numpy().copy()
    assert not np.allclose(after_train, after_test)
    # Saved and restored: the stateful flag and the fixed batch come back.
    model.save(tmp_path / "stateful.keras")
    restored = keras.models.load_model(tmp_path / "stateful.keras")
    assert restored.layers[0].stateful
    assert restored.get_config()["layers"][0]["config"]["batch_shape"] == (4, 5, 3)
    model.layers[0].reset_states()
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_stateful_bidirectional_and_conv_lstm_reset():
    inp = keras.Input(batch_shape=(4, 5, 3))
    bi = layers.Bidirectional(layers.LSTM(2, stateful=True))
    model = keras.Model(inp, bi(inp))
    x = _x()
    a, b = model.predict(x, verbose=0), model.predict(x, verbose=0)
    bi.reset_states()
    assert not np.allclose(a, b)
    np.testing.assert_allclose(model.predict(x, verbose=0), a, rtol=1e-6)

    video = np.random.default_rng(3).standard_normal((2, 3, 5, 5, 1)).astype("float32")
    inp = keras.Input(batch_shape=(2, 3, 5, 5, 1))
    conv = layers.ConvLSTM2D(2, 3, padding="same", stateful=True)
    model = keras.Model(inp, conv(inp))
    a, b = model.predict(video, verbose=0), model.predict(video, verbose=0)
    assert [tuple(s.shape) for s in conv.states] == [(2, 5, 5, 2), (2, 5, 5, 2)]
    conv.reset_states()
    assert not np.allclose(a, b)
    np.testing.assert_allclose(model.predict(video, verbose=0), a, rtol=1e-6)


# ----- return_state / return_sequences / initial_state -----------------------------
@pytest.mark.parametrize("cls,n_states", [("SimpleRNN", 1), ("LSTM", 2), ("GRU", 1)])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("return_state", [False, True])
def test_output_structure(cls, n_states, return_sequences, return_state):
    inp = keras.Input((5, 3))
    out = getattr(layers, cls)(2, return_sequences=return_sequences,
                               return_state=return_state)(inp)
    model = keras.Model(inp, out)
    first = (None, 5, 2) if return_sequences else (None, 2)
    if return_state:
        expected = [first] + [(None, 2)] * n_states
        assert _shapes(out) == ("tuple", expected)  # a tuple in Keras 3, not a list
        assert model.output_shape == expected
        got = model.predict(_x(), verbose=0)
        assert isinstance(got, tuple)
        assert [g.shape for g in got] == [(4,) + s[1:] for s in expected]
        if cls != "LSTM":  # the last output is the state (LSTM: h, the first one)
            np.testing.assert_allclose(got[0][:, -1] if return_sequences else got[0],
                                       got[1], rtol=1e-6)
    else:
        assert tuple(out.shape) == first and model.output_shape == first
        assert model.predict(_x(), verbose=0).shape == (4,) + first[1:]


def test_seq2seq_encoder_states_feed_the_decoder():
    # The keras.io character-level seq2seq wiring, tiny.
    keras.utils.set_random_seed(4)
    enc_in = keras.Input((None, 3))
    _, h, c = layers.LSTM(4, return_state=True)(enc_in)
    dec_in = keras.Input((None, 2))
    dec_seq = layers.LSTM(4, return_sequences=True)(dec_in, initial_state=[h, c])
    model = keras.Model([enc_in, dec_in], layers.Dense(2, activation="softmax")(dec_seq))
    assert model.count_params() == 250 and model.output_shape == (None, None, 2)
    model.compile("rmsprop", "categorical_crossentropy")
    x = _x()
    y = keras.utils.to_categorical((x[:, :, 0] > 0).astype("int32"), 2)
    history = model.fit([x, x[:, :, :2]], y, epochs=5, verbose=0)
    assert list(history.history) == ["loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]

    inp, s_h, s_c = keras.Input((5, 3)), keras.Input((2,)), keras.Input((2,))
    out, h2, c2 = layers.LSTM(2, return_state=True)(inp, initial_state=[s_h, s_c])
    m = keras.Model([inp, s_h, s_c], [out, h2, c2])
    zeros = np.zeros((4, 2), "float32")
    got = m.predict([x, zeros, zeros], verbose=0)
    other = m.predict([x, np.ones((4, 2), "float32"), zeros], verbose=0)
    assert [g.shape for g in got] == [(4, 2)] * 3 and not np.allclose(got[0], other[0])
    # LSTM wants [h, c]; Keras 3.15 fails with an IndexError from inside the cell,
    # minikeras with a ValueError that says so.
    with pytest.raises((ValueError, IndexError)):
        layers.LSTM(2)(x, initial_state=[zeros])


# ----- keras.layers.RNN with custom cells ------------------------------------------
# Registered: Bidirectional rebuilds its layer from the config at construction, so
# Keras 3 itself cannot wrap an RNN over an unregistered cell.
@keras.saving.register_keras_serializable(package="rnn_usage_examples")
class MinimalRNNCell(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                      initializer="uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                initializer="uniform", name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_custom_cell_stacked_cells_and_round_trip(tmp_path):
    keras.utils.set_random_seed(5)
    x = _x()
    assert tuple(layers.RNN(MinimalRNNCell(4))(x).shape) == (4, 4)
    stacked = layers.RNN([MinimalRNNCell(4), MinimalRNNCell(2)], return_sequences=True,
                         return_state=True)
    assert _shapes(stacked(x)) == ("tuple", [(4, 5, 2), (4, 4), (4, 2)])
    paths = [w.path.split("/") for w in stacked.weights]
    assert [p[0] for p in paths] == [stacked.name] * 4
    assert all(p[1].startswith("stacked_rnn_cells") for p in paths)
    assert [p[3] for p in paths] == ["kernel", "recurrent_kernel"] * 2
    config = layers.RNN(MinimalRNNCell(4)).get_config()
    assert sorted(config) == ["cell", "dtype", "go_backwards", "name", "return_sequences",
                              "return_state", "stateful", "trainable", "unroll",
                              "zero_output_for_mask"]
    cells = layers.StackedRNNCells([layers.LSTMCell(4), layers.GRUCell(3)])
    assert cells.state_size == [[4, 4], 3] and cells.output_size == 3
    out = layers.RNN(cells, return_state=True)(x)
    assert _shapes(out) == ("tuple", [(4, 3), ("list", [(4, 4), (4, 4)]), ("list", [(4, 3)])])

    inp = keras.Input((None, 3))
    model = keras.Model(inp, layers.Bidirectional(layers.RNN(MinimalRNNCell(2)))(inp))
    assert model.count_params() == 20
    model.compile("adam", "mse")
    model.fit(x, np.zeros((4, 4), "float32"), epochs=1, verbose=0)
    model.save(tmp_path / "cell.keras")
    restored = keras.models.load_model(tmp_path / "cell.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_cell_with_two_states_and_no_output_size():
    class Counter(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.state_size = [3, 3]  # no output_size: Keras takes the first state's

        def call(self, inputs, states):
            total, steps = states
            total = total + ops.sum(inputs, axis=-1, keepdims=True)
            return total, [total, steps + 1.0]

    x = _x()
    out, total, steps = layers.RNN(Counter(), return_state=True)(x)
    np.testing.assert_allclose(steps, np.full((4, 3), 5.0))
    np.testing.assert_allclose(out, np.repeat(x.sum(axis=(1, 2))[:, None], 3, 1), rtol=1e-5)
    inp = keras.Input((5, 3))
    seq = layers.RNN(Counter(), return_sequences=True)(inp)
    assert tuple(seq.shape) == (None, 5, 3)


@pytest.mark.parametrize("cls", ["SimpleRNN", "LSTM", "GRU"])
def test_go_backwards_and_unroll_agree(cls):
    keras.utils.set_random_seed(6)
    x = _x()
    backwards = getattr(layers, cls)(3, return_sequences=True, go_backwards=True)
    y = backwards(x)
    unrolled = getattr(layers, cls)(3, return_sequences=True, go_backwards=True, unroll=True)
    unrolled.build(x.shape)
    unrolled.set_weights(backwards.get_weights())
    forward = getattr(layers, cls)(3, return_sequences=True)
    forward.build(x.shape)
    forward.set_weights(backwards.get_weights())
    np.testing.assert_allclose(unrolled(x), y, rtol=1e-5, atol=1e-6)
    # go_backwards reads the sequence reversed and returns outputs in that order.
    np.testing.assert_allclose(forward(x[:, ::-1]), y, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="time_major"):
        layers.RNN(layers.SimpleRNNCell(2), time_major=True)  # gone in Keras 3


# ----- masking ---------------------------------------------------------------------
def test_masked_steps_repeat_the_last_output_and_keep_states():
    keras.utils.set_random_seed(7)
    x = _x()
    x[0, 3:] = 0.0
    x[1, :2] = 0.0
    inp = keras.Input((5, 3))
    seq, h, _ = layers.LSTM(2, return_sequences=True, return_state=True)(
        layers.Masking(0.0)(inp))
    seq, h = keras.Model(inp, [seq, h]).predict(x, verbose=0)
    np.testing.assert_allclose(seq[0, 3], seq[0, 2])
    np.testing.assert_allclose(seq[0, 4], seq[0, 2])
    np.testing.assert_allclose(h[0], seq[0, 2])
    np.testing.assert_allclose(seq[1, :2], 0.0)  # nothing seen yet
    zero = layers.LSTM(2, return_sequences=True, zero_output_for_mask=True)
    out = zero(x, mask=np.array([[1, 1, 1, 0, 0]] * 4, bool))
    np.testing.assert_allclose(np.asarray(out)[:, 3:], 0.0)


def test_embedding_mask_through_bidirectional_and_pooling():
    tokens = np.array([[3, 4, 5, 0, 0], [1, 2, 0, 0, 0], [7, 7, 7, 7, 7], [5, 0, 0, 0, 0]],
                      "int32")
    inp = keras.Input((None,), dtype="int32")
    seq = layers.Bidirectional(layers.GRU(2, return_sequences=True))(
        layers.Embedding(10, 3, mask_zero=True)(inp))
    seq, pooled = keras.Model(inp, [seq, layers.GlobalAveragePooling1D()(seq)]).predict(
        tokens, verbose=0)
    assert seq.shape == (4, 5, 4) and pooled.shape == (4, 4)
    np.testing.assert_allclose(pooled[1], seq[1, :2].mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(seq[1, 2:], 0.0)  # Bidirectional zeroes masked steps


# ----- Bidirectional ---------------------------------------------------------------
@pytest.mark.parametrize("mode,width", [("concat", 4), ("sum", 2), ("mul", 2), ("ave", 2),
                                        (None, 2)])
def test_bidirectional_merge_modes_and_return_state(mode, width):
    inp = keras.Input((5, 3))
    out = layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode=mode)(inp)
    model = keras.Model(inp, out)
    assert model.count_params() == 96
    if mode is None:
        assert model.output_shape == [(None, 5, 2), (None, 5, 2)]
    else:
        assert model.output_shape == (None, 5, width)
    states = layers.Bidirectional(layers.LSTM(2, return_state=True), merge_mode=mode)(inp)
    merged = [(None, 2), (None, 2)] if mode is None else [(None, width)]
    assert _shapes(states) == ("tuple", merged + [(None, 2)] * 4)


def test_bidirectional_custom_backward_layer():
    forward = layers.LSTM(3, return_sequences=True)
    backward = layers.LSTM(3, return_sequences=True, go_backwards=True)
    bi = layers.Bidirectional(forward, backward_layer=backward)
    assert tuple(bi(_x()).shape) == (4, 5, 6)
    config = bi.get_config()
    assert sorted(config) == ["backward_layer", "dtype", "layer", "merge_mode", "name",
                              "trainable"]
    assert config["backward_layer"]["config"]["go_backwards"] is True
    assert bi.forward_layer.name.startswith("forward_lstm")
    assert bi.backward_layer.name == backward.name  # a given backward layer keeps its name
    assert tuple(layers.Bidirectional.from_config(config)(_x()).shape) == (4, 5, 6)
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3))
    gru = layers.Bidirectional(layers.GRU(2, return_sequences=True, return_state=True))(_x())
    assert _shapes(gru) == ("tuple", [(4, 5, 4), (4, 2), (4, 2)])


# ----- TimeDistributed and ConvLSTM2D ----------------------------------------------
def test_time_distributed_conv_feeds_an_lstm():
    keras.utils.set_random_seed(8)
    video = np.random.default_rng(8).standard_normal((2, 4, 8, 8, 3)).astype("float32")
    inp = keras.Input((None, 8, 8, 3))
    h = layers.TimeDistributed(layers.Conv2D(5, 3, activation="relu"))(inp)
    h = layers.TimeDistributed(layers.MaxPooling2D())(h)
    h = layers.TimeDistributed(layers.Flatten())(h)
    model = keras.Model(inp, layers.LSTM(4)(h))
    assert [_shapes(layer.output) for layer in model.layers] == [
        (None, None, 8, 8, 3), (None, None, 6, 6, 5), (None, None, 3, 3, 5), (None, None, 45),
        (None, 4)]
    assert model.count_params() == 940
    assert tuple(layers.TimeDistributed(layers.Dense(7))(keras.Input((5, 3))).shape) == (
        None, 5, 7)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.ones((4, 3), "float32"))


def test_next_frame_prediction_with_conv_lstm():
    keras.utils.set_random_seed(9)
    frames = np.random.default_rng(9).random((6, 5, 12, 12, 1)).astype("float32")
    x, y = frames[:, :-1], frames[:, 1:]
    inp = layers.Input(shape=(None, *x.shape[2:]))
    h = layers.ConvLSTM2D(filters=8, kernel_size=(5, 5), padding="same",
                          return_sequences=True, activation="relu")(inp)
    h = layers.BatchNormalization()(h)
    h = layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding="same",
                          return_sequences=True, activation="relu")(h)
    h = layers.BatchNormalization()(h)
    h = layers.ConvLSTM2D(filters=8, kernel_size=(1, 1), padding="same",
                          return_sequences=True, activation="relu")(h)
    out = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid",
                        padding="same")(h)
    model = keras.models.Model(inp, out)
    assert model.count_params() == 12697  # as Keras 3.15 counts it
    model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
    callbacks = [keras.callbacks.EarlyStopping(monitor="val_loss", patience=10),
                 keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=5)]
    history = model.fit(x, y, batch_size=2, epochs=2, validation_data=(x[:2], y[:2]),
                        callbacks=callbacks, verbose=0)
    assert sorted(history.history) == ["learning_rate", "loss", "val_loss"]
    seen = frames[0][:3]
    for _ in range(2):
        new = np.squeeze(model.predict(np.expand_dims(seen, axis=0), verbose=0), axis=0)
        seen = np.concatenate((seen, np.expand_dims(new[-1, ...], axis=0)), axis=0)
    assert seen.shape == (5, 12, 12, 1) and seen.dtype == np.float32
    assert np.all((seen[3:] > 0) & (seen[3:] < 1))


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_sequence_tagging_loss_and_metrics_skip_padded_steps(kind):
    keras.utils.set_random_seed(10)
    stack = [layers.Embedding(10, 3, mask_zero=True), layers.LSTM(2, return_sequences=True),
             layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))]
    if kind == "sequential":
        model = keras.Sequential([keras.Input((None,), dtype="int32")] + stack)
    else:
        inp = keras.Input((None,), dtype="int32")
        h = inp
        for layer in stack:
            h = layer(h)
        model = keras.Model(inp, h)
    model.compile("sgd", "binary_crossentropy", metrics=["mae"])
    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    valid = tokens > 0
    y = valid[..., None].astype("float32")  # 1 on real steps, 0 on padding
    loss, mae = model.evaluate(tokens, y, verbose=0)
    p = model.predict(tokens, verbose=0)[..., 0]
    bce = -(y[..., 0] * np.log(p) + (1 - y[..., 0]) * np.log(1 - p))
    np.testing.assert_allclose(loss, bce[valid].mean(), rtol=1e-4)
    np.testing.assert_allclose(mae, np.abs(y[..., 0] - p)[valid].mean(), rtol=1e-4)


def test_masked_output_mask_reaches_fit_and_eager_loss_calls():
    keras.utils.set_random_seed(11)
    model = keras.Sequential([keras.Input((None,), dtype="int32"),
                              layers.Embedding(10, 3, mask_zero=True),
                              layers.LSTM(2, return_sequences=True),
                              layers.TimeDistributed(layers.Dense(1, activation="sigmoid"))])
    model.layers[-1].layer.bias.assign([2.2])  # p ~ 0.9: padding (y = 0) would cost a lot
    model.compile(keras.optimizers.SGD(0.0), "binary_crossentropy")
    tokens = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    y = (tokens > 0)[..., None].astype("float32")
    fitted = model.fit(tokens, y, epochs=1, batch_size=2, verbose=0).history["loss"][0]
    evaluated = model.evaluate(tokens, y, verbose=0)
    np.testing.assert_allclose(fitted, evaluated, rtol=1e-6)
    eager = keras.losses.BinaryCrossentropy()(y, model(tokens))
    np.testing.assert_allclose(float(eager), evaluated, rtol=1e-5)
    unmasked = keras.losses.BinaryCrossentropy()(y, np.asarray(model.predict(tokens, verbose=0)))
    assert float(unmasked) > 2 * evaluated  # the padded steps would change it
