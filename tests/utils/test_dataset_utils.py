"""Dataset utilities against real Keras 3 goldens
(tests/parity/generate_dataset_utils_goldens.py), and datasets feeding `fit`."""
import json
import os

import numpy as np
import pytest
from PIL import Image

import minikeras as keras
from minikeras.utils.batch_dataset import BatchDataset
from minikeras.utils.dataset_utils import (image_dataset_from_directory, split_dataset,
                                           text_dataset_from_directory,
                                           timeseries_dataset_from_array)
from minikeras.utils.py_dataset import PyDataset

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "parity", "goldens")
with open(os.path.join(GOLDENS, "dataset_utils.json")) as _f:
    META = json.load(_f)
ARRAYS = dict(np.load(os.path.join(GOLDENS, "dataset_utils.npz"), allow_pickle=False))


def _write_images(root, only=None, gray_only=False):
    for key, arr in ARRAYS.items():
        if not key.startswith("pixels/"):
            continue
        rel = key[len("pixels/"):]
        if only and rel.split("/")[0] not in only:
            continue
        if gray_only and arr.shape[2] != 1:
            continue
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = {1: "L", 3: "RGB", 4: "RGBA"}[arr.shape[2]]
        Image.fromarray(arr[:, :, 0] if mode == "L" else arr, mode=mode).save(path)


def _write_texts(root):
    for cls, files in META["text_tree"].items():
        for fname, text in files:
            os.makedirs(os.path.join(root, cls), exist_ok=True)
            with open(os.path.join(root, cls, fname), "wb") as f:
                f.write(text.encode("utf-8"))


def _rel(paths, root):
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in paths]


def _collect(ds):
    xs, ys = [], []
    for batch in ds:
        if isinstance(batch, tuple):
            xs.append(batch[0])
            ys.append(batch[1])
        else:
            xs.append(batch)
    return xs, ys


def _kwargs(d):
    out = dict(d)
    if "image_size" in out:
        out["image_size"] = tuple(out["image_size"])
    return out


# ----- images -------------------------------------------------------------------------
@pytest.mark.parametrize("case", META["image_cases"], ids=lambda c: c["name"])
def test_image_dataset_matches_keras(case, tmp_path):
    _write_images(str(tmp_path), case.get("only"), case.get("gray_only", False))
    ds = image_dataset_from_directory(str(tmp_path), verbose=False, **_kwargs(case["kwargs"]))
    assert isinstance(ds, PyDataset)
    assert _rel(ds.file_paths, str(tmp_path)) == case["file_paths"]
    assert ds.class_names == case["class_names"]
    xs, ys = _collect(ds)
    assert len(xs) == case["num_batches"] == len(ds)
    assert [list(x.shape) for x in xs] == case["x_shapes"]
    assert str(xs[0].dtype) == case["x_dtype"]
    batched = case["kwargs"]["batch_size"] is not None
    x = np.concatenate(xs) if batched else np.stack(xs)
    np.testing.assert_allclose(x, ARRAYS[f"image/{case['name']}/x"], rtol=1e-5, atol=2e-4)
    key = f"image/{case['name']}/y"
    if key in ARRAYS:
        y = np.concatenate(ys) if batched else np.stack(ys)
        np.testing.assert_array_equal(y, ARRAYS[key])
        assert y.dtype == ARRAYS[key].dtype
    else:
        assert ys == []


@pytest.mark.parametrize("order", META["image_orders"], ids=lambda o: f"seed{o['seed']}")
def test_image_file_order_and_split_match_keras(order, tmp_path):
    root = str(tmp_path)
    _write_images(root)
    ds = image_dataset_from_directory(root, image_size=(2, 2), seed=order["seed"],
                                      verbose=False)
    assert _rel(ds.file_paths, root) == order["file_paths"]
    train, val = image_dataset_from_directory(root, image_size=(2, 2), seed=order["seed"],
                                              validation_split=0.3, subset="both",
                                              verbose=False)
    assert _rel(train.file_paths, root) == order["train"]
    assert _rel(val.file_paths, root) == order["val"]
    assert np.concatenate(_collect(val)[1]).tolist() == order["val_labels"]


def test_image_dataset_feeds_fit_and_reshuffles_with_seed(tmp_path):
    root = str(tmp_path)
    _write_images(root)
    ds = image_dataset_from_directory(root, image_size=(4, 4), batch_size=4, seed=5,
                                      verbose=False)
    model = keras.Sequential([keras.Input((4, 4, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(ds, verbose=0).shape == (9, 3)

    def labels_per_epoch(dataset, epochs):
        out = []
        for _ in range(epochs):
            out.append(np.concatenate([dataset[i][1] for i in range(len(dataset))]).tolist())
            dataset.on_epoch_end()
        return out

    def fresh():
        return image_dataset_from_directory(root, image_size=(4, 4), batch_size=4, seed=5,
                                            verbose=False)
    a, b = labels_per_epoch(fresh(), 3), labels_per_epoch(fresh(), 3)
    assert a == b                                   # same seed, same epochs
    assert a[0] != a[1] and sorted(a[0]) == sorted(a[1])   # reshuffled each epoch
    # The first epoch follows `file_paths`.
    names = [p.split(os.sep)[-2] for p in fresh().file_paths]
    assert a[0] == [fresh().class_names.index(n if n != "nested" else "cats") for n in names]


def test_image_dataset_bad_arguments(tmp_path):
    root = str(tmp_path)
    _write_images(root)
    with pytest.raises(ValueError, match="color_mode"):
        image_dataset_from_directory(root, color_mode="cmyk")
    with pytest.raises(ValueError, match="label_mode"):
        image_dataset_from_directory(root, label_mode="sparse")
    with pytest.raises(ValueError, match="exactly 2"):
        image_dataset_from_directory(root, label_mode="binary", verbose=False)
    with pytest.raises(ValueError, match="seed"):
        image_dataset_from_directory(root, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="class_names"):
        image_dataset_from_directory(root, class_names=["cats", "zebras"])
    os.makedirs(tmp_path / "empty")
    with pytest.raises(ValueError, match="No images found"):
        image_dataset_from_directory(str(tmp_path / "empty"), verbose=False)


def test_image_dataset_tf_style_helpers(tmp_path):
    root = str(tmp_path)
    _write_images(root)
    ds = image_dataset_from_directory(root, image_size=(3, 3), batch_size=4, shuffle=False,
                                      verbose=False)
    assert ds.cardinality() == 3
    taken = list(ds.take(1))
    assert len(taken) == 1 and taken[0][0].shape == (4, 3, 3, 3)
    assert len(ds.skip(1)) == 2
    scaled = ds.map(lambda x, y: (x / 255.0, y)).cache().prefetch(buffer_size=-1)
    x0, y0 = scaled[0]
    np.testing.assert_allclose(x0, ds[0][0] / 255.0)
    np.testing.assert_array_equal(y0, ds[0][1])
    unbatched = ds.unbatch()
    assert len(unbatched) == 9 and unbatched[0][0].shape == (3, 3, 3)


# ----- text --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", META["text_cases"], ids=lambda c: c["name"])
def test_text_dataset_matches_keras(case, tmp_path):
    root = str(tmp_path)
    _write_texts(root)
    ds = text_dataset_from_directory(root, verbose=False, **case["kwargs"])
    assert ds.class_names == case["class_names"]
    if "index_order" in case:
        # Keras then shuffles through a tf.data buffer; the index order (and so
        # the split and the set of samples) is what must agree.
        from minikeras.utils.dataset_utils import index_directory
        paths, _, _ = index_directory(root, "inferred", (".txt",), shuffle=True,
                                      seed=case["kwargs"]["seed"], verbose=False)
        assert _rel(paths, root) == case["index_order"]
        xs, ys = _collect(ds)
        got = sorted(zip([t for x in xs for t in x], np.concatenate(ys).tolist()))
        assert got == sorted(zip(case["texts"], case["labels"]))
        return
    xs, ys = _collect(ds)
    assert [len(x) for x in xs] == case["batch_sizes"]
    assert [t for x in xs for t in x] == case["texts"]
    assert np.concatenate(ys).tolist() == case["labels"]


def test_text_dataset_feeds_fit_through_a_lookup(tmp_path):
    root = str(tmp_path)
    _write_texts(root)
    ds = text_dataset_from_directory(root, batch_size=3, seed=1, verbose=False)
    to_features = ds.map(lambda texts, labels: (
        np.array([[len(t), t.count(" ")] for t in texts], dtype="float32"), labels))
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    assert len(model.fit(to_features, epochs=2, verbose=0).history["loss"]) == 2


# ----- time series ------------------------------------------------------------------------------
@pytest.mark.parametrize("case", META["timeseries_cases"], ids=lambda c: c["name"])
def test_timeseries_dataset_matches_keras(case):
    data, targets = ARRAYS["timeseries/data"], ARRAYS["timeseries/targets"]
    ds = timeseries_dataset_from_array(data, targets if case["with_targets"] else None,
                                       **case["kwargs"])
    xs, ys = _collect(ds)
    assert [len(b) for b in xs] == case["batch_sizes"]
    x = np.concatenate(xs) if case["kwargs"].get("batch_size") else np.stack(xs)
    assert str(x.dtype) == case["x_dtype"]
    y = np.concatenate(ys) if ys else None
    if case["name"] == "shuffled":
        # The seeded order of window starts is Keras's; Keras then also passes
        # them through a tf.data shuffle buffer, so compare the sets here.
        assert x[:, 0, 0].astype(int).tolist() == [2 * s for s in case["start_order"]]
        order = np.argsort(x[:, 0, 0])
        x, y = x[order], y[order]
    np.testing.assert_array_equal(x, ARRAYS[f"timeseries/{case['name']}/x"])
    if case["with_targets"]:
        np.testing.assert_array_equal(y, ARRAYS[f"timeseries/{case['name']}/y"])


def test_timeseries_dataset_trains_and_checks_arguments():
    data = np.random.RandomState(0).normal(size=(50, 3)).astype("float32")
    ds = timeseries_dataset_from_array(data[:-4], data[4:, 0], sequence_length=4,
                                       batch_size=16)
    model = keras.Sequential([keras.Input((4, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert len(model.fit(ds, epochs=2, verbose=0).history["loss"]) == 2
    with pytest.raises(ValueError, match="sampling_rate"):
        timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="start_index"):
        timeseries_dataset_from_array(data, None, 3, start_index=60)
    with pytest.raises(ValueError, match="end_index"):
        timeseries_dataset_from_array(data, None, 3, start_index=10, end_index=5)


# ----- split_dataset ---------------------------------------------------------------------------
@pytest.mark.parametrize("case", META["split_cases"], ids=lambda c: c["name"])
def test_split_dataset_matches_keras(case):
    x, y = ARRAYS["split/x"], ARRAYS["split/y"]
    dataset = {"x": x, "xy": (x, y), "xy_list": [x, y]}[case["dataset"]]
    left, right = split_dataset(dataset, **case["kwargs"])
    for side, part in (("left", left), ("right", right)):
        items = list(part.as_numpy_iterator())
        if case["dataset"] == "x":
            np.testing.assert_array_equal(np.stack(items), ARRAYS[f"split/{case['name']}/{side}"])
        else:
            np.testing.assert_array_equal(np.stack([i[0] for i in items]),
                                          ARRAYS[f"split/{case['name']}/{side}/x"])
            np.testing.assert_array_equal(np.stack([i[1] for i in items]),
                                          ARRAYS[f"split/{case['name']}/{side}/y"])


def test_split_dataset_batches_into_fit_and_checks_sizes():
    x = np.random.RandomState(1).normal(size=(20, 2)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    train, test = split_dataset((x, y), left_size=0.75)
    assert (len(train), len(test)) == (15, 5)
    train = train.batch(4)
    assert isinstance(train, BatchDataset) and len(train) == 4
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(train, epochs=1, verbose=0)
    assert np.isfinite(model.evaluate(test.batch(5), verbose=0))
    with pytest.raises(ValueError, match="At least one"):
        split_dataset(x)
    with pytest.raises(ValueError, match="left_size"):
        split_dataset(x, left_size=1.5)
    with pytest.raises(TypeError, match="left_size"):
        split_dataset(x, left_size="half")
    with pytest.raises(ValueError, match="different lengths"):
        split_dataset((x, y[:5]), left_size=0.5)


# ----- audio -----------------------------------------------------------------------------------
@pytest.mark.parametrize("case", META["audio_cases"], ids=lambda c: c["name"])
def test_audio_dataset_matches_keras(case, tmp_path):
    import wave
    from minikeras.utils.audio_dataset_utils import audio_dataset_from_directory
    for key, samples in ARRAYS.items():
        if not key.startswith("audio_src/"):
            continue
        path = tmp_path.joinpath(*key[len("audio_src/"):].split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as f:
            f.setnchannels(samples.shape[1])
            f.setsampwidth(2)
            f.setframerate(8000)
            f.writeframes(samples.tobytes())
    ds = audio_dataset_from_directory(str(tmp_path), verbose=False, **case["kwargs"])
    assert ds.class_names == case["class_names"] and len(ds) == case["num_batches"]
    for i, (x, y) in enumerate(ds):
        np.testing.assert_array_equal(x, ARRAYS[f"audio/{case['name']}/x{i}"])
        assert x.dtype == np.float32
        np.testing.assert_array_equal(y, ARRAYS[f"audio/{case['name']}/y{i}"])
    with pytest.raises(NotImplementedError, match="tensorflow-io"):
        audio_dataset_from_directory(str(tmp_path), sampling_rate=16000)
    with pytest.raises(NotImplementedError, match="ragged"):
        audio_dataset_from_directory(str(tmp_path), ragged=True)


@pytest.mark.parametrize("interpolation", ["area", "lanczos3"])
def test_pillow_interpolations_give_resized_float_images(interpolation, tmp_path):
    root = str(tmp_path)
    _write_images(root)
    bilinear = image_dataset_from_directory(root, image_size=(5, 5), shuffle=False,
                                            verbose=False)[0][0]
    ds = image_dataset_from_directory(root, image_size=(5, 5), shuffle=False, verbose=False,
                                      interpolation=interpolation)
    x = ds[0][0]
    assert x.shape == (9, 5, 5, 3) and x.dtype == np.float32
    if interpolation == "area":      # averages stay in range; Lanczos may ring
        assert 0 <= x.min() and x.max() <= 255.5
    # Same images, another filter: close on average, not equal.
    assert np.abs(x.mean(axis=(1, 2, 3)) - bilinear.mean(axis=(1, 2, 3))).max() < 40
    with pytest.raises(NotImplementedError, match="gaussian"):
        image_dataset_from_directory(root, interpolation="gaussian", verbose=False)


def test_repeat_counts_take_and_map_and_repeat_forever_feeds_fit_with_steps():
    x = np.arange(10, dtype="float32").reshape(10, 1)

    def load(idx):
        return x[idx], x[idx, 0]
    ds = BatchDataset(10, load, batch_size=4)          # batches of 4, 4, 2
    twice = ds.repeat(2)
    assert len(twice) == twice.cardinality() == 6
    assert [len(b[1]) for b in twice] == [4, 4, 2, 4, 4, 2]
    assert len(list(ds.repeat(2).take(5))) == 5
    assert len(list(ds.take(2).repeat(2))) == 4
    mapped = twice.map(lambda a, b: (a * 0, b)).skip(3)
    first_x, first_y = next(iter(mapped))
    assert float(np.abs(first_x).sum()) == 0 and first_y.tolist() == [0, 1, 2, 3]
    assert ds.repeat(1) is ds
    forever = ds.repeat()
    assert forever.cardinality() == -1 and forever.num_batches is None
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    assert len(list(forever.take(7))) == 7
    with pytest.raises(NotImplementedError, match="before `repeat"):
        forever.unbatch()
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(forever, steps_per_epoch=2, epochs=3, verbose=0)
    assert not [w for w in caught if "ran out of data" in str(w.message)]  # it is infinite
    assert len(history.history["loss"]) == 3 and history.params["steps"] == 2
