"""Write the Keras-made files that tests/saving loads (run with real Keras 3).

Usage (in a virtualenv with keras 3 + tensorflow-cpu + h5py):

    python tests/parity/generate_saving_fixtures.py

Writes small `.keras`, `.weights.h5` and legacy `.h5` files into
`tests/saving/fixtures/`, plus `expected.npz` holding each model's inputs and
Keras's predictions (and, for the mid-training model, the next training batch
and the weights after Keras takes that step). This script must not import
minikeras.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "saving", "fixtures")
L = keras.layers


@keras.saving.register_keras_serializable(package="MiniKerasTest", name="TwoDense")
class TwoDense(keras.Model):
    """The registered subclassed model; tests/saving defines the same one."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = L.Dense(units, activation="relu")
        self.out = L.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def deflate(path):
    """Re-zip a `.keras` archive with compression (HDF5 padding shrinks ~10x).

    Keras writes members uncompressed; a deflated archive is just as valid and
    keeps the committed fixtures small.
    """
    import zipfile
    with zipfile.ZipFile(path) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)


def rand(*shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32")


def main():
    os.makedirs(OUT, exist_ok=True)
    keras.utils.set_random_seed(42)
    expected = {}

    def record(name, model, x):
        path = os.path.join(OUT, f"{name}.keras")
        model.save(path)
        deflate(path)
        xs = x if isinstance(x, list) else [x]
        ys = model.predict(x, verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        for i, v in enumerate(xs):
            expected[f"{name}/x{i}"] = v
        for i, v in enumerate(ys):
            expected[f"{name}/y{i}"] = np.asarray(v)
        # Reloading in Keras must give the same predictions (sanity of the fixture).
        again = keras.saving.load_model(path)
        ya = again.predict(x, verbose=0)
        ya = ya if isinstance(ya, list) else [ya]
        for a, b in zip(ys, ya):
            np.testing.assert_allclose(a, b, atol=1e-6)

    # Dense MLP (also as a .weights.h5 file).
    mlp = keras.Sequential([keras.Input((4,)), L.Dense(8, activation="relu"),
                            L.Dense(3, activation="softmax")], name="mlp")
    record("mlp", mlp, rand(5, 4, seed=1))
    mlp.save_weights(os.path.join(OUT, "mlp.weights.h5"))

    # Multi-input, multi-output Functional model with a shared layer.
    a, b = keras.Input((3,), name="in_a"), keras.Input((3,), name="in_b")
    shared = L.Dense(4, activation="relu", name="shared")
    out_a = L.Dense(2, name="out_a")(shared(a))
    out_b = L.Dense(1, name="out_b")(shared(b))
    multi = keras.Model([a, b], [out_a, out_b], name="multi")
    record("functional_multi", multi, [rand(4, 3, seed=2), rand(4, 3, seed=3)])

    # Multi-input Functional model merged by Concatenate.
    a, b = keras.Input((3,), name="left"), keras.Input((2,), name="right")
    x = L.Concatenate()([L.Dense(4, activation="tanh")(a), b])
    concat = keras.Model([a, b], L.Dense(2)(x), name="concat")
    record("functional_concat", concat, [rand(4, 3, seed=4), rand(4, 2, seed=5)])

    # Registered subclassed model.
    sub = TwoDense(units=5, name="two_dense")
    sub(rand(2, 3, seed=6))
    record("subclassed", sub, rand(4, 3, seed=7))

    # A model mid-training: Adam state saved; the test takes the next step.
    train = keras.Sequential([keras.Input((3,)), L.Dense(5, activation="tanh"), L.Dense(1)],
                             name="train")
    train.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    xt, yt = rand(8, 3, seed=8), rand(8, 1, seed=9)
    train.fit(xt, yt, batch_size=4, epochs=2, verbose=0, shuffle=False)
    record("training", train, xt)
    xn, yn = rand(4, 3, seed=10), rand(4, 1, seed=11)
    expected["training/next_x"], expected["training/next_y"] = xn, yn
    train2 = keras.saving.load_model(os.path.join(OUT, "training.keras"))
    logs = train2.train_on_batch(xn, yn, return_dict=True)
    expected["training/next_loss"] = np.float32(logs["loss"])
    for i, w in enumerate(train2.get_weights()):
        expected[f"training/next_w{i}"] = w
    expected["training/iterations"] = np.int64(train2.optimizer.iterations.numpy())

    # CNN.
    cnn = keras.Sequential([keras.Input((6, 6, 2)), L.Conv2D(3, 3, activation="relu"),
                            L.MaxPooling2D(2), L.Flatten(), L.Dense(2)], name="cnn")
    record("cnn", cnn, rand(2, 6, 6, 2, seed=12))

    # LSTM.
    lstm = keras.Sequential([keras.Input((5, 3)), L.LSTM(4), L.Dense(1)], name="lstm")
    record("lstm", lstm, rand(2, 5, 3, seed=13))

    # BatchNormalization, trained so its moving statistics are not the defaults.
    bn = keras.Sequential([keras.Input((4,)), L.Dense(6), L.BatchNormalization(), L.Dense(1)],
                          name="bn")
    bn.compile(optimizer="sgd", loss="mse")
    bn.fit(rand(16, 4, seed=14) * 3 + 1, rand(16, 1, seed=15), epochs=2, verbose=0)
    record("bn", bn, rand(3, 4, seed=16))

    # A Lambda layer: loading must refuse it unless safe_mode=False.
    lam = keras.Sequential([keras.Input((2,)), L.Lambda(lambda t: t * 2.0), L.Dense(1)],
                           name="lam")
    lam.save(os.path.join(OUT, "lambda.keras"))
    deflate(os.path.join(OUT, "lambda.keras"))

    # Legacy .h5 written by Keras 3 (compiled, trained).
    legacy = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="relu"), L.Dense(2)],
                              name="legacy")
    legacy.compile(optimizer="adam", loss="mse")
    legacy.fit(rand(6, 4, seed=17), rand(6, 2, seed=18), epochs=1, verbose=0)
    legacy.save(os.path.join(OUT, "legacy_keras3.h5"))
    xl = rand(3, 4, seed=19)
    expected["legacy_keras3/x0"], expected["legacy_keras3/y0"] = xl, legacy.predict(xl, verbose=0)

    write_keras2_file(os.path.join(OUT, "legacy_keras2.h5"), expected)

    # Keras 3's own npz weights store (pickled objects): must be refused.
    from keras.src.saving import saving_lib
    saving_lib.save_model(keras.Sequential([keras.Input((2,)), L.Dense(1)]),
                          os.path.join(OUT, "keras_npz_store.keras"), weights_format="npz")

    np.savez_compressed(os.path.join(OUT, "expected.npz"), **expected)
    print("wrote", sorted(os.listdir(OUT)))


def write_keras2_file(path, expected):
    """A Keras 2 (tf.keras 2.x) full-model `.h5`, in that version's exact layout."""
    kernel1, bias1 = rand(4, 3, seed=20), rand(3, seed=21)
    kernel2, bias2 = rand(3, 2, seed=22), rand(2, seed=23)
    init = {"class_name": "GlorotUniform", "config": {"seed": None}}
    zeros = {"class_name": "Zeros", "config": {}}

    def dense(name, units, activation, extra=None):
        cfg = {"name": name, "trainable": True, "dtype": "float32", "units": units,
               "activation": activation, "use_bias": True, "kernel_initializer": init,
               "bias_initializer": zeros, "kernel_regularizer": None,
               "bias_regularizer": None, "activity_regularizer": None,
               "kernel_constraint": None, "bias_constraint": None}
        cfg.update(extra or {})
        return {"class_name": "Dense", "config": cfg}

    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4],
                                                "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "dense_input"}},
        dense("dense", 3, "relu", {"batch_input_shape": [None, 4]}),
        dense("dense_1", 2, "linear")]}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.15.0"
        for name, (k, b) in (("dense", (kernel1, bias1)), ("dense_1", (kernel2, bias2))):
            lg = g.create_group(name)
            lg.attrs["weight_names"] = np.array([f"{name}/kernel:0".encode(),
                                                 f"{name}/bias:0".encode()])
            lg.create_dataset(f"{name}/kernel:0", data=k)
            lg.create_dataset(f"{name}/bias:0", data=b)
    # Keras 3 reads this file; its predictions are the expected ones.
    model = keras.saving.load_model(path, compile=False)
    x = rand(3, 4, seed=24)
    expected["legacy_keras2/x0"], expected["legacy_keras2/y0"] = x, model.predict(x, verbose=0)
    np.testing.assert_allclose(expected["legacy_keras2/y0"],
                               np.maximum(x @ kernel1 + bias1, 0) @ kernel2 + bias2, atol=1e-5)


if __name__ == "__main__":
    main()
