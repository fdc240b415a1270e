"""`BatchDataset`: the dataset the `*_dataset_from_*` utilities and
`split_dataset` return.

Keras returns a `tf.data.Dataset`; minikeras returns a `PyDataset` that
loads its samples on demand, so `fit`/`evaluate`/`predict` accept it (with
`workers` for read-ahead) and a `for` loop iterates it. It also offers the
`tf.data.Dataset` methods tutorials chain onto these datasets: `batch`,
`unbatch`, `take`, `skip`, `map`, `shuffle`, `cache`, `prefetch`,
`as_numpy_iterator`, `cardinality`.
"""
import copy
import math

import numpy as np

from minikeras.utils.py_dataset import PyDataset

AUTOTUNE = -1


def _map_leaves(fn, tree):
    if isinstance(tree, tuple):
        return tuple(_map_leaves(fn, t) for t in tree)
    if isinstance(tree, list):
        return [_map_leaves(fn, t) for t in tree]
    if isinstance(tree, dict):
        return {k: _map_leaves(fn, v) for k, v in tree.items()}
    return fn(tree)


class BatchDataset(PyDataset):
    """Samples `0..num_elements-1` grouped into batches, loaded on demand.

    Args:
        num_elements: number of samples.
        load: `load(indices) -> batch`, the samples at `indices` (an int
            array) stacked along a new first axis (a structure of arrays).
        batch_size: samples per batch, or `None` for single samples.
        shuffle: reshuffle the samples at the end of every epoch (the order
            of the first epoch is the order of the samples).
        seed: seed of those reshuffles.
        **kwargs: `workers`, `use_multiprocessing`, `max_queue_size`.
    """

    def __init__(self, num_elements, load, batch_size=None, shuffle=False, seed=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._num_elements = int(num_elements)
        self._load = load
        self._batch_size = None if batch_size is None else int(batch_size)
        if self._batch_size is not None and self._batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer or None. "
                             f"Received: batch_size={batch_size}")
        self._order = np.arange(self._num_elements)
        self._reshuffle = bool(shuffle)
        self._seed = seed if seed is not None else int(np.random.randint(1e6))
        self._epoch = 0
        self._maps = []
        self._window = (0, None)    # batches [start, stop) of the parent's batches
        self._batch_order = None    # a shuffled batch order (from `.shuffle()`)

    # ----- PyDataset ---------------------------------------------------------------
    @property
    def batch_size(self):
        return self._batch_size

    def _full_length(self):
        if self._batch_size is None:
            return self._num_elements
        return int(math.ceil(self._num_elements / self._batch_size))

    def __len__(self):
        start, stop = self._window
        full = self._full_length()
        stop = full if stop is None else min(stop, full)
        return max(0, stop - min(start, full))

    def __getitem__(self, index):
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"Batch index {index} out of range for a dataset of {n} batches.")
        position = self._window[0] + index
        if self._batch_order is not None:
            position = int(self._batch_order[position])
        if self._batch_size is None:
            batch = self._load(self._order[position:position + 1])
            batch = _map_leaves(lambda a: a[0], batch)
        else:
            lo = position * self._batch_size
            batch = self._load(self._order[lo:lo + self._batch_size])
        for fn in self._maps:
            batch = fn(*batch) if isinstance(batch, tuple) else fn(batch)
        return batch

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]
        # As a tf.data pipeline with `shuffle`, each full pass reshuffles.
        self.on_epoch_end()

    def on_epoch_end(self):
        if self._reshuffle:
            self._epoch += 1
            rng = np.random.RandomState((self._seed + 1000003 * self._epoch) % (2 ** 32))
            self._order = rng.permutation(self._num_elements)
        if self._batch_order is not None:
            self._batch_order = self._batch_rng.permutation(len(self._batch_order))

    # ----- tf.data-style helpers -----------------------------------------------------
    def _derive(self):
        out = copy.copy(self)
        out._maps = list(self._maps)
        return out

    def cardinality(self):
        """Number of batches (or of samples, when unbatched)."""
        return len(self)

    def as_numpy_iterator(self):
        return iter(self)

    def batch(self, batch_size, drop_remainder=False):
        """Group the samples of an unbatched dataset into batches."""
        if self._batch_size is not None or self._maps or self._window != (0, None):
            raise NotImplementedError(
                "`batch()` is only supported on an unbatched dataset without `map`, "
                "`take` or `skip` applied (e.g. the result of `split_dataset`).")
        if drop_remainder:
            raise NotImplementedError("`batch(drop_remainder=True)` is not supported.")
        out = self._derive()
        out._batch_size = int(batch_size)
        return out

    def unbatch(self):
        """The same samples, one at a time."""
        if self._maps or self._window != (0, None):
            raise NotImplementedError(
                "`unbatch()` is only supported before `map`, `take` or `skip`.")
        out = self._derive()
        out._batch_size = None
        return out

    def take(self, count):
        """The first `count` batches (all of them for `count=-1`)."""
        if count is None or count < 0:
            return self._derive()
        out = self._derive()
        start, stop = self._window
        new_stop = start + int(count)
        out._window = (start, new_stop if stop is None else min(stop, new_stop))
        return out

    def skip(self, count):
        """All batches but the first `count`."""
        out = self._derive()
        start, stop = self._window
        out._window = (start + int(count), stop)
        return out

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply `map_func` to each batch (tuples are unpacked into arguments)."""
        out = self._derive()
        out._maps.append(map_func)
        return out

    def shuffle(self, buffer_size=None, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffle the order of the batches (of the samples, when unbatched)."""
        out = self._derive()
        out._batch_rng = np.random.RandomState(seed)
        out._batch_order = out._batch_rng.permutation(self._full_length())
        return out

    def cache(self, filename="", name=None):
        """Accepted for compatibility: samples are loaded from their source."""
        return self

    def prefetch(self, buffer_size=AUTOTUNE, name=None):
        """Accepted for compatibility: use `workers=` to read ahead in `fit`."""
        return self

    def repeat(self, count=None, name=None):
        """The batches `count` times over (forever for `count=None` or -1).

        A repeated dataset is infinite for `count=None`: as with tf.data,
        `fit` then needs `steps_per_epoch`, and each epoch continues where the
        previous one stopped.
        """
        if count is not None and int(count) == 1:
            return self
        return RepeatDataset(self, count)

    def __repr__(self):
        return (f"<BatchDataset batches={len(self)} batch_size={self._batch_size} "
                f"samples={self._num_elements}>")


class RepeatDataset(PyDataset):
    """`dataset.repeat(count)`: the batches of `dataset`, `count` times over.

    Index `i` is batch `i % len(dataset)` of the source; at the end of each
    repetition the source's `on_epoch_end` runs, so a shuffled source is
    reshuffled as a tf.data pipeline `shuffle().repeat()` would be. `count`
    None (or negative) repeats forever: `num_batches` is then None, which
    `fit` reads as an infinite dataset. `map`, `take`, `skip`, `prefetch` and
    `cache` chain onto it.
    """

    def __init__(self, source, count=None, start=0, stop=None):
        super().__init__(workers=source.workers,
                         use_multiprocessing=source.use_multiprocessing,
                         max_queue_size=source.max_queue_size)
        self._source = source
        self._count = None if count is None or int(count) < 0 else int(count)
        self._start = int(start)
        self._stop = stop
        self.batch_size = getattr(source, "batch_size", None)

    def _total(self):
        if self._count is None:
            return None
        return len(self._source) * self._count

    @property
    def num_batches(self):
        total = self._total()
        stop = self._stop if total is None else (
            total if self._stop is None else min(self._stop, total))
        if stop is None:
            return None
        return max(0, stop - self._start)

    def __len__(self):
        n = self.num_batches
        if n is None:
            # As `len()` of an infinite tf.data.Dataset.
            raise TypeError("The dataset is infinite.")
        return n

    def __getitem__(self, index):
        n = self.num_batches
        if index < 0 and n is not None:
            index += n
        if index < 0 or (n is not None and index >= n):
            raise IndexError(f"Batch index {index} out of range for a dataset of {n} batches.")
        per_pass = len(self._source)
        if per_pass == 0:
            raise IndexError("The repeated dataset is empty.")
        return self._source[(self._start + index) % per_pass]

    def __iter__(self):
        n = self.num_batches
        per_pass = len(self._source)
        index = 0
        while n is None or index < n:
            yield self[index]
            index += 1
            if (self._start + index) % per_pass == 0:
                self._source.on_epoch_end()

    def on_epoch_end(self):
        # `fit` runs this between epochs; the source's own reshuffles happen
        # at the end of each repetition (see `__iter__`) in a plain loop.
        self._source.on_epoch_end()

    def cardinality(self):
        """Number of batches, or -1 (tf.data's INFINITE_CARDINALITY)."""
        n = self.num_batches
        return -1 if n is None else n

    def as_numpy_iterator(self):
        return iter(self)

    def _with(self, source=None, start=None, stop=None):
        return RepeatDataset(self._source if source is None else source, self._count,
                             self._start if start is None else start,
                             self._stop if stop is None else stop)

    def take(self, count):
        """The first `count` batches (all of them for `count=-1`)."""
        if count is None or count < 0:
            return self
        stop = self._start + int(count)
        if self._stop is not None:
            stop = min(stop, self._stop)
        return self._with(stop=stop)

    def skip(self, count):
        """All batches but the first `count`."""
        return self._with(start=self._start + int(count))

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply `map_func` to each batch (tuples are unpacked into arguments)."""
        return self._with(source=self._source.map(map_func))

    def cache(self, filename="", name=None):
        return self

    def prefetch(self, buffer_size=AUTOTUNE, name=None):
        return self

    def _unsupported(self, method):
        raise NotImplementedError(
            f"`{method}()` after `repeat()` is not supported; call it before `repeat()`.")

    def batch(self, *args, **kwargs):
        self._unsupported("batch")

    def unbatch(self, *args, **kwargs):
        self._unsupported("unbatch")

    def shuffle(self, *args, **kwargs):
        self._unsupported("shuffle")

    def repeat(self, count=None, name=None):
        self._unsupported("repeat")

    def __repr__(self):
        n = self.num_batches
        return f"<RepeatDataset batches={'infinite' if n is None else n} of {self._source!r}>"
