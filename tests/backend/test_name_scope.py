"""Name scopes and the variable paths they give (Keras 3's rules, checked against
what keras 3.15 prints for the same code)."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers
from minikeras.backend.name_scope import current_path


def test_name_scopes_nest_into_variable_paths():
    assert current_path() == ""
    with keras.name_scope("block"):
        assert keras.Variable(1.0, name="v").path == "block/v"
        with keras.name_scope("inner"):
            assert current_path() == "block/inner"
            assert keras.Variable(1.0, name="w").path == "block/inner/w"
    assert current_path() == "" and keras.Variable(1.0, name="u").path == "u"
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        keras.name_scope("a/b")


def test_scope_reopened_by_the_same_caller_adds_no_level():
    owner = object()
    with keras.name_scope("layer", caller=owner):
        with keras.name_scope("layer", caller=owner):
            assert current_path() == "layer"
        with keras.name_scope("layer", caller=object()):
            assert current_path() == "layer/layer"
    with keras.name_scope("outer"):
        with keras.name_scope("x", override_parent="root/sub"):
            assert current_path() == "root/sub/x"


def test_layer_weights_get_the_paths_of_the_layers_around_them():
    # Sequential builds its layers inside its own scope; Functional does not.
    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    assert [w.path for w in seq.weights] == ["sequential/dense/kernel", "sequential/dense/bias"]
    inp = keras.Input((3,))
    func = keras.Model(inp, layers.Dense(2)(inp))
    assert [w.path for w in func.weights] == ["dense_1/kernel", "dense_1/bias"]

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.v = self.add_weight(shape=(1,), name="v")
            self.dense = layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    net = Net()
    net(np.zeros((1, 3), "float32"))
    assert [w.path for w in net.weights] == ["net/v", "net/dense_2/kernel", "net/dense_2/bias"]
    # Recurrent layers nest their cell; Bidirectional its two copies.
    bi = layers.Bidirectional(layers.LSTM(2))
    bi(np.zeros((1, 2, 3), "float32"))
    assert [w.path for w in bi.weights][::3] == [
        "bidirectional/forward_lstm/lstm_cell/kernel",
        "bidirectional/backward_lstm/lstm_cell/kernel"]
    # Optimizer slots are named after the paths.
    seq.compile("adam", "mse")
    seq.train_on_batch(np.zeros((2, 3)), np.zeros((2, 2)))
    assert seq.optimizer.variables[2].path == "adam/sequential_dense_kernel_momentum"


def test_layer_path_is_set_when_built_and_sublayers_built_in_build_nest():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = layers.Dense(2)

        def build(self, input_shape):
            self.inner.build(input_shape)

        def call(self, x):
            return self.inner(x)

    block = Block()
    assert block.path is None
    block.build((None, 3))
    assert block.path == "block" and block.inner.path == "block/dense"
    assert [w.path for w in block.weights] == ["block/dense/kernel", "block/dense/bias"]
    outer = keras.Sequential([keras.Input((3,)), Block(name="blk")])
    assert outer.layers[0].path == "sequential/blk"
    assert [w.path for w in outer.weights] == ["sequential/blk/dense_1/kernel",
                                               "sequential/blk/dense_1/bias"]
    # A layer keeps the path it was first built under wherever it is called later.
    with keras.name_scope("elsewhere"):
        outer(np.zeros((1, 3), "float32"))
    assert outer.layers[0].path == "sequential/blk"
