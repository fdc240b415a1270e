"""IMDB sentiment classification dataset."""
import json
import warnings

import numpy as np

from minikeras.datasets import _processing as proc
from minikeras.datasets._safe_pickle import load_npz
from minikeras.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(
    path="imdb.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    cache_dir=None,
    **kwargs,
):
    """Loads the IMDB dataset (25,000 movie reviews labeled by sentiment).

    Each review is a list of word indices; words are indexed by frequency in
    the training set (`3` is the 3rd most frequent word), and `0` is the
    padding token.

    Args:
        path: File name to cache the data under (relative to
            `~/.keras/datasets`).
        num_words: Keep only the `num_words` most frequent words; others
            become `oov_char`. `None` keeps all.
        skip_top: Replace the `skip_top` most frequent words by `oov_char`.
        maxlen: Keep only sequences shorter than `maxlen` (longer ones are
            dropped, as in Keras). `None` keeps all.
        seed: Seed for the shuffle of the data.
        start_char: Index marking the start of each sequence.
        oov_char: Index replacing the words cut by `num_words`/`skip_top`
            (`None` drops them instead).
        index_from: Offset added to the word indices.
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.
        **kwargs: Legacy `nb_words` (use `num_words`).

    Returns:
        Tuple of Numpy arrays: `(x_train, y_train), (x_test, y_test)`.
        `x_*` are 1-D object arrays of lists of ints; `y_*` are 0/1 labels.
    """
    if "nb_words" in kwargs:
        warnings.warn("The `nb_words` argument in `load_data` has been renamed "
                      "`num_words`.", DeprecationWarning, stacklevel=2)
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    path = get_file(fname=path, origin=f"{ORIGIN_FOLDER}imdb.npz", file_hash=FILE_HASH,
                    cache_dir=cache_dir)
    f = load_npz(path)
    x_train, labels_train = f["x_train"], f["y_train"]
    x_test, labels_test = f["x_test"], f["y_test"]

    # One generator for both shuffles, in this order, so the result is Keras's.
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train, labels_train = x_train[indices], labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test, labels_test = x_test[indices], labels_test[indices]

    x_train = proc.shift_indices(x_train, start_char, index_from)
    x_test = proc.shift_indices(x_test, start_char, index_from)
    if maxlen:
        x_train, labels_train = proc.remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = proc.remove_long_seq(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, "
                "no sequence was kept. Increase maxlen.")
    xs = proc.limit_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(x_train)
    return (proc.object_array(xs[:idx]), labels[:idx]), (
        proc.object_array(xs[idx:]), labels[idx:])


def get_word_index(path="imdb_word_index.json"):
    """Retrieves the dict mapping words to their index in the IMDB dataset.

    Indices in `load_data`'s sequences are these plus `index_from` (3).

    Args:
        path: File name to cache the data under (relative to
            `~/.keras/datasets`).

    Returns:
        The word index dictionary (word string -> int).
    """
    path = get_file(fname=path, origin=f"{ORIGIN_FOLDER}imdb_word_index.json",
                    file_hash=WORD_INDEX_HASH)
    with open(path, encoding="utf-8") as f:
        return json.load(f)
