"""STFTSpectrogram and MelSpectrogram against real Keras 3 goldens
(`tests/parity/generate_preprocessing_extra_goldens.py`): kernels (1e-6),
outputs (1e-4 relative; dB and log outputs 2e-3 absolute), configs, output
shapes, and the STFT kernels' gradient."""
import json
import os

import autograd.numpy as anp
import numpy as np
import pytest

from minikeras.backend.tape import value_and_grad
from minikeras.layers.preprocessing.mel_spectrogram import MelSpectrogram
from minikeras.layers.preprocessing.stft_spectrogram import STFTSpectrogram

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "parity", "goldens")
with open(os.path.join(HERE, "prep_extra_audio.json")) as _f:
    CASES = json.load(_f)["cases"]
ARRAYS = np.load(os.path.join(HERE, "prep_extra_audio.npz"))
CLASSES = {"STFTSpectrogram": STFTSpectrogram, "MelSpectrogram": MelSpectrogram}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_keras(case):
    layer = CLASSES[case["cls"]](**case["kwargs"])
    x = ARRAYS[f"{case['name']}__x"]
    y = np.asarray(layer(x))
    expected = ARRAYS[f"{case['name']}__y"]
    assert y.shape == expected.shape and y.dtype == np.float32
    assert layer.compute_output_shape(x.shape) == expected.shape
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=2e-3)
    for name in case.get("weight_names", []):
        mine = [w for w in layer.weights if w.name == name][0].numpy()
        np.testing.assert_allclose(mine, ARRAYS[f"{case['name']}__w__{name}"], rtol=1e-5,
                                   atol=1e-6)
    if "weight_names" in case:
        assert [w.name for w in layer.weights] == case["weight_names"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_matches_keras(case):
    layer = CLASSES[case["cls"]](**case["kwargs"])
    ours = layer.get_config()
    theirs = case["config"]
    assert set(ours) == set(theirs)
    for k, v in theirs.items():
        if k != "name":
            assert ours[k] == v, k
    assert type(layer).from_config(ours).get_config() == ours


def test_stft_kernels_are_trainable_and_differentiable():
    """The kernels are trainable weights (as in Keras) and gradients reach them
    through the layer (checked against central differences)."""
    layer = STFTSpectrogram(mode="magnitude", frame_length=8, frame_step=4)
    x = np.random.default_rng(0).normal(size=(2, 24, 1)).astype("float32")
    layer(x)
    assert [w.trainable for w in layer.weights] == [True, True]
    weights = np.random.default_rng(1).normal(size=np.shape(layer(x))).astype("float32")

    def loss():
        return anp.sum(layer(x) * weights), None

    _, grads = value_and_grad(loss, [layer.real_kernel])
    kernel = layer.real_kernel.numpy().copy()
    idx, eps = (3, 0, 2), 1e-2

    def at(value):
        k = kernel.copy()
        k[idx] = value
        layer.real_kernel.assign(k)
        out = float(np.sum(np.asarray(layer(x), dtype=np.float64) * weights))
        layer.real_kernel.assign(kernel)
        return out

    numeric = (at(kernel[idx] + eps) - at(kernel[idx] - eps)) / (2 * eps)
    np.testing.assert_allclose(grads[0][idx], numeric, rtol=2e-2, atol=1e-3)
