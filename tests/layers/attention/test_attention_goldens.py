"""Golden parity with real Keras 3 for the attention family: MultiHeadAttention,
GroupQueryAttention, Attention, AdditiveAttention, EinsumDense,
SpectralNormalization, the adaptive pooling layers and ReversibleEmbedding.

Goldens: tests/parity/generate_attention_goldens.py (TensorFlow backend). Same
weights and inputs give the same outputs (and attention scores), the same
gradients of `sum(output * cotangent)` with respect to the float inputs and
every trainable weight, and the same weights after the call
(SpectralNormalization updates its kernel and `vector_u` in training).

Tolerance: rtol 1e-5 element-wise, plus an absolute floor of 1e-5 times the
largest magnitude of the reference array: a gradient entry that is a
float32 sum of many products cancelling to near zero has no meaningful
relative error (BLAS and Eigen sum in different orders), while its error
relative to the array's scale stays below 1e-5.

One gradient is zero in exact arithmetic: that of the key projection's bias
in MultiHeadAttention/GroupQueryAttention (the bias adds `q . b` to every
logit of a query row, and a softmax ignores a per-row shift). Both
frameworks return float32 rounding noise (~1e-7) there; it is checked to be
below 1e-5 times the largest weight gradient of the case. A weight the
output does not depend on (TF: None) must get no gradient here either.
"""
import json
import os

import numpy as np
import pytest
from autograd.tracer import getval

from minikeras.backend.tape import GradientTape
from minikeras.layers.attention.additive_attention import AdditiveAttention
from minikeras.layers.attention.attention import Attention
from minikeras.layers.attention.grouped_query_attention import GroupQueryAttention
from minikeras.layers.attention.multi_head_attention import MultiHeadAttention
from minikeras.layers.convolutional.conv2d import Conv2D
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.einsum_dense import EinsumDense
from minikeras.layers.core.reversible_embedding import ReversibleEmbedding
from minikeras.layers.normalization.spectral_normalization import SpectralNormalization
from minikeras.layers.pooling import adaptive_pooling

CLASSES = {c.__name__: c for c in (
    AdditiveAttention, Attention, MultiHeadAttention, EinsumDense, ReversibleEmbedding,
    SpectralNormalization, Dense, Conv2D,
    adaptive_pooling.AdaptiveAveragePooling1D, adaptive_pooling.AdaptiveAveragePooling2D,
    adaptive_pooling.AdaptiveAveragePooling3D, adaptive_pooling.AdaptiveMaxPooling1D,
    adaptive_pooling.AdaptiveMaxPooling2D, adaptive_pooling.AdaptiveMaxPooling3D)}
CLASSES["GroupQueryAttention"] = GroupQueryAttention

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "parity", "goldens")
with open(os.path.join(GOLDENS, "attention_cases.json")) as fh:
    SPEC = json.load(fh)
CASES = SPEC["cases"]
_DATA = {}


def data():
    if not _DATA:
        _DATA.update(np.load(os.path.join(GOLDENS, "attention_data.npz")))
    return _DATA


def close(actual, expected, what, rtol=1e-5):
    expected = np.asarray(expected)
    actual = np.asarray(getval(actual))
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-5 * max(scale, 1e-3),
                               err_msg=what)


def make_layer(case):
    kwargs = dict(case["kwargs"])
    if case["cls"] == "SpectralNormalization":
        inner_cls, inner_kwargs = kwargs.pop("layer")
        return SpectralNormalization(CLASSES[inner_cls](**inner_kwargs), **kwargs)
    return CLASSES[case["cls"]](**kwargs)


def invoke(layer, case, inputs):
    kw = dict(case["call_kwargs"], training=case["training"])
    if case["call"] == "qkv":
        return layer(**inputs, **kw)
    if case["call"] == "list":
        seq = [inputs["query"], inputs["value"]] + ([inputs["key"]] if "key" in inputs else [])
        if "query_mask" in inputs or "value_mask" in inputs:
            kw["mask"] = [inputs.get("query_mask"), inputs.get("value_mask")]
        return layer(seq, **kw)
    return layer(inputs["inputs"], **kw)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_keras(case):
    d = data()
    name = case["name"]
    layer = make_layer(case)
    inputs = {k: d[f"{name}__in_{k}"] for k in case["inputs"]}
    if case["cls"] == "SpectralNormalization":
        layer.build(inputs["inputs"].shape)
    else:
        invoke(layer, case, inputs)  # builds, as the generator does
    assert [w.name for w in layer.weights] == case["weight_names"]
    assert [w.name for w in layer.trainable_weights] == case["trainable_names"]
    layer.set_weights([d[f"{name}__w{j}"] for j in range(len(layer.weights))])
    watched = [inputs[k] for k in case["grad_inputs"]]
    trainable = layer.trainable_weights
    with GradientTape() as tape:
        tape.watch(watched)
        out = invoke(layer, case, inputs)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        assert len(outs) == case["n_outputs"]
        loss = sum((o * d[f"{name}__cot{i}"]).sum() for i, o in enumerate(outs))
    grads = tape.gradient(loss, watched + trainable)
    for i, o in enumerate(outs):
        assert np.asarray(getval(o)).dtype == np.float32, f"{name}: output {i} dtype"
        close(o, d[f"{name}__y{i}"], f"{name}: output {i}")
    for k, g in zip(case["grad_inputs"], grads):
        close(g, d[f"{name}__gin_{k}"], f"{name}: gradient of input {k}")
    key_bias = getattr(getattr(layer, "_key_dense", None), "bias", None)
    scale = max([float(np.max(np.abs(d[f"{name}__gw{j}"]))) for j in range(len(trainable))],
                default=0.0)
    for j, w in enumerate(trainable):
        g, ref = grads[len(watched) + j], d[f"{name}__gw{j}"]
        if g is None:
            assert not np.any(ref), f"{name}: {w.name} has a gradient in Keras"
        elif w is key_bias:
            assert np.max(np.abs(getval(g))) <= 1e-5 * scale, f"{name}: key bias gradient"
            assert np.max(np.abs(ref)) <= 1e-5 * scale
        else:
            close(g, ref, f"{name}: gradient of {w.name}")
    for j, w in enumerate(layer.weights):
        close(w.numpy(), d[f"{name}__after{j}"], f"{name}: {w.name} after the call")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_matches_keras(case):
    """`get_config()` after building has Keras's keys and values."""
    d = data()
    layer = make_layer(case)
    inputs = {k: d[f"{case['name']}__in_{k}"] for k in case["inputs"]}
    if case["cls"] == "SpectralNormalization":
        layer.build(inputs["inputs"].shape)
    else:
        invoke(layer, case, inputs)
    ours = json.loads(json.dumps(layer.get_config()))
    ours.pop("name")
    ours.pop("dtype")
    theirs = dict(case["config"])
    if case["cls"] == "SpectralNormalization":
        assert ours.pop("layer")["class_name"] == theirs.pop("layer")["class_name"]
    assert ours == theirs
    clone = type(layer).from_config(layer.get_config())
    assert json.loads(json.dumps(clone.get_config())) == json.loads(
        json.dumps(type(layer).from_config(clone.get_config()).get_config()))


def test_keras_saved_transformer_loads_and_predicts():
    """A `.keras` file written by Keras (Embedding(mask_zero) -> MultiHeadAttention
    -> Add -> LayerNormalization -> pooling -> Dense) loads here and predicts
    the same: the padding mask reaches the attention as in Keras."""
    from minikeras.layers.core.embedding import Embedding
    from minikeras.saving.saving_api import load_model
    d = data()
    model = load_model(os.path.join(GOLDENS, "attention_model.keras"),
                       custom_objects={"MultiHeadAttention": MultiHeadAttention,
                                       "Embedding": Embedding})
    mha = [l for l in model.layers if isinstance(l, MultiHeadAttention)][0]
    assert [w.name for w in mha.weights] == [p.split("/")[-1] for p in SPEC["model"]
                                            ["weight_paths"] if p.startswith("mha/")]
    # ... and the paths nest as Keras's do ("mha/query/kernel", not "query/kernel").
    assert [w.path for w in model.weights] == SPEC["model"]["weight_paths"]
    close(model.predict(d["model__ids"], verbose=0), d["model__y"], "loaded model predict")


def test_saved_weights_file_has_keras_layout(tmp_path):
    """Saving here writes MultiHeadAttention's variables where Keras puts them
    (`.../query_dense/vars/0`, ...), so real Keras can load the file."""
    import zipfile
    from minikeras.layers.core.embedding import Embedding
    from minikeras.saving.h5_store import h5_bytes_reader
    from minikeras.saving.saving_api import load_model
    objects = {"MultiHeadAttention": MultiHeadAttention, "Embedding": Embedding}
    model = load_model(os.path.join(GOLDENS, "attention_model.keras"), custom_objects=objects)
    path = str(tmp_path / "again.keras")
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        store = h5_bytes_reader(zf.read("model.weights.h5"))
    for group, shapes in SPEC["model"]["h5_vars"].items():
        entry = store.get(group)
        assert [list(np.shape(entry[str(i)])) for i in range(len(entry))] == shapes, group
    store.close()
    again = load_model(path, custom_objects=objects)
    close(again.predict(data()["model__ids"], verbose=0), data()["model__y"], "reloaded")
