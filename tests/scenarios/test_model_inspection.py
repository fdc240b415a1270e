"""Inspecting and rewiring models: get_layer, symbolic inputs/outputs, feature extraction,
pop/add, freezing, set_weights, cloning, JSON round trips, plot_model and summary capture.
Messages are Keras 3.15's, checked against the real library."""
import json

import numpy as np
import pytest
from PIL import Image

import minikeras as keras
from minikeras import layers


def _seq():
    return keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="relu", name="d1"),
                             layers.Dense(2, name="d2")], name="seq")


def _nested():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="id1"),
                              layers.Dense(2, name="id2")], name="inner")
    x = keras.Input((4,), name="x")
    return keras.Model(x, layers.Dense(1, name="head")(inner(x)), name="outer")


def test_get_layer_by_name_and_index_and_its_errors():
    model = _seq()
    assert model.get_layer("d1").name == "d1"
    assert model.get_layer(index=1).name == "d2"
    with pytest.raises(ValueError, match=r"^No such layer: nope\. Existing layers are: \['d1', 'd2'\]\.$"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="Was asked to retrieve layer at index 5 but model only has 2 layers."):
        model.get_layer(index=5)
    with pytest.raises(ValueError, match="Provide either a layer name or layer index at `get_layer`."):
        model.get_layer()
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index. Received: index=0, name=d1."):
        model.get_layer("d1", 0)
    # A functional model counts its InputLayer.
    assert _nested().get_layer(index=0).name == "x"
    with pytest.raises(ValueError, match=r"Existing layers are: \['x', 'inner', 'head'\]"):
        _nested().get_layer("id1")


def test_symbolic_inputs_outputs_and_shapes():
    model = _seq()
    d1 = model.layers[0]
    assert d1.input.shape == (None, 4) and d1.output.shape == (None, 3)
    assert repr(d1.output).startswith("<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=")
    for attr in ("input_shape", "output_shape"):  # gone from layers in Keras 3
        with pytest.raises(AttributeError, match=f"'Dense' object has no attribute '{attr}'"):
            getattr(d1, attr)
    assert model.input_shape == (None, 4) and model.output_shape == (None, 2)
    assert [t.shape for t in model.inputs] == [(None, 4)]
    unbuilt = keras.Sequential([layers.Dense(3, name="a")], name="lazy")
    with pytest.raises(AttributeError, match="^The layer lazy has never been called and thus has no defined input.$"):
        unbuilt.input
    with pytest.raises(AttributeError, match="^The layer a has never been called and thus has no defined output.$"):
        unbuilt.layers[0].output
    with pytest.raises(AttributeError, match="Sequential model 'lazy' has no defined input shape yet."):
        unbuilt.input_shape
    eager = layers.Dense(2, name="eager")
    eager(np.ones((1, 3), "float32"))  # an eager call leaves no symbolic history
    with pytest.raises(AttributeError, match="^The layer eager has never been called and thus has no defined input.$"):
        eager.input


def test_count_params_before_build():
    with pytest.raises(ValueError, match=r"^You tried to call `count_params` on layer 'lazy', but the layer isn't "
                       r"built\. You can build it manually via: `layer\.build\(input_shape\)`\.$"):
        keras.Sequential([layers.Dense(3)], name="lazy").count_params()
    assert keras.Sequential([layers.Dense(3)]).weights == []


def test_feature_extraction_from_sequential_built_with_input_and_by_fit():
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    model = _seq()
    extractor = keras.Model(inputs=model.inputs, outputs=[l.output for l in model.layers])
    assert [l.name for l in extractor.layers] == ["input_layer", "d1", "d2"]
    feats = extractor.predict(x, verbose=0)
    assert [f.shape for f in feats] == [(5, 3), (5, 2)]
    np.testing.assert_allclose(feats[-1], model.predict(x, verbose=0), rtol=1e-6)
    # Built by fit (no Input): Keras still records a symbolic graph for the layers.
    fitted = keras.Sequential([layers.Dense(3, name="a"), layers.Dense(2, name="b")])
    fitted.compile("adam", "mse")
    fitted.fit(x, np.ones((5, 2)), verbose=0)
    ext = keras.Model(inputs=fitted.inputs, outputs=[l.output for l in fitted.layers])
    assert ext.output_shape == [(None, 3), (None, 2)]
    np.testing.assert_allclose(ext.predict(x, verbose=0)[1], fitted.predict(x, verbose=0), rtol=1e-6)


def test_feature_extraction_through_a_nested_sequential():
    outer = _nested()
    inner = outer.get_layer("inner")
    # Once called inside outer, the nested Sequential's input/output are the outer graph's tensors.
    assert inner.input is outer.input
    assert inner.input_shape == (None, 4) and inner.output_shape == (None, 2)
    ext = keras.Model(outer.input, inner.output)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(ext.predict(x, verbose=0), inner.predict(x, verbose=0), rtol=1e-6)
    # Its own layers live in its own graph: reach them from its own inputs.
    deep = keras.Model(inner.inputs, inner.get_layer("id1").output)
    assert deep.output_shape == (None, 3)
    assert [w.path for w in outer.weights] == ["inner/id1/kernel", "inner/id1/bias", "inner/id2/kernel",
                                               "inner/id2/bias", "head/kernel", "head/bias"]
    assert [w.shape for w in outer.get_weights()] == [(4, 3), (3,), (3, 2), (2,), (2, 1), (1,)]


def test_functional_feature_extractor_and_shared_layer_weights():
    inp = keras.Input((4,), name="x")
    h = layers.Dense(3, name="h")(inp)
    model = keras.Model(inp, layers.Dense(1, name="o")(h))
    assert model.layers[0].input == []  # an InputLayer has no input tensors
    ext = keras.Model(model.inputs, [l.output for l in model.layers])
    assert [o.shape for o in ext.predict(np.ones((2, 4)), verbose=0)] == [(2, 4), (2, 3), (2, 1)]
    shared = layers.Dense(2, name="sh")
    a, b = keras.Input((2,)), keras.Input((2,))
    siamese = keras.Model([a, b], layers.Add()([shared(a), shared(b)]))
    assert [w.path for w in siamese.weights] == ["sh/kernel", "sh/bias"]  # listed once
    assert shared.input is a  # the first call's tensors
    assert len(shared._inbound_nodes) == 2


def test_reusing_layers_in_a_new_model_shares_weights():
    base = _seq()
    new = keras.Sequential([keras.Input((4,))] + base.layers[:1] + [layers.Dense(7, name="r3")])
    assert new.output_shape == (None, 7) and new.count_params() == 15 + 28
    assert new.layers[0] is base.layers[0]
    base.layers[0].kernel.assign(np.zeros((4, 3), "float32"))
    np.testing.assert_array_equal(new.get_weights()[0], np.zeros((4, 3)))
    assert base.layers[0].output.shape == (None, 3)  # still its first call's tensor


def test_pop_and_add_after_build():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, name="p1"), layers.Dense(2, name="p2")])
    model.pop()
    assert [l.name for l in model.layers] == ["p1"] and model.output_shape == (None, 4)
    model.add(layers.Dense(5, name="p3"))
    assert model.output_shape == (None, 5) and model.count_params() == 16 + 25
    assert model.predict(np.ones((1, 3)), verbose=0).shape == (1, 5)
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added to a Sequential model. "
                       r"Received: 3 \(of type <class 'int'>\)"):
        model.add(3)
    with pytest.raises(ValueError, match="Name 'p3' is already the name of a layer in this model."):
        model.add(layers.Dense(1, name="p3"))
    model.pop(), model.pop()
    with pytest.raises(IndexError):
        model.pop()


def test_freezing_nested_models_and_summary_counts():
    outer = _nested()
    inner = outer.get_layer("inner")
    inner.trainable = False
    assert len(outer.trainable_weights) == 2 and len(outer.non_trainable_weights) == 4
    assert inner.get_layer("id1").trainable is False
    lines = []
    outer.summary(print_fn=lambda s, **kw: lines.append(s), show_trainable=True, expand_nested=True)
    text = lines[0]
    assert len(lines) == 1 and text.endswith("Non-trainable params: 23 (92.00 B)\n")
    assert "│    └ id1 (Dense)            │ (None, 3)             │         15 │   N   │" in text
    assert " Trainable params: 3 (12.00 B)" in text
    inner.trainable = True
    inner.get_layer("id1").trainable = False
    lines.clear()
    outer.summary(print_fn=lines.append, show_trainable=True, expand_nested=True)
    assert "│ inner (Sequential)          │ (None, 2)             │         23 │   Y   │" in lines[0]
    assert " Trainable params: 11 (44.00 B)\n Non-trainable params: 15 (60.00 B)\n" in lines[0]


def test_freeze_then_recompile_keeps_layer_fixed():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="a"), layers.Dense(1, name="b")])
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    model.fit(x, y, verbose=0)
    model.layers[0].trainable = False
    model.compile("sgd", "mse")
    before = model.layers[0].get_weights()[0].copy()
    head = model.layers[1].get_weights()[0].copy()
    model.fit(x, y, verbose=0)
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], before)
    assert not np.array_equal(model.layers[1].get_weights()[0], head)


def test_set_weights_and_assign_errors():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="a"), layers.Dense(1, name="b")],
                             name="sequential")
    dense = model.layers[1]
    with pytest.raises(ValueError, match=r"^You called `set_weights\(weights\)` on layer 'b' with a weight list "
                       "of length 1, but the layer was expecting 2 weights.$"):
        dense.set_weights([np.zeros((2, 1))])
    with pytest.raises(ValueError, match=r"^Layer b weight shape \(2, 1\) is not compatible with provided weight "
                       r"shape \(3, 1\)\.$"):
        dense.set_weights([np.zeros((3, 1)), np.zeros((1,))])
    with pytest.raises(ValueError, match="on layer 'sequential' with a weight list of length 1, but the layer "
                       "was expecting 4 weights."):
        model.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"variable\.shape=\(2, 1\), Received: value\.shape=\(3, 3\)\. "
                       r"Target variable: <Variable path=sequential/b/kernel, shape=\(2, 1\), dtype=float32"):
        dense.kernel.assign(np.zeros((3, 3)))
    dense.kernel.assign(np.full((2, 1), 2.0))
    dense.kernel.assign_add(np.ones((2, 1)))
    assert dense.get_weights()[0].tolist() == [[3.0], [3.0]]
    assert (dense.kernel.name, dense.kernel.path) == ("kernel", "sequential/b/kernel")
    assert dense.kernel.dtype == "float32" and dense.kernel.trainable


def test_clone_model_with_clone_function_and_input_tensors():
    seq = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="d1"), layers.Dropout(0.5, name="dr"),
                            layers.Dense(2, name="d2")], name="seq")

    def swap(layer):
        if isinstance(layer, layers.Dropout):
            return layers.Dropout(0.1, name=layer.name)
        cfg = layer.get_config()
        cfg["name"] += "_c"
        return layer.__class__.from_config(cfg)

    clone = keras.models.clone_model(seq, clone_function=swap)
    assert [l.name for l in clone.layers] == ["d1_c", "dr", "d2_c"] and clone.get_layer("dr").rate == 0.1
    assert clone.name == "seq" and clone.input_shape == (None, 4)
    assert not np.allclose(clone.get_weights()[0], seq.get_weights()[0])  # fresh weights
    inp = keras.Input((4,), name="x")
    func = keras.Model(inp, layers.Dense(1, name="o")(layers.Dense(3, name="h")(inp)))
    rewired = keras.models.clone_model(func, input_tensors=keras.Input((4,), name="newin"))
    assert [l.name for l in rewired.layers] == ["newin", "h", "o"]
    with pytest.raises(ValueError, match="`input_tensors` must have the same structure as model.input"):
        keras.models.clone_model(func, input_tensors=[keras.Input((4,)), keras.Input((4,))])
    same = keras.models.clone_model(func, clone_function=lambda layer: layer)
    assert same.layers[1] is func.layers[1]


@pytest.mark.parametrize("kind", ["sequential", "functional", "nested"])
def test_json_round_trip(kind):
    if kind == "functional":
        inp = keras.Input((4,), name="x")
        model = keras.Model(inp, layers.Dense(1, name="o")(layers.Dense(3, name="h")(inp)), name="f")
    else:
        model = _seq() if kind == "sequential" else _nested()
    config = json.loads(model.to_json())
    assert config["module"] == "keras" if kind == "sequential" else config["registered_name"] == "Functional"
    restored = keras.models.model_from_json(model.to_json())
    assert type(restored) is type(model) and restored.name == model.name
    assert [l.name for l in restored.layers] == [l.name for l in model.layers]
    assert restored.count_params() == model.count_params()
    assert restored.output_shape == model.output_shape
    if kind == "nested":
        assert type(restored.get_layer("inner")).__name__ == "Sequential"
    assert model.to_json(indent=2).startswith('{\n  "')


def test_plot_model_writes_a_png(tmp_path):
    path = tmp_path / "model.png"
    keras.utils.plot_model(_nested(), to_file=str(path), show_shapes=True, show_layer_names=True,
                           expand_nested=True)
    with Image.open(path) as image:
        image.verify()
        assert image.format == "PNG"
    with Image.open(path) as image:
        assert image.size[0] > 50 and image.size[1] > 100


def test_summary_capture_and_layer_range():
    model = _seq()
    calls = []
    model.summary(print_fn=lambda *a, **kw: calls.append(a))
    assert len(calls) == 1 and calls[0][0].startswith('Model: "seq"\n┏')
    assert calls[0][0].endswith(" Non-trainable params: 0 (0.00 B)\n")
    calls.clear()
    model.summary(print_fn=lambda *a, **kw: calls.append(a[0]), layer_range=["d2", "d2"])
    assert "d2 (Dense)" in calls[0] and "d1 (Dense)" not in calls[0]
    assert " Total params: 23 (92.00 B)" in calls[0]  # the totals still cover the whole model
    with pytest.raises(ValueError, match=r"^Passed layer_names do not match the layer names in the model\. "
                       r"Received: \['zz', 'd1'\]$"):
        model.summary(layer_range=["zz", "d1"])
    with pytest.raises(ValueError, match=r"^layer_range must be a list or tuple of length 2\. Received: "
                       r"layer_range = \['d1'\] of length 1$"):
        model.summary(layer_range=["d1"])
