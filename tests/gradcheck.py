"""Numerical gradient checks: autograd's gradient vs float64 central differences."""
import numpy as np
import autograd

from minikeras.backend.variables import Variable
from minikeras.backend import tape


def numeric_grad(f, x, eps=1e-3):
    """Central-difference gradient of scalar `f` at float64 array `x`."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        fp = float(f(x))
        flat[i] = old - eps
        fm = float(f(x))
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * eps)
    return g


def check_grad(f, *args, argnum=0, eps=1e-3, rtol=1e-4, atol=1e-5, weights=None):
    """Assert autograd's gradient of `sum(f(*args) * weights)` matches numerics.

    Runs in float64 so that the finite differences are accurate; `weights`
    (random by default) make every output element count.
    """
    args = [np.asarray(a, dtype=np.float64) if np.asarray(a).dtype.kind == "f" else a
            for a in args]
    out = np.asarray(f(*args))
    if weights is None:
        weights = np.random.default_rng(0).standard_normal(out.shape)

    def scalar(x):
        a = list(args)
        a[argnum] = x
        import autograd.numpy as anp
        return anp.sum(f(*a) * weights)

    analytic = autograd.grad(scalar)(args[argnum])
    numeric = numeric_grad(scalar, args[argnum], eps=eps)
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol)
    return analytic
