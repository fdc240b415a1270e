"""Numerical-gradient checks of the convolution primitives
(minikeras/backend/conv_primitives.py) against a direct loop reference."""
import itertools

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from minikeras.backend import conv_primitives as CP
from tests.gradcheck import check_grad

RNG = np.random.default_rng(7)


def naive_conv(x, w, strides, dilation, pads, groups=1):
    """Direct definition: loops over output positions and kernel offsets."""
    x = np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
    rank = x.ndim - 2
    ks, cg, f = w.shape[:rank], w.shape[-2], w.shape[-1]
    fg = f // groups
    k_eff = [(k - 1) * d + 1 for k, d in zip(ks, dilation)]
    out = [(n - k) // s + 1 for n, k, s in zip(x.shape[1:-1], k_eff, strides)]
    y = np.zeros((x.shape[0],) + tuple(out) + (f,))
    for pos in itertools.product(*(range(o) for o in out)):
        for off in itertools.product(*(range(k) for k in ks)):
            idx = tuple(p * s + o * d for p, s, o, d in zip(pos, strides, off, dilation))
            xv = x[(slice(None),) + idx]
            for g in range(groups):
                y[(slice(None),) + pos + (slice(g * fg, (g + 1) * fg),)] += (
                    xv[:, g * cg:(g + 1) * cg] @ w[off][:, g * fg:(g + 1) * fg])
    return y


RANK_PADDING = [(1, "valid"), (1, "same"), (1, "causal"), (2, "valid"), (2, "same"),
                (3, "valid"), (3, "same")]   # causal padding exists only in 1-D


@pytest.mark.parametrize("rank,padding", RANK_PADDING)
@pytest.mark.parametrize("strides,dilation", [(1, 1), (2, 1), (1, 2)])
@pytest.mark.parametrize("groups", [1, 2])
def test_conv_matches_direct_definition(rank, padding, strides, dilation, groups):
    spatial = (7, 6, 5)[:rank]
    x = RNG.standard_normal((2,) + spatial + (4,))
    w = RNG.standard_normal((3, 2, 3)[:rank] + (4 // groups, 6))
    st, dl = (strides,) * rank, (dilation,) * rank
    pads = CP.compute_pads(spatial, w.shape[:rank], st, dl, padding)
    y = CP.conv(x, w, None, st, padding, dl, groups)
    np.testing.assert_allclose(y, naive_conv(x, w, st, dl, pads, groups), atol=1e-10)


@pytest.mark.parametrize("padding,strides,groups,relu", [
    ("valid", 1, 1, False), ("same", 2, 1, True), ("same", 1, 2, False),
    ("valid", 2, 2, True)])
def test_conv_numerical_gradients(padding, strides, groups, relu):
    rng = np.random.default_rng(5)
    while True:
        x = rng.standard_normal((2, 5, 6, 4))
        w = rng.standard_normal((3, 3, 4 // groups, 6))
        b = rng.standard_normal(6)
        pre = CP.conv(x, w, b, (strides,) * 2, padding, (1, 1), groups)
        # keep pre-activations off relu's kink, where central differences jump
        if not relu or np.min(np.abs(pre)) > 0.02:
            break

    def f(x, w, b):
        return CP.conv(x, w, b, (strides,) * 2, padding, (1, 1), groups, relu=relu)
    for argnum in range(3):
        check_grad(f, x, w, b, argnum=argnum)


def test_conv_1d_and_3d_numerical_gradients():
    x1, w1 = RNG.standard_normal((2, 7, 3)), RNG.standard_normal((3, 3, 2))
    check_grad(lambda x, w: CP.conv(x, w, None, (1,), "causal", (2,)), x1, w1, argnum=0)
    check_grad(lambda x, w: CP.conv(x, w, None, (1,), "causal", (2,)), x1, w1, argnum=1)
    x3, w3 = RNG.standard_normal((1, 4, 3, 4, 2)), RNG.standard_normal((2, 2, 2, 2, 3))
    check_grad(lambda x, w: CP.conv(x, w, None, (2, 1, 2), "same", (1, 1, 1)), x3, w3)
    check_grad(lambda x, w: CP.conv(x, w, None, (2, 1, 2), "same", (1, 1, 1)), x3, w3,
               argnum=1)


def test_im2col_and_col2im_are_adjoint():
    x = RNG.standard_normal((2, 6, 7, 3))
    for ks, st, dl, pad in [((3, 3), (1, 1), (1, 1), "same"), ((2, 3), (2, 1), (1, 1), "valid"),
                            ((3, 2), (1, 1), (2, 1), "same")]:
        pads = CP.compute_pads((6, 7), ks, st, dl, pad)
        cols = CP.im2col(x, ks, st, dl, pads)
        z = RNG.standard_normal(cols.shape)
        back = CP.col2im(z, x.shape, ks, st, dl, pads)
        np.testing.assert_allclose(np.sum(cols * z), np.sum(x * back), rtol=1e-12)


def test_conv_is_differentiable_twice():
    """im2col/col2im are each other's VJP and conv_matmul's VJPs are GEMMs
    written with autograd.numpy, so a Hessian-vector product works."""
    x = RNG.standard_normal((1, 5, 5, 2))
    w = RNG.standard_normal((3, 3, 2, 2))
    v = RNG.standard_normal(w.shape)

    def loss(w):
        return anp.sum(CP.conv(x, w, None, (1, 1), "same", (1, 1)) ** 3)

    def grad_dot_v(w):
        return anp.sum(autograd.grad(loss)(w) * v)
    hvp = autograd.grad(grad_dot_v)(w)
    eps = 1e-5
    numeric = (autograd.grad(loss)(w + eps * v) - autograd.grad(loss)(w - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hvp, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("padding,strides,out", [
    ("valid", (2, 2), (9, 9)), ("same", (2, 2), (8, 8)), ("valid", (1, 1), (6, 6)),
    ("same", (1, 1), (4, 4)), ("valid", (2, 2), (10, 9))])
def test_conv_transpose_is_the_adjoint_of_conv(padding, strides, out):
    x = RNG.standard_normal((2, 4, 4, 3))
    k = RNG.standard_normal((3, 3, 5, 3))
    y = CP.conv_transpose(x, k, None, out, strides, padding, (1, 1))
    assert y.shape == (2,) + out + (5,)
    z = RNG.standard_normal(y.shape)
    cz = CP.conv(z, k, None, strides, padding, (1, 1))
    np.testing.assert_allclose(np.sum(y * z), np.sum(x * cz[:, :4, :4]), rtol=1e-10)
    b = RNG.standard_normal(5)
    f = lambda x, k, b: CP.conv_transpose(x, k, b, out, strides, padding, (1, 1))  # noqa: E731
    for argnum in range(3):
        check_grad(f, x, k, b, argnum=argnum)


def test_depthwise_conv_matches_per_channel_convolutions():
    x = RNG.standard_normal((2, 5, 5, 3))
    k = RNG.standard_normal((3, 3, 3, 2))
    y = CP.depthwise_conv(x, k, None, 1, "same")
    ref = np.stack([naive_conv(x[..., c:c + 1], k[:, :, c:c + 1, :], (1, 1), (1, 1),
                               ((1, 1), (1, 1))) for c in range(3)], axis=-2)
    np.testing.assert_allclose(y, ref.reshape(2, 5, 5, 6), atol=1e-10)
    check_grad(lambda x, k: CP.depthwise_conv(x, k, None, 2, "same"), x, k, argnum=0)
    check_grad(lambda x, k: CP.depthwise_conv(x, k, None, 2, "same"), x, k, argnum=1)


def test_float32_stays_float32():
    x = RNG.standard_normal((2, 6, 6, 3)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)
    b = np.zeros(4, np.float32)
    y = CP.conv(x, w, b, (1, 1), "same", (1, 1), relu=True)
    assert y.dtype == np.float32
    grads = autograd.grad(lambda x, w, b: anp.sum(CP.conv(x, w, b, (1, 1), "same", (1, 1))),
                          argnum=(0, 1, 2))(x, w, b)
    assert all(g.dtype == np.float32 for g in grads)
