import numpy as np

import minikeras as keras
from minikeras.backend.random import SeedGenerator


def _train_once():
    keras.utils.set_random_seed(123)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dropout(0.3), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.rand(64, 4).astype("float32")
    y = np.random.rand(64, 1).astype("float32")
    h = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    return model.get_weights(), h.history["loss"]


def test_set_random_seed_gives_bit_identical_training():
    w1, l1 = _train_once()
    w2, l2 = _train_once()
    assert l1 == l2
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)


def test_seed_generator_streams():
    a = SeedGenerator(7)
    b = SeedGenerator(7)
    assert a.next() == b.next()
    assert a.next() != a.next()
