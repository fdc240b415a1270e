"""Values against numpy and numerical gradients for the core keras.ops functions."""
import numpy as np
import pytest

from minikeras import ops
from minikeras.backend import Variable
from tests.gradcheck import check_grad

rng = np.random.default_rng(1)
X = rng.standard_normal((3, 4))
POS = rng.uniform(0.5, 2.0, (3, 4))
Y = rng.standard_normal((3, 4))

UNARY = {
    "abs": (ops.abs, np.abs, X), "negative": (ops.negative, np.negative, X),
    "exp": (ops.exp, np.exp, X), "expm1": (ops.expm1, np.expm1, X),
    "log": (ops.log, np.log, POS), "log1p": (ops.log1p, np.log1p, POS),
    "log2": (ops.log2, np.log2, POS), "log10": (ops.log10, np.log10, POS),
    "sqrt": (ops.sqrt, np.sqrt, POS), "rsqrt": (ops.rsqrt, lambda a: 1 / np.sqrt(a), POS),
    "square": (ops.square, np.square, X), "sin": (ops.sin, np.sin, X),
    "cos": (ops.cos, np.cos, X), "tan": (ops.tan, np.tan, X * 0.3),
    "tanh": (ops.tanh, np.tanh, X), "sinh": (ops.sinh, np.sinh, X),
    "cosh": (ops.cosh, np.cosh, X), "arctan": (ops.arctan, np.arctan, X),
    "reciprocal": (ops.reciprocal, np.reciprocal, POS),
    "sum": (ops.sum, np.sum, X), "mean": (ops.mean, np.mean, X),
    "sum_axis": (lambda a: ops.sum(a, axis=1, keepdims=True), lambda a: a.sum(1, keepdims=True), X),
    "mean_axes": (lambda a: ops.mean(a, axis=[0, 1]), lambda a: a.mean((0, 1)), X),
    "max": (lambda a: ops.max(a, axis=0), lambda a: a.max(0), X),
    "min": (lambda a: ops.min(a, axis=1), lambda a: a.min(1), X),
    "prod": (lambda a: ops.prod(a, axis=1), lambda a: a.prod(1), POS),
    "var": (lambda a: ops.var(a, axis=0), lambda a: a.var(0), X),
    "std": (lambda a: ops.std(a, axis=1), lambda a: a.std(1), X),
    "logsumexp": (lambda a: ops.logsumexp(a, axis=1),
                  lambda a: np.log(np.exp(a).sum(1)), X),
    "cumsum": (lambda a: ops.cumsum(a, axis=1), lambda a: np.cumsum(a, 1), X),
    "reshape": (lambda a: ops.reshape(a, (4, 3)), lambda a: a.reshape(4, 3), X),
    "transpose": (ops.transpose, np.transpose, X),
    "expand_dims": (lambda a: ops.expand_dims(a, 1), lambda a: a[:, None], X),
    "squeeze": (lambda a: ops.squeeze(ops.expand_dims(a, 0), 0), lambda a: a, X),
    "tile": (lambda a: ops.tile(a, (2, 1)), lambda a: np.tile(a, (2, 1)), X),
    "repeat": (lambda a: ops.repeat(a, 2, axis=0), lambda a: np.repeat(a, 2, 0), X),
    "flip": (lambda a: ops.flip(a, axis=1), lambda a: a[:, ::-1], X),
    "swapaxes": (lambda a: ops.swapaxes(a, 0, 1), lambda a: a.T, X),
    "moveaxis": (lambda a: ops.moveaxis(a, 0, 1), lambda a: a.T, X),
    "ravel": (ops.ravel, np.ravel, X),
    "pad": (lambda a: ops.pad(a, [[1, 0], [0, 2]]), lambda a: np.pad(a, [[1, 0], [0, 2]]), X),
    "take": (lambda a: ops.take(a, [2, 0], axis=1), lambda a: a[:, [2, 0]], X),
    "take_along_axis": (lambda a: ops.take_along_axis(a, np.array([[0], [1], [3]]), axis=1),
                        lambda a: np.take_along_axis(a, np.array([[0], [1], [3]]), 1), X),
    "get_item": (lambda a: ops.get_item(a, (slice(None), 1)), lambda a: a[:, 1], X),
    "clip": (lambda a: ops.clip(a, -0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5), X),
    "split": (lambda a: ops.split(a, 2, axis=1)[1], lambda a: a[:, 2:], X),
    "unstack": (lambda a: ops.unstack(a, axis=0)[2], lambda a: a[2], X),
    "sort": (lambda a: ops.sort(a, axis=1), lambda a: np.sort(a, 1), X),
    "broadcast_to": (lambda a: ops.broadcast_to(a[:1], (3, 4)), lambda a: np.broadcast_to(a[:1], (3, 4)), X),
    # nn
    "relu": (ops.relu, lambda a: np.maximum(a, 0), X),
    "relu6": (ops.relu6, lambda a: np.clip(a, 0, 6), X * 4),
    "sigmoid": (ops.sigmoid, lambda a: 1 / (1 + np.exp(-a)), X),
    "softplus": (ops.softplus, lambda a: np.log1p(np.exp(a)), X),
    "softsign": (ops.softsign, lambda a: a / (1 + np.abs(a)), X),
    "silu": (ops.silu, lambda a: a / (1 + np.exp(-a)), X),
    "log_sigmoid": (ops.log_sigmoid, lambda a: -np.log1p(np.exp(-a)), X),
    "leaky_relu": (ops.leaky_relu, lambda a: np.where(a >= 0, a, 0.2 * a), X),
    "hard_sigmoid": (ops.hard_sigmoid, lambda a: np.clip(a / 6 + 0.5, 0, 1), X),
    "hard_silu": (ops.hard_silu, lambda a: a * np.clip(a / 6 + 0.5, 0, 1), X),
    "elu": (ops.elu, lambda a: np.where(a > 0, a, np.expm1(a)), X),
    "selu": (ops.selu, lambda a: 1.0507009873554805 * np.where(a > 0, a, 1.6732632423543772 * np.expm1(a)), X),
    "gelu_tanh": (ops.gelu, lambda a: 0.5 * a * (1 + np.tanh(np.sqrt(2 / np.pi) * (a + 0.044715 * a ** 3))), X),
    "softmax": (ops.softmax, lambda a: np.exp(a) / np.exp(a).sum(-1, keepdims=True), X),
    "softmax_axes": (lambda a: ops.softmax(a, axis=(0, 1)), lambda a: np.exp(a) / np.exp(a).sum(), X),
    "log_softmax": (ops.log_softmax, lambda a: a - np.log(np.exp(a).sum(-1, keepdims=True)), X),
}

BINARY = {
    "add": (ops.add, np.add), "subtract": (ops.subtract, np.subtract),
    "multiply": (ops.multiply, np.multiply), "divide": (ops.divide, np.divide),
    "maximum": (ops.maximum, np.maximum), "minimum": (ops.minimum, np.minimum),
    "power": (lambda a, b: ops.power(np.abs(a) + 0.5, b), lambda a, b: np.power(np.abs(a) + 0.5, b)),
    "logaddexp": (ops.logaddexp, np.logaddexp), "arctan2": (ops.arctan2, np.arctan2),
    "matmul": (lambda a, b: ops.matmul(a, ops.transpose(b)), lambda a, b: a @ b.T),
    "dot": (lambda a, b: ops.dot(a, ops.transpose(b)), lambda a, b: a @ b.T),
    "tensordot": (lambda a, b: ops.tensordot(a, b, axes=[[1], [1]]), lambda a, b: a @ b.T),
    "einsum": (lambda a, b: ops.einsum("ij,kj->ik", a, b), lambda a, b: a @ b.T),
    "outer": (lambda a, b: ops.outer(a[0], b[1]), lambda a, b: np.outer(a[0], b[1])),
    "concatenate": (lambda a, b: ops.concatenate([a, b], axis=1), lambda a, b: np.concatenate([a, b], 1)),
    "stack": (lambda a, b: ops.stack([a, b], axis=1), lambda a, b: np.stack([a, b], 1)),
    "where": (lambda a, b: ops.where(X > 0, a, b), lambda a, b: np.where(X > 0, a, b)),
    "divide_no_nan": (ops.divide_no_nan, np.divide),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_value_and_gradient(name):
    fn, ref, x = UNARY[name]
    np.testing.assert_allclose(fn(x), ref(x), rtol=1e-6, atol=1e-7)
    check_grad(fn, x)
    out32 = fn(x.astype(np.float32))
    assert np.asarray(out32).dtype == np.float32, f"{name} upcast float32"


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_value_and_gradients(name):
    fn, ref = BINARY[name]
    np.testing.assert_allclose(fn(X, Y), ref(X, Y), rtol=1e-6, atol=1e-7)
    check_grad(fn, X, Y, argnum=0)
    check_grad(fn, X, Y, argnum=1)
    assert np.asarray(fn(X.astype(np.float32), Y.astype(np.float32))).dtype == np.float32


def test_ops_accept_variables_and_lists():
    v = Variable(np.array([1.0, 2.0]))
    np.testing.assert_allclose(ops.add(v, [1.0, 1.0]), [2.0, 3.0])
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == np.float32
    assert ops.cast(v, "int32").dtype == np.int32
    assert ops.shape(v) == (2,)


def test_one_hot_and_comparisons():
    oh = ops.one_hot(np.array([0, 2, 1]), 3)
    np.testing.assert_array_equal(oh, np.eye(3)[[0, 2, 1]])
    assert oh.dtype == np.float32
    np.testing.assert_array_equal(ops.one_hot(np.array([1, 5]), 3), [[0, 1, 0], [0, 0, 0]])
    assert ops.one_hot(np.array([0, 1]), 2, axis=0).shape == (2, 2)
    assert ops.equal(np.array([1, 2]), 2).tolist() == [False, True]
    assert ops.argmax(X, axis=1).dtype == np.int32


def test_stop_gradient_blocks_gradient():
    from minikeras.backend import GradientTape
    w = Variable(np.array([2.0]))
    with GradientTape() as tape:
        y = w * ops.stop_gradient(w)
    np.testing.assert_allclose(tape.gradient(y, w), [2.0])


def test_moments_and_batch_normalization():
    m, v = ops.moments(X, axes=[0])
    np.testing.assert_allclose(m, X.mean(0))
    np.testing.assert_allclose(v, X.var(0))
    out = ops.batch_normalization(X, m, v, axis=1, epsilon=0.0)
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-7)
    check_grad(lambda a: ops.moments(a, axes=[0])[1], X)


@pytest.mark.parametrize("from_logits", [False, True])
def test_crossentropies_match_formulas_and_differentiate(from_logits):
    probs = rng.dirichlet(np.ones(4), size=3)
    target = np.eye(4)[[1, 0, 3]]
    out = probs if not from_logits else X
    p = out if not from_logits else np.exp(X) / np.exp(X).sum(-1, keepdims=True)
    np.testing.assert_allclose(ops.categorical_crossentropy(target, out, from_logits=from_logits),
                               -np.sum(target * np.log(p), -1), rtol=1e-6)
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(np.array([1, 0, 3]), out, from_logits=from_logits),
        -np.log(p[np.arange(3), [1, 0, 3]]), rtol=1e-6)
    check_grad(lambda o: ops.categorical_crossentropy(target, o, from_logits=from_logits), out)
    check_grad(lambda o: ops.sparse_categorical_crossentropy(np.array([1, 0, 3]), o,
                                                             from_logits=from_logits), out)
    t = (rng.random((3, 4)) > 0.5).astype(float)
    b_in = POS / 3 if not from_logits else X
    bp = b_in if not from_logits else 1 / (1 + np.exp(-X))
    np.testing.assert_allclose(ops.binary_crossentropy(t, b_in, from_logits=from_logits),
                               -(t * np.log(bp) + (1 - t) * np.log(1 - bp)), rtol=1e-6)
    check_grad(lambda o: ops.binary_crossentropy(t, o, from_logits=from_logits), b_in)


def test_crossentropy_shape_mismatch_is_value_error():
    with pytest.raises(ValueError, match="same shape"):
        ops.categorical_crossentropy(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="target.shape"):
        ops.sparse_categorical_crossentropy(np.zeros((2, 2)), np.zeros((3, 4)))


def test_control_flow_ops():
    assert ops.cond(True, lambda: 1, lambda: 2) == 1
    assert ops.fori_loop(0, 4, lambda i, v: v + i, 0) == 6
    assert ops.while_loop(lambda i: i < 5, lambda i: i + 2, 0) == 6
    assert ops.while_loop(lambda a, b: a < 3, lambda a, b: (a + 1, b * 2), (0, 1)) == (3, 8)


def test_sorted_segment_max_min_give_zero_for_empty_segments():
    # Keras (TensorFlow backend) routes sorted=True to tf.math.segment_max/min, which
    # fill an empty segment with 0; the unsorted kernels use the dtype's limits.
    x = np.arange(12, dtype="float32").reshape(4, 3)
    ids = np.array([0, 0, 2, 2])
    out = ops.segment_max(x, ids, sorted=True)
    np.testing.assert_array_equal(out, [[3, 4, 5], [0, 0, 0], [9, 10, 11]])
    np.testing.assert_array_equal(ops.segment_min(x, ids, sorted=True)[1], [0, 0, 0])
    assert ops.segment_max(x, ids, num_segments=3)[1, 0] == np.finfo("float32").min
    np.testing.assert_array_equal(ops.segment_prod(x, ids, sorted=True)[1], [1, 1, 1])


def test_segment_reductions_values_and_gradients():
    rng = np.random.default_rng(3)
    data = rng.standard_normal((12, 3))
    ids = np.array([0, 2, 2, 1, 0, 4, 4, 4, 1, 0, 9, -1])  # 3 empty, 9/-1 dropped
    want_sum = np.stack([data[ids == s].sum(0) for s in range(5)])
    np.testing.assert_allclose(ops.segment_sum(data, ids, num_segments=5), want_sum, rtol=1e-12)
    got_max = ops.segment_max(data, ids, num_segments=5)
    for s in range(5):
        rows = data[ids == s]
        want = rows.max(0) if len(rows) else np.full(3, np.finfo("float64").min)
        np.testing.assert_array_equal(got_max[s], want)
    # (every segment non-empty here: an empty one's dtype-limit fill overflows the
    # finite differences)
    full = np.array([0, 2, 2, 1, 0, 1, 1, 2, 1, 0, 9, -1])
    for fn in (ops.segment_sum, ops.segment_max, ops.segment_min):
        check_grad(lambda d, fn=fn: fn(d, full, num_segments=3), data)
    # Ties share the gradient evenly, as autograd's and TensorFlow's max do.
    tied = np.array([[1.0], [1.0], [0.5]])
    grad = Variable(tied)
    from minikeras.backend import GradientTape
    with GradientTape() as tape:
        out = ops.sum(ops.segment_max(grad, np.array([0, 0, 0]), num_segments=1))
    np.testing.assert_allclose(np.asarray(tape.gradient(out, grad)), [[0.5], [0.5], [0.0]])


def test_segment_sum_scales_to_graph_sizes():
    # A Cora-sized message pass: one pass over the rows, not a one-hot matrix.
    rng = np.random.default_rng(0)
    data = rng.standard_normal((10000, 16)).astype("float32")
    ids = rng.integers(0, 2700, 10000)
    out = ops.segment_sum(data, ids, num_segments=2700)
    np.testing.assert_allclose(out[ids[0]], data[ids == ids[0]].sum(0), rtol=1e-4, atol=1e-5)
    assert ops.segment_max(data, ids, num_segments=2700).shape == (2700, 16)
