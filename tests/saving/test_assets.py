"""Assets: vocabularies learned with `adapt()` travel in the `.keras` archive as in Keras.

Keras writes each object's `save_assets` files under `assets/<object path>/`
(`assets/layers/text_vectorization/vocabulary.txt`) and calls `load_assets`
with that folder when loading. String inputs (`keras.Input(dtype="string")`)
come with it: the tutorials' text models start with one.
"""
import os
import tempfile
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras import saving
from minikeras.backend import common
from minikeras.saving.saving_lib import LoadingError
from tests.saving.helpers import VOCAB_X, fixture_path, vocab_model

pytestmark = pytest.mark.usefixtures("h5_backend")

X_TEXT, X_COLOR = VOCAB_X
_vocab_model = vocab_model


def _predict(model):
    return model.predict([X_TEXT, X_COLOR], verbose=0)


def test_string_input_dtype():
    text = keras.Input(shape=(1,), dtype="string")
    assert text.dtype == "string"
    assert common.standardize_dtype("string") == common.standardize_dtype(str) == "string"
    # Numeric dtypes are untouched.
    assert common.standardize_dtype(None) == "float32"
    assert common.standardize_dtype("float32") == common.standardize_dtype(np.float32) == \
        "float32"
    # "int" is int64, as in Keras with the TensorFlow backend.
    assert common.standardize_dtype("int") == "int64"
    config = keras.Model(text, text).get_config()
    assert config["layers"][0]["config"]["dtype"] == "string"


def test_adapt_save_load_gives_the_same_outputs(tmp_path):
    model = _vocab_model()
    model.save(tmp_path / "vocab.keras")
    with zipfile.ZipFile(tmp_path / "vocab.keras") as zf:
        names = set(zf.namelist())
        vocab = zf.read("assets/layers/text_vectorization/vocabulary.txt").decode("utf-8")
    # Keras's layout: one folder per object path (the lookup inside the
    # TextVectorization writes its own copy), named after the layer's class.
    assert {"assets/layers/text_vectorization/vocabulary.txt",
            "assets/layers/text_vectorization/_lookup_layer/vocabulary.txt",
            "assets/layers/string_lookup/vocabulary.txt"} <= names
    assert vocab.split("\n") == model.get_layer("tv").get_vocabulary()
    loaded = saving.load_model(tmp_path / "vocab.keras")
    for a, b in zip(_predict(loaded), _predict(model)):
        np.testing.assert_array_equal(a, b)
    assert loaded.get_layer("tv").get_vocabulary() == model.get_layer("tv").get_vocabulary()


def test_vocabulary_comes_from_the_assets(tmp_path):
    """Without its assets the same archive loads unadapted layers: the vocabularies
    really travel in `assets/`, not in the config."""
    model = _vocab_model()
    model.save(tmp_path / "vocab.keras")
    with zipfile.ZipFile(tmp_path / "vocab.keras") as zf, \
            zipfile.ZipFile(tmp_path / "bare.keras", "w") as out:
        for info in zf.infolist():
            if not info.filename.startswith("assets/"):
                out.writestr(info, zf.read(info))
    bare = saving.load_model(tmp_path / "bare.keras")
    assert bare.get_layer("lookup").vocabulary_size() != model.get_layer("lookup").vocabulary_size()


def test_keras_file_with_vocabularies_loads_with_keras_outputs(expected):
    model = saving.load_model(fixture_path("text_vectorization.keras"))
    xs = [expected["text_vectorization/x0"], expected["text_vectorization/x1"]]
    for p, y in zip(model.predict(xs, verbose=0),
                    [expected["text_vectorization/y0"], expected["text_vectorization/y1"]]):
        np.testing.assert_array_equal(p, y)


def test_assets_leave_no_temporary_folder_behind(tmp_path):
    def ours():
        return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("minikeras_assets_")}
    before = ours()
    model = _vocab_model()
    model.save(tmp_path / "vocab.keras")
    saving.load_model(tmp_path / "vocab.keras")
    assert ours() == before


def _rewrite(src, dst, replace):
    with zipfile.ZipFile(src) as zf, zipfile.ZipFile(dst, "w") as out:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename in replace:
                data = replace[info.filename]
                if data is None:
                    continue
            out.writestr(info.filename, data)
        for name, data in replace.items():
            if name not in zf.namelist() and data is not None:
                out.writestr(name, data)


def test_traversing_asset_member_is_refused(tmp_path):
    _vocab_model().save(tmp_path / "vocab.keras")
    _rewrite(tmp_path / "vocab.keras", tmp_path / "evil.keras",
             {"assets/layers/../../evil.txt": b"x"})
    with pytest.raises(LoadingError, match="unsafe member name"):
        saving.load_model(tmp_path / "evil.keras")


def test_a_failing_load_assets_names_the_layer(tmp_path):
    lookup = keras.layers.IntegerLookup(name="ints")
    lookup.adapt(np.array([3, 3, 7, 9]))
    inputs = keras.Input((2,), dtype="int64")
    keras.Model(inputs, lookup(inputs)).save(tmp_path / "ints.keras")
    with zipfile.ZipFile(tmp_path / "ints.keras") as zf:
        member = [n for n in zf.namelist() if n.endswith("vocabulary.txt")][0]
    _rewrite(tmp_path / "ints.keras", tmp_path / "bad.keras", {member: b"-1\n3\nseven"})
    with pytest.raises(LoadingError, match=r"assets of 'ints'.*seven"):
        saving.load_model(tmp_path / "bad.keras")


def test_weights_only_loading_ignores_assets(tmp_path):
    model = _vocab_model()
    model.save(tmp_path / "vocab.keras")
    model.load_weights(tmp_path / "vocab.keras")  # vocabularies are not weights
    for a, b in zip(_predict(model), _predict(_vocab_model())):
        np.testing.assert_array_equal(a, b)
