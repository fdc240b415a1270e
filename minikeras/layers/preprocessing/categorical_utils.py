"""Helpers shared by the categorical and text preprocessing layers.

* `encode_categorical`: integer indices -> `one_hot` / `multi_hot` /
  `count` arrays, as Keras' `numerical_utils.encode_categorical_inputs`
  (indices outside `[0, depth)` are dropped, a rank-1 input is one sample).
* String tensors are numpy arrays of dtype object holding Python `str`
  (bytes are decoded as UTF-8); ragged data (token lists of different
  lengths) are Python lists of lists.
"""
import numpy as np

from minikeras.backend.keras_tensor import KerasTensor

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def validate_string_arg(value, allowable, caller, arg_name, allow_none=False,
                        allow_callables=False):
    """Keras' `argument_validation.validate_string_arg`."""
    if allow_none and value is None:
        return
    if allow_callables and callable(value):
        return
    if isinstance(value, str) and value in allowable:
        return
    allowed_args = "`None`, " if allow_none else ""
    allowed_args += "a `Callable`, " if allow_callables else ""
    allowed_args += f"or one of the following values: {allowable}"
    if allow_callables:
        callable_note = (f"If restoring a model and `{arg_name}` is a custom callable, please "
                         "ensure the callable is registered as a custom object. ")
    else:
        callable_note = ""
    raise ValueError(f"Unkown value for `{arg_name}` argument of layer {caller}. "
                     f"{callable_note}Allowed values are: {allowed_args}. Received: {value}")


def _decode(v, encoding="utf-8"):
    if isinstance(v, bytes):
        return v.decode(encoding)
    if isinstance(v, np.str_):
        return str(v)
    return v


def to_string_array(data, encoding="utf-8"):
    """`data` (str, bytes, list, array) as an object array of `str`."""
    if isinstance(data, KerasTensor):
        raise TypeError("Expected concrete string data, received a symbolic KerasTensor.")
    if isinstance(data, (str, bytes)):
        return np.array(_decode(data, encoding), dtype=object)
    arr = np.asarray(data)
    if arr.dtype.kind in ("U", "S") or arr.dtype == object:
        out = np.empty(arr.shape, dtype=object)
        flat = out.reshape(-1)
        for i, v in enumerate(arr.reshape(-1).tolist()):
            v = _decode(v, encoding)
            if not isinstance(v, str):
                raise ValueError(f"Expected string inputs, received the value {v!r} "
                                 f"(of type {type(v).__name__}).")
            flat[i] = v
        return out
    raise ValueError(f"Expected string inputs (str, bytes or an array of strings), received "
                     f"an array of dtype {arr.dtype} with shape {arr.shape}.")


def is_ragged(data):
    """True for a list/tuple of rows whose lengths differ (or that are lists)."""
    if not isinstance(data, (list, tuple)) or not data:
        return False
    if not all(isinstance(r, (list, tuple, np.ndarray)) for r in data):
        return False
    return len({len(r) for r in data}) > 1


def encode_categorical(inputs, output_mode, depth, dtype, count_weights=None):
    """Keras' `encode_categorical_inputs` on integer numpy `inputs` (or ragged rows)."""
    depth = int(depth)
    if output_mode == "int":
        return np.asarray(inputs).astype(dtype)
    if isinstance(inputs, list) and is_ragged(inputs):
        return _encode_ragged(inputs, output_mode, depth, dtype, count_weights)
    x = np.asarray(inputs)
    if x.ndim == 0:
        x = x[None]
    if output_mode == "one_hot":
        if x.ndim > 1 and x.shape[-1] == 1:
            x = x.reshape(x.shape[:-1])
        return one_hot(x, depth, dtype)
    if output_mode == "multi_hot":
        oh = one_hot(x, depth, dtype)
        return np.max(oh, axis=1 if x.ndim > 1 else 0) if oh.size else \
            np.zeros(_reduced_shape(x.shape, depth), dtype=dtype)
    if output_mode == "count":
        if count_weights is not None:
            weights = np.asarray(count_weights)
            oh = one_hot(x, depth, weights.dtype) * weights[..., None]
            return np.sum(oh, axis=1 if x.ndim > 1 else 0)
        oh = one_hot(x, depth, dtype)
        return np.sum(oh, axis=1 if x.ndim > 1 else 0).astype(dtype)
    raise ValueError(f"Unknown output_mode: {output_mode}")


def _reduced_shape(shape, depth):
    if len(shape) > 1:
        return (shape[0],) + tuple(shape[2:]) + (depth,)
    return (depth,)


def one_hot(x, depth, dtype):
    """One-hot along a new last axis; out-of-range indices give a zero row."""
    x = np.asarray(x)
    flat = x.reshape(-1).astype(np.int64)
    out = np.zeros((flat.size, depth), dtype=dtype)
    valid = (flat >= 0) & (flat < depth)
    out[np.nonzero(valid)[0], flat[valid]] = 1
    return out.reshape(x.shape + (depth,))


def _encode_ragged(rows, output_mode, depth, dtype, count_weights):
    if output_mode == "one_hot":
        raise ValueError("`output_mode='one_hot'` needs inputs with one value per sample; "
                         "received rows of different lengths. Use 'multi_hot' or 'count'.")
    out = np.zeros((len(rows), depth), dtype=dtype if count_weights is None
                   else np.asarray(count_weights[0]).dtype if len(count_weights) else dtype)
    for i, row in enumerate(rows):
        idx = np.asarray(row, dtype=np.int64).reshape(-1)
        keep = (idx >= 0) & (idx < depth)
        if output_mode == "multi_hot":
            out[i, idx[keep]] = 1
        else:
            w = np.ones(idx.shape) if count_weights is None else \
                np.asarray(count_weights[i]).reshape(-1)
            np.add.at(out[i], idx[keep], w[keep].astype(out.dtype))
    return out


def listify(x):
    """Arrays as lists, for configs."""
    if isinstance(x, np.ndarray):
        return x.tolist()
    return x
