"""Callbacks inside the real `fit`/`evaluate`/`predict`.

The hook order and logs keys are compared with a recording made in real
Keras 3 (callback_hooks.json); the scripted scenarios (injected `val_loss`
sequences) with what real Keras's callbacks did on the same sequences
(callback_scripted.json).
"""
import csv
import importlib
import json
import os
import re

import numpy as np
import pytest

import minikeras as keras
import minikeras.callbacks as mk
from minikeras import layers
from callback_test_utils import from_spec, load_golden
from tests.parity.callback_fakes import make_recorder

HOOKS = load_golden("callback_hooks.json")
SCRIPTED = load_golden("callback_scripted.json")


# ----- helpers -----------------------------------------------------------------
class AliasRecorder(mk.Callback):
    def __init__(self, events):
        super().__init__()
        self.events = events

    def on_batch_begin(self, batch, logs=None):
        self.events.append(["on_batch_begin", batch])

    def on_batch_end(self, batch, logs=None):
        self.events.append(["on_batch_end", batch])


class Inject(mk.Callback):
    """Overwrites epoch-end logs with a scripted sequence. The logs dict is
    shared by the callbacks that follow, as in Keras."""

    def __init__(self, epoch_logs):
        super().__init__()
        self.epoch_logs = epoch_logs

    def on_epoch_end(self, epoch, logs=None):
        logs.update(self.epoch_logs[epoch])


class Snapshots(mk.Callback):
    """Weights after each epoch's training and the learning rate each epoch
    starts with."""

    def __init__(self):
        super().__init__()
        self.weights, self.lr = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.lr.append(float(np.asarray(self.model.optimizer.learning_rate.numpy())))

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


def data(n=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 3)).astype("float32")
    y = (np.arange(n) % 2).astype("int32")
    return x, y


def classifier(optimizer="sgd"):
    model = keras.models.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def regressor(learning_rate=0.01):
    model = keras.models.Sequential([keras.Input((3,)), layers.Dense(4, activation="relu"),
                                     layers.Dense(1)])
    model.compile(keras.optimizers.Adam(learning_rate), "mse")
    return model


def assert_same_weights(a, b, rtol=0.0):
    assert len(a) == len(b)
    for wa, wb in zip(a, b):
        np.testing.assert_allclose(wa, wb, rtol=rtol, atol=0)


@pytest.fixture
def weights_io(monkeypatch):
    """`model.save`/`save_weights`/`load_weights` as the callbacks call them.

    The real ones from `minikeras.saving` when it is there. Until it is, a
    stand-in with the same contract (an `.npz` payload holding the model's
    and the optimizer's variables, as Keras's `.weights.h5` holds both), so
    that the callbacks' own logic is tested with the real trainer.
    """
    try:
        importlib.import_module("minikeras.saving.saving_api")
        return "saving"
    except ImportError:
        pass
    from minikeras.models.model import Model

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        arrays = {f"w{i}": w for i, w in enumerate(self.get_weights())}
        opt = getattr(self, "optimizer", None)
        if opt is not None and getattr(opt, "built", False):
            arrays.update({f"o{i}": np.array(v.numpy()) for i, v in enumerate(opt.variables)})
        with open(filepath, "wb") as f:
            np.savez(f, **arrays)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        with np.load(filepath) as d:
            self.set_weights([d[f"w{i}"] for i in range(len(self.get_weights()))])
            for i, v in enumerate(self.optimizer.variables):
                if f"o{i}" in d:
                    v.assign(d[f"o{i}"])

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        save_weights(self, filepath)

    monkeypatch.setattr(Model, "save_weights", save_weights)
    monkeypatch.setattr(Model, "load_weights", load_weights)
    monkeypatch.setattr(Model, "save", save)
    return "stand-in"


# ----- hooks and logs against real Keras ------------------------------------------
def test_hook_order_and_logs_keys_match_keras():
    spec = HOOKS["spec"]
    x, y = data(spec["n_train"])
    xv, yv = x[:spec["n_val"]], y[:spec["n_val"]]
    model = classifier()
    events, aliases = [], []
    history = model.fit(x, y, batch_size=spec["batch_size"], epochs=spec["epochs"],
                        validation_data=(xv, yv), verbose=0,
                        callbacks=[make_recorder(events, mk.Callback), AliasRecorder(aliases)])
    assert events == HOOKS["fit"]
    assert aliases == HOOKS["fit_aliases"]
    assert history.params == HOOKS["history_params"]
    assert history.epoch == HOOKS["history_epoch"]
    assert sorted(history.history) == HOOKS["history_keys"]
    assert (model.history is history) == HOOKS["model_history_is_returned"]

    events = []
    model.evaluate(xv, yv, batch_size=spec["batch_size"], verbose=0,
                   callbacks=[make_recorder(events, mk.Callback)])
    assert events == HOOKS["evaluate"]
    assert model.history is history  # evaluate has no History of its own

    events = []
    model.predict(x, batch_size=spec["batch_size"], verbose=0, callbacks=[make_recorder(events, mk.Callback)])
    assert events == HOOKS["predict"]


def test_auto_verbose_fit_hooks_and_params_match_keras(capsys):
    x, y = data(HOOKS["spec"]["n_train"])
    events = []
    history = classifier().fit(x, y, batch_size=4, epochs=1, callbacks=[make_recorder(events, mk.Callback)])
    assert events == HOOKS["fit_no_validation_auto_verbose"]
    assert history.params == HOOKS["history_params_auto_verbose"]
    assert "3/3 ━━━━━━━━━━━━━━━━━━━━" in capsys.readouterr().out


def test_fit_progress_output_in_a_pipe(capsys):
    x, y = data()
    model = classifier()
    model.fit(x, y, batch_size=4, epochs=2, validation_data=(x[:6], y[:6]), verbose=1)
    out = capsys.readouterr().out
    v = r"-?\d+\.\d{4}(?:e[+-]\d\d)?"
    t = r"\d+(?:s|ms|us)/step"
    line = (f"3/3 ━━━━━━━━━━━━━━━━━━━━ \\d+s {t} - accuracy: {v} - loss: {v}"
            f" - val_accuracy: {v} - val_loss: {v}\n")
    assert re.fullmatch(f"Epoch 1/2\n{line}Epoch 2/2\n{line}", out), out
    model.fit(x, y, batch_size=4, epochs=2, verbose=2)
    out = capsys.readouterr().out
    line = f"3/3 - \\d+s - {t} - accuracy: {v} - loss: {v}\n"
    assert re.fullmatch(f"Epoch 1/2\n{line}Epoch 2/2\n{line}", out), out
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


# ----- scripted scenarios -----------------------------------------------------------
def scripted(name):
    case = SCRIPTED[name]
    return from_spec(case["epoch_logs"]), case["result"]


def test_early_stopping_stops_where_keras_stops_and_restores_best_weights(capsys):
    epoch_logs, keras_result = scripted("es_restore")
    x, y = data()
    model = classifier()
    snaps = Snapshots()
    es = mk.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    history = model.fit(x, y, batch_size=4, epochs=len(epoch_logs), verbose=0,
                        callbacks=[Inject(epoch_logs), es, snaps])
    assert history.epoch == keras_result["epochs_run"]
    assert history.history["val_loss"] == keras_result["history"]["val_loss"]
    best = int(keras_result["final_weight"]) - 1  # the fake model's weight is epoch + 1
    assert es.best_epoch == best and es.stopped_epoch == keras_result["epochs_run"][-1]
    assert_same_weights(model.get_weights(), snaps.weights[best])
    assert not np.allclose(snaps.weights[best][0], snaps.weights[-1][0])
    assert capsys.readouterr().out == keras_result["stdout"]


def test_early_stopping_on_real_training_loss():
    x, y = data()
    model = classifier(keras.optimizers.SGD(0.0))  # a flat loss: no improvement at all
    history = model.fit(x, y, epochs=10, verbose=0,
                        callbacks=[mk.EarlyStopping(monitor="loss", patience=2)])
    assert history.epoch == [0, 1, 2]  # Keras: best at 0, waits 2 epochs, stops at 2


def test_early_stopping_auto_mode_maximizes_accuracy():
    x, y = data()
    model = classifier()
    es = mk.EarlyStopping(monitor="val_accuracy", patience=1)
    model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y), callbacks=[es])
    assert es.monitor_op(0.9, 0.5) and not es.monitor_op(0.5, 0.9)


def test_model_checkpoint_keeps_only_improving_files(tmp_path, weights_io, capsys):
    epoch_logs, keras_result = scripted("mc_best_only")
    x, y = data()
    model = classifier()
    path = str(tmp_path / "m-{epoch:02d}-{val_loss:.2f}.keras")
    model.fit(x, y, batch_size=4, epochs=len(epoch_logs), verbose=0,
              callbacks=[Inject(epoch_logs), mk.ModelCheckpoint(path, save_best_only=True, verbose=1)])
    saved = [os.path.basename(p) for _, p in keras_result["saved"]]
    assert sorted(os.listdir(tmp_path)) == saved
    assert capsys.readouterr().out == keras_result["stdout"].replace(
        "saving model to m-", f"saving model to {tmp_path}/m-").replace(
        "finished saving model to m-", f"finished saving model to {tmp_path}/m-")


def test_model_checkpoint_weights_every_n_batches(tmp_path, weights_io):
    epoch_logs, keras_result = scripted("mc_weights_batches")
    x, y = data(12)
    model = classifier()
    path = str(tmp_path / "w-{epoch}-{batch}.weights.h5")
    model.fit(x, y, batch_size=4, epochs=len(epoch_logs), verbose=0,
              callbacks=[mk.ModelCheckpoint(path, save_weights_only=True, save_freq=2)])
    assert sorted(os.listdir(tmp_path)) == sorted(p for _, p in keras_result["saved"])


def test_reduce_lr_on_plateau_changes_the_rate_when_keras_does():
    epoch_logs, keras_result = scripted("rlr_basic")
    x, y = data()
    model = classifier(keras.optimizers.SGD(0.1))
    snaps = Snapshots()
    history = model.fit(x, y, batch_size=4, epochs=len(epoch_logs), verbose=0,
                        callbacks=[Inject(epoch_logs), mk.ReduceLROnPlateau(factor=0.5, patience=1),
                                   snaps])
    np.testing.assert_allclose(snaps.lr, keras_result["lr"], rtol=1e-6)
    np.testing.assert_allclose(history.history["learning_rate"],
                               keras_result["history"]["learning_rate"], rtol=1e-6)
    np.testing.assert_allclose(float(model.optimizer.learning_rate.numpy()),
                               keras_result["final_lr"], rtol=1e-6)


def test_learning_rate_change_is_used_from_the_next_step():
    x, y = data()
    model = classifier(keras.optimizers.SGD(0.1))
    snaps = Snapshots()
    sched = mk.LearningRateScheduler(lambda epoch, lr: 0.0 if epoch == 1 else 0.1)
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[sched, snaps])
    assert_same_weights(snaps.weights[0], snaps.weights[1])  # lr 0 in epoch 1: frozen
    assert not np.allclose(snaps.weights[1][0], snaps.weights[2][0])
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.0, 0.1], rtol=1e-6)


def test_csv_logger_file_matches_history(tmp_path):
    x, y = data()
    path = tmp_path / "log.csv"
    history = classifier().fit(x, y, batch_size=4, epochs=3, verbose=0,
                               validation_data=(x[:6], y[:6]), callbacks=[mk.CSVLogger(str(path))])
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["epoch"] + sorted(history.history)
    assert [int(r["epoch"]) for r in rows] == history.epoch
    for key, values in history.history.items():
        assert [float(r[key]) for r in rows] == values


def test_terminate_on_nan_stops_at_the_bad_batch(capsys):
    x, y = data(12)
    x[5, 0] = np.nan  # in the second batch
    seen = []
    history = classifier().fit(
        x, y, batch_size=4, epochs=3, verbose=0, shuffle=False,
        callbacks=[mk.TerminateOnNaN(),
                   mk.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b))])
    assert seen == [0, 1] and history.epoch == [0]
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"


class Interrupt(mk.Callback):
    """Raises in the middle of an epoch, as a crash would."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise RuntimeError("simulated crash")


def test_backup_and_restore_resumes_after_a_crash_with_nothing_lost(tmp_path, weights_io):
    rng = np.random.default_rng(1)
    x = rng.random((16, 3)).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    fit_args = dict(batch_size=4, epochs=6, shuffle=False, verbose=0)

    reference = regressor()
    initial = reference.get_weights()
    ref_history = reference.fit(x, y, **fit_args)

    backup_dir = str(tmp_path / "backup")
    model = regressor()
    model.set_weights(initial)
    with pytest.raises(RuntimeError, match="simulated crash"):
        model.fit(x, y, callbacks=[mk.BackupAndRestore(backup_dir), Interrupt(3, 1)], **fit_args)
    with open(os.path.join(backup_dir, "training_metadata.json")) as f:
        assert json.load(f)["epoch"] == 3

    # A new process: a fresh model (other initial weights, unbuilt optimizer).
    resumed = regressor()
    history = resumed.fit(x, y, callbacks=[mk.BackupAndRestore(backup_dir)], **fit_args)
    assert history.epoch == [3, 4, 5]
    np.testing.assert_allclose(history.history["loss"], ref_history.history["loss"][3:], rtol=1e-6)
    assert_same_weights(resumed.get_weights(), reference.get_weights(), rtol=1e-6)
    assert not os.path.exists(backup_dir)  # deleted once training completed


def test_backup_and_restore_batch_frequency_and_kept_checkpoint(tmp_path, weights_io):
    x, y = data(12)
    backup_dir = str(tmp_path / "backup")
    model = classifier()
    model.fit(x, y, batch_size=4, epochs=2, verbose=0,
              callbacks=[mk.BackupAndRestore(backup_dir, save_freq=2, delete_checkpoint=False,
                                             double_checkpoint=True)])
    assert sorted(os.listdir(backup_dir)) == [
        "latest.weights.h5", "latest.weights.h5.bkp",
        "training_metadata.json", "training_metadata.json.bkp"]
    with open(os.path.join(backup_dir, "training_metadata.json")) as f:
        # 6 batches, saved after batches 2, 4, 6: the last in epoch 1, batch 2
        assert json.load(f) == {"epoch": 1, "batch": 2}
    # A complete run's backup makes the next fit start at the saved epoch.
    history = classifier().fit(x, y, batch_size=4, epochs=2, verbose=0,
                               callbacks=[mk.BackupAndRestore(backup_dir)])
    assert history.epoch == [1]


def test_backup_and_restore_falls_back_to_previous_checkpoint(tmp_path, weights_io):
    x, y = data(12)
    backup_dir = str(tmp_path / "backup")
    cb = mk.BackupAndRestore(backup_dir, double_checkpoint=True, delete_checkpoint=False)
    classifier().fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[cb])
    with open(os.path.join(backup_dir, "latest.weights.h5"), "wb") as f:
        f.write(b"truncated")  # a crash while writing the latest backup
    history = classifier().fit(x, y, batch_size=4, epochs=4, verbose=0,
                               callbacks=[mk.BackupAndRestore(backup_dir)])
    assert history.epoch == [2, 3]  # the .bkp pair: 2 epochs done


def test_backup_and_restore_argument_errors():
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        mk.BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq=often"):
        mk.BackupAndRestore("backup", save_freq="often")


def test_swap_ema_weights_validates_with_the_ema_weights():
    x, y = data()
    model = classifier(keras.optimizers.SGD(0.5, use_ema=True, ema_momentum=0.5))

    class Probe(mk.Callback):
        def __init__(self):
            super().__init__()
            self.rows = []

        def on_train_batch_end(self, batch, logs=None):
            opt = self.model.optimizer
            self.train = self.model.get_weights()
            self.averages = [np.array(a.numpy()) for a in opt._model_variables_moving_average]

        def on_test_batch_begin(self, batch, logs=None):
            self.rows.append(("val", self.model.get_weights(), self.train, self.averages))

        def on_epoch_begin(self, epoch, logs=None):
            if epoch:
                self.rows.append(("next", self.model.get_weights(), self.train, None))

    probe = Probe()
    model.fit(x, y, batch_size=4, epochs=2, verbose=0, validation_data=(x, y),
              callbacks=[mk.SwapEMAWeights(), probe])
    kinds = [r[0] for r in probe.rows]
    assert kinds == ["val", "val", "val", "next", "val", "val", "val"]
    for kind, weights, train, averages in probe.rows:
        if kind == "val":
            assert_same_weights(weights, averages)
            assert not np.allclose(weights[0], train[0])
        else:
            assert_same_weights(weights, train)


def test_swap_ema_weights_needs_use_ema():
    x, y = data()
    model = classifier()
    model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="use_ema=True"):
        model.evaluate(x, y, verbose=0, callbacks=[mk.SwapEMAWeights()])
