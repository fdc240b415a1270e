"""Numerical-gradient checks of the pooling primitives and TensorFlow's
routing rules (minikeras/backend/pool_primitives.py)."""
import itertools

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from minikeras.backend import pool_primitives as PP
from tests.gradcheck import check_grad

RNG = np.random.default_rng(11)


def naive_pool(x, pool, strides, pads, reduce):
    fill = -np.inf if reduce == "max" else np.nan
    xp = np.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), constant_values=fill)
    out = [(n - k) // s + 1 for n, k, s in zip(xp.shape[1:-1], pool, strides)]
    y = np.zeros((x.shape[0],) + tuple(out) + (x.shape[-1],))
    axes = tuple(range(1, 1 + len(pool)))
    for pos in itertools.product(*(range(o) for o in out)):
        sl = (slice(None),) + tuple(slice(p * s, p * s + k) for p, s, k in zip(pos, strides, pool))
        win = xp[sl]
        y[(slice(None),) + pos] = win.max(axis=axes) if reduce == "max" else np.nanmean(win, axis=axes)
    return y


CASES = [((2, 7, 6, 3), (2, 2), (2, 2), "valid"), ((2, 8, 8, 3), (3, 3), (2, 2), "same"),
         ((2, 7, 6, 3), (3, 2), (1, 2), "valid"), ((2, 7, 7, 2), (2, 2), (2, 2), "same"),
         ((2, 9, 3), (3,), (2,), "same"), ((1, 5, 4, 5, 2), (2, 2, 2), (2, 2, 2), "valid"),
         ((1, 5, 4, 5, 2), (2, 2, 2), (1, 1, 1), "same")]


@pytest.mark.parametrize("shape,pool,strides,padding", CASES)
@pytest.mark.parametrize("reduce", ["max", "avg"])
def test_pooling_values_and_numerical_gradients(shape, pool, strides, padding, reduce):
    # distinct values 0.05 apart: central differences (eps 1e-3) never swap a maximum
    x = RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.05
    pads = PP.pool_pads(shape[1:-1], pool, strides, padding)
    fn = PP.max_pool if reduce == "max" else PP.avg_pool
    np.testing.assert_allclose(fn(x, pool, strides, pads),
                               naive_pool(x, pool, strides, pads, reduce), atol=1e-12)
    check_grad(lambda x: fn(x, pool, strides, pads), x)


def test_max_pool_gradient_goes_to_the_first_maximum():
    x = np.zeros((1, 2, 2, 1), np.float32)
    g = autograd.grad(lambda x: anp.sum(PP.max_pool(x, (2, 2), (2, 2), ((0, 0), (0, 0)))))(x)
    np.testing.assert_array_equal(g[0, :, :, 0], [[1, 0], [0, 0]])
    x = np.array([[1, 3, 3, 0], [3, 2, 3, 1]], np.float32).reshape(1, 2, 4, 1)
    g = autograd.grad(lambda x: anp.sum(PP.max_pool(x, (2, 2), (1, 2), ((0, 0), (0, 0)))))(x)
    np.testing.assert_array_equal(g[0, :, :, 0], [[0, 1, 1, 0], [0, 0, 0, 0]])


def test_overlapping_windows_accumulate_gradients():
    x = np.arange(5, dtype=np.float64).reshape(1, 5, 1)
    g = autograd.grad(lambda x: anp.sum(PP.max_pool(x, (3,), (1,), ((0, 0),))))(x)
    np.testing.assert_array_equal(g[0, :, 0], [0, 0, 1, 1, 1])
    g = autograd.grad(lambda x: anp.sum(PP.avg_pool(x, (3,), (1,), ((0, 0),))))(x)
    np.testing.assert_allclose(g[0, :, 0], [1 / 3, 2 / 3, 1, 2 / 3, 1 / 3])


def test_reduce_max_splits_ties_like_tensorflow():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    g = autograd.grad(lambda x: anp.sum(PP.reduce_max(x, (1,))))(x)
    np.testing.assert_allclose(g, [[0, 0.5, 0.5], [1, 0, 0]])
    check_grad(lambda x: PP.reduce_max(x, (1, 2), True), RNG.standard_normal((2, 3, 4, 2)))


def test_float32_stays_float32():
    x = RNG.standard_normal((2, 6, 6, 3)).astype(np.float32)
    for fn in (PP.max_pool, PP.avg_pool):
        y = fn(x, (2, 2), (2, 2), ((0, 0), (0, 0)))
        g = autograd.grad(lambda x: anp.sum(fn(x, (3, 3), (2, 2), ((1, 1), (1, 1)))))(x)
        assert y.dtype == np.float32 and g.dtype == np.float32


def _pool_by_slices(x, pool, strides, pads, reduce):
    """Pooling from differentiable autograd.numpy slices (the reference)."""
    if reduce == "max":
        xp = anp.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), mode="constant",
                     constant_values=-1e9)
    else:
        xp = anp.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),), mode="constant")
    out = [(n - k) // s + 1 for n, k, s in zip(xp.shape[1:-1], pool, strides)]
    views = [xp[(slice(None),) + tuple(slice(o, o + s * (n - 1) + 1, s)
                                       for o, s, n in zip(offs, strides, out))]
             for offs in itertools.product(*(range(k) for k in pool))]
    stacked = anp.stack(views)
    if reduce == "max":
        return anp.max(stacked, axis=0)
    counts = PP._window_counts(x.shape[1:-1], pool, strides, pads, x.dtype)
    return anp.sum(stacked, axis=0) / counts


@pytest.mark.parametrize("shape,pool,strides,padding", [
    ((2, 6, 6, 2), (2, 2), (2, 2), "valid"), ((2, 7, 6, 2), (3, 2), (1, 2), "valid"),
    ((2, 7, 7, 2), (3, 3), (2, 2), "same"), ((2, 9, 3), (3,), (2,), "same")])
@pytest.mark.parametrize("reduce", ["max", "avg"])
def test_pooling_second_derivatives(shape, pool, strides, padding, reduce):
    # A gradient penalty differentiates the input gradient again, so the VJP must
    # be differentiable in the incoming gradient (here through the weights `v`).
    x = RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.05
    pads = PP.pool_pads(shape[1:-1], pool, strides, padding)
    fn = PP.max_pool if reduce == "max" else PP.avg_pool
    v = RNG.standard_normal(np.shape(fn(x, pool, strides, pads)))

    def penalty(pool_fn):
        def f(x, v):
            gx = autograd.grad(lambda x: anp.sum(anp.tanh(pool_fn(x) * v)))(x)
            return anp.sum(gx ** 2)
        return f

    ours = penalty(lambda x: fn(x, pool, strides, pads))
    ref = penalty(lambda x: _pool_by_slices(x, pool, strides, pads, reduce))
    for argnum in range(2):
        np.testing.assert_allclose(autograd.grad(ours, argnum)(x, v),
                                   autograd.grad(ref, argnum)(x, v), rtol=1e-6, atol=1e-10)


def test_reduce_max_second_derivative():
    x = RNG.permutation(24).reshape(2, 3, 4) * 0.1
    v = RNG.standard_normal((2, 4))

    def penalty(max_fn):
        def f(x, v):
            gx = autograd.grad(lambda x: anp.sum(anp.tanh(max_fn(x) * v)))(x)
            return anp.sum(gx ** 2)
        return f

    ours = penalty(lambda x: PP.reduce_max(x, (1,)))
    ref = penalty(lambda x: anp.max(x, axis=1))
    for argnum in range(2):
        np.testing.assert_allclose(autograd.grad(ours, argnum)(x, v),
                                   autograd.grad(ref, argnum)(x, v), rtol=1e-6, atol=1e-10)
