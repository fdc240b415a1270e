"""Numerical-gradient checks: every loss, in float64, against central differences.

Inputs keep away from the kinks (clipping bounds, |x| at 0, hinge margins,
the Huber delta), where a one-sided derivative is all either side can give.
"""
import numpy as np
import pytest

import minikeras as keras
from minikeras import losses, ops

B = 4
H = 1e-6


def _rng():
    return np.random.default_rng(7)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _away_from(x, points, gap=0.05):
    """Nudge entries of `x` that sit within `gap` of a kink."""
    x = np.array(x, dtype=np.float64)
    for p in points:
        near = np.abs(x - p) < gap
        x[near] = p + np.where(x[near] >= p, gap, -gap) * 2
    return x


def _inputs(kind):
    rng = _rng()
    if kind == "reg":
        y = rng.normal(size=(B, 5))
        return y, y + _away_from(rng.normal(scale=1.5, size=(B, 5)), [0.0])
    if kind == "reg3d":
        y = rng.normal(size=(B, 3, 5))
        return y, y + _away_from(rng.normal(size=(B, 3, 5)), [0.0])
    if kind == "huber":
        y = rng.normal(size=(B, 6))
        err = rng.choice([-2.4, -1.3, -0.6, -0.2, 0.3, 0.7, 1.6, 2.1], size=(B, 6))
        return y, y + err
    if kind == "positive":
        return rng.uniform(0.5, 3.0, size=(B, 5)), rng.uniform(0.1, 3.0, size=(B, 5))
    if kind == "hinge":
        y = rng.choice([-1.0, 1.0], size=(B, 5))
        p = rng.normal(size=(B, 5))
        return y, _away_from(p * y, [1.0]) * y
    if kind == "hinge01":
        y = rng.choice([0.0, 1.0], size=(B, 5))
        p = rng.normal(size=(B, 5))
        s = 2 * y - 1
        return y, _away_from(p * s, [1.0]) * s
    if kind == "cat_probs":
        return np.eye(3)[[0, 2, 1, 2]], _softmax(rng.normal(size=(B, 3)))
    if kind == "cat_unnorm":
        return np.eye(3)[[0, 2, 1, 2]], rng.uniform(0.1, 1.0, size=(B, 3))
    if kind == "cat_logits":
        return np.eye(3)[[0, 2, 1, 2]], rng.normal(size=(B, 3)) * 2
    if kind == "kl":
        return _softmax(rng.normal(size=(B, 4))), _softmax(rng.normal(size=(B, 4)))
    if kind == "bin_probs":
        return rng.choice([0.0, 1.0], size=(B, 5)), rng.uniform(0.05, 0.95, size=(B, 5))
    if kind == "bin_logits":
        return rng.choice([0.0, 1.0], size=(B, 5)), rng.normal(size=(B, 5)) * 2
    if kind == "sparse_probs":
        return np.array([0, 2, 1, 2]), _softmax(rng.normal(size=(B, 3)))
    if kind == "sparse_seq":
        return rng.integers(0, 4, size=(B, 3)), rng.normal(size=(B, 3, 4))
    if kind == "ctc":
        labels = np.array([[1, 2, 2], [3, 1, 0], [2, 0, 0], [1, 3, 0]])
        return labels, rng.normal(size=(B, 7, 4))
    if kind == "seg":
        return rng.choice([0.0, 1.0], size=(B, 3, 3, 2)), rng.uniform(0.05, 1.0, size=(B, 3, 3, 2))
    if kind == "circle":
        e = rng.normal(size=(6, 4))
        return np.array([0, 1, 0, 1, 2, 2]), e / np.linalg.norm(e, axis=1, keepdims=True)
    if kind == "gce":
        return np.array([0, 2, 1, 2]), _softmax(rng.normal(size=(B, 3)))
    raise KeyError(kind)


CONFIGS = [
    ("MeanSquaredError", {}, "reg"),
    ("MeanSquaredError", {}, "reg3d"),
    ("MeanAbsoluteError", {}, "reg"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("CosineSimilarity", {}, "reg"),
    ("CosineSimilarity", {"axis": 1}, "reg3d"),
    ("Huber", {}, "huber"),
    ("Huber", {"delta": 0.5}, "huber"),
    ("LogCosh", {}, "reg"),
    ("Hinge", {}, "hinge"),
    ("Hinge", {}, "hinge01"),
    ("SquaredHinge", {}, "hinge"),
    ("CategoricalHinge", {}, "cat_logits"),
    ("KLDivergence", {}, "kl"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {}, "bin_probs"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "bin_logits"),
    ("BinaryFocalCrossentropy", {}, "bin_probs"),
    ("BinaryFocalCrossentropy", {"from_logits": True, "apply_class_balancing": True}, "bin_logits"),
    ("CategoricalCrossentropy", {}, "cat_unnorm"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, "cat_logits"),
    ("CategoricalFocalCrossentropy", {}, "cat_probs"),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "gamma": 1.5}, "cat_logits"),
    ("SparseCategoricalCrossentropy", {}, "sparse_probs"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}, "sparse_seq"),
    ("CTC", {}, "ctc"),
    ("Dice", {}, "seg"),
    ("Dice", {"axis": (1, 2, 3)}, "seg"),
    ("Tversky", {"alpha": 0.7, "beta": 0.3}, "seg"),
    ("Circle", {}, "circle"),
    ("Circle", {"gamma": 10.0, "remove_diagonal": False}, "circle"),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.7}, "gce"),
]


def _tape_grad(fn, x):
    with keras.GradientTape() as tape:
        tape.watch(x)
        out = fn(x)
    return ops.convert_to_numpy(tape.gradient(out, x))


def _numeric_grad(fn, x):
    g = np.zeros_like(x)
    for i in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp.flat[i] += H
        xm.flat[i] -= H
        g.flat[i] = (float(fn(xp)) - float(fn(xm))) / (2 * H)
    return g


def _weights(loss, y_true, y_pred):
    # One weight per per-sample value (values are y_pred's shape minus the last axis).
    values = ops.convert_to_numpy(loss.call(ops.convert_to_tensor(y_true, "float64"),
                                            ops.convert_to_tensor(y_pred, "float64")))
    return np.linspace(0.5, 1.5, values.size).reshape(values.shape)


@pytest.mark.parametrize("cls_name,kwargs,kind", CONFIGS,
                         ids=[f"{c}-{k}-{'-'.join(map(str, kw.values()))}" for c, kw, k in CONFIGS])
def test_gradient_matches_central_differences(cls_name, kwargs, kind):
    y_true, y_pred = _inputs(kind)
    loss = getattr(losses, cls_name)(dtype="float64", **kwargs)
    weights = _weights(loss, y_true, y_pred)

    def f(p):
        return loss(y_true, p, sample_weight=weights)

    value = f(y_pred)
    assert ops.convert_to_numpy(value).dtype == np.float64
    analytic = _tape_grad(f, y_pred)
    assert np.abs(analytic).max() > 0, "gradient vanished: the check would be vacuous"
    np.testing.assert_allclose(analytic, _numeric_grad(f, y_pred), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean",
                                       "mean_with_sample_weight", "none"])
@pytest.mark.parametrize("cls_name,kwargs,kind", [
    ("MeanSquaredError", {}, "reg3d"),
    ("SparseCategoricalCrossentropy", {"from_logits": True, "ignore_class": 0}, "sparse_seq"),
    ("Circle", {"gamma": 20.0}, "circle"),
])
def test_gradient_under_every_reduction(cls_name, kwargs, kind, reduction):
    y_true, y_pred = _inputs(kind)
    loss = getattr(losses, cls_name)(dtype="float64", reduction=reduction, **kwargs)
    weights = _weights(loss, y_true, y_pred)

    def f(p):
        return ops.sum(loss(y_true, p, sample_weight=weights))

    np.testing.assert_allclose(_tape_grad(f, y_pred), _numeric_grad(f, y_pred),
                               rtol=1e-5, atol=1e-7)
