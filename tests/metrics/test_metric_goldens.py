"""Every metric against goldens from real Keras 3: results after each batch,
after `reset_state()`, after one batch past the reset, and the config."""
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from minikeras import metrics
from minikeras.metrics import per_sample_losses

GOLDENS = Path(__file__).resolve().parents[1] / "parity" / "goldens"
with open(GOLDENS / "metric_cases.json") as _f:
    META = json.load(_f)
ARRAYS = np.load(GOLDENS / "metric_inputs.npz")

RTOL, ATOL = 1e-5, 1e-6  # float32 precision; atol for results that are ~0


def _arr(key):
    return None if key is None else ARRAYS[key]


def _build(case):
    cls = getattr(metrics, case["cls"])
    if case["fn"]:
        return cls(getattr(metrics, case["fn"]), name="wrapped", **case["fn_kwargs"])
    return cls(**case["kwargs"])


def _update(metric, case, batch):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case["values_only"]:
            metric.update_state(_arr(batch["y_pred"]), sample_weight=_arr(batch["sw"]))
        else:
            metric.update_state(_arr(batch["y_true"]), _arr(batch["y_pred"]),
                                sample_weight=_arr(batch["sw"]))


def _result(metric):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(metric.result())


@pytest.mark.parametrize("case", META["cases"], ids=[c["id"] for c in META["cases"]])
def test_metric_matches_keras(case):
    metric = _build(case)
    rtol = RTOL
    for i, (batch, expected) in enumerate(zip(case["batches"], case["results"])):
        _update(metric, case, batch)
        got = _result(metric)
        assert got.dtype == np.float32, f"{case['id']}: result dtype {got.dtype}"
        np.testing.assert_allclose(got, np.asarray(expected), rtol=rtol, atol=ATOL,
                                   err_msg=f"{case['id']} after batch {i}")
    metric.reset_state()
    np.testing.assert_allclose(_result(metric), case["after_reset"], rtol=rtol, atol=ATOL)
    _update(metric, case, case["batches"][0])
    np.testing.assert_allclose(_result(metric), case["after_reset_batch"], rtol=rtol, atol=ATOL)


def _normalise(config):
    config = dict(config)
    config.pop("name", None)  # auto-names carry per-process counters
    return json.loads(json.dumps(config))


@pytest.mark.parametrize("case", META["cases"], ids=[c["id"] for c in META["cases"]])
def test_config_matches_keras(case):
    metric = _build(case)
    for batch in case["batches"][:1]:
        _update(metric, case, batch)
    ours, theirs = _normalise(metric.get_config()), _normalise(case["config"])
    if case["cls"] == "CosineSimilarity":
        # Keras drops `axis` from this config (then from_config loses it); we keep it.
        ours.pop("axis")
    assert ours == theirs
    clone = type(metric).from_config(metric.get_config())
    assert _normalise(clone.get_config()) == _normalise(metric.get_config())


@pytest.mark.parametrize("spec", META["functions"],
                         ids=[f"{s['fn']}_{i}" for i, s in enumerate(META["functions"])])
def test_metric_function_matches_keras(spec):
    fn = getattr(metrics, spec["fn"])
    got = np.asarray(fn(ARRAYS[spec["y_true"]], ARRAYS[spec["y_pred"]], **spec["kwargs"]))
    np.testing.assert_allclose(got, np.asarray(spec["result"]), rtol=RTOL, atol=ATOL)


_OWN = [s for s in META["functions"] if hasattr(per_sample_losses, s["fn"])]


@pytest.mark.parametrize("spec", _OWN, ids=[f"{s['fn']}_{i}" for i, s in enumerate(_OWN)])
def test_own_loss_formulas_match_keras(spec):
    """The formulas behind the loss-like metrics (used even without `minikeras.losses`)."""
    fn = getattr(per_sample_losses, spec["fn"])
    got = np.asarray(fn(ARRAYS[spec["y_true"]], ARRAYS[spec["y_pred"]], **spec["kwargs"]))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.asarray(spec["result"]), rtol=RTOL, atol=ATOL)
