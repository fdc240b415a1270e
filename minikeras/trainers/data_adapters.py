"""Turn what `fit`/`evaluate`/`predict` receive into batches.

Sources: numpy arrays (and lists/dicts of them, and objects with
`__array__`), `keras.utils.PyDataset` and look-alikes (`__len__` +
`__getitem__`: the legacy `Sequence`, the ImageDataGenerator iterators),
Python generators and iterators, and other re-iterable objects.

Iterating an adapter runs ONE epoch and yields batches packed as
`train_step(data)` receives them: `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
Epochs follow Keras 3's `EpochIterator`:

- without `steps_per_epoch`, an epoch is one pass over the data;
- with `steps_per_epoch`, the pass is NOT restarted between epochs: epoch 2
  continues where epoch 1 stopped, and a new pass starts once the source's
  batches are used up;
- when the data runs out before `steps_per_epoch` batches (or a generator is
  exhausted), Keras's "Your input ran out of data" warning is issued and the
  epoch ends early (never a hang). A Python generator cannot be rewound:
  as in Keras, later passes replay only the batches that were peeked at
  construction (the first two).
"""
import itertools
import math
import types
import warnings

import numpy as np

from minikeras.backend import config
from minikeras.backend.random import global_rng

# Batches read ahead from a generator to learn its structure and shapes
# (Keras's NUM_BATCHES_FOR_TENSOR_SPEC).
NUM_PEEKED_BATCHES = 2

_RAN_OUT_MESSAGE = (
    "Your input ran out of data; interrupting training. Make sure that your "
    "dataset or generator can generate at least `steps_per_epoch * epochs` "
    "batches. You may need to use the `.repeat()` function when building your "
    "dataset.")


# ----- nested structures ---------------------------------------------------------
from minikeras.models.node import flatten  # noqa: E402  (dicts in insertion order)


def map_structure(fn, tree):
    """`fn` applied to every non-None leaf; the structure is kept."""
    if isinstance(tree, list):
        return [map_structure(fn, t) for t in tree]
    if isinstance(tree, tuple):
        return tuple(map_structure(fn, t) for t in tree)
    if isinstance(tree, dict):
        return {k: map_structure(fn, v) for k, v in tree.items()}
    return None if tree is None else fn(tree)


def _is_nested(tree):
    return isinstance(tree, (list, tuple, dict))


# ----- (x, y, sample_weight) packing ------------------------------------------
def unpack_x_y_sample_weight(data):
    """Unpacks user-provided data tuple.

    This is a convenience utility to be used when overriding
    `Model.train_step`, `Model.test_step`, or `Model.predict_step`.
    This utility makes it easy to support data of the form `(x,)`,
    `(x, y)`, or `(x, y, sample_weight)`.

    Example:

    >>> x, y, sample_weight = unpack_x_y_sample_weight((features, labels))
    >>> sample_weight is None
    True

    Args:
        data: A tuple of the form `(x,)`, `(x, y)`, or `(x, y, sample_weight)`.

    Returns:
        The unpacked tuple, with `None`s for `y` and `sample_weight` if they
        are not provided.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
        f"`(x, y, sample_weight)`, found: {data}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs user-provided data into a tuple.

    This is a convenience utility for packing data into the tuple formats
    that `Model.fit()` uses.

    Example:

    >>> data = pack_x_y_sample_weight(x, y)
    >>> isinstance(data, tuple)
    True

    Args:
        x: Features to pass to `Model`.
        y: Ground-truth targets to pass to `Model`.
        sample_weight: Sample weight for each element.

    Returns:
        Tuple in the format used in `Model.fit()` (a single `x` that is not a
        list or tuple is returned as is).
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _pack(x, y, sw):
    """A batch as `train_step(data)` receives it, as Keras packs it: `x` alone
    (a single array is not wrapped), `(x,)` for a list/tuple of inputs,
    `(x, y)` or `(x, y, sw)`."""
    if y is None and sw is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sw is None:
        return (x, y)
    return (x, y, sw)


# ----- array conversion ------------------------------------------------------------
def _is_number(v):
    return isinstance(v, (bool, int, float, np.number))


def _to_array(v):
    """numpy array for an array-like leaf; float64 becomes `floatx()`."""
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        arr = v
    elif hasattr(v, "__array__") or _is_number(v) or isinstance(v, (list, tuple)):
        arr = np.asarray(v)
    else:
        return v
    if arr.dtype == np.float64:
        arr = arr.astype(config.floatx())
    return arr


def standardize_arrays(tree):
    """Lists of numbers become arrays; lists of arrays stay lists (multi-input)."""
    if tree is None:
        return None
    if isinstance(tree, dict):
        return {k: standardize_arrays(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        leaves = flatten(tree)
        if leaves and all(_is_number(e) for e in leaves):
            return _to_array(tree)
        return type(tree)(standardize_arrays(v) for v in tree)
    return _to_array(tree)


def _is_array_leaf(x):
    if x is None or isinstance(x, np.ndarray) or _is_number(x):
        return True
    if isinstance(x, (str, bytes)):
        return False
    # pandas objects, array wrappers: anything numpy can convert. PyDataset-
    # like objects have `__getitem__` too but no `__array__`.
    return hasattr(x, "__array__")


def can_convert_arrays(tree):
    """Whether every leaf of `tree` is array-like (what ArrayDataAdapter takes)."""
    if isinstance(tree, dict):
        return all(can_convert_arrays(v) for v in tree.values())
    if isinstance(tree, (list, tuple)):
        leaves = flatten(tree)
        if leaves and all(_is_number(e) for e in leaves):
            return True
        return all(can_convert_arrays(v) for v in tree)
    return _is_array_leaf(tree)


def _batch_dim(leaf, what):
    if np.ndim(leaf) == 0:
        raise ValueError(
            f"Expected `{what}` to be arrays with a batch (first) dimension; "
            f"received a scalar: {what}={leaf!r}")
    return int(np.shape(leaf)[0])


def check_data_cardinality(x, y, sample_weight):
    """All arrays must hold the same number of samples (Keras's message)."""
    sizes = {}
    for what, tree in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        sizes[what] = [_batch_dim(l, what) for l in flatten(tree) if l is not None]
    distinct = {n for ns in sizes.values() for n in ns}
    if len(distinct) > 1:
        msg = ("Data cardinality is ambiguous. Make sure all arrays contain the "
               "same number of samples.")
        for what, ns in sizes.items():
            if ns:
                msg += f"'{what}' sizes: {', '.join(str(n) for n in ns)}\n"
        raise ValueError(msg)
    return distinct.pop() if distinct else 0


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights from a `{class index: weight}` dict, as Keras derives them.

    One-hot targets (last axis > 1) use their argmax; `(n, 1)` targets are
    squeezed; values are rounded to the nearest integer class. Classes missing
    from `class_weight` get weight 1.
    """
    y = np.asarray(y)
    shape = y.shape
    if y.ndim > 1:
        y = np.argmax(y, axis=-1) if y.shape[-1] != 1 else np.squeeze(y, axis=-1)
    if y.ndim != 1:
        raise ValueError(
            "`class_weight` needs one class per sample: targets of shape (n,), (n, 1) "
            f"or one-hot (n, num_classes). Received targets of shape {shape}.")
    classes = np.round(y).astype("int64")
    weights = np.ones((classes.shape[0],), dtype=config.floatx())
    for k, w in class_weight.items():
        weights[classes == int(k)] = w
    return weights


def _validate_class_weight(class_weight):
    if class_weight is None:
        return None
    if not isinstance(class_weight, dict):
        raise ValueError(
            "`class_weight` should be a dict mapping class indices to weights. "
            f"Received: class_weight={class_weight} of type {type(class_weight).__name__}")
    return class_weight


def _weights_per_output(y, sample_weight):
    """One `sample_weight` array for a multi-output `y` is replicated per output."""
    if sample_weight is None or not _is_nested(y):
        return sample_weight
    if _is_nested(sample_weight):
        if _structure(y) != _structure(sample_weight):
            raise ValueError(
                "You should provide one `sample_weight` array per output in `y`. The "
                f"two structures did not match:\n- y: {_shape_tree(y)}\n"
                f"- sample_weight: {_shape_tree(sample_weight)}\n")
        return sample_weight
    shape = np.shape(sample_weight)
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)):
        raise ValueError(
            "For a model with multiple outputs, when providing a single `sample_weight` "
            "array, it should only have one scalar score per sample (i.e. shape "
            f"`(num_samples,)`). Received shape {shape}. If you want to use non-scalar "
            "sample weights, pass a `sample_weight` argument with one array per model "
            "output.")
    return map_structure(lambda _: sample_weight, y)


def _structure(tree):
    if isinstance(tree, (list, tuple)):
        return ("seq", len(tree), tuple(_structure(t) for t in tree))
    if isinstance(tree, dict):
        return ("dict", tuple(sorted((k, _structure(v)) for k, v in tree.items())))
    return "leaf"


def _shape_tree(tree):
    """Shapes of a structure, for error messages."""
    if isinstance(tree, (list, tuple)):
        return type(tree)(_shape_tree(t) for t in tree)
    if isinstance(tree, dict):
        return {k: _shape_tree(v) for k, v in tree.items()}
    return None if tree is None else tuple(np.shape(tree))


# ----- adapters -------------------------------------------------------------------------
class DataAdapter:
    """Base class: `get_numpy_iterator()` is one pass over the data, iterating
    the adapter is one epoch (see the module docstring)."""

    def __init__(self, steps_per_epoch=None):
        if steps_per_epoch is not None:
            if isinstance(steps_per_epoch, bool) or int(steps_per_epoch) != steps_per_epoch \
                    or steps_per_epoch < 1:
                raise ValueError(
                    "`steps_per_epoch` (or `steps`) must be a positive integer or None. "
                    f"Received: {steps_per_epoch}")
            steps_per_epoch = int(steps_per_epoch)
        self.steps_per_epoch = steps_per_epoch
        self._current = None       # the pass in progress, kept across epochs
        self._steps_seen = 0       # batches taken from the current pass
        self._inferred_batches = None
        self._in_epoch = False

    # Subclasses implement these.
    def get_numpy_iterator(self):
        raise NotImplementedError

    @property
    def source_num_batches(self):
        """Batches in one pass over the source, or None when unknown/infinite."""
        return None

    @property
    def num_batches(self):
        """Batches in one epoch (the progress bar's target), or None."""
        return self.steps_per_epoch or self.source_num_batches or self._inferred_batches

    @property
    def batch_size(self):
        return None

    def on_epoch_begin(self):
        self._in_epoch = True

    def on_epoch_end(self):
        """End of an epoch; idempotent, so the trainer may call it again."""
        self._in_epoch = False

    def _new_pass(self):
        self._close_pass()
        self._current = iter(self.get_numpy_iterator())
        self._steps_seen = 0

    def _close_pass(self):
        close = getattr(self._current, "close", None)
        if callable(close):
            close()
        self._current = None

    def _ran_out(self):
        warnings.warn(_RAN_OUT_MESSAGE, stacklevel=5)

    def __iter__(self):
        self.on_epoch_begin()
        try:
            yield from self._epoch()
        except GeneratorExit:
            # The loop stopped early (`stop_training`, an error): release the
            # pass (and its worker threads) instead of keeping it for later.
            self._close_pass()
            raise
        self.on_epoch_end()

    def _epoch(self):
        known = self.source_num_batches or self._inferred_batches
        steps = self.steps_per_epoch or known
        if steps:
            if self._current is None or self.steps_per_epoch is None:
                self._new_pass()
            for _ in range(steps):
                if known and self._steps_seen >= known:
                    if self.steps_per_epoch:
                        self._ran_out()
                    break
                try:
                    batch = next(self._current)
                except StopIteration:
                    if known is None:
                        self._inferred_batches = self._steps_seen
                    self._ran_out()
                    self._current = None
                    break
                self._steps_seen += 1
                yield batch
            if known and self._steps_seen >= known:
                # The pass is used up: the next epoch starts a new one.
                self._close_pass()
        else:
            # Unknown length and no `steps_per_epoch`: run until the data ends.
            self._new_pass()
            while True:
                try:
                    batch = next(self._current)
                except StopIteration:
                    self._inferred_batches = self._steps_seen
                    self._ran_out()
                    self._current = None
                    break
                self._steps_seen += 1
                yield batch


class ArrayDataAdapter(DataAdapter):
    """Batches in-memory arrays (and lists/dicts of them).

    `shuffle=True` draws a new permutation of the samples each pass;
    `shuffle="batch"` keeps the batches in order and permutes the samples
    inside each batch, as Keras 3 does.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
        super().__init__(steps)
        if not can_convert_arrays((x, y, sample_weight)):
            raise ValueError(
                "Expected all elements of `x` to be array-like. Received invalid "
                f"types: x={type(x).__name__}")
        x, y, sample_weight = (standardize_arrays(x), standardize_arrays(y),
                               standardize_arrays(sample_weight))
        class_weight = _validate_class_weight(class_weight)
        if sample_weight is not None:
            if class_weight is not None:
                raise ValueError(
                    "You cannot `class_weight` and `sample_weight` at the same time.")
            sample_weight = _weights_per_output(y, sample_weight)
        if class_weight is not None:
            if _is_nested(y):
                raise ValueError(
                    "`class_weight` is only supported for Models with a single output.")
            if y is None:
                raise ValueError("`class_weight` needs targets `y`.")
            sample_weight = class_weight_to_sample_weights(y, class_weight)
        self._num_samples = check_data_cardinality(x, y, sample_weight)
        self.x, self.y, self.sample_weight = x, y, sample_weight
        if not batch_size:
            # With `steps` but no batch size, the steps cover the data once.
            batch_size = int(math.ceil(self._num_samples / steps)) if steps else 32
        self._batch_size = int(batch_size)
        self._size = int(math.ceil(self._num_samples / self._batch_size))
        self._partial_batch_size = self._num_samples % self._batch_size
        if shuffle not in (True, False, "batch") and shuffle is not None:
            raise ValueError(
                f'`shuffle` must be True, False or "batch". Received: shuffle={shuffle}')
        self.shuffle = shuffle

    @property
    def num_samples(self):
        return self._num_samples

    @property
    def source_num_batches(self):
        return self._size

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def has_partial_batch(self):
        return self._partial_batch_size > 0

    @property
    def partial_batch_size(self):
        return self._partial_batch_size or None

    def get_numpy_iterator(self):
        permutation = None
        if self.shuffle and self.shuffle != "batch":
            permutation = global_rng().permutation(self._num_samples)
        for i in range(self._size):
            start = i * self._batch_size
            stop = min((i + 1) * self._batch_size, self._num_samples)
            if self.shuffle == "batch":
                sel = global_rng().permutation(stop - start) + start
            elif permutation is not None:
                sel = permutation[start:stop]
            else:
                sel = slice(start, stop)
            take = (lambda a, s=sel: a[s])
            yield _pack(map_structure(take, self.x), map_structure(take, self.y),
                        map_structure(take, self.sample_weight))


class _BatchChecker:
    """Standardizes batches from a generator or PyDataset and checks that
    each one has the structure and shapes of the first ones."""

    def __init__(self, source_name, class_weight=None):
        self.source_name = source_name
        self.class_weight = _validate_class_weight(class_weight)
        self.spec = None      # (structure, flat shapes with None for varying dims)
        self.count = 0
        self._seen = []       # batches met before the spec is known

    def learn(self, batches):
        """Learn the spec from the first batches (standardized or not)."""
        batches = [self._standardize(b) for b in batches]
        flat = [self._flat_shapes(b) for b in batches]
        structure = _structure(batches[0])
        shapes = list(flat[0])
        for other in flat[1:]:
            if len(other) != len(shapes):
                continue
            for i, (a, b) in enumerate(zip(shapes, other)):
                if a is None or b is None or len(a) != len(b):
                    continue
                shapes[i] = tuple(d if d == e else None for d, e in zip(a, b))
        # The batch dimension may always vary (the last batch is partial).
        shapes = [None if s is None else ((None,) + tuple(s[1:]) if s else s) for s in shapes]
        self.spec = (structure, shapes)

    @staticmethod
    def _standardize(batch):
        if isinstance(batch, dict):
            return (standardize_arrays(batch),)
        x, y, sw = unpack_x_y_sample_weight(batch)
        return _pack(standardize_arrays(x), standardize_arrays(y), standardize_arrays(sw))

    @staticmethod
    def _flat_shapes(batch):
        return [None if l is None else tuple(np.shape(l)) for l in flatten(batch)]

    def __call__(self, batch):
        batch = self._standardize(batch)
        index = self.count
        self.count += 1
        if self.spec is not None:
            self._check(batch, index)
        else:
            if self._seen and _structure(batch) != _structure(self._seen[0]):
                self.learn(self._seen)
                self._check(batch, index)
            self._seen.append(batch)
            if len(self._seen) >= NUM_PEEKED_BATCHES:
                self.learn(self._seen)
                self._seen = []
        if self.class_weight is not None:
            if len(batch) == 3:
                raise ValueError(
                    "You cannot specify `class_weight` and `sample_weight` at the same "
                    f"time: the {self.source_name} yields `(x, y, sample_weight)`.")
            if len(batch) == 2:
                if _is_nested(batch[1]):
                    raise ValueError(
                        "`class_weight` is only supported for Models with a single output.")
                batch = batch + (class_weight_to_sample_weights(batch[1], self.class_weight),)
        return batch

    def _check(self, batch, index):
        structure, shapes = self.spec
        if _structure(batch) != structure:
            raise ValueError(
                f"The {self.source_name} yielded batches with different structures: the "
                f"first batches were {self._format(structure)} but batch {index} is "
                f"{self._format(_structure(batch))} (shapes {_shape_tree(batch)}). Every "
                "batch must have the same structure: `(x,)`, `(x, y)` or "
                "`(x, y, sample_weight)`.")
        for got, want in zip(self._flat_shapes(batch), shapes):
            if got is None or want is None:
                continue
            if len(got) != len(want) or any(w is not None and g != w for g, w in zip(got, want)):
                raise TypeError(
                    f"The {self.source_name} yielded an element of shape {got} where an "
                    f"element of shape {want} was expected (batch {index}; the first "
                    f"batches had shapes {shapes}). Your {self.source_name} provides "
                    "tensors with variable input dimensions other than the batch size. "
                    "Make sure that every batch has the same shape except for the first "
                    "(batch) dimension.")

    @staticmethod
    def _format(structure):
        if structure[0] == "seq":
            return f"a tuple of {structure[1]}"
        return "a dict" if structure[0] == "dict" else "a single array"


class GeneratorDataAdapter(DataAdapter):
    """A Python generator or iterator (or a re-iterable object).

    The first two batches are read at construction to learn the structure and
    shapes; every later batch must match them (up to the batch dimension and
    dimensions that already differ between those two).
    """

    def __init__(self, generator, steps=None, class_weight=None):
        super().__init__(steps)
        self._reiterable = not _is_iterator(generator)
        self._source = generator
        iterator = iter(generator) if self._reiterable else generator
        first = list(itertools.islice(iterator, NUM_PEEKED_BATCHES))
        if not first:
            raise ValueError(
                "When passing a Python generator to a Keras model, the generator must "
                "yield at least one batch. Received an empty generator.")
        self._first = first
        self._iterator = iterator
        self._passes = 0
        self._checker = _BatchChecker(
            "iterable" if self._reiterable else "generator", class_weight)
        self._checker.learn(first)

    def peek(self):
        """The first batch (standardized), without consuming it."""
        return _BatchChecker._standardize(self._first[0])

    def get_numpy_iterator(self):
        if self._reiterable and self._passes > 0:
            source = iter(self._source)
        else:
            # As Keras: a generator can't be rewound, so later passes replay only
            # the peeked batches followed by whatever the generator still yields.
            source = itertools.chain(self._first, self._iterator)
        self._passes += 1
        return (self._checker(batch) for batch in source)


class PyDatasetAdapter(DataAdapter):
    """`keras.utils.PyDataset` and look-alikes (`__len__` + `__getitem__`).

    `workers > 1` (or `use_multiprocessing=True`) on the dataset reads batches
    ahead in a thread pool, at most `max_queue_size` batches ahead of the
    training loop (see `minikeras.trainers.prefetch`).
    """

    def __init__(self, dataset, steps=None, shuffle=False, class_weight=None):
        super().__init__(steps)
        self.dataset = dataset
        self.shuffle = shuffle
        self._checker = _BatchChecker("PyDataset", class_weight)
        self._prefetcher = None
        workers = _dataset_attr(dataset, "workers", 1)
        use_mp = _dataset_attr(dataset, "use_multiprocessing", False)
        self.workers = int(workers or 0)
        self.use_multiprocessing = bool(use_mp)
        self.max_queue_size = int(_dataset_attr(dataset, "max_queue_size", 10) or 10)
        self._use_prefetch = self.workers > 1 or (self.workers > 0 and self.use_multiprocessing)
        n = self.source_num_batches
        if n == 0:
            raise ValueError("The PyDataset has length 0: it yields no batches.")
        if n is None and shuffle:
            warnings.warn(
                "`shuffle=True` was passed, but will be ignored since the data `x` was "
                "provided as an infinite PyDataset. The PyDataset is expected to "
                "already be shuffled.", stacklevel=3)

    @property
    def source_num_batches(self):
        n = getattr(self.dataset, "num_batches", None) if _has_num_batches(self.dataset) \
            else len(self.dataset)
        return None if n is None else int(n)

    def peek(self):
        return _BatchChecker._standardize(self.dataset[0])

    def _indices(self):
        n = self.source_num_batches
        if n is None:
            return itertools.count()
        if self.shuffle:
            return [int(i) for i in global_rng().permutation(n)]
        return range(n)

    def get_numpy_iterator(self):
        return self._pass(self._indices())

    def _pass(self, indices):
        if not self._use_prefetch:
            for i in indices:
                yield self._checker(self.dataset[i])
            return
        from minikeras.trainers.prefetch import BatchPrefetcher
        prefetcher = BatchPrefetcher(self.dataset.__getitem__, indices,
                                     workers=max(1, self.workers),
                                     max_queue_size=self.max_queue_size)
        self._prefetcher = prefetcher
        try:
            for batch in prefetcher:
                yield self._checker(batch)
        finally:
            prefetcher.close()
            if self._prefetcher is prefetcher:
                self._prefetcher = None

    def on_epoch_begin(self):
        super().on_epoch_begin()
        if self._prefetcher is not None:
            self._prefetcher.resume()
        hook = getattr(self.dataset, "on_epoch_begin", None)
        if callable(hook):
            hook()

    def on_epoch_end(self):
        if not self._in_epoch:
            return
        super().on_epoch_end()
        # Workers must be idle while the dataset changes itself (reshuffles).
        if self._prefetcher is not None:
            self._prefetcher.pause()
        hook = getattr(self.dataset, "on_epoch_end", None)
        if callable(hook):
            hook()

    def close(self):
        """Stop the worker threads of a pass in progress."""
        self._close_pass()


def _dataset_attr(dataset, name, default):
    # PyDataset subclasses that skip `super().__init__()` get Keras's warning
    # from the property; plain objects without the attribute get the default.
    try:
        return getattr(dataset, name)
    except AttributeError:
        return default


def _has_num_batches(dataset):
    try:
        getattr(dataset, "num_batches")
    except (AttributeError, NotImplementedError):
        return False
    return True


def _is_iterator(x):
    return isinstance(x, types.GeneratorType) or (
        hasattr(x, "__next__") and hasattr(x, "__iter__"))


def _is_py_dataset(x):
    from minikeras.utils.py_dataset import PyDataset
    if isinstance(x, PyDataset):
        return True
    if isinstance(x, (str, bytes, list, tuple, dict, np.ndarray)):
        return False
    return hasattr(x, "__getitem__") and hasattr(x, "__len__") and not hasattr(x, "__array__")


def _no_arg_for(what, y, sample_weight):
    for name, value, description in (("y", y, "the targets"),
                                     ("sample_weights", sample_weight, "the sample weights")):
        if value is not None:
            raise ValueError(
                f"When providing `x` as a {what}, `{name}` should not be passed. "
                f"Instead, {description} should be included as part of the {what}.")


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None,
                     shuffle=False, class_weight=None, steps_per_epoch=None):
    """The adapter for `x`, with the arguments checked against it.

    Args:
        x: arrays (or lists/dicts of arrays, or objects with `__array__`), a
            `PyDataset` (or any object with `__len__` and `__getitem__`), a
            Python generator/iterator or another iterable yielding batches.
        y, sample_weight: only with arrays.
        batch_size: samples per batch for arrays (default 32).
        steps / steps_per_epoch: batches per epoch (`None`: one pass).
        shuffle: `True`, `False` or `"batch"` (arrays; a PyDataset shuffles
            its batch order).
        class_weight: `{class index: weight}` turned into sample weights.
    """
    if isinstance(x, DataAdapter):
        return x
    steps = steps if steps is not None else steps_per_epoch
    if x is None:
        raise ValueError("No data was passed: `x` is None.")
    if can_convert_arrays((x, y, sample_weight)):
        return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, steps=steps,
                                shuffle=shuffle, class_weight=class_weight)
    if _is_py_dataset(x):
        _no_arg_for("PyDataset", y, sample_weight)
        return PyDatasetAdapter(x, steps=steps, shuffle=shuffle, class_weight=class_weight)
    if _is_iterator(x) or (hasattr(x, "__iter__") and not isinstance(x, (str, bytes, dict))):
        _no_arg_for("generator", y, sample_weight)
        adapter = GeneratorDataAdapter(x, steps=steps, class_weight=class_weight)
        if shuffle:
            warnings.warn(
                "`shuffle=True` was passed, but will be ignored since the data `x` was "
                "provided as a generator. The generator is expected to yield "
                "already-shuffled data.", stacklevel=3)
        return adapter
    bad = [type(l).__name__ for l in flatten((x, y, sample_weight)) if not _is_array_leaf(l)]
    raise ValueError(
        f"Unrecognized data type: x={x!r} (of type {type(x).__name__}). Expected numpy "
        "arrays (or lists/dicts of arrays), a keras.utils.PyDataset, or a Python "
        f"generator yielding batches. Unsupported leaf types: {sorted(set(bad))}")


def configure_legacy_workers(source, workers=1, use_multiprocessing=False, max_queue_size=10):
    """Keras 2's `fit_generator(workers=...)` arguments, moved onto a PyDataset.

    Keras 3 reads `workers`, `use_multiprocessing` and `max_queue_size` from
    the PyDataset itself; the legacy `*_generator` methods passed them to the
    call. Non-default values are set on a PyDataset-like `source` (Python
    generators have no parallel reading and are left alone).
    """
    if not _is_py_dataset(source):
        return source
    for name, value, default in (("workers", workers, 1),
                                 ("use_multiprocessing", use_multiprocessing, False),
                                 ("max_queue_size", max_queue_size, 10)):
        if value != default:
            try:
                setattr(source, name, value)
            except AttributeError:
                pass
    return source


def train_validation_split(arrays, validation_split):
    """Split arrays into training and validation parts in deterministic order.

    The LAST `validation_split` fraction of the samples (taken before any
    shuffling) becomes the validation data, as Keras does.

    Args:
        arrays: nested structure of arrays (`None` leaves are kept).
        validation_split: float strictly between 0 and 1.

    Returns:
        `(train_arrays, validation_arrays)`.
    """
    if not 0 < validation_split < 1:
        raise ValueError(
            "`validation_split` must be between 0 and 1 (exclusive). "
            f"Received: validation_split={validation_split}")
    leaves = flatten(arrays)
    unsplittable = sorted({type(t).__name__ for t in leaves
                           if t is not None and not _is_array_leaf(t)})
    if unsplittable:
        raise ValueError(
            "Argument `validation_split` is only supported for tensors or NumPy arrays "
            "(not generators or datasets; pass `validation_data` instead). Found "
            f"incompatible type in the input: {unsplittable}")
    present = [t for t in leaves if t is not None]
    if not present:
        return arrays, arrays
    n = _batch_dim(present[0], "x")
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it "
            "into a validation and training set as specified by "
            f"`validation_split={validation_split}`. Either provide more data, or a "
            "different value for the `validation_split` argument.")
    train = map_structure(lambda a: a[:split_at], arrays)
    val = map_structure(lambda a: a[split_at:n], arrays)
    return train, val
