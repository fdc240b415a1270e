"""Training controls as tutorials use them: learning-rate callbacks and schedules,
gradient clipping, loss scaling, and the callbacks that stop, log, checkpoint and
resume training.

Tiny linear models with fixed weights (`set_weights`) and `shuffle=False`, so the
weights after training can be compared with what Keras 3.15 (TensorFlow backend)
produced for the same code; those numbers, the printed lines, file names and CSV
contents were learned by running this code there.
"""
import contextlib
import io
import os
import re

import numpy as np
import pytest

import minikeras as keras

W0 = [np.array([[0.1], [-0.2], [0.3]], "float32"), np.array([0.05], "float32")]


def _data(kind="random"):
    rng = np.random.default_rng(0)
    x = rng.random((16, 3)).astype("float32")
    if kind == "linear":  # a target the model can fit
        return x, (x @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")
    y = rng.random((16, 1)).astype("float32")
    if kind == "large":  # big gradients, so clipping bites
        return x * 5, y * 10
    return x, y


def _model(optimizer, metrics=None):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.set_weights(W0)
    model.compile(optimizer=optimizer, loss="mse", metrics=metrics)
    return model


def _fit(model, x, y, **kwargs):
    """fit() with its stdout; the progress bar lines are dropped."""
    kwargs.setdefault("verbose", 0)
    kwargs.setdefault("shuffle", False)
    kwargs.setdefault("batch_size", 8)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        history = model.fit(x, y, **kwargs)
    return history, buf.getvalue()


def _weights(model):
    return [w.ravel() for w in model.get_weights()]


def _close(got, want):
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, np.asarray(w, "float32"), rtol=1e-5, atol=1e-5)


# ===== learning-rate callbacks and what History records ===========================
def test_plain_fit_history_has_no_learning_rate_key():
    x, y = _data()
    history, _ = _fit(_model(keras.optimizers.SGD(0.5)), x, y, epochs=2)
    assert list(history.history) == ["loss"]


def test_reduce_lr_on_plateau_min_delta_cooldown_min_lr():
    x, y = _data()
    model = _model(keras.optimizers.SGD(0.5))
    # min_delta=10: no epoch counts as an improvement, so the schedule only
    # depends on patience, cooldown and min_lr.
    cb = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1,
                                           min_delta=10.0, cooldown=1, min_lr=0.1,
                                           verbose=1)
    history, out = _fit(model, x, y, epochs=7, callbacks=[cb])
    assert list(history.history) == ["loss", "learning_rate"]
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.5, 0.5, 0.25, 0.125, 0.1, 0.1, 0.1], rtol=1e-6)
    assert out == ("\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.25.\n"
                   "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.125.\n"
                   "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.1.\n")
    assert float(model.optimizer.learning_rate) == pytest.approx(0.1)


def test_reduce_lr_on_plateau_on_val_loss_prints_float32_value():
    x, y = _data()
    cb = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=0,
                                           min_delta=10.0, verbose=1)
    history, out = _fit(_model(keras.optimizers.SGD(0.5)), x, y, epochs=3,
                        validation_split=0.25, callbacks=[cb])
    assert list(history.history) == ["loss", "val_loss", "learning_rate"]
    np.testing.assert_allclose(history.history["learning_rate"], [0.5, 0.5, 0.1], rtol=1e-6)
    # The new rate is read back from the float32 variable before printing.
    assert out == ("\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.1.\n"
                   "\nEpoch 3: ReduceLROnPlateau reducing learning rate to "
                   "0.020000000298023225.\n")


def test_reduce_lr_on_plateau_mode_max_and_unknown_metric():
    x, y = _data("linear")
    cb = keras.callbacks.ReduceLROnPlateau(monitor="mae", patience=1, min_delta=0.5,
                                           factor=0.5, mode="max")
    history, _ = _fit(_model(keras.optimizers.SGD(0.1), metrics=["mae"]), x, y,
                      epochs=5, callbacks=[cb])
    np.testing.assert_allclose(history.history["learning_rate"],
                               [0.1, 0.1, 0.05, 0.025, 0.0125], rtol=1e-6)
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        _fit(_model(keras.optimizers.SGD(0.5)), x, y, epochs=1,
             callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_acc")])
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not"):
        _fit(_model(keras.optimizers.SGD(0.5)), x, y, epochs=1,
             callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="val_loss", mode="min")])


def test_learning_rate_scheduler_verbose_messages_and_weights():
    x, y = _data()
    model = _model(keras.optimizers.SGD(0.5))
    cb = keras.callbacks.LearningRateScheduler(
        lambda epoch, lr: lr * 0.5 if epoch > 0 else lr, verbose=1)
    history, out = _fit(model, x, y, epochs=3, callbacks=[cb])
    np.testing.assert_allclose(history.history["learning_rate"], [0.5, 0.25, 0.125])
    assert out == "".join(f"\nEpoch {i + 1}: LearningRateScheduler setting learning "
                          f"rate to {lr}.\n" for i, lr in enumerate([0.5, 0.25, 0.125]))
    _close(_weights(model), [[0.108893, -0.094824, 0.370466], [0.167218]])


def test_learning_rate_scheduler_lines_around_the_epoch_line():
    x, y = _data()
    cb = keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1), verbose=1)
    history, out = _fit(_model(keras.optimizers.SGD(0.5)), x, y, epochs=3, verbose=2,
                        callbacks=[cb])
    out = re.sub(r" - \d+(\.\d+)?[mu]?s/step", " - T/step", out)
    assert re.fullmatch(
        r"\nEpoch 1: LearningRateScheduler setting learning rate to 0\.1\.\nEpoch 1/3\n"
        r"2/2 - 0s - T/step - loss: \d\.\d{4} - learning_rate: 0\.1000\n"
        r"\nEpoch 2: LearningRateScheduler setting learning rate to 0\.05\.\nEpoch 2/3\n"
        r"2/2 - 0s - T/step - loss: \d\.\d{4} - learning_rate: 0\.0500\n"
        r"\nEpoch 3: LearningRateScheduler setting learning rate to 0\.03333333333333333\.\n"
        r"Epoch 3/3\n2/2 - 0s - T/step - loss: \d\.\d{4} - learning_rate: 0\.0333\n", out), out
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.05, 1 / 30],
                               rtol=1e-6)


def test_learning_rate_scheduler_resumed_with_initial_epoch_and_bad_output():
    x, y = _data("linear")
    model = _model(keras.optimizers.SGD(0.1))
    cb = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    _fit(model, x, y, epochs=2, callbacks=[cb])
    history, _ = _fit(model, x, y, epochs=4, initial_epoch=2, callbacks=[cb])
    assert history.epoch == [2, 3]
    np.testing.assert_allclose(history.history["learning_rate"], [0.0125, 0.00625], rtol=1e-6)
    # A later fit without the callback keeps the rate but logs no learning_rate.
    history, _ = _fit(model, x, y, epochs=1)
    assert list(history.history) == ["loss"]
    with pytest.raises(ValueError, match="output of the `schedule` function should be a float"):
        _fit(model, x, y, epochs=1,
             callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: "x")])


# ===== schedules passed as learning_rate ===========================================
class _ReadLR(keras.callbacks.Callback):
    """Reads `optimizer.learning_rate` before every batch, as user callbacks do."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_begin(self, batch, logs=None):
        lr = self.model.optimizer.learning_rate
        self.seen.append(float(keras.ops.convert_to_numpy(lr)))


S = keras.optimizers.schedules
SCHEDULES = {
    "exponential": (lambda: S.ExponentialDecay(0.5, decay_steps=2, decay_rate=0.5), 6,
                    [0.5, 0.353553, 0.25, 0.176777, 0.125, 0.088388],
                    [[0.126695, -0.103129, 0.382673], [0.174883]]),
    "exponential_staircase": (
        lambda: S.ExponentialDecay(0.5, decay_steps=2, decay_rate=0.5, staircase=True), 6,
        [0.5, 0.5, 0.25, 0.25, 0.125, 0.125],
        [[0.108893, -0.094824, 0.370466], [0.167218]]),
    "piecewise": (lambda: S.PiecewiseConstantDecay([1, 3], [0.5, 0.2, 0.05]), 6,
                  [0.5, 0.5, 0.2, 0.2, 0.05, 0.05],
                  [[0.109226, -0.102584, 0.364585], [0.159982]]),
    "cosine_warmup": (
        lambda: S.CosineDecay(0.1, decay_steps=4, alpha=0.1, warmup_target=0.4,
                              warmup_steps=2), 8,
        [0.1, 0.25, 0.4, 0.347279, 0.22, 0.092721, 0.04, 0.04],
        [[0.160045, -0.118072, 0.396489], [0.163404]]),
    "cosine": (lambda: S.CosineDecay(0.3, decay_steps=4), 6,
               [0.3, 0.256066, 0.15, 0.043934, 0.0, 0.0],
               [[0.156692, -0.118846, 0.380917], [0.175856]]),
    "cosine_restarts": (
        lambda: S.CosineDecayRestarts(0.4, first_decay_steps=2, t_mul=2.0, m_mul=0.5,
                                      alpha=0.1), 8,
        [0.4, 0.22, 0.22, 0.19364, 0.13, 0.06636, 0.13, 0.126575],
        [[0.146495, -0.119408, 0.392198], [0.162892]]),
    "polynomial": (
        lambda: S.PolynomialDecay(0.4, decay_steps=3, end_learning_rate=0.05, power=2.0), 6,
        [0.4, 0.205556, 0.088889, 0.05, 0.05, 0.05],
        [[0.150825, -0.116082, 0.382296], [0.177546]]),
    "polynomial_cycle": (
        lambda: S.PolynomialDecay(0.4, decay_steps=2, end_learning_rate=0.05, power=1.0,
                                  cycle=True), 8,
        [0.4, 0.225, 0.05, 0.1375, 0.05, 0.108333, 0.05, 0.09375],
        [[0.144103, -0.123104, 0.374842], [0.154228]]),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_rate_applied_at_each_step(name):
    make, steps, rates, weights = SCHEDULES[name]
    x, y = _data()
    model = _model(keras.optimizers.SGD(learning_rate=make()))
    reader = _ReadLR()
    history, _ = _fit(model, x, y, epochs=steps // 2, callbacks=[reader])
    np.testing.assert_allclose(reader.seen, rates, rtol=1e-5, atol=1e-6)
    _close(_weights(model), weights)
    assert list(history.history) == ["loss"]  # a schedule adds no learning_rate key
    assert int(model.optimizer.iterations.numpy()) == steps


def test_schedule_with_adam_and_a_custom_schedule_class():
    x, y = _data("linear")
    model = _model(keras.optimizers.Adam(S.CosineDecayRestarts(0.1, 2, alpha=0.1)))
    _fit(model, x, y, epochs=3)
    _close(_weights(model), [[0.09352, -0.52487, 0.04657], [-0.20323]])

    class InverseStep(keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self, a):
            self.a = a

        def __call__(self, step):
            return self.a / (keras.ops.cast(step, "float32") + 1.0)

        def get_config(self):
            return {"a": self.a}

    model = _model(keras.optimizers.SGD(InverseStep(0.2)))
    _fit(model, x, y, epochs=3)
    _close(_weights(model), [[0.12822, -0.45988, 0.19005], [-0.16681]])


def test_schedule_learning_rate_cannot_be_set_by_callbacks():
    x, y = _data()
    for cb in (keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, min_delta=10),
               keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr)):
        model = _model(keras.optimizers.SGD(S.ExponentialDecay(0.5, 2, 0.5)))
        with pytest.raises(TypeError, match="its learning rate is not settable"):
            _fit(model, x, y, epochs=2, callbacks=[cb])


# ===== gradient clipping and loss scaling ==========================================
@pytest.mark.parametrize("kwargs, weights", [
    ({}, [[0.300043, -0.018639, 0.500459], [0.116625]]),
    ({"clipnorm": 1.0}, [[0.105948, -0.194607, 0.305961], [0.06]]),
    ({"clipvalue": 0.5}, [[0.105, -0.195, 0.305], [0.055]]),
    ({"global_clipnorm": 1.0}, [[0.105835, -0.19471, 0.305847], [0.051943]]),
])
def test_clipping_on_one_sgd_step(kwargs, weights):
    x, y = _data("large")
    model = _model(keras.optimizers.SGD(0.01, **kwargs))
    model.train_on_batch(x, y)
    _close(_weights(model), weights)


def test_clipvalue_with_adam_and_conflicting_clip_arguments():
    x, y = _data("large")
    model = _model(keras.optimizers.Adam(0.1, clipvalue=0.01))
    model.train_on_batch(x, y)
    model.train_on_batch(x, y)
    _close(_weights(model), [[0.299944, -0.000056, 0.499944], [0.249944]])
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue` and "
                                         "`global_clipnorm` can be set"):
        keras.optimizers.SGD(0.1, clipnorm=1.0, global_clipnorm=1.0)


@pytest.mark.parametrize("make", [
    lambda: keras.optimizers.SGD(0.1, loss_scale_factor=4.0),
    lambda: keras.optimizers.SGD(0.1, loss_scale_factor=3.0),
    lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1),
                                                initial_scale=8.0, dynamic_growth_steps=2),
], ids=["factor4", "factor3", "loss_scale_optimizer"])
def test_loss_scaling_does_not_change_the_step(make):
    # The trainer differentiates the scaled loss and the optimizer divides the
    # gradients by the same scale: training is that of plain SGD(0.1).
    x, y = _data("linear")
    model = _model(make())
    history, _ = _fit(model, x, y, epochs=3)
    _close(_weights(model), [[0.14491, -0.4572, 0.19919], [-0.14207]])
    np.testing.assert_allclose(history.history["loss"], [0.48681, 0.35674, 0.31155],
                               rtol=2e-5)


@pytest.mark.parametrize("optimizer, steps, weights", [
    ("sgd", 3, [[0.07879, -0.36888, 0.209], [-0.11832]]),
    ("adam", 2, [[-0.03092, -0.38963, 0.11868], [-0.13044]]),
])
def test_gradient_accumulation_steps(optimizer, steps, weights):
    x, y = _data("linear")
    accumulate = 2 if optimizer == "sgd" else 3
    opt = (keras.optimizers.SGD(0.1, gradient_accumulation_steps=accumulate)
           if optimizer == "sgd" else
           keras.optimizers.Adam(0.1, gradient_accumulation_steps=accumulate))
    model = _model(opt)
    _fit(model, x, y, epochs=3)
    _close(_weights(model), weights)
    assert int(model.optimizer.iterations.numpy()) == steps


# ===== TerminateOnNaN, CSVLogger ===================================================
def test_terminate_on_nan_stops_at_the_bad_batch():
    x, y = _data("large")
    model = _model(keras.optimizers.SGD(1e30))
    with np.errstate(all="ignore"):
        history, out = _fit(model, x, y, epochs=3, batch_size=4,
                            callbacks=[keras.callbacks.TerminateOnNaN()])
    assert out == "Batch 1: Invalid loss, terminating training\n"
    assert history.epoch == [0] and list(history.history) == ["loss"]
    assert np.isinf(history.history["loss"][0])
    assert model.stop_training

    xn = x.copy()
    xn[5, 0] = np.nan
    model = _model(keras.optimizers.SGD(0.01))
    history, out = _fit(model, xn, y, epochs=3, batch_size=4, verbose=2,
                        callbacks=[keras.callbacks.TerminateOnNaN()])
    # No epoch summary line is printed for the stopped epoch.
    # The stopped epoch still gets its summary line, with the NaN loss.
    assert re.fullmatch(r"Epoch 1/3\nBatch 1: Invalid loss, terminating training\n"
                        r"4/4 - 0s - \d+(\.\d+)?[mu]?s/step - loss: nan\n", out), out
    assert np.isnan(history.history["loss"][0]) and history.epoch == [0]


def test_csv_logger_append_and_separator(tmp_path):
    x, y = _data("large")
    path = str(tmp_path / "log.csv")
    model = _model(keras.optimizers.SGD(0.001), metrics=["mae"])
    _fit(model, x, y, epochs=2, validation_split=0.25,
         callbacks=[keras.callbacks.CSVLogger(path)])
    _fit(model, x, y, epochs=4, initial_epoch=2,
         callbacks=[keras.callbacks.CSVLogger(path, append=True)])
    _fit(model, x, y, epochs=1, callbacks=[keras.callbacks.CSVLogger(path, separator=";",
                                                                     append=True)])
    with open(path) as f:
        lines = f.read().split("\n")
    # Appending writes no second header; the val_ columns stay, filled with NA.
    assert lines[0] == "epoch,loss,mae,val_loss,val_mae"
    assert lines[-1] == "" and len(lines) == 7
    want = [(0, [20.655272, 3.545794, 6.995378, 2.148396]),
            (1, [18.215536, 3.271502, 5.593169, 1.947734]),
            (2, [13.402566, 2.747019, None, None]),
            (3, [12.028759, 2.585492, None, None]),
            (0, [10.893771, 2.440927, None, None])]
    for line, (epoch, values), sep in zip(lines[1:6], want, ",,,,;"):
        fields = line.split(sep)
        assert fields[0] == str(epoch)
        for field, value in zip(fields[1:], values):
            if value is None:
                assert field == "NA"
            else:
                # full repr of the float32 value, as Keras writes it
                assert field == repr(float(np.float32(field)))
                assert float(field) == pytest.approx(value, rel=2e-6)


def test_csv_logger_header_sees_learning_rate_of_an_earlier_callback(tmp_path):
    x, y = _data("linear")
    path = str(tmp_path / "log.csv")
    cbs = [keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=0,
                                             min_delta=1e9),
           keras.callbacks.CSVLogger(path)]
    _fit(_model(keras.optimizers.SGD(0.1)), x, y, epochs=2, callbacks=cbs)
    with open(path) as f:
        rows = [line.split(",") for line in f.read().splitlines()]
    assert rows[0] == ["epoch", "learning_rate", "loss", "val_learning_rate", "val_loss"]
    # ReduceLROnPlateau logs the rate used in the epoch, before its own change.
    assert [r[1] for r in rows[1:]] == ["0.10000000149011612"] * 2
    assert [r[3:] for r in rows[1:]] == [["NA", "NA"]] * 2


# ===== ModelCheckpoint ==============================================================
class _Wobble(keras.callbacks.Callback):
    """Alternates small and huge rates so that val_loss goes up and down."""

    def on_epoch_begin(self, epoch, logs=None):
        self.model.optimizer.learning_rate = [0.1, 2.5, 0.05, 2.4, 0.01][epoch]


def _checkpoint_run(tmp_path, filename, **kwargs):
    x, y = _data("linear")
    model = _model(keras.optimizers.SGD(0.1), metrics=["mae"])
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / filename), verbose=1, **kwargs)
    history, out = _fit(model, x, y, epochs=5, validation_data=(x[:4], y[:4]),
                        callbacks=[_Wobble(), cb])
    out = out.replace(str(tmp_path) + os.sep, "")
    return history, out, sorted(os.listdir(tmp_path))


def test_model_checkpoint_formats_epoch_and_val_loss(tmp_path):
    history, out, files = _checkpoint_run(tmp_path, "ckpt-{epoch:02d}-{val_loss:.2f}.keras")
    np.testing.assert_allclose(history.history["val_loss"],
                               [0.37937, 847.0049, 367.3611, 1399436.5, 1199694.0],
                               rtol=1e-5)
    names = [f"ckpt-{e + 1:02d}-{v:.2f}.keras"
             for e, v in enumerate(history.history["val_loss"])]
    assert files == names and names[0] == "ckpt-01-0.38.keras"
    assert out == "".join(f"\nEpoch {e + 1}: saving model to {n}\n"
                          f"\nEpoch {e + 1}: finished saving model to {n}\n"
                          for e, n in enumerate(names))
    restored = keras.models.load_model(str(tmp_path / names[0]))
    assert restored.count_params() == 4


def test_model_checkpoint_save_best_only_messages(tmp_path):
    history, out, files = _checkpoint_run(
        tmp_path, "ckpt-{epoch:02d}-{val_loss:.2f}.keras", monitor="val_loss",
        save_best_only=True)
    assert files == ["ckpt-01-0.38.keras"]
    assert out == ("\nEpoch 1: val_loss improved from None to 0.37937, saving model to "
                   "ckpt-01-0.38.keras\n\nEpoch 1: finished saving model to "
                   "ckpt-01-0.38.keras\n"
                   + "".join(f"\nEpoch {e}: val_loss did not improve from 0.37937\n"
                             for e in range(2, 6)))


def test_model_checkpoint_weights_only_mode_max_and_threshold(tmp_path):
    _, out, files = _checkpoint_run(tmp_path / "a", "ep{epoch}.weights.h5",
                                    monitor="val_loss", mode="max", save_best_only=True,
                                    save_weights_only=True)
    assert files == ["ep1.weights.h5", "ep2.weights.h5", "ep4.weights.h5"]
    assert re.findall(r"Epoch (\d): val_loss (improved|did not)", out) == [
        ("1", "improved"), ("2", "improved"), ("3", "did not"), ("4", "improved"),
        ("5", "did not")]
    assert "Epoch 2: val_loss improved from 0.37937 to 847.00" in out

    _, out, files = _checkpoint_run(tmp_path / "b", "best.weights.h5", monitor="val_mae",
                                    mode="min", save_best_only=True, save_weights_only=True)
    assert files == ["best.weights.h5"]
    assert out.startswith("\nEpoch 1: val_mae improved from None to 0.53568, saving model "
                          "to best.weights.h5\n")

    _, out, files = _checkpoint_run(tmp_path / "c", "m.keras", monitor="val_loss",
                                    save_best_only=True, initial_value_threshold=0.5)
    assert out.startswith("\nEpoch 1: val_loss improved from 0.50000 to 0.37937")

    _, out, files = _checkpoint_run(tmp_path / "d", "b{batch}-e{epoch}.weights.h5",
                                    save_weights_only=True, save_freq=3)
    assert files == ["b1-e2.weights.h5", "b1-e5.weights.h5", "b2-e3.weights.h5"]


@pytest.mark.parametrize("filename, kwargs, error, match", [
    ("m.h5", {"save_weights_only": True}, ValueError, "must end in `.weights.h5`"),
    ("m.keras", {"save_weights_only": True}, ValueError, "must end in `.weights.h5`"),
    ("m.txt", {}, ValueError, "must end in `.keras`"),
    ("m.keras", {"monitor": "nope", "save_best_only": True}, ValueError,
     "isn't able to automatically determine"),
])
def test_model_checkpoint_rejections(tmp_path, filename, kwargs, error, match):
    with pytest.raises(error, match=match):
        _checkpoint_run(tmp_path, filename, **kwargs)


def test_model_checkpoint_missing_key_and_missing_monitor(tmp_path):
    x, y = _data("linear")
    model = _model(keras.optimizers.SGD(0.1))
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "m-{val_loss:.2f}.keras"))
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        _fit(model, x, y, epochs=1, callbacks=[cb])
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "m.keras"), monitor="val_loss",
                                         save_best_only=True, mode="min")
    with pytest.warns(UserWarning, match="Can save best model only with val_loss available"):
        _fit(model, x, y, epochs=1, callbacks=[cb])
    assert os.listdir(tmp_path) == ["m.keras"]  # Keras saves anyway


# ===== BackupAndRestore =============================================================
class _Boom(keras.callbacks.Callback):
    """Raises at the start of an epoch, or after a given batch of it."""

    def __init__(self, epoch=None, batch=None):
        super().__init__()
        self.epoch, self.batch, self.current, self.seen = epoch, batch, None, []

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch
        self.seen.append(("epoch", epoch))
        if self.batch is None and epoch == self.epoch:
            raise RuntimeError("boom")

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(("batch", batch))
        if self.current == self.epoch and batch == self.batch:
            raise RuntimeError("boom")


FULL_RUN = [[0.36408, -0.69733, 0.06307], [-0.05524]]


@pytest.mark.parametrize("crash, kwargs, epochs, iterations", [
    ({"epoch": 2}, {}, [2, 3], 8),
    ({"epoch": 1, "batch": 0}, {}, [1, 2, 3], 8),
    ({"epoch": 2}, {"delete_checkpoint": False}, [2, 3], 8),
])
def test_backup_and_restore_resumes_after_a_crash(tmp_path, crash, kwargs, epochs,
                                                  iterations):
    x, y = _data("linear")
    backup = str(tmp_path / "backup")
    model = _model(keras.optimizers.Adam(0.1))
    with pytest.raises(RuntimeError, match="boom"):
        _fit(model, x, y, epochs=4,
             callbacks=[keras.callbacks.BackupAndRestore(backup, **kwargs), _Boom(**crash)])
    assert sorted(os.listdir(backup)) == ["latest.weights.h5", "training_metadata.json"]

    model = _model(keras.optimizers.Adam(0.1))
    recorder = _Boom()
    history, _ = _fit(model, x, y, epochs=4,
                      callbacks=[keras.callbacks.BackupAndRestore(backup, **kwargs), recorder])
    assert history.epoch == epochs
    assert recorder.seen[0] == ("epoch", epochs[0])
    assert int(model.optimizer.iterations.numpy()) == iterations
    # The restored run (weights and Adam moments) ends where an uninterrupted one does.
    _close(_weights(model)[:1], FULL_RUN[:1])
    assert os.path.exists(backup) == bool(kwargs)


def test_backup_and_restore_save_freq_resumes_mid_epoch(tmp_path):
    x, y = _data("linear")
    backup = str(tmp_path / "backup")
    model = _model(keras.optimizers.Adam(0.1))
    with pytest.raises(RuntimeError):
        _fit(model, x, y, epochs=4,
             callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=1),
                        _Boom(epoch=1, batch=0)])
    model = _model(keras.optimizers.Adam(0.1))
    history, _ = _fit(model, x, y, epochs=4,
                      callbacks=[keras.callbacks.BackupAndRestore(backup, save_freq=1)])
    # Keras restores the batch-level backup but reruns the whole epoch.
    assert history.epoch == [1, 2, 3]
    assert int(model.optimizer.iterations.numpy()) == 9
    _close(_weights(model)[:1], [[0.43835, -0.74872, 0.05733]])


# ===== EarlyStopping ================================================================
@pytest.mark.parametrize("kwargs, epochs, out, restored", [
    ({"patience": 1}, [0, 1], "Epoch 2: early stopping\n", False),
    ({"patience": 1, "restore_best_weights": True}, [0, 1],
     "Epoch 2: early stopping\nRestoring model weights from the end of the best epoch: 1.\n",
     True),
    ({"patience": 1, "restore_best_weights": True, "start_from_epoch": 2}, [0, 1, 2, 3],
     "Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 3.\n",
     None),
    ({"patience": 2, "baseline": 0.01, "restore_best_weights": True}, [0, 1],
     "Epoch 2: early stopping\nRestoring model weights from the end of the best epoch: 1.\n",
     True),
    ({"monitor": "loss", "patience": 10, "restore_best_weights": True}, [0, 1, 2, 3, 4],
     "Restoring model weights from the end of the best epoch: 1.\n", True),
])
def test_early_stopping(kwargs, epochs, out, restored):
    x, y = _data("linear")
    model = _model(keras.optimizers.SGD(0.1))
    cb = keras.callbacks.EarlyStopping(verbose=1, **kwargs)
    history, printed = _fit(model, x, y, epochs=5, validation_data=(x[:4], y[:4]),
                            callbacks=[_Wobble(), cb])
    assert history.epoch == epochs
    assert printed == out
    after_first = [[0.084632, -0.320915, 0.23594]]
    if restored:
        _close(_weights(model)[:1], after_first)
    elif restored is False:
        assert not np.allclose(_weights(model)[0], after_first[0], atol=1e-3)
    else:  # start_from_epoch=2: the best epoch counted is the third
        assert cb.best_epoch == 2
        assert cb.best == pytest.approx(367.3611, rel=1e-5)
