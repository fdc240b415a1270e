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
    """`keras.layers.<name>`, or skip the test until that layer exists."""
    layer = getattr(keras.layers, name, None)
    if layer is None:
        pytest.skip(f"minikeras.layers.{name} is not available yet")
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
