"""Shape and dtype checks shared by the initializers."""
import numpy as np

from minikeras.backend.common import standardize_dtype


def standardize_shape(shape):
    """`shape` as a tuple of non-negative ints, or a clear ValueError."""
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ValueError(
            f"Expected `shape` to be a tuple or list of integers. Received: shape={shape}")
    out = []
    for d in shape:
        if d is None or not isinstance(d, (int, np.integer)) or isinstance(d, bool) or d < 0:
            raise ValueError(
                "Cannot initialize a tensor of undefined or invalid shape: every "
                f"dimension must be a non-negative integer. Received: shape={shape}")
        out.append(int(d))
    return tuple(out)


def float_dtype(dtype, name):
    """Resolve `dtype` (None -> floatx) and require a float type."""
    dtype = standardize_dtype(dtype)
    if not np.issubdtype(np.dtype(dtype), np.floating):
        raise ValueError(
            f"{name} only supports floating point dtypes. Received: dtype={dtype}")
    return dtype
