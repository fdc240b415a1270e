"""Evaluate the shared `tests/parity/ops_cases.py` cases with minikeras."""
import json
import os

import numpy as np

from minikeras import backend as K
from minikeras import ops
from minikeras.backend import GradientTape
from tests.parity.ops_cases import FAMILIES, flatten, make_input

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "parity", "goldens")


def load_family(family):
    """`(cases, arrays, meta)` of one golden family."""
    arrays = np.load(os.path.join(GOLDENS, f"ops_{family}.npz"))
    with open(os.path.join(GOLDENS, f"ops_{family}.json")) as f:
        meta = json.load(f)["cases"]
    return FAMILIES[family], arrays, meta


def inputs_for(name, inputs, arrays=None, dtype=None):
    """Input arrays of a case (from the golden file when given), optionally
    with float inputs cast to `dtype`."""
    values = {}
    for k, spec in inputs.items():
        v = arrays[f"{name}/in/{k}"] if arrays is not None else make_input(k, spec, name)
        v = np.array(v)
        if dtype is not None and v.dtype.kind == "f":
            v = v.astype(dtype)
        values[k] = v
    return values


def evaluate(expr, values, grads=(), weights=None):
    """Run `expr`; return `(flat outputs, {input: gradient})`.

    The gradient is of `sum(out_i * weights[i])` over the float outputs
    with weights (random ones when `weights` is None), through GradientTape.
    """
    arrays = dict(values)
    with GradientTape(persistent=True) as tape:
        for g in grads:
            tape.watch(arrays[g])
        ns = {"ops": ops, "K": K, "np": np}
        for k, v in arrays.items():
            ns[k] = ops.convert_to_tensor(v) if k in grads else v
        out = eval(expr, ns)
        flat = flatten(out)
        loss = None
        for i, t in enumerate(flat):
            w = None if weights is None else weights.get(i)
            if w is None:
                continue
            term = ops.sum(ops.multiply(t, w.astype(np.asarray(ops.convert_to_numpy(t)).dtype)))
            loss = term if loss is None else loss + term
    grads_out = {}
    if loss is not None and grads:
        got = tape.gradient(loss, [arrays[g] for g in grads])
        grads_out = dict(zip(grads, got))
    return [ops.convert_to_numpy(t) for t in flat], grads_out


def all_cases(with_grads=False):
    for family, cases in FAMILIES.items():
        for case in cases:
            if with_grads and not case[3]:
                continue
            yield family, case
