"""Every loss against real Keras 3: values and d loss / d y_pred.

Goldens come from `tests/parity/generate_loss_goldens.py` (Keras 3 on
TensorFlow): each loss class under every reduction, without and with
sample weights (per sample, broadcastable, scalar, per time step), plus the
loss functions and their aliases called directly.
"""
import json
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import losses, ops

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")
with open(os.path.join(GOLDENS, "loss_goldens.json")) as _fh:
    META = json.load(_fh)
DATA = np.load(os.path.join(GOLDENS, "loss_goldens.npz"))

# Float32 precision for everything, CTC's recursion and Circle (gamma=80)
# included.
TOL = (1e-5, 1e-6)  # rtol, atol


def _kwargs(kwargs):
    return {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}


def _inputs(name):
    return DATA[f"in/{name}/y_true"], DATA[f"in/{name}/y_pred"]


def _value_and_grad(fn, y_pred):
    """fn(y_pred) and d sum(fn(y_pred)) / d y_pred through keras.GradientTape."""
    y_pred = np.array(y_pred, dtype=np.float32)
    with keras.GradientTape() as tape:
        tape.watch(y_pred)
        value = fn(y_pred)
        total = ops.sum(value)
    grad = tape.gradient(total, y_pred)
    return ops.convert_to_numpy(value), ops.convert_to_numpy(grad)


def _check(value, grad, key, tol):
    rtol, atol = tol
    want_value, want_grad = DATA[f"{key}/value"], DATA[f"{key}/grad"]
    assert value.dtype == np.float32, f"{key}: value dtype {value.dtype}"
    assert value.shape == want_value.shape, f"{key}: shape {value.shape} != {want_value.shape}"
    np.testing.assert_allclose(value, want_value, rtol=rtol, atol=atol, err_msg=f"{key} value")
    np.testing.assert_allclose(grad, want_grad, rtol=rtol, atol=atol, err_msg=f"{key} grad")


CASES = META["cases"]


# Poisson of a negative prediction is nan in Keras too (log of a negative).
@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_loss_class_matches_keras(case):
    y_true, y_pred = _inputs(case["input"])
    weights = None if case["weights"] == "none" else DATA[f"sw/{case['input']}/{case['weights']}"]
    loss = getattr(losses, case["class"])(reduction=case["reduction"], **_kwargs(case["kwargs"]))
    if "error" in case:
        with pytest.raises(ValueError, match="shape"):
            loss(y_true, y_pred, sample_weight=weights)
        return
    value, grad = _value_and_grad(lambda p: loss(y_true, p, sample_weight=weights), y_pred)
    _check(value, grad, f"case/{case['id']}", TOL)


@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
@pytest.mark.parametrize("case", META["functions"], ids=[c["id"] for c in META["functions"]])
def test_loss_function_matches_keras(case):
    y_true, y_pred = _inputs(case["input"])
    fn = getattr(losses, case["name"])
    value, grad = _value_and_grad(lambda p: fn(y_true, p, **_kwargs(case["kwargs"])), y_pred)
    _check(value, grad, f"fn/{case['id']}", TOL)


# Keys Keras 3 drops from these configs (a reloaded loss would forget them);
# minikeras keeps them, and Keras's constructors accept them back.
EXTRA_CONFIG_KEYS = {"Huber": {"delta": 1.0}, "CosineSimilarity": {"axis": -1}}


@pytest.mark.parametrize("cls_name", sorted(META["configs"]))
def test_default_config_matches_keras(cls_name):
    config = getattr(losses, cls_name)().get_config()
    want = dict(META["configs"][cls_name], **EXTRA_CONFIG_KEYS.get(cls_name, {}))
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()}
    assert config == want


def test_goldens_cover_every_loss_class_and_reduction():
    exported = {n for n in dir(losses) if isinstance(getattr(losses, n), type)
                and issubclass(getattr(losses, n), losses.Loss)}
    covered = {c["class"] for c in META["cases"]}
    assert exported - covered == {"Loss", "LossFunctionWrapper"}
    reductions = {c["reduction"] for c in META["cases"]}
    assert reductions == {"sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"}
