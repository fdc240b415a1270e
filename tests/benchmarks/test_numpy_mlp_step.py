"""The hand-written numpy reference of benchmarks/bench_mlp.py does the same
work as `train_on_batch`: same loss, same updated weights, over several steps."""
import os
import sys

import numpy as np

import minikeras as keras

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks"))
from numpy_mlp_step import NumpyMLPStep  # noqa: E402


def test_numpy_reference_matches_train_on_batch():
    rng = np.random.default_rng(0)
    x = rng.random((32, 20), dtype=np.float32)
    y = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 32)]
    model = keras.Sequential([
        keras.Input(shape=(20,)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(5, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    ref = NumpyMLPStep(model.get_weights(), batch_size=32)
    for _ in range(3):
        ref_loss = ref(x, y)
        loss = model.train_on_batch(x, y)
        np.testing.assert_allclose(ref_loss, loss, rtol=1e-5)
    for got, want in zip(model.get_weights(), ref.params):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
