"""Sequential, Functional and subclassed models: construction, calls, layers, errors."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


def _data(n=8, d=10):
    return np.random.default_rng(0).random((n, d)).astype("float32")


def test_sequential_three_ways_to_give_the_input_shape():
    a = keras.Sequential([keras.Input((10,)), layers.Dense(4)])
    b = keras.Sequential([layers.Dense(4, input_shape=(10,))])
    c = keras.Sequential()
    c.add(layers.Dense(4, input_dim=10))
    for m in (a, b, c):
        assert m.built and m.output_shape == (None, 4) and m.count_params() == 44
        assert m(_data()).shape == (8, 4)
    assert len(a.layers) == 1  # the InputLayer is not listed


def test_sequential_deferred_build_and_pop():
    m = keras.Sequential([layers.Dense(5), layers.Dense(2)])
    assert not m.built
    assert m(_data()).shape == (8, 2)
    assert m.built and m.layers[0].kernel.shape == (10, 5)
    popped = m.pop()
    assert popped.units == 2 and len(m.layers) == 1
    with pytest.raises(IndexError):  # Keras 3: its list pop fails
        keras.Sequential().pop()


def test_sequential_rejects_non_layers_and_duplicate_names():
    m = keras.Sequential()
    with pytest.raises(ValueError, match="Only instances of `keras.Layer`"):
        m.add("dense")
    m.add(layers.Dense(2, name="x"))
    with pytest.raises(ValueError, match="unique names"):
        m.add(layers.Dense(2, name="x"))


def test_functional_multi_input_output_shared_layer_and_nested_model():
    a_in = keras.Input((4,), name="a")
    b_in = keras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    merged = ops_concat = layers.Lambda(lambda t: ops.concatenate(t, axis=-1))(
        [shared(a_in), shared(b_in)])
    inner = keras.Sequential([keras.Input((6,)), layers.Dense(2)], name="inner")
    out1 = layers.Dense(1, name="out1")(inner(merged))
    out2 = layers.Dense(2, name="out2")(merged)
    model = keras.Model([a_in, b_in], [out1, out2])
    xa, xb = _data(5, 4), _data(5, 4) + 1
    y1, y2 = model([xa, xb])
    assert y1.shape == (5, 1) and y2.shape == (5, 2)
    y1d, _ = model({"a": xa, "b": xb})
    np.testing.assert_allclose(y1, y1d)
    # shared layer weights counted once
    names = [w.path for w in model.weights]
    assert len(names) == len(set(names)) == 8
    assert model.get_layer("shared") is shared
    assert [l.name for l in model.layers][:2] == ["a", "b"]
    assert model.input_shape == [(None, 4), (None, 4)]
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("nope")


def test_functional_dict_io_and_keras_tensor_arithmetic():
    inp = {"x": keras.Input((3,), name="x"), "y": keras.Input((3,), name="y")}
    h = inp["x"] + inp["y"] * 2.0
    model = keras.Model(inp, {"sum": h, "first": h[:, :1]})
    out = model({"x": np.ones((2, 3)), "y": np.ones((2, 3))})
    np.testing.assert_allclose(out["sum"], 3.0)
    assert out["first"].shape == (2, 1)


def test_functional_graph_disconnected_error():
    a = keras.Input((2,))
    b = keras.Input((2,))
    out = layers.Dense(1)(layers.Lambda(lambda t: t[0] + t[1])([a, b]))
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, out)


def test_functional_from_an_intermediate_tensor_starts_at_a_cloned_input(tmp_path):
    # keras.Model(inputs=encoded_features, ...) (keras.io FeatureSpace example): Keras
    # makes an Input "<name>CLONE" for the tensor and calls the later layers again on
    # it. minikeras ran the layer that produced the tensor too, and crashed (KeyError).
    x = keras.Input((3,), name="x")
    hidden = layers.Dense(4, name="a")(x)
    out = layers.Dense(2, name="b")(hidden)
    model = keras.Model(hidden, out)
    assert [(l.name, type(l).__name__) for l in model.layers] == [
        (hidden.name + "CLONE", "InputLayer"), ("b", "Dense")]
    assert model.count_params() == 10 and model.input_shape == (None, 4)
    assert len(model.get_layer("b")._inbound_nodes) == 2  # Keras: a second node
    h = np.ones((5, 4), "float32")
    np.testing.assert_allclose(model.predict(h, verbose=0),
                               model.get_layer("b")(h), rtol=1e-6)
    assert model.get_config()["input_layers"] == [hidden.name + "CLONE", 0, 0]
    model.save(tmp_path / "tail.keras")
    np.testing.assert_allclose(keras.saving.load_model(tmp_path / "tail.keras").predict(
        h, verbose=0), model.predict(h, verbose=0), rtol=1e-6)
    # The original graph is untouched.
    full = keras.Model(x, out)
    assert [l.name for l in full.layers] == ["x", "a", "b"]


def test_functional_input_count_mismatch():
    a = keras.Input((2,))
    m = keras.Model(a, layers.Dense(1)(a))
    with pytest.raises(ValueError, match="expects 1 input"):
        m([np.ones((1, 2)), np.ones((1, 2))])


def test_functional_adds_or_drops_a_trailing_unit_axis_as_keras_does():
    # keras.io's structured-data examples predict on {"age": np.array([60]), ...}
    # against Input(shape=(1,)): a rank-1 array is a batch of scalars there.
    a = keras.Input((1,), name="a")
    b = keras.Input((1,), name="b")
    m = keras.Model({"a": a, "b": b}, layers.Concatenate()([a * 2.0, b]))
    out = m.predict({"a": np.arange(3.0), "b": np.ones((3, 1))}, verbose=0)
    np.testing.assert_allclose(out, [[0, 1], [2, 1], [4, 1]])
    assert out.dtype == np.float32
    # And a trailing unit axis the Input does not have is dropped.
    c = keras.Input((4,), name="c")
    m2 = keras.Model(c, layers.Dense(2)(c))
    assert m2(np.ones((5, 4, 1), "float32")).shape == (5, 2)
    with pytest.raises(ValueError, match="Invalid input shape for input with name 'c'"):
        m2(np.ones((5, 4, 2), "float32"))



def test_sequential_adjusts_a_unit_axis_and_takes_a_dict_keyed_by_its_input_name():
    # Keras runs a built Sequential through an inner Functional model, so the
    # same fix-ups apply: 1-D x for Input(shape=(1,)), and {"feat": x}.
    m = keras.Sequential([keras.Input((1,)), layers.Dense(1, kernel_initializer="ones")])
    np.testing.assert_allclose(m.predict(np.arange(3.0), verbose=0), [[0], [1], [2]])
    assert m(np.ones((2, 1, 1), "float32")).shape == (2, 1)
    m.compile("sgd", "mse")
    assert m.fit(np.arange(4.0), np.arange(4.0), epochs=1, verbose=0).history["loss"]
    m2 = keras.Sequential([keras.Input((3,), name="feat"), layers.Dense(2)])
    x = np.ones((4, 3), "float32")
    np.testing.assert_allclose(m2({"feat": x}), m2(x))
    with pytest.raises(ValueError, match="structure of `inputs`"):
        m2({"other": x})

class TwoLayer(keras.Model):
    def __init__(self, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.d1 = layers.Dense(hidden, activation="relu")
        self.drop = layers.Dropout(0.5)
        self.d2 = layers.Dense(2, activation="softmax")

    def call(self, inputs, training=None):
        return self.d2(self.drop(self.d1(inputs), training=training))


def test_subclassed_model_builds_on_first_call_and_tracks_layers():
    m = TwoLayer()
    assert not m.weights
    out = m(_data())
    assert out.shape == (8, 2)
    assert [l.name for l in m.layers] == ["dense", "dropout", "dense_1"]
    assert len(m.trainable_weights) == 4
    np.testing.assert_allclose(out.sum(-1), 1.0, rtol=1e-6)
    assert m.get_config()["hidden"] == 8


def test_subclass_build_with_input_shape():
    m = TwoLayer()
    m.build((None, 10))
    assert m.count_params() == 10 * 8 + 8 + 8 * 2 + 2


def test_subclass_forgetting_super_init_is_explained():
    class Bad(keras.Model):
        def __init__(self):
            self.d = layers.Dense(1)

    with pytest.raises(RuntimeError, match="super"):
        Bad()


def test_model_as_layer_inside_functional_and_training_flag():
    sub = TwoLayer()
    sub(_data())
    inp = keras.Input((10,))
    model = keras.Model(inp, sub(inp))
    x = _data()
    np.testing.assert_allclose(model(x), model(x))
    assert len(model.trainable_weights) == 4


def test_model_kwargs_functional_and_subclass_functional_style():
    inp = keras.Input((3,))
    m = keras.Model(inputs=inp, outputs=layers.Dense(2)(inp), name="kw")
    assert m.name == "kw" and m(np.ones((1, 3))).shape == (1, 2)

    class Custom(keras.Model):
        def extra(self):
            return "ok"

    inp = keras.Input((3,))
    c = Custom(inp, layers.Dense(2)(inp))
    assert isinstance(c, Custom) and c.extra() == "ok" and c(np.ones((1, 3))).shape == (1, 2)


def test_symbolic_call_infers_shapes_for_custom_layer_without_compute_output_shape():
    class Duplicate(layers.Layer):
        def call(self, x):
            return ops.concatenate([x, x], axis=1)

    inp = keras.Input((None, 4))
    out = Duplicate()(inp)
    assert out.shape == (None, None, 4)


def test_summary_text(capsys):
    m = keras.Sequential([keras.Input((10,)), layers.Dense(20, activation="relu"),
                          layers.Dense(10, activation="softmax")], name="seq")
    m.summary()
    text = capsys.readouterr().out
    assert 'Model: "seq"' in text
    assert "dense (Dense)" in text and "(None, 20)" in text and "220" in text
    assert "Total params: 430 (1.68 KB)" in text
    assert "Trainable params: 430 (1.68 KB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text
    lines = []
    m.summary(print_fn=lines.append)
    assert "Layer (type)" in lines[0]


def test_summary_functional_has_connected_to(capsys):
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    s = layers.Lambda(lambda t: t[0] + t[1], name="add")([a, b])
    keras.Model([a, b], layers.Dense(1, name="out")(s)).summary()
    text = capsys.readouterr().out
    assert "Connected to" in text and "a[0][0], b[0][0]" in text and "add[0][0]" in text


def test_keras_tensor_operators_build_graph_nodes():
    x, y = keras.Input((3,)), keras.Input((3,))
    outs = [x + 1, 1 - x, 2 ** x, x // 2, x % 2, x < y, -x, abs(x), x / y, 3 / x,
            (x > 1) & (y > 1), ~(x > 1)]
    m = keras.Model([x, y], outs)
    a = np.array([[1.0, 2.0, 3.0]], "float32")
    b = np.array([[3.0, 2.0, 1.0]], "float32")
    got = [np.asarray(v) for v in m([a, b])]
    expected = [a + 1, 1 - a, 2 ** a, a // 2, a % 2, a < b, -a, abs(a), a / b, 3 / a,
                (a > 1) & (b > 1), ~(a > 1)]
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-6)
    assert [l.name for l in m.layers] == [m.layers[0].name, m.layers[1].name]  # ops not listed
    assert len(m.operations) > len(m.layers)


def test_clone_model_keeps_shared_layers_shared_and_reuses_ops():
    shared = layers.Dense(2)
    a, b = keras.Input((3,)), keras.Input((3,))
    model = keras.Model([a, b], shared(a) + shared(b))
    clone = keras.models.clone_model(model)
    assert len(clone.weights) == 2  # one copy of the shared Dense
    clone.set_weights(model.get_weights())
    xa, xb = np.ones((1, 3), "float32"), np.full((1, 3), 2.0, "float32")
    np.testing.assert_allclose(clone([xa, xb]), model([xa, xb]), rtol=1e-6)


def test_functional_checks_input_shapes_as_keras_input_spec():
    # Keras gives a Functional model an input spec from its Inputs: calling it on a
    # tensor whose axes disagree raises (symbolically too, where minikeras used to
    # return the stored output shape); a trailing axis of 1 is ignored.
    inputs = keras.Input((41,))
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    for shape in [(1, 41), (40,)]:
        with pytest.raises(ValueError, match=r"expected shape=\(None, 41\), found shape="):
            model(keras.Input(shape))
    with pytest.raises(ValueError, match=r"found shape=\(2, 40\)"):
        model(np.ones((2, 40), "float32"))
    assert model(keras.Input((41, 1))).shape == (None, 1)
    assert model(np.ones((2, 41, 1), "float32")).shape == (2, 1)
    assert model(keras.Input((None,))).shape == (None, 1)


def test_sequential_builds_take_functional_names_as_in_keras():
    """Keras's Sequential wraps each build in an unnamed Functional, so Models made
    afterwards are named "functional_1", ... (what summaries and configs show)."""
    def functional_name():
        inp = keras.Input((3,))
        return keras.Model(inp, layers.Dense(2)(inp)).name

    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])  # built once
    assert functional_name() == "functional_1"
    seq.add(layers.Dense(2))  # rebuilt
    assert functional_name() == "functional_3"
    lazy = keras.Sequential([layers.Dense(2)])  # not built yet: takes no name
    assert functional_name() == "functional_4"
    lazy(np.zeros((1, 3), "float32"))
    assert functional_name() == "functional_6"


def test_sequential_adds_the_trailing_unit_axis_of_its_input():
    # Keras runs a built Sequential through its inner Functional, which expands a
    # (batch,) column to the (batch, 1) of `input_shape=[1]`.
    model = keras.Sequential([keras.Input((1,)), layers.Dense(2)])
    assert model.predict(np.arange(5, dtype="float32"), verbose=0).shape == (5, 2)
    with pytest.raises(ValueError):
        model.predict(np.ones((5, 3, 3), "float32"), verbose=0)


def test_sequential_starting_with_a_built_model_is_built():
    inner = keras.Sequential([keras.Input((6,)), layers.Dense(4)])
    outer = keras.Sequential([inner, layers.Softmax()])
    assert outer.built and outer.output_shape == (None, 4)
    dense = layers.Dense(3)
    dense.build((None, 2))
    assert not keras.Sequential([dense, layers.Softmax()]).built  # as in Keras


def test_model_keras1_input_output_keywords_raise_value_error():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Model"):
        keras.Model(input=keras.Input((2,)), output=layers.Dense(1))


def test_nested_sequential_input_output_are_its_call_tensors():
    # Keras 3: a Sequential called inside another model reports that call's tensors, so a
    # feature extractor built from the outer input stays connected.
    import minikeras as keras
    inner = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)], name="inner")
    x = keras.Input((4,))
    outer = keras.Model(x, inner(x))
    assert inner.input is x and inner.output is outer.output
    assert keras.Model(outer.input, inner.output).output_shape == (None, 2)
    lazy = keras.Sequential([keras.layers.Dense(2)], name="lazy")
    with pytest.raises(AttributeError, match="^The layer lazy has never been called and thus has no defined output.$"):
        lazy.output


def test_sequential_pop_on_empty_and_duplicate_name_messages():
    import minikeras as keras
    model = keras.Sequential([keras.layers.Dense(1, name="d")])
    with pytest.raises(ValueError, match="Name 'd' is already the name"):
        model.add(keras.layers.Dense(1, name="d"))
    model.pop()
    with pytest.raises(IndexError):
        model.pop()
