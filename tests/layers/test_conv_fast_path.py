"""The fused, cache-blocked convolution (`conv_primitives.conv` with
groups=1) against the composite im2col + conv_matmul graph, and the
blocked max pooling against the same pooling in one block."""
import autograd
import numpy as np
import pytest

from minikeras.backend import conv_primitives as CP
from minikeras.backend import pool_primitives as PP

RNG = np.random.default_rng(11)

CASES = [  # x shape, kernel shape, strides, dilation, padding
    ((5, 9, 8, 3), (3, 3, 3, 6), (1, 1), (1, 1), "valid"),      # few channels
    ((5, 9, 8, 20), (3, 3, 20, 6), (1, 1), (1, 1), "same"),     # dx per kernel offset
    ((5, 9, 8, 20), (3, 2, 20, 6), (2, 2), (1, 1), "valid"),
    ((4, 9, 8, 17), (3, 2, 17, 5), (1, 1), (2, 1), "same"),
    ((4, 11, 18), (3, 18, 5), (1,), (2,), "causal"),
    ((3, 5, 6, 7, 16), (2, 3, 2, 16, 4), (1, 2, 1), (1, 1, 1), "same"),
]


def _composite(x, w, b, strides, dilation, padding, relu):
    ks = tuple(np.shape(w)[:-2])
    pads = CP.compute_pads(np.shape(x)[1:-1], ks, strides, dilation, padding)
    return CP.conv_matmul(CP.im2col(x, ks, strides, dilation, pads), w, b, 1, relu)


@pytest.fixture(params=[1 << 12, 1 << 30], ids=["many_blocks", "one_block"])
def block_bytes(request, monkeypatch):
    monkeypatch.setattr(CP, "_BLOCK_BYTES", request.param)
    return request.param


@pytest.mark.parametrize("xs,ws,strides,dilation,padding", CASES)
@pytest.mark.parametrize("relu", [False, True])
def test_fused_conv_matches_composite(xs, ws, strides, dilation, padding, relu, block_bytes):
    x = RNG.standard_normal(xs).astype(np.float32)
    w = RNG.standard_normal(ws).astype(np.float32)
    b = RNG.standard_normal(ws[-1]).astype(np.float32)
    v = RNG.standard_normal(np.shape(_composite(x, w, b, strides, dilation, padding, relu)))

    def fused_loss(x, w, b):
        return (CP.conv(x, w, b, strides, padding, dilation, 1, relu) * v).sum()

    def comp_loss(x, w, b):
        return (_composite(x, w, b, strides, dilation, padding, relu) * v).sum()

    y = CP.conv(x, w, b, strides, padding, dilation, 1, relu)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, _composite(x, w, b, strides, dilation, padding, relu),
                               rtol=1e-5, atol=1e-5)
    got = autograd.grad(fused_loss, (0, 1, 2))(x, w, b)
    want = autograd.grad(comp_loss, (0, 1, 2))(x, w, b)
    for g, h in zip(got, want):
        assert g.dtype == np.float32 and g.shape == h.shape
        np.testing.assert_allclose(g, h, rtol=1e-4, atol=1e-4 * np.abs(h).max())


def test_fused_conv_without_bias_and_empty_batch():
    x = RNG.standard_normal((3, 6, 6, 5)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 5, 4)).astype(np.float32)
    gx, gw = autograd.grad(lambda x, w: (CP.conv(x, w) ** 2).sum(), (0, 1))(x, w)
    hx, hw = autograd.grad(
        lambda x, w: (_composite(x, w, None, (1, 1), (1, 1), "valid", False) ** 2).sum(),
        (0, 1))(x, w)
    np.testing.assert_allclose(gx, hx, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(gw, hw, rtol=1e-4, atol=1e-3)
    assert CP.conv(np.zeros((0, 6, 6, 5), np.float32), w).shape == (0, 4, 4, 4)


@pytest.mark.parametrize("shape,pool,strides,padding", [
    ((7, 26, 26, 8), (2, 2), (2, 2), "valid"),
    ((7, 11, 11, 8), (2, 2), (2, 2), "valid"),
    ((7, 11, 11, 8), (3, 3), (2, 2), "same"),
])
def test_blocked_max_pool_matches_one_block(shape, pool, strides, padding, monkeypatch):
    x = np.maximum(RNG.standard_normal(shape).astype(np.float32), 0)  # ties at 0
    pads = PP.pool_pads(shape[1:-1], pool, strides, padding)

    def run():
        y = PP.max_pool(x, pool, strides, pads)
        g = autograd.grad(lambda x: (PP.max_pool(x, pool, strides, pads) * y).sum())(x)
        return y, g
    monkeypatch.setattr(PP, "_BLOCK_BYTES", 1 << 40)
    y1, g1 = run()
    monkeypatch.setattr(PP, "_BLOCK_BYTES", 1 << 10)
    y2, g2 = run()
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(g1, g2)
    # each window routes its gradient to exactly one cell (its first maximum)
    if pool == strides:
        assert np.count_nonzero(g2) <= y2.size
