"""Shared helpers for the callback tests: golden loading, fake clock, tty."""
import io
import json
import os
import re

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "parity", "goldens")

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def load_golden(name):
    with open(os.path.join(GOLDENS, name)) as f:
        return json.load(f)


class FakeClock:
    """Stands in for the `time` module inside `minikeras.utils.progbar`."""

    def __init__(self, t=1000.0):
        self.t = t

    def time(self):
        return self.t


class TtyStringIO(io.StringIO):
    def isatty(self):
        return True


def from_spec(value):
    """Scripted JSON inputs back to Python ("nan" -> nan, "inf" -> inf)."""
    if isinstance(value, dict):
        return {k: from_spec(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_spec(v) for v in value]
    if value == "nan":
        return float("nan")
    if value == "inf":
        return float("inf")
    return value


def plain_final_lines(dynamic_output):
    """What a pipe should show for a dynamic (tty) output: each finished
    line as last drawn, without escapes, backspaces or padding."""
    text = ANSI.sub("", dynamic_output)
    lines = []
    for piece in text.split("\n")[:-1]:
        line = piece.split("\r")[-1].replace("\b", "").rstrip(" ")
        lines.append(line + "\n")
    return "".join(lines)
