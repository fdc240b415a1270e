"""The lecture's Keras snippets, run unchanged through `python -m minikeras run`.

Each snippet is copied from the lecture text (shared/lecture). Where a snippet
has a slip that also fails on real Keras, the smallest fix is applied and
named in a comment. A preamble only supplies the data (`x`, `y`) that the
slides leave out.
"""
import os
import subprocess
import sys
import textwrap

import pytest

PREAMBLE = """
import numpy as np
import keras as _keras_for_seed
_keras_for_seed.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.random((1000, 10)).astype("float32")
labels = (x[:, 0] > 0.5).astype(int) + 2 * (x[:, 1] > 0.5)  # 4 quadrant classes
y = np.eye(10, dtype="float32")[labels]
"""

SNIPPETS = {
    # "Tensorflow Code와 Keras Code" slide: valid as written.
    "keras_code": """
from keras.models import Sequential
from keras.layers import *

model = Sequential()
model.add(Dense(50, input_dim=10, activation='relu'))
model.add(Dense(100, activation='relu'))
model.add(Dense(50, activation='relu'))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
# (data for the slide)
hist = model.fit(x, labels.astype("float32"), epochs=20, batch_size=32, verbose=0)
assert hist.history["loss"][-1] < hist.history["loss"][0]
print("FINAL_LOSS", hist.history["loss"][-1])
""",
    # "Keras API - Sequential Model" slide.
    "sequential": """
import keras  # fix: the slide uses `keras.` without importing it
from keras.models import Sequential
from keras.layers import Dense

model = keras.Sequential()
model.add(Dense(20, input_shape=(10, ), activation='relu'))
model.add(Dense(20, activation='relu'))
model.add(Dense(10, activation='softmax'))

model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])  # fix: fit needs compile
model.fit(x, y, epochs=10, batch_size=32)
print("FINAL_ACC", model.evaluate(x, y, verbose=0)[1])
""",
    # "Keras API - Functional API" slide.
    "functional": """
import keras  # fix: the slide uses `keras.` without importing it
from keras.models import Sequential
from keras.models import Model  # fix: the slide uses Model without importing it
from keras.layers import Dense

inputs = keras.Input(shape=(10, ))  # fix: the slide names it `input`, then uses `inputs`
h = Dense(20, activation='relu')(inputs)  # fix: the slide reads `x` before defining it
h = Dense(20, activation='relu')(h)
outputs = Dense(10, activation='softmax')(h)

model = Model(inputs, outputs)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])  # fix: fit needs compile
model.fit(x, y, epochs=10, batch_size=32)
print("FINAL_ACC", model.evaluate(x, y, verbose=0)[1])
""",
    # "Keras API - Model SubClass" slide.
    "subclass": """
import keras
from keras import layers

class MyModel(keras.Model):

    def __init__(self):
        super(MyModel, self).__init__()
        self.dense1 = layers.Dense(20, activation='relu')
        self.dense2 = layers.Dense(20, activation='relu')
        self.dense3 = layers.Dense(10, activation='softmax')

    def call(self, inputs):
        x = self.dense1(inputs)  # fix: the slide passes `x` instead of `inputs`
        x = self.dense2(x)
        return self.dense3(x)


model = MyModel()
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])  # fix: fit needs compile
model.fit(x, y, epochs=10, batch_size=32)
print("FINAL_ACC", model.evaluate(x, y, verbose=0)[1])
""",
    # TensorFlow 2.0 slide: model.fit with validation_data.
    "tf2_fit": """
import keras
from keras.models import Sequential
from keras.layers import Dense
X_train, y_train, X_valid, y_valid = x[:800], y[:800], x[800:], y[800:]
model = Sequential([Dense(16, activation='relu', input_shape=(10,)), Dense(10, activation='softmax')])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(
    X_train, y_train,
    validation_data=(
        X_valid,
        y_valid
    ),
    epochs=10, batch_size=64
)
print("FINAL_ACC", model.evaluate(X_valid, y_valid, verbose=0)[1])
""",
}


def _run(tmp_path, name, body):
    script = tmp_path / f"{name}.py"
    script.write_text(PREAMBLE + textwrap.dedent(body))
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "minikeras", "run", str(script)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_lecture_snippet_runs_through_alias(tmp_path, name):
    out = _run(tmp_path, name, SNIPPETS[name])
    if "FINAL_ACC" in out:
        acc = float(out.split("FINAL_ACC")[1].split()[0])
        assert acc > 0.7, out[-2000:]  # real Keras: 0.7-0.9 after 10 epochs
        assert "Epoch 10/10" in out and "━" in out  # the Keras progress bar was shown
    else:
        assert "FINAL_LOSS" in out


def test_alias_refuses_when_real_keras_is_loaded(monkeypatch):
    import types
    import minikeras
    fake = types.ModuleType("keras")
    monkeypatch.setitem(sys.modules, "keras", fake)
    with pytest.raises(RuntimeError, match="already imported"):
        minikeras.alias_keras()


def test_alias_in_process_makes_keras_imports_resolve():
    import minikeras
    saved = {k: v for k, v in sys.modules.items() if k == "keras" or k.startswith("keras.")}
    for k in saved:
        del sys.modules[k]
    try:
        minikeras.alias_keras(tensorflow=False)
        import keras
        from keras.layers import Dense
        from keras.models import Sequential
        from keras import layers
        assert keras is minikeras
        assert Dense is minikeras.layers.Dense and Sequential is minikeras.Sequential
        assert layers is minikeras.layers
    finally:
        for k in [k for k in sys.modules if k == "keras" or k.startswith("keras.")]:
            del sys.modules[k]
        sys.modules.update(saved)
