"""Processing shared by several loaders: seeded splits and word-index sequences."""
import numpy as np


def check_test_split(test_split):
    if not (0 <= test_split < 1):
        raise ValueError(
            f"Invalid `test_split` argument: {test_split}. "
            "It must be between 0 and 1 (exclusive of 1).")


def shuffle_split(x, y, test_split, seed):
    """Shuffles with `np.random.RandomState(seed)` then splits, as Keras does."""
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    n_train = int(len(x) * (1 - test_split))
    return (np.array(x[:n_train]), np.array(y[:n_train])), (
        np.array(x[n_train:]), np.array(y[n_train:]))


def shift_indices(seqs, start_char, index_from):
    """Adds `index_from` to every word index and prepends `start_char`."""
    if start_char is not None:
        return [[start_char] + [w + index_from for w in s] for s in seqs]
    return [[w + index_from for w in s] for s in seqs]


def remove_long_seq(maxlen, seqs, labels):
    """Keeps the sequences strictly shorter than `maxlen` (Keras's rule)."""
    kept = [(s, l) for s, l in zip(seqs, labels) if len(s) < maxlen]
    return [s for s, _ in kept], [l for _, l in kept]


def limit_vocabulary(seqs, num_words, skip_top, oov_char):
    """Replaces (or drops, if `oov_char` is None) words outside [skip_top, num_words).

    With `num_words=None` the bound is the largest index present, exclusive,
    exactly as Keras computes it (so the single largest index becomes OOV).
    """
    if not num_words:
        num_words = max((max(s) for s in seqs if len(s)), default=0)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in s] for s in seqs]
    return [[w for w in s if skip_top <= w < num_words] for s in seqs]


def object_array(seqs):
    """A 1-D object array of lists (never 2-D, even if all lengths agree)."""
    out = np.empty(len(seqs), dtype="object")
    for i, s in enumerate(seqs):
        out[i] = s
    return out
