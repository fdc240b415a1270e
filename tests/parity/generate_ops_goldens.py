"""Write goldens for keras.ops / keras.backend from real Keras 3 (TensorFlow backend).

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_ops_goldens.py

The cases live in `ops_cases.py` (shared with the tests). For each family
it writes `goldens/ops_<family>.npz` (inputs, outputs, cotangents and input
gradients of `sum(out * w)` taken with `tf.GradientTape`) and
`goldens/ops_<family>.json` (per case: output dtypes, which gradients exist,
or the exception Keras raised).
"""
import json
import os
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
sys.path.insert(0, HERE)
from ops_cases import FAMILIES, flatten, make_input  # noqa: E402

K = tf.keras.backend


def to_numpy(t):
    if isinstance(t, (tf.Tensor, tf.Variable)):
        return t.numpy()
    if hasattr(t, "numpy"):
        return np.asarray(t.numpy())
    return np.asarray(t)


def run_case(name, expr, inputs, grads, arrays, meta):
    values = {k: make_input(k, spec, name) for k, spec in inputs.items()}
    for k, v in values.items():
        arrays[f"{name}/in/{k}"] = v
    tensors = {k: tf.constant(v) for k, v in values.items()}
    ns = {"ops": keras.ops, "K": K, "np": np, **tensors}
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    try:
        with tf.GradientTape(persistent=True) as tape:
            for g in grads:
                tape.watch(tensors[g])
            out = eval(expr, ns)
            flat = flatten(out)
            loss = None
            weights = []
            for t in flat:
                arr = to_numpy(t)
                if arr.dtype.kind == "f" and isinstance(t, (tf.Tensor, tf.Variable)):
                    w = rng.standard_normal(arr.shape).astype(arr.dtype)
                    term = tf.reduce_sum(tf.cast(t, arr.dtype) * w)
                    loss = term if loss is None else loss + tf.cast(term, loss.dtype)
                else:
                    w = None
                weights.append(w)
    except Exception as e:  # record what Keras raised, the tests expect the same type
        meta[name] = {"error": type(e).__name__, "message": str(e)[:200]}
        print(f"  {name}: raises {type(e).__name__}: {str(e)[:100]}")
        return
    dtypes = []
    for i, (t, w) in enumerate(zip(flat, weights)):
        arr = to_numpy(t)
        arrays[f"{name}/out/{i}"] = arr
        dtypes.append(str(arr.dtype))
        if w is not None:
            arrays[f"{name}/w/{i}"] = w
    have = []
    if loss is not None:
        for g in grads:
            try:
                gv = tape.gradient(loss, tensors[g])
            except Exception as e:  # TensorFlow has no (working) gradient for this op
                print(f"  {name}: no TF gradient for {g}: {str(e)[:80]}")
                continue
            if gv is not None:
                if isinstance(gv, tf.IndexedSlices):
                    gv = tf.convert_to_tensor(gv)
                arrays[f"{name}/grad/{g}"] = gv.numpy()
                have.append(g)
    meta[name] = {"dtypes": dtypes, "grads": have,
                  "no_tf_grad": [g for g in grads if g not in have]}


# ----- Keras 2-era training scripts, run with their Keras 3 spellings ---------------------
def _data(seed, n=32, d=4, classes=None):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype("float32")
    if classes:
        y = np.eye(classes, dtype="float32")[rng.integers(0, classes, n)]
    else:
        y = (x @ rng.standard_normal((d, 1)) + 0.1).astype("float32")
    return x, y


def _init(model, seed):
    rng = np.random.default_rng(seed)
    weights = [(rng.standard_normal(w.shape) * 0.5).astype("float32") for w in model.get_weights()]
    model.set_weights(weights)
    return weights


def compat_runs():
    """Training runs whose Keras 2 spelling the compat tests replay."""
    arrays, meta = {}, {}

    def record(name, model, init, history, x, y):
        for i, w in enumerate(init):
            arrays[f"{name}/init/{i}"] = w
        for i, w in enumerate(model.get_weights()):
            arrays[f"{name}/final/{i}"] = w
        arrays[f"{name}/x"], arrays[f"{name}/y"] = x, y
        meta[name] = {k: [float(v) for v in vals] for k, vals in history.history.items()}

    # 1. custom loss written with K functions, Adam(lr=0.01) in Keras 2.
    x, y = _data(1)
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1)])
    init = _init(model, 11)

    def k_mse(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=k_mse)
    h = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    record("custom_loss_adam", model, init, h, x, y)

    # 2. a Lambda layer made of K functions, metrics=['acc'].
    x, y = _data(2, classes=3)
    model = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(6),
        keras.layers.Lambda(lambda t: K.l2_normalize(t, axis=-1) * K.sigmoid(t)),
        keras.layers.Dense(3, activation="softmax")])
    init = _init(model, 22)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                  loss="categorical_crossentropy", metrics=["acc"])
    h = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    record("lambda_k_layer", model, init, h, x, y)

    # 3. a batch generator (fit_generator in Keras 2), RMSprop(lr=0.01).
    x, y = _data(3)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="tanh"),
                              keras.layers.Dense(1)])
    init = _init(model, 33)

    def batches():
        while True:
            for i in range(0, 32, 8):
                yield x[i:i + 8], y[i:i + 8]
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    h = model.fit(batches(), steps_per_epoch=4, epochs=2, verbose=0)
    record("generator_rmsprop", model, init, h, x, y)

    # 4. plain fit that the custom GradientTape loop must reproduce.
    x, y = _data(4, classes=2)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    init = _init(model, 44)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    record("fit_for_custom_loop", model, init, h, x, y)

    np.savez_compressed(os.path.join(OUT, "ops_compat.npz"), **arrays)
    with open(os.path.join(OUT, "ops_compat.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "runs": meta}, f, indent=1, sort_keys=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    compat_runs()
    for family, cases in FAMILIES.items():
        arrays, meta = {}, {}
        print(f"{family}: {len(cases)} cases")
        for name, expr, inputs, grads, _opts in cases:
            run_case(name, expr, inputs, grads, arrays, meta)
        np.savez_compressed(os.path.join(OUT, f"ops_{family}.npz"), **arrays)
        with open(os.path.join(OUT, f"ops_{family}.json"), "w") as f:
            json.dump({"keras_version": keras.__version__, "tensorflow_version": tf.__version__,
                       "cases": meta}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
