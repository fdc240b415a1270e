"""Shared helpers for the saving tests: fixture files, a registered model, h5py switch."""
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import saving

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


@saving.register_keras_serializable(package="MiniKerasTest", name="TwoDense")
class TwoDense(keras.Model):
    """A registered subclassed model (the Keras side defines the same one)."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.out = keras.layers.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def fixture_path(name):
    return os.path.join(FIXTURES, name)


@pytest.fixture(scope="session")
def expected():
    with np.load(fixture_path("expected.npz")) as data:
        return {k: data[k] for k in data.files}


def layer_or_skip(name):
    """`keras.layers.<name>`; every layer these tests use exists, so a missing one fails."""
    layer = getattr(keras.layers, name, None)
    if layer is None:
        pytest.fail(f"minikeras.layers.{name} is missing")
    return layer


def rand(*shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32")


@pytest.fixture(params=["h5py", "h5lite"])
def h5_backend(request, monkeypatch):
    """Run a test with h5py, and again as if h5py were not installed."""
    from minikeras.saving import h5_store
    if request.param == "h5py":
        pytest.importorskip("h5py")
    else:
        def missing():
            raise ImportError("No module named 'h5py'")
        monkeypatch.setattr(h5_store, "_import_h5py", missing)
    return request.param


@pytest.fixture
def no_h5py(monkeypatch):
    from minikeras.saving import h5_store

    def missing():
        raise ImportError("No module named 'h5py'")
    monkeypatch.setattr(h5_store, "_import_h5py", missing)


def ops_mixed_model():
    """Operators and keras.ops calls of many shapes (the generator builds the same model)."""
    ops = keras.ops
    L = keras.layers
    x = keras.Input((4,), name="x")
    d = L.Dense(4, name="d")(x)
    a = -(2.0 - d) * d / 3.0 + ops.power(1.5, d) @ np.eye(4, dtype="float32") - abs(x)
    b = a[..., None, 1:4:2] ** 2
    c = ops.sum(ops.reshape(b, (-1, 2)), axis=1, keepdims=True)
    e = ops.softmax(ops.expand_dims(d, 1), axis=-1)
    f = keras.activations.relu(ops.squeeze(e, axis=1), negative_slope=0.1, max_value=0.3)
    g = ops.einsum("bi,ij->bj", ops.clip(x, -0.5, 0.5), np.ones((4, 3), dtype="float32"))
    h = ops.where(ops.greater(d, 0.0), ops.maximum(d, x), ops.transpose(ops.stack([d, x]),
                                                                         (1, 0, 2))[:, 0])
    k = ops.mean(ops.take(x, [0, 2], axis=1)) + ops.logsumexp(d, axis=-1) / ops.norm(x)
    return keras.Model(x, [c, f, g, h, k, ops.concatenate([a, 1 - x], axis=1)], name="ops_mixed")


VOCAB_TEXTS = ["The cat sat.", "the dog ran far", "a cat, and a dog!", "cats and dogs"]
VOCAB_X = [np.array([["the cat ran"], ["A dog, far away"], ["zebra"]]),
           np.array([["blue", "red"], ["purple", "green"], ["", "blue"]])]


def vocab_model():
    """String inputs through an adapted TextVectorization and StringLookup (assets)."""
    tv = keras.layers.TextVectorization(max_tokens=12, output_sequence_length=6, name="tv")
    tv.adapt(VOCAB_TEXTS)
    lookup = keras.layers.StringLookup(num_oov_indices=2, name="lookup")
    lookup.adapt(["red", "green", "green", "blue", "blue", "blue"])
    text = keras.Input(shape=(1,), dtype="string", name="text")
    color = keras.Input(shape=(2,), dtype="string", name="color")
    return keras.Model([text, color], [tv(text), lookup(color)], name="vocab")
