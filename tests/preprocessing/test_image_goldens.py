"""ImageDataGenerator and friends against goldens written by real Keras.

The goldens come from `tests/parity/generate_image_goldens.py` (tf.keras
3.15, SciPy, Pillow). Affine warps of the single-image API reproduce SciPy
bit for bit; batches from iterators interpolate in float32 and stay within
1e-4 of Keras on 0..255 images.
"""
import json
import os

import numpy as np
import pytest

from minikeras.backend import config
from minikeras.preprocessing import image as mimage
from minikeras.preprocessing.image import ImageDataGenerator

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity",
                       "goldens")


def _load(name):
    arrays = np.load(os.path.join(GOLDENS, f"image_{name}.npz"))
    path = os.path.join(GOLDENS, f"image_{name}.json")
    meta = None
    if os.path.exists(path):
        with open(path) as f:
            meta = json.load(f)
    return arrays, meta


@pytest.fixture
def data_format():
    """Restore the global image data format after a test changes it."""
    saved = config.image_data_format()
    yield config.set_image_data_format
    config.set_image_data_format(saved)


TRANSFORMS, TRANSFORMS_META = _load("transforms")


@pytest.mark.parametrize("case", TRANSFORMS_META["cases"],
                         ids=lambda c: str(c["id"]))
def test_apply_transform_matches_keras(case, data_format):
    fmt = case["data_format"]
    data_format(fmt)
    gen = ImageDataGenerator(fill_mode=case["fill_mode"], cval=case["cval"],
                             interpolation_order=case["order"],
                             data_format=fmt)
    x = TRANSFORMS[f"in/{case['image']}"]
    if fmt == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 0))
    out = gen.apply_transform(x.copy(), dict(case["params"]))
    expected = TRANSFORMS[f"case/{case['id']}"]
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-4)


@pytest.mark.parametrize("case", TRANSFORMS_META["functions"],
                         ids=lambda c: f"{c['id']}-{c['fn']}")
def test_module_transform_functions_match_keras(case):
    x = TRANSFORMS["in/rgb"]
    out = getattr(mimage, case["fn"])(x.copy(), **case["kwargs"])
    np.testing.assert_allclose(out, TRANSFORMS[f"fn/{case['id']}"], rtol=0,
                               atol=1e-4)


def test_affine_transform_uint8_matches_keras():
    out = mimage.apply_affine_transform(
        TRANSFORMS["in/uint8"], theta=33, zx=0.8, row_axis=0, col_axis=1,
        channel_axis=2, fill_mode="nearest")
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, TRANSFORMS["fn/uint8"])


with open(os.path.join(GOLDENS, "image_random.json")) as _f:
    RANDOM = json.load(_f)


@pytest.mark.parametrize("case", RANDOM, ids=lambda c: str(c["seed"]))
def test_get_random_transform_draws_like_keras(case):
    gen = ImageDataGenerator(**case["config"])
    np.random.seed(case["seed"])
    shape = tuple(case["img_shape"])
    for expected in case["draws"]:
        got = gen.get_random_transform(shape)
        assert set(got) == set(expected)
        for k, v in expected.items():
            if v is None:
                assert got[k] is None, k
            else:
                assert got[k] == pytest.approx(v, rel=1e-12, abs=1e-12), k
    # The batched draw consumes the same stream and gives the same values.
    np.random.seed(case["seed"])
    batch = gen._random_params_batch(len(case["draws"]), shape)
    for i, expected in enumerate(case["draws"]):
        for k in ("theta", "tx", "ty", "shear", "zx", "zy"):
            assert batch[k][i] == pytest.approx(expected[k], rel=1e-12,
                                                abs=1e-12), k
        assert bool(batch["flip_horizontal"][i]) == bool(
            expected["flip_horizontal"])
        assert bool(batch["flip_vertical"][i]) == bool(expected["flip_vertical"])
        for k in ("channel_shift_intensity", "brightness"):
            if expected[k] is None:
                assert batch[k] is None
            else:
                assert batch[k][i] == pytest.approx(expected[k], rel=1e-12)
    # Both ways leave numpy's global state at the same place.
    after_batch = np.random.random()
    np.random.seed(case["seed"])
    for _ in case["draws"]:
        gen.get_random_transform(shape)
    assert np.random.random() == after_batch


FLOW, FLOW_META = _load("flow")


@pytest.mark.parametrize("case", FLOW_META["configs"],
                         ids=lambda c: c["name"])
def test_flow_batches_match_keras(case, data_format):
    name, fmt = case["name"], case["data_format"]
    data_format(fmt)
    gen = ImageDataGenerator(data_format=fmt, **case["config"])
    x = FLOW[f"in/{case['image']}"]
    if fmt == "channels_first":
        x = np.moveaxis(x, -1, 1)
    y, sw = FLOW["in/y"], FLOW["in/sw"]
    it = gen.flow(x, y, batch_size=4, seed=3, shuffle=True, sample_weight=sw)
    bx, by, bw = it[1]
    assert bx.dtype == np.float32
    np.testing.assert_allclose(bx, FLOW[f"{name}/getitem1/x"], rtol=0,
                               atol=1e-4)
    np.testing.assert_array_equal(by, FLOW[f"{name}/getitem1/y"])
    np.testing.assert_array_equal(bw, FLOW[f"{name}/getitem1/w"])
    it.on_epoch_end()
    bx, by, _ = it[2]
    np.testing.assert_allclose(bx, FLOW[f"{name}/getitem2_after_epoch_end/x"],
                               rtol=0, atol=1e-4)
    np.testing.assert_array_equal(
        by, FLOW[f"{name}/getitem2_after_epoch_end/y"])
    it2 = gen.flow(x, y, batch_size=4, seed=5, shuffle=True)
    for k in range(4):
        bx, by = next(it2)
        np.testing.assert_allclose(bx, FLOW[f"{name}/next{k}/x"], rtol=0,
                                   atol=1e-4)
        np.testing.assert_array_equal(by, FLOW[f"{name}/next{k}/y"])


def test_flow_without_seed_follows_numpy_global_state():
    gen = ImageDataGenerator(rotation_range=10, horizontal_flip=True)
    np.random.seed(11)
    it = gen.flow(FLOW["in/rgb"], batch_size=3, shuffle=True)
    np.testing.assert_allclose(next(it), FLOW["noseed/next0"], atol=1e-4)
    np.testing.assert_allclose(next(it), FLOW["noseed/next1"], atol=1e-4)


def test_flow_tuple_input_and_subsets_match_keras():
    gen = ImageDataGenerator(validation_split=0.3)
    x, y = FLOW["in/rgb"], FLOW["in/y"]
    misc = np.arange(10) * 10
    it = gen.flow((x, misc), y, batch_size=5, shuffle=False,
                  subset="training", ignore_class_split=True)
    (bx, bm), by = it[0]
    np.testing.assert_array_equal(bx, FLOW["tuple/x"])
    np.testing.assert_array_equal(bm, FLOW["tuple/misc"])
    np.testing.assert_array_equal(by, FLOW["tuple/y"])
    it = gen.flow(x, y, batch_size=5, shuffle=False, subset="validation",
                  ignore_class_split=True)
    assert [len(it), it.n] == FLOW["subset_val/len"].tolist()
    np.testing.assert_array_equal(it[0][1], FLOW["subset_val/y"])


@pytest.mark.parametrize("case", FLOW_META["random_functions"],
                         ids=lambda c: c["fn"])
def test_random_module_functions_match_keras(case):
    x = FLOW["in/rgb"][0]
    np.random.seed(case["seed"])
    out = getattr(mimage, case["fn"])(x.copy(), **case["kwargs"])
    np.testing.assert_allclose(out, FLOW[f"randfn/{case['id']}"], rtol=0,
                               atol=1e-4)


FIT, _ = _load("fit")


def test_featurewise_fit_and_standardize_match_keras():
    x = FIT["in/x"]
    gen = ImageDataGenerator(featurewise_center=True,
                             featurewise_std_normalization=True,
                             rescale=1 / 255.0)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean, FIT["fstd/mean"], rtol=1e-6)
    np.testing.assert_allclose(gen.std, FIT["fstd/std"], rtol=1e-6)
    np.testing.assert_allclose(gen.standardize(x[:4].copy()),
                               FIT["fstd/standardize"], rtol=1e-5, atol=1e-6)
    xc = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    gen = ImageDataGenerator(featurewise_center=True,
                             featurewise_std_normalization=True,
                             data_format="channels_first")
    gen.fit(xc)
    np.testing.assert_allclose(gen.mean, FIT["cf/mean"], rtol=1e-6)
    np.testing.assert_allclose(gen.std, FIT["cf/std"], rtol=1e-6)
    np.testing.assert_allclose(gen.standardize(xc[:3].copy()),
                               FIT["cf/standardize"], rtol=1e-5, atol=1e-5)


def test_zca_fit_matches_keras():
    x = FIT["in/x"]
    with pytest.warns(UserWarning, match="zca_whitening"):
        gen = ImageDataGenerator(zca_whitening=True, zca_epsilon=1e-3)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean, FIT["zca/mean"], rtol=1e-6)
    expected = FIT["zca/matrix"]
    assert gen.zca_whitening_matrix.shape == expected.shape
    scale = np.abs(expected).max()
    np.testing.assert_allclose(gen.zca_whitening_matrix, expected, rtol=0,
                               atol=1e-4 * scale)
    out = gen.standardize(x[:4].copy())
    np.testing.assert_allclose(out, FIT["zca/standardize"], rtol=0,
                               atol=1e-4 * np.abs(FIT["zca/standardize"]).max())


def test_fit_with_augmentation_matches_keras():
    gen = ImageDataGenerator(featurewise_center=True, rotation_range=20,
                             horizontal_flip=True)
    gen.fit(FIT["in/x"][:30], augment=True, rounds=2, seed=9)
    np.testing.assert_allclose(gen.mean, FIT["augfit/mean"], rtol=1e-5)


def test_samplewise_and_preprocessing_function_match_keras():
    x = FIT["in/x"]
    with pytest.warns(UserWarning, match="samplewise_center"):
        gen = ImageDataGenerator(samplewise_center=False,
                                 samplewise_std_normalization=True,
                                 rescale=0.5)
    np.testing.assert_allclose(gen.standardize(x[0].copy()),
                               FIT["samplewise/one"], rtol=1e-5, atol=1e-5)
    # Given a batch, Keras takes the statistics over the whole batch.
    np.testing.assert_allclose(gen.standardize(x[:3].copy()),
                               FIT["samplewise/batch"], rtol=1e-5, atol=1e-5)
    gen = ImageDataGenerator(preprocessing_function=lambda a: a[::-1] * 2.0)
    np.testing.assert_allclose(gen.standardize(x[1].copy()),
                               FIT["prepfn/one"])


DIRS, DIRS_META = _load("directory")


@pytest.fixture
def image_folder(tmp_path):
    for i, rel in enumerate(DIRS_META["files"]):
        path = tmp_path.joinpath(*rel.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(DIRS[f"file/{i}"].tobytes())
    return tmp_path


@pytest.mark.parametrize("case", DIRS_META["cases"], ids=lambda c: c["name"])
def test_flow_from_directory_matches_keras(case, image_folder, data_format,
                                           capsys):
    gen_kw = dict(case["generator"])
    data_format(gen_kw.get("data_format", "channels_last"))
    kw = dict(case["kwargs"])
    kw["target_size"] = tuple(kw["target_size"])
    gen = ImageDataGenerator(**gen_kw)
    it = gen.flow_from_directory(str(image_folder), **kw)
    assert (f"Found {case['samples']} images belonging to "
            f"{len(case['class_indices'])} classes.") in capsys.readouterr().out
    assert it.class_indices == case["class_indices"]
    assert [f.replace(os.sep, "/") for f in it.filenames] == case["filenames"]
    assert it.classes.tolist() == case["classes"]
    assert it.samples == case["samples"] and len(it) == case["len"]
    name = case["name"]
    for b in range(min(len(it), 3)):
        out = it[b]
        if isinstance(out, tuple):
            bx, by = out
            np.testing.assert_allclose(by, DIRS[f"{name}/{b}/y"], atol=1e-4)
        else:
            bx = out
        np.testing.assert_allclose(bx, DIRS[f"{name}/{b}/x"], rtol=0,
                                   atol=1e-4)


def test_load_img_matches_keras(image_folder):
    for i, rel in enumerate(DIRS_META["files"]):
        if rel.endswith(".txt"):
            continue
        img = mimage.load_img(str(image_folder.joinpath(*rel.split("/"))),
                              target_size=(5, 4), interpolation="bicubic")
        np.testing.assert_array_equal(mimage.img_to_array(img),
                                      DIRS[f"load_img/{i}"])


RESIZE, RESIZE_META = _load("resize")


@pytest.mark.parametrize("interp", ["bilinear", "nearest", "bicubic"])
def test_smart_resize_matches_keras(interp):
    for si, size in enumerate(RESIZE_META["sizes"]):
        for key in ("x", "xb", "xu"):
            out = mimage.smart_resize(RESIZE[f"in/{key}"], tuple(size),
                                      interpolation=interp)
            expected = RESIZE[f"{key}/{interp}/{si}"]
            assert out.shape == expected.shape and out.dtype == expected.dtype
            np.testing.assert_allclose(out, expected, rtol=0, atol=1e-3)
        xcf = np.ascontiguousarray(np.moveaxis(RESIZE["in/x"], -1, 0))
        out = mimage.smart_resize(xcf, tuple(size), interpolation=interp,
                                  data_format="channels_first")
        np.testing.assert_allclose(out, RESIZE[f"xcf/{interp}/{si}"], rtol=0,
                                   atol=1e-3)


@pytest.mark.parametrize("case", DIRS_META["dataframe_cases"],
                         ids=lambda c: c["name"])
def test_flow_from_dataframe_matches_keras(case, image_folder):
    pd = pytest.importorskip("pandas")  # optional dependency, as in Keras
    df = pd.DataFrame([list(r) for r in DIRS_META["dataframe_rows"]],
                      columns=["filename", "class", "weight", "value"])
    kw = dict(case["kwargs"])
    kw["target_size"] = tuple(kw["target_size"])
    gen = ImageDataGenerator(**case["generator"])
    with pytest.warns(UserWarning, match="invalid image filename"):
        it = gen.flow_from_dataframe(df, directory=str(image_folder), **kw)
    assert list(it.filenames) == case["filenames"]
    assert it.samples == case["samples"] and len(it) == case["len"]
    if case["class_indices"] is not None:
        assert it.class_indices == case["class_indices"]
        assert list(map(int, it.classes)) == case["classes"]
    name = case["name"]
    for b in range(min(len(it), 2)):
        out = it[b]
        np.testing.assert_allclose(out[0], DIRS[f"{name}/{b}/x"], atol=1e-4)
        np.testing.assert_allclose(out[1], DIRS[f"{name}/{b}/y"], atol=1e-6)
        if f"{name}/{b}/w" in DIRS:
            np.testing.assert_allclose(out[2], DIRS[f"{name}/{b}/w"])
