"""Noise and dropout layers: active only in training, Keras' formulas,
reproducible with a seed."""
import numpy as np
import pytest

import minikeras as keras
from minikeras.backend.tape import GradientTape
from tests.layers.catalog import (
    ActivityRegularization, AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D,
    SpatialDropout2D, SpatialDropout3D)

X = np.random.default_rng(0).standard_normal((400, 50)).astype(np.float32)


@pytest.mark.parametrize("layer", [
    lambda: GaussianNoise(0.5), lambda: GaussianDropout(0.4), lambda: AlphaDropout(0.3),
    lambda: SpatialDropout1D(0.5)])
def test_identity_at_inference(layer):
    layer = layer()
    x = X.reshape(40, 10, 50) if isinstance(layer, SpatialDropout1D) else X
    np.testing.assert_array_equal(layer(x), x)
    np.testing.assert_array_equal(layer(x, training=False), x)


def test_gaussian_noise_statistics():
    y = np.asarray(GaussianNoise(0.5, seed=1)(X, training=True))
    noise = y - X
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.5) < 0.01
    assert y.dtype == np.float32


def test_gaussian_dropout_statistics():
    ones = np.ones((400, 500), np.float32)
    y = np.asarray(GaussianDropout(0.2, seed=1)(ones, training=True))
    assert abs(y.mean() - 1) < 0.005 and abs(y.std() - np.sqrt(0.2 / 0.8)) < 0.005


def test_alpha_dropout_keeps_mean_and_variance_and_uses_the_selu_floor():
    y = np.asarray(AlphaDropout(0.2, seed=3)(X, training=True))
    assert abs(y.mean() - X.mean()) < 0.02 and abs(y.std() - X.std()) < 0.02
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * 0.2
    dropped = np.isclose(y, a * alpha_p + b)
    assert 0.18 < dropped.mean() < 0.22
    np.testing.assert_allclose(y[~dropped], a * X[~dropped] + b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("layer,shape,shared", [
    (lambda: SpatialDropout1D(0.5, seed=1), (8, 6, 20), (1,)),
    (lambda: SpatialDropout2D(0.5, seed=1), (8, 5, 6, 20), (1, 2)),
    (lambda: SpatialDropout2D(0.5, data_format="channels_first", seed=1), (8, 20, 5, 6),
     (2, 3)),
    (lambda: SpatialDropout3D(0.5, seed=1), (4, 3, 4, 5, 20), (1, 2, 3)),
])
def test_spatial_dropout_drops_whole_feature_maps(layer, shape, shared):
    x = np.ones(shape, np.float32)
    y = np.asarray(layer()(x, training=True))
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert np.all(y.min(axis=shared) == y.max(axis=shared))   # one value per map
    assert 0.3 < (y == 0).mean() < 0.7


def test_seeded_layers_are_reproducible():
    a = np.asarray(GaussianNoise(0.3, seed=42)(X, training=True))
    b = np.asarray(GaussianNoise(0.3, seed=42)(X, training=True))
    np.testing.assert_array_equal(a, b)


def test_dropout_layers_pass_gradients():
    layer = SpatialDropout1D(0.5, seed=0)
    x = np.ones((4, 3, 6), np.float32)
    with GradientTape() as tape:
        tape.watch(x)
        y = layer(x, training=True)
        loss = y.sum()
    g = tape.gradient(loss, x)
    assert set(np.unique(g)) == {0.0, 2.0}     # the scaled keep-mask
    assert np.all(g.min(axis=1) == g.max(axis=1))


def test_activity_regularization_adds_its_penalty_per_sample():
    layer = ActivityRegularization(l1=0.1, l2=0.01)
    x = np.array([[1.0, -2.0], [3.0, 0.0]], np.float32)
    np.testing.assert_array_equal(layer(x), x)
    (loss,) = layer.losses
    np.testing.assert_allclose(float(loss), (0.1 * 6 + 0.01 * 14) / 2, rtol=1e-6)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2),
                              ActivityRegularization(l2=1e3)])
    model.compile(optimizer="sgd", loss="mse")
    big = model.evaluate(x, x * 0, verbose=0)
    assert big > 1.0   # the penalty dominates the (near zero) mse
