"""Shared helpers for the callback tests: golden loading, fake clock, tty."""
import json
import os
import re

# The fakes the golden generator uses too, re-exported for the tests.
from tests.parity.callback_fakes import FakeClock, TtyStringIO, from_spec

__all__ = ["FakeClock", "TtyStringIO", "from_spec", "load_golden", "plain_final_lines"]

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "parity", "goldens")

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def load_golden(name):
    with open(os.path.join(GOLDENS, name)) as f:
        return json.load(f)


def plain_final_lines(dynamic_output):
    """What a pipe should show for a dynamic (tty) output: each finished
    line as last drawn, without escapes, backspaces or padding."""
    text = ANSI.sub("", dynamic_output)
    lines = []
    for piece in text.split("\n")[:-1]:
        line = piece.split("\r")[-1].replace("\b", "").rstrip(" ")
        lines.append(line + "\n")
    return "".join(lines)
