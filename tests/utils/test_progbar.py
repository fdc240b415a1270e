"""keras.utils.Progbar: byte-exact output against goldens from Keras 3."""
import io
import json
import os
import re
import sys
import types

import pytest

from minikeras.utils import progbar as progbar_module
from minikeras.utils.progbar import Progbar

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "parity", "goldens", "callback_progbar.json")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

with open(GOLDEN) as f:
    SCENARIOS = json.load(f)["progbar"]


class FakeClock:
    def __init__(self, t=1000.0):
        self.t = t

    def time(self):
        return self.t


class TtyStringIO(io.StringIO):
    def isatty(self):
        return True


def replay(kwargs, ops, stdout, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(progbar_module, "time", clock)
    monkeypatch.setattr(sys, "stdout", stdout)
    bar = Progbar(**kwargs)
    for op in ops:
        if op[0] == "tick":
            clock.t += op[1]
        elif op[0] == "update":
            bar.update(op[1], [tuple(v) for v in op[2]], finalize=op[3])
        elif op[0] == "add":
            bar.add(op[1], [tuple(v) for v in op[2]])
        elif op[0] == "set_target":
            bar.target = op[1]
    return stdout.getvalue()


def plain_final_lines(dynamic_output):
    text = ANSI.sub("", dynamic_output)
    return "".join(piece.split("\r")[-1].replace("\b", "").rstrip(" ") + "\n"
                   for piece in text.split("\n")[:-1])


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_terminal_output_matches_keras_byte_for_byte(name, monkeypatch):
    case = SCENARIOS[name]
    out = replay(case["kwargs"], case["ops"], TtyStringIO(), monkeypatch)
    assert out == case["stdout"]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pipe_output_is_final_lines_without_escapes(name, monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    case = SCENARIOS[name]
    out = replay(case["kwargs"], case["ops"], io.StringIO(), monkeypatch)
    assert "\x1b" not in out and "\b" not in out and "\r" not in out
    assert out == plain_final_lines(case["stdout"])


def test_pipe_shows_one_line_per_bar(monkeypatch):
    out = replay({"target": 3}, [["tick", 0.5], ["update", 1, [["loss", 1.0]], None],
                                 ["tick", 0.5], ["update", 3, [["loss", 0.5]], None]],
                 io.StringIO(), monkeypatch)
    assert out == "3/3 ━━━━━━━━━━━━━━━━━━━━ 1s 250ms/step - loss: 0.5000\n"


def _fake_ipython(with_kernel):
    ipython = types.ModuleType("IPython")
    shell = types.SimpleNamespace(kernel=object()) if with_kernel else None
    ipython.get_ipython = lambda: shell
    return ipython


def test_jupyter_kernel_counts_as_dynamic_display(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    monkeypatch.setitem(sys.modules, "IPython", _fake_ipython(with_kernel=True))
    case = SCENARIOS["basic"]
    out = replay(case["kwargs"], case["ops"], io.StringIO(), monkeypatch)
    assert out == case["stdout"]  # `\r` redraws and colours, as in a terminal


def test_imported_ipykernel_without_a_running_kernel_is_a_pipe(monkeypatch):
    # e.g. a test runner that executes notebooks has ipykernel imported
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    monkeypatch.setitem(sys.modules, "IPython", _fake_ipython(with_kernel=False))
    monkeypatch.delenv("PYCHARM_HOSTED", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert Progbar(3)._dynamic_display is False


def test_pycharm_counts_as_dynamic_display(monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setenv("PYCHARM_HOSTED", "1")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert Progbar(3)._dynamic_display is True


def test_unencodable_stdout_falls_back_to_equals_signs(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(progbar_module, "time", FakeClock())
    monkeypatch.setattr(sys, "stdout", stream)
    bar = Progbar(2, width=4)
    bar._dynamic_display = False
    bar.update(2, [("loss", 0.5)])
    stream.flush()
    assert raw.getvalue().decode("ascii") == "2/2 ==== 0s 0s/step - loss: 0.5000\n"


def test_both_metric_kinds_given_is_an_error():
    with pytest.raises(ValueError, match="Only one of `stateful_metrics`"):
        Progbar(3, stateful_metrics=["a"], stateless_metrics=["b"])


def test_values_are_averaged_weighted_by_steps(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    bar = Progbar(10, verbose=0)
    bar.update(2, [("loss", 1.0)])
    bar.update(6, [("loss", 4.0)])  # weight 4
    total, count = bar._values["loss"]
    assert count == 6 and total / count == pytest.approx((2 * 1.0 + 4 * 4.0) / 6)
    assert sys.stdout.getvalue() == ""
