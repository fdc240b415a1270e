"""`models.clone_model` and `saving.KerasFileEditor`."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import saving
from minikeras.models.cloning import clone_model
from tests.saving.helpers import TwoDense, rand

L = keras.layers


def functional():
    a, b = keras.Input((3,), name="a"), keras.Input((3,), name="b")
    shared = L.Dense(4, name="shared")
    out = L.Dense(2, name="out")(shared(a))
    return keras.Model([a, b], [out, shared(b)], name="fn")


def test_clone_sequential_new_weights_same_architecture():
    model = keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dense(2)], name="s")
    model.compile("sgd", "mse")
    clone = clone_model(model)
    assert isinstance(clone, keras.Sequential) and clone.name == "s"
    assert [type(l) for l in clone.layers] == [type(l) for l in model.layers]
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert clone.compiled and type(clone.optimizer).__name__ == "SGD"
    clone.set_weights(model.get_weights())
    x = rand(2, 3)
    np.testing.assert_array_equal(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_clone_functional_keeps_sharing_and_structure():
    model = functional()
    clone = clone_model(model)
    assert clone.name == "fn" and clone is not model
    assert len(clone.get_layer("shared")._inbound_nodes) == 2
    assert clone.get_layer("shared") is not model.get_layer("shared")
    clone.set_weights(model.get_weights())
    x = [rand(2, 3), rand(2, 3, seed=1)]
    for p, q in zip(clone.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_array_equal(p, q)


def test_clone_function_and_call_function():
    model = functional()
    seen = []

    def clone_fn(layer):
        seen.append(layer.name)
        config = layer.get_config()
        if isinstance(layer, L.Dense):
            config["use_bias"] = False
        return layer.__class__.from_config(config)

    clone = clone_model(model, clone_function=clone_fn)
    assert sorted(seen) == ["out", "shared"]
    assert all(not l.use_bias for l in clone.layers if isinstance(l, L.Dense))

    calls = []

    def call_fn(layer, *args, **kwargs):
        calls.append(layer.name)
        return layer(*args, **kwargs)
    clone_model(model, call_function=call_fn)
    assert calls.count("shared") == 2


def test_clone_with_input_tensors():
    model = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    new_input = keras.Input((3,), name="new_in")
    clone = clone_model(model, input_tensors=new_input)
    assert clone.input_shape == (None, 3)
    with pytest.raises(ValueError, match="single tensor"):
        clone_model(model, input_tensors=[new_input, new_input])


def test_clone_subclassed_model():
    model = TwoDense(units=3)
    model(rand(1, 2))
    clone = clone_model(model)
    assert isinstance(clone, TwoDense) and clone.units == 3 and clone is not model
    with pytest.raises(ValueError, match="only supported for Sequential"):
        clone_model(model, clone_function=lambda l: l)
    with pytest.raises(ValueError, match="Unexpected keyword"):
        clone_model(model, bogus=1)


def test_clone_recursive_nested():
    inner = keras.Sequential([keras.Input((3,)), L.Dense(3)], name="inner")
    inp = keras.Input((3,))
    model = keras.Model(inp, L.Dense(1)(inner(inp)))
    names = []

    def clone_fn(layer):
        names.append(layer.name)
        return layer.__class__.from_config(layer.get_config())
    clone_model(model, clone_function=clone_fn, recursive=True)
    assert "inner" not in names and len(names) == 2  # inner's Dense, then the outer Dense


def test_file_editor_inspect_edit_resave(tmp_path, capsys):
    model = keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dense(2)])
    model.compile("adam", "mse")
    model.fit(rand(4, 3), rand(4, 2), verbose=0)
    model.save(tmp_path / "m.keras")
    editor = saving.KerasFileEditor(str(tmp_path / "m.keras"))
    assert editor.config["class_name"] == "Sequential"
    assert set(editor.weights_dict) == {"layers", "optimizer"}
    assert editor.weights_dict["layers"]["dense"]["0"].shape == (3, 4)
    editor.summary()
    assert "dense_1" in capsys.readouterr().out
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 14}

    other = keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dense(5)])
    assert editor.compare(other)["status"] == "error"

    editor.delete_object("optimizer")
    editor.rename_object("dense_1", "dense_9")
    editor.add_weights("dense_9", {"2": np.zeros(1)})
    editor.delete_weight("dense_9", "2")
    with pytest.raises(ValueError, match="does not appear"):
        editor.delete_object("nothing")
    editor.rename_object("dense_9", "dense_1")
    editor.resave_weights(str(tmp_path / "edited.weights.h5"))
    fresh = keras.Sequential([keras.Input((3,)), L.Dense(4), L.Dense(2)])
    fresh.load_weights(tmp_path / "edited.weights.h5")
    x = rand(2, 3)
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
