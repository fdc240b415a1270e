"""`keras.utils.PyDataset` and the legacy `Sequence` name."""
import inspect
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils.py_dataset import PyDataset, Sequence


class Squares(PyDataset):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = np.full((2, 1), i, dtype="float32")
        return x, x ** 2


def test_signature_and_defaults_as_keras():
    params = inspect.signature(PyDataset.__init__).parameters
    assert [(p.name, p.default) for p in list(params.values())[1:]] == [
        ("workers", 1), ("use_multiprocessing", False), ("max_queue_size", 10)]
    ds = Squares(3, workers=4, use_multiprocessing=True, max_queue_size=2)
    assert (ds.workers, ds.use_multiprocessing, ds.max_queue_size) == (4, True, 2)
    ds.workers = 2
    assert ds.workers == 2


def test_iteration_len_and_num_batches():
    ds = Squares(3)
    assert ds.num_batches == 3
    batches = list(ds)
    assert len(batches) == 3 and batches[2][1][0, 0] == 4.0
    ds.on_epoch_begin()
    ds.on_epoch_end()


def test_infinite_dataset_iterates_until_stopped():
    class Endless(PyDataset):
        @property
        def num_batches(self):
            return None

        def __getitem__(self, i):
            return i

    it = iter(Endless())
    assert [next(it) for _ in range(5)] == [0, 1, 2, 3, 4]


def test_missing_methods_raise():
    with pytest.raises(NotImplementedError):
        PyDataset()[0]
    with pytest.raises(NotImplementedError, match="num_batches"):
        PyDataset().num_batches


def test_missing_super_init_gets_keras_warning():
    class Lazy(PyDataset):
        def __init__(self):
            pass

    with pytest.warns(UserWarning, match="super"):
        assert Lazy().workers == 1


def test_sequence_is_deprecated_alias_of_pydataset():
    assert issubclass(Sequence, PyDataset)
    with pytest.warns(DeprecationWarning, match="keras.utils.PyDataset"):
        class Old(Sequence):
            def __init__(self, n):
                self.n = n          # Keras 2 code rarely calls super().__init__

            def __len__(self):
                return self.n

            def __getitem__(self, i):
                return np.ones((2, 1)) * i, np.ones((2, 1))

    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no "call super().__init__" warning for Sequence
        ds = Old(3)
        assert (ds.workers, ds.use_multiprocessing, ds.max_queue_size) == (1, False, 10)
    with pytest.warns(DeprecationWarning):
        Sequence()


def test_pydataset_with_workers_trains_like_one_worker():
    def run(**kwargs):
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.set_weights([np.array([[0.5]], "float32"), np.zeros(1, "float32")])
        model.compile(keras.optimizers.SGD(0.01), "mse")
        return model.fit(Squares(6, **kwargs), epochs=3, shuffle=False, verbose=0)

    ref = run().history["loss"]
    for kwargs in (dict(workers=2), dict(workers=4, max_queue_size=1),
                   dict(use_multiprocessing=True)):
        np.testing.assert_allclose(run(**kwargs).history["loss"], ref, rtol=1e-6)
