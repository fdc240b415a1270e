"""ImageDataGenerator options, iterators and bad input."""
import os

import numpy as np
import pytest
from PIL import Image

from minikeras.backend.random import set_random_seed
from minikeras.preprocessing import image as mimage
from minikeras.preprocessing.image import (
    DirectoryIterator, ImageDataGenerator, Iterator, NumpyArrayIterator)


def _images(n=10, h=8, w=9, c=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, h, w, c)).astype(np.float32)


def _per_image_reference(gen, x):
    """Keras's loop: draw, transform and standardize one image at a time."""
    out = np.zeros(x.shape, dtype=gen.dtype)
    for i in range(len(x)):
        params = gen.get_random_transform(x[i].shape)
        out[i] = gen.standardize(gen.apply_transform(x[i], params))
    return out


BATCH_CONFIGS = [
    dict(rotation_range=30, width_shift_range=0.2, height_shift_range=0.1,
         shear_range=15.0, zoom_range=[0.8, 1.2], horizontal_flip=True,
         vertical_flip=True, fill_mode="reflect"),
    dict(rotation_range=10, channel_shift_range=40.0, fill_mode="constant",
         cval=30.0, rescale=1 / 255.0, samplewise_center=True),
    dict(brightness_range=[0.5, 1.5], zoom_range=0.2, fill_mode="wrap",
         horizontal_flip=True),
    dict(width_shift_range=3, height_shift_range=[-2, 1], vertical_flip=True),
    dict(horizontal_flip=True, vertical_flip=True, channel_shift_range=10.0),
    dict(rotation_range=20, interpolation_order=0, fill_mode="nearest",
         data_format="channels_first"),
    # A function without randomness: the batch after the first image is
    # batched; one with randomness keeps Keras's interleaved order.
    dict(rotation_range=15, horizontal_flip=True,
         preprocessing_function=lambda a: a / 127.5 - 1.0),
    dict(rotation_range=15, horizontal_flip=True,
         preprocessing_function=lambda a: a + np.random.normal()),
]


@pytest.mark.parametrize("cfg", BATCH_CONFIGS)
def test_batched_augmentation_equals_image_by_image(cfg):
    gen = ImageDataGenerator(**cfg)
    x = _images()
    if cfg.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    np.random.seed(5)
    batched = gen._random_transform_standardize_batch(x, "float32")
    state_after_batch = np.random.random()
    np.random.seed(5)
    reference = _per_image_reference(gen, x)
    assert np.random.random() == state_after_batch
    tol = 1e-6 if cfg.get("rescale") or cfg.get("preprocessing_function") \
        else 1e-4
    np.testing.assert_allclose(batched, reference, rtol=0, atol=tol)


def test_defaults_and_dtype():
    gen = ImageDataGenerator()
    assert gen.data_format == "channels_last" and gen.dtype == "float32"
    assert gen.zoom_range == [1.0, 1.0]
    assert (gen.channel_axis, gen.row_axis, gen.col_axis) == (3, 1, 2)
    x = _images(4).astype(np.uint8)
    bx = next(gen.flow(x, batch_size=4, shuffle=False))
    assert bx.dtype == np.float32
    np.testing.assert_array_equal(bx, x.astype(np.float32))
    gen64 = ImageDataGenerator(dtype="float64", rotation_range=5)
    assert gen64.flow(x, batch_size=2)[0].dtype == np.float64
    assert ImageDataGenerator(zoom_range=[0.5, 2]).zoom_range == [0.5, 2]


def test_bad_constructor_arguments():
    for zoom in ("0.2", [0.1, 0.2, 0.3], [0.5, "x"], None):
        with pytest.raises(ValueError, match="zoom_range"):
            ImageDataGenerator(zoom_range=zoom)
    for split in (1.5, -0.2, 1.0):
        with pytest.raises(ValueError, match="validation_split"):
            ImageDataGenerator(validation_split=split)
    with pytest.raises(ValueError, match="data_format"):
        ImageDataGenerator(data_format="channels_middle")
    with pytest.raises(ValueError, match="brightness_range"):
        ImageDataGenerator(brightness_range=0.5)
    with pytest.raises(ValueError, match="fill_mode"):
        ImageDataGenerator(fill_mode="edge")
    with pytest.raises(NotImplementedError, match="order 3"):
        ImageDataGenerator(interpolation_order=3)


def test_flow_rejects_bad_input():
    gen = ImageDataGenerator()
    with pytest.raises(ValueError, match="rank 4.*shape \\(8, 9, 3\\)"):
        gen.flow(_images(1)[0])
    with pytest.raises(ValueError, match="same length"):
        gen.flow(_images(4), np.arange(3))
    with pytest.raises(ValueError, match="sample_weight"):
        gen.flow(_images(4), np.arange(4), sample_weight=np.ones(2))
    with pytest.raises(ValueError, match="validation_split"):
        gen.flow(_images(4), np.arange(4), subset="training")
    with pytest.raises(ValueError, match="Invalid subset"):
        ImageDataGenerator(validation_split=0.5).flow(_images(4),
                                                      subset="test")
    with pytest.raises(ValueError, match="different number of classes"):
        ImageDataGenerator(validation_split=0.5).flow(
            _images(4), np.array([0, 0, 1, 1]), subset="training")
    with pytest.warns(UserWarning, match="channels"):
        gen.flow(np.zeros((2, 4, 4, 5), np.float32))
    with pytest.raises(ValueError, match="rank 4"):
        gen.fit(_images(1)[0])


def test_iterator_protocol_and_attributes():
    gen = ImageDataGenerator(rotation_range=10)
    x, y = _images(10), np.arange(10)
    it = gen.flow(x, y, batch_size=4, shuffle=False, seed=1)
    assert isinstance(it, NumpyArrayIterator) and isinstance(it, Iterator)
    assert (it.n, it.batch_size, it.shuffle, it.seed) == (10, 4, False, 1)
    assert (it.batch_index, it.total_batches_seen) == (0, 0)
    assert len(it) == 3 and it.num_batches == 3
    assert it.workers == 1 and it.use_multiprocessing is False
    assert [len(it[i][0]) for i in range(3)] == [4, 4, 2]
    assert it.total_batches_seen == 3
    np.testing.assert_array_equal(it.index_array, np.arange(10))
    with pytest.raises(ValueError, match="length 3"):
        it[3]
    it.reset()
    labels = [next(it)[1].tolist() for _ in range(4)]
    assert labels == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [0, 1, 2, 3]]
    assert it.batch_index == 1
    assert iter(it) is it and it.next is not None
    # A trainer-style loop: len + getitem, reshuffled by on_epoch_end.
    it = gen.flow(x, y, batch_size=5, shuffle=True, seed=2)
    first = np.concatenate([it[i][1] for i in range(len(it))])
    it.on_epoch_end()
    second = np.concatenate([it[i][1] for i in range(len(it))])
    assert sorted(first) == sorted(second) == list(range(10))
    assert first.tolist() != second.tolist()


def test_seeds_make_flow_reproducible():
    gen = ImageDataGenerator(rotation_range=30, width_shift_range=0.2,
                             horizontal_flip=True)
    x = _images(12)
    a = gen.flow(x, batch_size=5, seed=7)
    b = gen.flow(x, batch_size=5, seed=7)
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(next(a), next(b))
    c = gen.flow(x, batch_size=5, seed=8)
    assert not np.array_equal(c[1], a[1])
    # Without a seed, set_random_seed drives numpy's global state.
    set_random_seed(3)
    d = next(gen.flow(x, batch_size=5))
    set_random_seed(3)
    e = next(gen.flow(x, batch_size=5))
    np.testing.assert_array_equal(d, e)


def test_flow_outputs_with_misc_inputs_and_weights():
    gen = ImageDataGenerator()
    x, y, sw = _images(6), np.arange(6), np.linspace(0.5, 1, 6)
    bx, by, bw = gen.flow(x, y, sample_weight=sw, batch_size=6,
                          shuffle=False)[0]
    np.testing.assert_array_equal(bw, sw)
    (bx, m1, m2), by = gen.flow((x, [y * 2, y * 3]), y, batch_size=3,
                                shuffle=False)[1]
    np.testing.assert_array_equal(m1, [6, 8, 10])
    np.testing.assert_array_equal(m2, [9, 12, 15])
    only_x = gen.flow(x, batch_size=4, shuffle=False)[0]
    assert isinstance(only_x, np.ndarray) and only_x.shape == (4, 8, 9, 3)


def test_validation_split_subsets_partition_the_data():
    gen = ImageDataGenerator(validation_split=0.25)
    x = _images(8)
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    train = gen.flow(x, y, subset="training", shuffle=False, batch_size=8)
    val = gen.flow(x, y, subset="validation", shuffle=False, batch_size=8)
    assert (train.n, val.n) == (6, 2)
    np.testing.assert_array_equal(val[0][0], x[:2])
    np.testing.assert_array_equal(train[0][0], x[2:])


def test_preprocessing_function_sees_single_images():
    shapes = []

    def prep(img):
        shapes.append(img.shape)
        return img * 0 + np.random.random()

    gen = ImageDataGenerator(preprocessing_function=prep, rotation_range=5)
    out = gen.flow(_images(5), batch_size=5, shuffle=False, seed=1)[0]
    assert shapes == [(8, 9, 3)] * 5
    assert len(np.unique(out)) == 5  # one random value per image


def test_subclass_overrides_are_used_by_iterators():
    class Negate(ImageDataGenerator):
        def apply_transform(self, x, transform_parameters):
            return -x

    out = Negate().flow(_images(3), batch_size=3, shuffle=False)[0]
    np.testing.assert_array_equal(out, -_images(3))


def test_standardize_is_in_place_and_warns_before_fit():
    gen = ImageDataGenerator(rescale=2.0)
    x = np.ones((2, 2, 1), np.float32)
    out = gen.standardize(x)
    assert out is x and x[0, 0, 0] == 2.0
    with pytest.warns(UserWarning, match="featurewise_std_normalization"):
        gen = ImageDataGenerator(featurewise_std_normalization=True)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        gen.standardize(np.ones((2, 2, 1), np.float32))
    with pytest.warns(UserWarning, match="hasn't been fit"):
        gen.flow(_images(2), batch_size=2)[0]


def test_save_to_dir_writes_augmented_images(tmp_path):
    gen = ImageDataGenerator(rotation_range=10)
    gen.flow(_images(3), batch_size=3, shuffle=False, save_to_dir=tmp_path,
             save_prefix="aug", save_format="jpeg")[0]
    names = sorted(os.listdir(tmp_path))
    assert len(names) == 3
    assert all(n.startswith("aug_") and n.endswith(".jpeg") for n in names)
    assert Image.open(tmp_path / names[0]).size == (9, 8)


def _write_folder(root, corrupt=False):
    rng = np.random.default_rng(0)
    for cls, n in (("cat", 3), ("dog", 2)):
        (root / cls).mkdir(parents=True)
        for i in range(n):
            arr = rng.integers(0, 256, (6, 5, 3)).astype(np.uint8)
            Image.fromarray(arr).save(root / cls / f"{i}.png")
    (root / "cat" / "readme.md").write_text("not an image")
    if corrupt:
        (root / "dog" / "broken.jpg").write_bytes(b"\xff\xd8 truncated junk")


def test_flow_from_directory_basics(tmp_path, capsys):
    _write_folder(tmp_path)
    gen = ImageDataGenerator()
    it = gen.flow_from_directory(tmp_path, target_size=(4, 4), batch_size=2,
                                 shuffle=False)
    assert "Found 5 images belonging to 2 classes." in capsys.readouterr().out
    assert isinstance(it, DirectoryIterator)
    assert it.class_indices == {"cat": 0, "dog": 1}
    assert it.filenames == [os.path.join("cat", "0.png"),
                            os.path.join("cat", "1.png"),
                            os.path.join("cat", "2.png"),
                            os.path.join("dog", "0.png"),
                            os.path.join("dog", "1.png")]
    assert it.classes.tolist() == [0, 0, 0, 1, 1]
    assert it.samples == 5 and len(it) == 3
    bx, by = it[2]
    assert bx.shape == (1, 4, 4, 3) and bx.dtype == np.float32
    np.testing.assert_array_equal(by, [[0, 1]])
    assert it.filepaths[0] == os.path.join(tmp_path, "cat", "0.png")
    sparse = gen.flow_from_directory(tmp_path, target_size=(4, 4),
                                     class_mode="sparse", shuffle=False,
                                     color_mode="grayscale")
    bx, by = sparse[0]
    assert bx.shape == (5, 4, 4, 1) and by.tolist() == [0, 0, 0, 1, 1]


def test_flow_from_directory_bad_input(tmp_path):
    gen = ImageDataGenerator()
    missing = tmp_path / "no_such_folder"
    with pytest.raises(FileNotFoundError, match="no_such_folder"):
        gen.flow_from_directory(missing)
    _write_folder(tmp_path / "data", corrupt=True)
    with pytest.raises(FileNotFoundError, match="bird"):
        gen.flow_from_directory(tmp_path / "data", classes=["cat", "bird"])
    with pytest.raises(ValueError, match="validation_split"):
        gen.flow_from_directory(tmp_path / "data", subset="validation")
    with pytest.raises(ValueError, match="class_mode"):
        gen.flow_from_directory(tmp_path / "data", class_mode="onehot")
    with pytest.raises(ValueError, match="color mode"):
        gen.flow_from_directory(tmp_path / "data", color_mode="cmyk")
    it = gen.flow_from_directory(tmp_path / "data", target_size=(4, 4),
                                 shuffle=False, batch_size=6)
    # The .md file is skipped; the broken .jpg is listed and fails to load.
    assert len(it.filenames) == 6 and it.filenames[5].endswith("broken.jpg")
    with pytest.raises(OSError, match="broken.jpg"):
        it[0]


def test_flow_from_directory_channels_first_and_subsets(tmp_path):
    _write_folder(tmp_path)
    gen = ImageDataGenerator(data_format="channels_first",
                             validation_split=0.5)
    train = gen.flow_from_directory(tmp_path, target_size=(3, 4),
                                    subset="training", shuffle=False)
    val = gen.flow_from_directory(tmp_path, target_size=(3, 4),
                                  subset="validation", shuffle=False)
    assert train[0][0].shape[1:] == (3, 3, 4)
    # Each class is split on its own: cat 1 + 2, dog 1 + 1.
    assert val.classes.tolist() == [0, 1] and train.classes.tolist() == [0, 0, 1]
    assert not set(train.filenames) & set(val.filenames)


def test_module_exports():
    for name in ("load_img", "img_to_array", "array_to_img", "save_img",
                 "smart_resize", "apply_affine_transform", "random_rotation",
                 "random_shift", "random_shear", "random_zoom",
                 "random_channel_shift", "random_brightness",
                 "apply_channel_shift", "apply_brightness_shift"):
        assert callable(getattr(mimage, name))
    import minikeras.preprocessing as prep
    assert prep.image is mimage


def test_iterators_feed_fit_evaluate_predict():
    import minikeras as keras
    x = _images(24, 6, 6, 1)
    y = (np.arange(24) % 2).astype(np.float32)
    gen = ImageDataGenerator(rescale=1 / 255.0, rotation_range=10)
    model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    history = model.fit(gen.flow(x, y, batch_size=8, seed=0), epochs=2,
                        verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(model.evaluate(gen.flow(x, y, batch_size=8),
                                      verbose=0))
    pred = model.predict(gen.flow(x, batch_size=8, shuffle=False), verbose=0)
    assert pred.shape == (24, 1)
