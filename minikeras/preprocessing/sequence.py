"""`keras.preprocessing.sequence`: the legacy (Keras 1/2) sequence utilities.

`TimeseriesGenerator`, `make_sampling_table`, `skipgrams`, and
`pad_sequences` (which lives in `keras.utils`), as tf.keras 3 still exports
them. `skipgrams` draws from Python's `random` module in the same order as
Keras, so the same `random.seed(...)` gives the same pairs;
`TimeseriesGenerator(shuffle=True)` draws from numpy's global random state,
as Keras does.
"""
import json
import random

import numpy as np

from minikeras.backend import config
from minikeras.utils.py_dataset import PyDataset
from minikeras.utils.sequence_utils import pad_sequences  # noqa: F401

__all__ = ["TimeseriesGenerator", "make_sampling_table", "pad_sequences",
           "skipgrams"]


class TimeseriesGenerator(PyDataset):
    """Utility class for generating batches of temporal data.

    DEPRECATED: prefer `keras.utils.timeseries_dataset_from_array`.

    This class takes in a sequence of data-points gathered at equal
    intervals, along with time series parameters such as stride, length of
    history, etc., to produce batches for training/validation. Sample `k`
    of the generator ends just before row `t = start_index + length + k *
    stride`: it is `data[t - length:t:sampling_rate]`, and its target is
    `targets[t]`.

    Example:

    ```python
    data = np.arange(50).reshape(25, 2)
    gen = keras.preprocessing.sequence.TimeseriesGenerator(
        data, data[:, 0], length=5, batch_size=4)
    x, y = gen[0]  # x.shape == (4, 5, 2), y == [10, 12, 14, 16]
    model.fit(gen, epochs=3)
    ```

    Args:
        data: Indexable generator (such as list or NumPy array) containing
            consecutive data points (timesteps). The data should be at 2D,
            and axis 0 is expected to be the time dimension.
        targets: Targets corresponding to timesteps in `data`. It should
            have same length as `data`.
        length: Length of the output sequences (in number of timesteps).
        sampling_rate: Period between successive individual timesteps
            within sequences. For rate `r`, timesteps `data[i]`,
            `data[i-r]`, ... `data[i - length]` are used for create a sample
            sequence.
        stride: Period between successive output sequences. For stride `s`,
            consecutive output samples would be centered around `data[i]`,
            `data[i+s]`, `data[i+2*s]`, etc.
        start_index: Data points earlier than `start_index` will not be used
            in the output sequences. This is useful to reserve part of the
            data for test or validation.
        end_index: Data points later than `end_index` will not be used in
            the output sequences. This is useful to reserve part of the data
            for test or validation.
        shuffle: Whether to shuffle output samples, or instead draw them in
            chronological order. Shuffled batches draw their rows with
            replacement from numpy's global random state.
        reverse: Boolean: if `True`, timesteps in each output sample will be
            in reverse chronological order.
        batch_size: Number of timeseries samples in each batch (except maybe
            the last one).
        **kwargs: Additional keyword arguments for the `PyDataset` base
            class, such as `workers`, `use_multiprocessing`, and
            `max_queue_size`.

    Returns:
        A PyDataset instance.
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1,
                 start_index=0, end_index=None, shuffle=False, reverse=False,
                 batch_size=128, **kwargs):
        super().__init__(**kwargs)
        if len(data) != len(targets):
            raise ValueError(
                "Data and targets have to be of same length. Data length is "
                f"{len(data)} while target length is {len(targets)}")
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        # Keras keeps the first usable target row here, not the argument.
        self.start_index = start_index + length
        if end_index is None:
            end_index = len(data) - 1
        self.end_index = end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} > "
                f"end_index={self.end_index}` is disallowed, as no part of "
                "the sequence would be left to be used as current step.")

    def __len__(self):
        step = self.batch_size * self.stride
        return (self.end_index - self.start_index + step) // step

    def __getitem__(self, index):
        num_batches = len(self)
        if not -num_batches <= index < num_batches:
            raise IndexError(
                f"TimeseriesGenerator index out of range: {index} (it has "
                f"{num_batches} batches)")
        if index < 0:
            index += num_batches
        if self.shuffle:
            # Same draw as Keras: `batch_size` rows with replacement.
            rows = np.random.randint(self.start_index, self.end_index + 1,
                                     size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            stop = min(first + self.batch_size * self.stride,
                       self.end_index + 1)
            rows = np.arange(first, stop, self.stride)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate]
                            for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self):
        """Returns the TimeseriesGenerator configuration as Python dictionary.

        The keys are Keras 2's: `data` and `targets` as JSON strings, and
        `start_index` as stored (the argument plus `length`).

        Returns:
            A Python dictionary with the TimeseriesGenerator configuration.
        """
        def _json(value, what):
            if isinstance(value, np.ndarray):
                value = value.tolist()
            try:
                return json.dumps(value)
            except TypeError as e:
                raise TypeError(
                    f"{what} not JSON Serializable: {value}") from e

        return {
            "data": _json(self.data, "Data"),
            "targets": _json(self.targets, "Targets"),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs):
        """Returns a JSON string containing the generator's configuration.

        Args:
            **kwargs: Additional keyword arguments to be passed to
                `json.dumps()`.

        Returns:
            A JSON string containing the generator configuration.
        """
        return json.dumps({"class_name": type(self).__name__,
                           "config": self.get_config()}, **kwargs)


def make_sampling_table(size, sampling_factor=1e-5):
    """Generates a word rank-based probabilistic sampling table.

    DEPRECATED.

    Used for generating the `sampling_table` argument for `skipgrams`.
    `sampling_table[i]` is the probability of sampling the i-th most common
    word in a dataset (more common words should be sampled less
    frequently, for balance).

    The sampling probabilities are generated according to the sampling
    distribution used in word2vec:

    ```
    p(word) = (min(1, sqrt(word_frequency / sampling_factor) /
        (word_frequency / sampling_factor)))
    ```

    We assume that the word frequencies follow Zipf's law (s=1) to derive a
    numerical approximation of frequency(rank):

    `frequency(rank) ~ 1/(rank * (log(rank) + gamma) + 1/2 - 1/(12*rank))`
    where `gamma` is the Euler-Mascheroni constant (0.577 here, as in Keras).

    Args:
        size: Int, number of possible words to sample.
        sampling_factor: The sampling factor in the word2vec formula.

    Returns:
        A 1D NumPy array (in `floatx()`) of length `size` where the ith
        entry is the probability that a word of rank i should be sampled.
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) \
            or size < 1:
        raise ValueError(
            f"`size` must be a positive int. Received: size={size!r}")
    gamma = 0.577
    # Rank 0 (the padding index) gets rank 1's probability.
    rank = np.arange(size, dtype="float64")
    rank[0] = 1.0
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f)).astype(config.floatx())


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0,
              shuffle=True, categorical=False, sampling_table=None, seed=None):
    """Generates skipgram word pairs.

    DEPRECATED.

    This function transforms a sequence of word indexes (list of integers)
    into tuples of words of the form:

    - (word, word in the same window), with label 1 (positive samples).
    - (word, random word from the vocabulary), with label 0 (negative
      samples).

    Read more about Skipgram in this gnomic paper by Mikolov et al.:
    [Efficient Estimation of Word Representations in Vector Space](
    http://arxiv.org/pdf/1301.3781v3.pdf)

    Randomness comes from Python's `random` module, drawn in Keras's order:
    the sampling-table draws and the negative samples use its current state;
    the final shuffle reseeds it with `seed` (a random one if `None`).

    Args:
        sequence: A word sequence (sentence), encoded as a list of word
            indices (integers). If using a `sampling_table`, word indices are
            expected to match the rank of the words in a reference dataset
            (e.g. 10 would encode the 10-th most frequently occurring
            token). Note that index 0 is expected to be a non-word and will
            be skipped.
        vocabulary_size: Int, maximum possible word index + 1
        window_size: Int, size of sampling windows (technically
            half-window). The window of a word `w_i` will be
            `[i - window_size, i + window_size+1]`.
        negative_samples: Float >= 0. 0 for no negative (i.e. random)
            samples. 1 for same number as positive samples.
        shuffle: Whether to shuffle the word couples before returning them.
        categorical: bool. if False, labels will be integers (eg.
            `[0, 1, 1 .. ]`), if `True`, labels will be categorical, e.g.
            `[[1,0],[0,1],[0,1] .. ]`.
        sampling_table: 1D array of size `vocabulary_size` where the entry i
            encodes the probability to sample a word of rank i.
        seed: Random seed.

    Returns:
        couples, labels: where `couples` are int pairs and `labels` are
            either 0 or 1.

    Note:
        By convention, index 0 in the vocabulary is a non-word and will be
        skipped.
    """
    positive = 1 if not categorical else [0, 1]
    negative = 0 if not categorical else [1, 0]
    couples = []
    labels = []
    n = len(sequence)
    for i, wi in enumerate(sequence):
        if not wi:
            continue
        # Keep word i with probability sampling_table[wi].
        if sampling_table is not None and sampling_table[wi] < random.random():
            continue
        for j in range(max(0, i - window_size), min(n, i + window_size + 1)):
            if j == i or not sequence[j]:
                continue
            couples.append([wi, sequence[j]])
            labels.append(list(positive) if categorical else positive)

    if negative_samples > 0:
        num_negative = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        random.shuffle(words)
        couples += [[words[k % len(words)], random.randint(1, vocabulary_size - 1)]
                    for k in range(num_negative)]
        labels += [list(negative) if categorical else negative
                   for _ in range(num_negative)]

    if shuffle:
        if seed is None:
            seed = random.randint(0, int(10e6))
        # The same seed before each shuffle keeps couples and labels aligned.
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels
