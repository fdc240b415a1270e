"""keras.constraints: projections vs real Keras, axis semantics, configs, get."""
import json
import os

import numpy as np
import pytest

from minikeras import constraints

GOLDENS = os.path.join(os.path.dirname(__file__), "parity", "goldens")
with open(os.path.join(GOLDENS, "regularizers.json")) as fh:
    CASES = json.load(fh)["constraints"]
DATA = dict(np.load(os.path.join(GOLDENS, "regularizers.npz")))


def _id(c):
    return f"{c['class_name']}{c['kwargs']}-{c['weight']}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_projection_matches_keras(case):
    con = getattr(constraints, case["class_name"])(**case["kwargs"])
    w = DATA["w_" + case["weight"]]
    out = con(w)
    assert out.dtype == np.float32 and out.shape == w.shape
    np.testing.assert_allclose(out, DATA[case["key"]], rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_config_and_serialization_match_keras(case):
    con = getattr(constraints, case["class_name"])(**case["kwargs"])
    assert con.get_config() == case["config"]
    assert constraints.serialize(con) == case["serialized"]
    back = constraints.deserialize(case["serialized"])
    assert type(back) is type(con) and back.get_config() == case["config"]


def test_axis_semantics():
    w = np.random.default_rng(0).normal(size=(5, 3)).astype("float32") * 4
    col = constraints.UnitNorm(axis=0)(w)
    np.testing.assert_allclose(np.linalg.norm(col, axis=0), 1.0, rtol=1e-5)
    row = constraints.UnitNorm(axis=1)(w)
    np.testing.assert_allclose(np.linalg.norm(row, axis=1), 1.0, rtol=1e-5)
    capped = constraints.MaxNorm(max_value=1.0)(w)
    assert np.all(np.linalg.norm(capped, axis=0) <= 1.0 + 1e-5)
    kernel = np.random.default_rng(1).normal(size=(3, 3, 2, 4)).astype("float32")
    per_filter = constraints.MaxNorm(0.5, axis=[0, 1, 2])(kernel)
    np.testing.assert_allclose(np.sqrt((per_filter ** 2).sum(axis=(0, 1, 2))), 0.5, rtol=1e-5)


def test_min_max_norm_rate_moves_partway():
    w = np.array([[3.0], [4.0]], dtype="float32")  # norm 5
    out = constraints.MinMaxNorm(0.0, 1.0, rate=0.5)(w)
    np.testing.assert_allclose(np.linalg.norm(out), 0.5 * 1.0 + 0.5 * 5.0, rtol=1e-5)


def test_non_neg_and_base():
    w = np.array([-1.0, 0.0, 2.0], dtype="float32")
    np.testing.assert_array_equal(constraints.NonNeg()(w), [0.0, 0.0, 2.0])
    assert constraints.Constraint()(w) is w
    assert constraints.Constraint().get_config() == {}


def test_aliases_and_get():
    assert constraints.max_norm is constraints.MaxNorm
    assert constraints.min_max_norm is constraints.MinMaxNorm
    assert constraints.non_neg is constraints.NonNeg
    assert constraints.unit_norm is constraints.UnitNorm
    for name, cls in [("max_norm", constraints.MaxNorm), ("MaxNorm", constraints.MaxNorm),
                      ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm),
                      ("min_max_norm", constraints.MinMaxNorm)]:
        assert type(constraints.get(name)) is cls
    assert constraints.get(None) is None
    got = constraints.get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 1}})
    assert (got.max_value, got.axis) == (3, 1)
    inst = constraints.UnitNorm()
    assert constraints.get(inst) is inst
    assert type(constraints.get(constraints.NonNeg)) is constraints.NonNeg

    def clip(w):
        return np.clip(w, -1, 1)

    assert constraints.get(clip) is clip


def test_unknown_identifier_raises():
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: foo"):
        constraints.get("foo")
    with pytest.raises(ValueError, match="identifier: 3"):
        constraints.get(3)


def test_custom_constraint_round_trip():
    class Clip(constraints.Constraint):
        def __init__(self, limit=1.0):
            self.limit = limit

        def __call__(self, w):
            return np.clip(w, -self.limit, self.limit)

        def get_config(self):
            return {"limit": self.limit}

    cfg = constraints.serialize(Clip(0.5))
    back = constraints.deserialize(cfg, custom_objects={"Clip": Clip})
    np.testing.assert_array_equal(back(np.array([2.0, -2.0])), [0.5, -0.5])
