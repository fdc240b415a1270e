"""The Keras layer contract for every layer of the catalog: get_config /
from_config round trips, compute_output_shape agrees with the real output
(also with an unknown batch size, as Functional models use it), symbolic
calls on `keras.Input`, Keras' weight names and order, float32 outputs."""
import json
import os
import warnings

import numpy as np
import pytest

import minikeras as keras
from tests.layers.catalog import CLASSES

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")
with open(os.path.join(GOLDENS, "layer_cases.json")) as fh:
    CASES = json.load(fh)["cases"]

EXTRA = [  # layers whose goldens only cover inference, with non-default arguments
    dict(cls="SpatialDropout2D", kwargs=dict(rate=0.4, data_format="channels_first", seed=3),
         shapes=[[2, 3, 4, 5]]),
    dict(cls="SpatialDropout3D", kwargs=dict(rate=0.2, seed=1), shapes=[[2, 3, 4, 5, 2]]),
    dict(cls="GaussianNoise", kwargs=dict(stddev=0.5, seed=2), shapes=[[3, 4]]),
    dict(cls="GaussianDropout", kwargs=dict(rate=0.5, seed=2), shapes=[[3, 4]]),
    dict(cls="AlphaDropout", kwargs=dict(rate=0.1, noise_shape=(None, 1), seed=2),
         shapes=[[3, 4]]),
    dict(cls="RandomFlip", kwargs=dict(mode="horizontal", seed=4), shapes=[[2, 5, 6, 3]]),
    dict(cls="RandomContrast", kwargs=dict(factor=(0.2, 0.4), value_range=(0, 1), seed=4),
         shapes=[[2, 5, 6, 3]]),
    dict(cls="RandomZoom", kwargs=dict(height_factor=0.2, width_factor=(-0.1, 0.3),
                                       fill_mode="constant", seed=5), shapes=[[2, 5, 6, 3]]),
    dict(cls="Conv1D", kwargs=dict(filters=4, kernel_size=3, padding="causal",
                                   kernel_regularizer="l2", bias_constraint="non_neg",
                                   activation="tanh"), shapes=[[2, 6, 3]]),
    dict(cls="DepthwiseConv2D", kwargs=dict(kernel_size=2, depthwise_regularizer="l1",
                                            activation="relu"), shapes=[[2, 5, 5, 3]]),
    dict(cls="BatchNormalization", kwargs=dict(axis=1, momentum=0.5, epsilon=0.01,
                                               beta_regularizer="l2"), shapes=[[4, 3, 2]]),
]
ALL = CASES + EXTRA


def make(case):
    return CLASSES[case["cls"]](**case["kwargs"])


def inputs(case, rng):
    xs = [rng.standard_normal(s).astype(np.float32) for s in case["shapes"]]
    return xs[0] if len(xs) == 1 else xs


def test_catalog_is_complete():
    names = {"Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
             "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
             "DepthwiseConv2D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
             "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
             "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
             "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
             "BatchNormalization", "LayerNormalization", "GroupNormalization",
             "UnitNormalization", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
             "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
             "Reshape", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D",
             "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D",
             "UpSampling2D", "UpSampling3D", "Concatenate", "Add", "Subtract", "Multiply",
             "Average", "Maximum", "Minimum", "Dot", "ReLU", "LeakyReLU", "PReLU", "ELU",
             "Softmax", "Rescaling", "Normalization", "Resizing", "CenterCrop", "RandomFlip",
             "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast"}
    assert names <= set(CLASSES)
    tested = {c["cls"] for c in ALL}
    assert names <= tested, names - tested


@pytest.mark.parametrize("case", ALL, ids=[c.get("name", c["cls"]) for c in ALL])
def test_config_round_trip(case):
    layer = make(case)
    config = layer.get_config()
    json.dumps(config)  # JSON-serializable
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    for key, value in case["kwargs"].items():
        assert key in config, key


@pytest.mark.parametrize("case", ALL, ids=[c.get("name", c["cls"]) for c in ALL])
def test_output_shape_dtype_and_symbolic_call(case):
    rng = np.random.default_rng(0)
    layer = make(case)
    x = inputs(case, rng)
    y = np.asarray(layer(x))
    assert y.dtype == np.float32
    shapes = [tuple(s) for s in case["shapes"]]
    arg = shapes[0] if len(shapes) == 1 else shapes
    assert tuple(layer.compute_output_shape(arg)) == y.shape
    # unknown batch size, as in a Functional model
    nones = [(None,) + s[1:] for s in shapes]
    expected = (None,) + y.shape[1:]
    assert tuple(layer.compute_output_shape(nones[0] if len(nones) == 1 else nones)) == expected
    fresh = make(case)
    sym = [keras.Input(shape=s[1:]) for s in shapes]
    out = fresh(sym[0] if len(sym) == 1 else sym)
    assert tuple(out.shape) == expected


@pytest.mark.parametrize("cls,kwargs,shape,names", [
    ("Conv2D", dict(filters=3, kernel_size=2), (1, 4, 4, 2), ["kernel", "bias"]),
    ("Conv2D", dict(filters=3, kernel_size=2, use_bias=False), (1, 4, 4, 2), ["kernel"]),
    ("SeparableConv2D", dict(filters=3, kernel_size=2), (1, 4, 4, 2),
     ["depthwise_kernel", "pointwise_kernel", "bias"]),
    ("DepthwiseConv1D", dict(kernel_size=2), (1, 4, 2), ["kernel", "bias"]),
    ("Conv2DTranspose", dict(filters=3, kernel_size=2), (1, 4, 4, 2), ["kernel", "bias"]),
    ("BatchNormalization", {}, (2, 3), ["gamma", "beta", "moving_mean", "moving_variance"]),
    ("BatchNormalization", dict(center=False), (2, 3),
     ["gamma", "moving_mean", "moving_variance"]),
    ("LayerNormalization", {}, (2, 3), ["gamma", "beta"]),
    ("GroupNormalization", dict(groups=3), (2, 3), ["gamma", "beta"]),
    ("PReLU", {}, (2, 3), ["alpha"]),
    ("Normalization", {}, (2, 3), ["mean", "variance", "count"]),
])
def test_weight_names_and_shapes(cls, kwargs, shape, names):
    layer = CLASSES[cls](**kwargs)
    layer(np.ones(shape, np.float32))
    assert [w.name for w in layer.weights] == names
    kernel_shapes = {"Conv2D": (2, 2, 2, 3), "Conv2DTranspose": (2, 2, 3, 2),
                     "DepthwiseConv1D": (2, 2, 1)}
    if cls in kernel_shapes:
        assert tuple(layer.weights[0].shape) == kernel_shapes[cls]


def test_functional_cnn_with_merges_builds_trains_and_serializes():
    inp = keras.Input((12, 12, 3))
    x = CLASSES["Conv2D"](6, 3, padding="same", activation="relu")(inp)
    x = CLASSES["BatchNormalization"]()(x)
    a = CLASSES["SeparableConv2D"](4, 3, padding="same")(x)
    b = CLASSES["DepthwiseConv2D"](3, padding="same", depth_multiplier=2)(x)
    b = CLASSES["Conv2D"](4, 1)(b)
    x = CLASSES["Concatenate"]()([CLASSES["Add"]()([a, b]), a])
    x = CLASSES["MaxPooling2D"]()(x)
    x = CLASSES["UpSampling2D"](interpolation="bilinear")(x)
    x = CLASSES["GlobalAveragePooling2D"]()(x)
    out = keras.layers.Dense(2, activation="softmax")(x)
    model = keras.Model(inp, out)
    rng = np.random.default_rng(0)
    xs = rng.random((16, 12, 12, 3), dtype=np.float32)
    ys = np.eye(2, dtype=np.float32)[rng.integers(0, 2, 16)]
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    history = model.fit(xs, ys, epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(xs, verbose=0), model.predict(xs, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_symbolic_tensors_carry_masks_and_call_sees_them_while_the_graph_is_built():
    """As in Keras, a KerasTensor holds its mask as `_keras_mask`: masking layers pass
    it on, others drop it, an overridden compute_mask gives the new one, and a `call`
    taking `mask` receives it while the Functional model is being built, too."""
    from minikeras import ops
    inp = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(10, 4, mask_zero=True)(inp)
    assert x._keras_mask.shape == (None, None) and x._keras_mask.dtype == "bool"
    assert keras.layers.Dense(3)(x)._keras_mask is x._keras_mask  # supports masking
    assert getattr(keras.layers.LSTM(2)(x), "_keras_mask", None) is None
    assert getattr(keras.Input((3,)), "_keras_mask", None) is None

    class Halves(keras.layers.Layer):
        def call(self, inputs):
            return ops.split(inputs, 2, axis=1)

        def compute_mask(self, inputs, mask=None):
            return None if mask is None else ops.split(mask, 2, axis=1)

    first, second = Halves()(keras.layers.Embedding(10, 4, mask_zero=True)(
        keras.Input((6,), dtype="int32")))
    assert first._keras_mask.shape == second._keras_mask.shape == (None, 3)

    seen = []

    class ZeroMasked(keras.layers.Layer):
        def call(self, inputs, mask=None):
            seen.append(mask is not None)
            return inputs * ops.expand_dims(ops.cast(mask, inputs.dtype), -1)

    model = keras.Model(inp, ZeroMasked()(x))
    assert seen and all(seen)
    out = model(np.array([[1, 2, 0], [3, 0, 0]]))
    assert np.all(out[0, 2] == 0) and np.all(out[1, 1:] == 0) and np.any(out[0, :2] != 0)
    # The mask is not recorded on the node: the config round trip rebuilds it.
    clone = keras.Model.from_config(model.get_config(), custom_objects={"ZeroMasked": ZeroMasked})
    clone.set_weights(model.get_weights())
    np.testing.assert_array_equal(clone(np.array([[1, 2, 0]])), out[:1])


def test_a_mask_reaching_a_layer_without_masking_warns_as_in_keras():
    # Embedding(mask_zero=True) -> Conv1D (no masking): Keras warns that the mask
    # is dropped, both when the model is built and when it runs.
    with pytest.warns(UserWarning, match="Layer 'conv1d' .*does not support masking"):
        model = keras.Sequential([keras.Input((5,), dtype="int32"),
                                  keras.layers.Embedding(10, 4, mask_zero=True),
                                  keras.layers.Conv1D(2, 3, name="conv1d")])
    assert model(np.array([[1, 2, 0, 0, 0]])).shape == (1, 3, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a layer that supports masking: no warning
        keras.Sequential([keras.Input((5,), dtype="int32"),
                          keras.layers.Embedding(10, 4, mask_zero=True),
                          keras.layers.LSTM(2)])


def test_keras2_batch_input_shape_is_accepted_with_a_deprecation_warning():
    # Keras 3 rejects `batch_input_shape=`; we run the Keras 2 code but name the new way,
    # and a config holding it (legacy files, our own round trip) restores silently.
    x = np.zeros((4, 5, 3), "float32")
    with pytest.warns(DeprecationWarning, match="batch_shape"):
        lstm = keras.layers.LSTM(2, stateful=True, batch_input_shape=(4, 5, 3))
    model = keras.Sequential([lstm])
    assert model.input_shape == (4, 5, 3)
    assert model.predict(x, verbose=0).shape == (4, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dense = keras.layers.Dense.from_config(
            {"units": 2, "batch_input_shape": [None, 3], "name": "d"})
    assert keras.Sequential([dense]).input_shape == (None, 3)
