"""Text and categorical preprocessing layers against real Keras 3 goldens
(`tests/parity/generate_preprocessing_extra_goldens.py`): outputs (exact for
integers, 1e-6 relative for TF-IDF floats), output dtypes and shapes,
vocabularies, IDF weights, quantile boundaries and configs."""
import json
import os

import numpy as np
import pytest

from minikeras.layers.preprocessing.category_encoding import CategoryEncoding
from minikeras.layers.preprocessing.discretization import Discretization
from minikeras.layers.preprocessing.hashed_crossing import HashedCrossing
from minikeras.layers.preprocessing.hashing import Hashing
from minikeras.layers.preprocessing.integer_lookup import IntegerLookup
from minikeras.layers.preprocessing.string_lookup import StringLookup
from minikeras.layers.preprocessing.text_vectorization import TextVectorization

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "..", "parity", "goldens",
                       "prep_extra_text.json")
with open(GOLDENS, encoding="utf-8") as _f:
    CASES = json.load(_f)["cases"]
CLASSES = {c.__name__: c for c in (CategoryEncoding, Discretization, HashedCrossing, Hashing,
                                   IntegerLookup, StringLookup, TextVectorization)}


def _build_and_call(case):
    init = dict(case["init"])
    if isinstance(init.get("ngrams"), list):  # a tuple, stored as a JSON list
        init["ngrams"] = tuple(init["ngrams"])
    layer = CLASSES[case["cls"]](**init)
    if case["adapt"] is not None:
        adapt = case["adapt"]
        layer.adapt(adapt["list"] if isinstance(adapt, dict) else np.array(adapt))
    if case["tuple_inputs"]:
        x = tuple(np.array(e) for e in case["inputs"])
    else:
        x = np.array(case["inputs"], dtype=case["input_dtype"])
    kwargs = {k: np.array(v, dtype="float32") for k, v in (case["call_kwargs"] or {}).items()}
    return layer, layer(x, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_keras(case):
    layer, y = _build_and_call(case)
    y = np.asarray(y)
    assert list(y.shape) == case["shape"]
    if case["dtype"] == "string":
        assert y.tolist() == case["output"]
    else:
        assert str(y.dtype) == case["dtype"]
        if y.dtype.kind == "f":
            np.testing.assert_allclose(y, np.array(case["output"], dtype=y.dtype), rtol=1e-6,
                                       atol=1e-7)
        else:
            np.testing.assert_array_equal(y, np.array(case["output"]))
    if "vocabulary" in case:
        assert layer.get_vocabulary() == case["vocabulary"]
    if "idf_weights" in case:
        idf = getattr(layer, "_lookup_layer", layer).idf_weights
        np.testing.assert_allclose(idf, case["idf_weights"], rtol=1e-6)
    if "bin_boundaries" in case:
        np.testing.assert_allclose(layer.bin_boundaries, case["bin_boundaries"], rtol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_matches_keras(case):
    layer, _ = _build_and_call(case)
    ours, theirs = layer.get_config(), case["config"]
    assert set(ours) == set(theirs)
    for key, value in theirs.items():
        if key == "name":
            continue
        mine = ours[key]
        if isinstance(value, list) and isinstance(mine, tuple):
            mine = list(mine)
        if isinstance(value, float) or (isinstance(value, list) and value and
                                        isinstance(value[0], float)):
            np.testing.assert_allclose(mine, value, rtol=1e-6)
        else:
            assert mine == value, key


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_config_round_trip(case):
    """from_config(get_config()) rebuilds a layer giving the same output when the
    vocabulary lives in the config (as in Keras); adapted state is restored
    through save_assets/load_assets (lookups) or the config (Discretization)."""
    layer, y = _build_and_call(case)
    clone = type(layer).from_config(layer.get_config())
    if hasattr(layer, "save_assets") and case["adapt"] is not None:
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            layer.save_assets(d)
            store = {}
            layer.save_own_variables(store)
            clone.load_own_variables(store)
            clone.load_assets(d)
    if case["tuple_inputs"]:
        x = tuple(np.array(e) for e in case["inputs"])
    else:
        x = np.array(case["inputs"], dtype=case["input_dtype"])
    kwargs = {k: np.array(v, dtype="float32") for k, v in (case["call_kwargs"] or {}).items()}
    y2 = clone(x, **kwargs)
    assert np.asarray(y2).tolist() == np.asarray(y).tolist()
