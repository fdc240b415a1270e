"""Preprocessing layers: augmentation only in training (fit), never in
predict/evaluate; Normalization.adapt; exact gradients of the warps."""
import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.preprocessing import image_ops
from tests.gradcheck import check_grad
from tests.layers.catalog import (
    CenterCrop, Normalization, RandomContrast, RandomFlip, RandomRotation,
    RandomTranslation, RandomZoom, Rescaling, Resizing)

RNG = np.random.default_rng(0)
IMAGES = RNG.random((6, 8, 7, 3)).astype(np.float32)


@pytest.mark.parametrize("make", [
    lambda: RandomFlip(seed=1), lambda: RandomRotation(0.2, seed=1),
    lambda: RandomZoom(0.3, seed=1), lambda: RandomTranslation(0.2, 0.2, seed=1),
    lambda: RandomContrast(0.5, seed=1)])
def test_augmentation_only_in_training(make):
    layer = make()
    assert not np.array_equal(layer(IMAGES, training=True), IMAGES)
    np.testing.assert_array_equal(layer(IMAGES, training=False), IMAGES)
    model = keras.Sequential([keras.Input((8, 7, 3)), make()])
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), IMAGES)


def test_augmentation_runs_inside_fit_and_not_in_evaluate():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append((bool(training), np.array(x)))
            return x

    model = keras.Sequential([keras.Input((8, 7, 3)), RandomFlip("horizontal", seed=2), Probe(),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(IMAGES, np.zeros((6, 1), np.float32), batch_size=6, epochs=3, verbose=0)
    trained = [x for t, x in seen if t]
    assert trained and any(not np.array_equal(x, IMAGES) for x in trained)
    seen.clear()
    model.evaluate(IMAGES, np.zeros((6, 1), np.float32), verbose=0)
    assert all(not t for t, _ in seen) and all(np.array_equal(x, IMAGES) for _, x in seen)


@pytest.mark.parametrize("mode,axes", [("horizontal", (2,)), ("vertical", (1,)),
                                       ("horizontal_and_vertical", (1, 2))])
def test_random_flip_flips_whole_images(mode, axes):
    y = np.asarray(RandomFlip(mode, seed=5)(np.tile(IMAGES, (5, 1, 1, 1)), training=True))
    flipped = np.flip(np.tile(IMAGES, (5, 1, 1, 1)), axis=axes)
    same = np.all(y == np.tile(IMAGES, (5, 1, 1, 1)), axis=(1, 2, 3))
    flip = np.all(y == flipped, axis=(1, 2, 3))
    assert np.all(same | flip) and same.any() and flip.any()


def test_random_contrast_formula():
    layer = RandomContrast((0.3, 0.3), value_range=(0, 1), seed=7)
    y = np.asarray(layer(IMAGES, training=True))
    mean = IMAGES.mean(axis=(1, 2), keepdims=True)
    factor = ((y - mean) / (IMAGES - mean))[..., :1, :1, :1]   # per image
    assert np.all((factor >= 0.7 - 1e-4) & (factor <= 1.3 + 1e-4))
    expected = np.clip((IMAGES - mean) * factor + mean, 0, 1)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_random_layers_accept_single_images_and_integers():
    img = (IMAGES[0] * 255).astype(np.uint8)
    for layer in (RandomRotation(0.1, seed=1), RandomFlip(seed=1), Resizing(4, 5),
                  CenterCrop(4, 4), Rescaling(1 / 255)):
        y = np.asarray(layer(img))
        assert y.ndim == 3 and y.dtype == np.float32


def test_rescaling():
    np.testing.assert_allclose(Rescaling(1 / 127.5, offset=-1)(np.array([0, 255], np.uint8)),
                               [-1, 1], rtol=1e-6)
    per_channel = Rescaling([1.0, 2.0, 3.0])(np.ones((1, 2, 2, 3), np.float32))
    np.testing.assert_array_equal(per_channel[0, 0, 0], [1, 2, 3])


def test_normalization_adapt_on_arrays_and_batches():
    data = (RNG.standard_normal((500, 4)) * [1, 2, 3, 4] + [0, 1, 2, 3]).astype(np.float32)
    layer = Normalization()
    layer.adapt(data)
    y = np.asarray(layer(data))
    np.testing.assert_allclose(y.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(0), 1, rtol=1e-4)
    batched = Normalization()
    batched.adapt([data[i:i + 64] for i in range(0, 500, 64)])
    np.testing.assert_allclose(batched.adapt_mean.numpy(), layer.adapt_mean.numpy(), rtol=1e-5)
    np.testing.assert_allclose(batched.adapt_variance.numpy(), layer.adapt_variance.numpy(),
                               rtol=1e-5)
    scalar = Normalization(axis=None)
    scalar.adapt(data)
    assert scalar.adapt_mean.numpy().shape == ()
    inverse = Normalization(invert=True, mean=layer.adapt_mean.numpy(),
                            variance=layer.adapt_variance.numpy())
    np.testing.assert_allclose(inverse(y), data, rtol=1e-4, atol=1e-4)


def test_normalization_in_a_model_survives_weight_round_trip():
    data = RNG.standard_normal((50, 3)).astype(np.float32) * 5
    norm = Normalization()
    norm.adapt(data)
    model = keras.Sequential([keras.Input((3,)), norm, keras.layers.Dense(1)])
    clone = keras.Sequential([keras.Input((3,)), Normalization(), keras.layers.Dense(1)])
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(data, verbose=0), model.predict(data, verbose=0),
                               rtol=1e-5)


def test_normalization_requires_build_or_adapt():
    with pytest.raises(ValueError, match="mean"):
        Normalization(mean=1.0)


@pytest.mark.parametrize("interp", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill", ["reflect", "wrap", "constant", "nearest"])
def test_affine_warp_gradient_is_exact(interp, fill):
    x = RNG.standard_normal((2, 5, 6, 2))
    t = np.array([[0.9, -0.3, 0.7, 0.35, 1.1, -0.4, 0, 0],
                  [1, 0, -1.3, 0, 1, 0.6, 0, 0]], np.float32)
    check_grad(lambda x: image_ops.affine_transform(x, t, interp, fill, 0.5), x)


@pytest.mark.parametrize("interp", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
def test_resize_gradient(interp):
    from minikeras.ops import image as ops_image
    x = RNG.standard_normal((2, 5, 6, 2))
    for kwargs in ({}, {"crop_to_aspect_ratio": True}, {"antialias": True}):
        size = (4, 4) if kwargs else (7, 4)
        check_grad(lambda x: ops_image.resize(x, size, interp, data_format="channels_last",
                                              **kwargs), x)


def test_resizing_layer_takes_every_interpolation_and_antialias():
    from minikeras.ops import image as ops_image
    x = RNG.standard_normal((2, 9, 7, 3)).astype("float32")
    for interp in ("bicubic", "area", "lanczos3", "lanczos5"):
        layer = keras.layers.Resizing(4, 5, interpolation=interp, antialias=True)
        np.testing.assert_allclose(
            layer(x), ops_image.resize(x, (4, 5), interp, antialias=True), rtol=1e-6)
    with pytest.raises(ValueError, match="interpolation"):
        keras.layers.Resizing(4, 5, interpolation="cubic")


def test_lookup_layer_dtypes_match_keras():
    # Keras: the layer's dtype is the vocabulary dtype; the symbolic output of the
    # encoding modes is floatx while eager counts are int64 (TensorFlow's result).
    ints = keras.layers.IntegerLookup(vocabulary=[4, 5], output_mode="one_hot")
    strs = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
    assert (ints.dtype, ints.compute_dtype) == ("int64", "int64")
    assert (strs.dtype, strs.variable_dtype) == ("string", "string")
    assert ints(keras.Input((1,), dtype="int64")).dtype == "float32"
    assert strs(keras.Input((2,), dtype="string")).dtype == "float32"
    assert keras.layers.StringLookup(vocabulary=["a"])(keras.Input((2,), dtype="string")).dtype \
        == "int64"
    np.testing.assert_array_equal(ints(np.array([[5], [9]])), [[0, 0, 1], [1, 0, 0]])
    assert ints(np.array([[5]])).dtype == np.int64


def test_normalization_mean_and_variance_are_tensors_with_numpy():
    # The "Basic regression" tutorial prints `normalizer.mean.numpy()`.
    layer = keras.layers.Normalization(axis=-1)
    layer.adapt(np.array([[1.0, 10.0], [3.0, 30.0]], "float32"))
    np.testing.assert_allclose(layer.mean.numpy(), [[2.0, 20.0]])
    np.testing.assert_allclose(layer.variance.numpy(), [[1.0, 100.0]])
    fixed = keras.layers.Normalization(mean=2.0, variance=4.0)
    fixed.build((None, 1))
    assert fixed.mean.numpy().dtype == np.float32
    out = fixed(np.array([[4.0]], "float32"))
    assert type(out).__name__ == "EagerTensor" and float(out[0, 0]) == 1.0
