"""Records what real Keras 3 `fit`/`evaluate`/`predict` compute from the data
they are given, as goldens for minikeras's data-pipeline tests.

Run with a Python that has tensorflow + keras 3 (never minikeras):

    python tests/parity/generate_fit_data_goldens.py

Each case builds a tiny model, sets fixed initial weights (the same arrays
minikeras's test sets), trains with SGD and `shuffle=False`, and records the
per-epoch history; some cases also record `evaluate` and `predict`. The
cases cover `class_weight`, `sample_weight` (one array, one per output, by
position and by name), `weighted_metrics`, `validation_split`,
`validation_data` with weights, `validation_freq`, `steps_per_epoch` smaller
than an epoch (the pass continues across epochs), PyDatasets and
generators yielding `(x, y, sample_weight)`, and a finite generator that
runs out of data.

Writes into `goldens/` next to this file:

- fit_data_cases.json: per case the model kind, compile and fit arguments
  and Keras's history / evaluate results, plus the batch indices Keras's
  training loop reported.
- fit_data_arrays.npz: per case the inputs, targets, weights and initial
  weights (`<case>/<name>`), and predictions.
"""
import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDENS = os.path.join(HERE, "goldens")
sys.path.insert(0, HERE)
from fit_data_feeds import ArraySlices, BatchEvents, batches  # noqa: E402


# ----- models (minikeras's test builds the same ones) --------------------------------
def build(kind):
    L = keras.layers
    if kind == "clf":
        return keras.Sequential([keras.Input((4,)), L.Dense(5, activation="tanh", name="hidden"),
                                 L.Dense(3, activation="softmax", name="probs")])
    if kind == "bin":
        return keras.Sequential([keras.Input((3,)), L.Dense(1, activation="sigmoid", name="prob")])
    if kind == "multi":
        a = keras.Input((3,), name="a")
        b = keras.Input((2,), name="b")
        h = L.Concatenate()([a, b])
        reg = L.Dense(1, name="reg")(h)
        cls = L.Dense(3, activation="softmax", name="cls")(h)
        return keras.Model({"a": a, "b": b}, {"reg": reg, "cls": cls})
    if kind == "multi_list":
        a = keras.Input((3,), name="a")
        b = keras.Input((2,), name="b")
        h = L.Concatenate()([a, b])
        reg = L.Dense(1, name="reg")(h)
        cls = L.Dense(3, activation="softmax", name="cls")(h)
        return keras.Model([a, b], [reg, cls])
    raise ValueError(kind)


def initial_weights(model, seed):
    """Fixed weights per layer name (layer order differs between libraries
    for dict outputs; names do not)."""
    rng = np.random.RandomState(seed)
    out = {}
    for layer in model.layers:
        ws = layer.get_weights()
        if ws:
            out[layer.name] = [rng.uniform(-0.6, 0.6, size=w.shape).astype("float32")
                               for w in ws]
    return out


class BatchRecorder(BatchEvents, keras.callbacks.Callback):
    pass


class ArrayPyDataset(ArraySlices, keras.utils.PyDataset):
    pass


# ----- data ----------------------------------------------------------------------------
def data(kind, n, seed):
    rng = np.random.RandomState(seed)
    if kind == "clf":
        x = rng.normal(size=(n, 4)).astype("float32")
        return x, rng.randint(0, 3, size=(n,)).astype("int32")
    if kind == "bin":
        x = rng.normal(size=(n, 3)).astype("float32")
        return x, rng.randint(0, 2, size=(n, 1)).astype("float32")
    x = {"a": rng.normal(size=(n, 3)).astype("float32"),
         "b": rng.normal(size=(n, 2)).astype("float32")}
    y = {"reg": rng.normal(size=(n, 1)).astype("float32"),
         "cls": rng.randint(0, 3, size=(n,)).astype("int32")}
    return x, y


def case_list():
    rng = np.random.RandomState(7)
    sw10 = rng.uniform(0.2, 2.0, size=(10,)).astype("float32")
    sw12 = rng.uniform(0.2, 2.0, size=(12,)).astype("float32")
    clf_compile = dict(loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                       weighted_metrics=["accuracy", "sparse_categorical_crossentropy"])
    return [
        dict(name="clf_class_weight", model="clf", n=10, compile=clf_compile,
             fit=dict(batch_size=4, epochs=3, class_weight={0: 1.0, 1: 2.0, 2: 0.5})),
        dict(name="clf_sample_weight", model="clf", n=10, compile=clf_compile,
             fit=dict(batch_size=4, epochs=3), sample_weight=sw10),
        dict(name="clf_sample_weight_valsplit", model="clf", n=12, compile=clf_compile,
             fit=dict(batch_size=3, epochs=3, validation_split=0.25), sample_weight=sw12),
        dict(name="clf_onehot_class_weight", model="clf", n=10, onehot=True,
             compile=dict(loss="categorical_crossentropy", metrics=["accuracy"],
                          weighted_metrics=["accuracy"]),
             fit=dict(batch_size=4, epochs=2, class_weight={0: 0.3, 2: 3.0})),
        dict(name="bin_sample_weight", model="bin", n=10,
             compile=dict(loss="binary_crossentropy", metrics=["accuracy"],
                          weighted_metrics=["accuracy", "mse"]),
             fit=dict(batch_size=3, epochs=3), sample_weight=sw10),
        dict(name="bin_validation_data_freq", model="bin", n=12,
             compile=dict(loss="binary_crossentropy", weighted_metrics=["accuracy"]),
             fit=dict(batch_size=4, epochs=4, validation_freq=2),
             sample_weight=sw12, validation="weighted"),
        # Multi-output cases use full batches only: on the TensorFlow backend
        # Keras averages the per-output `<name>_loss` trackers over batches
        # without batch-size weights (the batch dimension is unknown inside
        # tf.function), other backends weight them; full batches agree.
        dict(name="multi_dict_sample_weight", model="multi", n=12,
             compile=dict(loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                          loss_weights={"reg": 0.5, "cls": 1.0},
                          weighted_metrics={"cls": ["accuracy"], "reg": ["mae"]}),
             fit=dict(batch_size=4, epochs=3), sample_weight="per_output_dict"),
        dict(name="multi_list_single_sample_weight", model="multi_list", n=12,
             compile=dict(loss=["mse", "sparse_categorical_crossentropy"],
                          metrics=[["mae"], ["accuracy"]]),
             fit=dict(batch_size=4, epochs=2), sample_weight=sw12),
        dict(name="steps_per_epoch_continues", model="clf", n=10,
             compile=dict(loss="sparse_categorical_crossentropy", metrics=["accuracy"]),
             fit=dict(batch_size=3, epochs=4, steps_per_epoch=2)),
        dict(name="shuffle_batch", model="clf", n=10,
             compile=dict(loss="sparse_categorical_crossentropy", metrics=["accuracy"]),
             fit=dict(batch_size=5, epochs=2, shuffle="batch")),
        dict(name="pydataset_sample_weight", model="clf", n=10, source="pydataset",
             compile=clf_compile, fit=dict(epochs=3), batch_size=4, sample_weight=sw10),
        dict(name="pydataset_class_weight", model="clf", n=10, source="pydataset",
             compile=clf_compile, fit=dict(epochs=2, class_weight={1: 3.0}), batch_size=3),
        dict(name="generator_sample_weight_steps", model="clf", n=10, source="generator",
             compile=clf_compile, fit=dict(epochs=3, steps_per_epoch=3), batch_size=4,
             sample_weight=sw10),
        dict(name="finite_generator_runs_out", model="clf", n=10, source="finite_generator",
             compile=dict(loss="sparse_categorical_crossentropy"),
             fit=dict(epochs=3), batch_size=3),
    ]


def _tolist(v):
    return [float(a) for a in v]


def run_case(case, arrays):
    name = case["name"]
    keras.utils.set_random_seed(0)
    model = build(case["model"])
    weights = initial_weights(model, seed=len(name))
    for layer_name, ws in weights.items():
        model.get_layer(layer_name).set_weights(ws)
        for i, w in enumerate(ws):
            arrays[f"{name}/w/{layer_name}/{i}"] = w
    x, y = data(case["model"] if case["model"] != "multi_list" else "multi", case["n"], 3)
    if case.get("onehot"):
        y = np.eye(3, dtype="float32")[y]
    sw = case.get("sample_weight")
    if isinstance(sw, str) and sw == "per_output_dict":
        rng = np.random.RandomState(11)
        sw = {"reg": rng.uniform(0.2, 2, size=(case["n"],)).astype("float32"),
              "cls": rng.uniform(0.2, 2, size=(case["n"],)).astype("float32")}
    if case["model"] == "multi_list":
        x = [x["a"], x["b"]]
        y = [y["reg"], y["cls"]]
    _store(arrays, name, "x", x)
    _store(arrays, name, "y", y)
    if sw is not None:
        _store(arrays, name, "sw", sw)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), **case["compile"])
    fit_kwargs = dict(case["fit"])
    fit_kwargs.setdefault("shuffle", False)
    recorder = BatchRecorder()
    source = case.get("source", "arrays")
    if case.get("validation") == "weighted":
        vx, vy = data(case["model"], 6, 5)
        vsw = np.linspace(0.5, 1.5, 6).astype("float32")
        _store(arrays, name, "vx", vx)
        _store(arrays, name, "vy", vy)
        _store(arrays, name, "vsw", vsw)
        fit_kwargs["validation_data"] = (vx, vy, vsw)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if source == "arrays":
            history = model.fit(x, y, sample_weight=sw, verbose=0, callbacks=[recorder],
                                **fit_kwargs)
        elif source == "pydataset":
            ds = ArrayPyDataset(x, y, sw, case["batch_size"])
            history = model.fit(ds, verbose=0, callbacks=[recorder], **fit_kwargs)
        elif source == "generator":
            gen = batches(x, y, sw, case["batch_size"], repeat=True)
            history = model.fit(gen, verbose=0, callbacks=[recorder], **fit_kwargs)
        else:
            gen = batches(x, y, sw, case["batch_size"], repeat=False)
            history = model.fit(gen, verbose=0, callbacks=[recorder], **fit_kwargs)
    out = dict(case)
    out.pop("sample_weight", None)
    out["has_sample_weight"] = sw is not None
    out["history"] = {k: _tolist(v) for k, v in history.history.items()}
    out["history_keys"] = list(history.history.keys())
    out["epochs_run"] = history.epoch
    out["batch_events"] = recorder.events
    out["ran_out_warnings"] = sum("ran out of data" in str(w.message) for w in caught)
    if source == "arrays":
        ev = model.evaluate(x, y, sample_weight=sw, batch_size=4, verbose=0,
                            return_dict=True)
        out["evaluate"] = {k: float(v) for k, v in ev.items()}
        pred = model.predict(x, batch_size=4, verbose=0)
        _store(arrays, name, "pred", pred)
    return out


def _store(arrays, name, key, value):
    if isinstance(value, dict):
        for k, v in value.items():
            arrays[f"{name}/{key}.{k}"] = np.asarray(v)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            arrays[f"{name}/{key}.{i}"] = np.asarray(v)
    else:
        arrays[f"{name}/{key}"] = np.asarray(value)


def main():
    os.makedirs(GOLDENS, exist_ok=True)
    arrays = {}
    cases = []
    for case in case_list():
        cases.append(run_case(case, arrays))
    meta = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
            "cases": cases}
    with open(os.path.join(GOLDENS, "fit_data_cases.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True, default=_jsonable)
    np.savez_compressed(os.path.join(GOLDENS, "fit_data_arrays.npz"), **arrays)
    print(f"wrote {len(cases)} cases")


def _jsonable(v):
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    raise TypeError(type(v))


if __name__ == "__main__":
    main()
