"""Finite-difference checks of the gradient of every differentiable op case.

For each case of `tests/parity/ops_cases.py` with gradient inputs, in
float64: the directional derivative of `sum(out * w)` along two random
directions, by central differences, must equal `<grad, direction>` from
GradientTape. (Two directions per input catch wrong, missing or transposed
gradients at a fraction of the cost of a full numerical Jacobian.)
"""
import numpy as np
import pytest

from tests.ops.case_runner import all_cases, evaluate, inputs_for

CASES = [pytest.param(family, case, id=f"{family}-{case[0]}")
         for family, case in all_cases(with_grads=True) if case[4].get("numeric", True)]

EPS = 1e-5


def _scalar(expr, values, weights):
    outs, _ = evaluate(expr, values)
    total = 0.0
    for i, o in enumerate(outs):
        if i in weights:
            total += float(np.sum(np.asarray(o, dtype=np.float64) * weights[i]))
    return total


@pytest.mark.parametrize("family,case", CASES)
def test_gradient_matches_finite_differences(family, case):
    name, expr, inputs, grads, opts = case
    values = inputs_for(name, inputs, dtype=np.float64)
    outs, _ = evaluate(expr, values)
    rng = np.random.default_rng(7)
    weights = {i: rng.standard_normal(np.shape(o)) for i, o in enumerate(outs)
               if np.asarray(o).dtype.kind == "f"}
    assert weights, f"{name}: no float output to differentiate"
    _, got = evaluate(expr, values, grads, weights)
    for g in grads:
        analytic = got[g]
        assert analytic is not None, f"{name}: no gradient for {g}"
        analytic = np.asarray(analytic, dtype=np.float64)
        assert analytic.shape == values[g].shape
        assert np.all(np.isfinite(analytic)), f"{name}: non-finite gradient for {g}"
        for _ in range(2):
            d = rng.standard_normal(values[g].shape)
            plus, minus = dict(values), dict(values)
            plus[g] = values[g] + EPS * d
            minus[g] = values[g] - EPS * d
            numeric = (_scalar(expr, plus, weights) - _scalar(expr, minus, weights)) / (2 * EPS)
            np.testing.assert_allclose(np.sum(analytic * d), numeric, rtol=1e-4, atol=1e-6,
                                       err_msg=f"{name}: d/d{g}")
