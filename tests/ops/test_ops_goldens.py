"""keras.ops and keras.backend against goldens from real Keras 3 (TF backend).

Values and dtypes of every output, and the input gradients of
`sum(out * w)` (the same cotangents `w` Keras used), for the cases of
`tests/parity/ops_cases.py` (regenerate the goldens with
`tests/parity/generate_ops_goldens.py` in the TensorFlow virtualenv). Tolerances: rtol 1e-5 / atol 1e-6 unless a
case sets its own (decompositions, FFTs and convolutions: 1e-4 / 1e-5).
"""
import numpy as np
import pytest

from tests.ops.case_runner import all_cases, evaluate, inputs_for, load_family

_CACHE = {}


def _family(family):
    if family not in _CACHE:
        _CACHE[family] = load_family(family)
    return _CACHE[family]


CASES = [pytest.param(family, case, id=f"{family}-{case[0]}") for family, case in all_cases()]


@pytest.mark.parametrize("family,case", CASES)
def test_matches_keras(family, case):
    name, expr, inputs, grads, opts = case
    _, arrays, meta = _family(family)
    info = meta[name]
    values = inputs_for(name, inputs, arrays)
    if "error" in info:
        with pytest.raises(Exception) as exc:
            evaluate(expr, values)
        if info["error"] in ("ValueError", "TypeError"):
            assert type(exc.value).__name__ == info["error"]
        return
    n_out = len(info["dtypes"])
    weights = {i: arrays[f"{name}/w/{i}"] for i in range(n_out) if f"{name}/w/{i}" in arrays}
    outs, got_grads = evaluate(expr, values, grads, weights)
    assert len(outs) == n_out, f"{name}: {len(outs)} outputs, Keras gives {n_out}"
    rtol, atol = opts.get("rtol", 1e-5), opts.get("atol", 1e-6)
    for i, (out, dt) in enumerate(zip(outs, info["dtypes"])):
        want = arrays[f"{name}/out/{i}"]
        assert np.shape(out) == want.shape, f"{name} output {i}: shape {np.shape(out)} != {want.shape}"
        if opts.get("dtype", True):
            assert str(np.asarray(out).dtype) == dt, f"{name} output {i}: dtype {np.asarray(out).dtype} != {dt}"
        if want.dtype.kind in "fc":
            np.testing.assert_allclose(out, want, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=f"{name} output {i}")
        else:
            np.testing.assert_array_equal(out, want, err_msg=f"{name} output {i}")
    grtol = opts.get("grad_rtol", max(rtol, 1e-5) * 10)
    gatol = opts.get("grad_atol", max(atol, 1e-6) * 10)
    if not opts.get("tf_grad", True):
        # TensorFlow's gradient of image warps is the inverse warp of the
        # cotangent (an approximation); ours is the exact adjoint, checked
        # against finite differences in test_ops_numeric_grads.py.
        return
    for g in grads:
        key = f"{name}/grad/{g}"
        ours = got_grads.get(g)
        if key not in arrays:
            # TensorFlow gives no gradient here; ours must still be finite.
            if ours is not None and g not in info.get("no_tf_grad", []):
                np.testing.assert_allclose(ours, 0.0, atol=gatol, err_msg=f"{name} grad {g}")
            continue
        want = arrays[key]
        assert ours is not None, f"{name}: no gradient for {g}, Keras has one"
        ours = np.asarray(ours)
        assert ours.dtype == want.dtype, f"{name} grad {g}: dtype {ours.dtype} != {want.dtype}"
        np.testing.assert_allclose(ours, want, rtol=grtol, atol=gatol, err_msg=f"{name} grad {g}")
