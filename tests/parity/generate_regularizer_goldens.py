"""Write goldens for keras.regularizers and keras.constraints from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_regularizer_goldens.py

Regularizers: penalty and its gradient (tf.GradientTape) on fixed weights.
Constraints: projected weights. Plus each object's `get_config()` and
`serialize()`. Writes `goldens/regularizers.npz` and
`goldens/regularizers.json`.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")


def weights():
    rng = np.random.default_rng(42)
    dense = rng.normal(0, 1.5, (6, 4)).astype(np.float32)
    dense[2, 1] = 0.0
    dense[4, 3] = 25.0
    zero_row = dense.copy()
    zero_row[1] = 0.0  # a zero row/column exercises the epsilon guards
    zero_row[:, 2] = 0.0
    return {
        "dense": dense,
        "zero_row": zero_row,
        "tall": rng.normal(0, 0.3, (9, 3)).astype(np.float32),
        "conv": rng.normal(0, 0.8, (3, 3, 2, 4)).astype(np.float32),
        "vector": rng.normal(0, 2.0, (5,)).astype(np.float32),
        "small": (rng.normal(0, 0.01, (5, 3))).astype(np.float32),
    }


REGULARIZERS = [
    ("L1", {}, ["dense", "conv", "vector"]),
    ("L1", {"l1": 0.3}, ["dense"]),
    ("L2", {}, ["dense", "conv", "vector"]),
    ("L2", {"l2": 0.05}, ["dense"]),
    ("L1L2", {}, ["dense"]),
    ("L1L2", {"l1": 0.01, "l2": 0.02}, ["dense", "conv"]),
    ("L1L2", {"l1": 0.2}, ["vector"]),
    ("OrthogonalRegularizer", {}, ["dense", "tall", "zero_row"]),
    ("OrthogonalRegularizer", {"factor": 0.1, "mode": "columns"}, ["dense", "tall", "zero_row"]),
]

CONSTRAINTS = [
    ("MaxNorm", {}, ["dense", "conv", "small"]),
    ("MaxNorm", {"max_value": 1.5, "axis": 1}, ["dense", "zero_row"]),
    ("MaxNorm", {"max_value": 3, "axis": [0, 1, 2]}, ["conv"]),
    ("MinMaxNorm", {}, ["dense", "small"]),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 2.0, "rate": 0.7}, ["dense", "small", "zero_row"]),
    ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0, "axis": [0, 1, 2]}, ["conv"]),
    ("NonNeg", {}, ["dense", "conv", "vector"]),
    ("UnitNorm", {}, ["dense", "small"]),
    ("UnitNorm", {"axis": 1}, ["dense", "zero_row"]),
    ("UnitNorm", {"axis": [0, 1, 2]}, ["conv"]),
]


def main():
    ws = weights()
    arrays = {f"w_{k}": v for k, v in ws.items()}
    meta = {"keras_version": keras.__version__, "regularizers": [], "constraints": []}
    for i, (name, kwargs, targets) in enumerate(REGULARIZERS):
        reg = getattr(keras.regularizers, name)(**kwargs)
        for t in targets:
            x = tf.constant(ws[t])
            with tf.GradientTape() as tape:
                tape.watch(x)
                penalty = reg(x)
            grad = tape.gradient(penalty, x)
            key = f"reg{i}_{t}"
            arrays[key + "__penalty"] = np.asarray(penalty)
            # no gradient (a zero penalty factor) means zeros
            arrays[key + "__grad"] = np.zeros_like(ws[t]) if grad is None else grad.numpy()
            meta["regularizers"].append({"class_name": name, "kwargs": kwargs, "weight": t,
                                         "key": key, "config": reg.get_config(),
                                         "serialized": keras.regularizers.serialize(reg)})
    for i, (name, kwargs, targets) in enumerate(CONSTRAINTS):
        con = getattr(keras.constraints, name)(**kwargs)
        for t in targets:
            key = f"con{i}_{t}"
            arrays[key] = np.asarray(con(tf.constant(ws[t])))
            meta["constraints"].append({"class_name": name, "kwargs": kwargs, "weight": t,
                                        "key": key, "config": con.get_config(),
                                        "serialized": keras.constraints.serialize(con)})
    np.savez_compressed(os.path.join(OUT, "regularizers.npz"), **arrays)
    with open(os.path.join(OUT, "regularizers.json"), "w") as fh:
        json.dump(meta, fh, indent=1)


if __name__ == "__main__":
    main()
