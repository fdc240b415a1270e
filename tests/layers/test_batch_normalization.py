"""BatchNormalization's training/inference semantics, moving statistics and
Keras 3's frozen-layer behaviour (goldens: test_layer_goldens.py)."""
import numpy as np

import minikeras as keras
from minikeras.backend.tape import GradientTape
from tests.layers.catalog import BatchNormalization, Conv2D

RNG = np.random.default_rng(0)


def test_training_uses_batch_statistics_and_updates_moving_ones():
    x = (RNG.standard_normal((32, 4)) * 3 + 5).astype(np.float32)
    bn = BatchNormalization(momentum=0.9)
    y = np.asarray(bn(x, training=True))
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(0), x.var(0) / (x.var(0) + 1e-3), rtol=1e-4)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * x.var(0), rtol=1e-5)
    assert bn.moving_mean.numpy().dtype == np.float32


def test_inference_uses_moving_statistics_and_changes_nothing():
    x = RNG.standard_normal((8, 3)).astype(np.float32)
    bn = BatchNormalization()
    bn.build((None, 3))
    bn.set_weights([np.full(3, 2.0), np.full(3, 0.5), np.full(3, 1.0), np.full(3, 4.0)])
    before = bn.get_weights()
    y = np.asarray(bn(x))  # training defaults to False
    np.testing.assert_allclose(y, 2.0 * (x - 1.0) / np.sqrt(4.0 + 1e-3) + 0.5, rtol=1e-5)
    for a, b in zip(before, bn.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_frozen_layer_runs_in_inference_mode_even_when_training():
    x = (RNG.standard_normal((16, 3)) + 2).astype(np.float32)
    bn = BatchNormalization()
    bn(x, training=True)
    bn.trainable = False
    stats = [w.copy() for w in bn.get_weights()]
    y_train = np.asarray(bn(x, training=True))
    y_infer = np.asarray(bn(x, training=False))
    np.testing.assert_array_equal(y_train, y_infer)
    for a, b in zip(stats, bn.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert bn.trainable_weights == [] and len(bn.non_trainable_weights) == 4


def test_moving_statistics_are_non_trainable_and_get_no_gradient():
    bn = BatchNormalization()
    x = RNG.standard_normal((8, 3)).astype(np.float32)
    bn(x)
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    with GradientTape() as tape:
        y = bn(x, training=True)
        loss = (y * np.arange(3, dtype=np.float32)).sum()
    g_gamma, g_beta = tape.gradient(loss, bn.trainable_weights)
    assert g_gamma.shape == (3,) and np.allclose(g_beta, 8 * np.arange(3))


def test_fit_updates_moving_statistics_and_predict_uses_them():
    model = keras.Sequential([keras.Input((6, 6, 1)), Conv2D(4, 3), BatchNormalization(),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = (RNG.standard_normal((64, 6, 6, 1)) * 2 + 3).astype(np.float32)
    y = RNG.standard_normal((64, 1)).astype(np.float32)
    bn = model.layers[1]
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert not np.allclose(bn.moving_mean.numpy(), 0)
    assert not np.allclose(bn.moving_variance.numpy(), 1)
    stats = [w.copy() for w in bn.get_weights()]
    p1 = model.predict(x[:5], verbose=0)
    p2 = model.predict(x[:5], verbose=0)
    np.testing.assert_array_equal(p1, p2)
    for a, b in zip(stats, bn.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.evaluate(x, y, verbose=0)
    for a, b in zip(stats, bn.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_frozen_batch_norm_inside_fit_keeps_its_statistics():
    model = keras.Sequential([keras.Input((4,)), BatchNormalization(), keras.layers.Dense(1)])
    model.layers[0].trainable = False
    model.compile(optimizer="sgd", loss="mse")
    stats = [w.copy() for w in model.layers[0].get_weights()]
    x = (RNG.standard_normal((32, 4)) + 3).astype(np.float32)
    model.fit(x, RNG.standard_normal((32, 1)).astype(np.float32), epochs=2, verbose=0)
    for a, b in zip(stats, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_symbolic_build_does_not_touch_the_statistics():
    bn = BatchNormalization()
    bn(keras.Input((5,)))
    np.testing.assert_array_equal(bn.moving_mean.numpy(), 0)
    np.testing.assert_array_equal(bn.moving_variance.numpy(), 1)
