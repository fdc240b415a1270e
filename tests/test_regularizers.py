"""keras.regularizers: penalties and gradients vs real Keras, configs, get."""
import json
import os

import autograd
import numpy as np
import pytest

from minikeras import regularizers

GOLDENS = os.path.join(os.path.dirname(__file__), "parity", "goldens")
with open(os.path.join(GOLDENS, "regularizers.json")) as fh:
    META = json.load(fh)
DATA = dict(np.load(os.path.join(GOLDENS, "regularizers.npz")))
CASES = META["regularizers"]


def _id(c):
    return f"{c['class_name']}{c['kwargs']}-{c['weight']}"


@pytest.mark.filterwarnings("ignore:Output seems independent of input")  # L1L2()
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_penalty_and_gradient_match_keras(case):
    reg = getattr(regularizers, case["class_name"])(**case["kwargs"])
    w = DATA["w_" + case["weight"]]
    penalty = reg(w)
    grad = autograd.grad(lambda t: reg(t))(w)
    assert np.asarray(penalty).dtype == np.float32 and np.ndim(penalty) == 0
    assert grad.dtype == np.float32
    np.testing.assert_allclose(penalty, DATA[case["key"] + "__penalty"], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(grad, DATA[case["key"] + "__grad"], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_config_and_serialization_match_keras(case):
    reg = getattr(regularizers, case["class_name"])(**case["kwargs"])
    assert reg.get_config() == case["config"]
    assert regularizers.serialize(reg) == case["serialized"]
    back = regularizers.deserialize(case["serialized"])
    assert type(back) is type(reg) and back.get_config() == case["config"]


@pytest.mark.parametrize("name", ["L1", "L2", "L1L2", "OrthogonalRegularizer"])
def test_numerical_gradient(name):
    reg = getattr(regularizers, name)(**({"l1": 0.02, "l2": 0.03} if name == "L1L2" else {}))
    x = np.random.default_rng(3).normal(size=(5, 4))  # float64, no exact zeros

    analytic = autograd.grad(reg)(x)
    eps = 1e-6
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        numeric[i] = (reg(x + d) - reg(x - d)) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


def test_defaults_and_string_identifiers():
    assert regularizers.get("l1").l1 == pytest.approx(0.01)
    assert regularizers.get("l2").l2 == 0.01
    assert type(regularizers.get("L2")) is regularizers.L2
    both = regularizers.get("l1_l2")  # the documented shortcut: 0.01 and 0.01
    assert (both.l1, both.l2) == (0.01, 0.01)
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    orth = regularizers.get("orthogonal_regularizer")
    assert type(orth) is regularizers.OrthogonalRegularizer and orth.mode == "rows"
    assert regularizers.l1 is regularizers.L1 and regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.l2 is regularizers.L2
    assert regularizers.orthogonal_regularizer is regularizers.OrthogonalRegularizer


def test_get_passthrough_and_errors():
    assert regularizers.get(None) is None
    reg = regularizers.L2(0.5)
    assert regularizers.get(reg) is reg
    assert type(regularizers.get(regularizers.L1)) is regularizers.L1
    got = regularizers.get({"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.2}})
    assert (got.l1, got.l2) == (0.1, 0.2)

    def fn(w):
        return 0.1 * np.sum(w)

    assert regularizers.get(fn) is fn
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: foo"):
        regularizers.get("foo")
    with pytest.raises(ValueError, match="identifier: 3"):
        regularizers.get(3)


def test_argument_validation():
    for bad in (-0.1, float("nan"), float("inf"), "0.1"):
        with pytest.raises(ValueError, match="non-negative float"):
            regularizers.L2(bad)
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones((2, 2, 2), "float32"))
    assert regularizers.L1(None).l1 == pytest.approx(0.01)


def test_base_class_and_custom_subclass():
    assert regularizers.Regularizer()(np.ones(3)) == 0.0
    with pytest.raises(NotImplementedError):
        regularizers.Regularizer().get_config()

    class Sum(regularizers.Regularizer):
        def __init__(self, k=1.0):
            self.k = k

        def __call__(self, x):
            return self.k * np.sum(x)

        def get_config(self):
            return {"k": self.k}

    cfg = regularizers.serialize(Sum(2.0))
    back = regularizers.deserialize(cfg, custom_objects={"Sum": Sum})
    assert back(np.ones(3)) == 6.0
