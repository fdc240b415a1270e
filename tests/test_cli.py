"""`python -m minikeras demo` and `python -m minikeras run` as a user runs them."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python(*args, timeout=300):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "minikeras", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)


def test_demo_trains_xor_and_digits_above_ninety_percent():
    proc = _python("demo")
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "accuracy 1.00" in out                      # XOR solved
    assert "━" in out and "Epoch 30/30" in out         # the Keras progress bar
    acc = float(re.search(r"Digits test accuracy: ([0-9.]+)", out).group(1))
    assert acc > 0.9


def test_run_passes_arguments_and_exit_status(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("import sys, keras\nprint('ARGS', sys.argv[1:], keras.__name__)\n"
                      "sys.exit(3)\n")
    proc = _python("run", str(script), "--flag", "value")
    assert "ARGS ['--flag', 'value'] minikeras" in proc.stdout
    assert proc.returncode == 3


def test_run_supports_tensorflow_keras_spelling_without_tensorflow(tmp_path):
    script = tmp_path / "t.py"
    script.write_text("from tensorflow import keras\nfrom tensorflow.keras.layers import Dense\n"
                      "print('OK', keras.__name__, Dense.__module__)\n")
    proc = _python("run", str(script))
    try:
        import tensorflow  # noqa: F401
        has_tf = True
    except ImportError:
        has_tf = False
    if has_tf:
        assert proc.returncode == 0
    else:
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "OK minikeras minikeras.layers.core.dense" in proc.stdout
