"""keras.mixed_precision: dtype policies (float policies only) and LossScaleOptimizer.

numpy has no fast half-precision matmul on the CPU, so mixed policies such as
`"mixed_float16"` raise NotImplementedError with a clear message.
"""
from minikeras.backend.dtype_policy import (  # noqa: F401
    DTypePolicy, dtype_policy, set_dtype_policy)
from minikeras.optimizers.loss_scale_optimizer import LossScaleOptimizer  # noqa: F401

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy
