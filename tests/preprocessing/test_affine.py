"""The numpy affine warp: SciPy's border rules by hand, and errors.

The goldens from real Keras (test_image_goldens.py) are the authority; the
hand-computed cases here pin down each fill mode's border behaviour without
SciPy, and the SciPy cross-check (when SciPy is installed) covers random
matrices, offsets and sizes bit for bit.
"""
import numpy as np
import pytest

from minikeras.preprocessing import affine
from minikeras.preprocessing.affine import apply_affine_transform, warp_batch


def _shift_cols(x, offset, mode, order=1, cval=0.0):
    """Warp a (1, n, 1) row: output j reads the input at j + offset."""
    img = np.asarray(x, np.float32).reshape(1, 1, -1, 1)
    m = np.eye(2)[None]
    off = np.array([[0.0, offset]])
    return warp_batch(img, m, off, mode, cval, order)[0, 0, :, 0]


ROW = [10.0, 20.0, 40.0, 80.0]


def test_integer_shifts_for_each_mode():
    # Output j reads input j + 2.
    np.testing.assert_array_equal(_shift_cols(ROW, 2, "nearest"),
                                  [40, 80, 80, 80])
    np.testing.assert_array_equal(_shift_cols(ROW, 2, "constant", cval=-1),
                                  [40, 80, -1, -1])
    # reflect: ... d c b a | a b c d | d c b a ...
    np.testing.assert_array_equal(_shift_cols(ROW, 2, "reflect"),
                                  [40, 80, 80, 40])
    np.testing.assert_array_equal(_shift_cols(ROW, -3, "reflect"),
                                  [40, 20, 10, 10])
    # SciPy's 'wrap' repeats with period n - 1: in[4] is in[1].
    np.testing.assert_array_equal(_shift_cols(ROW, 2, "wrap"),
                                  [40, 80, 20, 40])
    np.testing.assert_array_equal(_shift_cols(ROW, -1, "wrap"),
                                  [40, 10, 20, 40])
    # mirror: ... c b | a b c d | c b ...
    np.testing.assert_array_equal(_shift_cols(ROW, 2, "mirror"),
                                  [40, 80, 40, 20])


def test_fractional_shifts_interpolate_inside_and_at_borders():
    # Linear interpolation between neighbours inside the image.
    np.testing.assert_allclose(_shift_cols(ROW, 0.25, "nearest"),
                               [12.5, 25, 50, 80])
    # constant: beyond n - 1 nothing is interpolated, the pixel is cval.
    np.testing.assert_allclose(_shift_cols(ROW, 0.25, "constant", cval=5),
                               [12.5, 25, 50, 5])
    np.testing.assert_allclose(_shift_cols(ROW, -0.25, "constant", cval=5),
                               [5, 17.5, 35, 70])
    # reflect folds -0.25 to -0.75 and blends taps -1 (= in[0]) and 0.
    np.testing.assert_allclose(_shift_cols(ROW, -0.25, "reflect"),
                               [10, 17.5, 35, 70])
    # wrap folds -0.25 to 2.75 (period 3).
    np.testing.assert_allclose(_shift_cols(ROW, -0.25, "wrap"),
                               [70, 17.5, 35, 70])


def test_order_zero_rounds_half_up():
    np.testing.assert_array_equal(_shift_cols(ROW, 0.5, "nearest", order=0),
                                  [20, 40, 80, 80])
    np.testing.assert_array_equal(_shift_cols(ROW, 0.49, "nearest", order=0),
                                  [10, 20, 40, 80])


def test_integer_images_are_rounded_and_clipped_like_scipy():
    x = np.array([0, 255, 100, 7], np.uint8).reshape(1, 4, 1)
    out = apply_affine_transform(x, tx=0.5, row_axis=0, col_axis=1,
                                 channel_axis=2)
    assert out.dtype == np.uint8
    # 127.5 -> 128, 177.5 -> 178, 53.5 -> 54 (round half up), edge 7.
    np.testing.assert_array_equal(out[0, :, 0], [128, 178, 54, 7])


def test_identity_parameters_return_the_input():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    assert apply_affine_transform(x) is x


def test_rotation_by_90_degrees_moves_pixels():
    x = np.arange(9, dtype=np.float32).reshape(1, 3, 3)
    out = apply_affine_transform(x, theta=90, row_axis=1, col_axis=2,
                                 channel_axis=0)
    np.testing.assert_allclose(out[0], np.rot90(x[0], k=1), atol=1e-5)


def test_channels_first_and_last_agree():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (5, 6, 3)).astype(np.float32)
    kw = dict(theta=25, tx=1.2, shear=8, zx=0.9, zy=1.1, fill_mode="reflect")
    last = apply_affine_transform(x, row_axis=0, col_axis=1, channel_axis=2,
                                  **kw)
    first = apply_affine_transform(np.moveaxis(x, 2, 0), row_axis=1,
                                   col_axis=2, channel_axis=0, **kw)
    np.testing.assert_array_equal(np.moveaxis(first, 0, 2), last)


def test_fast_path_is_close_to_exact_path():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (6, 9, 11, 3)).astype(np.float32)
    mats, offs = affine.transform_matrices(
        rng.uniform(-40, 40, 6), rng.uniform(-3, 3, 6), rng.uniform(-3, 3, 6),
        rng.uniform(-10, 10, 6), rng.uniform(0.7, 1.3, 6),
        rng.uniform(0.7, 1.3, 6), 9, 11)
    for mode in affine.FILL_MODES:
        exact = warp_batch(x, mats, offs, mode, 3.0, 1, precise=True)
        fast = warp_batch(x, mats, offs, mode, 3.0, 1, precise=False)
        assert fast.dtype == np.float32
        np.testing.assert_allclose(fast, exact, rtol=0, atol=1e-4)


def test_reversed_output_grid_equals_flipping_after_the_warp():
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 255, (2, 5, 7, 1)).astype(np.float32)
    mats, offs = affine.transform_matrices([10, -20], [1, 0], [0, 2], 0,
                                           [1, 1.2], [0.9, 1], 5, 7)
    plain = warp_batch(x, mats, offs, "wrap")
    flipped = warp_batch(x, mats, offs, "wrap",
                         out_rows=np.tile(np.arange(5)[::-1], (2, 1)),
                         out_cols=np.tile(np.arange(7)[::-1], (2, 1)))
    np.testing.assert_array_equal(flipped, plain[:, ::-1, ::-1])


def test_bad_arguments():
    x = np.zeros((4, 4, 1), np.float32)
    with pytest.raises(ValueError, match="fill_mode"):
        apply_affine_transform(x, theta=10, row_axis=0, col_axis=1,
                               channel_axis=2, fill_mode="bogus")
    with pytest.raises(NotImplementedError, match="grid-wrap"):
        apply_affine_transform(x, theta=10, row_axis=0, col_axis=1,
                               channel_axis=2, fill_mode="grid-wrap")
    with pytest.raises(NotImplementedError, match="order 3"):
        apply_affine_transform(x, theta=10, row_axis=0, col_axis=1,
                               channel_axis=2, order=3)
    with pytest.raises(ValueError, match="multi-channel 2D"):
        apply_affine_transform(np.zeros((4, 4)), theta=10)
    with pytest.raises(ValueError, match="distinct"):
        apply_affine_transform(x, row_axis=0, col_axis=0, channel_axis=2)
    with pytest.raises(ValueError, match="Channels"):
        apply_affine_transform(x, row_axis=0, col_axis=2, channel_axis=1)


def test_bit_for_bit_with_scipy_on_random_maps():
    # A cross-check only: the Keras goldens are the reference.
    ndi = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(3)
    for trial in range(150):
        h, w = rng.integers(1, 8, size=2)
        x = rng.uniform(0, 255, (h, w)).astype(np.float32)
        if trial % 2:
            m = rng.normal(size=(2, 2)) * 2
            off = rng.normal(size=2) * 5
        else:
            m = rng.integers(-2, 3, size=(2, 2)).astype(float)
            off = rng.integers(-12, 12, size=2) / 2.0
        for mode in affine.FILL_MODES:
            for order in (0, 1):
                ref = ndi.affine_transform(x, m, off, order=order, mode=mode,
                                           cval=4.5)
                got = warp_batch(x[None, :, :, None], m[None], off[None],
                                 mode, 4.5, order)[0, :, :, 0]
                np.testing.assert_array_equal(got, ref, err_msg=f"{mode} {order}")


@pytest.mark.parametrize("precise", [True, False])
def test_tiling_does_not_change_results(monkeypatch, precise):
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 255, (3, 9, 10, 2)).astype(np.float32)
    mats, offs = affine.transform_matrices([30, 0, -15], [0.5, 0, 2], [1, 0, 0],
                                           [0, 0, 5], [1, 0.5, 1.2],
                                           [1, 0.5, 0.9], 9, 10)
    for mode in affine.FILL_MODES:
        for order in (0, 1):
            whole = warp_batch(x, mats, offs, mode, 2.0, order,
                               precise=precise)
            for tile in (7, 25, 150):  # row pieces, whole images, mixed
                monkeypatch.setattr(affine, "_TILE_PIXELS", tile)
                np.testing.assert_array_equal(
                    warp_batch(x, mats, offs, mode, 2.0, order,
                               precise=precise), whole)
            monkeypatch.undo()
