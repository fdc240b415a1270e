"""load_img / img_to_array / array_to_img / save_img / smart_resize.

(smart_resize is compared with Keras's output in
tests/preprocessing/test_image_goldens.py.)
"""
import io

import numpy as np
import pytest
from PIL import Image, UnidentifiedImageError

from minikeras.backend import config
from minikeras.utils import image_utils as iu


@pytest.fixture
def rgb():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (6, 5, 3)).astype(np.float32)


def test_array_to_img_and_back(rgb):
    img = iu.array_to_img(rgb, scale=False)
    assert img.mode == "RGB" and img.size == (5, 6)
    back = iu.img_to_array(img)
    assert back.dtype == np.float32 and back.shape == (6, 5, 3)
    np.testing.assert_array_equal(back, rgb)
    cf = iu.img_to_array(img, data_format="channels_first", dtype="float64")
    assert cf.shape == (3, 6, 5) and cf.dtype == np.float64
    img2 = iu.array_to_img(cf, data_format="channels_first", scale=False)
    np.testing.assert_array_equal(np.asarray(img2), rgb.astype(np.uint8))


def test_array_to_img_modes_and_scaling():
    gray = np.array([[[0.0], [0.5]], [[1.0], [0.25]]])
    img = iu.array_to_img(gray)  # scaled to 0..255
    assert img.mode == "L"
    np.testing.assert_array_equal(np.asarray(img), [[0, 127], [255, 63]])
    assert iu.img_to_array(img).shape == (2, 2, 1)
    big = np.full((2, 2, 1), 1000.0)
    assert iu.array_to_img(big, scale=False).mode == "I"
    rgba = np.zeros((2, 3, 4))
    assert iu.array_to_img(rgba).mode == "RGBA"
    with pytest.raises(ValueError, match="channel number: 2"):
        iu.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="rank 3"):
        iu.array_to_img(np.zeros((1, 2, 2, 3)))
    with pytest.raises(ValueError, match="Unsupported image shape"):
        iu.img_to_array(np.zeros((2, 2, 2, 2)))


def test_save_and_load_round_trip(tmp_path, rgb):
    path = tmp_path / "x.png"
    iu.save_img(str(path), rgb, scale=False)
    img = iu.load_img(path)
    assert img.mode == "RGB" and img.size == (5, 6)
    np.testing.assert_array_equal(iu.img_to_array(img), rgb)
    iu.save_img(tmp_path / "y.jpg", rgb)  # 'jpg' means JPEG
    assert Image.open(tmp_path / "y.jpg").format == "JPEG"
    with pytest.warns(UserWarning, match="RGBA"):
        iu.save_img(tmp_path / "z.jpeg", np.zeros((3, 3, 4)))
    buf = io.BytesIO()
    iu.save_img(buf, rgb, file_format="png", scale=False)
    buf.seek(0)
    np.testing.assert_array_equal(iu.img_to_array(iu.load_img(buf)), rgb)


def test_load_img_color_modes_and_resizing(tmp_path, rgb):
    path = tmp_path / "x.png"
    iu.save_img(path, rgb, scale=False)
    assert iu.load_img(path, color_mode="grayscale").mode == "L"
    assert iu.load_img(path, color_mode="rgba").mode == "RGBA"
    img = iu.load_img(str(path).encode(), target_size=(3, 4))
    assert img.size == (4, 3)
    expected = Image.open(path).convert("RGB").resize((4, 3), Image.NEAREST)
    np.testing.assert_array_equal(np.asarray(img), np.asarray(expected))
    # keep_aspect_ratio: the centre crop with the target's aspect ratio.
    img = iu.load_img(path, target_size=(2, 2), keep_aspect_ratio=True,
                      interpolation="bilinear")
    expected = Image.open(path).resize((2, 2), Image.BILINEAR,
                                       box=[0, 0, 5, 5])
    np.testing.assert_array_equal(np.asarray(img), np.asarray(expected))
    with pytest.raises(ValueError, match="Invalid interpolation"):
        iu.load_img(path, target_size=(2, 2), interpolation="cubic")
    with pytest.raises(ValueError, match="color_mode"):
        iu.load_img(path, color_mode="cmyk")
    with pytest.raises(TypeError, match="path should be path-like"):
        iu.load_img(123)


def test_load_img_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "fake.png"
    bad.write_text("hello")
    with pytest.raises(UnidentifiedImageError, match="fake.png"):
        iu.load_img(bad)
    good = io.BytesIO()
    Image.fromarray(np.full((30, 30, 3), 90, np.uint8)).save(good, "JPEG")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good.getvalue()[:200])
    with pytest.raises(OSError, match="cut.jpg"):
        iu.load_img(cut)
    with pytest.raises(FileNotFoundError):
        iu.load_img(tmp_path / "absent.png")


def test_smart_resize_crops_the_centre():
    x = np.zeros((4, 8, 1), np.float32)
    x[:, 2:6] = 1.0  # the centre 4x4 square
    out = iu.smart_resize(x, (2, 2), interpolation="nearest")
    np.testing.assert_array_equal(out, np.ones((2, 2, 1)))
    batch = np.stack([x, x])
    assert iu.smart_resize(batch, (3, 3)).shape == (2, 3, 3, 1)
    cf = np.moveaxis(x, -1, 0)
    assert iu.smart_resize(cf, (2, 2), data_format="channels_first").shape \
        == (1, 2, 2)
    u8 = (x * 255).astype(np.uint8)
    assert iu.smart_resize(u8, (2, 2), interpolation="nearest").dtype == np.uint8
    assert iu.smart_resize(u8, (2, 2)).dtype == np.float32


def test_smart_resize_bad_arguments():
    x = np.zeros((4, 4, 1), np.float32)
    with pytest.raises(ValueError, match="tuple of 2"):
        iu.smart_resize(x, (2, 2, 2))
    with pytest.raises(ValueError, match="incorrect rank"):
        iu.smart_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(NotImplementedError, match="lanczos3"):
        iu.smart_resize(x, (2, 2), interpolation="lanczos3")
    with pytest.raises(ValueError, match="interpolation"):
        iu.smart_resize(x, (2, 2), interpolation="cubic")
    with pytest.raises(TypeError, match="unexpected keyword"):
        iu.smart_resize(x, (2, 2), antialias=True)


def test_data_format_default_follows_backend(rgb):
    saved = config.image_data_format()
    try:
        config.set_image_data_format("channels_first")
        img = iu.array_to_img(np.moveaxis(rgb, -1, 0), scale=False)
        assert img.size == (5, 6)
        assert iu.img_to_array(img).shape == (3, 6, 5)
    finally:
        config.set_image_data_format(saved)
