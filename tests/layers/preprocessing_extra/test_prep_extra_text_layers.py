"""Text and categorical layers beyond the goldens: adapt from iterables,
callables, vocabulary files and assets, errors, symbolic shapes and dtypes,
and string hashing primitives on known values."""

import numpy as np
import pytest

import minikeras as keras
from minikeras.layers.preprocessing import string_hashing
from minikeras.layers.preprocessing.category_encoding import CategoryEncoding
from minikeras.layers.preprocessing.discretization import Discretization
from minikeras.layers.preprocessing.hashed_crossing import HashedCrossing
from minikeras.layers.preprocessing.hashing import Hashing
from minikeras.layers.preprocessing.integer_lookup import IntegerLookup
from minikeras.layers.preprocessing.string_lookup import StringLookup
from minikeras.layers.preprocessing.text_vectorization import TextVectorization

CORPUS = ["the cat sat", "the dog ran", "a cat and a dog", "the end"]


def test_adapt_from_generator_equals_adapt_from_array():
    whole = TextVectorization()
    whole.adapt(CORPUS)
    batched = TextVectorization()
    batched.adapt(np.array(CORPUS[i:i + 2]) for i in range(0, 4, 2))
    assert whole.get_vocabulary() == batched.get_vocabulary()
    assert whole.get_vocabulary()[:3] == ["", "[UNK]", "the"]
    steps = StringLookup()
    steps.adapt(iter([["a", "b"], ["b", "c"], ["z", "z"]]), steps=2)
    assert steps.get_vocabulary() == ["[UNK]", "b", "c", "a"]


def test_callable_standardize_and_split():
    layer = TextVectorization(standardize=lambda x: np.char.upper(x),
                              split=lambda x: [s.split("-") for s in x],
                              vocabulary=["A", "B"])
    np.testing.assert_array_equal(layer(["a-b-c", "b"]), [[2, 3, 1], [3, 0, 0]])


def test_text_vectorization_padding_and_truncation():
    layer = TextVectorization(output_sequence_length=2, vocabulary=["the", "cat"])
    np.testing.assert_array_equal(layer(["the cat the", "cat", ""]), [[2, 3], [3, 0], [0, 0]])
    ragged = TextVectorization(vocabulary=["the", "cat"])
    assert ragged(["", ""]).shape == (2, 0)


def test_vocabulary_file_and_assets(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("alpha\nbeta\ngamma\n", encoding="utf-8")
    layer = StringLookup(vocabulary=str(path))
    np.testing.assert_array_equal(layer(["gamma", "alpha", "zzz"]), [3, 1, 0])
    assert layer.get_config()["vocabulary"] is None      # a file path is not in the config
    adapted = TextVectorization(output_mode="tf_idf")
    adapted.adapt(CORPUS)
    assets = tmp_path / "assets"
    assets.mkdir()
    adapted.save_assets(str(assets))
    text = (assets / "vocabulary.txt").read_text(encoding="utf-8")
    assert text.split("\n") == adapted.get_vocabulary(include_special_tokens=True)
    store = {}
    adapted.save_own_variables(store)
    assert set(store) == {"idf_weights"}
    clone = TextVectorization.from_config(adapted.get_config())
    clone.load_own_variables(store)
    clone.load_assets(str(assets))
    np.testing.assert_allclose(clone(CORPUS), adapted(CORPUS), rtol=1e-6)


def test_integer_lookup_assets_round_trip(tmp_path):
    layer = IntegerLookup(mask_token=0)
    layer.adapt(np.array([[5, 7, 7, 0], [9, 9, 9, 5]]))
    layer.save_assets(str(tmp_path))
    clone = IntegerLookup.from_config(layer.get_config())
    clone.load_assets(str(tmp_path))
    assert clone.get_vocabulary() == layer.get_vocabulary() == [0, -1, 9, 7, 5]


@pytest.mark.parametrize("make,error,match", [
    (lambda: StringLookup(output_mode="binaryy"), ValueError, "output_mode"),
    (lambda: StringLookup(max_tokens=1), ValueError, "max_tokens"),
    (lambda: StringLookup(vocabulary=["a", "a"]), ValueError, "repeated"),
    (lambda: StringLookup(vocabulary=["a"], mask_token="a"), ValueError, "mask token"),
    (lambda: StringLookup(sparse=True, output_mode="multi_hot"), ValueError, "sparse"),
    (lambda: StringLookup(invert=True, output_mode="count"), ValueError, "invert"),
    (lambda: StringLookup(vocabulary=["a"], output_mode="tf_idf"), ValueError, "idf_weights"),
    (lambda: IntegerLookup(salt=3), ValueError, "farmhash"),
    (lambda: IntegerLookup(vocabulary_dtype="int32"), ValueError, "int64"),
    (lambda: TextVectorization(output_mode="count", output_sequence_length=3), ValueError,
     "output_sequence_length"),
    (lambda: TextVectorization(standardize="upper"), ValueError, "standardize"),
    (lambda: TextVectorization(ngrams=[1, 2]), ValueError, "ngrams"),
    (lambda: TextVectorization(ragged=True), ValueError, "ragged"),
    (lambda: CategoryEncoding(), ValueError, "num_tokens"),
    (lambda: CategoryEncoding(3, output_mode="tf_idf"), ValueError, "output_mode"),
    (lambda: Hashing(0), ValueError, "num_bins"),
    (lambda: Hashing(3, salt="x"), ValueError, "salt"),
    (lambda: Discretization(), ValueError, "num_bins"),
    (lambda: Discretization(num_bins=3, bin_boundaries=[1.0]), ValueError, "Both"),
    (lambda: HashedCrossing(4, output_mode="multi_hot"), ValueError, "output_mode"),
])
def test_constructor_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_runtime_errors():
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        StringLookup(vocabulary=["a"], num_oov_indices=0)(["a", "b"])
    with pytest.raises(RuntimeError, match="vocabulary"):
        StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(ValueError, match="Cannot adapt"):
        StringLookup(vocabulary=["a"]).adapt(["a"])
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        TextVectorization(vocabulary=["a"])(np.array([["a b", "c"]]))
    with pytest.raises(ValueError, match="at least two"):
        HashedCrossing(4)([np.array([1])])
    with pytest.raises(ValueError, match="equal shape"):
        HashedCrossing(4)([np.array([1, 2]), np.array([1])])
    with pytest.raises(ValueError, match="bin_boundaries"):
        Discretization(num_bins=3)(np.array([1.0]))
    with pytest.raises(ValueError, match="count_weights"):
        CategoryEncoding(3, output_mode="one_hot")([1], count_weights=[1.0])
    with pytest.raises(ValueError, match="string"):
        StringLookup(vocabulary=["a"])(np.array([1.5]))


def test_discretization_adapt_in_batches_close_to_quantiles():
    data = np.random.default_rng(0).normal(size=(2000,)).astype("float32")
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(np.array_split(data, 4))
    np.testing.assert_allclose(layer.bin_boundaries, np.quantile(data, [0.25, 0.5, 0.75]),
                               atol=0.05)
    counts = np.bincount(np.asarray(layer(data)).ravel(), minlength=4) / data.size
    np.testing.assert_allclose(counts, 0.25, atol=0.03)


def test_symbolic_shapes_and_dtypes():
    inp = keras.Input((4,), dtype="int64")
    out = IntegerLookup(vocabulary=[1, 2, 3])(inp)
    assert tuple(out.shape) == (None, 4) and out.dtype == "int64"
    hot = IntegerLookup(vocabulary=[1, 2, 3], output_mode="multi_hot")(inp)
    # Keras's symbolic multi_hot is floatx (the eager counts are int64, as in TensorFlow)
    assert tuple(hot.shape) == (None, 4) and hot.dtype == "float32"
    enc = CategoryEncoding(5, output_mode="count")(inp)
    assert tuple(enc.shape) == (None, 5) and enc.dtype == "float32"
    disc = Discretization(bin_boundaries=[0.0, 1.0])(keras.Input((3,)))
    assert tuple(disc.shape) == (None, 3) and disc.dtype == "int32"
    hashed = Hashing(7, output_mode="one_hot")(keras.Input((1,), dtype="int64"))
    assert tuple(hashed.shape) == (None, 7)
    tv = TextVectorization(output_sequence_length=6, vocabulary=["a"])
    assert tv.compute_output_shape((None, 1)) == (None, 6)
    tv = TextVectorization(output_mode="multi_hot", vocabulary=["a", "b"])
    assert tv.compute_output_shape((None,)) == (None, 3)
    # Keras: only "int" is int64 symbolically; count/multi_hot/one_hot are floatx.
    for mode in ("count", "multi_hot", "one_hot"):
        tv = TextVectorization(output_mode=mode, vocabulary=["a", "b"])
        assert tv(keras.Input((1,), dtype="string")).dtype == "float32", mode


def test_known_hash_values():
    # FarmHash Fingerprint64 reference values (the empty string is k2)
    assert string_hashing.fingerprint64(b"") == 0x9AE16A3B2F90404F
    # SipHash-2-4 test vector of the reference implementation: key 00..0f, empty input
    key = (int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(8, 16)),
                                                                     "little"))
    assert string_hashing.siphash64(key, b"") == 0x726FDB47DD0E0E31
    assert string_hashing.siphash64(key, bytes(range(15))) == 0xA129CA6149BE45E5


def test_integer_and_float_hashing_use_decimal_text():
    a = Hashing(1000)(np.array([[12], [-3]]))
    b = Hashing(1000)(np.array([["12"], ["-3"]]))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(Hashing(1000)(np.array([[12.7]], "float32")), a[:1])


def test_text_classification_flow():
    """A tutorial-style model: adapt a TextVectorization on sentences, then
    Embedding -> GlobalAveragePooling1D -> Dense, trained with fit on strings."""
    from minikeras.layers.core.dense import Dense
    from minikeras.layers.core.embedding import Embedding
    from minikeras.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
    rng = np.random.default_rng(0)
    pos = ["good", "great", "excellent", "fun", "love"]
    neg = ["bad", "awful", "boring", "hate", "poor"]
    filler = ["the", "movie", "was", "a", "plot", "and", "it"]

    def sentence(words):
        return " ".join(rng.choice(filler + words, size=rng.integers(4, 9))).capitalize() + "!"

    texts = np.array([sentence(pos) for _ in range(60)] + [sentence(neg) for _ in range(60)])
    labels = np.array([1] * 60 + [0] * 60, dtype="float32")
    vectorize = TextVectorization(max_tokens=30, output_sequence_length=10)
    vectorize.adapt(texts)
    assert len(vectorize.get_vocabulary()) == 19   # "", "[UNK]" and 17 words
    model = keras.Sequential([vectorize, Embedding(30, 8), GlobalAveragePooling1D(),
                              Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(texts, labels, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9
    p = model.predict(np.array(["Great fun, I love it", "Awful and boring"]), verbose=0)
    assert p.shape == (2, 1) and p[0, 0] > 0.5 > p[1, 0]
    # the same vectorization used outside the model, as in tf.data pipelines
    ids = vectorize(texts[:3])
    assert ids.shape == (3, 10) and ids.dtype == np.int64
