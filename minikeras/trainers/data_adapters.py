"""Turn what `fit`/`evaluate`/`predict` receive into batches.

Sources: numpy arrays (and lists/dicts of them, and objects with
`__array__`), Python generators and iterators, and `PyDataset`-like objects
(`__len__` + `__getitem__`, e.g. `keras.utils.Sequence` or the
ImageDataGenerator iterators). Each adapter yields `(x, y, sample_weight)`.
"""
import math
import types
import warnings

import numpy as np

from minikeras.backend import config
from minikeras.backend.random import global_rng


def flatten(tree):
    if isinstance(tree, (list, tuple)):
        out = []
        for t in tree:
            out.extend(flatten(t))
        return out
    if isinstance(tree, dict):
        out = []
        for k in tree:
            out.extend(flatten(tree[k]))
        return out
    return [tree]


def map_structure(fn, tree):
    if isinstance(tree, list):
        return [map_structure(fn, t) for t in tree]
    if isinstance(tree, tuple):
        return tuple(map_structure(fn, t) for t in tree)
    if isinstance(tree, dict):
        return {k: map_structure(fn, v) for k, v in tree.items()}
    return None if tree is None else fn(tree)


def unpack_x_y_sample_weight(data):
    """Split a batch into `(x, y, sample_weight)` (missing parts are None)."""
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
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found: {data}")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Inverse of `unpack_x_y_sample_weight`."""
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _to_array(v):
    if v is None or isinstance(v, np.ndarray):
        arr = v
    elif hasattr(v, "__array__") or isinstance(v, (list, tuple, int, float)):
        arr = np.asarray(v)
    else:
        return v
    if arr is not None and arr.dtype == np.float64:
        arr = arr.astype(config.floatx())
    return arr


def _is_array_like(x):
    if x is None:
        return True
    if isinstance(x, (np.ndarray, int, float)):
        return True
    if isinstance(x, dict):
        return all(_is_array_like(v) for v in x.values())
    if isinstance(x, (list, tuple)):
        if x and all(isinstance(e, (int, float, np.number)) for e in flatten(x)):
            return True
        return all(_is_array_like(v) for v in x)
    if hasattr(x, "__array__") and not hasattr(x, "__getitem__") or (
            hasattr(x, "__array__") and hasattr(x, "shape")):
        return True
    return False


def standardize_arrays(tree):
    """Lists of numbers become arrays; lists of arrays stay lists (multi-input)."""
    if tree is None:
        return None
    if isinstance(tree, dict):
        return {k: standardize_arrays(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        if tree and all(isinstance(e, (int, float, np.number)) for e in flatten(tree)):
            return _to_array(tree)
        return type(tree)(standardize_arrays(v) for v in tree)
    return _to_array(tree)


def _num_samples(tree, what):
    lengths = {}
    for leaf in flatten(tree):
        if leaf is None:
            continue
        if np.ndim(leaf) == 0:
            raise ValueError(f"Expected `{what}` arrays with a batch dimension; received a scalar.")
        lengths.setdefault(len(leaf), []).append(np.shape(leaf))
    return lengths


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights from a `{class: weight}` dict, as Keras derives them."""
    y = np.asarray(y)
    if y.ndim > 1 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.round(y.reshape(y.shape[0], -1)[:, 0]).astype(np.int64) if y.ndim > 1 \
            else np.round(y).astype(np.int64)
    max_cls = int(max(class_weight.keys())) if class_weight else 0
    table = np.ones(max(max_cls, int(classes.max(initial=0))) + 1, dtype=config.floatx())
    for k, w in class_weight.items():
        table[int(k)] = w
    return table[classes]


class ArrayDataAdapter:
    """Batches in-memory arrays; shuffles each epoch (`True` or `"batch"`)."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None,
                 shuffle=False, class_weight=None):
        x, y, sample_weight = (standardize_arrays(x), standardize_arrays(y),
                               standardize_arrays(sample_weight))
        sizes = {}
        for what, tree in (("x", x), ("y", y), ("sample_weight", sample_weight)):
            for n in _num_samples(tree, what):
                sizes.setdefault(n, []).append(what)
        if len(sizes) > 1:
            detail = ", ".join(f"{what} sizes: {n}" for n, whats in sizes.items()
                               for what in whats)
            raise ValueError(
                "Data cardinality is ambiguous. Make sure all arrays contain the same "
                f"number of samples. {detail}")
        self.num_samples = next(iter(sizes)) if sizes else 0
        if class_weight is not None:
            if isinstance(y, (list, tuple, dict)) and len(flatten(y)) > 1:
                raise ValueError("`class_weight` is only supported for models with a single output.")
            cw = class_weight_to_sample_weights(flatten(y)[0], class_weight)
            sample_weight = cw if sample_weight is None else np.asarray(sample_weight) * cw
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        full = math.ceil(self.num_samples / self.batch_size) if self.num_samples else 0
        self.num_batches = full if steps is None else min(int(steps), full) if full else int(steps)
        self._steps = steps

    def __iter__(self):
        n = self.num_samples
        idx = None
        if self.shuffle == "batch":
            order = global_rng().permutation(math.ceil(n / self.batch_size))
        elif self.shuffle:
            idx = global_rng().permutation(n)
            order = range(math.ceil(n / self.batch_size))
        else:
            order = range(math.ceil(n / self.batch_size))
        count = 0
        for b in order:
            if count >= self.num_batches:
                return
            start, stop = b * self.batch_size, min(n, (b + 1) * self.batch_size)
            sel = idx[start:stop] if idx is not None else slice(start, stop)
            take = (lambda a, s=sel: a[s])
            yield _pack(map_structure(take, self.x), map_structure(take, self.y),
                        map_structure(take, self.sample_weight))
            count += 1

    def on_epoch_end(self):
        pass


class GeneratorDataAdapter:
    """A Python generator or iterator; `steps` bounds an epoch."""

    def __init__(self, generator, steps=None, class_weight=None):
        self.generator = generator
        self.num_batches = steps
        self.class_weight = class_weight
        self._exhausted = False
        self._peeked = []

    def peek(self):
        if not self._peeked:
            try:
                self._peeked.append(next(self.generator))
            except StopIteration:
                raise ValueError("The generator passed to the model yielded no data.") from None
        return self._peeked[0]

    def __iter__(self):
        count = 0
        while self.num_batches is None or count < self.num_batches:
            if self._peeked:
                batch = self._peeked.pop()
            else:
                try:
                    batch = next(self.generator)
                except StopIteration:
                    if self.num_batches is not None and count < self.num_batches:
                        warnings.warn(
                            "Your input ran out of data; interrupting training. Make sure "
                            "that your dataset or generator can generate at least "
                            f"`steps_per_epoch * epochs` batches. You may need to use "
                            "`.repeat()` or pass a smaller `steps_per_epoch`.", stacklevel=3)
                        self._exhausted = True
                    return
            yield _standardize_batch(batch, self.class_weight)
            count += 1

    def on_epoch_end(self):
        pass


class PyDatasetAdapter:
    """`__len__` + `__getitem__` sources (PyDataset, Sequence, image iterators)."""

    def __init__(self, dataset, steps=None, shuffle=False, class_weight=None):
        self.dataset = dataset
        self.class_weight = class_weight
        self.shuffle = shuffle
        n = len(dataset)
        self.num_batches = n if steps is None else int(steps)
        self._len = n

    def peek(self):
        return self.dataset[0]

    def _indices(self):
        if self.shuffle and self.shuffle != "batch":
            return global_rng().permutation(self._len)
        return np.arange(self._len)

    def __iter__(self):
        from minikeras.trainers.prefetch import iterate_dataset
        order = self._indices()
        # steps beyond len(): wrap around, as Keras does for a PyDataset.
        wanted = [int(order[i % self._len]) for i in range(self.num_batches)]
        for batch in iterate_dataset(self.dataset, wanted):
            yield _standardize_batch(batch, self.class_weight)

    def on_epoch_end(self):
        hook = getattr(self.dataset, "on_epoch_end", None)
        if callable(hook):
            hook()


def _standardize_batch(batch, class_weight):
    x, y, sw = unpack_x_y_sample_weight(batch)
    x, y, sw = standardize_arrays(x), standardize_arrays(y), standardize_arrays(sw)
    if class_weight is not None and y is not None:
        cw = class_weight_to_sample_weights(flatten(y)[0], class_weight)
        sw = cw if sw is None else np.asarray(sw) * cw
    return _pack(x, y, sw)


def _pack(x, y, sw):
    """A batch as `train_step(data)` receives it: `(x,)`, `(x, y)` or `(x, y, sw)`."""
    if y is None and sw is None:
        return (x,)
    if sw is None:
        return (x, y)
    return (x, y, sw)


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None,
                     shuffle=False, class_weight=None):
    """Pick the adapter for `x` and check that the arguments fit it."""
    if isinstance(x, (types.GeneratorType,)) or (
            hasattr(x, "__next__") and hasattr(x, "__iter__") and not hasattr(x, "__getitem__")):
        _no_y_for(x, y, sample_weight, "a generator")
        return GeneratorDataAdapter(x, steps=steps, class_weight=class_weight)
    if hasattr(x, "__getitem__") and hasattr(x, "__len__") and not _is_array_like(x) \
            and not isinstance(x, (list, tuple, dict, str)):
        _no_y_for(x, y, sample_weight, "a PyDataset")
        return PyDatasetAdapter(x, steps=steps, shuffle=shuffle, class_weight=class_weight)
    if _is_array_like(x):
        return ArrayDataAdapter(x, y, sample_weight, batch_size=batch_size, steps=steps,
                                shuffle=shuffle, class_weight=class_weight)
    if hasattr(x, "__iter__"):
        _no_y_for(x, y, sample_weight, "an iterable")
        return GeneratorDataAdapter(iter(x), steps=steps, class_weight=class_weight)
    raise ValueError(
        f"Unrecognized data type: x={type(x).__name__}. Expected numpy arrays, lists or "
        "dicts of arrays, a Python generator, or a keras.utils.PyDataset.")


def _no_y_for(x, y, sample_weight, what):
    if y is not None:
        raise ValueError(
            f"When providing `x` as {what}, `y` should not be passed: the data should "
            f"yield `(x, y)` tuples instead. Received: y={type(y).__name__}")
    if sample_weight is not None:
        raise ValueError(
            f"When providing `x` as {what}, `sample_weight` should not be passed: yield "
            "`(x, y, sample_weight)` instead.")


def train_validation_split(arrays, validation_split):
    """Split arrays into training and validation parts: the LAST fraction
    (taken before any shuffling) is for validation, as Keras does."""
    if not 0 < validation_split < 1:
        raise ValueError(
            "`validation_split` must be between 0 and 1 (exclusive). "
            f"Received: validation_split={validation_split}")
    leaves = [a for a in flatten(arrays) if a is not None]
    if any(not isinstance(a, np.ndarray) for a in leaves):
        raise ValueError(
            "`validation_split` is only supported for numpy arrays (not generators or "
            "datasets). Pass `validation_data` instead.")
    n = len(leaves[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into "
            f"a validation and training set as specified by `validation_split={validation_split}`.")
    train = map_structure(lambda a: a[:split_at], arrays)
    val = map_structure(lambda a: a[split_at:], arrays)
    return train, val
