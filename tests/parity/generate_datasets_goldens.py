"""Golden outputs of real Keras's dataset loaders on tiny files of the real formats.

Run in a virtualenv with Keras 3 (not minikeras):

    python tests/parity/generate_datasets_goldens.py

Writes, under `goldens/` next to this script:
- `datasets_inputs.npz`-style tiny source files, byte for byte what the test
  serves: `datasets_imdb.npz`, `datasets_reuters.npz`, `datasets_boston.npz`,
  `datasets_california.npz`;
- `datasets_goldens.json`: Keras's `load_data` outputs for several option sets
  (imdb / reuters sequences and labels, boston / california split arrays).

Keras's loaders are pointed at the local files by replacing the `get_file`
each module imported, so nothing is downloaded and no hash is checked.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")

IMDB_CASES = [
    {},
    {"num_words": 20, "skip_top": 3},
    {"maxlen": 9},
    {"start_char": None, "oov_char": None, "index_from": 0},
    {"seed": 7, "index_from": 2, "num_words": 15, "oov_char": None},
    {"start_char": 5, "oov_char": 4, "index_from": 6, "skip_top": 8, "maxlen": 12},
]
REUTERS_CASES = [
    {},
    {"num_words": 20, "skip_top": 2, "maxlen": 10, "test_split": 0.3},
    {"start_char": None, "seed": 3, "test_split": 0.5, "oov_char": None, "num_words": 12},
]
HOUSING_CASES = [{}, {"test_split": 0.3, "seed": 1}, {"test_split": 0.0}]


def _ragged(rng, n, vocab, lo, hi):
    seqs = np.empty(n, dtype="object")
    for i in range(n):
        # Python ints, as in the real files (no numpy scalars in the pickle).
        seqs[i] = [int(w) for w in rng.integers(1, vocab, size=rng.integers(lo, hi))]
    return seqs


def make_inputs():
    rng = np.random.default_rng(2024)
    paths = {}
    paths["imdb"] = os.path.join(OUT, "datasets_imdb.npz")
    np.savez(paths["imdb"],
             x_train=_ragged(rng, 30, 40, 2, 16), y_train=rng.integers(0, 2, 30),
             x_test=_ragged(rng, 24, 45, 2, 16), y_test=rng.integers(0, 2, 24))
    paths["reuters"] = os.path.join(OUT, "datasets_reuters.npz")
    np.savez(paths["reuters"], x=_ragged(rng, 40, 30, 2, 14), y=rng.integers(0, 46, 40))
    paths["boston"] = os.path.join(OUT, "datasets_boston.npz")
    np.savez(paths["boston"], x=np.round(rng.normal(size=(37, 13)), 3),
             y=np.round(rng.uniform(5, 50, size=37), 1))
    paths["california"] = os.path.join(OUT, "datasets_california.npz")
    # 650 rows so that version="small" (the first 600) differs from "large".
    np.savez(paths["california"], x=np.arange(650 * 8, dtype="float32").reshape(650, 8),
             y=np.arange(650, dtype="float32") * 1000.0)
    return paths


def _point_at(module, path):
    module.get_file = lambda *args, **kwargs: path


def main():
    from keras.src.datasets import boston_housing, california_housing, imdb, reuters

    os.makedirs(OUT, exist_ok=True)
    paths = make_inputs()
    _point_at(imdb, paths["imdb"])
    _point_at(reuters, paths["reuters"])
    _point_at(boston_housing, paths["boston"])
    _point_at(california_housing, paths["california"])

    def seqs(a):
        return [[int(w) for w in s] for s in a]

    goldens = {"imdb": [], "reuters": [], "boston": [], "california": []}
    for kwargs in IMDB_CASES:
        (xa, ya), (xb, yb) = imdb.load_data(**kwargs)
        goldens["imdb"].append({"kwargs": kwargs, "x_train": seqs(xa), "y_train": ya.tolist(),
                                "x_test": seqs(xb), "y_test": yb.tolist()})
    for kwargs in REUTERS_CASES:
        (xa, ya), (xb, yb) = reuters.load_data(**kwargs)
        goldens["reuters"].append({"kwargs": kwargs, "x_train": seqs(xa), "y_train": ya.tolist(),
                                   "x_test": seqs(xb), "y_test": yb.tolist()})
    for kwargs in HOUSING_CASES:
        (xa, ya), (xb, yb) = boston_housing.load_data(**kwargs)
        goldens["boston"].append({"kwargs": kwargs, "x_train": xa.tolist(), "y_train": ya.tolist(),
                                  "x_test": xb.tolist(), "y_test": yb.tolist()})
    for kwargs in [{"version": "small"}, {"version": "large", "seed": 5, "test_split": 0.25}]:
        (xa, ya), (xb, yb) = california_housing.load_data(**kwargs)
        # Rows are x = 8 * row_id + column, so the row order says everything.
        goldens["california"].append({
            "kwargs": kwargs, "train_rows": (xa[:, 0] / 8).astype(int).tolist(),
            "test_rows": (xb[:, 0] / 8).astype(int).tolist(),
            "y_train": ya.tolist(), "y_test": yb.tolist()})
    with open(os.path.join(OUT, "datasets_goldens.json"), "w") as f:
        json.dump(goldens, f, separators=(",", ":"))
    print("wrote", sorted(os.path.basename(p) for p in paths.values()), "and datasets_goldens.json")


if __name__ == "__main__":
    main()
