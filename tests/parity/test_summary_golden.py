"""`model.summary()` prints the same table as Keras 3 (recorded with real Keras,
terminal width 120)."""
import os

import minikeras as keras

HERE = os.path.dirname(os.path.abspath(__file__))


def test_summary_text_matches_keras(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "120")
    m = keras.Sequential([keras.Input((10,)), keras.layers.Dense(20, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")], name="seq")
    m.summary()
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    c = keras.layers.Concatenate(name="cat")([a, b])
    keras.Model([a, b], keras.layers.Dense(1, name="out")(c), name="fun").summary()
    expected = open(os.path.join(HERE, "goldens", "summary_keras.txt"), encoding="utf-8").read()
    assert capsys.readouterr().out == expected
