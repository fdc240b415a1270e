"""Scenarios from "Training & evaluation with the built-in methods" (keras.io)."""
import os

import numpy as np

import minikeras as keras
from minikeras import layers, ops


def _data(n=60):
    rng = np.random.default_rng(0)
    return rng.random((n, 8)).astype("float32"), rng.integers(0, 3, n)


def _model(compile_it=True):
    inputs = keras.Input(shape=(8,), name="digits")
    h = layers.Dense(16, activation="relu", name="dense_1")(inputs)
    outputs = layers.Dense(3, activation="softmax", name="predictions")(h)
    model = keras.Model(inputs, outputs)
    if compile_it:
        model.compile(optimizer=keras.optimizers.RMSprop(),
                      loss=keras.losses.SparseCategoricalCrossentropy(),
                      metrics=[keras.metrics.SparseCategoricalAccuracy()])
    return model


def test_fit_with_validation_data_tuple_history_keys():
    x, y = _data()
    history = _model().fit(x, y, batch_size=16, epochs=2, validation_data=(x[:10], y[:10]),
                           verbose=0)
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                                       "val_sparse_categorical_accuracy"]
    assert history.epoch == [0, 1] and history.params["steps"] == 4


def test_class_weight_equals_the_matching_sample_weight():
    x, y = _data()
    a, b = _model(), _model()
    b.set_weights(a.get_weights())
    class_weight = {0: 1.0, 1: 1.0, 2: 5.0}
    sample_weight = np.array([class_weight[int(c)] for c in y])
    la = a.fit(x, y, class_weight=class_weight, epochs=1, shuffle=False, verbose=0)
    lb = b.fit(x, y, sample_weight=sample_weight, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(la.history["loss"], lb.history["loss"], rtol=1e-5)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-7)


def test_custom_loss_function_and_loss_subclass():
    x, y = _data()
    y_onehot = keras.utils.to_categorical(y, num_classes=3)
    model = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])

    def custom_mean_squared_error(y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    model.compile(optimizer="adam", loss=custom_mean_squared_error)
    got = model.evaluate(x, y_onehot, verbose=0)
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(got, np.mean((y_onehot - pred) ** 2), rtol=1e-5)

    class CustomMSE(keras.losses.Loss):
        def __init__(self, regularization_factor=0.1, name="custom_mse"):
            super().__init__(name=name)
            self.regularization_factor = regularization_factor

        def call(self, y_true, y_pred):
            mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
            reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
            return mse + reg * self.regularization_factor

    model.compile(optimizer="adam", loss=CustomMSE())
    expected = np.mean(np.mean((y_onehot - pred) ** 2, -1) + 0.1 * np.mean((0.5 - pred) ** 2, -1))
    np.testing.assert_allclose(model.evaluate(x, y_onehot, verbose=0), expected, rtol=1e-5)


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(ops.cast(y_true, "int32") == ops.cast(y_pred, "int32"), "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.cast(sample_weight, "float32"))
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)


def test_custom_metric_subclass_counts_over_the_whole_evaluation():
    x, y = _data()
    model = _model(compile_it=False)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CategoricalTruePositives()])
    history = model.fit(x, y.reshape(-1, 1), batch_size=16, epochs=1, verbose=0)
    assert sorted(history.history) == ["categorical_true_positives", "loss"]
    _, tp = model.evaluate(x, y.reshape(-1, 1), batch_size=16, verbose=0)
    assert tp == np.sum(model.predict(x, verbose=0).argmax(1) == y)


def test_callbacks_early_stopping_checkpoint_reduce_lr(tmp_path):
    x, y = _data()
    model = _model(compile_it=False)
    model.compile(optimizer=keras.optimizers.SGD(1e-6), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=1e-2, patience=2),
        keras.callbacks.ModelCheckpoint(filepath=str(tmp_path / "mymodel_{epoch}.keras"),
                                        monitor="val_loss"),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1,
                                          min_lr=1e-7),
    ]
    history = model.fit(x, y, epochs=10, batch_size=32, validation_split=0.2,
                        callbacks=callbacks, verbose=0)
    # No epoch improves val_loss by 1e-2: stops after 1 + patience epochs.
    assert len(history.history["loss"]) == 3 and callbacks[0].stopped_epoch == 2
    assert sorted(os.listdir(tmp_path)) == [f"mymodel_{i}.keras" for i in (1, 2, 3)]
    assert "learning_rate" in history.history
    # Logged before the epoch's reduction (as Keras does); reduced after epochs 2 and 3.
    np.testing.assert_allclose(history.history["learning_rate"], [1e-6, 1e-6, 5e-7], rtol=1e-5)
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 2.5e-7, rtol=1e-5)
    restored = keras.models.load_model(str(tmp_path / "mymodel_3.keras"))
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_batch_level_callback_sees_float_losses():
    x, y = _data()

    class LossHistory(keras.callbacks.Callback):
        def on_train_begin(self, logs):
            self.per_batch_losses = []

        def on_batch_end(self, batch, logs):
            self.per_batch_losses.append(logs.get("loss"))

    cb = LossHistory()
    _model().fit(x, y, epochs=1, batch_size=20, callbacks=[cb], verbose=0)
    assert len(cb.per_batch_losses) == 3
    assert all(isinstance(v, float) for v in cb.per_batch_losses)


def test_weighted_metrics_use_sample_weight():
    x, y = _data()
    model = _model(compile_it=False)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    sw = (y == 2).astype("float32")
    logs = model.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True)
    hits = model.predict(x, verbose=0).argmax(1) == y
    np.testing.assert_allclose(logs["accuracy"], hits.mean(), rtol=1e-6)
    np.testing.assert_allclose(logs["weighted_accuracy"], hits[y == 2].mean(), rtol=1e-6)


def test_reported_loss_includes_kernel_regularization():
    x = np.random.default_rng(0).random((16, 4)).astype("float32")
    y = np.random.default_rng(1).random((16, 1)).astype("float32")
    model = keras.Sequential([keras.Input((4,)),
                              layers.Dense(3, activation="relu",
                                           kernel_regularizer=keras.regularizers.l2(0.1)),
                              layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    mse = np.mean((model.predict(x, verbose=0) - y) ** 2)
    penalty = 0.1 * np.sum(model.layers[0].kernel.numpy() ** 2)
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), mse + penalty, rtol=1e-5)
    history = model.fit(x, y, batch_size=16, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], mse + penalty, rtol=1e-5)


def test_epoch_loss_and_weighted_metrics_with_ragged_last_batch_match_keras():
    # Numbers printed by real Keras 3.15.1 for this exact model and data.
    rng = np.random.default_rng(0)
    x = rng.random((20, 4)).astype("float32")
    y = rng.random((20, 1)).astype("float32")
    sw = rng.random(20).astype("float32")
    model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    model.set_weights([np.full((4, 1), 0.3, "float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.SGD(0.0), "mse", metrics=["mae"], weighted_metrics=["mse"])
    plain = model.fit(x, y, batch_size=7, verbose=0, shuffle=False).history
    np.testing.assert_allclose(
        [plain["loss"][0], plain["mae"][0], plain["mse"][0]],
        [0.13187184929847717, 0.3303137719631195, 0.13187184929847717], rtol=1e-5)
    weighted = model.fit(x, y, batch_size=7, sample_weight=sw, verbose=0, shuffle=False,
                         validation_data=(x, y, sw)).history
    np.testing.assert_allclose(
        [weighted["loss"][0], weighted["mae"][0], weighted["mse"][0], weighted["val_loss"][0],
         weighted["val_mse"][0]],
        [0.06553058326244354, 0.3303137719631195, 0.131839320063591, 0.06553058326244354,
         0.131839320063591], rtol=1e-5)
