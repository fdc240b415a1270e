"""A small CNN learns bars vs crosses as well as real Keras does.

The images and Keras' test accuracy (3 seeds, same architecture and
hyper-parameters) come from tests/parity/generate_layer_goldens.py.
"""
import json
import os

import numpy as np

import minikeras as keras
from minikeras.layers.convolutional.conv2d import Conv2D
from minikeras.layers.pooling.max_pooling2d import MaxPooling2D

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")


def test_cnn_learns_bars_vs_crosses_like_keras():
    data = np.load(os.path.join(GOLDENS, "layer_cnn_task.npz"))
    with open(os.path.join(GOLDENS, "layer_cnn_task.json")) as fh:
        ref = json.load(fh)
    x_train = data["x_train"].astype("float32")
    x_test = data["x_test"].astype("float32")
    model = keras.Sequential([
        keras.Input((14, 14, 1)),
        Conv2D(8, 3, activation="relu"),
        MaxPooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(ref["learning_rate"]),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, data["y_train"], epochs=ref["epochs"],
                        batch_size=ref["batch_size"], verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    _, accuracy = model.evaluate(x_test, data["y_test"], verbose=0)
    keras_accuracy = min(ref["keras_test_accuracy"])
    assert accuracy >= min(0.95, keras_accuracy - 0.03), (accuracy, ref)
