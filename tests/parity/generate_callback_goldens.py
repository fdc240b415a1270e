"""Records Keras 3's callback behaviour as goldens for minikeras's tests.

Run with a Python that has tensorflow + keras 3 (never minikeras):

    python tests/parity/generate_callback_goldens.py

The TensorBoard goldens additionally need the `tensorboard` package
importable (Keras writes summaries through it); without it that part is
skipped and its golden left as it is.

Writes into `goldens/` next to this file:

- callback_hooks.json: the hooks a real `fit` (2 epochs, validation data),
  `evaluate` and `predict` call, in order, with the sorted keys of their logs.
- callback_progbar.json: exact stdout of `keras.utils.Progbar` and of
  `ProgbarLogger` (driven as `fit`/`evaluate`/`predict` drive it) for
  scripted updates under a fake clock.
- callback_scripted.json: EarlyStopping, ReduceLROnPlateau,
  LearningRateScheduler, ModelCheckpoint, CSVLogger and TerminateOnNaN
  driven by a scripted training loop on a fake model: when training stops,
  which weights are restored, the learning rates, the files saved and
  written, the messages printed, the errors raised.
- callback_tensorboard.json: the events Keras's TensorBoard callback writes
  during a small `fit` (tags, steps, plugins, dtypes, shapes), TensorBoard's
  histogram buckets and image pixels for known weights, and one raw event
  file (base64) to check the record framing and CRCs against.
"""
import base64
import contextlib
import glob
import io
import json
import math
import os
import sys
import tempfile
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import callbacks as kcb  # noqa: E402
from keras.src.utils import progbar as progbar_module  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDENS = os.path.join(HERE, "goldens")
sys.path.insert(0, HERE)
from callback_fakes import (  # noqa: E402
    FakeClock, FakeModel, TtyStringIO, drive, from_spec, make_recorder)


# ----- helpers -------------------------------------------------------------------
@contextlib.contextmanager
def captured(clock=None):
    """Captures stdout (as a tty) and puts `clock` in the progbar module."""
    old_stdout, old_time = sys.stdout, progbar_module.time
    buf = TtyStringIO()
    sys.stdout = buf
    if clock is not None:
        progbar_module.time = clock
    try:
        yield buf
    finally:
        sys.stdout = old_stdout
        progbar_module.time = old_time


def to_jsonable(value):
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (np.floating, float)):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, np.integer):
        return int(value)
    return value


def write_json(name, data):
    path = os.path.join(GOLDENS, name)
    with open(path, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {name} ({os.path.getsize(path)} bytes)")


# ----- 1. hooks of a real fit/evaluate/predict -----------------------------------------
def make_alias_recorder(events):
    class AliasRecorder(kcb.Callback):
        def on_batch_begin(self, batch, logs=None):
            events.append(["on_batch_begin", batch])

        def on_batch_end(self, batch, logs=None):
            events.append(["on_batch_end", batch])

    return AliasRecorder()


def hooks_golden():
    keras.utils.set_random_seed(0)
    x = np.random.rand(10, 3).astype("float32")
    y = (np.arange(10) % 2).astype("int32")
    xv, yv = x[:6], y[:6]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    out = {"spec": {"n_train": 10, "n_val": 6, "batch_size": 4, "epochs": 2,
                    "metrics": ["accuracy"]}}
    events, aliases = [], []
    with captured():
        history = model.fit(x, y, batch_size=4, epochs=2, validation_data=(xv, yv),
                            verbose=0, callbacks=[make_recorder(events, kcb.Callback), make_alias_recorder(aliases)])
    out["fit"] = events
    out["fit_aliases"] = aliases
    out["history_params"] = history.params
    out["history_epoch"] = history.epoch
    out["history_keys"] = sorted(history.history)
    out["model_history_is_returned"] = model.history is history

    events = []
    with captured():
        history = model.fit(x, y, batch_size=4, epochs=1, callbacks=[make_recorder(events, kcb.Callback)])
    out["fit_no_validation_auto_verbose"] = events
    out["history_params_auto_verbose"] = history.params

    events = []
    with captured():
        result = model.evaluate(xv, yv, batch_size=4, verbose=0, callbacks=[make_recorder(events, kcb.Callback)])
    out["evaluate"] = events
    out["evaluate_result_len"] = len(result)

    events = []
    with captured():
        model.predict(x, batch_size=4, verbose=0, callbacks=[make_recorder(events, kcb.Callback)])
    out["predict"] = events
    write_json("callback_hooks.json", out)


# ----- 2. Progbar and ProgbarLogger output -----------------------------------------------
# Each scenario: constructor kwargs and a list of ops, replayed identically by
# the minikeras test: ["tick", dt] | ["update", current, values, finalize]
# | ["add", n, values] | ["set_target", t].
PROGBAR_SCENARIOS = {
    "basic": ({"target": 5}, [x for i in range(1, 6) for x in (["tick", 0.3], ["update", i, [["loss", 1.0 / i], ["accuracy", 0.1 * i]], None])]),
    "throttled": ({"target": 6, "interval": 0.05}, [x for i in range(1, 7) for x in (["tick", 0.02], ["update", i, [["loss", 0.5]], None])]),
    "value_formats": ({"target": 3}, [x for i in range(1, 4) for x in (["tick", 0.1], ["update", i, [["tiny", 1e-5], ["neg", -0.5], ["big", 12345.678], ["tiny_neg", -1e-5], ["count", 3], ["zero", 0.0]], None])]),
    "eta_hours": ({"target": 10000}, [["tick", 1.0], ["update", 1, [], None], ["tick", 1.2], ["update", 2, [], None]]),
    "eta_minutes": ({"target": 100}, [["tick", 1.0], ["update", 1, [], None], ["tick", 1.5], ["update", 2, [], None], ["tick", 100.0], ["update", 100, [], None]]),
    "time_units_us": ({"target": 4}, [x for i in range(1, 5) for x in (["tick", 0.0004], ["update", i, [["loss", 0.25]], None])]),
    "time_units_s": ({"target": 2}, [x for i in range(1, 3) for x in (["tick", 2.5], ["update", i, [["loss", 0.25]], None])]),
    "unknown_target": ({"target": None}, [["tick", 0.1], ["update", 1, [["loss", 0.9]], None], ["tick", 0.1], ["update", 2, [["loss", 0.7]], None], ["tick", 0.1], ["update", 3, [["loss", 0.5]], None], ["set_target", 3], ["update", 3, [["loss", 0.6]], True]]),
    "verbose2": ({"target": 4, "verbose": 2}, [x for i in range(1, 5) for x in (["tick", 0.25], ["update", i, [["loss", 1.0 / i], ["neg", -0.25]], None])]),
    "verbose0": ({"target": 2, "verbose": 0}, [["tick", 0.1], ["update", 1, [["loss", 1.0]], None], ["update", 2, [["loss", 1.0]], None]]),
    "stateful": ({"target": 3, "stateful_metrics": ["acc"]}, [x for i in range(1, 4) for x in (["tick", 0.1], ["update", i, [["loss", float(i)], ["acc", 0.3 * i]], None])]),
    "stateless_empty": ({"target": 3, "stateless_metrics": []}, [x for i in range(1, 4) for x in (["tick", 0.1], ["update", i, [["loss", float(i)]], None])]),
    "stateless_loss": ({"target": 3, "stateless_metrics": ["loss"]}, [x for i in range(1, 4) for x in (["tick", 0.1], ["update", i, [["loss", float(i)], ["acc", 0.3 * i]], None])]),
    "width_unit_add": ({"target": 8, "width": 10, "unit_name": "sample"}, [["tick", 0.2], ["add", 3, [["loss", 0.9]]], ["tick", 0.2], ["add", 2, [["loss", 0.3]]], ["tick", 0.2], ["add", 3, [["loss", 0.1]]]]),
    "shrinking": ({"target": 3}, [["tick", 0.1], ["update", 1, [["m", 123456.789]], False], ["tick", 0.1], ["update", 2, [["m", -123456.789]], False], ["tick", 0.1], ["update", 3, [["m", 0.5]], True]]),
    "jump_weighting": ({"target": 10}, [["tick", 0.1], ["update", 1, [["loss", 1.0]], None], ["tick", 0.1], ["update", 4, [["loss", 0.0]], None], ["tick", 0.1], ["update", 10, [["loss", 2.0]], None]]),
    "big_target": ({"target": 1234}, [["tick", 0.01], ["update", 7, [["loss", 0.5]], None], ["tick", 0.5], ["update", 1234, [["loss", 0.4]], None]]),
    "zero_target": ({"target": 0}, [["tick", 0.1], ["update", 1, [["loss", 0.5]], True]]),
}


def run_progbar_scenario(kwargs, ops):
    clock = FakeClock()
    with captured(clock) as buf:
        bar = keras.utils.Progbar(**kwargs)
        for op in ops:
            if op[0] == "tick":
                clock.t += op[1]
            elif op[0] == "update":
                bar.update(op[1], [tuple(v) for v in op[2]], finalize=op[3])
            elif op[0] == "add":
                bar.add(op[1], [tuple(v) for v in op[2]])
            elif op[0] == "set_target":
                bar.target = op[1]
    return buf.getvalue()


class Dummy:
    """A stand-in model: callbacks only set attributes on it."""


# ProgbarLogger scenarios: CallbackList params and hook calls, as fit,
# evaluate and predict make them: ["hook", *args] | ["tick", dt].
def fit_ops(epochs, steps, validation=True, last_batch_seen=None):
    ops = [["on_train_begin"]]
    n = steps if steps is not None else last_batch_seen
    for epoch in range(epochs):
        ops.append(["on_epoch_begin", epoch])
        for b in range(n):
            ops += [["on_train_batch_begin", b], ["tick", 0.04],
                    ["on_train_batch_end", b, {"loss": 1.0 / (epoch + b + 1), "accuracy": 0.1 * (b + 1)}]]
        logs = {"loss": 0.5 / (epoch + 1), "accuracy": 0.25 * (epoch + 1)}
        if validation:
            ops += [["on_test_begin"], ["on_test_batch_begin", 0], ["tick", 0.01],
                    ["on_test_batch_end", 0, {"loss": 0.9, "accuracy": 0.4}],
                    ["on_test_end", {"loss": 0.6 / (epoch + 1), "accuracy": 0.3}]]
            logs.update({"val_loss": 0.6 / (epoch + 1), "val_accuracy": 0.3})
        ops.append(["on_epoch_end", epoch, logs])
    ops.append(["on_train_end", logs])
    return ops


LOGGER_SCENARIOS = {
    "fit_verbose1": ({"verbose": 1, "epochs": 2, "steps": 3}, fit_ops(2, 3)),
    "fit_verbose2": ({"verbose": 2, "epochs": 2, "steps": 3}, fit_ops(2, 3)),
    "fit_auto_one_epoch": ({"verbose": "auto", "epochs": 1, "steps": 3}, fit_ops(1, 3, validation=False)),
    "fit_unknown_steps": ({"verbose": 1, "epochs": 2, "steps": None}, fit_ops(2, None, validation=False, last_batch_seen=3)),
    "evaluate": ({"verbose": 1, "epochs": 1, "steps": 2}, [
        ["on_test_begin"], ["on_test_batch_begin", 0], ["tick", 0.02],
        ["on_test_batch_end", 0, {"loss": 0.5, "compile_metrics": 0.75}], ["on_test_batch_begin", 1], ["tick", 0.02],
        ["on_test_batch_end", 1, {"loss": 0.4, "compile_metrics": 0.5}], ["on_test_end", {"loss": 0.45, "accuracy": 0.625}]]),
    "predict": ({"verbose": 1, "epochs": 1, "steps": 2}, [
        ["on_predict_begin"], ["on_predict_batch_begin", 0], ["tick", 0.02],
        ["on_predict_batch_end", 0, {"outputs": "ARRAY"}], ["on_predict_batch_begin", 1], ["tick", 0.02],
        ["on_predict_batch_end", 1, {"outputs": "ARRAY"}], ["on_predict_end"]]),
}


def run_logger_scenario(params, ops):
    clock = FakeClock()
    with captured(clock) as buf:
        model = Dummy()
        cbs = kcb.CallbackList(None, add_history=True, add_progbar=True, model=model, **params)
        for op in ops:
            if op[0] == "tick":
                clock.t += op[1]
                continue
            # Predict batches carry their outputs, an array, in the logs.
            args = [{"outputs": np.ones((2, 2), "float32")}
                    if isinstance(a, dict) and a.get("outputs") == "ARRAY" else a
                    for a in op[1:]]
            getattr(cbs, op[0])(*args)
    return buf.getvalue(), to_jsonable(model.history.history) if hasattr(model, "history") else None


def progbar_golden():
    out = {"progbar": {}, "logger": {}}
    for name, (kwargs, ops) in PROGBAR_SCENARIOS.items():
        out["progbar"][name] = {"kwargs": kwargs, "ops": ops,
                                "stdout": run_progbar_scenario(kwargs, ops)}
    for name, (params, ops) in LOGGER_SCENARIOS.items():
        stdout, history = run_logger_scenario(params, ops)
        out["logger"][name] = {"params": params, "ops": ops, "stdout": stdout,
                               "history": history}
    write_json("callback_progbar.json", out)


# ----- 3. scripted training loops on a fake model ---------------------------------
def run_case(make_callbacks, epoch_logs, steps=2, batch_logs=None, lr=0.1, files=False):
    """Runs `drive` in a fresh temporary directory; returns what happened."""
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            result = {}
            with warnings.catch_warnings(record=True) as caught, captured() as buf:
                warnings.simplefilter("always")
                try:
                    callbacks = make_callbacks()
                    model = FakeModel(lr)
                    result.update(drive(kcb.CallbackList, callbacks, model, epoch_logs, steps,
                                        batch_logs))
                    result["history"] = to_jsonable(result["history"])
                    result["saved"] = model.saved
                except Exception as e:  # the error is part of the golden
                    result["error"] = [type(e).__name__, str(e)]
            result["stdout"] = buf.getvalue()
            result["warnings"] = [str(w.message) for w in caught
                                  if "pkg_resources" not in str(w.message)]
            if files:
                result["files"] = {}
                for name in sorted(os.listdir(tmp)):
                    with open(os.path.join(tmp, name), newline="") as f:
                        result["files"][name] = f.read()
        finally:
            os.chdir(cwd)
    return result


def vl(*values, key="val_loss", extra=None):
    logs = []
    for i, v in enumerate(values):
        d = {"loss": 1.0 - 0.01 * i, key: v}
        if extra:
            d.update(extra)
        logs.append(d)
    return logs


# name -> (constructor source evaluated with `kcb` / `mk` as the module,
#          epoch logs, steps, batch logs)
SCRIPTED = {
    # EarlyStopping
    "es_patience2": ("[mk.EarlyStopping(patience=2, verbose=1)]", vl(1.0, 0.8, 0.9, 0.85, 0.95, 0.7, 0.6)),
    "es_patience0": ("[mk.EarlyStopping()]", vl(1.0, 0.8, 0.9, 0.7)),
    "es_min_delta": ("[mk.EarlyStopping(min_delta=0.1, patience=1)]", vl(1.0, 0.95, 0.92, 0.5, 0.45, 0.44)),
    "es_mode_max": ("[mk.EarlyStopping(monitor='val_acc', mode='max', patience=1)]", vl(0.5, 0.6, 0.55, 0.58, 0.7, key="val_acc")),
    "es_baseline": ("[mk.EarlyStopping(baseline=0.5, patience=2, verbose=1)]", vl(0.9, 0.8, 0.7, 0.6, 0.4, 0.3)),
    "es_baseline_beaten": ("[mk.EarlyStopping(baseline=0.5, patience=1)]", vl(0.4, 0.3, 0.35, 0.36, 0.2)),
    "es_restore": ("[mk.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)]", vl(1.0, 0.5, 0.7, 0.8, 0.4)),
    "es_restore_no_stop": ("[mk.EarlyStopping(patience=5, restore_best_weights=True)]", vl(1.0, 0.5, 0.7, 0.6)),
    "es_restore_baseline": ("[mk.EarlyStopping(patience=1, baseline=0.1, restore_best_weights=True, verbose=1)]", vl(1.0, 0.5, 0.7, 0.8, 0.4)),
    "es_start_from_epoch": ("[mk.EarlyStopping(patience=1, start_from_epoch=3)]", vl(0.5, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4)),
    "es_monitor_loss": ("[mk.EarlyStopping(monitor='loss', patience=0)]", [{"loss": 1.0}, {"loss": 0.9}, {"loss": 0.95}, {"loss": 0.5}]),
    "es_missing_monitor": ("[mk.EarlyStopping(monitor='val_nope', patience=0)]", vl(1.0, 0.9, 1.1)),
    "es_missing_monitor_min": ("[mk.EarlyStopping(monitor='val_nope', mode='min', patience=0)]", vl(1.0, 0.9, 1.1)),
    "es_auto_unknown_metric": ("[mk.EarlyStopping(monitor='val_acc')]", vl(0.5, 0.6, key="val_acc")),
    "es_bad_mode": ("[mk.EarlyStopping(mode='bogus', patience=0)]", vl(1.0, 1.1)),
    "es_nan": ("[mk.EarlyStopping(patience=1)]", vl(1.0, "nan", "nan", 0.5)),
    # ReduceLROnPlateau
    "rlr_basic": ("[mk.ReduceLROnPlateau(factor=0.5, patience=1, verbose=1)]", vl(1.0, 1.0, 1.1, 0.9, 0.95, 0.96, 0.97)),
    "rlr_cooldown_min_lr": ("[mk.ReduceLROnPlateau(factor=0.5, patience=1, cooldown=2, min_lr=0.03, verbose=1)]", vl(1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9)),
    "rlr_min_delta_max": ("[mk.ReduceLROnPlateau(monitor='val_acc', mode='max', factor=0.2, patience=2, min_delta=0.05)]", vl(0.5, 0.52, 0.53, 0.6, 0.62, 0.63, 0.7, key="val_acc")),
    "rlr_missing_monitor": ("[mk.ReduceLROnPlateau(monitor='val_nope')]", vl(1.0, 0.9)),
    "rlr_missing_monitor_min": ("[mk.ReduceLROnPlateau(monitor='val_nope', mode='min')]", vl(1.0, 0.9)),
    "rlr_factor_error": ("[mk.ReduceLROnPlateau(factor=1.0)]", vl(1.0)),
    "rlr_then_history": ("[mk.ReduceLROnPlateau(factor=0.1, patience=0, verbose=1), mk.EarlyStopping(patience=3)]", vl(1.0, 1.0, 1.0, 1.0, 1.0)),
    # LearningRateScheduler
    "lrs_two_args": ("[mk.LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.5, verbose=1)]", vl(1.0, 0.9, 0.8, 0.7, 0.6)),
    "lrs_one_arg": ("[mk.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))]", vl(1.0, 0.9, 0.8)),
    "lrs_int_error": ("[mk.LearningRateScheduler(lambda epoch, lr: 1)]", vl(1.0)),
    "lrs_numpy_float": ("[mk.LearningRateScheduler(lambda epoch, lr: np.float32(0.25) * (epoch + 1))]", vl(1.0, 0.9)),
    # ModelCheckpoint
    "mc_best_only": ("[mk.ModelCheckpoint('m-{epoch:02d}-{val_loss:.2f}.keras', save_best_only=True, verbose=1)]", vl(1.0, 0.8, 0.9, 0.7, 0.7, 0.75)),
    "mc_every_epoch": ("[mk.ModelCheckpoint('model.keras', verbose=1)]", vl(1.0, 0.8)),
    "mc_weights_batches": ("[mk.ModelCheckpoint('w-{epoch}-{batch}.weights.h5', save_weights_only=True, save_freq=2)]", vl(1.0, 0.9, 0.8), 3),
    "mc_threshold_max": ("[mk.ModelCheckpoint('best.keras', monitor='val_acc', mode='max', save_best_only=True, initial_value_threshold=0.6, verbose=1)]", vl(0.5, 0.55, 0.65, 0.6, 0.7, key="val_acc")),
    "mc_missing_monitor": ("[mk.ModelCheckpoint('x.keras', monitor='val_nope', save_best_only=True)]", vl(1.0)),
    "mc_missing_monitor_min": ("[mk.ModelCheckpoint('x.keras', monitor='val_nope', mode='min', save_best_only=True)]", vl(1.0)),
    "mc_h5_legacy": ("[mk.ModelCheckpoint('legacy.h5')]", vl(1.0)),
    "mc_bad_weights_suffix": ("[mk.ModelCheckpoint('w.keras', save_weights_only=True)]", vl(1.0)),
    "mc_bad_model_suffix": ("[mk.ModelCheckpoint('model.weights')]", vl(1.0)),
    "mc_bad_save_freq": ("[mk.ModelCheckpoint('m.keras', save_freq='batch')]", vl(1.0)),
    "mc_format_key_error": ("[mk.ModelCheckpoint('m-{val_nope:.2f}.keras')]", vl(1.0)),
    "mc_subdir": ("[mk.ModelCheckpoint('ckpt/sub/e{epoch}.keras')]", vl(1.0, 0.5)),
    # CSVLogger
    "csv_val": ("[mk.CSVLogger('log.csv')]", [{"loss": 0.5, "accuracy": 0.7, "val_loss": 0.6, "val_accuracy": 0.65}, {"loss": 0.25, "accuracy": 0.8, "val_loss": 0.125, "val_accuracy": 0.75}]),
    "csv_no_val": ("[mk.CSVLogger('log.csv', separator=';')]", [{"loss": 0.5, "mae": 0.25}, {"loss": 0.375, "mae": 0.125}]),
    "csv_list_value": ("[mk.CSVLogger('log.csv')]", [{"loss": 0.5, "per_class": [0.25, 0.75]}]),
    "csv_partial_val": ("[mk.CSVLogger('log.csv')]", [{"loss": 0.5}, {"loss": 0.25, "val_loss": 0.3}]),
    # TerminateOnNaN
    "nan_stop": ("[mk.TerminateOnNaN()]", vl(1.0, 1.0, 1.0), 3, [[{"loss": 0.5}] * 3, [{"loss": 0.4}, {"loss": "nan"}, {"loss": 0.3}], [{"loss": 0.2}] * 3]),
    "nan_inf": ("[mk.TerminateOnNaN()]", vl(1.0, 1.0), 2, [[{"loss": 0.5}, {"loss": "inf"}], [{"loss": 0.2}] * 2]),
    "nan_raise": ("[mk.TerminateOnNaN(raise_error=True)]", vl(1.0, 1.0), 2, [[{"loss": 0.5}, {"loss": "nan"}], [{"loss": 0.2}] * 2]),
}


def scripted_golden():
    out = {}
    for name, case in SCRIPTED.items():
        src, logs = case[0], case[1]
        steps = case[2] if len(case) > 2 else 2
        batch_logs = case[3] if len(case) > 3 else None
        result = run_case(lambda: eval(src, {"mk": kcb, "np": np}), from_spec(logs), steps,
                          from_spec(batch_logs) if batch_logs else None,
                          files=name.startswith("csv"))
        out[name] = {"callbacks": src, "epoch_logs": logs, "steps": steps,
                     "batch_logs": batch_logs, "result": to_jsonable(result)}
    # CSVLogger append: two runs into the same file.
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            logs = [{"loss": 0.5, "val_loss": 0.75}]
            drive(kcb.CallbackList, [kcb.CSVLogger("log.csv", append=True)], FakeModel(), logs)
            drive(kcb.CallbackList, [kcb.CSVLogger("log.csv", append=True)], FakeModel(), [{"loss": 0.25, "val_loss": 0.5}] * 2)
            with open("log.csv", newline="") as f:
                out["csv_append"] = {"file": f.read()}
        finally:
            os.chdir(cwd)
    write_json("callback_scripted.json", out)


# ----- 4. TensorBoard ----------------------------------------------------------------
def tensorboard_golden():
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        print("tensorboard not importable: callback_tensorboard.json left as it is")
        return
    import tensorflow as tf

    def decode(path):
        rows = []
        for e in tf.compat.v1.train.summary_iterator(path):
            if e.file_version:
                rows.append({"file_version": e.file_version, "step": int(e.step)})
            for v in e.summary.value:
                rows.append({
                    "step": int(e.step), "tag": v.tag,
                    "plugin_name": v.metadata.plugin_data.plugin_name,
                    "plugin_content": v.metadata.plugin_data.content.decode(),
                    "dtype": int(v.tensor.dtype),
                    "shape": [int(d.size) for d in v.tensor.tensor_shape.dim],
                })
        return rows

    out = {}
    keras.utils.set_random_seed(0)
    x = np.random.rand(10, 3).astype("float32")
    y = (np.arange(10) % 2).astype("int32")
    with tempfile.TemporaryDirectory() as tmp:
        keras.backend.clear_session()  # layer names without `_1` suffixes
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        # update_freq="batch": with an integer N > 1, Keras's `record_if`
        # also drops the epoch summaries of epochs whose last batch index
        # is not a multiple of N (minikeras keeps them), so compare on 1.
        tb = kcb.TensorBoard(os.path.join(tmp, "logs"), histogram_freq=1, write_images=True,
                             update_freq="batch")
        with captured():
            model.fit(x, y, batch_size=4, epochs=2, validation_data=(x[:6], y[:6]), verbose=0, callbacks=[tb])
        out["fit"] = {"spec": {"n_train": 10, "n_val": 6, "batch_size": 4, "epochs": 2,
                               "histogram_freq": 1, "write_images": True, "update_freq": "batch"},
                      "dirs": {}}
        for sub in ("train", "validation"):
            files = sorted(glob.glob(os.path.join(tmp, "logs", sub, "events.out.tfevents.*")))
            out["fit"]["dirs"][sub] = {"n_files": len(files),
                                       "names": [os.path.basename(f).split(".")[0:3] for f in files],
                                       "events": decode(files[0])}
            if sub == "validation":
                with open(files[0], "rb") as f:
                    out["raw_validation_file"] = base64.b64encode(f.read()).decode()

        # Histogram buckets and image pixels for known arrays.
        rng = np.random.default_rng(0)
        kernel = rng.normal(size=(5, 3)).astype("float32")
        const = np.full((4,), 0.5, "float32")
        image_in = rng.uniform(-0.2, 1.2, size=(1, 2, 3, 1)).astype("float32")
        writer = tf.summary.create_file_writer(os.path.join(tmp, "probe"))
        with writer.as_default():
            tf.summary.histogram("k", kernel, step=3)
            tf.summary.histogram("c", const, step=3)
            tf.summary.image("im", image_in, step=3)
            tf.summary.scalar("s", 0.125, step=7)
        writer.close()
        probe = glob.glob(os.path.join(tmp, "probe", "*"))[0]
        for e in tf.compat.v1.train.summary_iterator(probe):
            for v in e.summary.value:
                if v.metadata.plugin_data.plugin_name == "histograms":
                    arr = tf.make_ndarray(v.tensor)
                    out[f"histogram_{v.tag}"] = arr.tolist()
                elif v.tag == "im":
                    from PIL import Image
                    png = v.tensor.string_val[2]
                    out["image"] = {"width_height": [s.decode() for s in v.tensor.string_val[:2]],
                                    "pixels": np.array(Image.open(io.BytesIO(png))).tolist()}
                elif v.tag == "s":
                    out["scalar_value_bytes"] = base64.b64encode(v.SerializeToString()).decode()
        out["histogram_inputs"] = {"k": kernel.tolist(), "c": const.tolist()}
        out["image_input"] = image_in.tolist()
    write_json("callback_tensorboard.json", out)


if __name__ == "__main__":
    os.makedirs(GOLDENS, exist_ok=True)
    hooks_golden()
    progbar_golden()
    scripted_golden()
    tensorboard_golden()
