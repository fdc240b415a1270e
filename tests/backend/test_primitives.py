"""Numerical-gradient checks for every hand-written VJP in backend/primitives.py."""
import numpy as np
import pytest

from minikeras.backend import primitives as P
from tests.gradcheck import check_grad

rng = np.random.default_rng(0)


def r(*shape):
    return rng.standard_normal(shape)


@pytest.mark.parametrize("xshape", [(4, 3), (2, 5, 3)])
def test_dense_grads(xshape):
    x, w, b = r(*xshape), r(3, 2), r(2)
    for argnum in range(3):
        check_grad(lambda *a: P.dense(*a), x, w, b, argnum=argnum)


def test_dense_without_bias():
    x, w = r(4, 3), r(3, 2)
    check_grad(lambda x, w: P.dense(x, w, None), x, w, argnum=1)
    np.testing.assert_allclose(P.dense(x, w, None), x @ w)


@pytest.mark.parametrize("sa,sb", [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((4,), (4, 3)),
                                   ((3, 4), (4,)), ((4,), (4,)), ((2, 1, 3, 4), (5, 4, 2))])
def test_matmul_grads_with_broadcasting(sa, sb):
    a, b = r(*sa), r(*sb)
    np.testing.assert_allclose(P.matmul(a, b), np.matmul(a, b))
    check_grad(P.matmul, a, b, argnum=0)
    check_grad(P.matmul, a, b, argnum=1)


@pytest.mark.parametrize("fn", [P.relu, P.sigmoid])
def test_elementwise_grads(fn):
    x = r(5, 4)
    x[np.abs(x) < 1e-2] = 0.5  # keep away from relu's kink
    check_grad(fn, x)


def test_sigmoid_is_stable_for_large_inputs():
    x = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0], dtype=np.float32)
    out = P.sigmoid(x)
    assert np.all(np.isfinite(out)) and out.dtype == np.float32
    np.testing.assert_allclose(out[2], 0.5)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax_grads(axis):
    x = r(3, 4)
    check_grad(lambda x: P.softmax(x, axis), x)
    check_grad(lambda x: P.log_softmax(x, axis), x)
    np.testing.assert_allclose(np.sum(P.softmax(x, axis), axis=axis), 1.0)
    np.testing.assert_allclose(P.log_softmax(x, axis), np.log(P.softmax(x, axis)))


def test_softmax_cross_entropy_grads_and_value():
    labels = rng.dirichlet(np.ones(4), size=3)
    logits = r(3, 4)
    out = P.softmax_cross_entropy(labels, logits)
    expected = -np.sum(labels * np.log(P.softmax(logits)), axis=-1)
    np.testing.assert_allclose(out, expected)
    check_grad(P.softmax_cross_entropy, labels, logits, argnum=1)
    check_grad(P.softmax_cross_entropy, labels, logits, argnum=0)


def test_sparse_softmax_cross_entropy_grads_and_value():
    labels = np.array([0, 3, 1])
    logits = r(3, 4)
    out = P.sparse_softmax_cross_entropy(labels, logits)
    np.testing.assert_allclose(out, -np.log(P.softmax(logits))[np.arange(3), labels])
    check_grad(lambda z: P.sparse_softmax_cross_entropy(labels, z), logits)


def test_primitives_keep_float32():
    x = r(4, 3).astype(np.float32)
    w = r(3, 2).astype(np.float32)
    assert P.dense(x, w, np.zeros(2, np.float32)).dtype == np.float32
    assert P.softmax(x).dtype == np.float32
    assert P.softmax_cross_entropy(P.softmax(x), x).dtype == np.float32


def test_logits_registry_recalls_only_the_same_object():
    x = r(2, 3).astype(np.float32)
    out = P.remember_logits(P.softmax(x), x)
    assert P.recall_logits(out) is x
    assert P.recall_logits(out.copy()) is None


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_take_grad_with_repeated_indices(axis):
    x = r(3, 4)
    idx = np.array([[1, 1], [0, 2]])
    np.testing.assert_allclose(P.take(x, idx, axis=axis), np.take(x, idx, axis=axis))
    check_grad(lambda a: P.take(a, idx, axis=axis), x)


@pytest.mark.parametrize("axis", [0, 1, None])
def test_take_along_axis_and_flip_grads(axis):
    x = r(3, 4)
    idx = rng.integers(0, 3 if axis == 0 else 4, (3, 4)) if axis is not None else np.array([0, 5, 5, 11])
    check_grad(lambda a: P.take_along_axis(a, idx, axis), x)
    check_grad(lambda a: P.flip(a, axis), x)
