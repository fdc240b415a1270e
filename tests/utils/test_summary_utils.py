"""`print_summary` details checked against text printed by Keras 3."""
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
