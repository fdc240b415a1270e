"""keras.initializers vs real Keras 3: fan rules, sample statistics, exact
values of the deterministic initializers, configs and dtypes.

Random values cannot match Keras bit for bit (numpy's PCG64 here, TensorFlow's
Philox there), so random initializers are compared by the statistics of large
samples: std within 3 %, mean within 6 standard errors, and for bounded
distributions (uniform, truncated normal) the sample min/max within 2 % of
the range.
"""
import json
import os

import numpy as np
import pytest

from minikeras import initializers
from minikeras.initializers.random_initializers import compute_fans

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")
with open(os.path.join(GOLDENS, "initializers.json")) as fh:
    G = json.load(fh)
ARRAYS = dict(np.load(os.path.join(GOLDENS, "initializers.npz")))


def _id(rec):
    cfg = ",".join(f"{k}={v}" for k, v in rec["case"]["config"].items() if k != "seed")
    return f"{rec['case']['class_name']}({cfg}){tuple(rec.get('shape', ()))}"


@pytest.mark.parametrize("rec", G["fans"], ids=[str(r["shape"]) + str(r.get("input_axes", ""))
                                                for r in G["fans"]])
def test_compute_fans_match_keras(rec):
    fans = compute_fans(tuple(rec["shape"]), rec.get("input_axes"), rec.get("output_axes"))
    assert list(fans) == rec["fans"]


def _bounded(case):
    name, cfg = case["class_name"], case["config"]
    if name in ("RandomUniform", "TruncatedNormal", "GlorotUniform", "HeUniform",
                "LecunUniform", "GlorotNormal", "HeNormal", "LecunNormal"):
        return True
    return name == "VarianceScaling" and cfg.get("distribution") != "untruncated_normal"


@pytest.mark.parametrize("rec", G["stats"], ids=[_id(r) for r in G["stats"]])
def test_sample_statistics_match_keras(rec):
    init = initializers.deserialize(rec["case"])
    w = init(tuple(rec["shape"]))
    assert w.dtype == np.float32 and w.shape == tuple(rec["shape"])
    w = w.astype(np.float64)
    n = w.size
    np.testing.assert_allclose(w.std(), rec["std"], rtol=0.03)
    assert abs(w.mean() - rec["mean"]) <= 6 * rec["std"] / np.sqrt(n) + 1e-7
    if _bounded(rec["case"]) and rec["case"]["class_name"] != "Orthogonal":
        span = rec["max"] - rec["min"]
        assert abs(w.min() - rec["min"]) <= 0.02 * span
        assert abs(w.max() - rec["max"]) <= 0.02 * span
    if "gram_diag_mean" in rec:
        flat = w.reshape(-1, rec["shape"][-1])
        gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
        np.testing.assert_allclose(np.diag(gram), rec["gram_diag_mean"], rtol=1e-5)
        off = np.abs(gram - np.diag(np.diag(gram))).max()
        assert off < 1e-5 * max(1.0, rec["gram_diag_mean"])


@pytest.mark.parametrize("rec", G["deterministic"],
                         ids=[_id(r) + r["dtype"] for r in G["deterministic"]])
def test_deterministic_initializers_match_keras_exactly(rec):
    init = initializers.deserialize(rec["case"])
    w = init(tuple(rec["shape"]), dtype=rec["dtype"])
    expected = ARRAYS[rec["key"]]
    assert str(w.dtype) == rec["out_dtype"]
    assert w.shape == expected.shape
    tol = 1e-6 if rec["dtype"] == "float32" else 1e-12
    np.testing.assert_allclose(w, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("rec", G["configs"], ids=[_id(r) for r in G["configs"]])
def test_configs_and_serialization_match_keras(rec):
    init = initializers.deserialize(rec["case"])
    assert init.get_config() == rec["config"]
    assert initializers.serialize(init) == rec["serialized"]
    again = initializers.deserialize(rec["serialized"])
    assert type(again) is type(init) and again.get_config() == rec["config"]


@pytest.mark.parametrize("rec", G["dtypes"], ids=[f"{r['class_name']}-{r['dtype']}"
                                                  for r in G["dtypes"]])
def test_output_dtypes_match_keras(rec):
    w = getattr(initializers, rec["class_name"])()((4, 4), dtype=rec["dtype"])
    assert str(w.dtype) == rec["out_dtype"]
