"""Write goldens for the extra preprocessing layers from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (TensorFlow backend; never
needed by the normal test run, and this script never imports minikeras):

    python tests/parity/generate_preprocessing_extra_goldens.py

Written under `goldens/`:

* `prep_extra_text.json`: text and categorical layers (StringLookup,
  IntegerLookup, TextVectorization, Hashing, HashedCrossing,
  CategoryEncoding, Discretization). Each case holds the constructor
  kwargs, the optional `adapt` data, the call inputs (and call kwargs), and
  Keras' output (values, dtype, shape), vocabulary, IDF weights and config.
* `prep_extra_image.json` + `prep_extra_image.npz`: image layers. The
  random layers are compared through fixed transformations: the case
  records the transformation Keras drew (`get_random_transformation`) and
  the output of `transform_images(images, transformation)`; deterministic
  layers record `layer(images)`.
* `prep_extra_audio.npz`: STFTSpectrogram / MelSpectrogram outputs.
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

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "A dog, a cat and a FOX!",
    "the cat sat on the mat",
    "Dogs and cats: friends?",
    "  spaced\tout\ntext  ",
    "Émile's café: naïve résumé",
]
WORDS = [["a", "b", "c", "b"], ["c", "c", "d", "e"], ["b", "a", "z", "c"]]
INTS = [[12, 36, 12, 7], [7, 7, 1138, 42], [36, 5, 12, 0]]


def _plain(v):
    if isinstance(v, np.ndarray):
        return _plain(v.tolist())
    if isinstance(v, (list, tuple)):
        return [_plain(e) for e in v]
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, dict):
        return {k: _plain(e) for k, e in v.items()}
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def text_case(name, cls, init, inputs, adapt=None, call_kwargs=None, tuple_inputs=False,
              input_dtype=None):
    layer = getattr(keras.layers, cls)(**init)
    if adapt is not None:
        layer.adapt(np.array(adapt) if not isinstance(adapt, dict) else adapt["list"])
    x = [np.array(e) for e in inputs] if tuple_inputs else np.array(inputs, dtype=input_dtype)
    kwargs = {k: np.array(v) for k, v in (call_kwargs or {}).items()}
    y = layer(tuple(x) if tuple_inputs else x, **kwargs)
    y = y.numpy() if hasattr(y, "numpy") else np.asarray(y)
    rec = dict(name=name, cls=cls, init=init, adapt=adapt, inputs=inputs,
               tuple_inputs=tuple_inputs, input_dtype=input_dtype, call_kwargs=call_kwargs,
               output=_plain(y), dtype=str(y.dtype) if y.dtype.kind not in "SO" else "string",
               shape=list(y.shape), config=_plain(layer.get_config()))
    if hasattr(layer, "get_vocabulary"):
        rec["vocabulary"] = _plain(layer.get_vocabulary())
    lookup = getattr(layer, "_lookup_layer", layer)
    if getattr(lookup, "output_mode", None) == "tf_idf":
        rec["idf_weights"] = _plain(lookup.idf_weights_const.numpy())
    if cls == "Discretization":
        rec["bin_boundaries"] = _plain(layer.bin_boundaries)
    return rec


def text_cases():
    c = []
    sl = "StringLookup"
    vocab = ["a", "b", "c", "d"]
    c.append(text_case("sl_vocab", sl, dict(vocabulary=vocab), WORDS))
    c.append(text_case("sl_adapt", sl, dict(), WORDS, adapt=WORDS))
    c.append(text_case("sl_adapt_max", sl, dict(max_tokens=4), WORDS, adapt=WORDS))
    c.append(text_case("sl_adapt_rank1", sl, dict(), WORDS, adapt=sum(WORDS, [])))
    c.append(text_case("sl_oov3", sl, dict(vocabulary=["a", "b"], num_oov_indices=3),
                       WORDS + [["zz", "yy", "quux", "a"]]))
    c.append(text_case("sl_oov3_salt", sl, dict(vocabulary=["a", "b"], num_oov_indices=3,
                                                salt=[1, 2]),
                       WORDS + [["zz", "yy", "quux", "a"]]))
    c.append(text_case("sl_mask", sl, dict(vocabulary=vocab, mask_token="[M]"),
                       [["a", "[M]", "q", "d"]]))
    c.append(text_case("sl_mask_special", sl, dict(vocabulary=["", "[UNK]", "a", "b"],
                                                   mask_token=""), [["a", "", "q", "b"]]))
    c.append(text_case("sl_invert", sl, dict(vocabulary=vocab, invert=True),
                       [[1, 0, 4, 2], [3, 3, 9, 1]]))
    c.append(text_case("sl_invert_mask", sl, dict(vocabulary=vocab, invert=True,
                                                  mask_token="[M]"), [[1, 0, 5, 2]]))
    c.append(text_case("sl_one_hot", sl, dict(vocabulary=vocab, output_mode="one_hot"),
                       ["a", "q", "d"]))
    c.append(text_case("sl_one_hot_col", sl, dict(vocabulary=vocab, output_mode="one_hot"),
                       [["a"], ["q"], ["d"]]))
    c.append(text_case("sl_multi_hot", sl, dict(vocabulary=vocab, output_mode="multi_hot"),
                       WORDS))
    c.append(text_case("sl_multi_hot_rank1", sl, dict(vocabulary=vocab,
                                                      output_mode="multi_hot"),
                       ["a", "b", "zz"]))
    c.append(text_case("sl_count_pad", sl, dict(vocabulary=vocab, output_mode="count",
                                                pad_to_max_tokens=True, max_tokens=8), WORDS))
    c.append(text_case("sl_count_mask", sl, dict(vocabulary=vocab, output_mode="count",
                                                 mask_token="[M]"), [["a", "[M]", "a", "q"]]))
    c.append(text_case("sl_tfidf_adapt", sl, dict(output_mode="tf_idf"), WORDS, adapt=WORDS))
    c.append(text_case("sl_tfidf_given", sl, dict(vocabulary=vocab, output_mode="tf_idf",
                                                  idf_weights=[0.5, 0.25, 1.0, 2.0]), WORDS))
    c.append(text_case("sl_tfidf_given_pad", sl, dict(
        vocabulary=vocab, output_mode="tf_idf", idf_weights=[0.5, 0.25, 1.0, 2.0],
        pad_to_max_tokens=True, max_tokens=7), WORDS))
    il = "IntegerLookup"
    c.append(text_case("il_vocab", il, dict(vocabulary=[12, 36, 1138, 42]), INTS))
    c.append(text_case("il_adapt", il, dict(), INTS, adapt=INTS))
    c.append(text_case("il_adapt_mask", il, dict(mask_token=0, max_tokens=5), INTS,
                       adapt=INTS))
    c.append(text_case("il_floormod", il, dict(vocabulary=[12, 36], num_oov_indices=3), INTS))
    c.append(text_case("il_farmhash", il, dict(vocabulary=[12, 36], num_oov_indices=3,
                                               oov_method="farmhash"), INTS))
    c.append(text_case("il_farmhash_salt", il, dict(vocabulary=[12, 36], num_oov_indices=3,
                                                    oov_method="farmhash", salt=5), INTS))
    c.append(text_case("il_invert", il, dict(vocabulary=[12, 36, 1138, 42], invert=True),
                       [[1, 0, 4, 2], [3, 3, 9, 1]]))
    c.append(text_case("il_multi_hot", il, dict(vocabulary=[12, 36, 1138, 42],
                                                output_mode="multi_hot"), INTS))
    c.append(text_case("il_tfidf", il, dict(output_mode="tf_idf", max_tokens=5), INTS,
                       adapt=INTS))
    tv = "TextVectorization"
    c.append(text_case("tv_adapt", tv, dict(), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_adapt_max_seq", tv, dict(max_tokens=8, output_sequence_length=6),
                       CORPUS + ["unknown words here fox"], adapt=CORPUS))
    c.append(text_case("tv_col_input", tv, dict(output_sequence_length=3),
                       [[s] for s in CORPUS[:3]], adapt=CORPUS))
    c.append(text_case("tv_lower", tv, dict(standardize="lower"), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_strip", tv, dict(standardize="strip_punctuation"), CORPUS,
                       adapt=CORPUS))
    c.append(text_case("tv_none", tv, dict(standardize=None), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_char", tv, dict(split="character", max_tokens=12),
                       CORPUS[:3], adapt=CORPUS))
    c.append(text_case("tv_ngrams2", tv, dict(ngrams=2), CORPUS[:3], adapt=CORPUS))
    c.append(text_case("tv_ngrams_tuple", tv, dict(ngrams=(2, 3), max_tokens=20),
                       CORPUS[:3], adapt=CORPUS))
    c.append(text_case("tv_multi_hot", tv, dict(output_mode="multi_hot", max_tokens=10),
                       CORPUS, adapt=CORPUS))
    c.append(text_case("tv_count", tv, dict(output_mode="count"), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_count_pad", tv, dict(output_mode="count", max_tokens=40,
                                                pad_to_max_tokens=True), CORPUS[:2],
                       adapt=CORPUS))
    c.append(text_case("tv_tfidf", tv, dict(output_mode="tf_idf", ngrams=2, max_tokens=15),
                       CORPUS, adapt=CORPUS))
    c.append(text_case("tv_vocab", tv, dict(vocabulary=["the", "fox", "dog", "cat"],
                                           output_sequence_length=5), CORPUS))
    c.append(text_case("tv_split_none", tv, dict(split=None, vocabulary=["a b", "c"]),
                       [["a b"], ["c"], ["A B!"]]))
    c.append(text_case("tv_split_none_one_hot", tv, dict(
        split=None, output_mode="one_hot", vocabulary=["a b", "c"]), [["a b"], ["c"], ["d"]]))
    c.append(text_case("tv_scalar", tv, dict(vocabulary=["the", "fox", "dog"]),
                       "The dog and the fox"))
    h = "Hashing"
    c.append(text_case("hash_str", h, dict(num_bins=3), [["A"], ["B"], ["C"], ["D"], ["E"]]))
    c.append(text_case("hash_str_long", h, dict(num_bins=1000),
                       [[("word%d" % i) * (i % 9 + 1)] for i in range(20)]))
    c.append(text_case("hash_salt", h, dict(num_bins=3, salt=133),
                       [["A"], ["B"], ["C"], ["D"], ["E"]]))
    c.append(text_case("hash_salt_pair", h, dict(num_bins=50, salt=[7, 1 << 40]),
                       [["A"], ["B"], ["Hello"]]))
    c.append(text_case("hash_mask", h, dict(num_bins=3, mask_value=""),
                       [["A"], ["B"], [""], ["C"], ["D"]]))
    c.append(text_case("hash_int", h, dict(num_bins=7), [[1, -2, 3], [40, 5000, 0]]))
    c.append(text_case("hash_int_mask", h, dict(num_bins=7, mask_value=0),
                       [[1, 0, 3], [40, 5000, 0]]))
    c.append(text_case("hash_float", h, dict(num_bins=7), [[1.7, -2.2, 3.0]],
                       input_dtype="float32"))
    c.append(text_case("hash_multi_hot", h, dict(num_bins=6, output_mode="multi_hot"),
                       [["a", "b", "c"], ["d", "a", "a"]]))
    c.append(text_case("hash_count", h, dict(num_bins=6, output_mode="count"),
                       [["a", "b", "c"], ["d", "a", "a"]]))
    c.append(text_case("hash_one_hot", h, dict(num_bins=6, output_mode="one_hot"),
                       [["a"], ["b"], ["c"]]))
    hc = "HashedCrossing"
    c.append(text_case("cross_int_str", hc, dict(num_bins=5),
                       [["A", "B", "A", "B", "A"], [101, 101, 101, 102, 102]],
                       tuple_inputs=True))
    c.append(text_case("cross_col", hc, dict(num_bins=1000),
                       [[["x"], ["y"]], [[1], [2]], [["p"], ["q"]]], tuple_inputs=True))
    c.append(text_case("cross_one_hot", hc, dict(num_bins=4, output_mode="one_hot"),
                       [[3, 4, 5], [7, 8, 9]], tuple_inputs=True))
    ce = "CategoryEncoding"
    c.append(text_case("ce_one_hot", ce, dict(num_tokens=4, output_mode="one_hot"),
                       [3, 2, 0, 1]))
    c.append(text_case("ce_one_hot_col", ce, dict(num_tokens=4, output_mode="one_hot"),
                       [[3], [2], [0]]))
    c.append(text_case("ce_multi_hot", ce, dict(num_tokens=4, output_mode="multi_hot"),
                       [[0, 1], [0, 0], [1, 2], [3, 1]]))
    c.append(text_case("ce_multi_hot_rank1", ce, dict(num_tokens=5), [0, 3, 3]))
    c.append(text_case("ce_count", ce, dict(num_tokens=4, output_mode="count"),
                       [[0, 1], [0, 0], [1, 2], [3, 1]]))
    c.append(text_case("ce_count_weights", ce, dict(num_tokens=4, output_mode="count"),
                       [[0, 1], [0, 0], [1, 2], [3, 1]],
                       call_kwargs=dict(count_weights=[[0.1, 0.2], [0.1, 0.1], [0.2, 0.3],
                                                       [0.4, 0.2]])))
    d = "Discretization"
    data = [[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]
    c.append(text_case("disc_bounds", d, dict(bin_boundaries=[0.0, 1.0, 2.0]), data,
                       input_dtype="float32"))
    c.append(text_case("disc_one_hot", d, dict(bin_boundaries=[0.0, 1.0, 2.0],
                                               output_mode="one_hot"), [[-1.5], [0.5], [2.5]],
                       input_dtype="float32"))
    c.append(text_case("disc_multi_hot", d, dict(bin_boundaries=[0.0, 1.0, 2.0],
                                                 output_mode="multi_hot"), data,
                       input_dtype="float32"))
    c.append(text_case("disc_count", d, dict(bin_boundaries=[0.0, 1.0, 2.0],
                                             output_mode="count"), data,
                       input_dtype="float32"))
    rng = np.random.default_rng(3)
    sample = np.round(rng.normal(size=(50, 3)), 3).astype("float32").tolist()
    c.append(text_case("disc_adapt", d, dict(num_bins=4), data, adapt=sample,
                       input_dtype="float32"))
    c.append(text_case("disc_adapt_eps", d, dict(num_bins=5, epsilon=0.1), data,
                       adapt=sample, input_dtype="float32"))
    c.append(text_case("disc_adapt_list", d, dict(num_bins=3), data,
                       adapt={"list": [[1.0, 2.0, 3.0], [4.0, 5.0], [0.5, 9.0, 7.0, 6.0]]},
                       input_dtype="float32"))
    return c


def main_text():
    cases = text_cases()
    with open(os.path.join(OUT, "prep_extra_text.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": cases}, f, indent=0,
                  ensure_ascii=False)
    print(f"prep_extra_text.json: {len(cases)} cases")


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    main_text()
