"""Scenarios from three keras.io developer guides: "Writing your own callbacks",
"Customizing Saving and Serialization" and "Working with preprocessing layers".

Expected call orders, log keys, configs and layer outputs were learned by running the
same code in real Keras 3 (TensorFlow backend).
"""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


def _regression_data(n=20):
    rng = np.random.default_rng(0)
    return rng.random((n, 4)).astype("float32"), rng.random((n, 1)).astype("float32")


def _get_model(kernel_initializer="glorot_uniform"):
    model = keras.Sequential([keras.Input((4,)),
                              layers.Dense(1, kernel_initializer=kernel_initializer)])
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.1),
                  loss="mean_squared_error", metrics=["mean_absolute_error"])
    return model


# ===== Writing your own callbacks ==================================================
_PLAIN_HOOKS = ["on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
                "on_predict_begin", "on_predict_end"]
_INDEXED_HOOKS = ["on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
                  "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
                  "on_predict_batch_begin", "on_predict_batch_end"]


class CustomCallback(keras.callbacks.Callback):
    """Records every hook with its index and the sorted keys of `logs`."""

    def __init__(self, record):
        super().__init__()
        self.record = record

    def _log(self, hook, index, logs):
        keys = None if logs is None else tuple(sorted(logs))
        self.record.append((hook, index, keys))

    def on_train_begin(self, logs=None):
        self._log("on_train_begin", None, logs)

    def on_train_end(self, logs=None):
        self._log("on_train_end", None, logs)

    def on_test_begin(self, logs=None):
        self._log("on_test_begin", None, logs)

    def on_test_end(self, logs=None):
        self._log("on_test_end", None, logs)

    def on_predict_begin(self, logs=None):
        self._log("on_predict_begin", None, logs)

    def on_predict_end(self, logs=None):
        self._log("on_predict_end", None, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._log("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._log("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._log("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._log("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._log("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._log("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._log("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._log("on_predict_batch_end", batch, logs)


def _expected_fit_sequence(epochs, train_batches, val_batches):
    m = ("loss", "mean_absolute_error")
    full = m + ("val_loss", "val_mean_absolute_error")
    seq = [("on_train_begin", None, ())]
    for epoch in range(epochs):
        seq.append(("on_epoch_begin", epoch, ()))
        for b in range(train_batches):
            seq += [("on_train_batch_begin", b, ()), ("on_train_batch_end", b, m)]
        seq += _expected_test_sequence(val_batches)
        seq.append(("on_epoch_end", epoch, full))
    seq.append(("on_train_end", None, full))
    return seq


def _expected_test_sequence(batches):
    m = ("loss", "mean_absolute_error")
    seq = [("on_test_begin", None, ())]
    for b in range(batches):
        seq += [("on_test_batch_begin", b, ()), ("on_test_batch_end", b, m)]
    return seq + [("on_test_end", None, m)]


def test_custom_callback_sees_every_hook_in_keras_order():
    x, y = _regression_data()
    model = _get_model()
    record = []
    model.fit(x, y, batch_size=8, epochs=2, verbose=0,
              validation_data=(x[:10], y[:10]), callbacks=[CustomCallback(record)])
    # 20 samples in batches of 8: three steps; 10 validation samples: two.
    assert record == _expected_fit_sequence(2, 3, 2)

    record.clear()
    model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[CustomCallback(record)])
    assert record == _expected_test_sequence(3)

    record.clear()
    model.predict(x, batch_size=8, verbose=0, callbacks=[CustomCallback(record)])
    expected = [("on_predict_begin", None, ())]
    for b in range(3):
        expected += [("on_predict_batch_begin", b, ()),
                     ("on_predict_batch_end", b, ("outputs",))]
    assert record == expected + [("on_predict_end", None, ())]


def test_predict_batch_end_logs_hold_the_batch_outputs():
    x, _ = _regression_data()
    model = _get_model()
    shapes = []

    class OutputShapes(keras.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            shapes.append(np.shape(logs["outputs"]))

    model.predict(x, batch_size=8, verbose=0, callbacks=[OutputShapes()])
    assert shapes == [(8, 1), (8, 1), (4, 1)]


class LossAndErrorPrintingCallback(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        print("Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"]))

    def on_test_batch_end(self, batch, logs=None):
        print("Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"]))

    def on_epoch_end(self, epoch, logs=None):
        print("The average loss for epoch {} is {:7.2f} "
              "and mean absolute error is {:7.2f}.".format(
                  epoch, logs["loss"], logs["mean_absolute_error"]))


def test_loss_and_error_printing_callback(capsys):
    keras.utils.set_random_seed(0)
    x, y = _regression_data()
    model = _get_model()
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0,
                        callbacks=[LossAndErrorPrintingCallback()])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 * 3 + 2
    assert lines[0].startswith("Up to batch 0, the average loss is")
    assert lines[3] == ("The average loss for epoch 0 is {:7.2f} and mean absolute error "
                        "is {:7.2f}.".format(history.history["loss"][0],
                                             history.history["mean_absolute_error"][0]))
    # The batch logs are running averages: the last batch's equals the epoch's.
    assert lines[2].endswith("{:7.2f}.".format(history.history["loss"][0]))
    result = model.evaluate(x, y, batch_size=8, verbose=0,
                            callbacks=[LossAndErrorPrintingCallback()])
    lines = capsys.readouterr().out.splitlines()
    assert [l[:15] for l in lines] == ["Up to batch 0, ", "Up to batch 1, ", "Up to batch 2, "]
    assert lines[-1].endswith("{:7.2f}.".format(result[0]))
    assert isinstance(result, list) and len(result) == 2


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    """Stop when the loss is at its min; keep the best weights."""

    def __init__(self, patience=0):
        super().__init__()
        self.patience = patience
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best = current
            self.wait = 0
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                print("Restoring model weights from the end of the best epoch.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")


def test_early_stopping_at_min_loss_restores_the_best_weights(capsys):
    x, y = _regression_data()
    model = _get_model(kernel_initializer="ones")
    # A learning rate far too large: the loss explodes after the first epoch.
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=2.5),
                  loss="mean_squared_error", metrics=["mean_absolute_error"])
    callback = EarlyStoppingAtMinLoss(patience=1)
    history = model.fit(x, y, batch_size=20, epochs=30, verbose=0, shuffle=False,
                        callbacks=[callback])
    # Same as Keras (deterministic: ones kernel, one full batch per epoch).
    np.testing.assert_allclose(history.history["loss"], [2.313, 189.124], atol=2e-3)
    assert callback.stopped_epoch == 1
    assert capsys.readouterr().out.splitlines() == [
        "Restoring model weights from the end of the best epoch.", "Epoch 2: early stopping"]
    assert isinstance(callback.best_weights, list)
    assert all(isinstance(w, np.ndarray) and w.dtype == np.float32
               for w in callback.best_weights)
    for got, best in zip(model.get_weights(), callback.best_weights):
        np.testing.assert_array_equal(got, best)
    # The weights kept at the end of epoch 0 are those epoch 1 started from (one full
    # batch per epoch), so evaluating them reproduces epoch 1's loss.
    assert model.evaluate(x, y, verbose=0)[0] == pytest.approx(history.history["loss"][1],
                                                               rel=1e-5)


class CustomLearningRateScheduler(keras.callbacks.Callback):
    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self.model.optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        lr = float(np.array(self.model.optimizer.learning_rate))
        scheduled_lr = self.schedule(epoch, lr)
        self.model.optimizer.learning_rate = scheduled_lr
        print(f"\nEpoch {epoch}: Learning rate is {float(np.array(scheduled_lr))}.")


LR_SCHEDULE = [(1, 0.05), (2, 0.01), (3, 0.005)]


def lr_schedule(epoch, lr):
    if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
        return lr
    for i in range(len(LR_SCHEDULE)):
        if epoch == LR_SCHEDULE[i][0]:
            return LR_SCHEDULE[i][1]
    return lr


def test_custom_learning_rate_scheduler(capsys):
    x, y = _regression_data()
    model = _get_model()
    model.fit(x, y, batch_size=10, epochs=5, verbose=0,
              callbacks=[CustomLearningRateScheduler(lr_schedule)])
    printed = [l for l in capsys.readouterr().out.splitlines() if l]
    # Keras prints float32 values read back from the variable at full precision.
    assert printed == ["Epoch 0: Learning rate is 0.10000000149011612.",
                       "Epoch 1: Learning rate is 0.05.",
                       "Epoch 2: Learning rate is 0.01.",
                       "Epoch 3: Learning rate is 0.005.",
                       "Epoch 4: Learning rate is 0.004999999888241291."]
    lr = model.optimizer.learning_rate
    assert type(lr).__name__ == "Variable" and lr.dtype == "float32"
    assert float(lr) == pytest.approx(0.005)
    model.optimizer.learning_rate.assign(0.25)
    assert float(model.optimizer.learning_rate) == 0.25
    model.optimizer.learning_rate = 0.5
    assert float(model.optimizer.learning_rate) == 0.5
    assert float(model.optimizer.learning_rate * 2) == 1.0


def test_learning_rate_of_a_schedule_is_not_settable():
    opt = keras.optimizers.SGD(
        learning_rate=keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
    assert float(opt.learning_rate) == pytest.approx(0.1)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.3


# ===== Customizing Saving and Serialization ========================================
@keras.saving.register_keras_serializable(package="GuideLayers")
class WrapperLayer(keras.layers.Layer):
    def __init__(self, sublayer, **kwargs):
        super().__init__(**kwargs)
        self.sublayer = sublayer

    def call(self, x):
        return self.sublayer(x)

    def get_config(self):
        base_config = super().get_config()
        config = {"sublayer": keras.saving.serialize_keras_object(self.sublayer)}
        return {**base_config, **config}

    @classmethod
    def from_config(cls, config):
        sublayer_config = config.pop("sublayer")
        sublayer = keras.saving.deserialize_keras_object(sublayer_config)
        return cls(sublayer, **config)


def test_nested_sublayer_config_round_trips():
    layer = WrapperLayer(layers.Dense(2, activation="relu"), name="wrapper")
    config = layer.get_config()
    assert sorted(config) == ["dtype", "name", "sublayer", "trainable"]
    sub = config["sublayer"]
    assert sorted(sub) == ["class_name", "config", "module", "registered_name"]
    assert (sub["module"], sub["class_name"], sub["registered_name"]) == (
        "keras.layers", "Dense", None)
    restored = WrapperLayer.from_config(layer.get_config())
    assert type(restored.sublayer).__name__ == "Dense"
    assert restored.sublayer.units == 2 and restored.sublayer.activation.__name__ == "relu"
    assert restored.name == "wrapper"
    outer = keras.saving.serialize_keras_object(layer)
    assert (outer["registered_name"], outer["class_name"]) == (
        "GuideLayers>WrapperLayer", "WrapperLayer")


@keras.saving.register_keras_serializable(package="MyLayers", name="KernelMult")
class MyDense(keras.layers.Layer):
    def __init__(self, units, *, kernel_regularizer=None, kernel_initializer=None,
                 nested_model=None, **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = units
        self.kernel_regularizer = kernel_regularizer
        self.kernel_initializer = kernel_initializer
        self.nested_model = nested_model

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.hidden_units,
                       "kernel_regularizer": self.kernel_regularizer,
                       "kernel_initializer": self.kernel_initializer,
                       "nested_model": self.nested_model})
        return config

    def build(self, input_shape):
        _, last_dim = input_shape
        self.kernel = self.add_weight(name="kernel", shape=(last_dim, self.hidden_units),
                                      regularizer=self.kernel_regularizer,
                                      initializer=self.kernel_initializer)

    def call(self, inputs):
        return ops.matmul(inputs, self.kernel)


@keras.saving.register_keras_serializable(package="MyLayers", name="ModularMultiplier")
class MyMultiplier(keras.layers.Layer):
    def call(self, inputs):
        return ops.multiply(inputs, 2)


@keras.saving.register_keras_serializable(package="MyLayers")
def half_relu(x):
    return ops.relu(x) * 0.5


def test_registered_names_objects_and_a_full_model_round_trip(tmp_path):
    assert keras.saving.get_registered_name(MyDense) == "MyLayers>KernelMult"
    assert keras.saving.get_registered_name(MyMultiplier) == "MyLayers>ModularMultiplier"
    assert keras.saving.get_registered_name(half_relu) == "MyLayers>half_relu"
    assert keras.saving.get_registered_name(layers.Dense) == "Dense"
    assert keras.saving.get_registered_object("MyLayers>KernelMult") is MyDense
    assert keras.saving.get_registered_object("MyLayers>half_relu") is half_relu
    assert keras.saving.get_registered_object("KernelMult") is None

    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    inputs = keras.Input((4,))
    h = MyDense(3, kernel_regularizer=keras.regularizers.L1(0.01), kernel_initializer="ones",
                nested_model=keras.Sequential([layers.Dense(2)]))(inputs)
    h = MyMultiplier()(h)
    model = keras.Model(inputs, layers.Dense(2, activation=half_relu)(h))

    serialized = keras.saving.serialize_keras_object(model.layers[1])
    assert sorted(serialized) == ["build_config", "class_name", "config", "module",
                                  "registered_name"]
    assert serialized["registered_name"] == "MyLayers>KernelMult"
    assert serialized["class_name"] == "MyDense"
    assert serialized["config"]["kernel_regularizer"]["class_name"] == "L1"
    assert serialized["config"]["kernel_regularizer"]["config"]["l1"] == pytest.approx(0.01)
    assert serialized["config"]["kernel_initializer"] == "ones"
    # An uncompiled nested model still carries an (empty) compile_config, as in Keras.
    nested = serialized["config"]["nested_model"]
    assert sorted(nested) == ["class_name", "compile_config", "config", "module",
                              "registered_name"]
    assert nested["compile_config"] == {}

    model.save(tmp_path / "custom.keras")
    loaded = keras.saving.load_model(tmp_path / "custom.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert type(loaded.layers[1]) is MyDense
    # MyDense has no from_config: its nested configs come back as plain dicts.
    assert isinstance(loaded.layers[1].kernel_regularizer, dict)
    assert isinstance(loaded.layers[1].nested_model, dict)
    assert loaded.layers[3].activation is half_relu

    fn_config = keras.saving.serialize_keras_object(half_relu)
    assert fn_config == {"module": "builtins", "class_name": "function",
                         "config": "MyLayers>half_relu", "registered_name": "function"}
    assert keras.saving.serialize_keras_object(keras.activations.relu)["config"] == "relu"
    assert keras.saving.deserialize_keras_object(fn_config) is half_relu


@keras.saving.register_keras_serializable(package="GuideLayers")
class LayerWithCustomBuild(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return dict(units=self.units, **super().get_config())

    def build(self, input_shape, layer_init):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=layer_init)
        self.b = self.add_weight(shape=(self.units,), initializer=layer_init)

    def get_build_config(self):
        return {"layer_init": "zeros", "input_shape": (4,)}

    def build_from_config(self, config):
        self.build(config["input_shape"], config["layer_init"])


def test_custom_build_config_rebuilds_the_layer_on_load(tmp_path):
    layer = LayerWithCustomBuild(units=16)
    layer.build((4,), "ones")
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    np.testing.assert_allclose(np.asarray(layer(x)), x.sum(axis=1, keepdims=True) + 1
                               + np.zeros((3, 16)), rtol=1e-6)
    assert keras.saving.serialize_keras_object(layer)["build_config"] == {
        "layer_init": "zeros", "input_shape": (4,)}
    model = keras.Sequential([layer])
    with pytest.warns(UserWarning, match="not yet been built"):
        model.save(tmp_path / "build.keras")
    loaded = keras.models.load_model(tmp_path / "build.keras")
    rebuilt = loaded.layers[0]
    assert type(rebuilt) is LayerWithCustomBuild and len(rebuilt.weights) == 2
    # The saved values (ones) replace the zeros build_from_config started with.
    np.testing.assert_array_equal(rebuilt.w.numpy(), np.ones((4, 16), "float32"))


@keras.saving.register_keras_serializable(package="GuideLayers")
class LayerWithCustomVariable(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.my_variable = keras.Variable(np.random.random((units,)), name="my_variable",
                                          dtype="float32")

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")

    def get_config(self):
        return {**super().get_config(), "units": self.units}

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["variables"] = self.my_variable.numpy()

    def load_own_variables(self, store):
        self.my_variable.assign(store["variables"])
        for i, v in enumerate(self.weights):
            v.assign(store[f"{i}"])

    def call(self, inputs, training=False):
        return ops.matmul(inputs, self.kernel) * self.my_variable


def test_save_and_load_own_variables_with_a_store(tmp_path):
    keras.utils.set_random_seed(1)
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    model = keras.Sequential([keras.Input((4,)), LayerWithCustomVariable(1)])
    layer = model.layers[0]
    assert [w.name for w in layer.weights] == ["my_variable", "kernel"]
    store = {}
    layer.save_own_variables(store)
    assert sorted(store) == ["0", "1", "variables"]
    np.testing.assert_array_equal(store["variables"], layer.my_variable.numpy())

    model.save(tmp_path / "vars.keras")
    loaded = keras.models.load_model(tmp_path / "vars.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    np.testing.assert_array_equal(loaded.layers[0].my_variable.numpy(),
                                  layer.my_variable.numpy())

    model.save_weights(tmp_path / "vars.weights.h5")
    fresh = keras.Sequential([keras.Input((4,)), LayerWithCustomVariable(1)])
    fresh.load_weights(tmp_path / "vars.weights.h5")
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0))


@keras.saving.register_keras_serializable(package="my_custom_package")
def small_square_sum_loss(y_true, y_pred):
    loss = ops.square(y_pred - y_true)
    loss = loss / 10.0
    return ops.sum(loss, axis=1)


@keras.saving.register_keras_serializable(package="my_custom_package")
def mean_pred(y_true, y_pred):
    return ops.mean(y_pred)


@keras.saving.register_keras_serializable(package="my_custom_package")
class ModelWithCustomCompile(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = layers.Dense(8, activation="relu")
        self.dense2 = layers.Dense(4, activation="softmax")

    def call(self, inputs):
        return self.dense2(self.dense1(inputs))

    def compile(self, optimizer, loss_fn, metrics):
        super().compile(optimizer=optimizer, loss=loss_fn, metrics=metrics)
        self.model_optimizer = optimizer
        self.loss_fn = loss_fn
        self.loss_metrics = metrics

    def get_compile_config(self):
        return {"model_optimizer": self.model_optimizer, "loss_fn": self.loss_fn,
                "metric": self.loss_metrics}

    def compile_from_config(self, config):
        optimizer = keras.utils.deserialize_keras_object(config["model_optimizer"])
        loss_fn = keras.utils.deserialize_keras_object(config["loss_fn"])
        metrics = keras.utils.deserialize_keras_object(config["metric"])
        self.compile(optimizer=optimizer, loss_fn=loss_fn, metrics=metrics)


def test_custom_compile_config_round_trip(tmp_path):
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    y = np.eye(4, dtype="float32")[[0, 1, 2]]
    model = ModelWithCustomCompile()
    model.compile(optimizer="SGD", loss_fn=small_square_sum_loss,
                  metrics=["accuracy", mean_pred])
    model.fit(x, y, verbose=0)
    assert sorted(model.get_metrics_result()) == ["accuracy", "loss", "mean_pred"]
    assert keras.saving.serialize_keras_object(model)["compile_config"] == {
        "model_optimizer": "SGD",
        "loss_fn": {"module": "builtins", "class_name": "function",
                    "config": "my_custom_package>small_square_sum_loss",
                    "registered_name": "function"},
        "metric": ["accuracy", {"module": "builtins", "class_name": "function",
                                "config": "my_custom_package>mean_pred",
                                "registered_name": "function"}]}
    model.save(tmp_path / "compiled.keras")
    loaded = keras.models.load_model(tmp_path / "compiled.keras")
    assert type(loaded) is ModelWithCustomCompile
    assert loaded.loss_fn is small_square_sum_loss
    assert loaded.model_optimizer == "SGD" and loaded.loss_metrics[1] is mean_pred
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert sorted(loaded.evaluate(x, y, verbose=0, return_dict=True)) == [
        "accuracy", "loss", "mean_pred"]


def test_compile_config_of_a_plain_model_records_the_optimizer():
    model = _get_model()
    config = model.get_compile_config()
    assert config["optimizer"]["class_name"] == "RMSprop"
    assert config["optimizer"]["config"]["learning_rate"] == pytest.approx(0.1)
    assert config["loss"] == "mean_squared_error"
    assert config["jit_compile"] is False
    fresh = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    assert fresh.get_compile_config() == {}
    fresh.compile_from_config(config)
    assert type(fresh.optimizer).__name__ == "RMSprop"
    assert float(fresh.optimizer.learning_rate) == pytest.approx(0.1)


class UnregisteredTriple(keras.layers.Layer):
    def call(self, x):
        return x * 3


def unregistered_double(x):
    return x * 2


def test_custom_object_scope_and_custom_objects(tmp_path):
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    inputs = keras.Input((4,))
    h = UnregisteredTriple()(inputs)
    model = keras.Model(inputs, layers.Dense(2, activation=unregistered_double)(h))
    model.save(tmp_path / "plain.keras")
    # Keras raises TypeError ("Could not locate class ...") without the objects.
    with pytest.raises(TypeError, match="UnregisteredTriple"):
        keras.models.load_model(tmp_path / "plain.keras")
    objects = {"UnregisteredTriple": UnregisteredTriple,
               "unregistered_double": unregistered_double}
    with keras.saving.custom_object_scope(objects):
        loaded = keras.models.load_model(tmp_path / "plain.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[2].activation is unregistered_double
    loaded = keras.models.load_model(tmp_path / "plain.keras", custom_objects=objects)
    assert type(loaded.layers[1]) is UnregisteredTriple

    assert keras.saving.serialize_keras_object(unregistered_double)["config"] == (
        "unregistered_double")
    assert keras.saving.get_registered_name(unregistered_double) == "unregistered_double"
    assert keras.saving.get_registered_object("unregistered_double") is None
    assert keras.saving.get_registered_object(
        "unregistered_double", custom_objects=objects) is unregistered_double
    with keras.saving.CustomObjectScope(objects):
        assert keras.saving.get_registered_object("unregistered_double") is (
            unregistered_double)


def test_unregistered_activation_function_fails_with_type_error(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Dense(2, activation=unregistered_double)(inputs))
    model.save(tmp_path / "act.keras")
    with pytest.raises(TypeError, match="Could not locate function 'unregistered_double'"):
        keras.models.load_model(tmp_path / "act.keras")


def test_lambda_needs_unsafe_deserialization(tmp_path, monkeypatch):
    from minikeras.saving import safe_mode
    # The switch is process-wide: restored after the test.
    monkeypatch.setitem(safe_mode._GLOBAL, "unsafe_allowed", False)
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Lambda(lambda t: t * 2 + 1)(inputs))
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="arbitrary code"):
        keras.models.load_model(tmp_path / "lambda.keras")
    keras.config.enable_unsafe_deserialization()
    loaded = keras.models.load_model(tmp_path / "lambda.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), x * 2 + 1, rtol=1e-6)


# ===== Working with preprocessing layers ===========================================
_TEXT = ["The Brain is wider than the Sky", "For put them side by side",
         "The one the other will contain", "With ease and You beside"]
_QUERY = ["The Brain is deeper than the sea", "unknown words here"]


def test_normalization_adapted_on_images():
    rng = np.random.default_rng(0)
    images = rng.random((6, 4, 4, 3)).astype("float32") * 255
    norm = layers.Normalization(axis=-1)
    norm.adapt(images)
    assert norm.mean.shape == (1, 1, 1, 3) and norm.variance.shape == (1, 1, 1, 3)
    # Keras: mean [141.60829 142.14941 131.87416], variance [5735.0977 4712.476 6864.4126]
    np.testing.assert_allclose(np.ravel(norm.mean), [141.60829, 142.14941, 131.87416],
                               rtol=1e-5)
    np.testing.assert_allclose(np.ravel(norm.variance), [5735.0977, 4712.476, 6864.4126],
                               rtol=1e-5)
    out = np.asarray(norm(images))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1, atol=1e-4)
    assert [w.name for w in norm.weights] == ["mean", "variance", "count"]


@pytest.mark.parametrize("mode,dtype,unk,the,other", [
    ("tf_idf", "float32", 5.46165, 1.6946, 1.09861),
    ("multi_hot", "int64", 1, 1, 1),  # eager counts are int64 in Keras too
    ("count", "int64", 5, 2, 1)])
def test_text_vectorization_bigram_modes_match_keras(mode, dtype, unk, the, other):
    vectorizer = layers.TextVectorization(output_mode=mode, ngrams=2)
    vectorizer.adapt(_TEXT)
    vocab = vectorizer.get_vocabulary()
    assert vectorizer.vocabulary_size() == len(vocab) == 41
    assert vocab[:6] == ["[UNK]", "the", "side", "you beside", "you", "with ease"]
    out = np.asarray(vectorizer(_QUERY))
    assert out.shape == (2, 41) and out.dtype == dtype
    expected = {"[UNK]": unk, "the": the}
    for token in ["the brain", "than the", "than", "is", "brain is", "brain"]:
        expected[token] = other
    got = {vocab[i]: float(out[0, i]) for i in np.nonzero(out[0])[0]}
    assert got.keys() == expected.keys()
    for token, value in expected.items():
        assert got[token] == pytest.approx(value, rel=1e-5)
    # Three unknown words and two unknown bigrams.
    assert {vocab[i]: float(out[1, i]) for i in np.nonzero(out[1])[0]} == pytest.approx(
        {"[UNK]": unk})


def test_text_vectorization_int_and_max_tokens():
    vectorizer = layers.TextVectorization(output_mode="int", ngrams=2)
    vectorizer.adapt(_TEXT)
    assert vectorizer.vocabulary_size() == 42
    assert vectorizer.get_vocabulary()[:3] == ["", "[UNK]", "the"]
    assert np.asarray(vectorizer(_QUERY)).shape == (2, 13)
    small = layers.TextVectorization(output_mode="multi_hot", max_tokens=8)
    small.adapt(_TEXT)
    assert small.get_vocabulary() == ["[UNK]", "the", "side", "you", "with", "will",
                                      "wider", "them"]
    np.testing.assert_array_equal(np.asarray(small(_TEXT)), [[1, 1, 0, 0, 0, 0, 1, 0],
                                                             [1, 0, 1, 0, 0, 0, 0, 1],
                                                             [1, 1, 0, 0, 0, 1, 0, 0],
                                                             [1, 0, 0, 1, 1, 0, 0, 0]])
    padded = layers.TextVectorization(max_tokens=20, output_sequence_length=6)
    padded.adapt(_TEXT)
    np.testing.assert_array_equal(np.asarray(padded(_TEXT)), [[2, 19, 14, 7, 9, 2],
                                                              [15, 11, 8, 3, 18, 3],
                                                              [2, 13, 2, 12, 6, 17],
                                                              [5, 16, 1, 4, 1, 0]])


def test_string_lookup_mask_token_and_invert():
    lookup = layers.StringLookup(mask_token="[MASK]")
    lookup.adapt(np.array([["a", "c", "d"], ["d", "z", "b"]]))
    assert lookup.get_vocabulary() == ["[MASK]", "[UNK]", "d", "z", "c", "b", "a"]
    assert lookup.vocabulary_size() == 7
    np.testing.assert_array_equal(
        np.asarray(lookup(np.array([["a", "c", "d"], ["d", "z", "b"], ["[MASK]", "q", "a"]]))),
        [[6, 4, 2], [2, 3, 5], [0, 1, 6]])
    vocab = ["a", "b", "c", "d"]
    inverse = layers.StringLookup(vocabulary=vocab, invert=True)
    assert np.asarray(inverse(np.array([[1, 3, 4], [4, 0, 2]]))).tolist() == [
        ["a", "c", "d"], ["d", "[UNK]", "b"]]
    masked = layers.StringLookup(vocabulary=vocab, mask_token="", invert=True)
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    assert np.asarray(masked(np.array([[2, 3, 5], [5, 0, 1]]))).tolist() == [
        ["a", "b", "d"], ["d", "", "[UNK]"]]
    one_hot = layers.StringLookup(vocabulary=vocab, output_mode="one_hot")
    np.testing.assert_array_equal(np.asarray(one_hot(np.array(["a", "b", "z"]))),
                                  [[0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 0, 0, 0]])


def test_integer_lookup_with_two_oov_indices():
    lookup = layers.IntegerLookup(num_oov_indices=2)
    lookup.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    assert lookup.get_vocabulary() == [-1, -1, 42, 1138, 1000, 36, 12]
    assert lookup.vocabulary_size() == 7
    # Out-of-vocabulary values hash into the two OOV slots as in Keras.
    np.testing.assert_array_equal(
        np.asarray(lookup(np.array([[12, 1138, 42], [42, 1000, 36], [7, 8, 9]]))),
        [[6, 3, 2], [2, 4, 5], [1, 0, 1]])
    masked = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], num_oov_indices=2,
                                  mask_token=0)
    assert masked.get_vocabulary() == [0, -1, -1, 12, 36, 1138, 42]
    np.testing.assert_array_equal(np.asarray(masked(np.array([[12, 0, 42, 5, 6]]))),
                                  [[3, 0, 6, 2, 1]])


def test_hashing_bins_salt_and_mask():
    words = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
    np.testing.assert_array_equal(np.asarray(layers.Hashing(num_bins=3, salt=1337)(words)),
                                  [[2], [0], [0], [2], [0]])
    np.testing.assert_array_equal(np.asarray(layers.Hashing(num_bins=3)(words)),
                                  [[1], [0], [1], [1], [2]])
    np.testing.assert_array_equal(
        np.asarray(layers.Hashing(num_bins=4, mask_value="")(np.array([["A"], [""], ["C"]]))),
        [[2], [0], [2]])
    np.testing.assert_array_equal(
        np.asarray(layers.Hashing(num_bins=3, salt=[133, 137])(words[:3])), [[1], [2], [1]])
    np.testing.assert_array_equal(
        np.asarray(layers.Hashing(num_bins=5)(np.array([[1], [2], [300]]))), [[4], [4], [0]])


def test_category_encoding_count_with_weights():
    layer = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    out = layer(np.array([[0, 1], [0, 0], [1, 2], [3, 1]]),
                count_weights=np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]]))
    out = np.asarray(out)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0],
                                     [0, 0.2, 0, 0.4]], rtol=1e-6)
    np.testing.assert_array_equal(
        np.asarray(layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")(
            np.array([3, 2, 0, 1]))), np.eye(4)[[3, 2, 0, 1]])


def test_discretization_boundaries_and_adapted_bins():
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    fixed = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(fixed(data)), [[0, 2, 3, 1], [1, 3, 2, 1]])
    adapted = layers.Discretization(num_bins=4, epsilon=0.01)
    adapted.adapt(data)
    np.testing.assert_allclose(adapted.bin_boundaries, [0.0, 0.5, 1.3], rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(adapted(data)), [[0, 2, 3, 2], [1, 3, 3, 1]])
    one_hot = layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot")
    np.testing.assert_array_equal(np.asarray(one_hot(np.array([-1.0, 0.5, 2.0]))), np.eye(3))


def test_preprocessing_inside_the_model_images():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((32, 8, 8, 3)).astype("float32") * 255
    y = (x.mean(axis=(1, 2, 3)) > 127).astype("int64")
    norm = layers.Normalization(axis=-1)
    norm.adapt(x)
    augmentation = keras.Sequential([layers.RandomFlip("horizontal"),
                                     layers.RandomRotation(0.1)])
    inputs = keras.Input(shape=(8, 8, 3))
    h = norm(augmentation(inputs))
    h = layers.Conv2D(4, 3, activation="relu")(h)
    h = layers.GlobalAveragePooling2D()(h)
    model = keras.Model(inputs, layers.Dense(2)(h))
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    # Keras: 129 parameters; the normalization's mean/variance/count are not trainable.
    assert model.count_params() == 129
    assert [layer.count_params() for layer in model.layers] == [0, 0, 7, 112, 0, 10]
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]


def test_text_preprocessing_before_the_model_then_end_to_end():
    data = np.array(_TEXT * 4)
    labels = np.array([1.0, 0.0, 1.0, 0.0] * 4, "float32")
    vectorizer = layers.TextVectorization(output_mode="multi_hot", ngrams=2)
    vectorizer.adapt(data)
    inputs = keras.Input(shape=(vectorizer.vocabulary_size(),))
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="rmsprop", loss="mse")
    history = model.fit(vectorizer(data), labels, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    # The guide calls the model on vectorized test strings.
    assert np.asarray(model(vectorizer(np.array(_QUERY[:1])))).shape == (1, 1)
    # A (None, 1) string Input gives (None, 1, vocab): Keras's Functional input spec
    # rejects it for a model expecting (None, vocab).
    with pytest.raises(ValueError, match=r"expected shape=\(None, 41\), found shape=\(None, 1, 41\)"):
        model(vectorizer(keras.Input(shape=(1,), dtype="string")))
    string_input = keras.Input(shape=(), dtype="string")
    end_to_end = keras.Model(string_input, model(vectorizer(string_input)))
    assert [type(l).__name__ for l in end_to_end.layers] == [
        "InputLayer", "TextVectorization", "Functional"]
    assert end_to_end.output_shape == (None, 1) and end_to_end.count_params() == 42
    np.testing.assert_allclose(end_to_end.predict(np.array(_QUERY), verbose=0),
                               model.predict(vectorizer(np.array(_QUERY)), verbose=0),
                               rtol=1e-6)


def test_int_sequences_feed_an_embedding_model():
    keras.utils.set_random_seed(0)
    data = np.array(_TEXT * 4)
    labels = np.array([1.0, 0.0, 1.0, 0.0] * 4, "float32")
    vectorizer = layers.TextVectorization(output_mode="int")
    vectorizer.adapt(data)
    inputs = keras.Input(shape=(None,), dtype="int64")
    h = layers.Embedding(input_dim=vectorizer.vocabulary_size(), output_dim=4)(inputs)
    h = layers.GRU(4)(h)
    model = keras.Model(inputs, layers.Dense(1)(h))
    model.compile(optimizer="adam", loss="mse")
    assert model.count_params() == 213  # as Keras
    model.fit(vectorizer(data), labels, verbose=0)
    assert np.asarray(model(vectorizer(np.array(_QUERY)))).shape == (2, 1)


def test_lookup_layers_inside_functional_models():
    vocab = ["a", "b", "c", "d"]
    inputs = keras.Input(shape=(1,), dtype="string")
    encoded = layers.StringLookup(vocabulary=vocab, output_mode="one_hot")(inputs)
    assert encoded.shape == (None, 5) and encoded.dtype == "float32"
    model = keras.Model(inputs, layers.Dense(1)(encoded))
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(np.array([["a"], ["b"], ["z"], ["d"]]),
                        np.array([1.0, 0.0, 1.0, 0.0], "float32"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert layers.StringLookup(vocabulary=vocab, output_mode="one_hot")(
        keras.Input(shape=(), dtype="string")).shape == (None, 5)
    ints = keras.Input(shape=(1,), dtype="int64")
    multi_hot = layers.IntegerLookup(vocabulary=[12, 36], output_mode="multi_hot",
                                     num_oov_indices=2)(ints)
    assert (multi_hot.shape, multi_hot.dtype) == ((None, 4), "float32")
    assert layers.Hashing(num_bins=3, output_mode="one_hot")(ints).shape == (None, 3)
    assert layers.CategoryEncoding(num_tokens=3, output_mode="count")(ints).shape == (None, 3)
    bins = layers.Discretization(bin_boundaries=[1.0, 2.0])(keras.Input((3,)))
    assert (bins.shape, bins.dtype) == ((None, 3), "int32")
    np.testing.assert_allclose(
        np.asarray(layers.Normalization(mean=2.0, variance=4.0)(np.array([[2.0, 4.0]]))),
        [[0.0, 1.0]])
    np.testing.assert_allclose(
        np.asarray(layers.Normalization(mean=2.0, variance=4.0, invert=True)(
            np.array([[0.0, 1.0]]))), [[2.0, 4.0]])
