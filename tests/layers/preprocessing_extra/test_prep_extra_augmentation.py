"""Image augmentation layers: active only in training (fit) and never in
predict/evaluate, random draws within their documented ranges, seeds,
single images, channels_first, dict inputs with labels and masks, shapes in
Functional models, configs of the composite layers against Keras goldens,
and errors."""
import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.flatten import Flatten
from minikeras.layers.preprocessing.aug_mix import AugMix
from minikeras.layers.preprocessing.auto_contrast import AutoContrast
from minikeras.layers.preprocessing.cut_mix import CutMix
from minikeras.layers.preprocessing.equalization import Equalization
from minikeras.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes
from minikeras.layers.preprocessing.mix_up import MixUp
from minikeras.layers.preprocessing.pipeline import Pipeline
from minikeras.layers.preprocessing.rand_augment import RandAugment
from minikeras.layers.preprocessing.random_brightness import RandomBrightness
from minikeras.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
from minikeras.layers.preprocessing.random_color_jitter import RandomColorJitter
from minikeras.layers.preprocessing.random_crop import RandomCrop
from minikeras.layers.preprocessing.random_erasing import RandomErasing
from minikeras.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur
from minikeras.layers.preprocessing.random_grayscale import RandomGrayscale
from minikeras.layers.preprocessing.random_hue import RandomHue
from minikeras.layers.preprocessing.random_invert import RandomInvert
from minikeras.layers.preprocessing.random_perspective import RandomPerspective
from minikeras.layers.preprocessing.random_posterization import RandomPosterization
from minikeras.layers.preprocessing.random_saturation import RandomSaturation
from minikeras.layers.preprocessing.random_sharpness import RandomSharpness
from minikeras.layers.preprocessing.random_shear import RandomShear
from minikeras.layers.preprocessing.solarization import Solarization

RNG = np.random.default_rng(0)
X = (RNG.random((6, 10, 9, 3)) * 255).astype(np.float32)
GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "parity", "goldens")

RANDOM_LAYERS = [
    lambda: RandomBrightness(0.4, seed=1), lambda: RandomInvert(1.0, seed=1),
    lambda: RandomGrayscale(1.0, seed=1), lambda: RandomHue(0.8, seed=1),
    lambda: RandomSaturation((0.1, 0.3), seed=1), lambda: RandomSharpness(0.9, seed=1),
    lambda: RandomShear(0.5, 0.5, seed=1), lambda: RandomPosterization(3, seed=1),
    lambda: RandomColorDegeneration(0.9, seed=1), lambda: RandomErasing(1.0, seed=1),
    lambda: RandomGaussianBlur(1.0, seed=1), lambda: RandomPerspective(1.0, seed=1),
    lambda: Solarization(0.3, 0.5, seed=1), lambda: MixUp(seed=1), lambda: CutMix(seed=1),
    lambda: RandAugment(seed=1), lambda: AugMix(seed=1),
    lambda: RandomColorJitter(brightness_factor=0.3, contrast_factor=0.3,
                              saturation_factor=(0.2, 0.8), hue_factor=0.3, seed=1),
    lambda: Equalization(),
]


@pytest.mark.parametrize("make", RANDOM_LAYERS)
def test_active_only_in_training(make):
    layer = make()
    assert not np.allclose(layer(X, training=True), X)
    np.testing.assert_array_equal(layer(X, training=False), X)
    model = keras.Sequential([keras.Input((10, 9, 3)), make()])
    np.testing.assert_array_equal(model.predict(X, verbose=0), X)


def test_augmentation_runs_in_fit_not_in_evaluate():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            seen.append((bool(training), np.array(x)))
            return x

    model = keras.Sequential([keras.Input((10, 9, 3)), RandomBrightness(0.5, seed=3),
                              RandomCrop(8, 8, seed=3), Probe(), Flatten(), Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((6, 1), np.float32)
    model.fit(X / 255.0, y, batch_size=6, epochs=2, verbose=0)
    trained = [x for t, x in seen if t]
    assert trained and trained[0].shape == (6, 8, 8, 3)
    seen.clear()
    model.evaluate(X / 255.0, y, verbose=0)
    model.evaluate(X / 255.0, y, verbose=0)
    assert all(not t for t, _ in seen) and len(seen) == 2
    # inference: no brightness change, the (deterministic) centered crop
    crop = RandomCrop(8, 8)
    center = crop.transform_images(X / 255.0, crop.get_random_transformation(X, training=False))
    np.testing.assert_allclose(seen[0][1], center, rtol=1e-5)
    np.testing.assert_array_equal(seen[0][1], seen[1][1])


def test_random_crop_positions_and_center_crop():
    layer = RandomCrop(4, 5, seed=0)
    starts = set()
    for _ in range(30):
        y = np.asarray(layer(X, training=True))
        assert y.shape == (6, 4, 5, 3)
        match = [(i, j) for i in range(7) for j in range(5)
                 if np.array_equal(X[:, i:i + 4, j:j + 5], y)]
        assert len(match) == 1
        starts.add(match[0])
    assert len(starts) > 5
    # inference (Keras' rule): a 4 x 5 window at the corner of the largest centered
    # 4:5 window (7 x 9, at row 1, column 0)
    np.testing.assert_array_equal(layer(X, training=False), X[:, 1:5, 0:5])
    small = RandomCrop(12, 9, seed=0)(X, training=True)   # smaller input: crop + resize
    assert small.shape == (6, 12, 9, 3)


def test_brightness_offsets_within_range():
    layer = RandomBrightness((-0.2, 0.3), value_range=(0, 1), seed=5)
    x = np.full((200, 2, 2, 3), 0.5, np.float32)
    deltas = np.asarray(layer(x, training=True))[:, 0, 0, 0] - 0.5
    assert deltas.min() >= -0.2 - 1e-6 and deltas.max() <= 0.3 + 1e-6
    assert deltas.std() > 0.1 and np.unique(np.round(deltas, 5)).size > 150
    y = np.asarray(layer(x, training=True))
    assert np.all(y == y[:, :1, :1, :1])   # one offset per image


def test_seeded_layers_are_reproducible():
    for make in (lambda: RandomHue(0.5, seed=9), lambda: RandAugment(seed=9),
                 lambda: RandomErasing(seed=9)):
        np.testing.assert_array_equal(make()(X, training=True), make()(X, training=True))


def test_probability_factors():
    x = np.tile(X[:1], (400, 1, 1, 1))
    inverted = np.all(np.isclose(RandomInvert(0.5, seed=2)(x, training=True), 255 - x),
                      axis=(1, 2, 3))
    # P(threshold < U(0, 0.5)) = 0.25
    assert 0.17 < inverted.mean() < 0.33
    gray = np.asarray(RandomGrayscale(0.3, seed=2)(x, training=True))
    is_gray = np.all(np.isclose(gray[..., 0], gray[..., 1]), axis=(1, 2))
    assert 0.22 < is_gray.mean() < 0.38
    np.testing.assert_allclose(gray[is_gray][..., 0],
                               (x[is_gray] @ np.array([0.2989, 0.587, 0.114], np.float32)),
                               rtol=1e-5)


def test_mix_up_and_cut_mix_labels_follow_images():
    labels = np.eye(6, dtype=np.float32)
    layer = MixUp(alpha=0.5, seed=4)
    t = layer.get_random_transformation(X)
    w, order = t["mix_weight"], t["permutation_order"]
    assert sorted(order.tolist()) == list(range(6)) and np.all((w >= 0) & (w <= 1))
    expected = w[:, None, None, None] * X + (1 - w[:, None, None, None]) * X[order]
    np.testing.assert_allclose(layer.transform_images(X, t), expected, rtol=1e-5)
    np.testing.assert_allclose(layer.transform_labels(labels, t),
                               w[:, None] * labels + (1 - w[:, None]) * labels[order],
                               rtol=1e-6)
    out = MixUp(alpha=0.5, seed=4)({"images": X, "labels": labels}, training=True)
    np.testing.assert_allclose(out["images"], expected, rtol=1e-5)
    layer = CutMix(seed=4)
    t = layer.get_random_transformation(X)
    mixed = layer.transform_labels(labels, t)
    images = np.asarray(layer.transform_images(X, t))
    kept = np.mean(np.all(images == X, axis=-1), axis=(1, 2))
    for i in range(6):
        if t["permutation_order"][i] != i:
            np.testing.assert_allclose(kept[i], t["mix_weight"].ravel()[i], atol=0.12)
    np.testing.assert_allclose(mixed.sum(axis=1), 1, rtol=1e-6)


def test_erasing_area_and_fill():
    layer = RandomErasing(factor=1.0, scale=(0.1, 0.2), fill_value=7.0, seed=3)
    y = np.asarray(layer(X, training=True))
    erased = np.all(y == 7.0, axis=-1).mean(axis=(1, 2))
    # each image is erased with a probability drawn in [0, 1]; a box covers
    # sqrt(0.1)..sqrt(0.2) of each side
    assert np.all(erased < 0.45) and np.any(erased > 0.05)
    assert np.all((erased == 0) | (erased > 0.05))


def test_single_image_channels_first_and_masks():
    img = X[0]
    for layer in (RandomShear(0.3, seed=1), RandomCrop(5, 5, seed=1), RandomHue(0.4, seed=1),
                  AutoContrast(), RandomPerspective(seed=1)):
        y = np.asarray(layer(img, training=True))
        assert y.ndim == 3 and y.dtype == np.float32
    cf = np.transpose(X, (0, 3, 1, 2))
    for make in (lambda f: RandomSharpness(0.9, seed=2, data_format=f),
                 lambda f: RandomShear(0.4, seed=2, data_format=f),
                 lambda f: RandomHue(0.5, seed=2, data_format=f)):
        last = np.asarray(make("channels_last")(X, training=True))
        first = np.asarray(make("channels_first")(cf, training=True))
        np.testing.assert_allclose(np.transpose(first, (0, 2, 3, 1)), last, rtol=1e-5,
                                   atol=1e-3)
    masks = np.arange(6 * 10 * 9, dtype=np.float32).reshape(6, 10, 9, 1)
    out = RandomShear(0.4, seed=2)({"images": X, "segmentation_masks": masks}, training=True)
    assert set(np.unique(out["segmentation_masks"])) <= set(np.unique(masks))  # nearest
    out = RandomCrop(4, 4, seed=2)({"images": X, "segmentation_masks": masks}, training=True)
    assert out["segmentation_masks"].shape == (6, 4, 4, 1)


def test_functional_shapes():
    inp = keras.Input((10, 9, 3))
    out = RandomCrop(6, 5)(inp)
    out = RandAugment()(out)
    assert tuple(out.shape) == (None, 6, 5, 3)
    model = keras.Model(inp, out)
    assert model.predict(X, verbose=0).shape == (6, 6, 5, 3)


def test_pipeline_applies_in_order_and_round_trips(monkeypatch):
    pipe = Pipeline([RandomCrop(6, 6, seed=1), AutoContrast()])
    y = np.asarray(pipe(X))
    assert y.shape == (6, 6, 6, 3)
    np.testing.assert_allclose(y.min(axis=(1, 2)), 0, atol=1e-3)
    np.testing.assert_allclose(y.max(axis=(1, 2)), 255, atol=1e-3)
    assert pipe.compute_output_shape((None, 10, 9, 3)) == (None, 6, 6, 3)
    clone = Pipeline.from_config(pipe.get_config())
    assert [type(la).__name__ for la in clone.layers] == ["RandomCrop", "AutoContrast"]
    with open(os.path.join(GOLDENS, "prep_extra_configs.json")) as f:
        keras_config = json.load(f)["configs"]["Pipeline"]
    # a Keras-written config loads once the names are exported from keras.layers
    import minikeras.layers as layers_module
    monkeypatch.setattr(layers_module, "AutoContrast", AutoContrast, raising=False)
    monkeypatch.setattr(layers_module, "RandomBrightness", RandomBrightness, raising=False)
    loaded = Pipeline.from_config(keras_config)
    assert [type(la).__name__ for la in loaded.layers] == ["AutoContrast", "RandomBrightness"]
    assert loaded.layers[1].factor == (-0.1, 0.1) or list(loaded.layers[1].factor) == [-0.1,
                                                                                       0.1]


@pytest.mark.parametrize("name,make", [
    ("RandomColorJitter", lambda: RandomColorJitter(
        brightness_factor=0.2, contrast_factor=0.3, saturation_factor=(0.4, 0.6),
        hue_factor=0.2, seed=2)),
    ("RandAugment", lambda: RandAugment(num_ops=3, factor=0.4, seed=3)),
    ("AugMix", lambda: AugMix(num_chains=2, chain_depth=2, factor=0.2, alpha=0.5,
                              all_ops=False, seed=4)),
    ("MaxNumBoundingBoxes", lambda: MaxNumBoundingBoxes(3, fill_value=-2,
                                                        bounding_box_format="xyxy")),
])
def test_composite_configs_match_keras(name, make):
    with open(os.path.join(GOLDENS, "prep_extra_configs.json")) as f:
        theirs = json.load(f)["configs"][name]
    ours = make().get_config()
    assert set(ours) == set(theirs)
    for k, v in theirs.items():
        if k != "name":
            mine = list(ours[k]) if isinstance(ours[k], tuple) else ours[k]
            assert mine == v, k
    type(make()).from_config(ours)


def test_max_num_bounding_boxes_matches_keras():
    with open(os.path.join(GOLDENS, "prep_extra_configs.json")) as f:
        g = json.load(f)["max_boxes"]
    boxes, labels = np.array(g["boxes"], np.float32), np.array(g["labels"], np.float32)
    for n, expected in g["out"].items():
        layer = MaxNumBoundingBoxes(int(n), fill_value=-2, bounding_box_format="xyxy")
        out = layer({"images": np.zeros((2, 4, 4, 3), np.float32),
                     "bounding_boxes": {"boxes": boxes, "labels": labels}})
        np.testing.assert_array_equal(out["bounding_boxes"]["boxes"], expected["boxes"])
        np.testing.assert_array_equal(out["bounding_boxes"]["labels"], expected["labels"])
    with pytest.raises(ValueError, match="bounding box format"):
        MaxNumBoundingBoxes(2)({"images": np.zeros((2, 4, 4, 3), np.float32),
                                "bounding_boxes": {"boxes": boxes, "labels": labels}})


def test_rand_augment_applies_the_chosen_operations():
    layer = RandAugment(num_ops=1, factor=0.3, seed=0)
    t = layer.get_random_transformation(X)
    idx = int(t["layer_idxes"][0])
    name = layer._AUGMENT_LAYERS[idx]
    expected = getattr(layer, name).transform_images(X, t["transforms"][name])
    np.testing.assert_allclose(layer.transform_images(X, t), expected, rtol=1e-6)


def test_aug_mix_is_a_convex_mix_within_range():
    layer = AugMix(value_range=(0, 255), seed=3)
    t = layer.get_random_transformation(X)
    assert np.isclose(t["chain_mixing_weights"].sum(), 1, atol=1e-6)
    y = np.asarray(layer.transform_images(X, t))
    assert y.min() >= 0 and y.max() <= 255
    t["chain_transforms"] = [[] for _ in t["chain_transforms"]]   # identity chains
    np.testing.assert_allclose(layer.transform_images(X, t), X, rtol=1e-5, atol=1e-3)


def test_color_jitter_brightness_only_is_an_offset():
    layer = RandomColorJitter(brightness_factor=(0.1, 0.2), value_range=(0, 1), seed=1)
    x = np.full((5, 3, 3, 3), 0.3, np.float32)
    d = np.asarray(layer(x, training=True)) - 0.3
    assert np.all(d >= 0.1 - 1e-6) and np.all(d <= 0.2 + 1e-6)


def test_gradients_flow_through_color_and_warp_layers():
    from minikeras.backend.tape import value_and_grad
    import autograd.numpy as anp
    x = keras.Variable(X[:2] / 255.0)
    for layer in (RandomSharpness(0.8, value_range=(0, 1), seed=1),
                  RandomShear(0.3, seed=1), RandomHue(0.3, value_range=(0, 1), seed=1)):
        t = layer.get_random_transformation(X[:2])
        _, grads = value_and_grad(
            lambda: (anp.sum(layer.transform_images(x.value, t) ** 2), None), [x])
        assert np.isfinite(grads[0]).all() and np.abs(grads[0]).sum() > 0


@pytest.mark.parametrize("make,error", [
    (lambda: RandomBrightness(1.5), ValueError),
    (lambda: RandomBrightness(0.2, value_range=(0,)), ValueError),
    (lambda: RandomInvert(-0.5), ValueError),
    (lambda: RandomGrayscale(2.0), ValueError),
    (lambda: RandomShear(x_factor=2.0), ValueError),
    (lambda: RandomShear(fill_mode="mirror"), NotImplementedError),
    (lambda: RandomPerspective(scale=1.5), ValueError),
    (lambda: RandomPosterization(9), ValueError),
    (lambda: RandomGaussianBlur(kernel_size=4), ValueError),
    (lambda: Solarization(addition_factor=1.5), ValueError),
    (lambda: RandomErasing(scale=(2, 3)), ValueError),
])
def test_bad_arguments(make, error):
    with pytest.raises(error):
        make()


def test_bad_rank():
    with pytest.raises(ValueError, match="rank 3"):
        RandomBrightness(0.2)(np.zeros((4, 4), np.float32), training=True)
