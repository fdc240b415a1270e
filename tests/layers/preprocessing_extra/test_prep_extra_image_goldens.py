"""Image augmentation layers against real Keras 3 goldens
(`tests/parity/generate_preprocessing_extra_goldens.py`).

Random layers are compared through the transformation Keras drew: the test
feeds the same transformation to `transform_images` and compares outputs
(1e-4 relative, 2e-3 absolute on a 0-255 scale: float32 rounding of the
color-space conversions). Deterministic layers compare `layer(x)`. Also:
configs equal Keras', and layers Keras leaves unchanged at inference are
unchanged here too.
"""
import json
import os

import numpy as np
import pytest

from minikeras.layers.preprocessing.auto_contrast import AutoContrast
from minikeras.layers.preprocessing.cut_mix import CutMix
from minikeras.layers.preprocessing.equalization import Equalization
from minikeras.layers.preprocessing.mix_up import MixUp
from minikeras.layers.preprocessing.random_brightness import RandomBrightness
from minikeras.layers.preprocessing.random_color_degeneration import RandomColorDegeneration
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

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "parity", "goldens")
with open(os.path.join(HERE, "prep_extra_image.json")) as _f:
    CASES = json.load(_f)["cases"]
ARRAYS = np.load(os.path.join(HERE, "prep_extra_image.npz"))
CLASSES = {c.__name__: c for c in (
    AutoContrast, CutMix, Equalization, MixUp, RandomBrightness, RandomColorDegeneration,
    RandomCrop, RandomErasing, RandomGaussianBlur, RandomGrayscale, RandomHue, RandomInvert,
    RandomPerspective, RandomPosterization, RandomSaturation, RandomSharpness, RandomShear,
    Solarization)}


def _kwargs(case):
    kw = dict(case["kwargs"])
    for k, v in kw.items():
        if isinstance(v, list) and k not in ("fill_value",):
            kw[k] = tuple(v)
    return kw


def _transformation(case):
    name, keys = case["name"], case["t_keys"]
    if keys is None:
        return None
    if keys in ("tuple", "array"):
        t = ARRAYS[f"{name}__t"]
        return tuple(int(v) for v in t) if keys == "tuple" else t
    return {k: ARRAYS[f"{name}__t__{k}"] for k in keys}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_keras(case):
    layer = CLASSES[case["cls"]](**_kwargs(case))
    x = ARRAYS[f"{case['name']}__x"]
    expected = ARRAYS[f"{case['name']}__y"]
    if case["mode"] == "call":
        y = layer(x, training=True)
    else:
        y = layer.transform_images(x, _transformation(case), training=True)
    y = np.asarray(y)
    assert y.dtype == np.float32 and y.shape == expected.shape
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=2e-3)


def _same(mine, theirs):
    if isinstance(mine, (tuple, list)) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(_same(a, b) for a, b in zip(mine, theirs))
    if isinstance(theirs, float) and isinstance(mine, (int, float)):
        return abs(mine - theirs) <= 1e-7 * max(1.0, abs(theirs))
    return mine == theirs


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_matches_keras(case):
    layer = CLASSES[case["cls"]](**_kwargs(case))
    ours, theirs = layer.get_config(), case["config"]
    assert set(ours) == set(theirs)
    for key, value in theirs.items():
        if key == "name" or (key == "seed" and case["kwargs"].get("seed") is None):
            continue
        assert _same(ours[key], value), (key, ours[key], value)
    clone = type(layer).from_config(ours)
    assert clone.get_config() == ours


@pytest.mark.parametrize("case", [c for c in CASES if c["infer_same"] is not None],
                         ids=[c["name"] for c in CASES if c["infer_same"] is not None])
def test_inference_behaviour_matches_keras(case):
    layer = CLASSES[case["cls"]](**_kwargs(case))
    x = ARRAYS[f"{case['name']}__x"]
    same = np.array_equal(np.asarray(layer(x, training=False)), x)
    if case["cls"] == "RandomCrop":
        # Keras 3.15.1 passes inference inputs through (keras-team/keras#21868);
        # minikeras center-crops as documented
        assert not same
    else:
        assert same == case["infer_same"]
