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

GOLDEN = load_golden("callback_scripted.json")
CASES = sorted(k for k in GOLDEN if k != "csv_append")


class FakeOptimizer:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.iterations = 0


class FakeModel:
    """What the callbacks touch: weights, optimizer, stop flag, save calls."""

    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.optimizer = FakeOptimizer(learning_rate)
        self._weights = [np.zeros((1,), "float32")]
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self._weights]

    def set_weights(self, weights):
        self._weights = [np.array(w) for w in weights]

    def save(self, filepath, overwrite=True):
        self.saved.append(["save", filepath])
        open(filepath, "w").close()

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(["save_weights", filepath])
        open(filepath, "w").close()


def drive(callbacks, model, epoch_logs, steps=2, batch_logs=None):
    """The generator's scripted `fit`, step for step."""
    epochs = len(epoch_logs)
    cbs = mk.CallbackList(callbacks, add_history=True, model=model,
                          verbose=0, epochs=epochs, steps=steps)
    model.stop_training = False
    cbs.on_train_begin()
    record = {"epochs_run": [], "lr": [], "logs_seen": []}
    logs = None
    for epoch in range(epochs):
        cbs.on_epoch_begin(epoch)
        record["lr"].append(float(model.optimizer.learning_rate))
        for b in range(steps):
            cbs.on_train_batch_begin(b)
            blogs = batch_logs[epoch][b] if batch_logs else {"loss": epoch_logs[epoch].get("loss", 1.0)}
            model.optimizer.iterations += 1
            cbs.on_train_batch_end(b, from_spec(blogs))
            if model.stop_training:
                break
        model.set_weights([np.array([epoch + 1.0], "float32")])
        logs = dict(from_spec(epoch_logs[epoch]))
        cbs.on_epoch_end(epoch, logs)
        record["epochs_run"].append(epoch)
        record["logs_seen"].append(sorted(logs))
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    record["final_weight"] = float(model.get_weights()[0][0])
    record["history"] = model.history.history
    record["final_lr"] = float(model.optimizer.learning_rate)
    return record


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
            result.update(drive(callbacks, model, from_spec(case["epoch_logs"]),
                                case["steps"], batch_logs))
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
    drive([mk.CSVLogger("log.csv", append=True)], FakeModel(), [{"loss": 0.5, "val_loss": 0.75}])
    drive([mk.CSVLogger("log.csv", append=True)], FakeModel(), [{"loss": 0.25, "val_loss": 0.5}] * 2)
    with open("log.csv", newline="") as f:
        assert f.read() == GOLDEN["csv_append"]["file"]
