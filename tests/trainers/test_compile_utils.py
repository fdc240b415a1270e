"""Per-output metric specs in compile (trainers/compile_utils.py)."""
import numpy as np

import minikeras as keras


def _two_outputs():
    inp = keras.Input((3,))
    a = keras.layers.Dense(1, activation="sigmoid", name="a")(inp)
    b = keras.layers.Dense(2, name="b")(inp)
    return keras.Model(inp, [a, b])


def _fit(model, **compile_kwargs):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    ya = (rng.random((8, 1)) > 0.5).astype("float32")
    yb = rng.normal(size=(8, 2)).astype("float32")
    model.compile(optimizer="sgd", loss=["binary_crossentropy", "mse"], **compile_kwargs)
    return model.fit(x, [ya, yb], epochs=1, verbose=0).history


def test_flat_metric_list_as_long_as_the_outputs_gives_one_metric_per_output():
    # Keras 3: ["mae", "mse"] for two outputs means a->mae, b->mse (not both to both).
    keys = sorted(_fit(_two_outputs(), metrics=["mae", "mse"]))
    assert keys == ["a_loss", "a_mae", "b_loss", "b_mse", "loss"]


def test_same_metric_plain_and_weighted_on_one_output_keeps_both():
    hist = _fit(_two_outputs(), metrics=[["accuracy"], ["mae"]],
                weighted_metrics=[["accuracy"], ["mae"]])
    assert sorted(hist) == ["a_accuracy", "a_loss", "a_weighted_accuracy", "b_loss",
                            "b_mae", "b_weighted_mae", "loss"]
