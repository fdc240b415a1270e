"""keras.io structured-data and time-series examples, on small synthetic data.

Structured data classification with preprocessing layers (one Input per column),
timeseries forecasting with `timeseries_dataset_from_array`, a Wide & Deep model with
two heads, custom Loss/Metric/Callback with LearningRateScheduler and EarlyStopping,
and imbalanced classification with class and sample weights. Expected numbers marked
"Keras" were observed running the same code with real Keras 3 (TensorFlow backend).
(Real Keras's array adapter rejects numpy string columns, so there the string feature
goes through tf.data; minikeras takes the arrays directly.)
"""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


# ----- structured data classification with preprocessing layers ----------------------------
def _heart_frame(n=64):
    pd = pytest.importorskip("pandas")  # optional dependency, as in Keras
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "age": rng.integers(29, 77, n),
        "chol": rng.normal(240, 40, n).round(),
        "thalach": rng.normal(150, 20, n).round(),
        "sex": rng.integers(0, 2, n),
        "cp": rng.integers(0, 5, n),
        "thal": rng.choice(["fixed", "normal", "reversible"], n),
    })
    df["target"] = ((df["cp"] >= 2) | (df["thal"] == "reversible")).astype("int64")
    val_df = df.sample(frac=0.25, random_state=1)
    train_df = df.drop(val_df.index)
    return train_df, val_df


def _encode_numerical_feature(feature, name, frame):
    normalizer = layers.Normalization()
    normalizer.adapt(frame[name].to_numpy().astype("float32")[:, None])
    return normalizer(feature)


def _encode_categorical_feature(feature, name, frame, is_string):
    lookup_class = layers.StringLookup if is_string else layers.IntegerLookup
    lookup = lookup_class(output_mode="one_hot")
    lookup.adapt(frame[name].to_numpy())
    return lookup(feature)


def _columns(frame):
    return {name: frame[name].to_numpy()[:, None] for name in frame.columns}


def test_structured_data_classification_with_preprocessing_layers(tmp_path, capsys):
    train_df, val_df = _heart_frame()
    y_train = train_df.pop("target").to_numpy()
    y_val = val_df.pop("target").to_numpy()

    sex = keras.Input(shape=(1,), name="sex", dtype="int64")
    cp = keras.Input(shape=(1,), name="cp", dtype="int64")
    thal = keras.Input(shape=(1,), name="thal", dtype="string")
    age = keras.Input(shape=(1,), name="age")
    chol = keras.Input(shape=(1,), name="chol")
    thalach = keras.Input(shape=(1,), name="thalach")
    all_inputs = [sex, cp, thal, age, chol, thalach]
    encoded = [
        _encode_categorical_feature(sex, "sex", train_df, False),
        _encode_categorical_feature(cp, "cp", train_df, False),
        _encode_categorical_feature(thal, "thal", train_df, True),
        _encode_numerical_feature(age, "age", train_df),
        _encode_numerical_feature(chol, "chol", train_df),
        _encode_numerical_feature(thalach, "thalach", train_df),
    ]
    # One-hot widths: the vocabulary plus one OOV slot (Keras: 3, 6, 4), all floatx.
    assert [tuple(e.shape) for e in encoded] == [(None, 3), (None, 6), (None, 4)] + \
        [(None, 1)] * 3
    assert {e.dtype for e in encoded} == {"float32"}

    all_features = layers.concatenate(encoded)
    x = layers.Dense(16, activation="relu")(all_features)
    x = layers.Dropout(0.2)(x)
    output = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(all_inputs, output)
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])

    model.summary()
    text = capsys.readouterr().out
    # Keras: three Normalization layers hold mean, variance (float32) and count (int64).
    assert "Total params: 298 (1.18 KB)" in text
    assert "Trainable params: 289 (1.13 KB)" in text
    assert "Non-trainable params: 9 (48.00 B)" in text

    history = model.fit(_columns(train_df), y_train,
                        validation_data=(_columns(val_df), y_val),
                        epochs=25, batch_size=16, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]

    # keras.io's inference on one new sample: each value a one-element array, i.e. a
    # batch of one scalar for every Input(shape=(1,)).
    sample = {"age": 60, "sex": 1, "cp": 1, "chol": 250, "thalach": 150, "thal": "fixed"}
    input_dict = {name: np.array([value]) for name, value in sample.items()}
    prediction = model.predict(input_dict, verbose=0)
    assert prediction.shape == (1, 1) and prediction.dtype == np.float32
    assert 0.0 < prediction[0, 0] < 1.0
    # The same sample given as columns of shape (1, 1) gives the same probability.
    as_columns = {name: value[:, None] for name, value in input_dict.items()}
    np.testing.assert_allclose(model.predict(as_columns, verbose=0), prediction, rtol=1e-6)

    path = tmp_path / "heart.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(restored.predict(input_dict, verbose=0), prediction, rtol=1e-6)
    lookups = [layer for layer in restored.layers if "lookup" in layer.name]
    assert [type(layer).__name__ for layer in lookups] == ["IntegerLookup", "IntegerLookup",
                                                           "StringLookup"]
    assert lookups[2].get_vocabulary()[0] == "[UNK]"
    assert sorted(lookups[2].get_vocabulary()[1:]) == ["fixed", "normal", "reversible"]


# ----- timeseries forecasting -------------------------------------------------------------
def _weather(n=400):
    t = np.arange(n, dtype="float32")
    rng = np.random.default_rng(0)
    features = np.stack([np.sin(t / 10), np.cos(t / 15), 0.1 * rng.standard_normal(n)],
                        axis=1).astype("float32")
    temperature = (0.8 * np.sin((t + 6) / 10)).astype("float32")
    return features, temperature


def test_timeseries_dataset_windows_and_lstm_forecast():
    features, temperature = _weather()
    past, future, step, split = 24, 6, 2, 300
    sequence_length = past // step
    start = past + future
    x_train, y_train = features[:split], temperature[start:split + start][:, None]
    x_val, y_val = features[split:len(features) - start], temperature[split + start:][:, None]
    dataset_train = keras.utils.timeseries_dataset_from_array(
        x_train, y_train, sequence_length=sequence_length, sampling_rate=step, batch_size=32)
    dataset_val = keras.utils.timeseries_dataset_from_array(
        x_val, y_val, sequence_length=sequence_length, sampling_rate=step, batch_size=32)

    # Keras: 278 windows in 9 batches (the last of 22); 48 validation windows in 2.
    batches = list(dataset_train)
    assert len(batches) == 9
    assert [tuple(x.shape) for x, _ in batches] == [(32, 12, 3)] * 8 + [(22, 12, 3)]
    assert [tuple(y.shape) for _, y in batches] == [(32, 1)] * 8 + [(22, 1)]
    assert [tuple(x.shape) for x, _ in dataset_val] == [(32, 12, 3), (16, 12, 3)]
    # Window i is x[i], x[i + step], ... and its target is targets[i].
    first_x, first_y = batches[0]
    idx = np.arange(32)[:, None] + step * np.arange(sequence_length)[None, :]
    np.testing.assert_array_equal(first_x, x_train[idx])
    np.testing.assert_array_equal(first_y, y_train[:32])
    last_x, last_y = batches[-1]
    np.testing.assert_array_equal(last_x[-1], x_train[277:277 + 2 * 12:2])
    np.testing.assert_array_equal(last_y[-1], y_train[277])
    assert first_x.dtype == np.float32 and first_y.dtype == np.float32

    for batch in dataset_train.take(1):
        inputs, targets = batch
    assert tuple(inputs.shape) == (32, 12, 3) and tuple(targets.shape) == (32, 1)

    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(inputs.shape[1], inputs.shape[2]))
    lstm_out = layers.LSTM(32)(inputs)
    outputs = layers.Dense(1)(lstm_out)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    assert model.count_params() == 4641  # Keras: 4 * (3 + 32 + 1) * 32 + 33
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=5)
    history = model.fit(dataset_train, epochs=4, validation_data=dataset_val,
                        callbacks=[stop], verbose=0)
    assert sorted(history.history) == ["loss", "val_loss"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    for x, y in dataset_val.take(1):
        prediction = model.predict(x, verbose=0)
    assert prediction.shape == (32, 1) and prediction.dtype == np.float32


def test_timeseries_dataset_stride_rate_and_index_bounds_as_keras():
    # The docstring example: sequence_length=10, sampling_rate=2, sequence_stride=3.
    dataset = keras.utils.timeseries_dataset_from_array(
        np.arange(100), None, sequence_length=10, sequence_stride=3, sampling_rate=2,
        batch_size=8)
    batches = list(dataset)
    assert len(batches) == 4 and tuple(batches[-1].shape) == (4, 10)
    np.testing.assert_array_equal(batches[0][:2], [np.arange(0, 20, 2), np.arange(3, 23, 2)])
    assert batches[0].dtype == np.int64
    windows = np.concatenate(batches)
    # Starts 0, 3, ..., 81: the last window ends on the last data point (Keras: 28 windows).
    assert len(windows) == 28
    np.testing.assert_array_equal(windows[-1], np.arange(81, 100, 2))

    # Unbatched, between start_index and end_index (Keras: 9 windows, 2..6 to 10..14).
    dataset = keras.utils.timeseries_dataset_from_array(
        np.arange(20), np.arange(20), sequence_length=5, batch_size=None, start_index=2,
        end_index=15)
    items = list(dataset)
    assert len(items) == 9
    np.testing.assert_array_equal(items[0][0], np.arange(2, 7))
    np.testing.assert_array_equal(items[-1][0], np.arange(10, 15))
    assert int(items[0][1]) == 2 and int(items[-1][1]) == 10


# ----- Wide & Deep: two inputs, two heads ------------------------------------------------
def _wide_deep():
    input_wide = keras.Input(shape=(5,), name="wide_input")
    input_deep = keras.Input(shape=(6,), name="deep_input")
    hidden1 = layers.Dense(16, activation="relu", name="hidden1")(input_deep)
    hidden2 = layers.Dense(16, activation="relu", name="hidden2")(hidden1)
    concat = layers.concatenate([input_wide, hidden2], name="concat")
    price = layers.Dense(1, name="price")(concat)
    buy = layers.Dense(1, activation="sigmoid", name="buy")(hidden2)
    return input_wide, input_deep, price, buy


def _wide_deep_data(n=96):
    rng = np.random.default_rng(0)
    x_wide = rng.normal(size=(n, 5)).astype("float32")
    x_deep = rng.normal(size=(n, 6)).astype("float32")
    y_price = (x_wide[:, :1] + 0.5 * x_deep[:, :1]).astype("float32")
    y_buy = (x_deep[:, 1] > 0).astype("float32")[:, None]
    return x_wide, x_deep, y_price, y_buy


def test_wide_and_deep_two_heads_with_dict_losses_metrics_and_weights():
    x_wide, x_deep, y_price, y_buy = _wide_deep_data()
    input_wide, input_deep, price, buy = _wide_deep()
    model = keras.Model(inputs=[input_wide, input_deep], outputs=[price, buy])
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss={"price": "mse", "buy": "binary_crossentropy"},
                  loss_weights={"price": 0.9, "buy": 0.1},
                  metrics={"price": [keras.metrics.RootMeanSquaredError()],
                           "buy": ["accuracy", keras.metrics.AUC(name="auc")]})
    assert model.output_names == ["price", "buy"]
    assert model.count_params() == 423
    assert [layer.name for layer in model.layers] == [
        "deep_input", "hidden1", "wide_input", "hidden2", "concat", "price", "buy"]

    history = model.fit((x_wide, x_deep), (y_price, y_buy), epochs=3, batch_size=32,
                        validation_split=0.25, verbose=0)
    train_keys = ["buy_accuracy", "buy_auc", "buy_loss", "loss", "price_loss",
                  "price_root_mean_squared_error"]
    assert sorted(history.history) == train_keys + ["val_" + k for k in train_keys]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.metrics_names == ["loss", "compile_metrics", "price_loss", "buy_loss"]

    inputs = {"wide_input": x_wide, "deep_input": x_deep}
    targets = {"price": y_price, "buy": y_buy}
    logs = model.evaluate(inputs, targets, verbose=0, return_dict=True)
    assert sorted(logs) == train_keys
    np.testing.assert_allclose(logs["loss"], 0.9 * logs["price_loss"] + 0.1 * logs["buy_loss"],
                               rtol=1e-5)
    np.testing.assert_allclose(logs["price_root_mean_squared_error"] ** 2,
                               logs["price_loss"], rtol=1e-4)
    assert len(model.evaluate([x_wide, x_deep], [y_price, y_buy], verbose=0)) == 6

    # A list of outputs predicts a list; a dict of outputs predicts a dict.
    predictions = model.predict({"wide_input": x_wide[:3], "deep_input": x_deep[:3]},
                                verbose=0)
    assert isinstance(predictions, list)
    assert [p.shape for p in predictions] == [(3, 1), (3, 1)]
    by_name = keras.Model({"wide_input": input_wide, "deep_input": input_deep},
                          {"price": price, "buy": buy})
    named = by_name.predict({"wide_input": x_wide[:3], "deep_input": x_deep[:3]}, verbose=0)
    assert isinstance(named, dict) and sorted(named) == ["buy", "price"]
    np.testing.assert_allclose(named["price"], predictions[0], rtol=1e-6)
    by_name.compile("adam", loss={"price": "mse", "buy": "binary_crossentropy"},
                    metrics={"buy": "accuracy"})
    history = by_name.fit(inputs, targets, epochs=1, verbose=0)
    assert sorted(history.history) == ["buy_accuracy", "buy_loss", "loss", "price_loss"]


# ----- custom loss, metric and callback; LearningRateScheduler; EarlyStopping --------------
@keras.saving.register_keras_serializable(package="structured_scenarios")
class HuberLike(keras.losses.Loss):
    def __init__(self, delta=1.0, name="huber_like", **kwargs):
        super().__init__(name=name, **kwargs)
        self.delta = delta

    def call(self, y_true, y_pred):
        err = ops.abs(y_true - y_pred)
        small = 0.5 * ops.square(err)
        large = self.delta * err - 0.5 * self.delta ** 2
        return ops.mean(ops.where(err <= self.delta, small, large), axis=-1)

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}


@keras.saving.register_keras_serializable(package="structured_scenarios")
class MeanAbsoluteErrorMetric(keras.metrics.Metric):
    def __init__(self, name="abs_error", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.seen = self.add_weight(name="seen", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        err = ops.abs(ops.cast(y_true, "float32") - y_pred)
        self.total.assign_add(ops.sum(err))
        self.seen.assign_add(ops.cast(ops.size(err), "float32"))

    def result(self):
        return ops.divide_no_nan(self.total, self.seen)

    def reset_state(self):
        self.total.assign(0.0)
        self.seen.assign(0.0)


class PrintLogs(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch}: " + ", ".join(f"{k}={v:.4f}" for k, v in sorted(logs.items())))


class Snapshots(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


def _schedule(epoch, lr):
    return lr if epoch < 3 else lr * 0.9


def _regression_data():
    rng = np.random.default_rng(0)
    w = np.array([[1.0], [-2.0], [0.5], [0.0]], "float32")
    x = rng.normal(size=(64, 4)).astype("float32")
    x_val = rng.normal(size=(32, 4)).astype("float32")
    # Validation targets are shrunk: val_loss bottoms out while training still improves.
    return x, x @ w + 0.1, x_val, 0.4 * (x_val @ w + 0.1)


def _fixed_weights(model, seed):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32")
                       for w in model.get_weights()])


def test_custom_loss_metric_callback_scheduler_and_early_stopping(tmp_path, capsys):
    x, y, x_val, y_val = _regression_data()
    model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1)])
    _fixed_weights(model, 5)
    metric = MeanAbsoluteErrorMetric()
    assert [v.name for v in metric.variables] == ["total", "seen"]
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=HuberLike(delta=0.5),
                  metrics=[metric, "mae"])
    snapshots = Snapshots()
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                         restore_best_weights=True, verbose=1)
    history = model.fit(x, y, validation_data=(x_val, y_val), epochs=20, batch_size=16,
                        shuffle=False, verbose=0,
                        callbacks=[PrintLogs(), snapshots,
                                   keras.callbacks.LearningRateScheduler(_schedule, verbose=1),
                                   stop])
    out = capsys.readouterr().out
    assert sorted(history.history) == ["abs_error", "learning_rate", "loss", "mae",
                                       "val_abs_error", "val_loss", "val_mae"]
    # Same weights, same batches: the numbers Keras gives.
    np.testing.assert_allclose(history.history["val_loss"], [0.198, 0.0874, 0.1595, 0.3452],
                               rtol=2e-3)
    np.testing.assert_allclose(history.history["learning_rate"], [0.5, 0.5, 0.5, 0.45],
                               rtol=1e-6)
    # The custom metric computes what "mae" computes, in training and validation.
    np.testing.assert_allclose(history.history["abs_error"], history.history["mae"], rtol=1e-5)
    np.testing.assert_allclose(history.history["val_abs_error"], history.history["val_mae"],
                               rtol=1e-5)
    assert stop.stopped_epoch == 3 and stop.best_epoch == 1
    assert len(history.history["loss"]) == 4
    for got, best in zip(model.get_weights(), snapshots.weights[1]):
        np.testing.assert_array_equal(got, best)
    assert out.count("LearningRateScheduler setting learning rate to") == 4
    assert "Epoch 4: LearningRateScheduler setting learning rate to 0.45." in out
    assert "Epoch 4: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 2." in out
    assert out.count("\nepoch ") + out.startswith("epoch ") == 4
    assert "epoch 1: abs_error=" in out and ", val_mae=" in out

    # After the last validation pass the metric holds the validation state.
    assert float(metric.seen.numpy()) == 32.0
    metric.reset_state()
    assert float(metric.result()) == 0.0
    assert metric.get_config() == {"name": "abs_error", "dtype": "float32"}

    loss = HuberLike(delta=0.5)
    config = loss.get_config()
    assert config == {"name": "huber_like", "reduction": "sum_over_batch_size", "delta": 0.5}
    assert HuberLike.from_config(config).delta == 0.5
    np.testing.assert_allclose(loss(np.array([[0.0], [2.0]]), np.array([[0.2], [0.0]])),
                               (0.5 * 0.2 ** 2 + (0.5 * 2.0 - 0.125)) / 2, rtol=1e-6)

    path = tmp_path / "custom.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert type(restored.loss).__name__ == "HuberLike" and restored.loss.delta == 0.5
    np.testing.assert_allclose(restored.predict(x_val, verbose=0),
                               model.predict(x_val, verbose=0), rtol=1e-6)
    assert sorted(restored.evaluate(x_val, y_val, verbose=0, return_dict=True)) == [
        "abs_error", "loss", "mae"]


# ----- imbalanced classification: class_weight, sample_weight, precision/recall/AUC ---------
def _imbalanced(n=200):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 6)).astype("float32")
    score = x[:, 0] + 0.5 * x[:, 1]
    return x, (score > 1.3).astype("float32")[:, None], score


def _fraud_model():
    model = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    rng = np.random.default_rng(1)
    model.set_weights([rng.normal(scale=0.4, size=w.shape).astype("float32")
                       for w in model.get_weights()])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy",
                  metrics=[keras.metrics.FalseNegatives(name="fn"),
                           keras.metrics.FalsePositives(name="fp"),
                           keras.metrics.TrueNegatives(name="tn"),
                           keras.metrics.TruePositives(name="tp"),
                           keras.metrics.Precision(name="precision"),
                           keras.metrics.Recall(name="recall"),
                           keras.metrics.AUC(name="auc"),
                           keras.metrics.AUC(name="prc", curve="PR")])
    return model


def test_class_weight_and_sample_weight_with_precision_recall_auc():
    x, y, _ = _imbalanced()
    neg, pos = np.bincount(y[:, 0].astype(int))
    assert (neg, pos) == (179, 21)
    total = neg + pos
    class_weight = {0: (1 / neg) * (total / 2.0), 1: (1 / pos) * (total / 2.0)}

    weighted = _fraud_model()
    history = weighted.fit(x, y, batch_size=50, epochs=3, shuffle=False,
                           class_weight=class_weight, validation_data=(x[:60], y[:60]),
                           verbose=0)
    keys = ["auc", "fn", "fp", "loss", "prc", "precision", "recall", "tn", "tp"]
    assert sorted(history.history) == keys + ["val_" + k for k in keys]
    h = history.history
    # Keras's numbers for the same weights and batches.
    np.testing.assert_allclose(h["loss"], [0.65975, 0.61456, 0.57865], rtol=1e-4)
    np.testing.assert_allclose(h["recall"], [0.61905, 0.71429, 0.90476], rtol=1e-4)
    np.testing.assert_allclose(h["precision"], [0.1383, 0.15789, 0.19192], rtol=1e-3)
    np.testing.assert_allclose(h["auc"], [0.64818, 0.7514, 0.80221], rtol=1e-3)
    np.testing.assert_allclose(h["prc"], [0.16136, 0.32203, 0.4433], rtol=1e-3)
    assert h["tp"] == [13.0, 15.0, 19.0] and h["fn"] == [8.0, 6.0, 2.0]
    assert h["fp"] == [81.0, 80.0, 80.0] and h["tn"] == [98.0, 99.0, 99.0]
    assert h["val_tp"] == [6.0, 9.0, 9.0]
    # Counts are unweighted: class weights scale the loss, not the confusion matrix.
    for epoch in range(3):
        assert h["tp"][epoch] + h["fn"][epoch] + h["fp"][epoch] + h["tn"][epoch] == 200
        np.testing.assert_allclose(h["recall"][epoch],
                                   h["tp"][epoch] / (h["tp"][epoch] + h["fn"][epoch]),
                                   rtol=1e-6)

    # The same weights given per sample train the same model.
    per_sample = _fraud_model()
    sample_weight = np.where(y[:, 0] == 1, class_weight[1], class_weight[0]).astype("float32")
    history_sw = per_sample.fit(x, y, sample_weight=sample_weight, batch_size=50, epochs=3,
                                shuffle=False, verbose=0)
    for key in keys:
        np.testing.assert_allclose(history_sw.history[key], h[key], rtol=1e-5)
    for a, b in zip(weighted.get_weights(), per_sample.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)

    # Without weights the rare class is missed (Keras: recall 0.476, 0.238, 0.0).
    plain = _fraud_model().fit(x, y, batch_size=50, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(plain.history["recall"], [0.47619, 0.2381, 0.0], atol=1e-4)

    # evaluate: sample_weight weights the loss only (compile metrics are unweighted).
    logs = weighted.evaluate(x, y, verbose=0, return_dict=True)
    logs_sw = weighted.evaluate(x, y, sample_weight=sample_weight, verbose=0, return_dict=True)
    assert sorted(logs) == keys
    np.testing.assert_allclose([logs["loss"], logs_sw["loss"]], [0.65267, 0.55574], rtol=1e-4)
    for key in keys:
        if key != "loss":
            assert logs_sw[key] == logs[key]
    assert weighted.metrics_names == ["loss", "compile_metrics"]


def test_class_weight_with_sparse_labels_matches_keras():
    x, _, score = _imbalanced()
    y = np.digitize(score, [-1.0, 1.3]).astype("int64")
    model = keras.Sequential([keras.Input((6,)), layers.Dense(3, activation="softmax")])
    rng = np.random.default_rng(2)
    model.set_weights([rng.normal(scale=0.4, size=w.shape).astype("float32")
                       for w in model.get_weights()])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, class_weight={0: 2.0, 1: 0.5, 2: 4.0}, batch_size=50, epochs=2,
                        shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [1.20069, 1.1937], rtol=1e-4)
    np.testing.assert_allclose(history.history["accuracy"], [0.305, 0.305], rtol=1e-6)
