"""Numerical-gradient checks of the fused normalization primitive
(minikeras/backend/norm_primitives.py) for BatchNorm, LayerNorm and
GroupNorm reduction patterns."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from minikeras.backend import norm_primitives as NP
from tests.gradcheck import check_grad

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("shape,axes", [
    ((6, 3, 3, 4), (0, 1, 2)),      # BatchNormalization, channels last
    ((6, 4, 3, 3), (0, 2, 3)),      # BatchNormalization, channels first
    ((5, 7), (0,)),                 # BatchNormalization on Dense outputs
    ((4, 3, 6), (2,)),              # LayerNormalization
    ((4, 3, 6), (1, 2)),            # LayerNormalization over two axes
    ((2, 3, 3, 2, 3), (1, 2, 4)),   # GroupNormalization (groups on axis 3)
])
def test_normalize_numerical_gradients(shape, axes):
    x = RNG.standard_normal(shape) * 2 + 1
    pshape = tuple(1 if i in axes else n for i, n in enumerate(shape))
    gamma = RNG.uniform(0.5, 1.5, pshape)
    beta = RNG.standard_normal(pshape)

    def f(x, gamma, beta):
        return NP.normalize(x, gamma, beta, axes, 1e-3)
    for argnum in range(3):
        check_grad(f, x, gamma, beta, argnum=argnum)
    check_grad(lambda x: NP.normalize(x, None, None, axes, 1e-3), x)


def test_normalize_matches_formula_and_returns_moments():
    x = RNG.standard_normal((8, 5)).astype(np.float32)
    y, mean, var = NP.normalize(x, None, None, (0,), 1e-3, return_moments=True)
    np.testing.assert_allclose(mean[0], x.mean(0), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(var[0], x.var(0), rtol=1e-5)
    np.testing.assert_allclose(y, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), rtol=1e-5,
                               atol=1e-6)
    assert y.dtype == np.float32
    g = autograd.grad(lambda x: anp.sum(NP.normalize(x, None, None, (0,), 1e-3) ** 2))(x)
    assert g.dtype == np.float32


def _normalize_by_formula(x, gamma, beta, axes, eps):
    mean = anp.mean(x, axis=axes, keepdims=True)
    var = anp.mean((x - mean) ** 2, axis=axes, keepdims=True)
    return (x - mean) / anp.sqrt(var + eps) * gamma + beta


@pytest.mark.parametrize("shape,axes", [((5, 4), (0,)), ((3, 6), (1,)),
                                        ((2, 3, 2, 3), (1, 2, 3))])
def test_normalize_second_derivatives(shape, axes):
    # A gradient penalty differentiates the input gradient again: the VJP must be
    # differentiable in x (statistics included), gamma and the incoming gradient.
    x = RNG.standard_normal(shape)
    pshape = tuple(1 if i in axes else n for i, n in enumerate(shape))
    gamma = RNG.uniform(0.5, 1.5, pshape)
    beta = RNG.standard_normal(pshape)
    w = RNG.standard_normal(shape)

    def penalty(norm):
        def f(x, gamma):
            gx = autograd.grad(lambda x: anp.sum(anp.tanh(norm(x, gamma, beta, axes, 1e-3)) * w))(x)
            return anp.sum(gx ** 2)
        return f

    for argnum in range(2):
        got = autograd.grad(penalty(NP.normalize), argnum)(x, gamma)
        want = autograd.grad(penalty(_normalize_by_formula), argnum)(x, gamma)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)
