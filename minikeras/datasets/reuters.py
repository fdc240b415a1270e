"""Reuters newswire topic classification dataset."""
import json
import warnings

import numpy as np

from minikeras.datasets import _processing as proc
from minikeras.datasets._safe_pickle import load_npz
from minikeras.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
    "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton",
    "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
    "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal",
    "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei",
    "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog",
    "lead",
)


def load_data(
    path="reuters.npz",
    num_words=None,
    skip_top=0,
    maxlen=None,
    test_split=0.2,
    seed=113,
    start_char=1,
    oov_char=2,
    index_from=3,
    cache_dir=None,
    **kwargs,
):
    """Loads the Reuters newswire dataset (11,228 newswires over 46 topics).

    Each newswire is a list of word indices, words indexed by frequency.

    Args:
        path: File name to cache the data under (relative to
            `~/.keras/datasets`).
        num_words: Keep only the `num_words` most frequent words; others
            become `oov_char`. `None` keeps all.
        skip_top: Replace the `skip_top` most frequent words by `oov_char`.
        maxlen: Keep only sequences shorter than `maxlen`. `None` keeps all.
        test_split: Fraction of the data used as test data.
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
        `x_*` are 1-D object arrays of lists of ints; `y_*` are topic indices
        (see `get_label_names`).
    """
    if "nb_words" in kwargs:
        warnings.warn("The `nb_words` argument in `load_data` has been renamed "
                      "`num_words`.", DeprecationWarning, stacklevel=2)
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    path = get_file(fname=path, origin=f"{ORIGIN_FOLDER}reuters.npz", file_hash=FILE_HASH,
                    cache_dir=cache_dir)
    f = load_npz(path)
    xs, labels = f["x"], f["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = xs[indices], labels[indices]

    xs = proc.shift_indices(xs, start_char, index_from)
    if maxlen:
        xs, labels = proc.remove_long_seq(maxlen, xs, labels)
    xs = proc.limit_vocabulary(xs, num_words, skip_top, oov_char)
    idx = int(len(xs) * (1 - test_split))
    return (proc.object_array(xs[:idx]), np.array(labels[:idx])), (
        proc.object_array(xs[idx:]), np.array(labels[idx:]))


def get_word_index(path="reuters_word_index.json"):
    """Retrieves the dict mapping words to their index in the Reuters dataset.

    Indices in `load_data`'s sequences are these plus `index_from` (3):
    0 is padding, 1 the start, 2 out-of-vocabulary.

    Args:
        path: File name to cache the data under (relative to
            `~/.keras/datasets`).

    Returns:
        The word index dictionary (word string -> int).
    """
    path = get_file(path, origin=f"{ORIGIN_FOLDER}reuters_word_index.json",
                    file_hash=WORD_INDEX_HASH)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def get_label_names():
    """Returns the 46 topic names, indexed like the labels of `load_data`."""
    return _LABEL_NAMES
