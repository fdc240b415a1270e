"""Legacy `keras.preprocessing.text` / `.sequence` against real tf.keras 3.

Goldens come from `tests/parity/generate_legacy_text_goldens.py` (TF 2.21,
tf.keras 3.15). Vocabularies, sequences, texts, hashes, skipgram pairs and
TimeseriesGenerator batches must match exactly; `texts_to_matrix` (float64
in Keras, floatx here) to float32 precision.
"""
import inspect
import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest

import minikeras as keras
from minikeras.preprocessing import sequence as msequence
from minikeras.preprocessing import text as mtext
from minikeras.utils import sequence_utils

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity",
                       "goldens")
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir,
                                    os.pardir))


def _json(name):
    with open(os.path.join(GOLDENS, name), encoding="utf-8") as f:
        return json.load(f)


TOK = _json("legacy_text_tokenizer.json")
SEQ = _json("legacy_text_sequence.json")
MATRICES = np.load(os.path.join(GOLDENS, "legacy_text_matrices.npz"))
SERIES = np.load(os.path.join(GOLDENS, "legacy_text_timeseries.npz"))
MODES = ("binary", "count", "tfidf", "freq")


def _fit(name):
    case = TOK["tokenizer"][name]
    tok = mtext.Tokenizer(**case["kwargs"])
    tok.fit_on_texts(case["fit_texts"])
    return case, tok


# --------------------------------------------------------------- signatures

@pytest.mark.parametrize("name", sorted(TOK["signatures"]))
def test_signature_matches_tf_keras(name):
    module, *attrs = name.split(".")
    obj = {"text": mtext, "sequence": msequence}[module]
    for attr in attrs:
        obj = getattr(obj, attr)
    assert str(inspect.signature(obj)) == TOK["signatures"][name]


def test_modules_reachable_from_package():
    assert keras.preprocessing.text.Tokenizer is mtext.Tokenizer
    assert keras.preprocessing.sequence.TimeseriesGenerator is \
        msequence.TimeseriesGenerator
    # One implementation of pad_sequences, re-exported.
    assert msequence.pad_sequences is sequence_utils.pad_sequences
    # The image module the package already had is still there.
    assert hasattr(keras.preprocessing.image, "ImageDataGenerator")


# ---------------------------------------------------------------- Tokenizer

@pytest.mark.parametrize("name", sorted(TOK["tokenizer"]))
def test_tokenizer_vocabulary(name):
    case, tok = _fit(name)
    assert tok.document_count == case["document_count"]
    # Ordered: word_counts by first appearance, word_index by rank.
    assert [list(p) for p in tok.word_counts.items()] == case["word_counts"]
    assert [list(p) for p in tok.word_index.items()] == case["word_index"]
    assert [list(p) for p in tok.index_word.items()] == case["index_word"]
    assert dict(tok.word_docs) == case["word_docs"]
    assert [list(p) for p in sorted(tok.index_docs.items())] == \
        case["index_docs"]


@pytest.mark.parametrize("name", sorted(TOK["tokenizer"]))
def test_tokenizer_sequences_and_texts(name):
    case, tok = _fit(name)
    assert tok.texts_to_sequences(case["queries"]) == case["sequences"]
    assert tok.texts_to_sequences(case["fit_texts"]) == case["fit_sequences"]
    assert list(tok.texts_to_sequences_generator(case["queries"])) == \
        case["sequences"]
    assert tok.sequences_to_texts(case["sequences"]) == case["texts_back"]
    assert tok.sequences_to_texts(case["extra_sequences"]) == \
        case["extra_texts"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(TOK["tokenizer"]))
def test_texts_to_matrix(name, mode):
    case, tok = _fit(name)
    got = tok.texts_to_matrix(case["queries"], mode=mode)
    want = MATRICES[f"{name}__{mode}"]
    assert got.dtype == np.float32
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=0)


@pytest.mark.parametrize("mode", MODES)
def test_fit_on_sequences_matrix(mode):
    case = TOK["fit_on_sequences"]
    tok = mtext.Tokenizer(num_words=8)
    tok.fit_on_sequences(case["sequences"])
    assert tok.document_count == case["document_count"]
    assert [list(p) for p in sorted(tok.index_docs.items())] == \
        case["index_docs"]
    np.testing.assert_allclose(
        tok.sequences_to_matrix(case["sequences"], mode=mode),
        MATRICES[f"fit_on_sequences__{mode}"], rtol=1e-6, atol=0)


@pytest.mark.parametrize("name", sorted(TOK["tokenizer"]))
def test_to_json_matches_keras(name):
    case, tok = _fit(name)
    ours = json.loads(tok.to_json())
    theirs = json.loads(case["to_json"])
    assert ours["class_name"] == theirs["class_name"] == "Tokenizer"
    assert list(ours["config"]) == list(theirs["config"])
    for key, value in theirs["config"].items():
        if key in ("word_counts", "word_index"):
            # Ordered containers: the JSON text itself matches.
            assert ours["config"][key] == value, key
        elif isinstance(value, str) and key not in ("filters", "split",
                                                     "oov_token"):
            assert json.loads(ours["config"][key]) == json.loads(value), key
        else:
            assert ours["config"][key] == value, key


@pytest.mark.parametrize("name", ["oov_num_words", "char_level", "default"])
def test_tokenizer_from_keras_json(name):
    case = TOK["tokenizer"][name]
    tok = mtext.tokenizer_from_json(case["to_json"])
    assert isinstance(tok, mtext.Tokenizer)
    assert tok.texts_to_sequences(case["queries"]) == case["sequences"]
    np.testing.assert_allclose(
        tok.texts_to_matrix(case["queries"], mode="tfidf"),
        MATRICES[f"{name}__tfidf"], rtol=1e-6)
    # Restored containers keep working for further fitting.
    token = "n" if case["kwargs"].get("char_level") else "new"
    before = tok.word_docs.get(token, 0)
    tok.fit_on_texts(["brand new words", "new"])
    assert tok.word_docs[token] == before + 2
    assert tok.document_count == case["document_count"] + 2


def test_json_round_trip():
    case, tok = _fit("oov_num_words")
    back = mtext.tokenizer_from_json(tok.to_json())
    assert back.get_config() == tok.get_config()
    assert back.index_word == tok.index_word
    assert back.sequences_to_texts(case["sequences"]) == case["texts_back"]


def test_tokenizer_legacy_kwargs_and_errors():
    with pytest.warns(UserWarning, match="num_words"):
        tok = mtext.Tokenizer(nb_words=7)
    assert tok.num_words == 7
    assert mtext.Tokenizer(document_count=3).document_count == 3
    with pytest.raises(TypeError, match="Unrecognized keyword"):
        mtext.Tokenizer(bogus=1)
    with pytest.raises(ValueError, match="Specify a dimension"):
        mtext.Tokenizer().texts_to_matrix(["a b"])
    with pytest.raises(ValueError, match="tfidf"):
        mtext.Tokenizer(num_words=5).sequences_to_matrix([[1]], mode="tfidf")
    _, tok = _fit("default")
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        tok.texts_to_matrix(["the"], mode="onehot")
    with pytest.raises(TypeError, match="expects a string"):
        tok.texts_to_sequences([3])


def test_tokenizer_analyzer():
    tok = mtext.Tokenizer(analyzer=lambda s: s.split("|"))
    tok.fit_on_texts(["a|b|a", "b|c|b|b"])
    assert tok.word_index == {"b": 1, "a": 2, "c": 3}
    assert tok.texts_to_sequences(["c|a|zz"]) == [[3, 2]]


# ------------------------------------------------------------ text helpers

@pytest.mark.parametrize("variant", ["default", "no_lower", "custom"])
def test_text_to_word_sequence(variant):
    kwargs = {"default": {}, "no_lower": {"lower": False},
              "custom": {"filters": ".,!", "split": "a"}}[variant]
    got = [mtext.text_to_word_sequence(t, **kwargs) for t in TOK["corpus"]]
    assert got == TOK["text_to_word_sequence"][variant]


def test_hashing_trick_md5():
    for key, want in TOK["hashing_trick_md5"].items():
        if key == "no_lower_md5_50":
            got = [mtext.hashing_trick(t, 50, hash_function="md5",
                                       lower=False) for t in TOK["corpus"]]
        else:
            got = [mtext.hashing_trick(t, int(key), hash_function="md5")
                   for t in TOK["corpus"]]
        assert got == want, key


def test_hashing_trick_custom_function_and_errors():
    assert mtext.hashing_trick("a bb ccc", 5, hash_function=len) == [2, 3, 4]
    with pytest.raises(ValueError, match=">= 2"):
        mtext.hashing_trick("a b", 1)
    with pytest.raises(ValueError, match="md5"):
        mtext.hashing_trick("a b", 5, hash_function="sha1")


def test_one_hot_is_builtin_hash_in_range():
    words = mtext.text_to_word_sequence(TOK["corpus"][0])
    got = mtext.one_hot(TOK["corpus"][0], 13)
    assert got == [hash(w) % 12 + 1 for w in words]
    assert all(1 <= i <= 12 for i in got)


def test_one_hot_matches_keras_under_fixed_hash_seed():
    golden = TOK["one_hot_hashseed0"]
    code = ("import json, sys; from minikeras.preprocessing.text import "
            "one_hot; corpus = json.loads(sys.stdin.read()); "
            f"print(json.dumps([one_hot(t, {golden['n']}) for t in corpus]))")
    env = dict(os.environ, PYTHONHASHSEED=str(golden["hash_seed"]),
               PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(
        TOK["corpus"]), capture_output=True, text=True, env=env, check=True,
        timeout=60)
    got = json.loads(out.stdout)
    if list(sys.version_info[:2]) == golden["python"]:
        # Same interpreter version, same string hash: Keras's exact indices.
        assert got == golden["values"]
    else:
        assert [len(v) for v in got] == [len(v) for v in golden["values"]]


# --------------------------------------------------------------- skipgrams

@pytest.mark.parametrize("name", sorted(SEQ["skipgrams"]))
def test_skipgrams_match_keras_exactly(name):
    case = SEQ["skipgrams"][name]
    kwargs = dict(case["kwargs"])
    if kwargs.pop("sampling_table", False):
        kwargs["sampling_table"] = np.asarray(SEQ["sampling_table_10_1e-2"])
    random.seed(case["python_seed"])
    couples, labels = msequence.skipgrams(SEQ["skipgram_sequence"], **kwargs)
    assert couples == case["couples"]
    assert labels == case["labels"]


def test_skipgrams_with_own_sampling_table():
    case = SEQ["skipgrams"]["sampling_table"]
    kwargs = dict(case["kwargs"], sampling_table=msequence.make_sampling_table(
        10, sampling_factor=1e-2))
    random.seed(case["python_seed"])
    couples, labels = msequence.skipgrams(SEQ["skipgram_sequence"], **kwargs)
    assert (couples, labels) == (case["couples"], case["labels"])


def test_skipgrams_structure():
    seq = [1, 2, 0, 3]
    couples, labels = msequence.skipgrams(seq, 5, window_size=1,
                                          negative_samples=0.0, shuffle=False)
    # 0 is a non-word on both sides of a pair.
    assert couples == [[1, 2], [2, 1]]
    assert labels == [1, 1]


@pytest.mark.parametrize("key,size,factor", [
    ("sampling_table_10_1e-2", 10, 1e-2),
    ("sampling_table_50_default", 50, 1e-5),
    ("sampling_table_20_1e-3", 20, 1e-3),
])
def test_make_sampling_table(key, size, factor):
    got = msequence.make_sampling_table(size, factor)
    assert got.dtype == np.float32 and got.shape == (size,)
    np.testing.assert_allclose(got, SEQ[key], rtol=1e-6)


def test_make_sampling_table_rejects_bad_size():
    with pytest.raises(ValueError, match="positive int"):
        msequence.make_sampling_table(0)


# ----------------------------------------------------- TimeseriesGenerator

def _series_case(name):
    meta = SEQ["timeseries"][name]
    kwargs = {k: v for k, v in meta["kwargs"].items() if k != "numpy_seed"}
    if name == "list_input":
        return meta, msequence.TimeseriesGenerator(
            list(range(12)), list(range(12)), **kwargs)
    return meta, msequence.TimeseriesGenerator(
        SERIES["data"], SERIES["targets"], **kwargs)


@pytest.mark.parametrize("name", sorted(SEQ["timeseries"]))
def test_timeseries_generator_batches(name):
    meta, gen = _series_case(name)
    assert isinstance(gen, keras.utils.PyDataset)
    assert len(gen) == meta["len"]
    if "numpy_seed" in meta["kwargs"]:
        np.random.seed(meta["kwargs"]["numpy_seed"])
    for i in range(len(gen)):
        x, y = gen[i]
        want_x, want_y = SERIES[f"{name}__x{i}"], SERIES[f"{name}__y{i}"]
        assert x.dtype == want_x.dtype and x.shape == want_x.shape
        np.testing.assert_array_equal(x, want_x)
        np.testing.assert_array_equal(y, want_y)


def test_timeseries_generator_errors_and_config():
    data = np.zeros((10, 2))
    with pytest.raises(ValueError, match="same length"):
        msequence.TimeseriesGenerator(data, np.zeros(9), length=2)
    with pytest.raises(ValueError, match="is disallowed"):
        msequence.TimeseriesGenerator(data, np.zeros(10), length=12)
    gen = msequence.TimeseriesGenerator(data, np.arange(10), length=3,
                                        batch_size=4, workers=2)
    assert gen.workers == 2
    with pytest.raises(IndexError):
        gen[len(gen)]
    np.testing.assert_array_equal(gen[-1][1], gen[len(gen) - 1][1])
    config = json.loads(gen.to_json())["config"]
    assert config["start_index"] == 3 and config["end_index"] == 9
    assert json.loads(config["targets"]) == list(range(10))


def test_timeseries_generator_trains_with_fit():
    t = np.linspace(0, 8 * np.pi, 200).astype("float32")
    series = np.stack([np.sin(t), np.cos(t)], axis=-1)
    gen = msequence.TimeseriesGenerator(series, series[:, 0], length=8,
                                        batch_size=32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 2)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(gen, epochs=8, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 8 and losses[-1] < 0.2 * losses[0]


# ----------------------------------------------------------- tutorial flow

def test_tokenizer_pad_embedding_tutorial_flow():
    """Keras-2 tutorial: Tokenizer -> pad_sequences -> Embedding -> fit."""
    rng = np.random.default_rng(0)
    good = ["great", "good", "lovely", "excellent", "fun"]
    bad = ["awful", "bad", "boring", "terrible", "dull"]
    filler = ["the", "movie", "was", "really", "plot", "and", "acting"]
    texts, labels = [], []
    for _ in range(200):
        label = int(rng.integers(2))
        words = list(rng.choice(filler, size=int(rng.integers(2, 6))))
        words += list(rng.choice(good if label else bad,
                                 size=int(rng.integers(1, 3))))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + "!")
        labels.append(label)
    labels = np.array(labels, dtype="float32")

    tokenizer = keras.preprocessing.text.Tokenizer(num_words=50,
                                                   oov_token="<OOV>")
    tokenizer.fit_on_texts(texts[:160])
    seqs = tokenizer.texts_to_sequences(texts)
    padded = keras.preprocessing.sequence.pad_sequences(
        seqs, maxlen=8, padding="post", truncating="post")
    assert padded.shape == (200, 8) and padded.dtype == np.int32
    assert padded.max() < 50

    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((8,), dtype="int32"),
        keras.layers.Embedding(50, 8),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(padded[:160], labels[:160], epochs=15, batch_size=16,
              verbose=0)
    _, acc = model.evaluate(padded[160:], labels[160:], verbose=0)
    assert acc >= 0.9
