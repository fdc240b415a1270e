"""Attention (Luong) and AdditiveAttention (Bahdanau): shapes, masks, errors,
configs, Functional masks and numerical gradients."""
import json

import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.attention.additive_attention import AdditiveAttention
from minikeras.layers.attention.attention import Attention
from minikeras.layers.core.embedding import Embedding
from tests.gradcheck import check_grad

RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 3, 4)).astype("float32")
V = RNG.standard_normal((2, 5, 4)).astype("float32")
K = RNG.standard_normal((2, 5, 4)).astype("float32")


def reference(q, v, k, scores_fn, q_mask=None, v_mask=None, causal=False):
    """Plain numpy attention (Keras's rules: masked scores get -1e9)."""
    s = scores_fn(q, k)
    if v_mask is not None:
        s = np.where(v_mask[:, None, :], s, s - 1e9)
    if causal:
        s = np.where(np.tril(np.ones(s.shape[-2:], bool)), s, s - 1e9)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    out = w @ v
    if q_mask is not None:
        out = out * q_mask[..., None]
    return out, w


@pytest.mark.parametrize("cls", [Attention, AdditiveAttention])
def test_matches_numpy_reference_with_masks(cls):
    layer = cls()
    qm = np.array([[1, 1, 0], [1, 0, 1]], bool)
    vm = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
    out, w = layer([Q, V, K], mask=[qm, vm], return_attention_scores=True)
    if cls is Attention:
        def scores(q, k):
            return q @ np.swapaxes(k, -1, -2)
    else:
        scale = layer.scale.numpy()

        def scores(q, k):
            return (scale * np.tanh(q[:, :, None] + k[:, None])).sum(-1)
    ref_out, ref_w = reference(Q, V, K, scores, qm, vm)
    np.testing.assert_allclose(out, ref_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(w, ref_w, rtol=1e-5, atol=1e-7)
    assert out.dtype == np.float32 and w.dtype == np.float32


def test_scale_concat_and_causal():
    layer = Attention(use_scale=True, score_mode="concat")
    layer([Q, V])
    layer.set_weights([np.float32(0.7), np.float32(1.3)])
    x = RNG.standard_normal((2, 5, 4)).astype("float32")
    out, w = layer([x, x], use_causal_mask=True, return_attention_scores=True)

    def scores(q, k):
        return 1.3 * np.tanh(0.7 * (q[:, :, None] + k[:, None])).sum(-1)
    ref_out, ref_w = reference(x, x, x, scores, causal=True)
    np.testing.assert_allclose(out, ref_out, rtol=1e-5, atol=1e-6)
    assert np.all(w[:, np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] == 0)
    assert [v.name for v in layer.weights] == ["scale", "concat_score_weight"]


def test_shapes_and_functional_masks():
    ids = np.array([[4, 2, 0, 0], [1, 3, 5, 0]], np.int32)
    inp = keras.Input((4,), dtype="int32")
    emb = Embedding(8, 4, mask_zero=True)
    x = emb(inp)
    att = Attention()
    out, scores = att([x, x], return_attention_scores=True)
    assert out.shape == (None, 4, 4) and scores.shape == (None, 4, 4)
    model = keras.Model(inp, [out, scores])
    y, s = model.predict(ids, verbose=0)
    e = emb(ids)
    mask = ids != 0
    ref_y, ref_s = att([e, e], mask=[mask, mask], return_attention_scores=True)
    np.testing.assert_allclose(y, ref_y, rtol=1e-6)
    np.testing.assert_allclose(s, ref_s, rtol=1e-6)
    assert np.all(s[0, :, 2:] == 0)  # padded values get no weight
    np.testing.assert_array_equal(att.compute_mask([e, e], [mask, mask]), mask)
    assert att.compute_mask([e, e], None) is None
    assert AdditiveAttention().compute_output_shape([(None, 3, 4), (None, 5, 6)]) == (None, 3, 6)


def test_errors():
    layer = Attention(name="att")
    with pytest.raises(ValueError, match="list of inputs"):
        layer((Q, V))
    with pytest.raises(ValueError, match="length 2 or 3"):
        layer([Q])
    with pytest.raises(ValueError, match="mask must be a list"):
        layer([Q, V], mask=np.ones((2, 5), bool))
    with pytest.raises(ValueError, match=r"att.*query.shape=\(2, 3, 4\).*key.shape=\(2, 5, 6\)"):
        Attention(name="att")([Q, V, np.ones((2, 5, 6), "float32")])
    with pytest.raises(ValueError, match="score_mode"):
        Attention(score_mode="additive")


@pytest.mark.parametrize("cls, kwargs", [(Attention, dict(use_scale=True, dropout=0.2, seed=4)),
                                         (Attention, dict(score_mode="concat")),
                                         (AdditiveAttention, dict(use_scale=False))])
def test_config_roundtrip(cls, kwargs):
    layer = cls(**kwargs)
    layer([Q, V])
    config = layer.get_config()
    json.dumps(config)
    clone = cls.from_config(config)
    assert clone.get_config() == config
    assert "score_mode" not in config if cls is AdditiveAttention else "score_mode" in config


def test_dropout_in_training_only():
    layer = Attention(dropout=0.5, seed=0)
    a = layer([Q, V], training=False)
    np.testing.assert_array_equal(a, layer([Q, V]))
    assert np.abs(layer([Q, V], training=True) - a).max() > 1e-4


@pytest.mark.parametrize("cls", [Attention, AdditiveAttention])
def test_numerical_gradients(cls):
    layer = cls(use_scale=True, dtype="float64")
    q, v, k = (t.astype("float64") for t in (Q, V, K))
    vm = np.array([[1, 1, 0, 1, 1], [1, 1, 1, 1, 0]], bool)
    layer([q, v, k])
    check_grad(lambda a: layer([a, v, k], mask=[None, vm]), q)
    check_grad(lambda a: layer([q, a, k], use_causal_mask=True), v)
    check_grad(lambda a: layer([q, v, a]), k)
