"""`PyDataset`: a dataset written in Python (`__len__` + `__getitem__`), and the
legacy `Sequence` name for it."""
import itertools
import warnings


class PyDataset:
    """Base class for defining a parallel dataset using Python code.

    Every `PyDataset` must implement the `__getitem__()` and the `__len__()`
    methods. If you want to modify your dataset between epochs, you may
    additionally implement `on_epoch_end()`, or `on_epoch_begin()` to be
    called at the start of each epoch. The `__getitem__()` method should
    return a complete batch (not a single sample), and the `__len__` method
    should return the number of batches in the dataset (rather than the
    number of samples). An infinite dataset overrides the `num_batches`
    property to return `None`.

    Args:
        workers: Number of workers to use to read batches ahead of the
            training loop.
        use_multiprocessing: Accepted for compatibility with Keras. minikeras
            reads batches in threads either way (no pickling of the dataset
            is needed); with `True`, even `workers=1` reads ahead in a
            background thread.
        max_queue_size: Maximum number of batches read ahead of the training
            loop. Reduce this value to reduce the memory consumption of your
            dataset. Defaults to 10.

    Notes:

    - `PyDataset` guarantees that the model will only train once on each
      batch per epoch, which is not the case with Python generators.
    - The arguments `workers`, `use_multiprocessing`, and `max_queue_size`
      configure how `fit()` reads the dataset. They are not used by the
      `PyDataset` class directly: when you iterate over a `PyDataset`
      yourself, no parallelism is applied.
    - An exception raised in `__getitem__` by a worker reaches the caller of
      `fit()` with the worker's traceback.

    Example:

    ```python
    class ArrayDataset(keras.utils.PyDataset):

        def __init__(self, x_set, y_set, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y = x_set, y_set
            self.batch_size = batch_size

        def __len__(self):
            # Number of batches.
            return math.ceil(len(self.x) / self.batch_size)

        def __getitem__(self, idx):
            low = idx * self.batch_size
            # The last batch may be smaller.
            high = min(low + self.batch_size, len(self.x))
            return self.x[low:high], self.y[low:high]

    model.fit(ArrayDataset(x, y, batch_size=32, workers=2), epochs=5)
    ```
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _warn_if_super_not_called(self):
        warn = False
        if not hasattr(self, "_workers"):
            self._workers = 1
            warn = True
        if not hasattr(self, "_use_multiprocessing"):
            self._use_multiprocessing = False
            warn = True
        if not hasattr(self, "_max_queue_size"):
            self._max_queue_size = 10
            warn = True
        if warn:
            warnings.warn(
                "Your `PyDataset` class should call `super().__init__(**kwargs)` in its "
                "constructor. `**kwargs` can include `workers`, `use_multiprocessing`, "
                "`max_queue_size`. Do not pass these arguments to `fit()`, as they will "
                "be ignored.", stacklevel=3)

    @property
    def workers(self):
        self._warn_if_super_not_called()
        return self._workers

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        self._warn_if_super_not_called()
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        self._warn_if_super_not_called()
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """Gets batch at position `index`.

        Args:
            index: position of the batch in the PyDataset.

        Returns:
            A batch: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
        """
        del index
        raise NotImplementedError

    def __iter__(self):
        index_range = None
        try:
            num_batches = self.num_batches
            if num_batches is not None:
                index_range = range(num_batches)
        except NotImplementedError:
            pass
        if index_range is None:
            index_range = itertools.count()
        for index in index_range:
            yield self[index]

    @property
    def num_batches(self):
        """Number of batches in the PyDataset.

        Returns:
            The number of batches in the PyDataset or `None` to indicate that
            the dataset is infinite.
        """
        # For backwards compatibility, support `__len__`.
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(
            "You need to implement the `num_batches` property:\n\n"
            "@property\ndef num_batches(self):\n  return ...")

    def on_epoch_begin(self):
        """Method called at the beginning of every epoch."""
        pass

    def on_epoch_end(self):
        """Method called at the end of every epoch."""
        pass


_SEQUENCE_MESSAGE = (
    "`keras.utils.Sequence` is deprecated; subclass `keras.utils.PyDataset` instead "
    "(same `__len__`/`__getitem__`/`on_epoch_end` methods; call "
    "`super().__init__(**kwargs)` to accept `workers`, `use_multiprocessing` and "
    "`max_queue_size`).")


class Sequence(PyDataset):
    """Deprecated name of `keras.utils.PyDataset` (Keras 2's `Sequence`).

    Subclassing it works as subclassing `PyDataset`, with a
    `DeprecationWarning`. Keras 2 subclasses rarely call
    `super().__init__()`, so the read-ahead settings default to Keras 2's
    (`workers=1`, `use_multiprocessing=False`, `max_queue_size=10`) without
    the `PyDataset` warning about it.
    """

    _workers = 1
    _use_multiprocessing = False
    _max_queue_size = 10

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        warnings.warn(_SEQUENCE_MESSAGE, DeprecationWarning, stacklevel=2)

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        if type(self) is Sequence:
            warnings.warn(_SEQUENCE_MESSAGE, DeprecationWarning, stacklevel=2)
        super().__init__(workers=workers, use_multiprocessing=use_multiprocessing,
                         max_queue_size=max_queue_size)
