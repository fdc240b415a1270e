"""`InputSpec`: what a layer accepts (rank, axis sizes), checked on every call."""
import numpy as np


class InputSpec:
    """Specifies the rank, dtype and shape of every input to a layer.

    Args:
        dtype: expected dtype, or None.
        shape: expected shape tuple (None entries match anything).
        ndim, max_ndim, min_ndim: rank constraints.
        axes: dict mapping axis index to the required size.
        allow_last_axis_squeeze: accept a trailing axis of 1 less or more.
        name: the input's name, for error messages.
        optional: the input may be None.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            top = self.ndim if self.ndim is not None else self.max_ndim
            if max(self.axes) >= top:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum "
                                 f"allowed value: {top - 1}")

    def __repr__(self):
        fields = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape),
                  ("ndim", self.ndim), ("max_ndim", self.max_ndim),
                  ("min_ndim", self.min_ndim), ("axes", self.axes or None)) if v is not None]
        return f"InputSpec({', '.join(fields)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def assert_input_compatibility(specs, inputs, layer_name):
    """Raise ValueError naming the layer and both shapes on a mismatch."""
    if specs is None:
        return
    specs = specs if isinstance(specs, (list, tuple)) else [specs]
    flat = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    if len(specs) > 1 and len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
            f"{len(flat)} input tensors.")
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or (x is None and spec.optional):
            continue
        shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
        problem = _mismatch(spec, shape)
        if problem:
            raise ValueError(f'Input {i} of layer "{layer_name}" is incompatible with the '
                             f"layer: {problem}")


def _mismatch(spec, shape):
    """What is wrong with `shape` for `spec`, or None (checked on every call)."""
    rank = len(shape)
    if spec.ndim is not None and not spec.allow_last_axis_squeeze and rank != spec.ndim:
        return (f"expected ndim={spec.ndim}, found ndim={rank}. "
                f"Full shape received: {_fmt(shape)}")
    if spec.max_ndim is not None and rank > spec.max_ndim:
        return (f"expected max_ndim={spec.max_ndim}, found ndim={rank}. "
                f"Full shape received: {_fmt(shape)}")
    if spec.min_ndim is not None and rank < spec.min_ndim:
        return (f"expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                f"Full shape received: {_fmt(shape)}")
    for axis, value in spec.axes.items():
        if value is None:
            continue
        try:
            got = shape[axis]
        except IndexError:
            got = None
        if got is not None and got != value:
            return (f"expected axis {axis} of input shape to have value {value}, "
                    f"but received input with shape {_fmt(shape)}")
    if spec.shape is not None and rank == len(spec.shape):
        for want, got in zip(spec.shape, shape):
            if want is not None and got is not None and want != got:
                return f"expected shape={_fmt(spec.shape)}, found shape={_fmt(shape)}"
    return None


def _fmt(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
