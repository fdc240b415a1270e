"""compile()/fit() string and naming cases shared by
`generate_compile_string_goldens.py` (run under real Keras) and
`tests/scenarios/test_compile_strings_and_logs.py` (run under minikeras).

Pure Python and numpy: the library under test comes in as the `keras`
argument, so the generator never imports minikeras and the test never imports
Keras. Every case builds its model from fixed arrays (no random initializer
is trusted), trains with plain SGD on a fixed batch order, and reports what a
user would see: accepted or not (the error type and message), history keys
and values, `metrics_names`, evaluate's list.
"""
import io
import re
import sys

import numpy as np

# Loss strings tried in compile(loss=...); the kind picks the output layer and
# the targets the loss makes sense for.
LOSS_STRINGS = [
    ("mse", "reg"), ("mean_squared_error", "reg"), ("MeanSquaredError", "reg"),
    ("mae", "reg"), ("mean_absolute_error", "reg"),
    ("mape", "reg"), ("mean_absolute_percentage_error", "reg"),
    ("msle", "reg"), ("mean_squared_logarithmic_error", "reg"),
    ("kld", "reg"), ("kl_divergence", "reg"), ("KLD", "reg"),
    ("kullback_leibler_divergence", "reg"), ("poisson", "reg"),
    ("hinge", "binary"), ("squared_hinge", "binary"), ("categorical_hinge", "multi"),
    ("logcosh", "reg"), ("log_cosh", "reg"), ("cosine_similarity", "reg"),
    ("huber", "reg"), ("huber_loss", "reg"), ("Huber", "reg"),
    ("binary_crossentropy", "binary"), ("BinaryCrossentropy", "binary"),
    ("binary_focal_crossentropy", "binary"),
    ("categorical_crossentropy", "multi"), ("CategoricalCrossentropy", "multi"),
    ("categorical_focal_crossentropy", "multi"),
    ("sparse_categorical_crossentropy", "sparse"),
    ("SparseCategoricalCrossentropy", "sparse"),
    ("MSE", "reg"), ("MAE", "reg"),
    # not losses in Keras 3 (or misspelt): the error is what is compared
    ("rmse", "reg"), ("mean_sqaured_error", "reg"), ("accuracy", "binary"),
    ("ctc", "reg"), ("dice", "reg"), ("tversky", "reg"),
]

# Metric strings tried in compile(metrics=[...]) next to a fitting loss.
METRIC_STRINGS = [
    ("acc", "binary"), ("accuracy", "binary"), ("acc", "multi"), ("accuracy", "sparse"),
    ("binary_accuracy", "binary"), ("categorical_accuracy", "multi"),
    ("sparse_categorical_accuracy", "sparse"),
    ("top_k_categorical_accuracy", "multi"), ("sparse_top_k_categorical_accuracy", "sparse"),
    ("AUC", "binary"), ("auc", "binary"), ("Precision", "binary"), ("precision", "binary"),
    ("Recall", "binary"), ("recall", "binary"), ("f1_score", "binary"), ("F1Score", "binary"),
    ("r2_score", "reg"), ("R2Score", "reg"),
    ("mse", "reg"), ("mean_squared_error", "reg"), ("MeanSquaredError", "reg"),
    ("mae", "reg"), ("mean_absolute_error", "reg"), ("mape", "reg"),
    ("mean_absolute_percentage_error", "reg"), ("msle", "reg"), ("kld", "reg"),
    ("kl_divergence", "reg"), ("poisson", "reg"), ("logcosh", "reg"), ("log_cosh", "reg"),
    ("cosine_similarity", "reg"), ("CosineSimilarity", "reg"),
    ("hinge", "binary"), ("squared_hinge", "binary"), ("categorical_hinge", "multi"),
    ("binary_crossentropy", "binary"), ("categorical_crossentropy", "multi"),
    ("sparse_categorical_crossentropy", "sparse"), ("huber", "reg"),
    ("RootMeanSquaredError", "reg"), ("root_mean_squared_error", "reg"),
    ("rmse", "reg"), ("MeanAbsoluteError", "reg"), ("BinaryAccuracy", "binary"),
    ("crossentropy", "multi"), ("ce", "binary"), ("iou", "multi"), ("foo_metric", "reg"),
]

OPTIMIZER_STRINGS = [
    "sgd", "SGD", "adam", "Adam", "rmsprop", "RMSprop", "adagrad", "Adagrad",
    "adadelta", "Adadelta", "adamax", "Adamax", "nadam", "Nadam", "ftrl", "Ftrl",
    "adamw", "AdamW", "lion", "Lion", "lamb", "Lamb", "adafactor", "Adafactor",
    "muon", "loss_scale_optimizer", "ADAM", "adam_w", "sgd_momentum",
]

N = 12  # samples; batch 4 -> 3 steps per epoch


def data(kind, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, 4)).astype("float32")
    if kind == "reg":
        y = rng.uniform(0.1, 0.9, size=(N, 3)).astype("float32")
    elif kind == "binary":
        y = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0], "float32").reshape(N, 1)
    elif kind == "multi":
        y = np.eye(3, dtype="float32")[np.arange(N) % 3]
    else:  # sparse
        y = (np.arange(N) % 3).astype("int32")
    return x, y


def _weights(shapes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=s) * 0.5).astype("float32") for s in shapes]


def single_model(keras, kind):
    units, act = {"reg": (3, "sigmoid"), "binary": (1, "sigmoid"),
                  "multi": (3, "softmax"), "sparse": (3, "softmax")}[kind]
    inp = keras.Input((4,))
    h = keras.layers.Dense(5, activation="tanh")(inp)
    out = keras.layers.Dense(units, activation=act)(h)
    model = keras.Model(inp, out)
    model.set_weights(_weights([(4, 5), (5,), (5, units), (units,)], 1))
    return model


def two_output_model(keras):
    inp = keras.Input((4,))
    h = keras.layers.Dense(5, activation="tanh")(inp)
    a = keras.layers.Dense(1, activation="sigmoid", name="out_a")(h)
    b = keras.layers.Dense(3, activation="sigmoid", name="out_b")(h)
    model = keras.Model(inp, [a, b])
    model.set_weights(_weights([(4, 5), (5,), (5, 1), (1,), (5, 3), (3,)], 2))
    return model


def two_output_data():
    x, ya = data("binary")
    _, yb = data("reg", seed=3)
    return x, ya, yb


def _err(e):
    return {"error": type(e).__name__, "message": str(e)}


def _floats(d):
    return {k: [np.asarray(v, "float64").tolist() for v in vals] for k, vals in d.items()}


def _run(keras, model, x, y, compile_kwargs, val=True):
    """compile + fit(2 epochs) + evaluate; a dict of what was observed."""
    try:
        model.compile(optimizer=keras.optimizers.SGD(0.1), **compile_kwargs)
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return dict(_err(e), stage="compile")
    try:
        hist = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0,
                         validation_data=(x, y) if val else None)
        ev = model.evaluate(x, y, batch_size=4, verbose=0)
        evd = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    except Exception as e:  # noqa: BLE001
        return dict(_err(e), stage="fit")
    ev = ev if isinstance(ev, list) else [ev]
    return {
        "history_keys": list(hist.history),
        "history": _floats(hist.history),
        "metrics_names": list(model.metrics_names),
        "evaluate": [np.asarray(v, "float64").tolist() for v in ev],
        "evaluate_dict_keys": list(evd),
    }


def loss_case(keras, name, kind):
    x, y = data(kind)
    return _run(keras, single_model(keras, kind), x, y, {"loss": name})


def metric_case(keras, name, kind):
    x, y = data(kind)
    loss = {"reg": "mse", "binary": "binary_crossentropy", "multi": "categorical_crossentropy",
            "sparse": "sparse_categorical_crossentropy"}[kind]
    return _run(keras, single_model(keras, kind), x, y, {"loss": loss, "metrics": [name]})


def _multi_forms():
    return {
        "loss_list": {"loss": ["binary_crossentropy", "mse"]},
        "loss_dict": {"loss": {"out_a": "binary_crossentropy", "out_b": "mse"}},
        "loss_single_string": {"loss": "mse"},
        "metrics_list_of_lists": {"loss": ["binary_crossentropy", "mse"],
                                  "metrics": [["accuracy"], ["mae", "mse"]]},
        "metrics_dict_of_lists": {"loss": ["binary_crossentropy", "mse"],
                                  "metrics": {"out_a": ["accuracy", "AUC"], "out_b": ["mae"]}},
        "metrics_dict_of_strings": {"loss": {"out_a": "binary_crossentropy", "out_b": "mse"},
                                    "metrics": {"out_a": "acc", "out_b": "mae"}},
        "metrics_dict_partial": {"loss": ["binary_crossentropy", "mse"],
                                 "metrics": {"out_b": ["mae"]}},
        "metrics_flat_list_broadcast": {"loss": ["binary_crossentropy", "mse"],
                                        "metrics": ["accuracy"]},
        "metrics_flat_list_two": {"loss": ["binary_crossentropy", "mse"],
                                  "metrics": ["mae", "mse"]},
        "metrics_list_with_none": {"loss": ["binary_crossentropy", "mse"],
                                   "metrics": [None, ["mae"]]},
        "loss_weights_list": {"loss": ["binary_crossentropy", "mse"], "loss_weights": [0.3, 2.0],
                              "metrics": [["accuracy"], ["mae"]]},
        "loss_weights_dict": {"loss": {"out_a": "binary_crossentropy", "out_b": "mse"},
                              "loss_weights": {"out_a": 1.5, "out_b": 0.5}},
        "weighted_metrics_list": {"loss": ["binary_crossentropy", "mse"],
                                  "weighted_metrics": [["accuracy"], ["mae"]]},
        "weighted_and_plain_metrics": {"loss": ["binary_crossentropy", "mse"],
                                       "metrics": [["accuracy"], ["mae"]],
                                       "weighted_metrics": [["accuracy"], ["mae"]]},
        "loss_list_wrong_length": {"loss": ["binary_crossentropy", "mse", "mae"]},
        "loss_dict_bad_key": {"loss": {"out_a": "binary_crossentropy", "nope": "mse"}},
        "metrics_dict_bad_key": {"loss": ["binary_crossentropy", "mse"],
                                 "metrics": {"nope": ["mae"]}},
    }


MULTI_FORMS = list(_multi_forms())


def multi_case(keras, form, target="list"):
    x, ya, yb = two_output_data()
    y = [ya, yb] if target == "list" else {"out_a": ya, "out_b": yb}
    return _run(keras, two_output_model(keras), x, y, _multi_forms()[form])


def validation_split_case(keras):
    x, y = data("multi")
    model = single_model(keras, "multi")
    model.compile(optimizer="sgd", loss="categorical_crossentropy",
                  metrics=["accuracy", "top_k_categorical_accuracy", "mae"])
    hist = model.fit(x, y, batch_size=4, epochs=1, verbose=0, validation_split=0.25)
    return {"history_keys": list(hist.history), "metrics_names": list(model.metrics_names)}


# ----- printed progress -------------------------------------------------------------
_TIMING = re.compile(r"\b\d+(\.\d+)?(s|ms|us)(/step)?\b")
_NUMBER = re.compile(r"-?\d+\.\d+(e[-+]\d+)?")


def normalise_progress(text):
    """Progress text with timings blanked and values pulled out.

    Returns (lines, values): each line with timings replaced by `<t>` and
    floating values by `<v>`, and the list of those values in order.
    """
    text = re.sub(r"\x1b\[\d*m", "", text)
    text = text.replace("\x08", "").replace("\r", "\n")
    lines, values = [], []
    for line in text.split("\n"):
        line = _TIMING.sub("<t>", line.rstrip())
        values += [float(m.group(0)) for m in _NUMBER.finditer(line)]
        line = _NUMBER.sub("<v>", line)
        if line:
            lines.append(line)
    return lines, values


class _TtyStringIO(io.StringIO):
    def isatty(self):
        return True


class _Capture:
    """stdout as a terminal (Keras's progress bar redraws itself on one)."""

    def __enter__(self):
        self.old, self.buf = sys.stdout, _TtyStringIO()
        sys.stdout = self.buf
        return self.buf

    def __exit__(self, *exc):
        sys.stdout = self.old


def progress_case(keras):
    x, y = data("multi")
    model = single_model(keras, "multi")
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="categorical_crossentropy",
                  metrics=["accuracy", "mae", "top_k_categorical_accuracy"])
    with _Capture() as fit_out:
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=2,
                  validation_data=(x, y))
    with _Capture() as ev_out:
        model.evaluate(x, y, batch_size=4, verbose=1)
    return {"fit_verbose2": fit_out.getvalue(), "evaluate_verbose1": ev_out.getvalue()}


# ----- optimizers -------------------------------------------------------------------
def _jsonable(v):
    if isinstance(v, (bool, int, str)) or v is None:
        return v
    if isinstance(v, float):
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(i) for i in v]
    if isinstance(v, dict):
        return {k: _jsonable(i) for k, i in v.items()}
    try:
        return float(v)
    except Exception:  # noqa: BLE001
        return repr(type(v).__name__)


def optimizer_case(keras, name):
    model = single_model(keras, "reg")
    try:
        model.compile(optimizer=name, loss="mse")
    except Exception as e:  # noqa: BLE001
        return _err(e)
    opt = model.optimizer
    return {"class": type(opt).__name__, "config": _jsonable(opt.get_config())}
