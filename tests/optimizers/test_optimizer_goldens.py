"""Optimizers and schedules against goldens from real Keras 3 (TensorFlow backend).

The goldens (tests/parity/generate_optimizer_goldens.py) record, for 20 steps
of each case, the gradients Keras computed and the variable values after
each step. Here the same gradients are fed to minikeras; every step's values
must match at float32 precision (rtol 1e-5, atol 1e-6), and so must the
optimizer's variables (names and values) and its config.
"""
import json
import os
import re
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import optimizers

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")
with open(os.path.join(GOLDENS, "optimizer_cases.json")) as f:
    GOLD = json.load(f)
ARRAYS = dict(np.load(os.path.join(GOLDENS, "optimizer_trajectories.npz")))
CASES = GOLD["cases"]

# atol covers entries that pass through zero, where relative error is meaningless.
RTOL, ATOL = 1e-5, 1e-6


def _initial_values(problem):
    if problem == "quadratic":
        q = GOLD["quad"]
        return [np.asarray(q["w0"], np.float32), np.asarray(q["b0"], np.float32)]
    d = GOLD["dense"]
    return [np.asarray(d[k], np.float32) for k in ("k1", "b1", "k2", "b2")]


def _make(case):
    names = GOLD["problems"][case["problem"]]
    variables = [keras.Variable(v, name=n)
                 for n, v in zip(names, _initial_values(case["problem"]))]
    kwargs = dict(case["kwargs"])
    if case["class"] != "LossScaleOptimizer":
        kwargs["name"] = "opt"
    opt = getattr(optimizers, case["class"]).from_config(kwargs)
    if case.get("exclude_var_names"):
        opt.exclude_from_weight_decay(var_names=case["exclude_var_names"])
    return names, variables, opt


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_trajectory_matches_keras(case):
    key = case["name"]
    rtol = RTOL
    names, variables, opt = _make(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in range(GOLD["steps"]):
            grads = [ARRAYS[f"{key}/grads/{n}"][step] for n in names]
            opt.apply_gradients(zip(grads, variables))
            for n, v in zip(names, variables):
                np.testing.assert_allclose(
                    v.numpy(), ARRAYS[f"{key}/values/{n}"][step], rtol=rtol, atol=ATOL,
                    err_msg=f"{key}: variable {n} after step {step + 1}")
    assert int(np.asarray(opt.iterations)) == case["iterations"]

    # Optimizer state: same variables, same order, same values (for .keras files).
    # (An unnamed Variable's uniquifying suffix depends on what ran before it.)
    def _path(p):
        return re.sub(r"/variable(_\d+)?$", "/variable", p)
    assert [_path(v.path) for v in opt.variables] == [_path(p) for p in case["opt_variables"]]
    for i, v in enumerate(opt.variables):
        expected = ARRAYS[f"{key}/opt/{i}"]
        assert v.numpy().shape == expected.shape
        assert v.numpy().dtype == expected.dtype, (v.path, v.numpy().dtype, expected.dtype)
        np.testing.assert_allclose(v.numpy(), expected, rtol=rtol, atol=ATOL,
                                   err_msg=f"{key}: optimizer variable {v.path}")

    if case["kwargs"].get("use_ema"):
        opt.finalize_variable_values(variables)
        for n, v in zip(names, variables):
            np.testing.assert_allclose(v.numpy(), ARRAYS[f"{key}/finalized/{n}"],
                                       rtol=rtol, atol=ATOL)

    assert optimizers.serialize(opt) == case["config"]


@pytest.mark.parametrize("entry", GOLD["schedules"],
                         ids=[f"{s['spec']['class_name']}_{i}"
                              for i, s in enumerate(GOLD["schedules"])])
def test_schedule_values_match_keras(entry):
    schedule = optimizers.schedules.deserialize(entry["spec"])
    got = [schedule(step) for step in GOLD["schedule_steps"]]
    assert all(isinstance(v, np.float32) for v in got)
    np.testing.assert_allclose(np.asarray(got, np.float64), entry["values"],
                               rtol=RTOL, atol=1e-7)
    # Integer steps given as an optimizer's int64 Variable work the same.
    step = keras.Variable(np.int64(7), dtype="int64", trainable=False)
    assert schedule(step) == schedule(7)
    assert optimizers.schedules.serialize(schedule) == entry["serialized"]
