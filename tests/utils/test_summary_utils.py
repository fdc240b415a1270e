"""`print_summary` details checked against text printed by Keras 3."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers

# Printed by keras 3 for the model below (line_length=70).
NESTED = """\
Model: "outer"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┓
┃ Layer (type)                 ┃ Output Shape          ┃     Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━┩
│ x (InputLayer)               │ (None, 3)             │           0 │
├──────────────────────────────┼───────────────────────┼─────────────┤
│ inner (Sequential)           │ (None, 2)             │          14 │
├──────────────────────────────┼───────────────────────┼─────────────┤
│    └ d2 (Dense)              │ (None, 2)             │           8 │
├──────────────────────────────┼───────────────────────┼─────────────┤
│    └ a_long_dense_name       │ (None, 2)             │           6 │
│ (Dense)                      │                       │             │
├──────────────────────────────┼───────────────────────┼─────────────┤
│ d1 (Dense)                   │ (None, 1)             │           3 │
└──────────────────────────────┴───────────────────────┴─────────────┘
 Total params: 17 (68.00 B)
 Trainable params: 17 (68.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def test_expand_nested_rows_keep_their_indent_when_wrapped(capsys):
    # The nested rows' "   └ " indent used to be dropped by the word wrapper,
    # which also moved the line breaks.
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d2"),
                              layers.Dense(2, name="a_long_dense_name")], name="inner")
    inp = keras.Input((3,), name="x")
    outer = keras.Model(inp, layers.Dense(1, name="d1")(inner(inp)), name="outer")
    outer.summary(expand_nested=True, line_length=70)
    assert capsys.readouterr().out == NESTED


# Printed by keras 3 for `Pair` below (line_length=70), before and after a call.
HELD_MODELS = """\
Model: "pair"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┓
┃ Layer (type)                 ┃ Output Shape          ┃     Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━┩
│ enc (Functional)             │ ((None, 2), (None,    │          24 │
│                              │ 4))                   │             │
├──────────────────────────────┼───────────────────────┼─────────────┤
│ dec (Functional)             │ (None, 3)             │           9 │
└──────────────────────────────┴───────────────────────┴─────────────┘
 Total params: 33 (132.00 B)
 Trainable params: 33 (132.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def test_functional_models_held_by_a_subclass_show_their_output_shapes(capsys):
    # The VAE pattern: encoder and decoder are Functional models that the
    # subclass only calls eagerly. Keras prints their shapes; we printed "?".
    i = keras.Input((3,), name="xi")
    enc = keras.Model(i, [layers.Dense(2, name="a")(i), layers.Dense(4, name="b")(i)], name="enc")
    i = keras.Input((2,), name="zi")
    dec = keras.Model(i, layers.Dense(3, name="c")(i), name="dec")

    class Pair(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.enc = enc
            self.dec = dec

        def call(self, x):
            return self.dec(self.enc(x)[0])

    model = Pair(name="pair")
    model.summary(line_length=70)
    model(np.ones((2, 3), "float32"))
    model.summary(line_length=70)
    assert capsys.readouterr().out == HELD_MODELS * 2


def test_summary_print_fn_gets_one_call_ending_in_newline_and_layer_range_errors():
    import minikeras as keras
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="a")])
    calls = []
    model.summary(print_fn=calls.append)
    assert len(calls) == 1 and calls[0].endswith("Non-trainable params: 0 (0.00 B)\n")
    with pytest.raises(ValueError, match=r"^Passed layer_names do not match the layer names in the model\."):
        model.summary(layer_range=["zz", "a"])
    with pytest.raises(ValueError, match=r"^layer_range must be a list or tuple of length 2\."):
        model.summary(layer_range=["a"])
