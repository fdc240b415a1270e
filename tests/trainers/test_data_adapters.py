"""Data adapters and the PyDataset read-ahead, tested directly."""
import itertools
import threading
import traceback
import warnings

import numpy as np
import pytest

from minikeras.trainers import data_adapters as da
from minikeras.trainers.prefetch import BatchPrefetcher
from minikeras.utils.py_dataset import PyDataset


def _epoch(adapter):
    """One epoch of batches, each as a tuple `(x[, y[, sample_weight]])`
    (a lone array, which Keras passes unwrapped, becomes `(x,)`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [b if isinstance(b, tuple) else (b,) for b in adapter]


# ----- packing ---------------------------------------------------------------------------
def test_unpack_and_pack_x_y_sample_weight():
    x, y, sw = np.ones(2), np.zeros(2), np.full(2, 0.5)
    assert da.unpack_x_y_sample_weight(x) == (x, None, None)
    assert da.unpack_x_y_sample_weight((x,)) == (x, None, None)
    assert da.unpack_x_y_sample_weight([x, y])[1] is y
    assert da.unpack_x_y_sample_weight((x, y, sw))[2] is sw
    with pytest.raises(ValueError, match="Data is expected to be in format"):
        da.unpack_x_y_sample_weight((x, y, sw, sw))
    assert da.pack_x_y_sample_weight(x) is x
    assert da.pack_x_y_sample_weight([x, x]) == ([x, x],)
    assert da.pack_x_y_sample_weight(x, y) == (x, y)
    assert len(da.pack_x_y_sample_weight(x, y, sw)) == 3


def test_class_weight_to_sample_weights_as_keras():
    cw = {0: 0.5, 2: 3.0}
    np.testing.assert_allclose(da.class_weight_to_sample_weights(np.array([0, 1, 2, 2]), cw),
                               [0.5, 1.0, 3.0, 3.0])
    # (n, 1) targets are squeezed and rounded; one-hot uses the argmax.
    np.testing.assert_allclose(
        da.class_weight_to_sample_weights(np.array([[0.2], [1.7], [2.0]]), cw), [0.5, 3.0, 3.0])
    onehot = np.eye(3)[[2, 0, 1]]
    out = da.class_weight_to_sample_weights(onehot, cw)
    np.testing.assert_allclose(out, [3.0, 0.5, 1.0])
    assert out.dtype == np.float32
    with pytest.raises(ValueError, match="one class per sample"):
        da.class_weight_to_sample_weights(np.zeros((4, 3, 2)), cw)


# ----- arrays ------------------------------------------------------------------------------
def test_array_adapter_batches_partial_last_batch_and_properties():
    x = np.arange(10, dtype="float64").reshape(10, 1)
    adapter = da.ArrayDataAdapter(x, np.arange(10), batch_size=4)
    batches = _epoch(adapter)
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    assert batches[0][0].dtype == np.float32          # float64 -> floatx
    assert adapter.num_batches == 3 and adapter.batch_size == 4
    assert adapter.has_partial_batch and adapter.partial_batch_size == 2
    assert len(batches[0]) == 2                         # (x, y): no sample weights


def test_array_adapter_steps_without_batch_size_covers_data_once():
    adapter = da.ArrayDataAdapter(np.zeros((10, 2)), steps=3)
    assert adapter.batch_size == 4
    assert [len(b[0]) for b in _epoch(adapter)] == [4, 4, 2]


def test_array_adapter_steps_continue_across_epochs():
    x = np.arange(10).reshape(10, 1)
    adapter = da.ArrayDataAdapter(x, x, batch_size=3, steps=3)
    firsts = []
    for _ in range(3):
        firsts.append([int(b[0][0, 0]) for b in _epoch(adapter)])
    # 4 batches per pass: epoch 2 takes the last one and stops with a warning.
    assert firsts == [[0, 3, 6], [9], [0, 3, 6]]
    adapter = da.ArrayDataAdapter(x, x, batch_size=3, steps=3)
    _epoch(adapter)
    with pytest.warns(UserWarning, match="ran out of data"):
        list(adapter)


def test_array_adapter_shuffle_modes():
    from minikeras.backend.random import set_random_seed
    set_random_seed(0)
    x = np.arange(12).reshape(12, 1)
    by_batch = [b[0][:, 0].tolist() for b in _epoch(da.ArrayDataAdapter(x, batch_size=5,
                                                                        shuffle="batch"))]
    assert [sorted(b) for b in by_batch] == [list(range(5)), list(range(5, 10)), [10, 11]]
    assert by_batch != [list(range(5)), list(range(5, 10)), [10, 11]]
    full = [v for b in _epoch(da.ArrayDataAdapter(x, batch_size=5, shuffle=True))
            for v in b[0][:, 0].tolist()]
    assert sorted(full) == list(range(12)) and full != list(range(12))
    with pytest.raises(ValueError, match="shuffle"):
        da.ArrayDataAdapter(x, shuffle="samples")


def test_array_adapter_class_weight_and_sample_weight_rules():
    x, y = np.zeros((4, 2)), np.array([0, 1, 1, 0])
    batch = _epoch(da.ArrayDataAdapter(x, y, class_weight={1: 2.0}, batch_size=4))[0]
    np.testing.assert_allclose(batch[2], [1, 2, 2, 1])
    with pytest.raises(ValueError, match="at the same time"):
        da.ArrayDataAdapter(x, y, sample_weight=np.ones(4), class_weight={1: 2.0})
    with pytest.raises(ValueError, match="single output"):
        da.ArrayDataAdapter(x, [y, y], class_weight={1: 2.0})
    # One sample-wise array for several outputs is used for each of them.
    batch = _epoch(da.ArrayDataAdapter(x, {"a": y, "b": y}, sample_weight=np.arange(4.0)))[0]
    assert set(batch[2]) == {"a", "b"}
    np.testing.assert_allclose(batch[2]["b"], np.arange(4.0))
    with pytest.raises(ValueError, match="did not match"):
        da.ArrayDataAdapter(x, {"a": y, "b": y}, sample_weight={"a": np.ones(4)})


def test_cardinality_error_lists_every_size():
    with pytest.raises(ValueError) as info:
        da.ArrayDataAdapter([np.zeros((5, 1)), np.zeros((4, 1))], np.zeros(5))
    message = str(info.value)
    assert "Data cardinality is ambiguous" in message
    assert "'x' sizes: 5, 4" in message and "'y' sizes: 5" in message


def test_train_validation_split_takes_the_end():
    x, y = np.arange(10), np.arange(10) * 10
    (tx, ty, tsw), (vx, vy, vsw) = da.train_validation_split((x, y, None), 0.3)
    assert tx.tolist() == list(range(7)) and vx.tolist() == [7, 8, 9]
    assert vy.tolist() == [70, 80, 90] and tsw is None and vsw is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        da.train_validation_split((x,), 0)
    with pytest.raises(ValueError, match="not sufficient"):
        da.train_validation_split((np.arange(1),), 0.5)


# ----- generators ----------------------------------------------------------------------
def test_generator_adapter_peeks_two_batches_and_replays_them():
    produced = []

    def gen():
        for i in range(3):
            produced.append(i)
            yield np.full((2, 1), i), np.zeros(2)

    adapter = da.GeneratorDataAdapter(gen())
    assert produced == [0, 1]
    assert adapter.num_batches is None
    assert [int(b[0][0, 0]) for b in _epoch(adapter)] == [0, 1, 2]
    assert adapter.num_batches == 3                     # learnt from the first pass
    # A generator can't be rewound: as Keras, the peeked batches come again.
    assert [int(b[0][0, 0]) for b in _epoch(adapter)] == [0, 1]


def test_reiterable_sources_restart_each_epoch():
    class Batches:
        def __iter__(self):
            return iter([(np.ones((2, 1)) * i,) for i in range(3)])

    adapter = da.get_data_adapter(Batches())
    assert [len(_epoch(adapter)) for _ in range(3)] == [3, 3, 3]


def test_generator_shape_check_allows_varying_batch_and_reports_others():
    def gen(shapes):
        for s in shapes:
            yield np.zeros(s), np.zeros(s[0])

    ok = da.GeneratorDataAdapter(gen([(4, 3), (4, 3), (1, 3)]))
    assert [b[0].shape for b in _epoch(ok)] == [(4, 3), (4, 3), (1, 3)]
    # Dimensions already differing between the first two batches may vary.
    varying = da.GeneratorDataAdapter(gen([(2, 5), (2, 7), (2, 9)]))
    assert len(_epoch(varying)) == 3
    bad = da.GeneratorDataAdapter(gen([(4, 3), (4, 3), (4, 2)]))
    with pytest.raises(TypeError, match=r"shape \(4, 2\).*shape \(None, 3\)"):
        _epoch(bad)


def test_empty_and_non_batch_generators():
    with pytest.raises(ValueError, match="at least one batch"):
        da.GeneratorDataAdapter(iter([]))
    with pytest.raises(ValueError, match="`y` should not be passed"):
        da.get_data_adapter(iter([(np.ones(1),)]), y=np.ones(1))
    with pytest.raises(ValueError, match="sample_weights"):
        da.get_data_adapter(iter([(np.ones(1),)]), sample_weight=np.ones(1))


def test_infinite_generator_with_steps_never_restarts():
    counter = itertools.count()
    adapter = da.GeneratorDataAdapter(((np.full((1, 1), next(counter)),) for _ in
                                       itertools.count()), steps=4)
    seen = [int(b[0][0, 0]) for _ in range(3) for b in _epoch(adapter)]
    assert seen == list(range(12))


# ----- PyDataset ---------------------------------------------------------------------------
class Numbers(PyDataset):
    def __init__(self, n=5, fail_at=None, **kwargs):
        super().__init__(**kwargs)
        self.n, self.fail_at = n, fail_at
        self.calls = []
        self.lock = threading.Lock()

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        with self.lock:
            self.calls.append(i)
        if i == self.fail_at:
            raise RuntimeError(f"batch {i} is corrupt")
        return np.full((2, 1), i, dtype="float32"), np.zeros(2)


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_pydataset_adapter_order_and_shuffle(workers):
    from minikeras.backend.random import set_random_seed
    set_random_seed(1)
    adapter = da.PyDatasetAdapter(Numbers(6, workers=workers))
    assert [int(b[0][0, 0]) for b in _epoch(adapter)] == list(range(6))
    shuffled = da.PyDatasetAdapter(Numbers(6, workers=workers), shuffle=True)
    order = [int(b[0][0, 0]) for b in _epoch(shuffled)]
    assert sorted(order) == list(range(6)) and order != list(range(6))


def test_pydataset_adapter_class_weight_and_sample_weight_conflict():
    class WithSW(Numbers):
        def __getitem__(self, i):
            x, y = super().__getitem__(i)
            return x, y, np.ones(2)

    batch = _epoch(da.PyDatasetAdapter(Numbers(2), class_weight={0: 4.0}))[0]
    np.testing.assert_allclose(batch[2], [4.0, 4.0])
    with pytest.raises(ValueError, match="at the same time"):
        _epoch(da.PyDatasetAdapter(WithSW(2), class_weight={0: 4.0}))


def test_infinite_pydataset_needs_steps():
    class Endless(PyDataset):
        @property
        def num_batches(self):
            return None

        def __getitem__(self, i):
            return (np.full((1, 1), i),)

    with pytest.warns(UserWarning, match="infinite PyDataset"):
        adapter = da.PyDatasetAdapter(Endless(), steps=3, shuffle=True)
    assert [int(b[0][0, 0]) for _ in range(2) for b in _epoch(adapter)] == list(range(6))


def test_pydataset_without_super_init_warns_like_keras():
    class NoSuper(PyDataset):
        def __init__(self):
            pass

        def __len__(self):
            return 1

        def __getitem__(self, i):
            return (np.ones((1, 1)),)

    with pytest.warns(UserWarning, match=r"should call `super\(\).__init__"):
        da.PyDatasetAdapter(NoSuper())


def test_duck_typed_sequences_are_pydatasets():
    class Plain:
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return np.ones((3, 1)) * i, np.zeros(3)

    adapter = da.get_data_adapter(Plain())
    assert isinstance(adapter, da.PyDatasetAdapter)
    assert len(_epoch(adapter)) == 2


# ----- read-ahead ---------------------------------------------------------------------------
def test_prefetcher_keeps_order_and_bounds_read_ahead():
    consumed = [0]
    max_ahead = [0]
    lock = threading.Lock()

    def fetch(i):
        with lock:
            max_ahead[0] = max(max_ahead[0], i - consumed[0])
        return i

    out = []
    for value in BatchPrefetcher(fetch, range(40), workers=4, max_queue_size=3):
        out.append(value)
        with lock:
            consumed[0] += 1
    assert out == list(range(40))
    # Batch i is only requested once at most `max_queue_size` are pending.
    assert max_ahead[0] <= 3


def test_prefetcher_reraises_worker_exception_with_traceback():
    def fetch(i):
        if i == 3:
            raise ValueError("boom in worker")
        return i

    got = []
    prefetcher = BatchPrefetcher(fetch, range(10), workers=2, max_queue_size=4)
    with pytest.raises(ValueError, match="boom in worker") as info:
        for value in prefetcher:
            got.append(value)
    assert got == [0, 1, 2]
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames[-1].name == "fetch"
    assert not any(t.name.startswith("minikeras_pydataset_worker")
                   for t in threading.enumerate())


def test_prefetcher_pause_leaves_no_worker_running():
    running = [0]
    overlap = []
    lock = threading.Lock()

    def fetch(i):
        with lock:
            running[0] += 1
        value = sum(range(2000))     # a little work
        with lock:
            running[0] -= 1
        return i, value

    prefetcher = BatchPrefetcher(fetch, itertools.count(), workers=3, max_queue_size=5)
    try:
        for epoch in range(5):
            for _ in range(4):
                next(prefetcher)
            prefetcher.pause()
            with lock:
                overlap.append(running[0])
            prefetcher.resume()
        values = [next(prefetcher)[0] for _ in range(3)]
    finally:
        prefetcher.close()
    assert overlap == [0] * 5
    assert values == [20, 21, 22]


def test_prefetcher_close_stops_threads():
    prefetcher = BatchPrefetcher(lambda i: i, itertools.count(), workers=2, max_queue_size=2)
    assert next(prefetcher) == 0
    prefetcher.close()
    with pytest.raises(StopIteration):
        next(prefetcher)
    names = [t.name for t in threading.enumerate() if t.is_alive()]
    assert not any(n.startswith("minikeras_pydataset") for n in names)


def test_pydataset_adapter_workers_exception_surfaces():
    adapter = da.PyDatasetAdapter(Numbers(6, fail_at=4, workers=3))
    with pytest.raises(RuntimeError, match="batch 4 is corrupt"):
        _epoch(adapter)


def test_configure_legacy_workers_moves_arguments_onto_pydatasets():
    ds = Numbers(3)
    da.configure_legacy_workers(ds, workers=3, use_multiprocessing=False, max_queue_size=4)
    assert (ds.workers, ds.max_queue_size) == (3, 4)
    gen = iter([])
    assert da.configure_legacy_workers(gen, workers=3) is gen


def test_stopping_an_epoch_early_releases_the_workers():
    adapter = da.PyDatasetAdapter(Numbers(50, workers=3, max_queue_size=4))
    for i, _ in enumerate(adapter):
        if i == 2:
            break
    alive = [t.name for t in threading.enumerate() if t.name.startswith("minikeras_pydataset")]
    assert alive == []
