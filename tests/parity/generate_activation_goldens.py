"""Write goldens for keras.activations: outputs and input gradients from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_activation_goldens.py

Writes `goldens/activations.npz` (inputs, cotangents, outputs, gradients)
and `goldens/activations.json` (the cases: function name and keyword
arguments). The gradient is d/dx sum(f(x) * w) for a fixed cotangent `w`,
taken with `tf.GradientTape`.
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

# (case name, function, kwargs); positional extras go in kwargs too.
CASES = [
    ("relu", "relu", {}),
    ("relu_slope", "relu", {"negative_slope": 0.1}),
    ("relu_max6", "relu", {"max_value": 6.0}),
    ("relu_max5", "relu", {"max_value": 5.0}),
    ("relu_threshold", "relu", {"threshold": 2.0}),
    ("relu_all", "relu", {"negative_slope": 0.1, "max_value": 5.0, "threshold": 1.0}),
    ("relu_slope_max", "relu", {"negative_slope": 0.25, "max_value": 6.0}),
    ("leaky_relu", "leaky_relu", {}),
    ("leaky_relu_03", "leaky_relu", {"negative_slope": 0.3}),
    ("relu6", "relu6", {}),
    ("sigmoid", "sigmoid", {}),
    ("tanh", "tanh", {}),
    ("softmax", "softmax", {}),
    ("softmax_axis0", "softmax", {"axis": 0}),
    ("log_softmax", "log_softmax", {}),
    ("log_softmax_axis0", "log_softmax", {"axis": 0}),
    ("linear", "linear", {}),
    ("elu", "elu", {}),
    ("elu_05", "elu", {"alpha": 0.5}),
    ("selu", "selu", {}),
    ("gelu", "gelu", {}),
    ("gelu_approx", "gelu", {"approximate": True}),
    ("silu", "silu", {}),
    ("swish", "swish", {}),
    ("softplus", "softplus", {}),
    ("softsign", "softsign", {}),
    ("hard_sigmoid", "hard_sigmoid", {}),
    ("hard_silu", "hard_silu", {}),
    ("hard_swish", "hard_swish", {}),
    ("mish", "mish", {}),
    ("exponential", "exponential", {}),
    ("celu", "celu", {}),
    ("celu_2", "celu", {"alpha": 2.0}),
    ("glu", "glu", {}),
    ("glu_axis0", "glu", {"axis": 0}),
    ("hard_shrink", "hard_shrink", {}),
    ("hard_shrink_1", "hard_shrink", {"threshold": 1.0}),
    ("hard_tanh", "hard_tanh", {}),
    ("log_sigmoid", "log_sigmoid", {}),
    ("soft_shrink", "soft_shrink", {}),
    ("soft_shrink_1", "soft_shrink", {"threshold": 1.0}),
    ("sparsemax", "sparsemax", {}),
    ("sparsemax_axis0", "sparsemax", {"axis": 0}),
    ("squareplus", "squareplus", {}),
    ("squareplus_b1", "squareplus", {"b": 1}),
    ("tanh_shrink", "tanh_shrink", {}),
    ("threshold", "threshold", {"threshold": 0.5, "default_value": -1.0}),
    ("sparse_plus", "sparse_plus", {}),
    ("sparse_sigmoid", "sparse_sigmoid", {}),
]


def inputs():
    # kinks and thresholds exactly (0, +-0.5, +-1, +-3, 6), tiny and large
    # magnitudes, and random values in between; 4 rows for the axis cases.
    special = np.array(
        [-100, -30, -20, -10, -6, -5, -3, -2.5, -1, -0.7, -0.5, -0.2, -1e-3,
         -1e-6, 0, 1e-6, 1e-3, 0.2, 0.5, 0.7, 1, 2.5, 3, 5, 6, 10, 20, 30,
         50, 88], dtype=np.float32)
    rng = np.random.default_rng(0)
    rows = [special,
            rng.normal(0, 3, special.size),
            rng.normal(0, 0.5, special.size),
            rng.uniform(-8, 8, special.size)]
    return np.stack(rows).astype(np.float32)


def main():
    x = inputs()
    rng = np.random.default_rng(1)
    arrays = {"x": x}
    for name, fn, kwargs in CASES:
        f = getattr(keras.activations, fn)
        xt = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            y = f(xt, **kwargs)
            w = tf.constant(rng.normal(size=tuple(y.shape)).astype(np.float32))
            loss = tf.reduce_sum(y * w)
        g = tape.gradient(loss, xt)
        g = np.zeros_like(x) if g is None else g.numpy()
        arrays[name + "__w"] = w.numpy()
        arrays[name + "__y"] = np.asarray(y)
        arrays[name + "__g"] = g
    np.savez_compressed(os.path.join(OUT, "activations.npz"), **arrays)
    meta = {"keras_version": keras.__version__, "tf_version": tf.__version__,
            "cases": [{"name": n, "fn": f, "kwargs": k} for n, f, k in CASES]}
    with open(os.path.join(OUT, "activations.json"), "w") as fh:
        json.dump(meta, fh, indent=1)


if __name__ == "__main__":
    main()
