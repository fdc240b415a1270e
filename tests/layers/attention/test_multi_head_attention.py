"""MultiHeadAttention and GroupQueryAttention: shapes, masks, errors, configs,
Functional graphs and numerical gradients (parity with Keras's numbers is in
test_attention_goldens.py)."""
import json

import numpy as np
import pytest
from autograd.tracer import getval

import minikeras as keras
from minikeras.backend.tape import GradientTape
from minikeras.layers.attention import attention_math as AM
from minikeras.layers.attention.grouped_query_attention import (
    GroupedQueryAttention, GroupQueryAttention)
from minikeras.layers.attention.multi_head_attention import MultiHeadAttention
from minikeras.layers.core.embedding import Embedding
from tests.gradcheck import check_grad

RNG = np.random.default_rng(0)
Q = RNG.standard_normal((2, 4, 6)).astype("float32")
V = RNG.standard_normal((2, 5, 6)).astype("float32")
K = RNG.standard_normal((2, 5, 3)).astype("float32")


def randomize(layer, scale=0.5, seed=1):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.standard_normal(w.shape).astype(w.dtype) * scale
                       for w in layer.weights])


# ----- shapes --------------------------------------------------------------------------
def test_shapes_weights_and_scores():
    layer = MultiHeadAttention(num_heads=3, key_dim=4, value_dim=2)
    out, scores = layer(Q, V, key=K, return_attention_scores=True)
    assert out.shape == (2, 4, 6) and out.dtype == np.float32
    assert scores.shape == (2, 3, 4, 5) and scores.dtype == np.float32
    np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-5)
    assert [(w.name, w.shape) for w in layer.weights] == [
        ("kernel", (6, 3, 4)), ("bias", (3, 4)), ("kernel", (3, 3, 4)), ("bias", (3, 4)),
        ("kernel", (6, 3, 2)), ("bias", (3, 2)), ("kernel", (3, 2, 6)), ("bias", (6,))]
    assert layer.query_dense.name == "query" and layer.output_dense.name == "attention_output"
    assert layer.num_heads == 3 and layer.key_dim == 4 and layer.value_dim == 2


def test_output_shape_argument_and_compute_output_shape():
    layer = MultiHeadAttention(2, 3, output_shape=(2, 5))
    assert layer(Q, V).shape == (2, 4, 2, 5)
    assert layer.compute_output_shape((None, 4, 6), (None, 5, 6)) == (None, 4, 2, 5)
    assert MultiHeadAttention(2, 3, output_shape=7)(Q, V).shape == (2, 4, 7)
    with pytest.raises(ValueError, match="except the last one"):
        layer.compute_output_shape((None, 4, 6), (None, 5, 6), (None, 3, 6))


def test_attention_axes_over_two_axes():
    x = RNG.standard_normal((2, 3, 4, 6)).astype("float32")
    layer = MultiHeadAttention(2, 3, attention_axes=(1, 2))
    out, scores = layer(x, x, return_attention_scores=True)
    assert out.shape == (2, 3, 4, 6) and scores.shape == (2, 2, 3, 4, 3, 4)
    np.testing.assert_allclose(scores.reshape(2, 2, 12, 12).sum(-1), 1.0, rtol=1e-5)
    assert layer.get_config()["attention_axes"] == (1, 2)


def test_functional_shapes_with_scores():
    q_in, v_in = keras.Input((7, 6)), keras.Input((9, 5))
    out, scores = MultiHeadAttention(2, 3)(q_in, v_in, return_attention_scores=True)
    assert out.shape == (None, 7, 6) and scores.shape == (None, 2, 7, 9)
    model = keras.Model([q_in, v_in], [out, scores])
    y, s = model.predict([np.ones((3, 7, 6), "float32"), np.ones((3, 9, 5), "float32")],
                         verbose=0)
    assert y.shape == (3, 7, 6) and s.shape == (3, 2, 7, 9)


# ----- masks ---------------------------------------------------------------------------
def test_causal_mask_blocks_the_future():
    x = RNG.standard_normal((2, 6, 4)).astype("float32")
    layer = MultiHeadAttention(2, 4)
    randomize(layer)
    out, scores = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    assert np.all(scores[..., np.triu_indices(6, 1)[0], np.triu_indices(6, 1)[1]] == 0)
    changed = x.copy()
    changed[:, 4:] += 3.0  # only positions 4 and 5 change
    again = layer(changed, changed, use_causal_mask=True)
    np.testing.assert_allclose(again[:, :4], layer(x, x, use_causal_mask=True)[:, :4],
                               rtol=1e-6, atol=1e-6)
    assert np.abs(again[:, 4:] - out[:, 4:]).max() > 1e-3
    # the fused path (no scores) gives the same numbers
    np.testing.assert_allclose(layer(x, x, use_causal_mask=True), out, rtol=1e-5, atol=1e-6)


def test_causal_mask_combines_with_attention_mask():
    x = RNG.standard_normal((1, 4, 4)).astype("float32")
    layer = MultiHeadAttention(1, 2)
    explicit = np.ones((1, 4, 4), bool)
    explicit[0, 3, 0] = False
    _, s = layer(x, x, attention_mask=explicit, use_causal_mask=True,
                 return_attention_scores=True)
    assert s[0, 0, 3, 0] == 0 and s[0, 0, 0, 1] == 0 and s[0, 0, 3, 1] > 0


def test_value_mask_removes_masked_positions():
    layer = MultiHeadAttention(2, 3)
    randomize(layer)
    vm = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    out = layer(Q, V, value_mask=vm)
    other = V.copy()
    other[0, 3:] = 100.0  # masked: must not matter
    np.testing.assert_allclose(layer(Q, other, value_mask=vm), out, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(layer(Q, V[:, :3][:1], value_mask=None)[0], out[0],
                               rtol=1e-5, atol=1e-6)


def test_explicit_query_mask_is_ignored_like_keras():
    layer = MultiHeadAttention(2, 3)
    qm = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    np.testing.assert_array_equal(layer(Q, V, query_mask=qm), layer(Q, V))


def test_fully_masked_rows_follow_keras_paths():
    """Fused path: uniform weights; softmax path: zero weights."""
    layer = MultiHeadAttention(1, 3)
    randomize(layer)
    am = np.ones((2, 4, 5), bool)
    am[0, 1] = False
    _, scores = layer(Q, V, attention_mask=am, return_attention_scores=True)
    assert np.all(scores[0, 0, 1] == 0)
    fused = layer(Q, V, attention_mask=am)
    v_proj = getval(layer.value_dense(V))[0, :, 0, :]      # (S, H)
    mean_value = v_proj.mean(0)
    expected = np.einsum("h,hd->d", mean_value, layer.output_dense.kernel.numpy()[0]) \
        + layer.output_dense.bias.numpy()
    np.testing.assert_allclose(fused[0, 1], expected, rtol=1e-5, atol=1e-6)


def test_functional_model_takes_keras_masks():
    """Embedding(mask_zero) -> MHA(x, x): the padding mask becomes the query and
    value masks (as Keras's `_keras_mask`), and the output keeps it."""
    ids = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 0]], np.int32)
    inp = keras.Input((5,), dtype="int32")
    emb = Embedding(10, 6, mask_zero=True)
    mha = MultiHeadAttention(2, 3)
    x = emb(inp)
    out = mha(x, x)
    model = keras.Model(inp, out)
    randomize(mha)
    got = model.predict(ids, verbose=0)
    x_val = emb(ids)
    mask = ids != 0
    expected = mha.call(x_val, x_val, query_mask=mask, value_mask=mask)
    np.testing.assert_allclose(got, getval(expected), rtol=1e-5, atol=1e-6)
    assert np.abs(got - mha(x_val, x_val)).max() > 1e-4  # the mask mattered
    np.testing.assert_array_equal(mha.compute_mask(x_val, [mask, mask]), mask)


# ----- errors and config ---------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    (dict(num_heads=0, key_dim=2), "num_heads"),
    (dict(num_heads=2, key_dim=-1), "key_dim"),
    (dict(num_heads=2, key_dim=2, value_dim=0), "value_dim"),
    (dict(num_heads=2, key_dim=2, attention_axes="x"), "attention_axes"),
    (dict(num_heads=2, key_dim=2, sliding_window=0), "sliding_window"),
    (dict(num_heads=2, key_dim=2, dropout=0.1, flash_attention=True), "flash attention"),
])
def test_constructor_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiHeadAttention(**kwargs)


def test_call_errors_name_the_layer_and_shapes():
    layer = MultiHeadAttention(2, 3, name="mha_x")
    with pytest.raises(ValueError, match=r"key_shape=\(2, 3, 3\)"):
        layer(Q, V, key=K[:, :3])
    with pytest.raises(ValueError, match="mha_x"):
        MultiHeadAttention(2, 3, name="mha_x")(np.ones((4, 6), "float32"), np.ones((4, 6)))
    with pytest.raises(ValueError, match="attention_axes"):
        MultiHeadAttention(2, 3, attention_axes=(3,))(Q, V)
    with pytest.raises(ValueError, match="requires a `value`"):
        MultiHeadAttention(2, 3)(Q)
    with pytest.raises(ValueError, match="[Ff]lash attention"):
        MultiHeadAttention(2, 3, flash_attention=True)(Q, V)


def test_config_roundtrip_and_build_config():
    layer = MultiHeadAttention(2, 3, value_dim=4, dropout=0.1, output_shape=(5,),
                               kernel_initializer="he_normal", use_bias=False, seed=3,
                               kernel_regularizer="l2", name="attn")
    layer(Q, V, key=K)
    config = layer.get_config()
    json.dumps(config)
    clone = MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    assert layer.get_build_config() == {"shapes_dict": {
        "query_shape": [2, 4, 6], "value_shape": [2, 5, 6], "key_shape": [2, 5, 3]}}
    clone.build_from_config(layer.get_build_config())
    assert [w.shape for w in clone.weights] == [w.shape for w in layer.weights]
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(Q, V, key=K), layer(Q, V, key=K), rtol=1e-6)
    assert len(layer.losses) == 4  # kernel regularizer on each projection


def test_dropout_only_in_training():
    layer = MultiHeadAttention(2, 3, dropout=0.5, seed=1)
    plain = MultiHeadAttention(2, 3)
    plain(Q, V)
    layer(Q, V)
    randomize(layer)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(Q, V, training=False), plain(Q, V), rtol=1e-5, atol=1e-6)
    a = layer(Q, V, training=True)
    b = layer(Q, V, training=True)
    assert np.abs(a - b).max() > 1e-4
    _, scores = layer(Q, V, training=True, return_attention_scores=True)
    np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-5)  # scores before dropout


def test_gate_and_sliding_window():
    x = RNG.standard_normal((1, 6, 4)).astype("float32")
    layer = MultiHeadAttention(2, 2, use_gate=True, sliding_window=2)
    _, s = layer(x, x, return_attention_scores=True)
    band = np.abs(np.arange(6)[:, None] - np.arange(6)[None]) < 2
    assert np.all(s[0, :, ~band] == 0) and np.all(s[0, :, band] > 0)
    assert [w.name for w in layer.weights].count("kernel") == 5


# ----- gradients -----------------------------------------------------------------------
@pytest.mark.parametrize("call_kwargs", [
    {},
    {"use_causal_mask": True},
    {"return_attention_scores": True,
     "attention_mask": np.array([[1, 1, 0, 1, 1], [0, 1, 1, 1, 1]], bool)[:, None, :]},
])
def test_numerical_gradients(call_kwargs):
    layer = MultiHeadAttention(2, 3, dtype="float64")
    q, v = Q.astype("float64"), V.astype("float64")
    layer(q, v)
    randomize(layer)

    def first(out):
        return out[0] if isinstance(out, tuple) else out
    check_grad(lambda a: first(layer(a, v, **call_kwargs)), q)
    check_grad(lambda b: first(layer(q, b, **call_kwargs)), v)


def test_attention_math_uses_gemm_path_equal_to_einsum():
    q = RNG.standard_normal((2, 4, 3, 5))
    k = RNG.standard_normal((2, 6, 3, 5))
    v = RNG.standard_normal((2, 6, 3, 2))
    keep = RNG.random((2, 1, 4, 6)) > 0.3
    keep[..., 0] = True
    logits = np.einsum("btnh,bsnh->bnts", q, k) * 0.5
    logits = np.where(keep, logits, -1e30)
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    expected = np.einsum("bnts,bsnh->btnh", p, v)
    np.testing.assert_allclose(AM.dot_product_attention_4d(q, k, v, keep, 0.5), expected,
                               rtol=1e-10)
    check_grad(lambda a: AM.dot_product_attention_4d(a, k, v, keep, 0.5), q)
    check_grad(lambda a: AM.dot_product_attention_4d(q, a, v, keep, 0.5), k)
    check_grad(lambda a: AM.dot_product_attention_4d(q, k, a, keep, 0.5), v)


def test_gradients_through_tape_reach_all_projections():
    layer = MultiHeadAttention(2, 3)
    layer(Q, V)
    with GradientTape() as tape:
        loss = (layer(Q, V) ** 2).sum()
    grads = tape.gradient(loss, layer.trainable_weights)
    assert all(g is not None and g.dtype == np.float32 for g in grads)


# ----- GroupQueryAttention -------------------------------------------------------------
def test_gqa_names_shapes_and_errors():
    assert GroupQueryAttention is GroupedQueryAttention
    layer = GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    out, scores = layer(Q, V, return_attention_scores=True)
    assert out.shape == (2, 4, 6) and scores.shape == (2, 4, 4, 5)
    assert [w.shape for w in layer.weights][:4] == [(6, 4, 3), (4, 3), (6, 2, 3), (2, 3)]
    with pytest.raises(ValueError, match="divisible"):
        GroupQueryAttention(2, 4, 3)
    with pytest.raises(ValueError, match="must be equal"):
        layer.compute_output_shape((None, 4, 6), (None, 5, 7))
    q_in, v_in = keras.Input((4, 6)), keras.Input((5, 6))
    o, s = GroupQueryAttention(2, 4, 1)(q_in, v_in, return_attention_scores=True)
    assert o.shape == (None, 4, 6) and s.shape == (None, 4, 4, 5)


def test_gqa_with_all_heads_equals_multi_head_attention():
    gqa = GroupQueryAttention(head_dim=3, num_query_heads=2, num_key_value_heads=2)
    mha = MultiHeadAttention(num_heads=2, key_dim=3)
    gqa(Q, V)
    mha(Q, V)
    randomize(gqa)
    mha.set_weights(gqa.get_weights())
    for kw in ({}, {"use_causal_mask": True}, {"return_attention_scores": True}):
        a, b = gqa(Q, Q, **kw), mha(Q, Q, **kw)
        for x, y in zip(a if isinstance(a, tuple) else [a], b if isinstance(b, tuple) else [b]):
            np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def test_gqa_config_and_gradients():
    layer = GroupQueryAttention(2, 4, 2, dropout=0.2, use_gate=True, sliding_window=3)
    layer(Q, V)
    config = layer.get_config()
    assert GroupQueryAttention.from_config(config).get_config() == config
    g = GroupQueryAttention(2, 2, 1, dtype="float64")
    q, v = Q.astype("float64"), V.astype("float64")
    g(q, v)
    randomize(g)
    check_grad(lambda a: g(a, v, use_causal_mask=False), q)
    check_grad(lambda b: g(q, b), v)
