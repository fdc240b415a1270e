"""Keras 2-era habits: `import keras` through the alias, old import paths, removed methods."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


def _run_aliased(code):
    """Run `code` in a fresh interpreter where `import keras` means minikeras.

    A subprocess keeps the alias out of this test session (other tests check for a
    real `keras`).
    """
    script = "import minikeras; minikeras.alias_keras()\n" + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_keras2_style_script_through_the_alias():
    out = _run_aliased("""
        import warnings
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        from keras.optimizers import Adam
        from keras.utils import to_categorical
        from keras import backend as K
        warnings.simplefilter("ignore")
        rng = np.random.default_rng(0)
        x = rng.random((40, 20)).astype("float32")
        y = to_categorical((x.sum(1) > 10).astype(int), 2)
        model = Sequential()
        model.add(Dense(16, input_dim=20, activation="relu"))
        model.add(Dropout(0.5))
        model.add(Dense(2, activation="softmax"))
        def rmse(y_true, y_pred):
            return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))
        model.compile(loss="categorical_crossentropy", optimizer=Adam(lr=0.01),
                      metrics=["acc", rmse])
        h = model.fit(x, y, epochs=2, batch_size=8, verbose=0, validation_split=0.2)
        print(sorted(h.history))
        print(model.output_shape)
    """)
    lines = out.strip().splitlines()
    assert lines[0] == "['acc', 'loss', 'rmse', 'val_acc', 'val_loss', 'val_rmse']"
    assert lines[1] == "(None, 2)"


def test_tensorflow_keras_imports_through_the_alias():
    out = _run_aliased("""
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.callbacks import EarlyStopping
        m = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
        print(type(m).__module__.split(".")[0], EarlyStopping.__name__)
    """)
    assert out.split() == ["minikeras", "EarlyStopping"]


def test_pad_sequences_from_keras_preprocessing_sequence():
    from minikeras.preprocessing.sequence import pad_sequences
    padded = pad_sequences([[1, 2], [3]], maxlen=3)
    np.testing.assert_array_equal(padded, [[0, 1, 2], [0, 0, 3]])


def test_pad_sequences_from_keras_utils():
    padded = keras.utils.pad_sequences([[1, 2, 3, 4], [5]], maxlen=3, padding="post",
                                       truncating="pre")
    np.testing.assert_array_equal(padded, [[2, 3, 4], [5, 0, 0]])


def test_predict_classes_was_removed_like_in_keras():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, activation="softmax")])
    with pytest.raises(AttributeError, match="predict_classes"):
        model.predict_classes(np.ones((1, 3)))
    # What Keras 2.6+ tells people to write instead:
    assert model.predict(np.ones((4, 3)), verbose=0).argmax(axis=-1).shape == (4,)


def test_np_utils_resolves_with_a_deprecation_warning():
    # Keras 3 removed `keras.utils.np_utils` (ImportError); tf.keras 2 had it, and
    # minikeras keeps it with a DeprecationWarning naming `keras.utils.to_categorical`.
    from minikeras.utils import np_utils
    with pytest.warns(DeprecationWarning, match=r"keras\.utils\.to_categorical"):
        onehot = np_utils.to_categorical([1, 0], 2)
    np.testing.assert_array_equal(onehot, [[0, 1], [1, 0]])


def test_fit_generator_with_python_generator():
    rng = np.random.default_rng(0)
    x = rng.random((40, 5)).astype("float32")
    y = (x.sum(1) > 2.5).astype("float32")

    def gen():
        while True:
            for i in range(0, 40, 8):
                yield x[i:i + 8], y[i:i + 8]

    model = keras.Sequential([keras.Input((5,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["acc"])
    with pytest.warns(DeprecationWarning, match="fit_generator"):
        h = model.fit_generator(gen(), steps_per_epoch=5, epochs=2, verbose=0)
    assert sorted(h.history) == ["acc", "loss"] and len(h.history["loss"]) == 2
    with pytest.warns(DeprecationWarning):
        pred = model.predict_generator(gen(), steps=2, verbose=0)
    assert pred.shape == (16, 1)
