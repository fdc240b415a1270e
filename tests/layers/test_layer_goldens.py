"""Golden parity with real Keras 3: for every layer of the catalog, the same
weights and inputs give the same outputs, input gradients and weight
gradients (and BatchNormalization the same moving statistics).

Goldens: tests/parity/generate_layer_goldens.py (TensorFlow backend).

Tolerance: rtol 1e-5 element-wise, plus an absolute floor of 1e-5 times the
largest magnitude of the reference array. The floor is needed only where an
entry is a long float32 reduction that cancels to near zero (convolution
and normalization gradients sum tens to hundreds of products whose
rounding order differs between BLAS and Eigen): there the relative error of
that single entry is meaningless, while the error relative to the array's
scale stays below 1e-5.

Deliberate difference: the input gradient of RandomRotation, RandomZoom and
RandomTranslation in training mode. TensorFlow registers for
ImageProjectiveTransformV3 the *inverse warp* of the output gradient, an
approximation that is not the derivative of the warp (it ignores the
interpolation weights' transpose and the pixels that leave the image).
minikeras differentiates the warp exactly (checked against numerical
gradients in test_preprocessing.py), so only the outputs are compared there.
"""
import json
import os

import numpy as np
import pytest
from autograd.tracer import getval

from minikeras.backend.tape import GradientTape
from tests.layers.catalog import CLASSES

# layers whose Keras input gradient is TensorFlow's inverse-warp approximation
APPROXIMATE_TF_GRADIENT = {"RandomRotation", "RandomZoom", "RandomTranslation"}

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")
with open(os.path.join(GOLDENS, "layer_cases.json")) as fh:
    CASES = json.load(fh)["cases"]
DATA = {}


def data(topic):
    if topic not in DATA:
        DATA[topic] = dict(np.load(os.path.join(GOLDENS, f"layer_{topic}.npz")))
    return DATA[topic]


def close(actual, expected, what, rtol=1e-5):
    expected = np.asarray(expected)
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-5 * max(scale, 1e-3),
                               err_msg=what)


def build_layer(case):
    cls = CLASSES[case["cls"]]
    layer = cls(**case["kwargs"])
    shapes = [tuple(s) for s in case["shapes"]]
    layer.build(shapes[0] if len(shapes) == 1 else shapes)
    return layer


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_layer_matches_keras(case):
    d = data(case["topic"])
    name = case["name"]
    layer = build_layer(case)
    assert [w.name for w in layer.weights] == case["weight_names"]
    assert [w.name for w in layer.trainable_weights] == case["trainable_names"]
    if layer.weights:
        layer.set_weights([d[f"{name}__w{j}"] for j in range(len(layer.weights))])
    xs = [d[f"{name}__x{i}"] for i in range(len(case["shapes"]))]
    kwargs = {"training": case["training"]}
    if case["mask"] is not None:
        kwargs["mask"] = d[f"{name}__mask"]
    cot = d[f"{name}__cot"]
    trainable = layer.trainable_weights
    with GradientTape() as tape:
        tape.watch(xs)
        y = layer(xs[0] if len(xs) == 1 else xs, **kwargs)
        loss = (y * cot).sum()
    grads = tape.gradient(loss, xs + trainable)
    y = getval(y)
    assert tuple(np.shape(y)) == tuple(case["output_shape"])
    assert np.asarray(y).dtype == np.float32
    close(np.asarray(y), d[f"{name}__y"], f"{name}: output")
    exact_in_tf = not (case["training"] and case["cls"] in APPROXIMATE_TF_GRADIENT)
    for i, have in enumerate(case["have_gx"]):
        if have and exact_in_tf:
            close(grads[i], d[f"{name}__gx{i}"], f"{name}: input gradient {i}")
    for j in range(len(trainable)):
        close(grads[len(xs) + j], d[f"{name}__gw{j}"],
              f"{name}: gradient of {trainable[j].name}")
    for j, w in enumerate(layer.weights):
        close(w.numpy(), d[f"{name}__after{j}"], f"{name}: {w.name} after the call")
    if f"{name}__loss" in d:
        total = sum(float(getval(l)) for l in layer.losses)
        np.testing.assert_allclose(total, float(d[f"{name}__loss"]), rtol=1e-5)
