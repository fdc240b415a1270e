"""ProgbarLogger driven as fit/evaluate/predict drive it: byte-exact against
Keras 3's output (goldens), in a terminal and, without escapes, in a pipe."""
import io
import sys

import numpy as np
import pytest

import minikeras.callbacks as mk
from minikeras.utils import progbar as progbar_module
from callback_test_utils import FakeClock, TtyStringIO, load_golden, plain_final_lines

SCENARIOS = load_golden("callback_progbar.json")["logger"]


class Dummy:
    """A stand-in model: callbacks only set attributes on it."""


def replay(params, ops, stdout, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(progbar_module, "time", clock)
    monkeypatch.setattr(sys, "stdout", stdout)
    model = Dummy()
    cbs = mk.CallbackList(None, add_history=True, add_progbar=True, model=model, **params)
    for op in ops:
        if op[0] == "tick":
            clock.t += op[1]
            continue
        args = [{"outputs": np.ones((2, 2), "float32")}
                if isinstance(a, dict) and a.get("outputs") == "ARRAY" else a for a in op[1:]]
        getattr(cbs, op[0])(*args)
    return stdout.getvalue(), model


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_terminal_output_matches_keras(name, monkeypatch):
    case = SCENARIOS[name]
    out, model = replay(case["params"], case["ops"], TtyStringIO(), monkeypatch)
    assert out == case["stdout"]
    if case["history"] is not None:
        assert model.history.history == case["history"]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pipe_output_is_one_clean_line_per_epoch(name, monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    case = SCENARIOS[name]
    out, _ = replay(case["params"], case["ops"], io.StringIO(), monkeypatch)
    assert out == plain_final_lines(case["stdout"])


def test_fit_verbose1_pipe_transcript(monkeypatch):
    """What a log file of `fit(verbose=1)` looks like."""
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    case = SCENARIOS["fit_verbose1"]
    out, _ = replay(case["params"], case["ops"], io.StringIO(), monkeypatch)
    assert out == (
        "Epoch 1/2\n"
        "3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 45ms/step - accuracy: 0.2500 - loss: 0.5000"
        " - val_accuracy: 0.3000 - val_loss: 0.6000\n"
        "Epoch 2/2\n"
        "3/3 ━━━━━━━━━━━━━━━━━━━━ 0s 45ms/step - accuracy: 0.5000 - loss: 0.2500"
        " - val_accuracy: 0.3000 - val_loss: 0.3000\n")
