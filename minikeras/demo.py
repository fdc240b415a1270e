"""The demo behind `python -m minikeras demo`: the lecture's models, trained.

1. The XOR problem: a single-layer perceptron cannot separate it, a 2-8-1
   MLP can.
2. A Dense classifier on the bundled 8x8 UCI handwritten digits (1,797
   images), trained with the Keras progress bar and scored on held-out data.
"""
import numpy as np


def _xor(verbose):
    import minikeras as keras
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
    y = np.array([[0], [1], [1], [0]], dtype="float32")
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Dense(8, activation="tanh"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=200, batch_size=4, verbose=0)
    pred = (model.predict(x, verbose=0) > 0.5).astype(int).ravel()
    acc = float(np.mean(pred == y.ravel()))
    print(f"XOR  inputs {x.astype(int).tolist()} -> predicted {pred.tolist()}  accuracy {acc:.2f}")
    return acc


def _digits(epochs, verbose):
    import minikeras as keras
    from minikeras.datasets import digits
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    x_train = x_train.reshape(len(x_train), -1).astype("float32") / 16.0
    x_test = x_test.reshape(len(x_test), -1).astype("float32") / 16.0
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ], name="digits_mlp")
    model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, validation_split=0.1,
              verbose=verbose)
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"Digits test accuracy: {acc:.4f} (test loss {loss:.4f}, {len(x_test)} held-out images)")
    return acc


def run_demo(epochs=30, verbose=1):
    from minikeras.utils import set_random_seed
    set_random_seed(0)
    print("== The XOR problem: a multi-layer perceptron ==")
    _xor(verbose)
    print("\n== Handwritten digits (UCI 8x8, bundled) ==")
    acc = _digits(epochs, verbose)
    return 0 if acc > 0.9 else 1
