"""Write goldens for `minikeras.metrics` from real Keras 3.

Run with a Python that has `keras` (3.x) and a backend installed, from any
directory:

    python tests/parity/generate_metric_goldens.py

Writes, next to this file:
    goldens/metric_inputs.npz   every input array (float32 / int32)
    goldens/metric_cases.json   per case: class, kwargs, batches (keys into
                                the npz), the result after each batch, after
                                `reset_state()`, and after one batch past the
                                reset; the Keras config; and function goldens.

Does not import minikeras.
"""
import json
import os
import warnings

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
rng = np.random.default_rng(20240611)
ARRAYS = {}


def put(name, arr):
    key = f"a{len(ARRAYS)}_{name}"
    ARRAYS[key] = np.asarray(arr)
    return key


def f32(*shape, low=0.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype(np.float32)


def with_exact(p):
    """Sprinkle exact threshold values (0, 0.25, 0.5, 1) into scores."""
    p = p.copy()
    flat = p.reshape(-1)
    idx = rng.choice(flat.size, size=min(4, flat.size), replace=False)
    flat[idx] = np.array([0.0, 0.25, 0.5, 1.0], np.float32)[: len(idx)]
    return p


def binary(*shape):
    return rng.integers(0, 2, size=shape).astype(np.float32)


def one_hot(n, c):
    return np.eye(c, dtype=np.float32)[rng.integers(0, c, size=n)]


def softmax_probs(n, c):
    z = rng.normal(size=(n, c)).astype(np.float32)
    e = np.exp(z - z.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype(np.float32)


def weights(*shape, integer=False):
    if integer:
        return rng.integers(0, 4, size=shape).astype(np.float32)
    return rng.uniform(0.0, 2.0, size=shape).astype(np.float32)


CASES = []


def case(cid, cls, make_batch, kwargs=None, n_batches=3, sw=None, fn=None, fn_kwargs=None,
         values_only=False):
    """Record one metric over `n_batches` batches.

    `make_batch()` returns (y_true, y_pred); `sw(y_true, y_pred)` returns
    the batch's sample weights (or None).
    """
    CASES.append(dict(id=cid, cls=cls, kwargs=kwargs or {}, make_batch=make_batch,
                      n_batches=n_batches, sw=sw, fn=fn, fn_kwargs=fn_kwargs or {},
                      values_only=values_only))


def sw_rows(y_true, y_pred):
    return weights(y_pred.shape[0])


def sw_col(y_true, y_pred):
    return weights(y_pred.shape[0], 1)


def sw_full(y_true, y_pred):
    return weights(*y_pred.shape)


def sw_int_rows(y_true, y_pred):
    return weights(np.asarray(y_true).shape[0], integer=True)


N = 8
# ----- reduction metrics -------------------------------------------------------
for name, sw in (("plain", None), ("sw_rows", sw_rows), ("sw_col", sw_col), ("sw_full", sw_full)):
    case(f"Mean_{name}", "Mean", lambda: (None, f32(N, 3, low=-2, high=2)), sw=sw,
         values_only=True)
    case(f"Sum_{name}", "Sum", lambda: (None, f32(N, 3, low=-2, high=2)), sw=sw,
         values_only=True)
case("Mean_1d_sw", "Mean", lambda: (None, f32(N, low=-2, high=2)), sw=sw_rows, values_only=True)
case("MeanMetricWrapper_binacc", "MeanMetricWrapper", lambda: (binary(N, 1), f32(N, 1)),
     sw=sw_rows, fn="binary_accuracy", fn_kwargs={"threshold": 0.3})
case("MeanMetricWrapper_mse", "MeanMetricWrapper", lambda: (f32(N, 4), f32(N, 4)),
     fn="mean_squared_error")

# ----- accuracy family ------------------------------------------------------------
case("Accuracy", "Accuracy", lambda: (rng.integers(0, 3, (N, 1)).astype(np.float32),
                                      rng.integers(0, 3, (N, 1)).astype(np.float32)), sw=sw_rows)
case("Accuracy_1d", "Accuracy", lambda: (rng.integers(0, 3, N).astype(np.int32),
                                         rng.integers(0, 3, (N, 1)).astype(np.float32)))
for name, sw in (("plain", None), ("sw", sw_rows)):
    case(f"BinaryAccuracy_{name}", "BinaryAccuracy", lambda: (binary(N, 1), with_exact(f32(N, 1))),
         sw=sw)
    case(f"BinaryAccuracy_multi_{name}", "BinaryAccuracy",
         lambda: (binary(N, 3), with_exact(f32(N, 3))), kwargs={"threshold": 0.7}, sw=sw)
    case(f"CategoricalAccuracy_{name}", "CategoricalAccuracy",
         lambda: (one_hot(N, 5), softmax_probs(N, 5)), sw=sw)
    case(f"SparseCategoricalAccuracy_{name}", "SparseCategoricalAccuracy",
         lambda: (rng.integers(0, 5, N).astype(np.int32), softmax_probs(N, 5)), sw=sw)
    case(f"SparseCategoricalAccuracy_col_{name}", "SparseCategoricalAccuracy",
         lambda: (rng.integers(0, 5, (N, 1)).astype(np.float32), softmax_probs(N, 5)), sw=sw)
    case(f"TopKCategoricalAccuracy_{name}", "TopKCategoricalAccuracy",
         lambda: (one_hot(N, 6), softmax_probs(N, 6)), kwargs={"k": 2}, sw=sw)
    case(f"SparseTopKCategoricalAccuracy_{name}", "SparseTopKCategoricalAccuracy",
         lambda: (rng.integers(0, 6, N).astype(np.int32), softmax_probs(N, 6)),
         kwargs={"k": 3}, sw=sw)
case("TopKCategoricalAccuracy_default", "TopKCategoricalAccuracy",
     lambda: (one_hot(N, 8), softmax_probs(N, 8)))
case("SparseTopKCategoricalAccuracy_sorted_ids", "SparseTopKCategoricalAccuracy",
     lambda: (rng.integers(0, 6, N).astype(np.int32),
              np.argsort(-softmax_probs(N, 6), axis=-1).astype(np.int32)),
     kwargs={"k": 2, "from_sorted_ids": True})
case("SparseCategoricalAccuracy_seq", "SparseCategoricalAccuracy",
     lambda: (rng.integers(0, 4, (N, 5)).astype(np.int32),
              f32(N, 5, 4)), sw=lambda t, p: weights(N, 5))
case("CategoricalAccuracy_seq_sw_rows", "CategoricalAccuracy",
     lambda: (np.eye(4, dtype=np.float32)[rng.integers(0, 4, (N, 5))], f32(N, 5, 4)),
     sw=sw_rows)

# ----- regression -----------------------------------------------------------------
for cls in ("MeanSquaredError", "RootMeanSquaredError", "MeanAbsoluteError",
            "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "LogCoshError",
            "CosineSimilarity"):
    case(f"{cls}_plain", cls, lambda: (f32(N, 4, low=-1, high=2), f32(N, 4, low=-1, high=2)))
    case(f"{cls}_sw", cls, lambda: (f32(N, 4, low=-1, high=2), f32(N, 4, low=-1, high=2)),
         sw=sw_rows)
case("MeanSquaredError_1d_vs_col", "MeanSquaredError", lambda: (f32(N), f32(N, 1)), sw=sw_rows)
case("RootMeanSquaredError_sw_full", "RootMeanSquaredError", lambda: (f32(N, 3), f32(N, 3)),
     sw=sw_full)
case("CosineSimilarity_axis0", "CosineSimilarity", lambda: (f32(N, 4), f32(N, 4)),
     kwargs={"axis": 0})
case("LogCoshError_large", "LogCoshError",
     lambda: (f32(N, 3, low=-30, high=30), f32(N, 3, low=-30, high=30)))
for agg in ("uniform_average", "variance_weighted_average", None):
    case(f"R2Score_{agg}", "R2Score", lambda: (f32(N, 3, low=-1, high=2), f32(N, 3, low=-1, high=2)),
         kwargs={"class_aggregation": agg}, sw=sw_rows)
case("R2Score_adjusted", "R2Score", lambda: (f32(N, 2), f32(N, 2)), kwargs={"num_regressors": 3})
case("R2Score_1d", "R2Score", lambda: (f32(N, 1), f32(N)))

# ----- probabilistic and hinge -------------------------------------------------------
case("KLDivergence", "KLDivergence", lambda: (softmax_probs(N, 4), softmax_probs(N, 4)), sw=sw_rows)
case("Poisson", "Poisson", lambda: (f32(N, 3, high=3), f32(N, 3, high=3)), sw=sw_rows)
case("BinaryCrossentropy", "BinaryCrossentropy", lambda: (binary(N, 3), with_exact(f32(N, 3))),
     sw=sw_rows)
case("BinaryCrossentropy_logits_ls", "BinaryCrossentropy",
     lambda: (binary(N, 3), f32(N, 3, low=-4, high=4)),
     kwargs={"from_logits": True, "label_smoothing": 0.1}, sw=sw_rows)
case("CategoricalCrossentropy", "CategoricalCrossentropy",
     lambda: (one_hot(N, 5), softmax_probs(N, 5)), sw=sw_rows)
case("CategoricalCrossentropy_logits_ls", "CategoricalCrossentropy",
     lambda: (one_hot(N, 5), f32(N, 5, low=-3, high=3)),
     kwargs={"from_logits": True, "label_smoothing": 0.2})
case("SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy",
     lambda: (rng.integers(0, 5, N).astype(np.int32), softmax_probs(N, 5)), sw=sw_rows)
case("SparseCategoricalCrossentropy_logits", "SparseCategoricalCrossentropy",
     lambda: (rng.integers(0, 5, (N, 1)).astype(np.int32), f32(N, 5, low=-3, high=3)),
     kwargs={"from_logits": True})
case("SparseCategoricalCrossentropy_ignore", "SparseCategoricalCrossentropy",
     lambda: (rng.integers(0, 5, N).astype(np.int32), softmax_probs(N, 5)),
     kwargs={"ignore_class": 2}, sw=sw_rows)
case("Hinge_01", "Hinge", lambda: (binary(N, 3), f32(N, 3, low=-2, high=2)), sw=sw_rows)
case("Hinge_pm1", "Hinge", lambda: (2 * binary(N, 3) - 1, f32(N, 3, low=-2, high=2)))
case("SquaredHinge_01", "SquaredHinge", lambda: (binary(N, 3), f32(N, 3, low=-2, high=2)),
     sw=sw_rows)
case("CategoricalHinge", "CategoricalHinge", lambda: (one_hot(N, 4), f32(N, 4, low=-2, high=2)),
     sw=sw_rows)
case("PearsonCorrelation", "PearsonCorrelation", lambda: (f32(N, 5), f32(N, 5)), sw=sw_rows)
case("ConcordanceCorrelation", "ConcordanceCorrelation", lambda: (f32(N, 5), f32(N, 5)),
     sw=sw_rows)
case("PearsonCorrelation_axis0", "PearsonCorrelation", lambda: (f32(N, 5), f32(N, 5)),
     kwargs={"axis": 0})

# ----- confusion-matrix metrics --------------------------------------------------------
M = 16
for cls in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"):
    case(f"{cls}_default", cls, lambda: (binary(M), with_exact(f32(M))), sw=sw_rows)
    case(f"{cls}_list", cls, lambda: (binary(M, 2), with_exact(f32(M, 2))),
         kwargs={"thresholds": [0.2, 0.5, 0.8]}, sw=sw_rows)
    case(f"{cls}_even", cls, lambda: (binary(M, 1), with_exact(f32(M, 1))),
         kwargs={"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, sw=sw_col)
for cls in ("Precision", "Recall"):
    case(f"{cls}_default", cls, lambda: (binary(M), with_exact(f32(M))), sw=sw_rows)
    case(f"{cls}_default_plain", cls, lambda: (binary(M, 1), f32(M, 1)))
    case(f"{cls}_thresholds", cls, lambda: (binary(M, 3), with_exact(f32(M, 3))),
         kwargs={"thresholds": [0.1, 0.5, 0.9]}, sw=sw_rows)
    case(f"{cls}_even", cls, lambda: (binary(M, 3), f32(M, 3, low=-0.5, high=1.5)),
         kwargs={"thresholds": [0.0, 0.5, 1.0]}, sw=sw_full)
    case(f"{cls}_top_k", cls, lambda: (binary(M, 5), f32(M, 5)), kwargs={"top_k": 2},
         sw=sw_rows)
    case(f"{cls}_class_id", cls, lambda: (binary(M, 4), f32(M, 4)), kwargs={"class_id": 2},
         sw=sw_rows)
    case(f"{cls}_top_k_class_id", cls, lambda: (binary(M, 4), f32(M, 4)),
         kwargs={"top_k": 1, "class_id": 1})
    case(f"{cls}_top_k_threshold", cls, lambda: (binary(M, 5), f32(M, 5)),
         kwargs={"top_k": 3, "thresholds": 0.4})
for cls, arg in (("PrecisionAtRecall", "recall"), ("RecallAtPrecision", "precision"),
                 ("SensitivityAtSpecificity", "specificity"),
                 ("SpecificityAtSensitivity", "sensitivity")):
    case(f"{cls}", cls, lambda: (binary(M), with_exact(f32(M))), kwargs={arg: 0.6}, sw=sw_rows)
    case(f"{cls}_nt", cls, lambda: (binary(M), f32(M)), kwargs={arg: 0.8, "num_thresholds": 7})
    case(f"{cls}_nt1", cls, lambda: (binary(M), f32(M)), kwargs={arg: 0.3, "num_thresholds": 1})
    case(f"{cls}_class_id", cls, lambda: (binary(M, 3), f32(M, 3)),
         kwargs={arg: 0.5, "class_id": 0}, sw=sw_rows)
AUC_CASES = [
    ("roc", {}), ("roc_nt10", {"num_thresholds": 10}), ("pr", {"curve": "PR"}),
    ("pr_minoring", {"curve": "PR", "summation_method": "minoring"}),
    ("pr_majoring", {"curve": "PR", "summation_method": "majoring"}),
    ("roc_majoring", {"summation_method": "majoring"}),
    ("prgain", {"curve": "PRGAIN"}),
    ("thresholds", {"thresholds": [0.1, 0.35, 0.6, 0.8]}),
    ("thresholds_even", {"thresholds": [0.25, 0.5, 0.75]}),
    ("logits", {"from_logits": True}),
    ("label_weights", {"label_weights": [1.0, 2.0, 0.5]}),
]
for name, kw in AUC_CASES:
    low, high = (-3, 3) if kw.get("from_logits") else (0, 1)
    case(f"AUC_{name}", "AUC", lambda low=low, high=high: (binary(M, 3), f32(M, 3, low=low, high=high)),
         kwargs=kw, sw=sw_rows)
case("AUC_plain_1d", "AUC", lambda: (binary(M), with_exact(f32(M))))
case("AUC_multi_label", "AUC", lambda: (binary(M, 3), f32(M, 3)), kwargs={"multi_label": True},
     sw=sw_rows)
case("AUC_multi_label_pr_weights", "AUC", lambda: (binary(M, 3), f32(M, 3)),
     kwargs={"multi_label": True, "num_labels": 3, "curve": "PR",
             "label_weights": [0.5, 1.0, 2.0]})
case("AUC_multi_label_thresholds", "AUC", lambda: (binary(M, 3), f32(M, 3)),
     kwargs={"multi_label": True, "thresholds": [0.3, 0.45, 0.7]}, sw=sw_full)

# ----- F-scores ------------------------------------------------------------------------------
for avg in (None, "micro", "macro", "weighted"):
    case(f"F1Score_{avg}", "F1Score", lambda: (binary(N, 4), f32(N, 4)), kwargs={"average": avg},
         sw=sw_rows)
    case(f"FBetaScore_{avg}", "FBetaScore", lambda: (binary(N, 4), f32(N, 4)),
         kwargs={"average": avg, "beta": 2.0, "threshold": 0.5})
case("F1Score_onehot_argmax", "F1Score", lambda: (one_hot(N, 3), softmax_probs(N, 3)),
     kwargs={"average": "macro"})

# ----- IoU -------------------------------------------------------------------------------
case("IoU", "IoU", lambda: (rng.integers(0, 4, (N, 3)).astype(np.int32),
                            rng.integers(0, 4, (N, 3)).astype(np.int32)),
     kwargs={"num_classes": 4, "target_class_ids": [0, 2]}, sw=lambda t, p: weights(N, 3, integer=True))
case("MeanIoU", "MeanIoU", lambda: (rng.integers(0, 3, N).astype(np.int32),
                                    rng.integers(0, 3, N).astype(np.int32)),
     kwargs={"num_classes": 3}, sw=sw_int_rows)
case("MeanIoU_float_weights", "MeanIoU", lambda: (rng.integers(0, 3, N).astype(np.int32),
                                                  rng.integers(0, 3, N).astype(np.int32)),
     kwargs={"num_classes": 3}, sw=sw_rows)
case("MeanIoU_ignore_float_dtype", "MeanIoU",
     lambda: (rng.integers(-1, 4, (N, 2)).astype(np.int32), rng.integers(0, 4, (N, 2)).astype(np.int32)),
     kwargs={"num_classes": 4, "ignore_class": 0, "dtype": "float32"},
     sw=lambda t, p: weights(N, 2))
case("MeanIoU_dense", "MeanIoU", lambda: (one_hot(N, 3), softmax_probs(N, 3)),
     kwargs={"num_classes": 3, "sparse_y_true": False, "sparse_y_pred": False})
case("BinaryIoU", "BinaryIoU", lambda: (binary(N, 2).astype(np.int32), with_exact(f32(N, 2))),
     kwargs={"threshold": 0.3})
case("BinaryIoU_target1", "BinaryIoU", lambda: (binary(N).astype(np.int32), with_exact(f32(N))),
     kwargs={"target_class_ids": [1]}, sw=sw_int_rows)
case("OneHotIoU", "OneHotIoU", lambda: (one_hot(N, 4), softmax_probs(N, 4)),
     kwargs={"num_classes": 4, "target_class_ids": [1, 3]})
case("OneHotMeanIoU", "OneHotMeanIoU", lambda: (one_hot(N, 3), softmax_probs(N, 3)),
     kwargs={"num_classes": 3}, sw=sw_int_rows)


def to_jsonable(x):
    if isinstance(x, dict):
        return {k: to_jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [to_jsonable(v) for v in x]
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    return x


def result_list(r):
    return np.asarray(keras.ops.convert_to_numpy(r), dtype=np.float64).tolist()


def run_case(c):
    cls = getattr(keras.metrics, c["cls"])
    kwargs = dict(c["kwargs"])
    if c["fn"]:
        metric = cls(getattr(keras.metrics, c["fn"]), name="wrapped", **c["fn_kwargs"])
    else:
        metric = cls(**kwargs)
    batches, results = [], []
    for _ in range(c["n_batches"]):
        y_true, y_pred = c["make_batch"]()
        sw = c["sw"](y_true, y_pred) if c["sw"] else None
        entry = {"y_true": None if y_true is None else put("y_true", y_true),
                 "y_pred": put("y_pred", y_pred),
                 "sw": None if sw is None else put("sw", sw)}
        batches.append(entry)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if c["values_only"]:
                metric.update_state(y_pred, sample_weight=sw)
            else:
                metric.update_state(y_true, y_pred, sample_weight=sw)
        results.append(result_list(metric.result()))
    metric.reset_state()
    after_reset = result_list(metric.result())
    # One batch after the reset: state really starts from zero again.
    first = batches[0]
    args = [ARRAYS[first["y_pred"]]] if c["values_only"] else [ARRAYS[first["y_true"]],
                                                               ARRAYS[first["y_pred"]]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        metric.update_state(*args, sample_weight=None if first["sw"] is None else ARRAYS[first["sw"]])
    config = to_jsonable(metric.get_config())
    return {"id": c["id"], "cls": c["cls"], "kwargs": to_jsonable(kwargs), "fn": c["fn"],
            "fn_kwargs": c["fn_kwargs"], "values_only": c["values_only"], "batches": batches,
            "results": results, "after_reset": after_reset,
            "after_reset_batch": result_list(metric.result()), "config": config}


def function_goldens():
    """The metric functions keras.metrics exports, on fixed inputs."""
    out = []
    specs = [
        ("binary_accuracy", (binary(N, 3), with_exact(f32(N, 3))), {}),
        ("binary_accuracy", (binary(N, 3), f32(N, 3)), {"threshold": 0.8}),
        ("categorical_accuracy", (one_hot(N, 4), softmax_probs(N, 4)), {}),
        ("sparse_categorical_accuracy", (rng.integers(0, 4, (N, 1)).astype(np.float32),
                                         softmax_probs(N, 4)), {}),
        ("top_k_categorical_accuracy", (one_hot(N, 6), softmax_probs(N, 6)), {"k": 3}),
        ("sparse_top_k_categorical_accuracy", (rng.integers(0, 6, N).astype(np.int32),
                                               softmax_probs(N, 6)), {"k": 2}),
        ("pearson_correlation", (f32(N, 5), f32(N, 5)), {}),
        ("concordance_correlation", (f32(N, 5), f32(N, 5)), {}),
        ("mean_squared_error", (f32(N, 3), f32(N, 3)), {}),
        ("mean_absolute_error", (f32(N, 3), f32(N, 3)), {}),
        ("mean_absolute_percentage_error", (f32(N, 3, low=-1), f32(N, 3)), {}),
        ("mean_squared_logarithmic_error", (f32(N, 3), f32(N, 3)), {}),
        ("huber", (f32(N, 3, low=-3, high=3), f32(N, 3)), {"delta": 0.7}),
        ("log_cosh", (f32(N, 3, low=-3, high=3), f32(N, 3)), {}),
        ("hinge", (binary(N, 3), f32(N, 3, low=-2, high=2)), {}),
        ("squared_hinge", (binary(N, 3), f32(N, 3, low=-2, high=2)), {}),
        ("categorical_hinge", (one_hot(N, 3), f32(N, 3, low=-2, high=2)), {}),
        ("kl_divergence", (softmax_probs(N, 3), softmax_probs(N, 3)), {}),
        ("poisson", (f32(N, 3, high=3), f32(N, 3, high=3)), {}),
        ("binary_crossentropy", (binary(N, 3), f32(N, 3)), {"label_smoothing": 0.1}),
        ("binary_crossentropy", (binary(N, 3), f32(N, 3, low=-3, high=3)), {"from_logits": True}),
        ("binary_focal_crossentropy", (binary(N, 3), f32(N, 3)),
         {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5}),
        ("binary_focal_crossentropy", (binary(N, 3), f32(N, 3, low=-3, high=3)),
         {"from_logits": True, "label_smoothing": 0.2}),
        ("categorical_crossentropy", (one_hot(N, 4), softmax_probs(N, 4)), {"label_smoothing": 0.1}),
        ("categorical_crossentropy", (one_hot(N, 4), f32(N, 4, low=-3, high=3)), {"from_logits": True}),
        ("categorical_focal_crossentropy", (one_hot(N, 4), softmax_probs(N, 4)), {"gamma": 3.0}),
        ("categorical_focal_crossentropy", (one_hot(N, 4), f32(N, 4, low=-3, high=3)),
         {"from_logits": True, "alpha": 0.5}),
        ("sparse_categorical_crossentropy", (rng.integers(0, 4, N).astype(np.int32),
                                             softmax_probs(N, 4)), {}),
        ("sparse_categorical_crossentropy", (rng.integers(0, 4, N).astype(np.int32),
                                             f32(N, 4, low=-3, high=3)),
         {"from_logits": True, "ignore_class": 1}),
    ]
    for name, (y_true, y_pred), kw in specs:
        res = getattr(keras.metrics, name)(y_true, y_pred, **kw)
        out.append({"fn": name, "kwargs": kw, "y_true": put("y_true", y_true),
                    "y_pred": put("y_pred", y_pred), "result": result_list(res)})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = [run_case(c) for c in CASES]
    functions = function_goldens()
    meta = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
            "cases": cases, "functions": functions}
    with open(os.path.join(OUT, "metric_cases.json"), "w") as f:
        json.dump(meta, f, separators=(",", ":"))
    np.savez_compressed(os.path.join(OUT, "metric_inputs.npz"), **ARRAYS)
    print(f"wrote {len(cases)} metric cases and {len(functions)} function goldens")


if __name__ == "__main__":
    main()
