"""GradientTape completion: jacobian, batch_jacobian, unconnected gradients,
output_gradients, non-scalar targets, nested tapes."""
import numpy as np
import pytest

from minikeras import ops
from minikeras.backend import GradientTape, Variable
from tests.gradcheck import numeric_grad

RNG = np.random.default_rng(0)


def _numeric_jacobian(f, x):
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for idx in np.ndindex(out.shape):
        jac[idx] = numeric_grad(lambda v: np.asarray(f(v))[idx], x, eps=1e-4)
    return jac


def test_jacobian_matches_finite_differences():
    x = RNG.standard_normal((2, 3))
    w = RNG.standard_normal((3, 2))

    def f(v):
        return ops.convert_to_numpy(ops.tanh(ops.matmul(v, w)) * ops.sum(v))
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.tanh(ops.matmul(x, w)) * ops.sum(x)
    jac = tape.jacobian(y, x)
    assert jac.shape == (2, 2, 2, 3)
    np.testing.assert_allclose(jac, _numeric_jacobian(f, x), rtol=1e-5, atol=1e-7)


def test_jacobian_structures_variables_and_float32():
    a = Variable(RNG.standard_normal((3,)).astype("float32"))
    b = Variable(RNG.standard_normal((2, 3)).astype("float32"))
    unused = Variable(np.ones(4, "float32"))
    with GradientTape(persistent=True) as tape:
        y = ops.matmul(b, a) ** 2
    ja, jb = tape.jacobian(y, [a, b])
    assert ja.shape == (2, 3) and jb.shape == (2, 2, 3)
    assert ja.dtype == np.float32 and jb.dtype == np.float32
    yv = b.numpy() @ a.numpy()
    np.testing.assert_allclose(ja, 2 * yv[:, None] * b.numpy(), rtol=1e-5)
    assert tape.jacobian(y, unused) is None
    z = tape.jacobian(y, unused, unconnected_gradients="zero")
    assert z.shape == (2, 4) and not z.any()
    d = tape.jacobian(y, {"a": a})
    assert set(d) == {"a"}


def test_batch_jacobian():
    x = RNG.standard_normal((4, 3)).astype("float32")
    w = RNG.standard_normal((3, 2)).astype("float32")
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = ops.sin(ops.matmul(x, w))
    bj = tape.batch_jacobian(y, x)
    full = tape.jacobian(y, x)
    assert bj.shape == (4, 2, 3) and bj.dtype == np.float32
    np.testing.assert_allclose(bj, np.stack([full[i, :, i, :] for i in range(4)]), rtol=1e-6)
    with pytest.raises(ValueError, match="first dimension"):
        tape.batch_jacobian(y, w)


def test_non_persistent_tape_allows_one_call():
    x = np.ones(3, "float32")
    with GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
        y = ops.multiply(x, 2.0)
    tape.jacobian(y, x)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, x)


def test_unconnected_output_gradients_and_summed_targets():
    x = Variable(np.array([1.0, 2.0, 3.0], "float32"))
    other = Variable(np.zeros(2, "float32"))
    with GradientTape(persistent=True) as tape:
        y = x * x
        z = ops.sum(x)
    assert tape.gradient(y, other) is None
    np.testing.assert_array_equal(tape.gradient(y, other, unconnected_gradients="zero"), [0, 0])
    # A non-scalar target is summed; a list of targets adds their gradients.
    np.testing.assert_allclose(tape.gradient(y, x), [2, 4, 6])
    np.testing.assert_allclose(tape.gradient([y, z], x), [3, 5, 7])
    np.testing.assert_allclose(tape.gradient(y, x, output_gradients=np.array([1.0, 0.0, 2.0])),
                               [2, 0, 12])

    class Zero:  # stands for tf.UnconnectedGradients.ZERO
        value = "zero"
    np.testing.assert_array_equal(tape.gradient(y, other, unconnected_gradients=Zero()), [0, 0])
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, x, unconnected_gradients="bad")


def test_hessian_through_nested_tapes():
    x = Variable(np.array([0.5, -1.0, 2.0], "float32"))
    with GradientTape() as outer:
        with GradientTape() as inner:
            y = ops.sum(ops.exp(x) * x)
        g = inner.gradient(y, x)
    h = outer.jacobian(g, x)
    xv = x.numpy()
    np.testing.assert_allclose(h, np.diag(np.exp(xv) * (xv + 2)), rtol=1e-5, atol=1e-6)
    # second derivative through a matmul primitive and softmax
    a = Variable(RNG.standard_normal((2, 2)).astype("float32"))
    v = np.array([0.3, -0.7], "float32")
    with GradientTape() as t2:
        with GradientTape() as t1:
            out = ops.sum(ops.softmax(ops.matmul(a, v)) ** 2)
        ga = t1.gradient(out, a)
    hess = t2.jacobian(ga, a)
    assert hess.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(hess, np.transpose(hess, (2, 3, 0, 1)), atol=1e-5)  # symmetric
