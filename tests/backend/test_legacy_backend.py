"""The Keras 2 `keras.backend` functions: values (more against real Keras in
`tests/ops/test_ops_goldens.py`, family `backend`), variables, K.function,
learning phase, rnn, and use inside training."""
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import backend as K
from minikeras import ops
from minikeras.backend import GradientTape, Variable


def test_variables_constants_and_values():
    v = K.variable([[1, 2], [3, 4]], name="v")
    assert isinstance(v, Variable) and v.dtype == "float32" and v.name == "v"
    np.testing.assert_array_equal(K.get_value(v), [[1, 2], [3, 4]])
    K.set_value(v, np.zeros((2, 2)))
    assert K.eval(v).sum() == 0
    K.batch_set_value([(v, np.ones((2, 2)))])
    assert K.batch_get_value([v])[0].sum() == 4
    K.update_add(v, np.ones((2, 2)))
    K.update_sub(v, 0.5 * np.ones((2, 2)))
    np.testing.assert_allclose(K.get_value(v), 1.5)
    K.moving_average_update(v, np.zeros((2, 2)), 0.9)
    np.testing.assert_allclose(K.get_value(v), 1.35, rtol=1e-6)
    c = K.constant(2.0, shape=(2, 3))
    assert c.dtype == np.float32 and c.shape == (2, 3) and np.all(c == 2)
    assert K.constant([1, 2], dtype="int32").dtype == np.int32
    z, o, e = K.zeros((2, 3)), K.ones((3,)), K.eye(2)
    assert all(isinstance(t, Variable) for t in (z, o, e))
    np.testing.assert_array_equal(K.get_value(e), np.eye(2))
    assert K.cast_to_floatx([1, 2]).dtype == np.float32
    with pytest.raises(ValueError, match="Variable"):
        K.set_value(np.zeros(2), 1.0)


def test_shapes_and_dtypes():
    x = np.zeros((2, 3, 4), "float32")
    assert K.int_shape(x) == (2, 3, 4)
    np.testing.assert_array_equal(K.shape(x), [2, 3, 4])
    assert K.shape(x).dtype == np.int32
    assert K.ndim(x) == 3 and K.dtype(x) == "float32" and K.count_params(x) == 24
    inp = keras.Input((5,))
    assert K.int_shape(inp) == (None, 5) and K.ndim(inp) == 2
    assert K.is_keras_tensor(inp) and not K.is_keras_tensor(x)
    assert K.dtype(K.variable(1.0)) == "float32"
    assert not K.is_sparse(x) and K.to_dense(x) is x


def test_argmax_int64_and_mean_of_ints_truncates_like_tf():
    x = np.array([[1, 5, 2], [7, 0, 1]], "float32")
    assert K.argmax(x).dtype == np.int64
    np.testing.assert_array_equal(K.argmax(x), [1, 0])
    np.testing.assert_array_equal(K.mean(np.array([1, 2], "int32")), 1)
    np.testing.assert_allclose(K.mean(np.array([True, False, True])), 2 / 3, rtol=1e-6)


def test_sqrt_clips_negatives_and_relu_options():
    np.testing.assert_array_equal(K.sqrt(np.array([-4.0, 4.0], "float32")), [0.0, 2.0])
    x = np.array([-2.0, -0.5, 0.5, 2.0, 8.0], "float32")
    np.testing.assert_allclose(K.relu(x, max_value=6), [0, 0, 0.5, 2, 6])
    np.testing.assert_allclose(K.relu(x, alpha=0.1), [-0.2, -0.05, 0.5, 2, 8], rtol=1e-6)
    np.testing.assert_allclose(K.relu(x, threshold=1.0), [0, 0, 0, 2, 8])


def test_softmax_logits_feed_crossentropy_exactly():
    logits = np.array([[30.0, -30.0, 0.0]], "float32")
    probs = K.softmax(logits)
    target = np.array([[0.0, 1.0, 0.0]], "float32")
    # From the remembered logits: 60, not the clipped log(1e-7) = 16.1.
    np.testing.assert_allclose(K.categorical_crossentropy(target, probs), [60.0], rtol=1e-5)
    with pytest.raises(ValueError, match="1D"):
        K.softmax(np.zeros(3))


def test_K_functions_are_differentiable():
    w = Variable(np.array([[0.5, -1.0], [2.0, 0.3]], "float32"))
    x = np.array([[1.0, 2.0], [3.0, -1.0]], "float32")
    with GradientTape() as tape:
        y = K.dot(x, w)
        loss = K.mean(K.square(y - 1.0)) + K.sum(K.abs(K.clip(w, -1.0, 1.0)))
    g = tape.gradient(loss, w)
    yv = x @ w.numpy()
    want = x.T @ (2 * (yv - 1.0) / yv.size)
    clipmask = (np.abs(w.numpy()) <= 1.0).astype("float32")
    want += np.sign(np.clip(w.numpy(), -1, 1)) * clipmask
    np.testing.assert_allclose(g, want, rtol=1e-5)
    assert g.dtype == np.float32


def test_switch_foldl_foldr_map_fn():
    x = np.array([1.0, -2.0, 3.0], "float32")
    np.testing.assert_array_equal(K.switch(x > 0, x, -x), [1, 2, 3])
    assert K.switch(np.array(False), lambda: 1, lambda: 2) == 2
    assert K.foldl(lambda a, b: a * 10 + b, np.array([1, 2, 3])) == 123
    assert K.foldr(lambda a, b: a * 10 + b, np.array([1, 2, 3])) == 321
    assert K.foldl(lambda a, b: a + b, np.array([1, 2]), initializer=10) == 13
    np.testing.assert_allclose(K.map_fn(lambda r: r * 2, x), 2 * x)


def test_rnn_matches_python_loop_with_mask_and_go_backwards():
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal((2, 4, 3)).astype("float32")
    w = rng.standard_normal((3, 5)).astype("float32")
    u = rng.standard_normal((5, 5)).astype("float32")

    def step(x_t, states):
        h = np.tanh(x_t @ w + ops.convert_to_numpy(states[0]) @ u)
        return h, [h]
    h0 = np.zeros((2, 5), "float32")
    last, outs, states = K.rnn(step, inputs, [h0])
    h = h0
    for t in range(4):
        h = np.tanh(inputs[:, t] @ w + h @ u)
        np.testing.assert_allclose(outs[:, t], h, rtol=1e-5)
    np.testing.assert_allclose(last, h, rtol=1e-5)
    np.testing.assert_allclose(states[0], h, rtol=1e-5)
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    last_m, outs_m, _ = K.rnn(step, inputs, [h0], mask=mask)
    np.testing.assert_allclose(outs_m[0, 2], outs_m[0, 1])  # masked: previous output kept
    np.testing.assert_allclose(last_m[1], last[1], rtol=1e-5)
    _, outs_z, _ = K.rnn(step, inputs, [h0], mask=mask, zero_output_for_mask=True)
    assert np.all(outs_z[0, 2:] == 0)
    last_b, _, _ = K.rnn(step, inputs, [h0], go_backwards=True)
    h = h0
    for t in reversed(range(4)):
        h = np.tanh(inputs[:, t] @ w + h @ u)
    np.testing.assert_allclose(last_b, h, rtol=1e-5)


def test_function_gets_intermediate_outputs_and_learning_phase():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(2)])
    x = np.random.default_rng(1).standard_normal((5, 3)).astype("float32")
    with pytest.warns(DeprecationWarning, match="keras.Model"):
        f = K.function([model.inputs[0]], [model.layers[0].output])
    hidden = f([x])[0]
    np.testing.assert_allclose(hidden, model.layers[0](x), rtol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        g = K.function([model.inputs[0], K.learning_phase()], [model.layers[-1].output])
        test_out = g([x, 0])[0]
        train_out = g([x, 1])[0]
    np.testing.assert_allclose(test_out, model.predict(x, verbose=0), rtol=1e-5)
    assert not np.allclose(train_out, test_out)  # dropout active in phase 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert K.learning_phase() == 0
        K.set_learning_phase(1)
        assert K.learning_phase() == 1
        assert K.in_train_phase(1.0, 2.0) == 1.0
        K.set_learning_phase(0)
        assert K.in_test_phase(1.0, 2.0) == 1.0
        with K.learning_phase_scope(1):
            assert K.learning_phase() == 1


def test_placeholder_gradients_and_name_scope():
    with pytest.warns(DeprecationWarning):
        p = K.placeholder(shape=(None, 3))
    assert K.int_shape(p) == (None, 3)
    with pytest.raises(RuntimeError, match="GradientTape"):
        K.gradients(np.zeros(1), [np.zeros(1)])
    with K.name_scope("block") as scope:
        assert scope == "block"


def test_ctc_batch_cost_and_decode_use_last_class_as_blank():
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((2, 6, 4)).astype("float32")
    probs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    labels = np.array([[0, 1, 1], [2, 0, 0]])
    cost = K.ctc_batch_cost(labels, probs, np.array([[6], [6]]), np.array([[3], [1]]))
    assert cost.shape == (2, 1)
    ref = ops.ctc_loss(labels, np.log(probs + K.epsilon()), [3, 1], [6, 6], mask_index=3)
    np.testing.assert_allclose(cost[:, 0], ref, rtol=1e-6)
    decoded, log_prob = K.ctc_decode(probs, np.array([6, 4]))
    assert decoded[0].shape == (2, 6) and log_prob.shape == (2, 1)
    best = np.argmax(probs[1, :4], -1)
    seq = [int(c) for i, c in enumerate(best) if c != 3 and (i == 0 or c != best[i - 1])]
    np.testing.assert_array_equal(decoded[0][1, :len(seq)], seq)
    assert np.all(decoded[0][1, len(seq):] == -1)


def test_local_conv_and_normalize_batch_in_training():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 5, 3)).astype("float32")
    kernel = rng.standard_normal((4, 2 * 3, 2)).astype("float32")
    with pytest.warns(DeprecationWarning):
        y = K.local_conv1d(x, kernel, (2,), (1,))
    for pos in range(4):
        patch = x[:, pos:pos + 2].reshape(2, -1)
        np.testing.assert_allclose(y[:, pos], patch @ kernel[pos], rtol=1e-5)
    with pytest.warns(DeprecationWarning):
        out, mean, var = K.normalize_batch_in_training(x, None, None, [0, 1])
    np.testing.assert_allclose(mean, x.mean((0, 1)), rtol=1e-5)
    np.testing.assert_allclose(var, x.var((0, 1)), rtol=1e-5)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)


def test_random_functions_follow_seeds():
    a = K.random_normal((3,), seed=1)
    np.testing.assert_array_equal(a, K.random_normal((3,), seed=1))
    assert K.random_uniform((2, 2), seed=2).dtype == np.float32
    b = K.random_bernoulli((1000,), p=0.3, seed=3)
    assert set(np.unique(b)) == {0.0, 1.0} and abs(b.mean() - 0.3) < 0.05
    assert isinstance(K.random_normal_variable((2,), 0.0, 1.0, seed=1), Variable)
    assert np.abs(K.truncated_normal((500,), seed=4)).max() <= 2.0
    d = K.dropout(np.ones((1000,), "float32"), 0.5, seed=5)
    assert set(np.unique(d)) == {0.0, 2.0}


def test_clear_session_resets_names():
    keras.layers.Dense(1)
    K.clear_session()
    assert keras.layers.Dense(1).name == "dense"
