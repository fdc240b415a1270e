"""Top-level names: scopes, dtype policies, Operation/Function, version, add_weight forms."""
import numpy as np
import pytest

import minikeras as keras


def test_stateless_scope_binds_and_records_without_touching_variables():
    layer = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)
    x = np.ones((1, 3), "float32")
    layer(x)
    new_kernel = np.full((3, 1), 2.0, "float32")
    with keras.StatelessScope(state_mapping=[(layer.kernel, new_kernel)]) as scope:
        np.testing.assert_allclose(layer(x), [[6.0]])
        layer.kernel.assign(np.zeros((3, 1)))
        np.testing.assert_allclose(scope.get_current_value(layer.kernel), 0.0)
    np.testing.assert_allclose(layer.kernel.numpy(), 1.0)   # untouched
    np.testing.assert_allclose(layer(x), [[3.0]])
    with pytest.raises(ValueError, match="Variable"):
        keras.StatelessScope(state_mapping=[("kernel", 1.0)])


def test_no_op_scopes_and_remat():
    with keras.name_scope("block"), keras.device("cpu:0"), keras.SymbolicScope(), \
            keras.RematScope(mode="full"):
        out = keras.remat(lambda t: t * 2)(np.ones(2))
    np.testing.assert_array_equal(out, 2.0)
    with pytest.raises(ValueError):
        keras.name_scope(3)


def test_dtype_policy():
    p = keras.DTypePolicy("float32")
    assert p.compute_dtype == p.variable_dtype == "float32" and p.name == "float32"
    assert keras.FloatDTypePolicy().name == "float32"
    with pytest.raises(NotImplementedError, match="mixed_float16"):
        keras.DTypePolicy("mixed_float16")


def test_function_runs_a_graph():
    x = keras.Input((3,))
    y = keras.layers.Dense(2, kernel_initializer="ones")(x)
    fn = keras.Function(x, y)
    np.testing.assert_allclose(fn(np.ones((1, 3))), [[3.0, 3.0]])
    assert len(fn.operations) == 2
    assert isinstance(keras.layers.Dense(1), keras.Layer)


def test_version_is_a_function():
    assert keras.version() == keras.__version__


def test_add_weight_positional_and_keras2_name():
    class L(keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight((2,), "ones")
            with pytest.warns(DeprecationWarning, match="name="):
                self.b = self.add_weight("bias", shape=(3,), initializer="zeros")

        def call(self, x):
            return x

    layer = L()
    layer(np.ones((1, 1)))
    assert layer.a.shape == (2,) and layer.b.name == "bias"
    with pytest.raises(ValueError, match="both positionally"):
        layer.add_weight((2,), shape=(2,))


def test_function_and_operation_configs_round_trip():
    x = keras.Input((3,))
    fn = keras.Function(x, keras.layers.Dense(2)(x))
    assert fn.compute_output_shape((None, 3)) == (None, 2)
    data = np.ones((4, 3), "float32")
    np.testing.assert_array_equal(fn.call(data), fn(data))
    rebuilt = keras.Function.from_config(fn.get_config())
    assert rebuilt(data).shape == (4, 2)
    op = keras.Operation(name="my_op")
    assert op.get_config() == {"name": "my_op"}
    assert keras.Operation.from_config(op.get_config()).name == "my_op"


def test_names_with_a_slash_are_refused_as_in_keras():
    # `/` separates the parts of a variable path, so Keras refuses it in names.
    for make in (lambda: keras.layers.Dense(2, name="a/b"),
                 lambda: keras.Variable(1.0, name="x/y"),
                 lambda: keras.Operation(name="op/1")):
        with pytest.raises(ValueError, match="cannot contain character `/`"):
            make()
