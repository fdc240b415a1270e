"""Stand-ins shared by `generate_callback_goldens.py` (run under real Keras)
and the minikeras callback tests, so both drive callbacks the same way.

Pure Python and numpy: the `Callback` / `CallbackList` classes of the
library under test come in as arguments, so the generator never imports
minikeras and the tests never import Keras.
"""
import io

import numpy as np

HOOK_NAMES = [
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_begin",
    "on_test_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_begin", "on_predict_end", "on_predict_batch_begin",
    "on_predict_batch_end",
]


class FakeClock:
    """Stands in for the `time` module inside a progbar module."""

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


def make_recorder(events, callback_cls):
    """A `callback_cls` instance appending `[hook, index, sorted log keys]`
    to `events` for every hook of `HOOK_NAMES`."""
    def make(name):
        def hook(self, *args, **kwargs):
            args = list(args) + list(kwargs.values())
            logs = args[-1] if args else None
            index = args[0] if len(args) == 2 else None
            keys = sorted(logs.keys()) if isinstance(logs, dict) else logs
            events.append([name, index, keys])
        return hook

    return type("Recorder", (callback_cls,), {n: make(n) for n in HOOK_NAMES})()


# ----- scripted training loops on a fake model ---------------------------------
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


def drive(callback_list_cls, callbacks, model, epoch_logs, steps=2, batch_logs=None):
    """A scripted `fit`: the hooks in Keras's order, weights = [epoch + 1]
    after each epoch's training, stop checks after each batch and epoch.
    `batch_logs[epoch][batch]` (optional) are the train-batch logs."""
    epochs = len(epoch_logs)
    cbs = callback_list_cls(callbacks, add_history=True, model=model,
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
