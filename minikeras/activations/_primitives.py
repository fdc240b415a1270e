"""Small autograd primitives shared by activations, regularizers and constraints.

autograd's own VJPs for `where` build float64 zeros (the gradient would come
back float64) and its `tanh` VJP uses 1/cosh^2, which overflows for large |x|
and differs from TensorFlow's `1 - tanh^2` at the float32 level. These keep
gradients in the input dtype and follow TensorFlow's conventions.
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import defvjp, primitive

from minikeras.backend import primitives as P


@primitive
def _where(cond, a, b):
    """`numpy.where` with a constant boolean `cond`, differentiable in a and b."""
    return np.where(cond, a, b)


defvjp(_where,
       None,
       lambda ans, cond, a, b: lambda g: P._unbroadcast(_where(cond, g, 0.0), anp.shape(a)),
       lambda ans, cond, a, b: lambda g: P._unbroadcast(_where(cond, 0.0, g), anp.shape(b)))


@primitive
def _tanh(x):
    return np.tanh(x)


defvjp(_tanh, lambda ans, x: lambda g: g * (1.0 - ans * ans))


@primitive
def _softplus(x):
    # log(1 + e^x) = logaddexp(0, x): no overflow, no cancellation
    return np.logaddexp(0.0, x)


defvjp(_softplus, lambda ans, x: lambda g: g * P.sigmoid(x))
