"""Scenarios from "Transfer learning & fine-tuning" (keras.io)."""
import numpy as np

import minikeras as keras
from minikeras import layers


def test_trainable_false_moves_weights_to_non_trainable():
    layer = keras.layers.Dense(3)
    layer.build((None, 4))
    layer.trainable = False
    assert (len(layer.weights), len(layer.trainable_weights),
            len(layer.non_trainable_weights)) == (2, 0, 2)


def test_trainable_is_recursive_both_ways():
    inner = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(3, activation="relu")])
    model = keras.Sequential([keras.Input(shape=(3,)), inner,
                              keras.layers.Dense(3, activation="sigmoid")])
    model.trainable = False
    assert not inner.trainable and not inner.layers[0].trainable
    assert len(model.trainable_weights) == 0 and len(model.non_trainable_weights) == 6
    model.trainable = True
    assert inner.layers[0].trainable and len(model.trainable_weights) == 6


def test_frozen_base_then_fine_tune_after_recompile():
    rng = np.random.default_rng(0)
    x = rng.random((16, 4)).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    base_model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                                   layers.Dense(8, activation="relu")], name="base")
    base_model.trainable = False
    inputs = keras.Input(shape=(4,))
    h = base_model(inputs, training=False)
    outputs = keras.layers.Dense(1)(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
    frozen = [w.copy() for w in base_model.get_weights()]
    model.fit(x, y, epochs=2, verbose=0)
    assert len(model.trainable_weights) == 2
    for a, b in zip(frozen, base_model.get_weights()):
        np.testing.assert_array_equal(a, b)

    base_model.trainable = True
    model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
    assert len(model.trainable_weights) == 6
    assert not np.array_equal(frozen[0], base_model.get_weights()[0])


def test_partially_frozen_model_weights_do_not_move():
    layer1 = keras.layers.Dense(3, activation="relu")
    layer2 = keras.layers.Dense(3, activation="sigmoid")
    model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
    layer1.trainable = False
    initial = layer1.get_weights()
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    model.fit(rng.random((2, 3)), rng.random((2, 3)), verbose=0)
    for a, b in zip(initial, layer1.get_weights()):
        np.testing.assert_array_equal(a, b)
