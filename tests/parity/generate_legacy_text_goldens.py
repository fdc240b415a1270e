"""Write goldens for the legacy `keras.preprocessing.text` / `.sequence` APIs.

Run in a virtualenv with TensorFlow 2.16+ (tf.keras 3; never needed by the
normal test run, and this script never imports minikeras):

    python tests/parity/generate_legacy_text_goldens.py

Written under `goldens/`:

* `legacy_text_tokenizer.json`: `Tokenizer` cases (one per option), each with
  the constructor kwargs, fit texts, Keras's vocabularies (ordered), the
  sequences, the texts back, and `to_json()`; plus `text_to_word_sequence`
  and md5 `hashing_trick` cases and the public signatures.
  `one_hot` (built-in `hash`) is recorded under `PYTHONHASHSEED=0` (the
  script re-executes itself with it).
* `legacy_text_matrices.npz`: `texts_to_matrix` in each mode, per case, as
  float32 (`<case>__<mode>`).
* `legacy_text_sequence.json`: `skipgrams` pairs drawn after
  `random.seed(...)` (Python's `random`, so they reproduce exactly) and
  `make_sampling_table` values.
* `legacy_text_timeseries.npz`: `TimeseriesGenerator` batches
  (`<case>__x<i>`, `<case>__y<i>`); their kwargs and lengths are in
  `legacy_text_sequence.json`.
"""
import inspect
import json
import os
import random
import sys

# A fixed string-hash seed makes the output reproducible (set iteration order
# in `word_docs`) and lets `one_hot` (built-in `hash`) be compared exactly.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

text = tf.keras.preprocessing.text
sequence = tf.keras.preprocessing.sequence

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "A dog, a cat and a FOX!",
    "the cat sat on the mat; the cat purred",
    "Dogs and cats: friends?",
    "  spaced\tout\ntext  with-dashes_and,commas",
    "Émile's café: naïve résumé",
]
QUERIES = [
    "the dog and the unseen zebra",
    "A cat, a FOX, a mat.",
    "",
    "Émile's CAFÉ",
]
TOKENS = [["The", "cat", "sat"], ["the", "Dog", "ran", "the"], ["Fox"]]

TOKENIZER_CASES = {
    "default": {},
    "num_words": {"num_words": 6},
    "oov": {"oov_token": "<OOV>"},
    "oov_num_words": {"oov_token": "<OOV>", "num_words": 5},
    "no_lower": {"lower": False},
    "no_filters": {"filters": ""},
    "split_comma": {"split": ","},
    "char_level": {"char_level": True},
    "char_level_num_words": {"char_level": True, "num_words": 10,
                             "oov_token": "?"},
    "tokens_input": {"oov_token": "<OOV>"},
}


def _tokenizer_case(name, kwargs):
    tok = text.Tokenizer(**kwargs)
    fit = TOKENS if name == "tokens_input" else CORPUS
    queries = TOKENS + [["unknown", "CAT"]] if name == "tokens_input" \
        else QUERIES
    tok.fit_on_texts(fit)
    seqs = tok.texts_to_sequences(queries)
    fit_seqs = tok.texts_to_sequences(fit)
    matrices = {mode: tok.texts_to_matrix(queries, mode=mode)
                for mode in ("binary", "count", "tfidf", "freq")}
    # Indices past the vocabulary, and 0, to exercise sequences_to_texts.
    extra = [[0, 1, 2, 3, len(tok.word_index) + 5], [4, 4, 5]]
    case = {
        "kwargs": kwargs,
        "fit_texts": fit,
        "queries": queries,
        "document_count": tok.document_count,
        "word_counts": list(tok.word_counts.items()),
        "word_docs": dict(tok.word_docs),
        "word_index": list(tok.word_index.items()),
        "index_word": [[k, v] for k, v in tok.index_word.items()],
        "index_docs": [[k, v] for k, v in sorted(tok.index_docs.items())],
        "sequences": seqs,
        "fit_sequences": fit_seqs,
        "extra_sequences": extra,
        "texts_back": tok.sequences_to_texts(seqs),
        "extra_texts": tok.sequences_to_texts(extra),
        "to_json": tok.to_json(),
    }
    return case, matrices


def _fit_on_sequences_case():
    tok = text.Tokenizer(num_words=8)
    seqs = [[1, 2, 2, 3], [3, 4], [7, 1, 9], []]
    tok.fit_on_sequences(seqs)
    mats = {mode: tok.sequences_to_matrix(seqs, mode=mode)
            for mode in ("binary", "count", "tfidf", "freq")}
    return {"sequences": seqs, "document_count": tok.document_count,
            "index_docs": [[k, v] for k, v in sorted(tok.index_docs.items())]
            }, mats


def _signatures():
    names = {
        "text.Tokenizer": text.Tokenizer,
        "text.hashing_trick": text.hashing_trick,
        "text.one_hot": text.one_hot,
        "text.text_to_word_sequence": text.text_to_word_sequence,
        "text.tokenizer_from_json": text.tokenizer_from_json,
        "sequence.TimeseriesGenerator": sequence.TimeseriesGenerator,
        "sequence.make_sampling_table": sequence.make_sampling_table,
        "sequence.pad_sequences": sequence.pad_sequences,
        "sequence.skipgrams": sequence.skipgrams,
    }
    for meth in ("fit_on_texts", "fit_on_sequences", "texts_to_sequences",
                 "texts_to_sequences_generator", "sequences_to_texts",
                 "sequences_to_texts_generator", "texts_to_matrix",
                 "sequences_to_matrix", "get_config", "to_json"):
        names[f"text.Tokenizer.{meth}"] = getattr(text.Tokenizer, meth)
    return {k: str(inspect.signature(v)) for k, v in names.items()}


def _skipgram_cases():
    seq = [3, 1, 4, 1, 5, 9, 2, 6, 0, 5, 3, 5, 8, 9, 7, 9]
    table = sequence.make_sampling_table(10, sampling_factor=1e-2)
    cases = {
        "default": {"vocabulary_size": 10, "seed": 7},
        "window2_neg2": {"vocabulary_size": 10, "window_size": 2,
                         "negative_samples": 2.0, "seed": 3},
        "categorical": {"vocabulary_size": 10, "window_size": 1,
                        "categorical": True, "seed": 11},
        "no_shuffle": {"vocabulary_size": 12, "window_size": 3,
                       "shuffle": False, "negative_samples": 0.5},
        "no_negative": {"vocabulary_size": 10, "negative_samples": 0.0,
                        "seed": 5},
        "unseeded_shuffle": {"vocabulary_size": 10, "window_size": 2},
        "sampling_table": {"vocabulary_size": 10, "window_size": 2,
                           "sampling_table": True, "seed": 1},
    }
    out = {}
    for name, kw in cases.items():
        call = dict(kw)
        if call.pop("sampling_table", False):
            call["sampling_table"] = table
        random.seed(1234)
        couples, labels = sequence.skipgrams(seq, **call)
        out[name] = {"kwargs": kw, "python_seed": 1234,
                     "couples": [list(map(int, c)) for c in couples],
                     "labels": labels}
    return seq, table, out


def _timeseries_cases():
    data = np.arange(60, dtype="float32").reshape(30, 2)
    targets = np.arange(30, dtype="float32") * 10.0
    cases = {
        "basic": {"length": 4, "batch_size": 5},
        "rate_stride": {"length": 6, "sampling_rate": 2, "stride": 3,
                        "batch_size": 3},
        "window": {"length": 3, "start_index": 4, "end_index": 20,
                   "batch_size": 4, "reverse": True},
        "big_batch": {"length": 2},
        "shuffle": {"length": 5, "batch_size": 4, "shuffle": True,
                    "numpy_seed": 42},
    }
    meta, arrays = {}, {}
    for name, kw in cases.items():
        call = {k: v for k, v in kw.items() if k != "numpy_seed"}
        gen = sequence.TimeseriesGenerator(data, targets, **call)
        if "numpy_seed" in kw:
            np.random.seed(kw["numpy_seed"])
        meta[name] = {"kwargs": kw, "len": len(gen)}
        for i in range(len(gen)):
            x, y = gen[i]
            arrays[f"{name}__x{i}"] = x
            arrays[f"{name}__y{i}"] = y
    # A list input (not an array) and a 1-D series.
    gen = sequence.TimeseriesGenerator(list(range(12)), list(range(12)),
                                       length=3, batch_size=4, stride=2)
    meta["list_input"] = {"kwargs": {"length": 3, "batch_size": 4,
                                     "stride": 2}, "len": len(gen)}
    for i in range(len(gen)):
        x, y = gen[i]
        arrays[f"list_input__x{i}"] = x
        arrays[f"list_input__y{i}"] = y
    arrays["data"] = data
    arrays["targets"] = targets
    return meta, arrays


def main():
    os.makedirs(OUT, exist_ok=True)
    tokenizer_cases, matrices = {}, {}
    for name, kwargs in TOKENIZER_CASES.items():
        case, mats = _tokenizer_case(name, kwargs)
        tokenizer_cases[name] = case
        for mode, m in mats.items():
            matrices[f"{name}__{mode}"] = m.astype("float32")
    fos, mats = _fit_on_sequences_case()
    for mode, m in mats.items():
        matrices[f"fit_on_sequences__{mode}"] = m.astype("float32")

    split_texts = {
        "default": [text.text_to_word_sequence(t) for t in CORPUS],
        "no_lower": [text.text_to_word_sequence(t, lower=False)
                     for t in CORPUS],
        "custom": [text.text_to_word_sequence(t, filters=".,!", split="a")
                   for t in CORPUS],
    }
    hashing = {str(n): [text.hashing_trick(t, n, hash_function="md5")
                        for t in CORPUS] for n in (2, 7, 1000)}
    one_hot = {"python": list(sys.version_info[:2]), "hash_seed": 0,
               "n": 11, "values": [text.one_hot(t, 11) for t in CORPUS]}
    hashing["no_lower_md5_50"] = [
        text.hashing_trick(t, 50, hash_function="md5", lower=False)
        for t in CORPUS]

    with open(os.path.join(OUT, "legacy_text_tokenizer.json"), "w") as f:
        json.dump({"corpus": CORPUS, "queries": QUERIES,
                   "tokenizer": tokenizer_cases, "fit_on_sequences": fos,
                   "text_to_word_sequence": split_texts,
                   "hashing_trick_md5": hashing,
                   "one_hot_hashseed0": one_hot,
                   "signatures": _signatures(),
                   "versions": {"tensorflow": tf.__version__,
                                "keras": tf.keras.__version__}},
                  f, indent=1, ensure_ascii=False)
    np.savez_compressed(os.path.join(OUT, "legacy_text_matrices.npz"),
                        **matrices)

    seq, table, skip = _skipgram_cases()
    ts_meta, ts_arrays = _timeseries_cases()
    with open(os.path.join(OUT, "legacy_text_sequence.json"), "w") as f:
        json.dump({
            "skipgram_sequence": seq,
            "skipgrams": skip,
            "sampling_table_10_1e-2": table.tolist(),
            "sampling_table_50_default": sequence.make_sampling_table(
                50).tolist(),
            "sampling_table_20_1e-3": sequence.make_sampling_table(
                20, 1e-3).tolist(),
            "timeseries": ts_meta,
        }, f, indent=1)
    np.savez_compressed(os.path.join(OUT, "legacy_text_timeseries.npz"),
                        **ts_arrays)


if __name__ == "__main__":
    main()
