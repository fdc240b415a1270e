"""EinsumDense, Wrapper, SpectralNormalization, the adaptive pooling layers and
ReversibleEmbedding: shapes, errors, configs, gradients and training (the
comparisons with real Keras are in tests/layers/attention/test_attention_goldens.py)."""
import json
import math

import numpy as np
import pytest

import minikeras as keras
from minikeras.backend.tape import GradientTape
from minikeras.layers.convolutional.conv2d import Conv2D
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.einsum_dense import EinsumDense
from minikeras.layers.core.embedding import Embedding
from minikeras.layers.core.reversible_embedding import ReversibleEmbedding
from minikeras.layers.core.wrapper import Wrapper
from minikeras.layers.normalization.spectral_normalization import SpectralNormalization
from minikeras.layers.pooling import adaptive_pooling as AP
from tests.gradcheck import check_grad

RNG = np.random.default_rng(0)


# ----- EinsumDense ---------------------------------------------------------------------
EQUATIONS = [
    ("ab,bc->ac", 4, (3, 5), "c"),
    ("abc,cde->abde", (None, 2, 3), (2, 4, 5), "de"),
    ("abcd,cde->abe", (None, 6), (2, 3, 4, 5), "e"),
    ("...b,bc->...c", 3, (2, 3, 4, 5), "c"),
    ("ab...,bc->ac...", (3,), (2, 4, 3, 2), "c"),
    ("abc,bcd->abd", (3, 2), (2, 3, 4), "bd"),   # a batch letter: einsum fallback
    ("abc,dc->adb", (3, None), (2, 4, 5), None),  # transposed kernel and output
    ("ab,c->abc", (3, 4), (2, 3), "bc"),         # no contraction
]


@pytest.mark.parametrize("eq, out_shape, x_shape, bias_axes", EQUATIONS)
def test_einsum_dense_matches_numpy_einsum(eq, out_shape, x_shape, bias_axes):
    layer = EinsumDense(eq, output_shape=out_shape, bias_axes=bias_axes,
                        bias_initializer="random_normal")
    x = RNG.standard_normal(x_shape).astype("float32")
    y = layer(x)
    expected = np.einsum(eq, x, layer.kernel.numpy())
    if layer.bias is not None:
        expected = expected + layer.bias.numpy()
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    predicted = layer.compute_output_shape(x_shape)
    assert all(p is None or p == s for p, s in zip(predicted, y.shape))
    assert len(predicted) == y.ndim


@pytest.mark.parametrize("eq, out_shape, x_shape, bias_axes", EQUATIONS)
def test_einsum_dense_gradients(eq, out_shape, x_shape, bias_axes):
    layer = EinsumDense(eq, output_shape=out_shape, bias_axes=bias_axes, activation="tanh",
                        dtype="float64")
    x = RNG.standard_normal(x_shape)
    layer(x)
    check_grad(lambda a: layer(a), x)
    check_grad(lambda k: layer._plan(x, k), layer.kernel.numpy())  # the GEMM plan's kernel VJP


def test_einsum_dense_kernel_fans_and_config():
    layer = EinsumDense("abc,cde->abde", output_shape=(None, 8, 16), bias_axes="de",
                        kernel_initializer="glorot_uniform")
    layer.build((None, 10, 64))
    # Glorot over fan_in = c (64) and fan_out = d * e (128), not the last two axes
    limit = math.sqrt(6.0 / (64 + 128))
    k = layer.kernel.numpy()
    assert k.shape == (64, 8, 16) and np.abs(k).max() <= limit
    assert np.abs(k).max() > 0.9 * limit
    assert layer.bias.shape == (8, 16)
    assert layer.compute_output_shape((None, 10, 64)) == (None, None, 8, 16)
    config = layer.get_config()
    json.dumps(config)
    assert config["output_shape"] == (None, 8, 16) and config["equation"] == "abc,cde->abde"
    assert EinsumDense.from_config(config).get_config() == config
    sym = EinsumDense("ab,bc->ac", output_shape=4)(keras.Input((5,)))
    assert sym.shape == (None, 4)


@pytest.mark.parametrize("eq, out_shape, x_shape, bias_axes, match", [
    ("ab,bc", 4, (3, 5), None, "Invalid einsum equation"),
    ("abc,cd->abd", (7, 4), (2, 3, 5), None, "do not match at shared dimension 'b'"),
    ("ab,bc->ad", 4, (3, 5), None, "'d' was specified in the output"),
    ("ab,bcx->ac", 4, (3, 5), None, "Weight dimension 'x'"),
    ("ab,bc->ac", 4, (3, 5), "z", "Bias dimension 'z'"),
    ("abc,cd->abd", (None, None), (2, 3, 5), None, "unknown dimensions"),
])
def test_einsum_dense_errors(eq, out_shape, x_shape, bias_axes, match):
    with pytest.raises(ValueError, match=match):
        EinsumDense(eq, output_shape=out_shape, bias_axes=bias_axes,
                    name="ed")(np.ones(x_shape, "float32"))


def test_einsum_dense_rank_checked_after_build():
    layer = EinsumDense("abc,cd->abd", output_shape=(None, 4), name="proj")
    layer(np.ones((2, 3, 5), "float32"))
    with pytest.raises(ValueError, match="proj"):
        layer(np.ones((2, 5), "float32"))
    with pytest.raises(NotImplementedError):
        EinsumDense("ab,bc->ac", 4, lora_rank=2)


def test_einsum_dense_trains_in_fit():
    keras.utils.set_random_seed(0)
    x = RNG.standard_normal((256, 6)).astype("float32")
    y = (x @ RNG.standard_normal((6, 2))).astype("float32")
    model = keras.Sequential([keras.Input((6,)), EinsumDense("ab,bc->ac", 2, bias_axes="c")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]


# ----- Wrapper ---------------------------------------------------------------------------
def test_wrapper_builds_inner_layer_and_serializes():
    w = Wrapper(Dense(3))
    w.build((None, 4))
    assert w.layer.built and w.layer.kernel.shape == (4, 3)
    config = w.get_config()
    assert config["layer"]["class_name"] == "Dense"
    clone = Wrapper.from_config(json.loads(json.dumps(config)))
    assert isinstance(clone.layer, Dense) and clone.layer.units == 3
    with pytest.raises(ValueError, match="isn't a supported layer type"):
        Wrapper("dense")


# ----- SpectralNormalization -----------------------------------------------------------
def test_spectral_normalization_power_iteration_converges():
    layer = SpectralNormalization(Dense(6), power_iterations=1)
    x = RNG.standard_normal((4, 5)).astype("float32")
    layer(x)
    assert [w.name for w in layer.weights] == ["kernel", "vector_u", "bias"]
    assert [w.name for w in layer.trainable_weights] == ["kernel", "bias"]
    before = layer.layer.kernel.numpy()
    y_inference = layer(x)
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), before)  # inference: no change
    np.testing.assert_allclose(y_inference, layer.layer(x), rtol=1e-6)
    for _ in range(30):
        y = layer(x, training=True)
    kernel = layer.layer.kernel.numpy()
    assert abs(np.linalg.svd(kernel, compute_uv=False)[0] - 1.0) < 1e-3
    np.testing.assert_allclose(y, x @ kernel + layer.layer.bias.numpy(), rtol=1e-5, atol=1e-6)


def test_spectral_normalization_wraps_conv_and_embedding_and_serializes():
    conv = SpectralNormalization(Conv2D(3, 2), power_iterations=2)
    out = conv(np.ones((1, 5, 5, 2), "float32"), training=True)
    assert out.shape == (1, 4, 4, 3) and conv.compute_output_shape((None, 5, 5, 2)) == (
        None, 4, 4, 3)
    emb = SpectralNormalization(Embedding(10, 4))
    emb.build((None, 3))
    assert emb.kernel is emb.layer.embeddings
    config = conv.get_config()
    assert config["power_iterations"] == 2 and config["layer"]["class_name"] == "Conv2D"
    clone = SpectralNormalization.from_config(json.loads(json.dumps(config)))
    assert isinstance(clone.layer, Conv2D) and clone.power_iterations == 2
    with pytest.raises(ValueError, match="power_iterations"):
        SpectralNormalization(Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="nor 'embeddings'"):
        SpectralNormalization(keras.layers.Flatten()).build((None, 3))
    with pytest.raises(ValueError, match=r"\(1, 5, 5, 7\)"):
        conv(np.ones((1, 5, 5, 7), "float32"))


def test_spectral_normalization_in_fit_keeps_unit_spectral_norm():
    keras.utils.set_random_seed(1)
    x = RNG.standard_normal((128, 5)).astype("float32")
    y = np.tanh(x[:, :1] - x[:, 1:2]).astype("float32")
    sn = SpectralNormalization(Dense(8, activation="tanh"), power_iterations=1)
    model = keras.Sequential([keras.Input((5,)), sn, Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
    # the kernel is normalized before each step: sigma stays near one
    sigma = np.linalg.svd(sn.layer.kernel.numpy(), compute_uv=False)[0]
    assert 0.8 < sigma < 1.3


def test_spectral_normalization_gradient_flows_to_normalized_kernel():
    layer = SpectralNormalization(Dense(3))
    x = RNG.standard_normal((4, 5)).astype("float32")
    layer(x)
    with GradientTape() as tape:
        out = layer(x, training=True)
        loss = (out * out).sum()
    g_kernel, g_bias = tape.gradient(loss, layer.trainable_weights)
    normalized = layer.layer.kernel.numpy()   # the call replaced the kernel
    expected = x.T @ (2 * (x @ normalized + layer.layer.bias.numpy()))
    np.testing.assert_allclose(g_kernel, expected, rtol=1e-4, atol=1e-5)


# ----- adaptive pooling --------------------------------------------------------------------
def reference_pool(x, out_size, kind, channels_first):
    """Pool every spatial axis with PyTorch's windows, cell by cell."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    result = np.zeros((x.shape[0], *out_size, x.shape[-1]), x.dtype)
    for idx in np.ndindex(*out_size):
        box = tuple(slice(math.floor(i * n / o), math.ceil((i + 1) * n / o))
                    for i, n, o in zip(idx, spatial, out_size))
        cell = x[(slice(None),) + box + (slice(None),)]
        axes = tuple(range(1, 1 + len(spatial)))
        result[(slice(None),) + idx + (slice(None),)] = (
            cell.mean(axis=axes) if kind == "average" else cell.max(axis=axes))
    return np.moveaxis(result, -1, 1) if channels_first else result


@pytest.mark.parametrize("cls, in_shape, out_size, channels_first", [
    (AP.AdaptiveAveragePooling1D, (2, 10, 3), (4,), False),
    (AP.AdaptiveMaxPooling1D, (2, 3, 5), (7,), True),
    (AP.AdaptiveAveragePooling2D, (2, 7, 9, 2), (3, 4), False),
    (AP.AdaptiveMaxPooling2D, (2, 2, 9, 7), (4, 3), True),
    (AP.AdaptiveAveragePooling3D, (1, 5, 6, 7, 2), (2, 3, 4), False),
    (AP.AdaptiveMaxPooling3D, (1, 2, 5, 4, 3), (3, 2, 2), True),
])
def test_adaptive_pooling_binning_and_gradients(cls, in_shape, out_size, channels_first):
    data_format = "channels_first" if channels_first else "channels_last"
    layer = cls(out_size if len(out_size) > 1 else out_size[0], data_format=data_format)
    x = RNG.standard_normal(in_shape).astype("float32")
    kind = "average" if "Average" in cls.__name__ else "max"
    y = layer(x)
    np.testing.assert_allclose(y, reference_pool(x, out_size, kind, channels_first), rtol=1e-5,
                               atol=1e-7)
    assert y.shape == layer.compute_output_shape(in_shape) and y.dtype == np.float32
    check_grad(cls(out_size, data_format=data_format, dtype="float64"), x.astype("float64"))
    config = layer.get_config()
    assert config["output_size"] == tuple(out_size) and config["data_format"] == data_format
    assert cls.from_config(json.loads(json.dumps(config))).output_size == tuple(out_size)


def test_adaptive_pooling_errors():
    with pytest.raises(TypeError, match=r"\(height, width\)"):
        AP.AdaptiveAveragePooling2D((2, 2, 2))
    with pytest.raises(ValueError, match="length 1"):
        AP.AdaptiveMaxPooling1D((2, 3))
    with pytest.raises(ValueError, match="data_format"):
        AP.AdaptiveMaxPooling1D(2, data_format="channels_middle")
    with pytest.raises(ValueError, match="adaptive_max_pooling2d"):
        AP.AdaptiveMaxPooling2D(2)(np.ones((2, 5, 3), "float32"))
    assert AP.AdaptiveAveragePooling2D(3)(keras.Input((8, 8, 2))).shape == (None, 3, 3, 2)


# ----- ReversibleEmbedding ------------------------------------------------------------------
def test_reversible_embedding_tied_and_untied():
    ids = np.array([[1, 4, 0], [2, 0, 0]], np.int32)
    tied = ReversibleEmbedding(9, 4, mask_zero=True)
    hidden = tied(ids)
    logits = tied(hidden, reverse=True)
    np.testing.assert_allclose(logits, hidden @ tied.embeddings.numpy().T, rtol=1e-6)
    assert logits.shape == (2, 3, 9) and [w.name for w in tied.weights] == ["embeddings"]
    np.testing.assert_array_equal(tied.compute_mask(ids), ids != 0)
    assert tied.compute_mask(hidden) is None
    assert tied.compute_output_shape((None, 3)) == (None, 3, 4)
    assert tied.compute_output_shape((None, 3, 4), reverse=True) == (None, 3, 9)
    untied = ReversibleEmbedding(9, 4, tie_weights=False, logit_soft_cap=1.5)
    h = untied(ids)
    capped = untied(h, reverse=True)
    assert [w.name for w in untied.weights] == ["embeddings", "reverse_embeddings"]
    np.testing.assert_allclose(capped, np.tanh(h @ untied.reverse_embeddings.numpy() / 1.5) * 1.5,
                               rtol=1e-5)
    with pytest.raises(ValueError, match=r"output_dim=4.*\(2, 3, 5\)"):
        untied(np.ones((2, 3, 5), "float32"), reverse=True)
    config = untied.get_config()
    clone = ReversibleEmbedding.from_config(json.loads(json.dumps(config)))
    assert clone.get_config() == json.loads(json.dumps(config))


def test_reversible_embedding_language_model_fit():
    """Tied input/output embeddings in a Functional model trained with fit."""
    keras.utils.set_random_seed(2)
    ids = RNG.integers(1, 12, size=(512, 6)).astype("int32")
    inp = keras.Input((6,), dtype="int32")
    emb = ReversibleEmbedding(12, 16)
    logits = emb(Dense(16, activation="tanh")(emb(inp)), reverse=True)
    model = keras.Model(inp, logits)
    model.compile(optimizer=keras.optimizers.Adam(0.02),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(ids, ids, epochs=8, batch_size=64, verbose=0)
    assert history.history["accuracy"][-1] > 0.95
    assert len(model.trainable_weights) == 3  # embeddings shared by both directions
