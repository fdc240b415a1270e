"""`keras.utils.FeatureSpace` against real Keras 3.

The goldens come from tests/parity/generate_feature_space_goldens.py: the
same table adapted and encoded by Keras (concat and dict modes, a batched
dataset, a dict of columns), Keras's error messages, and a FeatureSpace and
a model on it saved by Keras. Lookups and hashes must agree exactly, floats
to rtol 1e-5.
"""
import json
import os
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers
from minikeras.utils import FeatureSpace

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")
META = json.load(open(os.path.join(GOLDENS, "feature_space.json")))
DATA = np.load(os.path.join(GOLDENS, "feature_space.npz"))
COLS = {k[len("col__"):]: DATA[k] for k in DATA.files if k.startswith("col__")}
EVAL = {k[len("eval__"):]: DATA[k] for k in DATA.files if k.startswith("eval__")}


def close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=1e-5, atol=1e-6)


# ----- building the golden cases with minikeras --------------------------------------------
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


def case_space(key):
    case = META["cases"][key]["case"]
    kwargs = {k: v for k, v in case.items() if k not in ("features", "crosses", "adapt")}
    space = FeatureSpace(features={n: make_feature(n, s) for n, s in case["features"].items()},
                         crosses=[make_cross(c) for c in case["crosses"]], **kwargs)
    return space, case


def own(columns, case):
    return {k: v for k, v in columns.items() if k in case["features"]}


def adapted(key):
    space, case = case_space(key)
    cols = own(COLS, case)
    if case["adapt"] == "dict":
        space.adapt(cols)
    elif case["adapt"] == "batches_of_50":  # a tf.data batch(50) pipeline
        space.adapt({k: v[i:i + 50] for k, v in cols.items()}
                    for i in range(0, len(cols["price"]), 50))
    else:
        space.adapt({k: v[:, None] for k, v in cols.items()})
    return space, case


def check_learned(space, learned):
    for name, expected in learned.items():
        layer = space.preprocessors[name]
        if "vocabulary" in expected:
            assert layer.get_vocabulary() == expected["vocabulary"], name
        if "bin_boundaries" in expected:
            close(layer.bin_boundaries, expected["bin_boundaries"])
        if "mean" in expected:
            close(np.ravel(layer.mean), expected["mean"])
            close(np.ravel(layer.variance), expected["variance"])


def one_sample(case):
    return {k: v[0].item() for k, v in own(EVAL, case).items()}


# ----- numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["concat", "batched", "columns"])
def test_concat_encoding_matches_keras(key):
    space, case = adapted(key)
    check_learned(space, META["cases"][key]["learned"])
    out = space(own(EVAL, case))
    assert out.dtype == np.float32 and hasattr(out, "numpy")
    close(out, DATA[f"{key}__concat"])
    assert list(space.get_encoded_features().shape) == META["cases"][key]["encoded_shape"]
    # One sample of Python scalars: a vector; 1-element arrays: a batch of one.
    sample = one_sample(case)
    close(space(sample), DATA[f"{key}__scalar"])
    assert space(sample).shape == DATA[f"{key}__scalar"].shape
    single = space({k: np.array([v]) for k, v in sample.items()})
    assert single.shape == DATA[f"{key}__single"].shape
    close(single, DATA[f"{key}__single"])


def test_lookups_and_hashes_are_exact():
    space, case = adapted("concat")
    out = np.asarray(space(own(EVAL, case)))
    expected = DATA["concat__concat"]
    # Columns in order: the features sorted, then the crosses sorted; every encoded
    # (multi-hot) block must be equal, only the float columns may differ by rounding.
    names = sorted(space.features) + sorted(space.crossers)
    start = 0
    for name in names:
        encoder = space.one_hot_encoders.get(name)
        width = encoder.num_tokens if encoder is not None else 1
        if encoder is not None:
            np.testing.assert_array_equal(out[:, start:start + width],
                                          expected[:, start:start + width], err_msg=name)
        start += width
    assert start == out.shape[1] == 64


def test_dict_mode_matches_keras():
    space, case = adapted("dict")
    golden = META["cases"]["dict"]
    check_learned(space, golden["learned"])
    out = space(own(EVAL, case))
    assert list(out) == golden["keys"]  # features sorted, then crosses sorted
    for key, value in out.items():
        assert value.dtype.name == golden["dtypes"][key], key
        expected = DATA[f"dict__dict__{key}"]
        if value.dtype.kind in "iu":
            np.testing.assert_array_equal(value, expected)
        else:
            close(value, expected)
    scalar = space(one_sample(case))
    for key, value in scalar.items():
        assert list(value.shape) == golden["scalar_shapes"][key], key
        close(value, DATA[f"dict__dictscalar__{key}"])
    encoded = space.get_encoded_features()
    assert {k: [list(t.shape), t.dtype] for k, t in encoded.items()} == golden["encoded"]


def test_adapt_on_a_py_dataset_equals_the_generator():
    class Batches(keras.utils.PyDataset):
        def __init__(self, columns):
            super().__init__()
            self.columns = columns

        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {k: v[i * 50:(i + 1) * 50] for k, v in self.columns.items()}

    space, case = case_space("batched")
    space.adapt(Batches(own(COLS, case)))
    close(space(own(EVAL, case)), DATA["batched__concat"])


# ----- Keras's files ----------------------------------------------------------------------------
def test_loads_a_feature_space_saved_by_keras():
    space = keras.saving.load_model(os.path.join(GOLDENS, "feature_space.keras"))
    assert isinstance(space, FeatureSpace)
    close(space(EVAL), DATA["concat__concat"])
    assert space.preprocessors["color"].get_vocabulary() == \
        META["cases"]["concat"]["learned"]["color"]["vocabulary"]


def test_loads_a_model_on_encoded_features_saved_by_keras(tmp_path):
    model = keras.saving.load_model(os.path.join(GOLDENS, "feature_space_model.keras"))
    assert [[l.name, type(l).__name__] for l in model.layers] == META["model"]["layers"]
    close(model.predict(EVAL, verbose=0), DATA["model__y"])
    model.save(tmp_path / "again.keras")
    restored = keras.saving.load_model(tmp_path / "again.keras")
    close(restored.predict(EVAL, verbose=0), DATA["model__y"])


def test_save_and_load_round_trip_in_keras_layout(tmp_path):
    space, case = adapted("concat")
    path = tmp_path / "space.keras"
    space.save(path)
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
        names = zf.namelist()
    assert (config["module"], config["class_name"]) == ("keras.utils", "FeatureSpace")
    price = config["config"]["features"]["price"]
    assert (price["module"], price["class_name"], price["registered_name"]) == \
        ("keras.src.layers.preprocessing.feature_space", "Feature", "Feature")
    ratio = config["config"]["features"]["ratio"]["config"]["preprocessor"]
    assert (ratio["class_name"], ratio["registered_name"]) == ("TFDIdentity", "TFDIdentity")
    # Keras's paths: the vocabularies under the `preprocessors` dict, by class name.
    assert "assets/preprocessors/string_lookup/vocabulary.txt" in names
    assert "assets/preprocessors/integer_lookup/vocabulary.txt" in names
    restored = keras.saving.load_model(path)
    close(restored(own(EVAL, case)), DATA["concat__concat"])
    close(restored(one_sample(case)), DATA["concat__scalar"])


def test_get_config_from_config_round_trip():
    space, case = adapted("dict")
    config = space.get_config()
    assert sorted(config) == ["crosses", "crossing_dim", "features", "hashing_dim",
                              "num_discretization_bins", "output_mode"]
    clone = FeatureSpace.from_config(json.loads(json.dumps(config)))
    assert clone.output_mode == "dict"
    assert [c.name for c in clone.crosses] == ["color_X_rooms", "age_X_city"]
    assert clone.crosses[0].output_mode == "int" and clone.crosses[0].crossing_dim == 16
    assert type(clone.preprocessors["rooms"]).__name__ == "IntegerLookup"
    assert clone.preprocessors["rooms"].num_oov_indices == 2
    # Learned bins travel in the config; vocabularies need adapt (or a .keras file).
    assert clone.preprocessors["age"].bin_boundaries == space.preprocessors["age"].bin_boundaries
    with pytest.raises(ValueError, match="adapt"):
        clone(one_sample(case))


# ----- API and errors -----------------------------------------------------------------------
def test_string_shortcuts_and_helpers_build_keras_layers():
    space = FeatureSpace(
        features={"a": "float", "b": "float_normalized", "c": "float_rescaled",
                  "d": "float_discretized", "e": "integer_categorical",
                  "f": "string_categorical", "g": "integer_hashed", "h": "string_hashed"},
        hashing_dim=5, num_discretization_bins=3)
    kinds = {k: type(v).__name__ for k, v in space.preprocessors.items()}
    assert kinds == {"a": "TFDIdentity", "b": "Normalization", "c": "Rescaling",
                     "d": "Discretization", "e": "IntegerLookup", "f": "StringLookup",
                     "g": "Hashing", "h": "Hashing"}
    assert space.preprocessors["d"].num_bins == 3 and space.preprocessors["h"].num_bins == 5
    assert space.preprocessors["e"].name == "e_preprocessor"
    assert {k: t.dtype for k, t in space.inputs.items()} == {
        "a": "float32", "b": "float32", "c": "float32", "d": "float32", "e": "int32",
        "f": "string", "g": "int32", "h": "string"}
    assert all(tuple(t.shape) == (None, 1) for t in space.inputs.values())
    # Helpers without a name count up, as Keras's auto names do.
    first, second = FeatureSpace.integer_categorical(), FeatureSpace.integer_categorical()
    assert first.preprocessor.name == "integer_categorical_preprocessor"
    assert second.preprocessor.name == "integer_categorical_1_preprocessor"


def test_features_without_state_need_no_adapt():
    space = FeatureSpace(features={"x": "float", "y": FeatureSpace.float_rescaled(scale=2.0)})
    out = space({"x": np.array([1.0, 2.0]), "y": [3, 4]})  # lists and ints are accepted
    np.testing.assert_allclose(out, [[1.0, 6.0], [2.0, 8.0]])
    assert out.dtype == np.float32


def test_custom_preprocessor_feature():
    # Keras's docstring example, in "dict" mode (in "concat" mode Keras itself fails: the
    # symbolic text encoding has shape (None, 1, vocabulary)).
    text = {"text": np.array(["red fox", "lazy dog", "red dog"]), "n": [1.0, 2.0, 3.0]}
    space = FeatureSpace(features={
        "text": FeatureSpace.feature(preprocessor=layers.TextVectorization(output_mode="count"),
                                     dtype="string", output_mode="float"),
        "n": "float"}, output_mode="dict")
    space.adapt(text)
    vocab = space.preprocessors["text"].get_vocabulary()
    assert vocab[0] == "[UNK]" and sorted(vocab[1:]) == ["dog", "fox", "lazy", "red"]
    out = space(text)
    assert out["text"].shape == (3, 5) and out["n"].shape == (3, 1)
    assert out["text"][:, vocab.index("red")].tolist() == [1, 0, 1]
    assert out["text"][:, vocab.index("dog")].tolist() == [0, 1, 1]
    assert space({"text": "red fox", "n": 1.0})["text"].shape == (5,)
    assert tuple(space.get_encoded_features()["text"].shape) == (None, 1, 5)


def test_one_hot_needs_a_known_output_space():
    space = FeatureSpace(features={"x": FeatureSpace.feature(
        dtype="int32", preprocessor=layers.Identity(), output_mode="one_hot")})
    with pytest.raises(ValueError, match="dimensionality of its output space is not known"):
        space.get_encoded_features()
    floats = FeatureSpace(features={"x": FeatureSpace.feature(
        dtype="float32", preprocessor=layers.Identity(), output_mode="one_hot")})
    with pytest.raises(ValueError, match="Instead it returns a float32 dtype"):
        floats.get_encoded_features()


def keras_error(label):
    kind, message = META["errors"][label]
    return {"ValueError": ValueError, "KeyError": KeyError}[kind], message


@pytest.mark.parametrize("label, make", [
    ("unknown_type", lambda: FeatureSpace(features={"a": "floatz"})),
    ("empty", lambda: FeatureSpace(features={})),
    ("bad_output_mode", lambda: FeatureSpace(features={"a": "float"}, output_mode="list")),
    ("unknown_cross", lambda: FeatureSpace(features={"a": "float"}, crosses=[("a", "b")])),
    ("bad_feature_mode", lambda: FeatureSpace.feature(
        dtype="float32", preprocessor=layers.Rescaling(1.0), output_mode="xx")),
    ("bad_cross_mode", lambda: FeatureSpace.cross(("a", "b"), 3, output_mode="float")),
])
def test_construction_errors_match_keras(label, make):
    kind, message = keras_error(label)
    with pytest.raises(kind) as info:
        make()
    assert str(info.value) == message


def test_usage_errors_match_keras():
    space = FeatureSpace(features={"price": "float_normalized", "rooms": "integer_categorical"})
    data = {"price": COLS["price"], "rooms": COLS["rooms"]}
    for label, call in [("call_before_adapt", lambda: space(data)),
                        ("inputs_before_adapt", space.get_inputs)]:
        kind, message = keras_error(label)
        with pytest.raises(kind) as info:
            call()
        assert str(info.value) == message
    kind, message = keras_error("adapt_list")
    with pytest.raises(kind) as info:  # Keras takes no list of batches either
        space.adapt([{"price": [1.0], "rooms": [2]}])
    assert str(info.value).startswith(message.split(" Received")[0])
    space.adapt(data)
    for label, bad in [("missing_key", {"price": COLS["price"]}),
                       ("extra_key", dict(data, zz=COLS["rooms"])),
                       ("not_a_dict", [1, 2])]:
        kind, message = keras_error(label)
        with pytest.raises(kind) as info:
            space(bad)
        assert str(info.value) == message, label
    kind, message = keras_error("concat_unencoded")
    unencoded = FeatureSpace(features={
        "color": FeatureSpace.string_categorical(output_mode="int"), "ratio": "float"})
    with pytest.raises(kind) as info:
        unencoded.adapt({"color": COLS["color"], "ratio": COLS["ratio"]})
    assert str(info.value) == message


def test_adapt_rejects_batches_with_labels():
    space = FeatureSpace(features={"price": "float_normalized"})
    batches = ((({"price": COLS["price"][i:i + 8]}, np.zeros(8))) for i in range(0, 32, 8))
    with pytest.raises(ValueError, match="yield dicts"):
        space.adapt(batches)
