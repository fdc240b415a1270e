"""tensorflow.org Keras tutorials of the tf.keras 2.x era, and old standalone-Keras habits.

The tutorials ("Basic classification", "Basic regression", "Overfit and underfit",
"Save and load") are replayed on small synthetic data with their `tf.` calls
replaced by numpy. Expectations were checked against Keras 3.15; where Keras 3
changed what tf.keras 2.x did, the comment says so.
"""
import math
import os
import re
import warnings

import numpy as np
import pytest

import minikeras as keras


def test_basic_classification_fashion_mnist_style(capsys):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    train_images = rng.integers(0, 256, (160, 28, 28)).astype("uint8") / 255.0  # float64
    train_labels = rng.integers(0, 10, 160).astype("uint8")
    test_images, test_labels = train_images[:40], train_labels[:40]
    with pytest.warns(UserWarning, match="input_shape"):  # Keras 3 warns, tf.keras 2 did not
        flatten = keras.layers.Flatten(input_shape=(28, 28))
    model = keras.Sequential([flatten, keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(train_images, train_labels, epochs=3, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]

    capsys.readouterr()
    test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
    line = capsys.readouterr().out.strip()
    # Keras 3's one-line form: steps, time, per-step time, then the sorted metrics.
    assert re.fullmatch(r"2/2 - \d+m?s - \d+(\.\d+)?(us|ms|s)/step - accuracy: \d\.\d{4} - "
                        r"loss: \d\.\d{4}", line), line
    assert isinstance(test_acc, float) and f"accuracy: {test_acc:.4f}" in line

    probability_model = keras.Sequential([model, keras.layers.Softmax()])
    assert [layer.name for layer in probability_model.layers] == [model.name, "softmax"]
    assert probability_model.output_shape == (None, 10)
    assert probability_model.count_params() == model.count_params() == 784 * 32 + 32 + 330
    predictions = probability_model.predict(test_images, verbose=0)
    assert predictions.shape == (40, 10) and predictions.dtype == np.float32
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-5)
    logits = model.predict(test_images, verbose=0)
    assert np.argmax(predictions[0]) == np.argmax(logits[0])
    img = np.expand_dims(test_images[1], 0)
    assert img.shape == (1, 28, 28)
    single = probability_model.predict(img, verbose=0)
    assert single.shape == (1, 10)
    np.testing.assert_allclose(single[0], predictions[1], rtol=1e-5, atol=1e-7)


def test_basic_regression_auto_mpg_style(tmp_path):
    pd = pytest.importorskip("pandas")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    n = 120
    df = pd.DataFrame({"Cylinders": rng.choice([4, 6, 8], n).astype(float),
                       "Displacement": rng.uniform(70, 450, n),
                       "Horsepower": rng.uniform(46, 230, n),
                       "Weight": rng.uniform(1600, 5100, n)})
    df["MPG"] = 50 - 0.1 * df["Horsepower"] - 0.003 * df["Weight"] + rng.normal(0, 1, n)
    train_dataset = df.sample(frac=0.8, random_state=0)
    test_dataset = df.drop(train_dataset.index)
    train_features, test_features = train_dataset.copy(), test_dataset.copy()
    train_labels, test_labels = train_features.pop("MPG"), test_features.pop("MPG")

    normalizer = keras.layers.Normalization(axis=-1)
    normalizer.adapt(np.array(train_features))
    mean = normalizer.mean.numpy()  # a tensor in Keras, so the tutorial calls .numpy()
    assert mean.shape == (1, 4) and mean.dtype == np.float32
    np.testing.assert_allclose(mean[0], train_features.mean().values, rtol=1e-4)
    first = np.array(train_features[:1])
    assert normalizer(first).numpy().shape == (1, 4)

    horsepower = np.array(train_features["Horsepower"])
    with pytest.warns(UserWarning, match="input_shape"):
        horsepower_normalizer = keras.layers.Normalization(input_shape=[1, ], axis=None)
    horsepower_normalizer.adapt(horsepower)
    assert horsepower_normalizer.mean.numpy().shape == (1,)
    horsepower_model = keras.Sequential([horsepower_normalizer, keras.layers.Dense(units=1)])
    assert horsepower_model.count_params() == 5  # mean, variance, count + kernel, bias
    # A 1-D column fed to a model whose input is (None, 1): Keras adds the unit axis.
    assert horsepower_model.predict(horsepower[:10], verbose=0).shape == (10, 1)
    horsepower_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1),
                             loss="mean_absolute_error")
    history = horsepower_model.fit(train_features["Horsepower"], train_labels, epochs=20,
                                   verbose=0, validation_split=0.2)
    hist = pd.DataFrame(history.history)
    hist["epoch"] = history.epoch
    assert list(hist.columns) == ["loss", "val_loss", "epoch"] and hist.shape == (20, 3)
    assert hist["epoch"].tolist() == list(range(20))
    assert hist["loss"].iloc[-1] < hist["loss"].iloc[0]
    result = horsepower_model.evaluate(test_features["Horsepower"], test_labels, verbose=0)
    assert isinstance(result, float)  # no metrics: a scalar, not a list
    y = horsepower_model.predict(np.linspace(0.0, 250, 251), verbose=0)
    assert y.shape == (251, 1) and y.dtype == np.float32

    dnn_model = keras.Sequential([normalizer, keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(1)])
    dnn_model.compile(loss="mean_absolute_error", optimizer=keras.optimizers.Adam(0.001))
    history = dnn_model.fit(train_features, train_labels, validation_split=0.2, verbose=0,
                            epochs=3)
    assert sorted(history.history) == ["loss", "val_loss"] and history.epoch == [0, 1, 2]
    test_predictions = dnn_model.predict(test_features, verbose=0).flatten()
    assert test_predictions.shape == (24,) and test_predictions.dtype == np.float32
    assert isinstance(dnn_model.evaluate(test_features, test_labels, verbose=0), float)
    dnn_model.save(tmp_path / "dnn_model.keras")
    reloaded = keras.models.load_model(tmp_path / "dnn_model.keras")
    np.testing.assert_allclose(reloaded.predict(test_features, verbose=0).flatten(),
                               test_predictions, rtol=1e-5, atol=1e-5)


def test_overfit_and_underfit_regularizers_dropout_schedule():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    features, n_train, batch_size = 28, 192, 32
    steps_per_epoch = n_train // batch_size
    x = rng.normal(size=(n_train + 64, features)).astype("float32")
    # (n, 1) labels: the tutorial's (batch,) labels from tf.data meet the binary
    # cross-entropy *metric*, which Keras 3 no longer reshapes (tf.keras 2 did).
    y = (x[:, :3].sum(1, keepdims=True) > 0).astype("float32")
    x_train, y_train, x_val, y_val = x[:n_train], y[:n_train], x[n_train:], y[n_train:]

    lr_schedule = keras.optimizers.schedules.InverseTimeDecay(
        0.001, decay_steps=steps_per_epoch * 1000, decay_rate=1, staircase=False)
    assert float(lr_schedule(steps_per_epoch * 1000)) == pytest.approx(0.0005)
    lr = lr_schedule(np.linspace(0, 100000))  # what the tutorial plots
    assert np.shape(lr) == (50,) and float(np.asarray(lr)[-1]) < 0.001

    def compile_and_fit(model, max_epochs=4):
        model.compile(optimizer=keras.optimizers.Adam(lr_schedule),
                      loss=keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[keras.metrics.BinaryCrossentropy(from_logits=True,
                                                                name="binary_crossentropy"),
                               "accuracy"])
        callbacks = [keras.callbacks.EarlyStopping(monitor="val_binary_crossentropy",
                                                   patience=200)]
        return model.fit(x_train, y_train, batch_size=batch_size, epochs=max_epochs,
                         validation_data=(x_val, y_val), callbacks=callbacks, verbose=0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # input_shape= on a layer
        l2_model = keras.Sequential([
            keras.layers.Dense(32, activation="elu",
                               kernel_regularizer=keras.regularizers.l2(0.001),
                               input_shape=(features,)),
            keras.layers.Dense(32, activation="elu",
                               kernel_regularizer=keras.regularizers.l2(0.001)),
            keras.layers.Dense(1)])
        dropout_model = keras.Sequential([
            keras.layers.Dense(32, activation="elu", input_shape=(features,)),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1)])
    keys = ["accuracy", "binary_crossentropy", "loss", "val_accuracy",
            "val_binary_crossentropy", "val_loss"]
    history = compile_and_fit(l2_model)
    assert sorted(history.history) == keys and len(history.epoch) == 4
    assert len(l2_model.losses) == 2
    # The loss carries the L2 penalty; the metric is the bare cross-entropy.
    assert all(loss > bce for loss, bce in zip(history.history["loss"],
                                               history.history["binary_crossentropy"]))
    assert history.history["val_binary_crossentropy"][-1] < \
        history.history["val_binary_crossentropy"][0]
    # The current rate of a scheduled optimizer is a tensor in Keras: .numpy() works.
    assert l2_model.optimizer.learning_rate.numpy() == pytest.approx(
        0.001 / (1 + 4 * steps_per_epoch / (steps_per_epoch * 1000)), rel=1e-5)
    assert sorted(compile_and_fit(dropout_model, 2).history) == keys

    assert keras.regularizers.l2(0.001).get_config() == {"l2": 0.001}
    assert float(keras.regularizers.l2(0.001)(np.ones((2, 2), "float32"))) == \
        pytest.approx(0.004)
    # The rank-1 labels of the tutorial: Keras 3's metric refuses them, with its message.
    with pytest.raises(ValueError, match=r"same rank \(ndim\)"):
        keras.metrics.BinaryCrossentropy(from_logits=True).update_state(y_train[:, 0],
                                                                        x_train[:, :1])


def test_save_and_load_checkpoints_and_models(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    train_images = rng.random((100, 64)).astype("float32")
    train_labels = rng.integers(0, 10, 100)
    test_images, test_labels = train_images[:20], train_labels[:20]

    def create_model():
        model = keras.models.Sequential([keras.Input((64,)),
                                         keras.layers.Dense(32, activation="relu"),
                                         keras.layers.Dropout(0.2),
                                         keras.layers.Dense(10)])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=[keras.metrics.SparseCategoricalAccuracy()])
        return model

    model = create_model()
    checkpoint_path = "training_1/cp.weights.h5"  # Keras 3: weights files end in .weights.h5
    cp_callback = keras.callbacks.ModelCheckpoint(filepath=checkpoint_path,
                                                  save_weights_only=True, verbose=1)
    history = model.fit(train_images, train_labels, epochs=2,
                        validation_data=(test_images, test_labels),
                        callbacks=[cp_callback], verbose=0)
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                                       "val_sparse_categorical_accuracy"]
    out = capsys.readouterr().out
    assert "Epoch 2: saving model to training_1/cp.weights.h5" in out
    assert os.listdir("training_1") == ["cp.weights.h5"]
    model2 = create_model()
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        model2.load_weights(checkpoint_path)  # the file also holds Adam's slots
    np.testing.assert_allclose(model2.predict(test_images, verbose=0),
                               model.predict(test_images, verbose=0), rtol=1e-6)

    # The tf.keras 2 spellings (TensorFlow checkpoints) are refused as Keras 3 refuses them.
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`.*cp\.ckpt"):
        keras.callbacks.ModelCheckpoint(filepath="training_1/cp.ckpt", save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        keras.callbacks.ModelCheckpoint(filepath="training_1/cp.ckpt")
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights("training_1/cp.ckpt")
    with pytest.raises(ValueError, match="File format not supported"):
        model.load_weights("training_1/cp.ckpt")

    batch_size = 25
    n_batches = math.ceil(len(train_images) / batch_size)
    cp_callback = keras.callbacks.ModelCheckpoint(
        filepath="training_2/cp-{epoch:04d}.weights.h5", verbose=0, save_weights_only=True,
        save_freq=2 * n_batches)
    model = create_model()
    os.makedirs("training_2")  # Keras 3's save_weights does not create folders
    model.save_weights("training_2/cp-{epoch:04d}.weights.h5".format(epoch=0))
    model.fit(train_images, train_labels, epochs=6, batch_size=batch_size,
              callbacks=[cp_callback], validation_data=(test_images, test_labels), verbose=0)
    assert sorted(os.listdir("training_2")) == [f"cp-{e:04d}.weights.h5" for e in (0, 2, 4, 6)]
    latest = create_model()
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        latest.load_weights("training_2/cp-0006.weights.h5")
    np.testing.assert_allclose(latest.predict(test_images, verbose=0),
                               model.predict(test_images, verbose=0), rtol=1e-6)

    model.save("my_model.keras")
    new_model = keras.models.load_model("my_model.keras")
    np.testing.assert_allclose(new_model.predict(test_images, verbose=0),
                               model.predict(test_images, verbose=0), rtol=1e-6)
    assert new_model.evaluate(test_images, test_labels, verbose=0) == pytest.approx(
        model.evaluate(test_images, test_labels, verbose=0), rel=1e-6)

    with pytest.warns(UserWarning, match="HDF5 file.*legacy"):
        model.save("my_model.h5")
    h5_model = keras.models.load_model("my_model.h5")
    assert type(h5_model).__name__ == "Sequential" and h5_model.optimizer is not None
    np.testing.assert_allclose(h5_model.predict(test_images, verbose=0),
                               model.predict(test_images, verbose=0), rtol=1e-6)

    # tf.keras 2 wrote a SavedModel folder here; Keras 3 asks for an extension.
    with pytest.raises(ValueError, match=r"Invalid filepath extension.*\.keras"):
        model.save("saved_model/my_model")
    with pytest.raises(ValueError, match="SavedModel format is not supported"):
        keras.models.load_model("saved_model/my_model")


def test_standalone_keras2_module_paths_warn_and_resolve():
    with pytest.warns(DeprecationWarning, match=r"keras\.layers\.core\.Dense.*keras\.layers\.Dense"):
        from minikeras.layers.core import Dense
    with pytest.warns(DeprecationWarning, match="keras.layers.Conv2D"):
        from minikeras.layers.convolutional import Conv2D
    with pytest.warns(DeprecationWarning, match="keras.layers.LSTM"):
        from minikeras.layers.recurrent import LSTM
    with pytest.warns(DeprecationWarning, match="keras.layers.BatchNormalization"):
        from minikeras.layers.normalization import BatchNormalization
    with pytest.warns(DeprecationWarning, match="keras.layers.concatenate"):
        concatenate = keras.layers.merge.concatenate
    with pytest.warns(DeprecationWarning, match="keras.utils.to_categorical"):
        from minikeras.utils import np_utils
        to_categorical = np_utils.to_categorical
    assert (Dense, Conv2D, LSTM, BatchNormalization, concatenate) == (
        keras.layers.Dense, keras.layers.Conv2D, keras.layers.LSTM,
        keras.layers.BatchNormalization, keras.layers.concatenate)
    assert to_categorical is keras.utils.to_categorical
    with pytest.raises(AttributeError):
        keras.layers.merge.Merge  # Keras 1's Merge layer is gone in both

    a, b = keras.Input((2,)), keras.Input((3,))
    assert keras.layers.Concatenate(axis=-1)([a, b]).shape == (None, 5)
    assert concatenate([a, b]).shape == (None, 5)
    onehot = to_categorical(np.array([0, 2, 1]), num_classes=4)
    np.testing.assert_array_equal(onehot, np.eye(4)[[0, 2, 1]])
    assert onehot.dtype == np.float32  # Keras 3.15 returns float64 here


def test_keras1_arguments_and_removed_methods_fail_as_in_keras3():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    for method in ("predict_classes", "predict_proba"):
        with pytest.raises(AttributeError, match=method):
            getattr(model, method)
    # Keras 1 keyword arguments: Keras 3 raises ValueError (tf.keras 2 raised TypeError).
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense.*init"):
        keras.layers.Dense(3, init="uniform")
    with pytest.raises(ValueError, match="W_regularizer"):
        keras.layers.Dense(3, W_regularizer=keras.regularizers.l2(0.01))
    with pytest.raises(ValueError, match="border_mode"):
        keras.layers.Conv2D(4, 3, border_mode="same")
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Model"):
        keras.Model(input=keras.Input((2,)), output=keras.layers.Dense(1))
    model.compile("adam", "categorical_crossentropy", metrics=["acc"])
    x = np.random.default_rng(0).random((16, 4)).astype("float32")
    y = keras.utils.to_categorical(np.arange(16) % 3, 3)
    with pytest.raises(TypeError, match="nb_epoch"):
        model.fit(x, y, nb_epoch=2, verbose=0)
    history = model.fit(x, y, epochs=1, verbose=0, validation_split=0.25)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    # Keras 3 dropped set_learning_phase; minikeras keeps it with a warning.
    with pytest.warns(DeprecationWarning, match="training"):
        keras.backend.set_learning_phase(0)
