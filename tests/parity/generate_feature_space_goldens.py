"""Write goldens for `keras.utils.FeatureSpace` from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (TensorFlow backend; never
needed by the normal test run, and this script never imports minikeras):

    python tests/parity/generate_feature_space_goldens.py

A small table of columns (floats, integer and string categories, values to
hash, crosses, a discretized column) is encoded by FeatureSpaces adapted in
the ways minikeras supports. Written under `goldens/`:

* `feature_space.npz`: the columns (`col__<name>` for adapting,
  `eval__<name>` for encoding, with unseen values) and Keras's encodings:
  `<case>__concat` (a batch), `<case>__scalar` (one sample of Python
  scalars, a 1D vector), `<case>__single` (1-element arrays, shape (1, n)),
  `<case>__dict__<key>` (dict mode, one array per key).
* `feature_space.json`: per case, the FeatureSpace's arguments as data, the
  output keys and dtypes, and what `adapt` learned (vocabularies, bin
  boundaries, means and variances); plus the error messages checked.
* `feature_space.keras`: the "concat" FeatureSpace saved by Keras, and
  `feature_space_model.keras`: a Functional model on its encoded features
  (fixed weights) with its predictions, to load in minikeras.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras.utils import FeatureSpace  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
DATA = {}
CITIES = ["oslo", "lima", "pune", "kyiv", "rome", "baku", "nuuk", "graz", "suva", "doha"]


def columns(n, seed, unseen=False):
    """A table as a dict of 1D columns; `unseen` adds values `adapt` never saw."""
    rng = np.random.default_rng(seed)
    colors = ["red", "green", "blue", "cyan"] + (["purple"] if unseen else [])
    return {
        "price": rng.normal(50, 10, n).astype("float32"),
        "ratio": rng.uniform(0, 1, n).astype("float32"),
        "weight": rng.uniform(10, 90, n).astype("float32"),
        "age": rng.uniform(18, 80, n).astype("float32"),
        "color": rng.choice(colors, n),
        "rooms": rng.integers(1, 8 if unseen else 6, n),
        "city": rng.choice(CITIES + (["faro"] if unseen else []), n),
        "zone": rng.integers(100, 130, n),
    }


# Each case: (FeatureSpace kwargs as data, how to build each feature). A feature spec
# is a string shortcut or [helper name, kwargs]; a cross is a tuple of names or
# [names, crossing_dim, output_mode].
CONCAT_FEATURES = {
    "price": "float_normalized",
    "ratio": "float",
    "weight": ["float_rescaled", {"scale": 0.01, "offset": -0.5}],
    "age": ["float_discretized", {"num_bins": 4}],
    "color": "string_categorical",
    "rooms": ["integer_categorical", {"num_oov_indices": 1}],
    "city": ["string_hashed", {"num_bins": 8}],
    "zone": "integer_hashed",
}
DICT_FEATURES = {
    "price": "float_normalized",
    "age": ["float_discretized", {"num_bins": 5, "output_mode": "int"}],
    "color": ["string_categorical", {"max_tokens": 4, "output_mode": "int"}],
    "rooms": ["integer_categorical", {"num_oov_indices": 2, "output_mode": "int"}],
    "city": ["string_hashed", {"num_bins": 8, "output_mode": "int"}],
    "zone": ["integer_hashed", {"num_bins": 6}],
}
CASES = {
    "concat": dict(features=CONCAT_FEATURES, crosses=[["color", "rooms"], ["age", "rooms"]],
                   crossing_dim=16, hashing_dim=6, output_mode="concat", adapt="dict"),
    "dict": dict(features=DICT_FEATURES,
                 crosses=[[["color", "rooms"], 16, "int"], [["age", "city"], 8, "one_hot"]],
                 output_mode="dict", adapt="dict"),
    # Adapted on a batched dataset (minikeras: a generator of dict batches).
    "batched": dict(features=CONCAT_FEATURES, crosses=[["color", "rooms"]], crossing_dim=16,
                    hashing_dim=6, output_mode="concat", adapt="batches_of_50"),
    # Adapted on a dict of (n, 1) columns: Keras adapts on one row at a time.
    "columns": dict(features=CONCAT_FEATURES, crosses=[["color", "rooms"]], crossing_dim=16,
                    hashing_dim=6, output_mode="concat", adapt="dict_of_columns"),
}


def make_feature(name, spec):
    if isinstance(spec, str):
        return spec
    helper, kwargs = spec
    return getattr(FeatureSpace, helper)(name=f"{name}_{helper}", **kwargs)


def make_cross(spec):
    if isinstance(spec[0], str):
        return tuple(spec)
    names, dim, mode = spec
    return FeatureSpace.cross(feature_names=tuple(names), crossing_dim=dim, output_mode=mode)


def make_space(case):
    kwargs = {k: v for k, v in case.items() if k not in ("features", "crosses", "adapt")}
    return FeatureSpace(
        features={n: make_feature(n, s) for n, s in case["features"].items()},
        crosses=[make_cross(c) for c in case["crosses"]], **kwargs)


def adapt_data(kind, cols):
    if kind == "dict":
        return cols
    if kind == "batches_of_50":
        return tf.data.Dataset.from_tensor_slices(cols).batch(50)
    if kind == "dict_of_columns":
        return {k: v[:, None] for k, v in cols.items()}
    raise ValueError(kind)


def learned(space):
    """What adapt() found, per preprocessor."""
    out = {}
    for name, layer in space.preprocessors.items():
        if hasattr(layer, "get_vocabulary"):
            out[name] = {"vocabulary": [v if isinstance(v, (int, str)) else
                                        (v.decode() if isinstance(v, bytes) else int(v))
                                        for v in layer.get_vocabulary()]}
        elif isinstance(layer, keras.layers.Discretization):
            out[name] = {"bin_boundaries": [float(b) for b in layer.bin_boundaries]}
        elif isinstance(layer, keras.layers.Normalization):
            out[name] = {"mean": np.asarray(layer.mean).ravel().tolist(),
                         "variance": np.asarray(layer.variance).ravel().tolist()}
    return out


def np_out(x):
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)


def run_case(key, case, cols, eval_cols):
    space = make_space(case)
    # A FeatureSpace takes exactly its own features (an extra key is a KeyError).
    cols = {k: v for k, v in cols.items() if k in case["features"]}
    eval_cols = {k: v for k, v in eval_cols.items() if k in case["features"]}
    space.adapt(adapt_data(case["adapt"], cols))
    rec = {"case": case, "learned": learned(space)}
    batch = space(eval_cols)
    sample = {k: v[0].item() for k, v in eval_cols.items()}
    scalar = space(sample)
    single = space({k: np.array([v]) for k, v in sample.items()})
    if case["output_mode"] == "concat":
        DATA[f"{key}__concat"] = np_out(batch)
        DATA[f"{key}__scalar"] = np_out(scalar)
        DATA[f"{key}__single"] = np_out(single)
        rec["dtype"] = np_out(batch).dtype.name
        rec["encoded_shape"] = list(space.get_encoded_features().shape)
    else:
        rec["keys"] = list(batch.keys())
        rec["dtypes"] = {k: np_out(v).dtype.name for k, v in batch.items()}
        rec["scalar_shapes"] = {k: list(np_out(v).shape) for k, v in scalar.items()}
        rec["encoded"] = {k: [list(t.shape), t.dtype]
                          for k, t in space.get_encoded_features().items()}
        for k, v in batch.items():
            DATA[f"{key}__dict__{k}"] = np_out(v)
            DATA[f"{key}__dictscalar__{k}"] = np_out(scalar[k])
    return space, rec


def errors(cols):
    out = {}

    def catch(label, fn):
        try:
            fn()
            out[label] = None
        except Exception as e:  # noqa: BLE001 - recorded for comparison
            out[label] = [type(e).__name__, str(e)]
    catch("unknown_type", lambda: FeatureSpace(features={"a": "floatz"}))
    catch("empty", lambda: FeatureSpace(features={}))
    catch("bad_output_mode", lambda: FeatureSpace(features={"a": "float"}, output_mode="list"))
    catch("unknown_cross", lambda: FeatureSpace(features={"a": "float"}, crosses=[("a", "b")]))
    catch("bad_feature_mode", lambda: FeatureSpace.feature(
        dtype="float32", preprocessor=keras.layers.Rescaling(1.0), output_mode="xx"))
    catch("bad_cross_mode", lambda: FeatureSpace.cross(("a", "b"), 3, output_mode="float"))
    space = FeatureSpace(features={"price": "float_normalized", "rooms": "integer_categorical"})
    catch("call_before_adapt", lambda: space({"price": cols["price"], "rooms": cols["rooms"]}))
    catch("inputs_before_adapt", lambda: space.get_inputs())
    catch("adapt_list", lambda: space.adapt([{"price": [1.0], "rooms": [2]}]))
    space.adapt({"price": cols["price"], "rooms": cols["rooms"]})
    catch("missing_key", lambda: space({"price": cols["price"]}))
    catch("extra_key", lambda: space({"price": cols["price"], "rooms": cols["rooms"],
                                      "zz": cols["rooms"]}))
    catch("not_a_dict", lambda: space([1, 2]))
    unencoded = FeatureSpace(features={"color": FeatureSpace.string_categorical(
        output_mode="int"), "ratio": "float"})
    catch("concat_unencoded", lambda: unencoded.adapt({"color": cols["color"],
                                                       "ratio": cols["ratio"]}))
    return out


def saved_files(space, eval_cols):
    """The FeatureSpace and a model on its encoded features, saved by Keras."""
    space.save(os.path.join(OUT, "feature_space.keras"))
    keras.utils.set_random_seed(5)
    inputs = space.get_inputs()
    encoded = space.get_encoded_features()
    x = keras.layers.Dense(4, activation="relu", name="hidden")(encoded)
    out = keras.layers.Dense(1, activation="sigmoid", name="head")(x)
    model = keras.Model(inputs=inputs, outputs=out)
    rng = np.random.default_rng(3)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype(w.dtype) if w.trainable
                       else np.asarray(w.numpy()) for w in model.weights])
    # Keras's predict can't take numpy string arrays: call it on tensors (columns).
    tensors = {k: tf.constant(eval_cols[k][:, None]) for k in sorted(eval_cols)}
    DATA["model__y"] = np_out(model(tensors))
    model.save(os.path.join(OUT, "feature_space_model.keras"))
    return {"layers": [[l.name, type(l).__name__] for l in model.layers]}


def main():
    cols = columns(240, seed=7)
    eval_cols = columns(16, seed=8, unseen=True)
    # The first eval row (the one-sample calls) holds only values adapt() saw.
    eval_cols["color"][0], eval_cols["rooms"][0], eval_cols["city"][0] = "blue", 3, "lima"
    for k, v in cols.items():
        DATA[f"col__{k}"] = v
    for k, v in eval_cols.items():
        DATA[f"eval__{k}"] = v
    meta = {"keras_version": keras.__version__, "cases": {}}
    spaces = {}
    for key, case in CASES.items():
        spaces[key], meta["cases"][key] = run_case(key, case, cols, eval_cols)
    meta["errors"] = errors(cols)
    meta["model"] = saved_files(spaces["concat"], eval_cols)
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, "feature_space.npz"), **DATA)
    with open(os.path.join(OUT, "feature_space.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    print("wrote", len(DATA), "arrays and", len(meta["cases"]), "cases")


if __name__ == "__main__":
    main()
