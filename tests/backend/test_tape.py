import numpy as np
import pytest

from minikeras import ops
from minikeras.backend import GradientTape, Variable
from minikeras.backend.tape import value_and_grad


def test_gradient_of_trainable_variable_is_automatic():
    w = Variable(np.array([1.0, 2.0, 3.0]))
    with GradientTape() as tape:
        loss = ops.sum(w * w)
    g = tape.gradient(loss, w)
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0])
    assert g.dtype == np.float32


def test_nested_structure_of_sources_and_targets():
    a = Variable(np.array(2.0))
    b = Variable(np.array([1.0, -1.0]))
    with GradientTape() as tape:
        y1 = a * 3.0
        y2 = ops.sum(b * a)
    grads = tape.gradient([y1, y2], {"a": a, "b": [b]})
    np.testing.assert_allclose(grads["a"], 3.0 + 0.0)  # sum(b) == 0
    np.testing.assert_allclose(grads["b"][0], [2.0, 2.0])


def test_non_scalar_target_is_summed():
    w = Variable(np.array([1.0, 2.0]))
    with GradientTape() as tape:
        y = w * w  # vector target
    np.testing.assert_allclose(tape.gradient(y, w), [2.0, 4.0])


def test_watch_array_and_non_trainable_variable():
    x = np.array([3.0], dtype=np.float32)
    frozen = Variable(np.array([2.0]), trainable=False)
    with GradientTape() as tape:
        tape.watch(x)
        tape.watch(frozen)
        y = ops.square(x) * frozen
    gx, gf = tape.gradient(y, [x, frozen])
    np.testing.assert_allclose(gx, [12.0])
    np.testing.assert_allclose(gf, [9.0])


def test_unwatched_non_trainable_gets_none_or_zero():
    frozen = Variable(np.array([2.0]), trainable=False)
    w = Variable(np.array([1.0]))
    with GradientTape(persistent=True) as tape:
        y = w * frozen
    assert tape.gradient(y, frozen) is None
    np.testing.assert_array_equal(tape.gradient(y, frozen, unconnected_gradients="zero"), [0.0])


def test_watch_accessed_variables_false():
    w = Variable(np.array([1.0]))
    v = Variable(np.array([1.0]))
    with GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(v)
        y = w * 2 + v * 3
    gw, gv = tape.gradient(y, [w, v])
    assert gw is None
    np.testing.assert_allclose(gv, [3.0])


def test_non_persistent_tape_single_use_and_persistent_reuse():
    w = Variable(np.array([1.0]))
    with GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(RuntimeError, match="persistent"):
        tape.gradient(y, w)
    with GradientTape(persistent=True) as tape:
        y = w * w
        z = w * 5
    np.testing.assert_allclose(tape.gradient(y, w), [2.0])
    np.testing.assert_allclose(tape.gradient(z, w), [5.0])


def test_stop_recording():
    w = Variable(np.array([2.0]))
    with GradientTape() as tape:
        y = w * w
        with tape.stop_recording():
            z = w * 10  # not recorded: plain value
    assert not hasattr(z, "_node")
    np.testing.assert_allclose(tape.gradient(y, w), [4.0])


def test_nested_tapes_give_second_derivative():
    x = Variable(np.array(3.0))
    with GradientTape() as outer:
        with GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    np.testing.assert_allclose(ops.convert_to_numpy(dy), 27.0)
    np.testing.assert_allclose(d2y, 18.0)



def test_inner_tape_watches_a_tensor_the_outer_tape_recorded():
    # WGAN-GP's penalty: the inner tape watches images computed under the outer
    # tape, and the outer tape differentiates the inner gradient (TF: 12, -6 / 6, 12).
    x = Variable(np.array([2.0, -1.0]))
    with GradientTape() as outer:
        y = ops.multiply(x, 3.0)
        with GradientTape() as inner:
            inner.watch(y)
            z = ops.sum(ops.square(y))
        dz_dy = inner.gradient(z, y)
        s = ops.sum(dz_dy * np.array([1.0, 2.0], "float32"))
    np.testing.assert_allclose(ops.convert_to_numpy(dz_dy), [12.0, -6.0])
    np.testing.assert_allclose(outer.gradient(s, x), [6.0, 12.0])


def test_value_and_grad_fast_path_matches_tape():
    w = Variable(np.array([[1.0, -2.0], [0.5, 3.0]]))
    x = np.array([[1.0, 2.0]], dtype=np.float32)

    def fn():
        out = ops.matmul(x, w)
        return ops.sum(ops.relu(out)), out

    (loss, out), grads = value_and_grad(fn, [w])
    with GradientTape() as tape:
        loss2, _ = fn()
    np.testing.assert_allclose(grads[0], tape.gradient(loss2, w))
    assert isinstance(out, np.ndarray) and float(loss) == float(ops.convert_to_numpy(loss2))
    assert w._traced is None  # the binding is undone


def test_value_and_grad_unused_variable_gets_zeros():
    w = Variable(np.ones(3))
    unused = Variable(np.ones((2, 2)))
    (_, _), grads = value_and_grad(lambda: (ops.sum(w), None), [w, unused])
    np.testing.assert_array_equal(grads[1], np.zeros((2, 2)))


def test_watched_raw_array_used_by_numpy_operators_warns():
    x = np.array([3.0], dtype=np.float32)
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x * x)  # `x * x` is plain numpy: not recorded
    with pytest.warns(UserWarning, match="keras.ops"):
        assert tape.gradient(y, x) is None
