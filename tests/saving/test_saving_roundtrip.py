"""Save and load inside minikeras: `.keras`, `.weights.h5`, legacy `.h5`, npz weights.

Each `.keras`/weights test runs with h5py and with the built-in HDF5 writer
and reader (`h5_backend` fixture), so saving and loading work without h5py.
"""
import json
import warnings
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras import saving
from tests.saving.helpers import TwoDense, layer_or_skip, rand

L = keras.layers


def mlp():
    return keras.Sequential([keras.Input((4,)), L.Dense(6, activation="relu"), L.Dense(2)],
                            name="mlp")


def multi_io():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    shared = L.Dense(4, activation="tanh", name="shared")
    inner = keras.Sequential([L.Dense(3, activation="relu")], name="inner")
    out_a = L.Dense(2, name="out_a")(inner(shared(a)))
    out_b = L.Dense(1, name="out_b")(shared(b))
    return keras.Model([a, b], [out_a, out_b], name="multi")


def predict(model, x):
    out = model.predict(x, verbose=0)
    return out if isinstance(out, list) else [out]


def assert_same_predictions(m1, m2, x):
    for p1, p2 in zip(predict(m1, x), predict(m2, x)):
        np.testing.assert_array_equal(p1, p2)


@pytest.mark.usefixtures("h5_backend")
class TestKerasArchive:
    def test_sequential(self, tmp_path):
        model = mlp()
        path = tmp_path / "m.keras"
        model.save(path)
        with zipfile.ZipFile(path) as zf:
            assert sorted(zf.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
            config = json.loads(zf.read("config.json"))
        assert config["module"] == "keras" and config["class_name"] == "Sequential"
        assert [l["class_name"] for l in config["config"]["layers"]] == [
            "InputLayer", "Dense", "Dense"]
        loaded = saving.load_model(path)
        assert isinstance(loaded, keras.Sequential) and loaded.name == "mlp"
        assert_same_predictions(model, loaded, rand(3, 4))

    def test_functional_multi_io_with_shared_and_nested(self, tmp_path):
        model = multi_io()
        model.save(tmp_path / "m.keras")
        loaded = saving.load_model(tmp_path / "m.keras")
        from minikeras.models.functional_config import keras_layer_order
        # Keras 3 orders this model's layers so (checked with keras 3.15.1).
        assert [l.name for l in keras_layer_order(loaded)] == [
            "a", "shared", "b", "inner", "out_a", "out_b"]
        assert len(loaded.get_layer("shared")._inbound_nodes) == 2
        x = [rand(5, 3, seed=1), rand(5, 3, seed=2)]
        assert_same_predictions(model, loaded, x)

    def test_functional_dict_inputs(self, tmp_path):
        a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
        out = L.Dense(1)(L.Dense(2)(b))
        model = keras.Model({"a": a, "b": b}, {"y": out, "h": L.Dense(2)(a)})
        model.save(tmp_path / "m.keras")
        loaded = saving.load_model(tmp_path / "m.keras")
        x = {"a": rand(2, 2), "b": rand(2, 3)}
        got, want = loaded.predict(x, verbose=0), model.predict(x, verbose=0)
        assert set(got) == {"y", "h"}
        for k in want:
            np.testing.assert_array_equal(got[k], want[k])

    def test_registered_subclassed_model(self, tmp_path):
        model = TwoDense(units=3, name="sub")
        x = rand(4, 5)
        model(x)
        model.save(tmp_path / "m.keras")
        config = json.loads(zipfile.ZipFile(tmp_path / "m.keras").read("config.json"))
        assert config["registered_name"] == "MiniKerasTest>TwoDense"
        assert config["build_config"] == {"input_shape": [4, 5]}
        loaded = saving.load_model(tmp_path / "m.keras")
        assert isinstance(loaded, TwoDense) and loaded.units == 3
        assert_same_predictions(model, loaded, x)

    def test_subclassed_layers_in_a_list(self, tmp_path):
        @saving.register_keras_serializable(package="MiniKerasTest")
        class Stack(keras.Model):
            def __init__(self, sizes=(3, 2), **kwargs):
                super().__init__(**kwargs)
                self.sizes = list(sizes)
                self.blocks = [L.Dense(s) for s in self.sizes]

            def call(self, x):
                for block in self.blocks:
                    x = block(x)
                return x

            def get_config(self):
                return {**super().get_config(), "sizes": self.sizes}

        model = Stack(sizes=[4, 3, 2])
        x = rand(2, 3)
        model(x)
        paths = sorted(saving.saving_lib.weight_paths(model))
        assert paths == ["", "blocks/dense", "blocks/dense_1", "blocks/dense_2"]
        model.save(tmp_path / "m.keras")
        assert_same_predictions(model, saving.load_model(tmp_path / "m.keras"), x)

    def test_mid_training_resume_matches_uninterrupted_training(self, tmp_path):
        x, y = rand(16, 4, seed=3), rand(16, 2, seed=4)
        model = mlp()
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
        model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
        model.save(tmp_path / "m.keras")
        loaded = saving.load_model(tmp_path / "m.keras")
        assert loaded.compiled and int(loaded.optimizer.iterations.numpy()) == 4
        for v1, v2 in zip(model.optimizer.variables, loaded.optimizer.variables):
            np.testing.assert_array_equal(v1.numpy(), v2.numpy())
        xb, yb = rand(8, 4, seed=5), rand(8, 2, seed=6)
        l1 = model.train_on_batch(xb, yb, return_dict=True)
        l2 = loaded.train_on_batch(xb, yb, return_dict=True)
        assert l1["loss"] == l2["loss"]
        for w1, w2 in zip(model.get_weights(), loaded.get_weights()):
            np.testing.assert_array_equal(w1, w2)

    def test_compile_config_restored(self, tmp_path):
        model = mlp()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
                      loss=keras.losses.MeanSquaredError(),
                      metrics=["mae", keras.metrics.RootMeanSquaredError()])
        model.save(tmp_path / "m.keras")
        config = json.loads(zipfile.ZipFile(tmp_path / "m.keras").read("config.json"))
        assert config["compile_config"]["optimizer"]["class_name"] == "SGD"
        assert config["compile_config"]["loss"]["module"] == "keras.losses"
        loaded = saving.load_model(tmp_path / "m.keras")
        assert type(loaded.optimizer).__name__ == "SGD"
        np.testing.assert_allclose(float(loaded.optimizer.learning_rate.numpy()), 0.05)
        assert loaded.optimizer.momentum == pytest.approx(0.9)
        x, y = rand(4, 4), rand(4, 2)
        np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0),
                                   model.evaluate(x, y, verbose=0), rtol=1e-6)

    def test_string_optimizer_is_stored_as_object(self, tmp_path):
        model = mlp()
        model.compile("adam", "mse")
        model.save(tmp_path / "m.keras")
        config = json.loads(zipfile.ZipFile(tmp_path / "m.keras").read("config.json"))
        assert config["compile_config"]["optimizer"]["class_name"] == "Adam"

    def test_pathlib_and_file_object(self, tmp_path):
        model = mlp()
        model.save(tmp_path / "m.keras")
        with open(tmp_path / "m.keras", "rb") as f:
            loaded = saving.load_model(f)
        assert_same_predictions(model, loaded, rand(2, 4))

    def test_weights_format_npz(self, tmp_path):
        model = mlp()
        saving.save_model(model, tmp_path / "m.keras", weights_format="npz")
        with zipfile.ZipFile(tmp_path / "m.keras") as zf:
            assert "model.weights.npz" in zf.namelist()
        assert_same_predictions(model, saving.load_model(tmp_path / "m.keras"), rand(2, 4))

    def test_save_weights_and_load_weights(self, tmp_path):
        model, other = mlp(), mlp()
        model.save_weights(tmp_path / "w.weights.h5")
        other.load_weights(tmp_path / "w.weights.h5")
        for w1, w2 in zip(model.get_weights(), other.get_weights()):
            np.testing.assert_array_equal(w1, w2)
        # A .keras archive is also a valid source of weights.
        model.save(tmp_path / "m.keras")
        third = mlp()
        third.load_weights(tmp_path / "m.keras")
        assert_same_predictions(model, third, rand(2, 4))

    def test_legacy_h5_roundtrip(self, tmp_path):
        model = multi_io()
        model.compile(optimizer="adam", loss="mse")
        x = [rand(4, 3), rand(4, 3, seed=1)]
        model.fit(x, [rand(4, 2), rand(4, 1)], verbose=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.save(tmp_path / "m.h5")
        loaded = saving.load_model(tmp_path / "m.h5")
        assert_same_predictions(model, loaded, x)
        assert int(loaded.optimizer.iterations.numpy()) == 1
        for v1, v2 in zip(model.optimizer.variables, loaded.optimizer.variables):
            np.testing.assert_array_equal(v1.numpy(), v2.numpy())
        # ... and works as a weights file, by position or by name.
        fresh = multi_io()
        fresh.load_weights(tmp_path / "m.h5")
        assert_same_predictions(model, fresh, x)
        fresh = multi_io()
        fresh.load_weights(tmp_path / "m.h5", by_name=True)
        assert_same_predictions(model, fresh, x)


def test_unbuilt_save_weights_raises(tmp_path):
    model = keras.Sequential([L.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built"):
        model.save_weights(tmp_path / "w.weights.h5")


def test_bad_extensions(tmp_path):
    model = mlp()
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        model.save(tmp_path / "m.txt")
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="File format not supported"):
        saving.load_model(tmp_path / "m.txt")
    with pytest.raises(ValueError, match="File not found"):
        saving.load_model(tmp_path / "missing.keras")


def test_overwrite_false_asks_and_keeps_file(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    mlp().save(path)
    before = path.read_bytes()
    monkeypatch.setattr("builtins.input", lambda *a: "n")
    mlp().save(path, overwrite=False)
    assert path.read_bytes() == before
    monkeypatch.setattr("builtins.input", lambda *a: "y")
    mlp().save(path, overwrite=False)
    assert path.read_bytes() != before


def test_skip_mismatch_loads_the_rest(tmp_path):
    model = keras.Sequential([keras.Input((4,)), L.Dense(6), L.Dense(2)])
    model.save_weights(tmp_path / "w.weights.h5")
    other = keras.Sequential([keras.Input((4,)), L.Dense(6), L.Dense(3)])
    before = [w.copy() for w in other.get_weights()]
    with pytest.warns(UserWarning, match="could not be loaded"):
        other.load_weights(tmp_path / "w.weights.h5", skip_mismatch=True)
    after = other.get_weights()
    np.testing.assert_array_equal(after[0], model.get_weights()[0])
    np.testing.assert_array_equal(after[1], model.get_weights()[1])
    np.testing.assert_array_equal(after[2], before[2])  # mismatched layer untouched
    np.testing.assert_array_equal(after[3], before[3])


def test_objects_to_skip_when_saving_and_for_nested_models(tmp_path):
    inner = keras.Sequential([keras.Input((3,)), L.Dense(3), L.Dense(3)], name="inner")
    inp = keras.Input((3,))
    model = keras.Model(inp, L.Dense(1, name="head")(inner(inp)))
    saving.save_weights(model, tmp_path / "w.weights.h5", objects_to_skip=[inner])
    saved = saving.KerasFileEditor(str(tmp_path / "w.weights.h5")).weights_dict["layers"]
    # The head only: the nested model and its layers were skipped.
    assert sorted(k for k, v in saved.items() if v) == ["dense"]
    other_inner = keras.Sequential([keras.Input((3,)), L.Dense(3), L.Dense(3)])
    inp = keras.Input((3,))
    other = keras.Model(inp, L.Dense(1, name="head")(other_inner(inp)))
    keep = other_inner.get_weights()
    other.load_weights(tmp_path / "w.weights.h5", objects_to_skip=[other_inner])
    for a, b in zip(keep, other_inner.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(other.get_layer("head").get_weights()[0],
                                  model.get_layer("head").get_weights()[0])


def test_objects_to_skip(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    other = mlp()
    keep = [w.copy() for w in other.layers[0].get_weights()]
    other.load_weights(tmp_path / "w.weights.h5", objects_to_skip=[other.layers[0]])
    np.testing.assert_array_equal(other.layers[0].get_weights()[0], keep[0])
    np.testing.assert_array_equal(other.layers[1].get_weights()[0],
                                  model.layers[1].get_weights()[0])


def test_lambda_layer_with_safe_mode_false(tmp_path):
    model = keras.Sequential([keras.Input((2,)), L.Lambda(lambda t: t * 3.0), L.Dense(1)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError, match="lambda"):
        saving.load_model(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras", safe_mode=False)
    assert_same_predictions(model, loaded, rand(3, 2))


def test_unregistered_custom_layer_needs_custom_objects(tmp_path):
    class Scale(L.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = keras.Sequential([keras.Input((2,)), Scale(3.0), L.Dense(1)])
    model.save(tmp_path / "m.keras")
    with pytest.raises(TypeError, match="Could not locate class 'Scale'"):
        saving.load_model(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale})
    assert loaded.layers[0].factor == 3.0
    with saving.custom_object_scope({"Scale": Scale}):
        loaded = saving.load_model(tmp_path / "m.keras")
    assert_same_predictions(model, loaded, rand(3, 2))


def test_to_json_and_model_from_json():
    from minikeras.models.model_from_json import model_from_json
    model = multi_io()
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Functional"
    assert config["module"] == "keras.src.models.functional"
    rebuilt = model_from_json(text)
    assert [l.name for l in rebuilt.layers] == [l.name for l in model.layers]
    assert [w.shape for w in rebuilt.get_weights()] == [w.shape for w in model.get_weights()]


def test_model_from_json_keras2_config():
    from minikeras.models.model_from_json import model_from_json
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3],
                                                "dtype": "float32", "name": "in"}},
        {"class_name": "Dense", "config": {"name": "d", "units": 2, "activation": "relu",
                                           "dtype": "float32",
                                           "kernel_initializer": {"class_name": "Ones",
                                                                  "config": {}}}}]}}
    model = model_from_json(json.dumps(config))
    np.testing.assert_allclose(model.predict(np.ones((1, 3), "float32"), verbose=0), [[3, 3]])


def test_catalog_layers_roundtrip(tmp_path):
    conv = layer_or_skip("Conv2D")
    pool = layer_or_skip("MaxPooling2D")
    bn = layer_or_skip("BatchNormalization")
    model = keras.Sequential([keras.Input((6, 6, 2)), conv(3, 3), bn(), pool(2), L.Flatten(),
                              L.Dense(2)])
    model.compile("adam", "mse")
    model.fit(rand(4, 6, 6, 2), rand(4, 2), verbose=0)
    model.save(tmp_path / "m.keras")
    assert_same_predictions(model, saving.load_model(tmp_path / "m.keras"), rand(2, 6, 6, 2))


def test_load_model_of_a_savedmodel_folder_says_keras3_cannot(tmp_path):
    with pytest.raises(ValueError, match="SavedModel format is not supported"):
        keras.models.load_model(tmp_path / "saved_model")
