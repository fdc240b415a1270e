"""EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, ModelCheckpoint,
CSVLogger and TerminateOnNaN replayed on the scripted training loops that
`tests/parity/generate_callback_goldens.py` ran through real Keras 3: same
stopping epoch, restored weights, learning rates, saved files, CSV bytes,
printed messages, warnings and errors."""
import os
import warnings

import numpy as np
import pytest

import minikeras.callbacks as mk
from callback_test_utils import TtyStringIO, from_spec, load_golden
from tests.parity.callback_fakes import FakeModel, drive

GOLDEN = load_golden("callback_scripted.json")
CASES = sorted(k for k in GOLDEN if k != "csv_append")


def normalize(value):
    """Golden JSON spells NaN/inf as strings."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, float) and np.isnan(value):
        return "nan"
    return value


def run_case(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stdout = TtyStringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    batch_logs = from_spec(case["batch_logs"]) if case["batch_logs"] else None
    result = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            callbacks = eval(case["callbacks"], {"mk": mk, "np": np})
            model = FakeModel()
            result.update(drive(mk.CallbackList, callbacks, model,
                                from_spec(case["epoch_logs"]), case["steps"], batch_logs))
            result["saved"] = model.saved
        except Exception as e:
            result["error"] = [type(e).__name__, str(e)]
    result["stdout"] = stdout.getvalue()
    result["warnings"] = [str(w.message) for w in caught]
    files = {}
    for name in sorted(os.listdir(tmp_path)):
        if os.path.isfile(tmp_path / name):
            with open(tmp_path / name, newline="") as f:
                files[name] = f.read()
    return result, files


@pytest.mark.parametrize("name", CASES)
def test_matches_keras(name, tmp_path, monkeypatch):
    case = GOLDEN[name]
    expected = case["result"]
    result, files = run_case(case, tmp_path, monkeypatch)
    for key in ("error", "stdout", "warnings", "epochs_run", "lr", "logs_seen",
                "final_weight", "final_lr", "saved"):
        if key in expected:
            assert normalize(result.get(key)) == expected[key], key
    if "history" in expected:
        assert normalize(result["history"]) == expected["history"]
    if "files" in expected:
        assert files == expected["files"]


def test_csv_append_across_two_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for epoch_logs in ([{"loss": 0.5, "val_loss": 0.75}], [{"loss": 0.25, "val_loss": 0.5}] * 2):
        drive(mk.CallbackList, [mk.CSVLogger("log.csv", append=True)], FakeModel(), epoch_logs)
    with open("log.csv", newline="") as f:
        assert f.read() == GOLDEN["csv_append"]["file"]
