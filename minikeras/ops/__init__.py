"""keras.ops: numpy-style and neural-network ops, all differentiable."""
from minikeras.ops.core import (
    cast, cond, convert_to_numpy, convert_to_tensor, dtype, fori_loop, is_tensor,
    shape, stop_gradient, while_loop)
from minikeras.ops.numpy import *  # noqa: F401,F403
from minikeras.ops.numpy import abs, all, any, max, min, round, sum  # noqa: F401  (shadow builtins on purpose)
from minikeras.ops.nn import *  # noqa: F401,F403
from minikeras.ops import nn, numpy  # noqa: F401
