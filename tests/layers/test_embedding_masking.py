"""Embedding (lookup, scatter-add gradient, mask_zero) and Masking."""
import warnings

import numpy as np
import pytest
from autograd.tracer import getval

import minikeras as keras
from minikeras.backend import embedding_primitives as E
from minikeras.backend.tape import GradientTape
from minikeras.layers.core.embedding import Embedding
from minikeras.layers.core.masking import Masking
from minikeras.layers.rnn.lstm import LSTM
from tests.gradcheck import check_grad

IDS = np.array([[3, 7, 1, 9, 0, 0], [0, 0, 5, 2, 8, 4]], np.int32)


# ----- Embedding ---------------------------------------------------------------------------
def test_lookup_shapes_and_dtype():
    layer = Embedding(10, 4)
    out = layer(IDS)
    assert out.shape == (2, 6, 4) and out.dtype == np.float32
    np.testing.assert_array_equal(out, layer.embeddings.numpy()[IDS])
    np.testing.assert_array_equal(layer(IDS.astype(np.float32)), out)  # floats are cast
    assert layer(np.array([1, 2])).shape == (2, 4)
    assert layer.compute_output_shape((None, 6)) == (None, 6, 4)
    inp = keras.Input((6,), dtype="int32")
    sym = layer(inp)
    assert sym.shape == (None, 6, 4) and sym.dtype == "float32"
    assert [v.name for v in layer.weights] == ["embeddings"]


def test_mask_zero():
    assert Embedding(10, 4).compute_mask(IDS) is None
    layer = Embedding(10, 4, mask_zero=True)
    np.testing.assert_array_equal(layer.compute_mask(IDS), IDS != 0)
    assert layer.supports_masking and not Embedding(10, 4).supports_masking


def test_arguments_and_errors():
    with pytest.raises(ValueError, match="input_dim"):
        Embedding(0, 3)
    with pytest.raises(ValueError, match="output_dim"):
        Embedding(3, 2.5)
    layer = Embedding(10, 4, name="emb")
    with pytest.raises(ValueError, match=r"emb.*index 12.*\[0, 10\)"):
        layer(np.array([[1, 12]]))
    with pytest.raises(ValueError, match=r"emb.*index -1"):
        layer(np.array([[-1, 2]]))
    with pytest.warns(DeprecationWarning, match="input_length"):
        Embedding(10, 4, input_length=6)
    table = np.arange(12, dtype=np.float32).reshape(6, 2)
    preset = Embedding(6, 2, weights=[table])
    np.testing.assert_array_equal(preset(np.array([5])), table[5:6])


def test_config_roundtrip_and_regularizer():
    layer = Embedding(10, 3, mask_zero=True, embeddings_regularizer="l2",
                      embeddings_constraint="unit_norm", embeddings_initializer="ones")
    layer(IDS)
    cfg = layer.get_config()
    assert cfg["mask_zero"] is True and cfg["input_dim"] == 10
    clone = Embedding.from_config(cfg)
    clone(IDS)
    np.testing.assert_array_equal(clone.embeddings.numpy(), np.ones((10, 3)))
    assert clone.get_config() == cfg | {"name": clone.name}
    assert len(layer.losses) == 1 and float(getval(layer.losses[0])) > 0


@pytest.mark.parametrize("rows,n", [(10, 40), (1000, 50), (300, 4000)],
                         ids=["onehot", "sorted_runs", "bincount"])
def test_scatter_add_matches_add_at(rows, n):
    rng = np.random.default_rng(0)
    ids = rng.integers(0, rows, n)
    g = rng.standard_normal((n, 5)).astype(np.float32)
    want = np.zeros((rows, 5), np.float32)
    np.add.at(want, ids, g)
    got = E.scatter_add_rows(g, ids, rows)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("rows", [8, 200], ids=["onehot", "sorted_runs"])
def test_lookup_gradient_numerically(rows):
    rng = np.random.default_rng(1)
    table = rng.standard_normal((rows, 3))
    ids = rng.integers(0, rows, (4, 5))
    ids[0, :3] = 2  # repeated rows accumulate
    check_grad(lambda t: E.embedding_lookup(t, ids), table, eps=1e-6, rtol=1e-6, atol=1e-9)


def test_layer_gradient_through_tape():
    layer = Embedding(10, 4)
    layer(IDS)
    r = np.random.default_rng(2).standard_normal((2, 6, 4)).astype(np.float32)
    with GradientTape() as tape:
        loss = (layer(IDS) * r).sum()
    g = tape.gradient(loss, layer.embeddings)
    want = np.zeros((10, 4), np.float32)
    np.add.at(want, IDS.ravel(), r.reshape(-1, 4))
    np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-6)


# ----- Masking --------------------------------------------------------------------------------
X = np.random.default_rng(3).standard_normal((2, 5, 3)).astype(np.float32)
X[0, 3:] = 0.0
X[1, 0] = 0.0
X[1, 2, 0] = 0.0  # one zero feature does not mask the step


def test_masking_output_and_mask():
    layer = Masking()
    out = layer(X)
    want_mask = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], bool)
    np.testing.assert_array_equal(layer.compute_mask(X), want_mask)
    np.testing.assert_array_equal(out, X * want_mask[..., None])
    assert layer.compute_output_shape((None, 5, 3)) == (None, 5, 3)
    x = X.copy()
    x[1, 4] = -1.0
    np.testing.assert_array_equal(Masking(-1.0).compute_mask(x)[1],
                                  [True, True, True, True, False])
    assert Masking(2.5).get_config()["mask_value"] == 2.5
    assert Masking.from_config(Masking(2.5).get_config()).mask_value == 2.5


def test_masking_gradient():
    layer = Masking(mask_value=0.0)
    x = X.copy()
    x[0, 1] = 5.0  # a masked step must have all features equal to mask_value
    with GradientTape() as tape:
        tape.watch(x)
        loss = (layer(x) * 2.0).sum()
    g = tape.gradient(loss, x)
    np.testing.assert_array_equal(g, 2.0 * layer.compute_mask(x)[..., None] * np.ones_like(x))


def test_masking_feeds_lstm_in_models():
    masking, lstm = Masking(), LSTM(3, return_sequences=True)
    seq = keras.Sequential([keras.Input((5, 3)), masking, lstm])
    want = lstm(masking(X), mask=masking.compute_mask(X))
    np.testing.assert_allclose(seq(X), want, rtol=1e-6)
    inp = keras.Input((5, 3))
    func = keras.Model(inp, lstm(masking(inp)))
    np.testing.assert_allclose(func(X), want, rtol=1e-6)
    # masked steps carry the previous output
    np.testing.assert_array_equal(want[0, 4], want[0, 2])


def test_direct_call_with_mask_matches_model():
    emb, lstm = Embedding(10, 4, mask_zero=True), LSTM(2)
    model = keras.Sequential([keras.Input((6,), dtype="int32"), emb, lstm])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(model(IDS), lstm(emb(IDS), mask=emb.compute_mask(IDS)),
                                   rtol=1e-6)
