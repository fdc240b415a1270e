"""What notebook code does all day: summary, history, evaluate output, freezing, seeds.

The summary tables below were printed by real Keras 3.15.1 (TensorFlow 2.21) with
COLUMNS=200, for exactly the models built here.
"""
import re

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


SEQ_SUMMARY = """\
Model: "seq"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ hidden (Dense)                       │ (None, 16)                  │             336 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ drop (Dropout)                       │ (None, 16)                  │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ out (Dense)                          │ (None, 1)                   │              17 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 1,061 (4.15 KB)
 Trainable params: 353 (1.38 KB)
 Non-trainable params: 0 (0.00 B)
 Optimizer params: 708 (2.77 KB)
"""

FN_SUMMARY = """\
Model: "fn"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ a (InputLayer)                │ (None, 5)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ b (InputLayer)                │ (None, 3)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ cat (Cat)                     │ (None, 8)                 │               0 │ a[0][0], b[0][0]           │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ p (Dense)                     │ (None, 1)                 │               9 │ cat[0][0]                  │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ d (Dense)                     │ (None, 4)                 │              36 │ cat[0][0]                  │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 45 (180.00 B)
 Trainable params: 45 (180.00 B)
 Non-trainable params: 0 (0.00 B)
"""

TRAINABLE_HEADER = ("┃ Layer (type)                          ┃ Output Shape                  "
                    "┃        Param # ┃ Traina… ┃")


class Cat(layers.Layer):
    def call(self, xs):
        return ops.concatenate(xs, axis=-1)


@pytest.fixture
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def test_sequential_summary_after_fit_matches_keras(wide_terminal, capsys):
    model = keras.Sequential([keras.Input((20,)), layers.Dense(16, activation="relu", name="hidden"),
                              layers.Dropout(0.5, name="drop"), layers.Dense(1, name="out")],
                             name="seq")
    model.compile("adam", "mse")
    model.fit(np.ones((2, 20)), np.ones((2, 1)), verbose=0)
    model.summary()
    assert capsys.readouterr().out == SEQ_SUMMARY


def test_functional_summary_with_connected_to_matches_keras(wide_terminal, capsys):
    a, b = keras.Input((5,), name="a"), keras.Input((3,), name="b")
    h = Cat(name="cat")([a, b])
    model = keras.Model([a, b], [layers.Dense(1, name="p")(h), layers.Dense(4, name="d")(h)],
                        name="fn")
    model.summary()
    assert capsys.readouterr().out == FN_SUMMARY


def test_show_trainable_header_is_one_truncated_line(wide_terminal, capsys):
    inp = keras.Input((3,), name="x")
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d2")], name="inner")
    outer = keras.Model(inp, layers.Dense(1, name="d1")(inner(inp)), name="outer")
    outer.summary(show_trainable=True, expand_nested=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == TRAINABLE_HEADER
    assert lines[3].startswith("┡")


def test_summary_print_fn_gets_the_text():
    lines = []
    keras.Sequential([keras.Input((3,)), layers.Dense(2)]).summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Total params: 8 (32.00 B)" in text and "Layer (type)" in text


def _classifier():
    model = keras.Sequential([layers.Dense(8, activation="relu", input_shape=(10,)),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((50, 10)).astype("float32"), rng.integers(0, 3, 50)


def test_evaluate_and_fit_printed_lines(capsys):
    x, y = _data()
    y_cat = keras.utils.to_categorical(y)
    model = _classifier()
    model.fit(x, y_cat, epochs=2, batch_size=25, verbose=2)
    lines = re.sub(r"\d", "9", capsys.readouterr().out).splitlines()
    assert len(lines) == 4 and lines[0] == lines[2] == "Epoch 9/9"
    for line in (lines[1], lines[3]):
        assert re.fullmatch(r"9/9 - 9s - 9+(ms|us)/step - accuracy: 9\.9999 - loss: 9\.9999",
                            line)
    loss, acc = model.evaluate(x, y_cat, verbose=2)
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(r"2/2 - \ds - \d+(ms|us)/step - accuracy: [\d.]{6} - loss: [\d.]{6}", line)
    assert f"accuracy: {acc:.4f} - loss: {loss:.4f}" in line
    model.predict(x, verbose=1)
    assert re.fullmatch(r"2/2 ━{20} \ds \d+(ms|us)/step\n", capsys.readouterr().out)


def test_history_predict_argmax_get_layer_and_weights():
    x, y = _data()
    model = _classifier()
    history = model.fit(x, keras.utils.to_categorical(y), epochs=2, validation_split=0.2, verbose=0)
    assert len(history.history["val_accuracy"]) == 2 and history.epoch == [0, 1]
    assert model.predict(x, verbose=0).argmax(axis=1).shape == (50,)
    kernel, bias = model.layers[0].get_weights()
    assert kernel.shape == (10, 8) and bias.shape == (8,) and kernel.dtype == np.float32
    assert model.get_layer("dense_1") is model.layers[1]
    assert model.get_layer(index=0) is model.layers[0]


def test_freezing_a_layer_keeps_its_weights():
    x, y = _data()
    model = _classifier()
    model.layers[0].trainable = False
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (2, 2)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    frozen = model.layers[0].get_weights()[0].copy()
    head = model.layers[1].get_weights()[0].copy()
    model.fit(x, keras.utils.to_categorical(y), epochs=1, verbose=0)
    np.testing.assert_array_equal(frozen, model.layers[0].get_weights()[0])
    assert not np.allclose(head, model.layers[1].get_weights()[0])


def test_clear_session_resets_names_and_set_random_seed_repeats():
    keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    keras.backend.clear_session()
    assert keras.Sequential([keras.Input((2,)), layers.Dense(1)]).layers[0].name == "dense"

    def weights():
        keras.utils.set_random_seed(7)
        model = _classifier()
        model.fit(*_data()[:1], keras.utils.to_categorical(_data()[1]), epochs=1, verbose=0)
        return model.get_weights()

    for a, b in zip(weights(), weights()):
        np.testing.assert_array_equal(a, b)
