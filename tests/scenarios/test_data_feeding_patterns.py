"""How user data reaches fit/evaluate/predict: arrays of every kind, generators,
PyDataset, the *_dataset_from_* utilities and validation/weighting options.
Expectations were checked against Keras 3.15 (TensorFlow backend)."""
import os
import warnings

import numpy as np
import pytest
from PIL import Image

import minikeras as keras
from minikeras import layers


def _model(n_in=4, units=1, activation=None, loss="mse", name=None, init="glorot_uniform"):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((n_in,), name=name),
                              layers.Dense(units, activation=activation,
                                           kernel_initializer=init)])
    model.compile("sgd", loss)
    return model


def _data(n=12):
    rng = np.random.default_rng(0)
    return rng.random((n, 4)), rng.integers(0, 2, n)


def _ran_out(caught):
    return [w for w in caught if "ran out of data" in str(w.message)]


def test_array_likes_float64_bool_int_labels_and_sample_weight_shapes():
    pd = pytest.importorskip("pandas")
    x, y = _data()
    model = _model()
    base = model.evaluate(x, y, verbose=0)
    frame = pd.DataFrame(x, columns=list("abcd"))
    assert model.evaluate(frame, pd.Series(y), verbose=0) == pytest.approx(base, rel=1e-6)
    assert model.predict(frame, verbose=0).dtype == np.float32  # float64 in, float32 out
    assert model.evaluate(x, y.reshape(-1, 1), verbose=0) == pytest.approx(base, rel=1e-6)
    assert model.predict(x > 0.5, verbose=0).dtype == np.float32
    w = np.arange(12.0)
    assert model.evaluate(x, y, sample_weight=w.reshape(-1, 1), verbose=0) == pytest.approx(
        model.evaluate(x, y.reshape(-1, 1), sample_weight=w, verbose=0), rel=1e-6)


def test_one_dimensional_x_feeds_a_unit_input():
    # Keras adds the trailing axis: 10 numbers are 10 samples of Input(shape=(1,)).
    model = keras.Sequential([keras.Input((1,)), layers.Dense(1)])
    model.compile("adam", "mse")
    xs = np.arange(10.0)
    history = model.fit(xs, 2 * xs, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(xs, verbose=0).shape == (10, 1)


def test_two_input_model_tuple_list_dict_and_wrong_keys():
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    model = keras.Model([a, b], layers.Dense(1)(layers.Concatenate()([a, b])))
    model.compile("sgd", "mse")
    x, y = _data()
    x2 = np.ones((12, 2))
    losses = [model.evaluate(inputs, y, verbose=0)
              for inputs in ((x, x2), [x, x2], {"a": x, "b": x2})]
    assert losses[0] == pytest.approx(losses[1]) == pytest.approx(losses[2])
    with pytest.raises(ValueError, match="b"):
        model.fit({"a": x, "c": x2}, y, epochs=1, verbose=0)


def test_cardinality_mismatch_empty_predict_and_large_batch():
    x, y = _data()
    model = _model()
    with pytest.raises(ValueError, match="cardinality"):
        model.fit(x, y[:7], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="'sample_weight' sizes: 7"):
        model.fit(x, y, sample_weight=np.ones(7), epochs=1, verbose=0)
    assert model.predict(np.zeros((0, 4)), verbose=0).shape == (0, 1)
    assert model.fit(x, y, batch_size=100, epochs=1, verbose=0).params["steps"] == 1


def _batches(x, y, n=3, bs=4, forever=False, kind="xy"):
    while True:
        for i in range(n):
            xb, yb = x[i * bs:(i + 1) * bs], y[i * bs:(i + 1) * bs]
            if kind == "xy":
                yield xb, yb
            elif kind == "xyw":
                yield xb, yb, np.ones(len(xb), "float32")
            elif kind == "dict":
                yield {"feat": xb}, yb
            else:
                yield xb
        if not forever:
            return


def test_generators_of_pairs_triples_dicts_and_inputs_only():
    x, y = _data()
    for kind in ("xy", "xyw", "dict"):
        model = _model(name="feat")
        history = model.fit(_batches(x, y, kind=kind), epochs=1, verbose=0)
        assert list(history.history) == ["loss"]
        assert history.params["steps"] is None  # a generator has no length
    model = _model()
    assert model.predict(_batches(x, y, kind="x"), verbose=0).shape == (12, 1)
    assert model.predict(_batches(x, y, forever=True, kind="x"), steps=2,
                         verbose=0).shape == (8, 1)


def test_infinite_and_exhausted_generators():
    x, y = _data()
    model = _model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(_batches(x, y, forever=True), steps_per_epoch=3, epochs=2,
                            validation_data=_batches(x, y, forever=True),
                            validation_steps=2, verbose=0)
    assert not _ran_out(caught)
    assert sorted(history.history) == ["loss", "val_loss"] and history.params["steps"] == 3
    # Three batches cannot fill 3 epochs of 2 steps: Keras warns and stops.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(_batches(x, y), steps_per_epoch=2, epochs=3, verbose=0)
    assert _ran_out(caught)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(_batches(x, y), validation_split=0.2, epochs=1, verbose=0)


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size=5, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))   # last batch is short

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_py_dataset_with_workers_short_last_batch_and_validation():
    x, y = _data()
    data = Batches(x, y, workers=2, use_multiprocessing=False, max_queue_size=4)
    model = _model()
    history = model.fit(data, validation_data=Batches(x, y), epochs=2, verbose=0)
    assert history.params["steps"] == 3 and sorted(history.history) == ["loss", "val_loss"]
    assert data.epochs_ended >= 2
    assert model.predict(Batches(x, y), verbose=0).shape == (12, 1)
    assert model.evaluate(Batches(x, y), verbose=0) == pytest.approx(
        model.evaluate(x, y, verbose=0), rel=1e-5)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(Batches(x, y), validation_split=0.2, epochs=1, verbose=0)


def test_keras2_sequence_subclass_still_trains():
    x, y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        class Old(keras.utils.Sequence):
            def __len__(self):
                return 3

            def __getitem__(self, i):
                return x[i * 4:(i + 1) * 4], y[i * 4:(i + 1) * 4]
    assert _model().fit(Old(), epochs=1, verbose=0).params["steps"] == 3


def test_validation_data_tuples_and_class_weight():
    x, y = _data()
    model = _model()
    for val in ((x, y), [x, y], (x, y, np.ones(12))):
        assert sorted(model.fit(x, y, validation_data=val, epochs=1,
                                verbose=0).history) == ["loss", "val_loss"]
    with pytest.raises(ValueError):
        model.fit(x, y, validation_data=(x, y, y, y), epochs=1, verbose=0)
    # With a zero kernel every sample's cross-entropy is log(3): the first
    # step's loss is log(3) times the mean class weight, missing classes
    # weighing 1 (as in Keras), one-hot targets mapped through their argmax.
    labels = np.array([0, 1, 2, 0, 1, 2])
    cases = [(labels, {0: 1.0, 1: 2.0, 2: 3.0}, 2.0),
             (keras.utils.to_categorical(labels, 3), {0: 1.0, 1: 2.0, 2: 3.0}, 2.0),
             (labels, {0: 1.0, 2: 3.0}, 5 / 3)]
    for target, weights, mean_weight in cases:
        model = _model(units=3, activation="softmax", init="zeros",
                       loss=("sparse_" if target.ndim == 1 else "") + "categorical_crossentropy")
        loss = model.fit(x[:6], target, class_weight=weights, batch_size=6, epochs=1,
                         verbose=0).history["loss"][0]
        assert loss == pytest.approx(np.log(3) * mean_weight, rel=1e-5)


@pytest.fixture
def image_dir(tmp_path):
    rng = np.random.default_rng(0)
    for name in ("cat", "dog"):
        (tmp_path / name).mkdir()
        for i in range(5):
            pixels = rng.integers(0, 255, (10, 12, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(os.fspath(tmp_path / name / f"{i}.png"))
    return os.fspath(tmp_path)


def test_image_dataset_pipeline_as_keras_io_writes_it(image_dir, capsys):
    train, val = keras.utils.image_dataset_from_directory(
        image_dir, validation_split=0.2, subset="both", seed=3, image_size=(8, 8), batch_size=2)
    assert "Found 10 files belonging to 2 classes." in capsys.readouterr().out
    assert train.class_names == val.class_names == ["cat", "dog"]
    assert (len(train), len(val)) == (4, 1)
    for images, labels in train.take(1):
        assert images.shape == (2, 8, 8, 3) and images.dtype == np.float32
        assert labels.dtype == np.int32
    scaled = train.map(lambda x, y: (x / 255.0, y))
    assert max(float(np.max(b[0])) for b in scaled) <= 1.0
    assert len(list(train.unbatch())) == 8 and len(list(train.unbatch().batch(3))) == 3
    assert len(list(train.skip(1))) == 3 and train.cardinality() == 4
    assert len(train.repeat(2)) == 8
    a, _ = next(train.as_numpy_iterator())
    assert isinstance(a, np.ndarray)
    model = keras.Sequential([keras.Input((8, 8, 3)), layers.Rescaling(1 / 255.0),
                              layers.Flatten(), layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(train.cache().shuffle(10).prefetch(buffer_size=-1),
                        validation_data=val, epochs=2, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.params["steps"] == 4
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(train.repeat(), steps_per_epoch=3, epochs=2, verbose=0)
    assert not _ran_out(caught)
    cat = keras.utils.image_dataset_from_directory(image_dir, image_size=(8, 8), batch_size=4,
                                                   label_mode="categorical")
    assert next(iter(cat))[1].shape == (4, 2)
    binary = keras.utils.image_dataset_from_directory(image_dir, image_size=(8, 8),
                                                      batch_size=4, label_mode="binary",
                                                      color_mode="grayscale")
    images, labels = next(iter(binary))
    assert images.shape == (4, 8, 8, 1) and labels.shape == (4, 1)


def test_timeseries_dataset_and_split_dataset():
    data = np.arange(100, dtype="float32").reshape(50, 2)
    ds = keras.utils.timeseries_dataset_from_array(data, data[5:, 0], sequence_length=5,
                                                   batch_size=8)
    assert len(ds) == 6
    windows, targets = next(iter(ds))
    assert windows.shape == (8, 5, 2) and targets.shape == (8,)
    model = keras.Sequential([keras.Input((5, 2)), layers.Flatten(), layers.Dense(1)])
    model.compile("adam", "mse")
    assert list(model.fit(ds, epochs=1, verbose=0).history) == ["loss"]
    left, right = keras.utils.split_dataset((np.zeros((10, 2)), np.arange(10)), right_size=3)
    assert (len(list(left)), len(list(right))) == (7, 3)
    features, label = next(iter(left))
    assert np.shape(features) == (2,) and np.shape(label) == ()
