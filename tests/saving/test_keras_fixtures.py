"""Files written by real Keras 3 (tests/parity/generate_saving_fixtures.py) load here.

Predictions after loading must equal Keras's within 1e-6, and the mid-training
model must take the same next step as Keras did. Each test runs with h5py and
with the built-in HDF5 reader.
"""
import warnings

import numpy as np
import pytest

from minikeras import saving
from tests.saving.helpers import fixture_path, layer_or_skip

pytestmark = pytest.mark.usefixtures("h5_backend")


def _check_predictions(model, name, expected):
    xs = [expected[k] for k in sorted(expected) if k.startswith(f"{name}/x")]
    ys = [expected[k] for k in sorted(expected) if k.startswith(f"{name}/y")]
    pred = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    pred = pred if isinstance(pred, (list, tuple)) else [pred]
    assert len(pred) == len(ys)
    for p, y in zip(pred, ys):
        np.testing.assert_allclose(p, y, atol=1e-6, rtol=0)


def test_dense_mlp(expected):
    model = saving.load_model(fixture_path("mlp.keras"))
    assert model.name == "mlp"
    assert [l.name for l in model.layers] == ["dense", "dense_1"]
    _check_predictions(model, "mlp", expected)


def test_weights_file_into_fresh_model(expected):
    import minikeras as keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.load_weights(fixture_path("mlp.weights.h5"))
    _check_predictions(model, "mlp", expected)


def test_multi_input_functional_with_shared_layer(expected):
    model = saving.load_model(fixture_path("functional_multi.keras"))
    assert [l.name for l in model.layers] == ["in_a", "in_b", "shared", "out_a", "out_b"]
    assert len(model.get_layer("shared")._inbound_nodes) == 2
    _check_predictions(model, "functional_multi", expected)


def test_multi_input_functional_concatenate(expected):
    layer_or_skip("Concatenate")
    model = saving.load_model(fixture_path("functional_concat.keras"))
    _check_predictions(model, "functional_concat", expected)


def test_registered_subclassed_model(expected):
    from tests.saving.helpers import TwoDense
    model = saving.load_model(fixture_path("subclassed.keras"))
    assert isinstance(model, TwoDense) and model.units == 5
    _check_predictions(model, "subclassed", expected)


def test_mid_training_model_resumes_like_keras(expected):
    model = saving.load_model(fixture_path("training.keras"))
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    assert int(model.optimizer.iterations.numpy()) == 4
    np.testing.assert_allclose(float(model.optimizer.learning_rate.numpy()), 0.01, rtol=1e-6)
    _check_predictions(model, "training", expected)
    logs = model.train_on_batch(expected["training/next_x"], expected["training/next_y"],
                                return_dict=True)
    np.testing.assert_allclose(logs["loss"], expected["training/next_loss"], rtol=1e-5)
    assert int(model.optimizer.iterations.numpy()) == int(expected["training/iterations"])
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, expected[f"training/next_w{i}"], atol=1e-6, rtol=0)


def test_compile_false_skips_optimizer(expected):
    model = saving.load_model(fixture_path("training.keras"), compile=False)
    assert not model.compiled and model.optimizer is None
    _check_predictions(model, "training", expected)


@pytest.mark.parametrize("name,layer", [("cnn", "Conv2D"), ("lstm", "LSTM"),
                                        ("bn", "BatchNormalization")])
def test_catalog_models(expected, name, layer):
    layer_or_skip(layer)
    if name == "cnn":
        layer_or_skip("MaxPooling2D")
    model = saving.load_model(fixture_path(f"{name}.keras"))
    _check_predictions(model, name, expected)


def test_legacy_h5_written_by_keras3(expected):
    model = saving.load_model(fixture_path("legacy_keras3.h5"))
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    assert int(model.optimizer.iterations.numpy()) == 1
    _check_predictions(model, "legacy_keras3", expected)


def test_legacy_h5_written_by_keras2(expected):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = saving.load_model(fixture_path("legacy_keras2.h5"))
    assert any("not* compiled" in str(w.message) for w in caught)
    assert [l.name for l in model.layers] == ["dense", "dense_1"]
    _check_predictions(model, "legacy_keras2", expected)


def test_legacy_h5_as_weights_file(expected):
    import minikeras as keras
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(2)])
    model.load_weights(fixture_path("legacy_keras2.h5"))
    _check_predictions(model, "legacy_keras2", expected)


def test_keras_npz_store_is_refused_without_unpickling():
    # Keras 3.15's npz store pickles Python objects; loading must not unpickle.
    with pytest.raises(ValueError, match="pickled Python object"):
        saving.load_model(fixture_path("keras_npz_store.keras"))


def test_lambda_refused_in_safe_mode():
    with pytest.raises(ValueError, match="lambda"):
        saving.load_model(fixture_path("lambda.keras"))
