import numpy as np
import pytest

from minikeras import ops
from minikeras.backend import Variable, floatx, set_floatx, epsilon, set_epsilon
from minikeras.backend import image_data_format, set_image_data_format


def test_variable_basics_and_float32():
    v = Variable(np.array([1.0, 2.0]), name="v")
    assert v.dtype == "float32" and v.shape == (2,) and v.name == "v" and v.trainable
    v.assign([3.0, 4.0])
    np.testing.assert_array_equal(v.numpy(), [3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub(np.array([0.5, 0.5]))
    np.testing.assert_array_equal(v.numpy(), [3.5, 4.5])
    assert v.numpy().dtype == np.float32


def test_variable_from_initializer_needs_shape():
    v = Variable("ones", shape=(2, 3)) if False else Variable(
        lambda shape, dtype=None: np.ones(shape, dtype=dtype), shape=(2, 3))
    assert v.shape == (2, 3) and float(ops.sum(v)) == 6.0
    with pytest.raises(ValueError, match="shape"):
        Variable(lambda shape, dtype=None: np.ones(shape), shape=None)


def test_variable_assign_wrong_shape_names_both():
    v = Variable(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        v.assign(np.zeros(4))


def test_variable_arithmetic_operators():
    v = Variable(np.array([1.0, 2.0]))
    np.testing.assert_allclose(v + 1, [2, 3])
    np.testing.assert_allclose(2 * v, [2, 4])
    np.testing.assert_allclose(1 - v, [0, -1])
    np.testing.assert_allclose(v / 2, [0.5, 1])
    np.testing.assert_allclose(v ** 2, [1, 4])
    np.testing.assert_allclose(np.array([1.0, 1.0]) + v, [2, 3])
    assert (v > 1.5).tolist() == [False, True]
    assert np.asarray(v).dtype == np.float32


def test_assign_does_not_mutate_previously_read_value():
    v = Variable(np.zeros(3))
    before = v.numpy()
    v.assign(np.ones(3))
    np.testing.assert_array_equal(before, 0)


def test_global_config_roundtrip():
    assert floatx() == "float32" and epsilon() == 1e-7
    assert image_data_format() == "channels_last"
    set_floatx("float64")
    try:
        assert Variable(np.ones(2)).dtype == "float64"
    finally:
        set_floatx("float32")
    set_epsilon(1e-5)
    assert epsilon() == 1e-5
    set_epsilon(1e-7)
    with pytest.raises(ValueError, match="channels"):
        set_image_data_format("channels_middle")
    with pytest.raises(ValueError, match="floatx"):
        set_floatx("int7")


def test_keras_tensor_repr_names_sparse_and_ragged():
    import minikeras as keras
    t = keras.Input((3,), name="t")
    assert repr(t) == "<KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=t>"
