"""Write goldens for keras.losses: values and y_pred-gradients from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_loss_goldens.py

Writes, next to this script:

- `goldens/loss_goldens.npz`: the inputs (`in/<input>/y_true`, `.../y_pred`,
  `sw/<input>/<weights>`), and for every case `case/<id>/value` and
  `case/<id>/grad` (d loss / d y_pred, with `tf.GradientTape`; for
  `reduction="none"` the gradient of the sum of the values).
  Function results are under `fn/<name>/value` and `fn/<name>/grad`.
- `goldens/loss_goldens.json`: the cases (loss class, constructor kwargs,
  input, sample-weight variant, reduction), the functions' cases, and the
  default `get_config()` of each loss class.
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
REDUCTIONS = ["sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"]

rng = np.random.default_rng(20240601)
B = 4


def f32(x):
    return np.asarray(x, dtype=np.float32)


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def onehot(labels, n):
    return np.eye(n, dtype=np.float32)[labels]


def unit_rows(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


# ----- inputs: name -> (y_true, y_pred, {weight variant: sample_weight}) -----
INPUTS = {}


def add_input(name, y_true, y_pred, weights):
    INPUTS[name] = (y_true, f32(y_pred), weights)


def per_sample(shape=(B,)):
    w = rng.uniform(0.0, 2.0, size=shape).astype(np.float32)
    w.flat[1] = 0.0  # a zero weight exercises mean_with_sample_weight
    return w


def std_weights(extra=None):
    w = {"none": None, "per_sample": per_sample(), "broadcast": per_sample((B, 1)),
         "scalar": f32(2.5)}
    w.update(extra or {})
    return w


reg_true = rng.normal(size=(B, 5))
reg_pred = reg_true + rng.normal(scale=1.2, size=(B, 5))
add_input("reg", f32(reg_true), reg_pred, std_weights())
# 3-D: per-sample values are (B, 3); weights per time step too.
add_input("reg3d", f32(rng.normal(size=(B, 3, 5))), rng.normal(size=(B, 3, 5)),
          {"none": None, "per_step": per_sample((B, 3)), "broadcast": per_sample((B, 1)),
           "per_step_expand": per_sample((B, 3, 1))})
# rank 1 labels against (B, 1) predictions: squeeze_or_expand_to_same_rank.
add_input("reg_rank1", f32(rng.normal(size=(B,))), rng.normal(size=(B, 1)),
          {"none": None, "per_sample": per_sample(), "broadcast": per_sample((B, 1))})
pos_true = rng.uniform(0.0, 3.0, size=(B, 5))
pos_true[0, 0] = 0.0
pos_pred = rng.uniform(0.05, 3.0, size=(B, 5))
pos_pred[1, 2] = -0.5  # below epsilon: MSLE clamps it
add_input("positive", f32(pos_true), pos_pred, std_weights())
huber_true = rng.normal(size=(B, 6))
huber_pred = huber_true + rng.choice([-3.0, -1.5, -0.7, -0.3, 0.2, 0.6, 1.2, 2.5], size=(B, 6))
add_input("huber", f32(huber_true), huber_pred, std_weights())
big = rng.normal(size=(B, 5)) * 3.0
big[0, 0] = 40.0  # log_cosh must not overflow
add_input("logcosh", f32(np.zeros((B, 5))), big, std_weights())
add_input("hinge_pm1", f32(rng.choice([-1.0, 1.0], size=(B, 5))), rng.normal(size=(B, 5)),
          std_weights())
add_input("hinge_01", f32(rng.choice([0.0, 1.0], size=(B, 5))), rng.normal(size=(B, 5)),
          std_weights())
cls_labels = np.array([0, 2, 1, 2])
probs = softmax(rng.normal(size=(B, 3)) * 1.5)
add_input("cat_probs", onehot(cls_labels, 3), probs, std_weights())
add_input("cat_unnorm", onehot(cls_labels, 3), rng.uniform(0.05, 1.0, size=(B, 3)),
          std_weights())
add_input("cat_logits", onehot(cls_labels, 3), rng.normal(size=(B, 3)) * 2.0, std_weights())
add_input("cat_axis1", onehot(rng.integers(0, 3, size=(B, 2)), 3).transpose(0, 2, 1),
          softmax(rng.normal(size=(B, 3, 2)), axis=1),
          {"none": None, "per_sample": per_sample(), "broadcast": per_sample((B, 1)),
           "per_step": per_sample((B, 2))})
add_input("kl", f32(softmax(rng.normal(size=(B, 4)))), softmax(rng.normal(size=(B, 4))),
          std_weights())
bin_true = rng.choice([0.0, 1.0], size=(B, 5))
bin_prob = rng.uniform(0.02, 0.98, size=(B, 5))
bin_prob[0, 0], bin_prob[1, 1] = 0.0, 1.0  # clipping at epsilon
add_input("bin_probs", f32(bin_true), bin_prob, std_weights())
add_input("bin_logits", f32(bin_true), rng.normal(size=(B, 5)) * 3.0, std_weights())
add_input("bin_rank1", f32(rng.choice([0.0, 1.0], size=(B,))), rng.uniform(0.05, 0.95, size=(B, 1)),
          {"none": None, "per_sample": per_sample(), "broadcast": per_sample((B, 1))})
add_input("bin_axis0", f32(rng.choice([0.0, 1.0], size=(5, B))), rng.uniform(0.05, 0.95, size=(5, B)),
          {"none": None, "per_sample": per_sample()})
add_input("sparse_probs", cls_labels.astype(np.int32), probs, std_weights())
add_input("sparse_col", cls_labels.reshape(B, 1).astype(np.int32), probs, std_weights())
add_input("sparse_logits", cls_labels.astype(np.int32), rng.normal(size=(B, 3)) * 2.0,
          std_weights())
seq_labels = rng.integers(0, 4, size=(B, 3)).astype(np.int32)
seq_labels[0, 0], seq_labels[2, 1] = 0, 0
add_input("sparse_seq", seq_labels, rng.normal(size=(B, 3, 4)),
          {"none": None, "per_step": per_sample((B, 3)), "broadcast": per_sample((B, 1))})
add_input("sparse_seq_probs", seq_labels, softmax(rng.normal(size=(B, 3, 4))),
          {"none": None, "per_step": per_sample((B, 3))})
ctc_labels = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0], [1, 3, 1, 2]], dtype=np.int32)
add_input("ctc", ctc_labels, rng.normal(size=(B, 9, 4)) * 1.5, std_weights())
seg_true = f32(rng.choice([0.0, 1.0], size=(B, 3, 3, 2)))
add_input("seg", seg_true, rng.uniform(0.0, 1.0, size=(B, 3, 3, 2)), std_weights())
add_input("seg2d", f32(rng.choice([0.0, 1.0], size=(B, 6))), rng.uniform(0.0, 1.0, size=(B, 6)),
          std_weights())
circle_labels = np.array([0, 1, 0, 1, 2, 2], dtype=np.int32)
add_input("circle", circle_labels, unit_rows(rng.normal(size=(6, 4))),
          {"none": None, "per_sample": per_sample((6,))})
add_input("circle_lonely", np.array([0, 1, 0, 2, 1, 3], dtype=np.int32),
          unit_rows(rng.normal(size=(6, 4))), {"none": None, "per_sample": per_sample((6,))})
add_input("gce", cls_labels.astype(np.int32), probs, std_weights())

# ----- loss cases: (case id, class name, kwargs, input) -------------------------
LOSSES = [
    ("mse", "MeanSquaredError", {}, "reg"),
    ("mse_3d", "MeanSquaredError", {}, "reg3d"),
    ("mse_rank1", "MeanSquaredError", {}, "reg_rank1"),
    ("mae", "MeanAbsoluteError", {}, "reg"),
    ("mae_3d", "MeanAbsoluteError", {}, "reg3d"),
    ("mape", "MeanAbsolutePercentageError", {}, "positive"),
    ("msle", "MeanSquaredLogarithmicError", {}, "positive"),
    ("cosine", "CosineSimilarity", {}, "reg"),
    ("cosine_3d", "CosineSimilarity", {}, "reg3d"),
    ("huber", "Huber", {}, "huber"),
    ("huber_d05", "Huber", {"delta": 0.5}, "huber"),
    ("huber_d2", "Huber", {"delta": 2.0}, "huber"),
    ("logcosh", "LogCosh", {}, "logcosh"),
    ("logcosh_reg", "LogCosh", {}, "reg"),
    ("hinge_pm1", "Hinge", {}, "hinge_pm1"),
    ("hinge_01", "Hinge", {}, "hinge_01"),
    ("sq_hinge_pm1", "SquaredHinge", {}, "hinge_pm1"),
    ("sq_hinge_01", "SquaredHinge", {}, "hinge_01"),
    ("cat_hinge", "CategoricalHinge", {}, "cat_logits"),
    ("kld", "KLDivergence", {}, "kl"),
    ("poisson", "Poisson", {}, "positive"),
    ("bce", "BinaryCrossentropy", {}, "bin_probs"),
    ("bce_logits", "BinaryCrossentropy", {"from_logits": True}, "bin_logits"),
    ("bce_smooth", "BinaryCrossentropy", {"label_smoothing": 0.1}, "bin_probs"),
    ("bce_logits_smooth", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2},
     "bin_logits"),
    ("bce_rank1", "BinaryCrossentropy", {}, "bin_rank1"),
    ("bce_axis0", "BinaryCrossentropy", {"axis": 0}, "bin_axis0"),
    ("bfce", "BinaryFocalCrossentropy", {}, "bin_probs"),
    ("bfce_balanced", "BinaryFocalCrossentropy",
     {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5}, "bin_probs"),
    ("bfce_logits", "BinaryFocalCrossentropy", {"from_logits": True, "gamma": 3.0}, "bin_logits"),
    ("bfce_smooth", "BinaryFocalCrossentropy",
     {"label_smoothing": 0.1, "apply_class_balancing": True}, "bin_probs"),
    ("cce", "CategoricalCrossentropy", {}, "cat_probs"),
    ("cce_unnorm", "CategoricalCrossentropy", {}, "cat_unnorm"),
    ("cce_logits", "CategoricalCrossentropy", {"from_logits": True}, "cat_logits"),
    ("cce_smooth", "CategoricalCrossentropy", {"label_smoothing": 0.2}, "cat_probs"),
    ("cce_logits_smooth", "CategoricalCrossentropy",
     {"from_logits": True, "label_smoothing": 0.1}, "cat_logits"),
    ("cce_axis1", "CategoricalCrossentropy", {"axis": 1}, "cat_axis1"),
    ("cce_logits_axis1", "CategoricalCrossentropy", {"axis": 1, "from_logits": True}, "cat_axis1"),
    ("cfce", "CategoricalFocalCrossentropy", {}, "cat_probs"),
    ("cfce_unnorm", "CategoricalFocalCrossentropy", {"alpha": 0.5, "gamma": 1.0}, "cat_unnorm"),
    ("cfce_logits", "CategoricalFocalCrossentropy", {"from_logits": True}, "cat_logits"),
    ("cfce_smooth", "CategoricalFocalCrossentropy", {"label_smoothing": 0.1}, "cat_probs"),
    ("scce", "SparseCategoricalCrossentropy", {}, "sparse_probs"),
    ("scce_col", "SparseCategoricalCrossentropy", {}, "sparse_col"),
    ("scce_logits", "SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("scce_ignore", "SparseCategoricalCrossentropy", {"ignore_class": 2}, "sparse_probs"),
    ("scce_seq", "SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_seq"),
    ("scce_seq_ignore", "SparseCategoricalCrossentropy",
     {"from_logits": True, "ignore_class": 0}, "sparse_seq"),
    ("scce_seq_probs_ignore", "SparseCategoricalCrossentropy", {"ignore_class": 0},
     "sparse_seq_probs"),
    ("ctc", "CTC", {}, "ctc"),
    ("dice", "Dice", {}, "seg"),
    ("dice_axis", "Dice", {"axis": (1, 2, 3)}, "seg"),
    ("dice_2d_axis", "Dice", {"axis": -1}, "seg2d"),
    ("tversky", "Tversky", {}, "seg"),
    ("tversky_ab", "Tversky", {"alpha": 0.7, "beta": 0.3, "axis": (1, 2, 3)}, "seg"),
    ("tversky_2d_axis", "Tversky", {"alpha": 0.2, "beta": 0.8, "axis": -1}, "seg2d"),
    ("circle", "Circle", {}, "circle"),
    ("circle_lonely", "Circle", {"gamma": 16.0, "margin": 0.25}, "circle_lonely"),
    ("circle_diag", "Circle", {"gamma": 10.0, "remove_diagonal": False}, "circle"),
    ("gce", "CategoricalGeneralizedCrossEntropy", {}, "gce"),
    ("gce_q07", "CategoricalGeneralizedCrossEntropy", {"q": 0.7}, "gce"),
]

# Public functions (Keras 3 and tf.keras names): (name, input, kwargs).
FUNCTIONS = [
    ("mean_squared_error", "reg", {}), ("mean_absolute_error", "reg", {}),
    ("mean_absolute_percentage_error", "positive", {}),
    ("mean_squared_logarithmic_error", "positive", {}),
    ("cosine_similarity", "reg", {}), ("cosine_similarity", "reg3d", {"axis": 1}),
    ("huber", "huber", {}), ("huber", "huber", {"delta": 0.4}),
    ("log_cosh", "logcosh", {}), ("hinge", "hinge_01", {}), ("squared_hinge", "hinge_pm1", {}),
    ("categorical_hinge", "cat_logits", {}), ("kl_divergence", "kl", {}),
    ("poisson", "positive", {}),
    ("binary_crossentropy", "bin_probs", {}),
    ("binary_crossentropy", "bin_logits", {"from_logits": True, "label_smoothing": 0.3}),
    ("binary_focal_crossentropy", "bin_probs", {"apply_class_balancing": True}),
    ("categorical_crossentropy", "cat_probs", {}),
    ("categorical_crossentropy", "cat_logits", {"from_logits": True, "label_smoothing": 0.3}),
    ("categorical_focal_crossentropy", "cat_logits", {"from_logits": True}),
    ("sparse_categorical_crossentropy", "sparse_probs", {}),
    ("sparse_categorical_crossentropy", "sparse_seq", {"from_logits": True, "ignore_class": 0}),
    ("ctc", "ctc", {}), ("dice", "seg", {}), ("tversky", "seg", {"alpha": 0.3, "beta": 0.7}),
    ("circle", "circle", {}), ("categorical_generalized_cross_entropy", "gce", {"q": 0.5}),
    # tf.keras aliases
    ("mse", "reg", {}), ("MSE", "reg", {}), ("mae", "reg", {}), ("MAE", "reg", {}),
    ("mape", "positive", {}), ("MAPE", "positive", {}), ("msle", "positive", {}),
    ("MSLE", "positive", {}), ("kld", "kl", {}), ("KLD", "kl", {}),
    ("kullback_leibler_divergence", "kl", {}), ("logcosh", "logcosh", {}),
]


def to_tf(x, dtype="float32"):
    return tf.constant(np.asarray(x), dtype=dtype)


def run_class(cls_name, kwargs, inp, weights, reduction):
    y_true, y_pred, _ = INPUTS[inp]
    loss = getattr(keras.losses, cls_name)(reduction=reduction, **kwargs)
    yp = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        value = loss(y_true, yp, sample_weight=weights)
        target = tf.reduce_sum(value)
    grad = tape.gradient(target, yp)
    grad = np.zeros_like(y_pred) if grad is None else grad.numpy()
    return np.asarray(value, dtype=np.float32), grad.astype(np.float32)


def run_function(name, kwargs, inp):
    y_true, y_pred, _ = INPUTS[inp]
    fn = getattr(keras.losses, name, None) or getattr(tf.keras.losses, name)
    yp = tf.Variable(y_pred)
    with tf.GradientTape() as tape:
        value = fn(to_tf(y_true, "int32" if y_true.dtype.kind == "i" else "float32"), yp, **kwargs)
        target = tf.reduce_sum(value)
    return np.asarray(value, dtype=np.float32), tape.gradient(target, yp).numpy()


def main():
    arrays = {}
    for name, (y_true, y_pred, weights) in INPUTS.items():
        arrays[f"in/{name}/y_true"] = y_true
        arrays[f"in/{name}/y_pred"] = y_pred
        for wname, w in weights.items():
            if w is not None:
                arrays[f"sw/{name}/{wname}"] = np.asarray(w, dtype=np.float32)

    cases = []
    for case_id, cls_name, kwargs, inp in LOSSES:
        for wname, w in INPUTS[inp][2].items():
            for reduction in REDUCTIONS:
                cid = f"{case_id}/{wname}/{reduction}"
                case = {"id": cid, "class": cls_name, "kwargs": kwargs, "input": inp,
                        "weights": wname, "reduction": reduction}
                try:
                    value, grad = run_class(cls_name, kwargs, inp, w, reduction)
                except (tf.errors.InvalidArgumentError, ValueError) as e:
                    # Keras rejects these weights for these losses: so must we.
                    case["error"] = type(e).__name__
                else:
                    arrays[f"case/{cid}/value"] = value
                    arrays[f"case/{cid}/grad"] = grad
                cases.append(case)

    functions = []
    for i, (name, inp, kwargs) in enumerate(FUNCTIONS):
        fid = f"{name}_{i}"
        value, grad = run_function(name, kwargs, inp)
        arrays[f"fn/{fid}/value"] = value
        arrays[f"fn/{fid}/grad"] = grad.astype(np.float32)
        functions.append({"id": fid, "name": name, "input": inp, "kwargs": kwargs})

    configs = {}
    for cls_name in sorted({c[1] for c in LOSSES}):
        config = getattr(keras.losses, cls_name)().get_config()
        configs[cls_name] = {k: (list(v) if isinstance(v, tuple) else v)
                             for k, v in config.items()}

    meta = {"keras": keras.__version__, "tensorflow": tf.__version__,
            "cases": cases, "functions": functions, "configs": configs}
    for c in meta["cases"] + meta["functions"]:
        c["kwargs"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in c["kwargs"].items()}
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, "loss_goldens.npz"), **arrays)
    with open(os.path.join(OUT, "loss_goldens.json"), "w") as fh:
        json.dump(meta, fh, indent=1, sort_keys=True)
    print(f"{sum('error' in c for c in cases)} error cases")
    print(f"{len(cases)} loss cases, {len(functions)} function cases -> {OUT}")


if __name__ == "__main__":
    main()
