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
