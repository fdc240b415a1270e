"""`fit`/`evaluate`/`predict` on every kind of data, against real Keras 3 goldens
(tests/parity/generate_fit_data_goldens.py) and Keras's rules for bad input."""
import threading
import traceback
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras.utils.py_dataset import PyDataset, Sequence

from fit_data_cases import (ArrayPyDataset, Concat, build, case_arrays, compile_kwargs,
                            fit_kwargs, load_goldens, set_initial_weights)
from tests.parity.fit_data_feeds import BatchEvents, batches

META, ARRAYS = load_goldens()
CASES = {c["name"]: c for c in META["cases"]}


class BatchRecorder(BatchEvents, keras.callbacks.Callback):
    pass


def _dataset(x, y, sw, batch_size, **kwargs):
    return ArrayPyDataset(x, y, sw, batch_size, **kwargs)


def _run_case(case, **dataset_kwargs):
    name = case["name"]
    model = build(case["model"])
    set_initial_weights(model, ARRAYS, name)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), **compile_kwargs(case))
    x = case_arrays(ARRAYS, name, "x")
    y = case_arrays(ARRAYS, name, "y")
    sw = case_arrays(ARRAYS, name, "sw")
    kw = fit_kwargs(case)
    if case.get("validation") == "weighted":
        kw["validation_data"] = tuple(case_arrays(ARRAYS, name, k) for k in ("vx", "vy", "vsw"))
    recorder = BatchRecorder()
    source = case.get("source", "arrays")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if source == "arrays":
            history = model.fit(x, y, sample_weight=sw, verbose=0, callbacks=[recorder], **kw)
        elif source == "pydataset":
            ds = _dataset(x, y, sw, case["batch_size"], **dataset_kwargs)
            history = model.fit(ds, verbose=0, callbacks=[recorder], **kw)
        else:
            gen = batches(x, y, sw, case["batch_size"], repeat=source == "generator")
            history = model.fit(gen, verbose=0, callbacks=[recorder], **kw)
    ran_out = sum("ran out of data" in str(w.message) for w in caught)
    return model, history, recorder, ran_out, (x, y, sw)


def _assert_history(golden, history):
    assert sorted(history.history) == sorted(golden)
    for key, values in golden.items():
        np.testing.assert_allclose(history.history[key], values, rtol=2e-5, atol=1e-6,
                                   err_msg=key)


@pytest.mark.parametrize("name", sorted(CASES))
def test_history_matches_keras(name):
    case = CASES[name]
    model, history, recorder, ran_out, (x, y, sw) = _run_case(case)
    _assert_history(case["history"], history)
    assert history.epoch == case["epochs_run"]
    assert recorder.events == case["batch_events"]
    assert ran_out == case["ran_out_warnings"]
    if "evaluate" in case:
        logs = model.evaluate(x, y, sample_weight=sw, batch_size=4, verbose=0,
                              return_dict=True)
        assert sorted(logs) == sorted(case["evaluate"])
        for key, value in case["evaluate"].items():
            np.testing.assert_allclose(logs[key], value, rtol=2e-5, atol=1e-6, err_msg=key)
        pred = model.predict(x, batch_size=4, verbose=0)
        golden = case_arrays(ARRAYS, name, "pred")
        if isinstance(golden, dict):
            assert sorted(pred) == sorted(golden)
            for key in golden:
                np.testing.assert_allclose(pred[key], golden[key], rtol=1e-5, atol=1e-6)
        elif isinstance(golden, list):
            for p, g in zip(pred, golden):
                np.testing.assert_allclose(p, g, rtol=1e-5, atol=1e-6)
        else:
            np.testing.assert_allclose(pred, golden, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [dict(workers=2), dict(workers=3, max_queue_size=1),
                                    dict(workers=1, use_multiprocessing=True)])
def test_pydataset_workers_feed_fit_like_keras(kwargs):
    for name in ("pydataset_sample_weight", "pydataset_class_weight"):
        case = CASES[name]
        _, history, recorder, _, _ = _run_case(case, **kwargs)
        _assert_history(case["history"], history)
        assert recorder.events == case["batch_events"]


# ----- multi-input / multi-output by position and by name --------------------------
def _multi_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = Concat()([a, b])
    reg = keras.layers.Dense(1, name="reg")(h)
    cls = keras.layers.Dense(3, activation="softmax", name="cls")(h)
    return a, b, reg, cls


def _multi_data(n=8):
    rng = np.random.RandomState(0)
    return (rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 2)).astype("float32"),
            rng.normal(size=(n, 1)).astype("float32"), rng.randint(0, 3, size=(n,)))


def test_multi_io_by_name_and_by_position_agree():
    xa, xb, yr, yc = _multi_data()
    a, b, reg, cls = _multi_model()
    by_name = keras.Model({"a": a, "b": b}, {"reg": reg, "cls": cls})
    by_pos = keras.Model([a, b], [reg, cls])
    weights = by_name.get_weights()
    losses = {"reg": "mse", "cls": "sparse_categorical_crossentropy"}
    by_name.compile(keras.optimizers.SGD(0.05), loss=losses)
    h1 = by_name.fit({"b": xb, "a": xa}, {"cls": yc, "reg": yr}, batch_size=3, epochs=2,
                     shuffle=False, verbose=0)
    by_pos.set_weights(weights)
    by_pos.compile(keras.optimizers.SGD(0.05), loss=["mse", "sparse_categorical_crossentropy"])
    h2 = by_pos.fit([xa, xb], [yr, yc], batch_size=3, epochs=2, shuffle=False, verbose=0)
    for key in ("loss", "reg_loss", "cls_loss"):
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-6)
    out = by_name.predict({"a": xa, "b": xb}, batch_size=3, verbose=0)
    assert set(out) == {"reg", "cls"} and out["cls"].shape == (8, 3)
    outs = by_pos.predict([xa, xb], batch_size=5, verbose=0)
    assert isinstance(outs, list) and outs[0].shape == (8, 1) and outs[1].shape == (8, 3)
    ev = by_name.evaluate({"a": xa, "b": xb}, {"reg": yr, "cls": yc}, verbose=0,
                          return_dict=True)
    assert set(ev) == {"loss", "reg_loss", "cls_loss"}


def test_multi_output_sample_weight_structure_errors():
    xa, xb, yr, yc = _multi_data()
    a, b, reg, cls = _multi_model()
    model = keras.Model([a, b], [reg, cls])
    model.compile("sgd", loss=["mse", "sparse_categorical_crossentropy"])
    with pytest.raises(ValueError, match="one scalar score per sample"):
        model.fit([xa, xb], [yr, yc], sample_weight=np.ones((8, 2)), verbose=0)
    with pytest.raises(ValueError, match="one `sample_weight` array per output"):
        model.fit([xa, xb], [yr, yc], sample_weight=[np.ones(8)], verbose=0)
    with pytest.raises(ValueError, match="single output"):
        model.fit([xa, xb], [yr, yc], class_weight={0: 1.0}, verbose=0)


# ----- other sources -----------------------------------------------------------------
def _small_model(seed=0):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    rng = np.random.RandomState(seed)
    model.set_weights([rng.normal(size=(2, 1)).astype("float32"), np.zeros(1, "float32")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


X = (np.arange(24, dtype="float32").reshape(12, 2) / 24.0)
Y = X.sum(axis=1, keepdims=True)


class ArrayLike:
    """Not a numpy array, but convertible to one."""

    def __init__(self, a):
        self.a = a

    def __array__(self, dtype=None, copy=None):
        return self.a if dtype is None else self.a.astype(dtype)


def test_objects_with_array_and_python_lists_train_like_arrays():
    ref = _small_model().fit(X, Y, batch_size=5, epochs=2, shuffle=False, verbose=0)
    wrapped = _small_model().fit(ArrayLike(X), ArrayLike(Y), batch_size=5, epochs=2,
                                 shuffle=False, verbose=0)
    as_lists = _small_model().fit(X.tolist(), Y.tolist(), batch_size=5, epochs=2,
                                  shuffle=False, verbose=0)
    np.testing.assert_allclose(wrapped.history["loss"], ref.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(as_lists.history["loss"], ref.history["loss"], rtol=1e-6)
    pred = _small_model().predict(ArrayLike(X), verbose=0)
    assert pred.shape == (12, 1) and pred.dtype == np.float32


def test_generators_iterators_and_sequences_train_like_arrays():
    ref = _small_model().fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    batch_list = [(X[i:i + 4], Y[i:i + 4]) for i in range(0, 12, 4)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_iter = _small_model().fit(iter(batch_list), epochs=1, steps_per_epoch=3,
                                       verbose=0)
        gen = ((X[i:i + 4], Y[i:i + 4], np.ones(4, "float32")) for i in range(0, 12, 4))
        from_gen = _small_model().fit(gen, epochs=1, steps_per_epoch=3, verbose=0)
    np.testing.assert_allclose(from_iter.history["loss"], ref.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(from_gen.history["loss"], ref.history["loss"], rtol=1e-6)


def test_evaluate_and_predict_accept_generators_and_pydatasets():
    model = _small_model()
    want = model.evaluate(X, Y, batch_size=4, verbose=0)
    got = model.evaluate(((X[i:i + 4], Y[i:i + 4]) for i in range(0, 12, 4)), verbose=0)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    ds = _dataset(X, Y, None, 4, workers=2)
    np.testing.assert_allclose(model.evaluate(ds, verbose=0), want, rtol=1e-6)
    pred = model.predict(_dataset(X, Y, None, 5), verbose=0)
    np.testing.assert_allclose(pred, model.predict(X, verbose=0), rtol=1e-6)
    pred = model.predict(((X[i:i + 5],) for i in range(0, 12, 5)), verbose=0)
    assert pred.shape == (12, 1)


def test_legacy_generator_methods_warn_and_work():
    model = _small_model()
    gen = batches(X, Y, None, 4, repeat=True)
    with pytest.warns(DeprecationWarning, match="fit_generator"):
        history = model.fit_generator(gen, steps_per_epoch=3, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    with pytest.warns(DeprecationWarning, match="evaluate_generator"):
        loss = model.evaluate_generator(gen, steps=3)
    np.testing.assert_allclose(loss, model.evaluate(X, Y, batch_size=4, verbose=0), rtol=1e-6)
    with pytest.warns(DeprecationWarning, match="predict_generator"):
        pred = model.predict_generator(((X[i:i + 4],) for i in range(0, 12, 4)), steps=3)
    assert pred.shape == (12, 1)


def test_pydataset_epoch_hooks_called_each_epoch():
    class Counting(PyDataset):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.begins = self.ends = 0

        def __len__(self):
            return 3

        def __getitem__(self, i):
            return X[i * 4:(i + 1) * 4], Y[i * 4:(i + 1) * 4]

        def on_epoch_begin(self):
            self.begins += 1

        def on_epoch_end(self):
            self.ends += 1

    for kwargs in ({}, {"workers": 2}):
        ds = Counting(**kwargs)
        _small_model().fit(ds, epochs=4, verbose=0)
        assert (ds.begins, ds.ends) == (4, 4)


def test_legacy_sequence_subclass_warns_and_trains():
    with pytest.warns(DeprecationWarning, match="PyDataset"):
        class Old(Sequence):
            def __len__(self):
                return 3

            def __getitem__(self, i):
                return X[i * 4:(i + 1) * 4], Y[i * 4:(i + 1) * 4]

            def on_epoch_end(self):
                self.ended = getattr(self, "ended", 0) + 1

    ds = Old()
    history = _small_model().fit(ds, epochs=2, shuffle=False, verbose=0)
    ref = _small_model().fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], ref.history["loss"], rtol=1e-6)
    assert ds.ended == 2


def test_pydataset_worker_exception_reaches_caller_with_traceback():
    class Broken(PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            if i == 2:
                raise KeyError(f"cannot load batch {i}")
            return X[i * 3:(i + 1) * 3], Y[i * 3:(i + 1) * 3]

    with pytest.raises(KeyError, match="cannot load batch 2") as info:
        _small_model().fit(Broken(workers=2), epochs=1, shuffle=False, verbose=0)
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(f.name == "__getitem__" and "raise KeyError" in (f.line or "") for f in frames)
    alive = [t.name for t in threading.enumerate() if t.name.startswith("minikeras_pydataset")]
    assert alive == []


def test_pydataset_workers_read_ahead_in_background_threads():
    threads = set()
    requested = {i: threading.Event() for i in range(6)}

    class Tracking(PyDataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            threads.add(threading.current_thread().name)
            requested[i].set()
            return X[i * 2:(i + 1) * 2], Y[i * 2:(i + 1) * 2]

    ahead = []

    class WaitForReadAhead(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            if batch == 0:
                # The main thread is training batch 0; workers fetch 1..3 meanwhile.
                ahead.append(requested[3].wait(timeout=10))

    _small_model().fit(Tracking(workers=2, max_queue_size=4), epochs=1, shuffle=False,
                       verbose=0, callbacks=[WaitForReadAhead()])
    assert ahead == [True]
    assert threading.main_thread().name not in threads
    assert all(name.startswith("minikeras_pydataset") for name in threads)


# ----- epochs, steps and shuffling ----------------------------------------------------
def test_infinite_generator_needs_steps_and_continues_across_epochs():
    seen = []

    def endless():
        i = 0
        while True:
            seen.append(i)
            j = i % 3
            yield X[j * 4:(j + 1) * 4], Y[j * 4:(j + 1) * 4]
            i += 1

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", message=".*shuffle=True.*")
        history = _small_model().fit(endless(), steps_per_epoch=2, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert seen == list(range(6))   # 2 peeked + 4 more, no restart between epochs


def test_steps_per_epoch_beyond_finite_generator_warns_without_hanging():
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        history = _small_model().fit(batches(X, Y, None, 4), steps_per_epoch=10, epochs=2,
                                     verbose=0)
    assert len(history.history["loss"]) == 2


def test_steps_per_epoch_beyond_pydataset_warns_and_stops_at_its_end():
    recorder = BatchRecorder()
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        _small_model().fit(_dataset(X, Y, None, 4), steps_per_epoch=5, epochs=1,
                           shuffle=False, verbose=0, callbacks=[recorder])
    assert recorder.events == [0, 1, 2, "E0"]


def test_last_partial_batch_is_used():
    sizes = []

    class Sizes(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            pass

    model = _small_model()
    orig = model.train_step

    def train_step(data):
        sizes.append(len(data[0]))
        return orig(data)

    model.train_step = train_step
    model.fit(X[:10], Y[:10], batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert sizes == [4, 4, 2]


def test_shuffle_true_and_batch_change_order_but_not_content():
    keras.utils.set_random_seed(3)
    order = []
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    orig = model.train_step

    def train_step(data):
        order.append(data[0][:, 0].astype(int).tolist())
        return orig(data)

    model.train_step = train_step
    xs = np.arange(10, dtype="float32")[:, None]
    model.fit(xs, xs, batch_size=4, epochs=1, shuffle="batch", verbose=0)
    assert [sorted(b) for b in order] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    order.clear()
    model.fit(xs, xs, batch_size=4, epochs=1, shuffle=True, verbose=0)
    flat = [i for b in order for i in b]
    assert sorted(flat) == list(range(10)) and flat != list(range(10))


def test_same_seed_same_history_with_shuffle():
    def run():
        keras.utils.set_random_seed(11)
        return _small_model().fit(X, Y, batch_size=3, epochs=3, verbose=0).history["loss"]
    assert run() == run()


# ----- validation ------------------------------------------------------------------------
def test_validation_split_takes_last_fraction_before_shuffling():
    model = _small_model()
    model.compile(keras.optimizers.SGD(0.0), "mse")   # weights stay put
    keras.utils.set_random_seed(1)
    history = model.fit(X, Y, batch_size=4, epochs=1, validation_split=0.25, shuffle=True,
                        verbose=0)
    want = model.evaluate(X[9:], Y[9:], verbose=0)
    np.testing.assert_allclose(history.history["val_loss"][0], want, rtol=1e-6)
    np.testing.assert_allclose(history.history["loss"][0],
                               model.evaluate(X[:9], Y[:9], verbose=0), rtol=1e-5)


@pytest.mark.parametrize("split", [-0.1, 0.0 - 1e-9, 1.0, 1.5])
def test_validation_split_outside_open_interval_raises(split):
    with pytest.raises(ValueError, match="validation_split"):
        _small_model().fit(X, Y, validation_split=split, verbose=0)


def test_validation_split_too_small_data_raises():
    with pytest.raises(ValueError, match="not sufficient to split"):
        _small_model().fit(X[:1], Y[:1], validation_split=0.1, verbose=0)


def test_validation_split_rejects_generators():
    with pytest.raises(ValueError, match="only supported for tensors or NumPy arrays"):
        _small_model().fit(batches(X, Y, None, 4), validation_split=0.2, verbose=0)


def test_validation_freq_list_and_validation_generator():
    model = _small_model()
    val = _dataset(X, Y, None, 6)
    history = model.fit(X, Y, epochs=4, validation_data=val, validation_freq=[1, 3],
                        verbose=0)
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2
    gen = batches(X, Y, None, 4, repeat=True)
    history = model.fit(X, Y, epochs=2, validation_data=gen, validation_steps=3, verbose=0)
    assert len(history.history["val_loss"]) == 2


# ----- bad input -----------------------------------------------------------------------------
def test_x_y_length_mismatch_names_both_lengths():
    with pytest.raises(ValueError, match="cardinality") as info:
        _small_model().fit(X, Y[:8], verbose=0)
    message = str(info.value)
    assert "'x' sizes: 12" in message and "'y' sizes: 8" in message


def test_generator_with_inconsistent_shapes_names_them():
    def bad():
        yield X[:4], Y[:4]
        yield X[4:8], Y[4:8]
        yield np.zeros((4, 5), "float32"), Y[:4]

    with pytest.raises(TypeError) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _small_model().fit(bad(), epochs=1, verbose=0)
    message = str(info.value)
    assert "(4, 5)" in message and "(None, 2)" in message


def test_generator_changing_structure_is_reported():
    def bad():
        yield X[:4], Y[:4]
        yield X[4:8], Y[4:8]
        yield X[8:], Y[8:], np.ones(4)

    with pytest.raises(ValueError, match="different structures"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _small_model().fit(bad(), epochs=1, verbose=0)


def test_class_weight_with_sample_weight_is_refused_as_keras():
    with pytest.raises(ValueError, match="`class_weight` and `sample_weight`"):
        _small_model().fit(X, Y, class_weight={0: 1.0}, sample_weight=np.ones(12), verbose=0)


def test_y_with_generator_is_refused():
    with pytest.raises(ValueError, match="`y` should not be passed"):
        _small_model().fit(batches(X, Y, None, 4), Y, verbose=0)


def test_empty_generator_is_refused():
    with pytest.raises(ValueError, match="at least one batch"):
        _small_model().fit((b for b in []), verbose=0)


def test_unrecognized_data_type():
    with pytest.raises(ValueError, match="Unrecognized data type"):
        _small_model().fit(object(), verbose=0)
