"""Variable paths follow the layers' name scopes, as in Keras 3: a layer builds and
runs inside a scope named after itself, so sublayers' weights carry the names of the
layers around them (`"sequential/dense/kernel"`). The expected paths were printed by
Keras 3.15 for the same code; they used to be just `"<layer>/<variable>"`."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


def _paths(obj):
    return [w.path for w in obj.weights]


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(2, name="proj")
        self.norm = layers.LayerNormalization(name="norm")

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(2,), name="scale")

    def call(self, x):
        return self.norm(self.dense(x)) * self.scale


def test_sequential_and_subclassed_layers_prefix_their_sublayers():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d")], name="seq")
    assert _paths(model) == ["seq/d/kernel", "seq/d/bias"]
    block = Block(name="blk")
    block(np.zeros((1, 3), "float32"))
    assert _paths(block) == ["blk/scale", "blk/proj/kernel", "blk/proj/bias",
                             "blk/norm/gamma", "blk/norm/beta"]
    # A nested Sequential of custom layers holding Sequentials (the MLP-Mixer shape).
    outer = keras.Sequential([Block(name="b1")], name="outer")
    outer(np.zeros((1, 3), "float32"))
    assert _paths(outer)[:2] == ["outer/b1/scale", "outer/b1/proj/kernel"]


def test_functional_layers_are_unprefixed_and_rnn_cells_nest():
    inputs = keras.Input((4, 3))
    x = layers.MultiHeadAttention(2, 2, name="mha")(inputs, inputs)
    x = layers.LSTM(2, name="rnn")(x)
    model = keras.Model(inputs, x)
    assert _paths(model) == [
        "mha/query/kernel", "mha/query/bias", "mha/key/kernel", "mha/key/bias",
        "mha/value/kernel", "mha/value/bias", "mha/attention_output/kernel",
        "mha/attention_output/bias", "rnn/lstm_cell/kernel", "rnn/lstm_cell/recurrent_kernel",
        "rnn/lstm_cell/bias"]


def test_optimizer_slots_are_named_from_the_scoped_path():
    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.out = layers.Dense(1, name="out")

        def call(self, x):
            return self.out(x)

    model = Net()
    model.compile(keras.optimizers.Adam(name="adam"), "mse")
    model.fit(np.zeros((2, 3), "float32"), np.zeros((2, 1), "float32"), verbose=0)
    assert _paths(model) == ["net/out/kernel", "net/out/bias"]
    assert [v.path for v in model.optimizer.variables][2:4] == [
        "adam/net_out_kernel_momentum", "adam/net_out_kernel_velocity"]


def test_name_scope_context_and_first_place_wins():
    with keras.name_scope("outer"):
        v = keras.Variable(np.zeros(2, "float32"), name="v")
        dense = layers.Dense(3, name="dd")
        dense(np.zeros((1, 2), "float32"))
    assert v.path == "outer/v" and dense.kernel.path == "outer/dd/kernel"
    with pytest.raises(ValueError):
        keras.name_scope("a/b")
    # A layer built directly opens its own scope too.
    direct = layers.Dense(3, name="direct")
    direct.build((None, 2))
    assert direct.kernel.path == "direct/kernel"
