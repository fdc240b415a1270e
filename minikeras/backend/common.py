"""Dtype helpers and name uniquification shared by the whole package."""
import re
import numpy as np

from minikeras.backend import config

_UIDS = {}


def get_uid(prefix=""):
    """Return a per-prefix counter: 1 the first time, then 2, 3, ..."""
    _UIDS[prefix] = _UIDS.get(prefix, 0) + 1
    return _UIDS[prefix]


def reset_uids():
    _UIDS.clear()


def to_snake_case(name):
    """Keras's rule: `Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def unique_name(prefix):
    """Keras naming: `dense`, `dense_1`, `dense_2`, ..."""
    n = get_uid(prefix)
    return prefix if n == 1 else f"{prefix}_{n - 1}"


def check_name(name):
    """`name` if it is a valid layer/variable name (a string without `/`,
    which separates the parts of a variable's path); else Keras's ValueError."""
    if not isinstance(name, str) or "/" in name:
        raise ValueError("Argument `name` must be a string and cannot contain character "
                         f"`/`. Received: name={name} (of type {type(name)})")
    return name


# Keras's PYTHON_DTYPES_MAP with the TensorFlow backend: Python's `float` is float32 (not
# numpy's float64), `int` and "int" are int64 (numpy's `int` is int32 on some platforms).
_PYTHON_DTYPES = {float: "float32", int: "int64", bool: "bool"}
_DTYPE_ALIASES = {"float": "float32", "int": "int64", "double": "float64",
                  "half": "float16", "bool": "bool", "uint8": "uint8"}


_DTYPE_CACHE = {}


def standardize_dtype(dtype):
    """Return the canonical string name of `dtype` (`None` means floatx)."""
    if dtype is None:
        return config.floatx()
    try:
        return _DTYPE_CACHE[dtype]  # hot path: called on every op that casts
    except (KeyError, TypeError):
        pass
    name = _standardize_dtype(dtype)
    try:
        _DTYPE_CACHE[dtype] = name
    except TypeError:
        pass
    return name


def _standardize_dtype(dtype):
    if dtype is str or dtype == "string":
        # Keras's string tensors; their data are numpy arrays of `str`
        # (dtype object or unicode), which the preprocessing layers take.
        return "string"
    if dtype is float or dtype is int or dtype is bool:  # by identity: np.dtype("float64") == float
        return _PYTHON_DTYPES[dtype]
    if hasattr(dtype, "name") and not isinstance(dtype, str):
        dtype = dtype.name
    elif not isinstance(dtype, str):
        dtype = np.dtype(dtype).name
    dtype = _DTYPE_ALIASES.get(dtype, dtype)
    try:
        return np.dtype(dtype).name
    except TypeError:
        raise ValueError(f"Invalid dtype: {dtype}")


def is_float_dtype(dtype):
    return standardize_dtype(dtype).startswith(("float", "bfloat"))


def is_int_dtype(dtype):
    return standardize_dtype(dtype).startswith(("int", "uint"))


def result_type(*dtypes):
    """Keras's dtype promotion: bool < ints < floats; an int meeting a float takes
    the float's type (int32 + float32 is float32); within a kind, numpy's rule."""
    if not dtypes:
        return config.floatx()
    dts = [np.dtype(standardize_dtype(d)) for d in dtypes]
    floats = [d for d in dts if d.kind in "fc"]
    if floats:
        return np.result_type(*floats).name
    ints = [d for d in dts if d.kind in "iu"]
    if ints:
        return np.result_type(*ints).name
    return "bool"
