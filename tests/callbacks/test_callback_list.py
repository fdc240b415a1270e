"""Callback, CallbackList, History, LambdaCallback: dispatch and logs."""
import numpy as np
import pytest

import minikeras.callbacks as mk
from minikeras.backend import Variable
from minikeras.callbacks.callback_list import pythonify_logs


class Model:
    stop_training = False


class Recorder(mk.Callback):
    def __init__(self, name, calls):
        super().__init__()
        self.name, self.calls = name, calls

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append((self.name, "on_epoch_end", epoch, dict(logs)))

    def on_train_begin(self, logs=None):
        self.calls.append((self.name, "on_train_begin", logs))


def test_every_callback_gets_every_hook_in_order():
    calls = []
    cbs = mk.CallbackList([Recorder("a", calls), Recorder("b", calls)], model=Model())
    cbs.on_train_begin()
    cbs.on_epoch_end(0, {"loss": 1.0})
    assert calls == [("a", "on_train_begin", {}), ("b", "on_train_begin", {}),
                     ("a", "on_epoch_end", 0, {"loss": 1.0}),
                     ("b", "on_epoch_end", 0, {"loss": 1.0})]


def test_logs_are_sorted_flattened_python_floats():
    logs = pythonify_logs({"loss": np.float32(0.5), "b": Variable(np.array(2.0)),
                           "a": np.array([3.0]), "nested": {"z": np.float64(1.0)},
                           "outputs": np.ones((2, 2)), "name": "text"})
    # Sorted by key; a nested dict is spliced in at its own key's place.
    assert list(logs) == ["a", "b", "loss", "name", "z", "outputs"]
    assert logs["loss"] == 0.5 and type(logs["loss"]) is float
    # As Keras under NumPy 2: float() of a 1-element array fails, so it stays an array
    # (per-class metrics such as F1Score keep their shape (1,) in History).
    assert isinstance(logs["a"], np.ndarray) and logs["a"].shape == (1,)
    assert type(logs["b"]) is float and logs["b"] == 2.0
    assert logs["outputs"].shape == (2, 2) and logs["name"] == "text"


def test_history_and_progbar_added_once():
    history = mk.History()
    cbs = mk.CallbackList([history], add_history=True, add_progbar=True, model=Model(),
                          verbose=1, epochs=2, steps=3)
    kinds = [type(c).__name__ for c in cbs.callbacks]
    assert kinds == ["History", "ProgbarLogger"]
    assert cbs.callbacks[0] is history
    assert history.params == {"verbose": 1, "epochs": 2, "steps": 3}
    assert cbs.callbacks[1].target == 3 and cbs.callbacks[1].epochs == 2


def test_set_model_points_model_history_at_the_history():
    model = Model()
    cbs = mk.CallbackList(add_history=True, model=model)
    assert model.history is cbs.callbacks[0]
    cbs.on_train_begin()
    cbs.on_epoch_end(0, {"loss": 2.0})
    cbs.on_epoch_end(1, {"loss": 1.0})
    assert model.history.history == {"loss": [2.0, 1.0]}
    assert model.history.epoch == [0, 1]


def test_learning_rate_added_by_one_callback_reaches_history():
    class Opt:
        learning_rate = Variable(np.array(0.25, "float32"))

    model = Model()
    model.optimizer = Opt()
    cbs = mk.CallbackList([mk.LearningRateScheduler(lambda e, lr: lr)], add_history=True,
                          model=model)
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_epoch_end(0, {"loss": 1.0})
    assert model.history.history == {"learning_rate": [0.25], "loss": [1.0]}


def test_train_batch_hooks_call_the_keras2_aliases():
    seen = []

    class Old(mk.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs))

    cbs = mk.CallbackList([Old()], model=Model())
    cbs.on_train_batch_begin(0)
    cbs.on_train_batch_end(0, {"loss": np.float32(1.5)})
    cbs.on_test_batch_end(0, {"loss": 1.0})  # not an alias of test batches
    assert seen == [("begin", 0), ("end", 0, {"loss": 1.5})]


def test_end_without_begin_is_an_error():
    cbs = mk.CallbackList(model=Model())
    with pytest.raises(ValueError, match="without corresponding"):
        cbs.on_test_end()


def test_bad_callbacks_are_rejected_clearly():
    with pytest.raises(TypeError, match=r"EarlyStopping\(\)"):
        mk.CallbackList([mk.EarlyStopping])
    with pytest.raises(TypeError, match="Callback` instance"):
        mk.CallbackList(["not a callback"])


def test_single_callback_nested_lists_and_append():
    a, b, c = mk.Callback(), mk.Callback(), mk.Callback()
    assert mk.CallbackList(a).callbacks == [a]
    cbs = mk.CallbackList([[a, [b]]], model=Model(), epochs=1)
    cbs.append(c)
    assert cbs.callbacks == [a, b, c]
    assert c.model is cbs.model and c.params == {"epochs": 1}


def test_subclass_without_super_init_still_works():
    class NoInit(mk.Callback):
        def __init__(self):
            self.count = 0

    cb = NoInit()
    assert cb.model is None
    model = Model()
    mk.CallbackList([cb], model=model)
    assert cb.model is model


def test_lambda_callback_runs_given_functions():
    calls = []
    cb = mk.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch, logs["loss"])),
        on_train_end=lambda logs: calls.append(("train_end",)),
        on_test_end=lambda logs: calls.append(("test_end", logs)))
    cbs = mk.CallbackList([cb], model=Model())
    cbs.on_train_begin()
    cbs.on_epoch_begin(3)
    cbs.on_train_batch_end(1, {"loss": 0.5})
    cbs.on_test_begin()
    cbs.on_test_end({"loss": 0.25})
    cbs.on_epoch_end(3, {})
    cbs.on_train_end()
    assert calls == [("epoch_begin", 3), ("batch_end", 1, 0.5),
                     ("test_end", {"loss": 0.25}), ("train_end",)]


def test_orbax_checkpoint_says_what_to_use_instead():
    with pytest.raises(NotImplementedError, match="ModelCheckpoint"):
        mk.OrbaxCheckpoint("checkpoints")
