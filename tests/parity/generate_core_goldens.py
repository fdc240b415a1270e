"""Write goldens for the core (Dense, fit/evaluate/predict trajectories) with real Keras 3.

Run in a separate virtualenv with `tensorflow-cpu` (Keras 3, TensorFlow backend):

    python tests/parity/generate_core_goldens.py

It writes `goldens/core_goldens.npz` (arrays) and `goldens/core_goldens.json`
(histories and evaluate results). minikeras is not imported here.
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
rng = np.random.default_rng(2024)
arrays, meta = {}, {"keras_version": keras.__version__, "tf_version": tf.__version__}


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype("float32")


# ----- Dense forward and gradients -----------------------------------------------
x = f32(5, 4)
w = f32(4, 3, scale=0.7)
b = f32(3, scale=0.1)
g = f32(5, 3)
arrays.update({"dense_x": x, "dense_w": w, "dense_b": b, "dense_g": g})
for act in ["linear", "relu", "sigmoid", "tanh", "softmax"]:
    layer = keras.layers.Dense(3, activation=act)
    layer.build((None, 4))
    layer.set_weights([w, b])
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out = layer(xt)
        scalar = tf.reduce_sum(out * g)
    gx, gw, gb = tape.gradient(scalar, [xt, layer.kernel, layer.bias])
    arrays[f"dense_{act}_out"] = out.numpy()
    arrays[f"dense_{act}_gx"] = gx.numpy()
    arrays[f"dense_{act}_gw"] = gw.numpy()
    arrays[f"dense_{act}_gb"] = gb.numpy()


# ----- fit trajectories with fixed initial weights -----------------------------------
def mlp(out_units, out_act, hidden=8, n_in=4):
    model = keras.Sequential([keras.Input((n_in,)), keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(out_units, activation=out_act)])
    return model


CASES = {
    "categorical_adam": dict(out=3, act="softmax", loss="categorical_crossentropy",
                             opt=("Adam", {"learning_rate": 0.01}), metrics=["accuracy"],
                             y="onehot"),
    "sparse_sgd_momentum": dict(out=3, act="softmax", loss="sparse_categorical_crossentropy",
                                opt=("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
                                metrics=["accuracy"], y="sparse"),
    "binary_rmsprop": dict(out=1, act="sigmoid", loss="binary_crossentropy",
                           opt=("RMSprop", {"learning_rate": 0.01}),
                           metrics=["accuracy"], y="binary"),
    "mse_sgd_val": dict(out=1, act="linear", loss="mse", opt=("SGD", {"learning_rate": 0.05}),
                        metrics=["mae"], y="regression", validation=True),
    "logits_adam": dict(out=3, act="linear", loss=("SparseCategoricalCrossentropy",
                                                   {"from_logits": True}),
                        opt=("Adam", {"learning_rate": 0.02}), metrics=["accuracy"], y="sparse"),
}

xs = rng.random((37, 4)).astype("float32")  # 37: the last batch of 8 is partial
labels = rng.integers(0, 3, 37)
targets = {
    "onehot": np.eye(3, dtype="float32")[labels],
    "sparse": labels.astype("int64"),
    "binary": (xs[:, 0] + xs[:, 1] > 1).astype("float32").reshape(-1, 1),
    "regression": (xs @ np.array([1.0, -2.0, 0.5, 3.0], "float32")).reshape(-1, 1),
}
arrays["fit_x"] = xs
for k, v in targets.items():
    arrays[f"fit_y_{k}"] = v

for name, case in CASES.items():
    model = mlp(case["out"], case["act"])
    init = [f32(*wt.shape, scale=0.5) for wt in model.get_weights()]
    model.set_weights(init)
    for i, arr in enumerate(init):
        arrays[f"{name}_init_{i}"] = arr
    opt_name, opt_kwargs = case["opt"]
    loss = case["loss"]
    if isinstance(loss, tuple):
        loss = getattr(keras.losses, loss[0])(**loss[1])
    model.compile(optimizer=getattr(keras.optimizers, opt_name)(**opt_kwargs), loss=loss,
                  metrics=case["metrics"])
    y = targets[case["y"]]
    kwargs = {}
    if case.get("validation"):
        kwargs["validation_data"] = (xs[:10], y[:10])
    hist = model.fit(xs, y, batch_size=8, epochs=3, shuffle=False, verbose=0, **kwargs)
    for i, arr in enumerate(model.get_weights()):
        arrays[f"{name}_final_{i}"] = arr
    arrays[f"{name}_pred"] = model.predict(xs, verbose=0)
    meta[name] = {
        "history": {k: [float(v) for v in vals] for k, vals in hist.history.items()},
        "evaluate": model.evaluate(xs, y, batch_size=8, verbose=0, return_dict=True),
        "n_weights": len(init),
    }
    meta[name]["evaluate"] = {k: float(v) for k, v in meta[name]["evaluate"].items()}

os.makedirs(OUT, exist_ok=True)
np.savez_compressed(os.path.join(OUT, "core_goldens.npz"), **arrays)
with open(os.path.join(OUT, "core_goldens.json"), "w") as fh:
    json.dump(meta, fh, indent=1, sort_keys=True)
print("wrote", len(arrays), "arrays;", ", ".join(CASES))
