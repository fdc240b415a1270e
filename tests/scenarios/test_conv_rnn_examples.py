"""keras.io examples in miniature: "Simple MNIST convnet" (on the bundled 8x8 digits) and
an Embedding + LSTM text classifier, with the save/load round trips people do after."""
import numpy as np

import minikeras as keras
from minikeras import layers


def _digits(n=400):
    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
    x_train = np.expand_dims(x_train[:n].astype("float32") / 16.0, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 16.0, -1)
    return (x_train, keras.utils.to_categorical(y_train[:n], 10)), (
        x_test, keras.utils.to_categorical(y_test, 10))


def test_simple_convnet_learns_digits(tmp_path):
    (x_train, y_train), (x_test, y_test) = _digits()
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(8, kernel_size=(3, 3), activation="relu", padding="same"),
        layers.BatchNormalization(momentum=0.9),  # small data: stats catch up
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.25),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(0.01),
                  metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=8, validation_split=0.1,
                        verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    score = model.evaluate(x_test, y_test, verbose=0)
    # Real Keras reaches 0.93 +- 0.01 on this setup over several seeds; chance is 0.1.
    assert score[1] > 0.8
    # BatchNormalization moved its statistics during fit, not during evaluate/predict.
    bn = model.layers[1]
    moving = bn.moving_mean.numpy().copy()
    model.predict(x_test, verbose=0)
    np.testing.assert_array_equal(moving, bn.moving_mean.numpy())
    assert not np.allclose(moving, 0.0)
    model.save(tmp_path / "convnet.keras")
    restored = keras.models.load_model(tmp_path / "convnet.keras")
    np.testing.assert_allclose(restored.predict(x_test, verbose=0),
                               model.predict(x_test, verbose=0), rtol=1e-5, atol=1e-6)


def _text_data():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 20, (64, 6))
    y = (x[:, 0] > 10).astype("int32")  # the label lives in the first token
    lengths = rng.integers(2, 7, 64)
    for row, n in zip(x, lengths):
        row[n:] = 0  # post-padding, as pad_sequences(padding="post") gives
    return x, y


def test_embedding_lstm_text_classifier_with_masking(tmp_path):
    x, y = _text_data()
    inputs = keras.Input(shape=(None,), dtype="int32")
    h = layers.Embedding(20, 8, mask_zero=True)(inputs)
    h = layers.Bidirectional(layers.LSTM(8))(h)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    # Masked (padded) steps do not change the prediction.
    longer = np.concatenate([x[:4], np.zeros((4, 3), x.dtype)], axis=1)
    np.testing.assert_allclose(model.predict(longer, verbose=0), model.predict(x[:4], verbose=0),
                               rtol=1e-5, atol=1e-6)
    model.save(tmp_path / "text.keras")
    restored = keras.models.load_model(tmp_path / "text.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
