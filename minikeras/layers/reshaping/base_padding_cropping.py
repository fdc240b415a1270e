"""Shared helpers and base classes of the ZeroPadding and Cropping layers."""
from minikeras.layers.convolutional.arg_utils import standardize_tuple
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v
from minikeras.ops.numpy import pad


def per_axis_pairs(value, rank, name):
    """int, tuple of `rank` ints, or tuple of `rank` pairs -> `rank` pairs."""
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value),) * rank
    if hasattr(value, "__len__"):
        if len(value) != rank:
            raise ValueError(f"`{name}` should have {rank} elements. Received: "
                             f"{name}={value}.")
        ordinals = ("1st", "2nd", "3rd")
        return tuple(standardize_tuple(v, 2, f"{ordinals[i]} entry of {name}", allow_zero=True)
                     for i, v in enumerate(value))
    raise ValueError(
        f"`{name}` should be either an int, a tuple of {rank} ints, or a tuple of {rank} "
        f"tuples of 2 ints. Received: {name}={value}.")


def spatial_offset(data_format):
    return 2 if data_format == "channels_first" else 1


class BaseZeroPadding(Layer):
    """Shape logic and call of `ZeroPadding1D/2D/3D`.

    Subclasses set `padding` (one `(lo, hi)` pair per spatial axis, as
    `_pairs()` returns them) and `data_format` in their own `__init__`, whose
    signatures differ as Keras's do.
    """

    def _pairs(self):
        return tuple(self.padding)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate(self._pairs()):
            if out[off + i] is not None:
                out[off + i] += lo + hi
        return tuple(out)

    def call(self, inputs):
        pairs = self._pairs()
        if self.data_format == "channels_first":
            widths = ((0, 0), (0, 0)) + pairs
        else:
            widths = ((0, 0),) + pairs + ((0, 0),)
        return pad(_v(inputs), widths)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config


class BaseCropping(Layer):
    """Shape checks and call of `Cropping1D/2D/3D`.

    Subclasses set `cropping` (one `(lo, hi)` pair per spatial axis, as
    `_pairs()` returns them) and `data_format` in their own `__init__`.
    """

    def _pairs(self):
        return tuple(self.cropping)

    def _check(self, shape):
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate(self._pairs()):
            n = shape[off + i]
            if n is not None and lo + hi >= n:
                raise ValueError(
                    f"Layer '{self.name}' ({self._class_label}): values in `cropping` should be "
                    "smaller than the corresponding spatial dimension of the input. "
                    f"Received: input_shape={tuple(shape)}, cropping={self.cropping}")

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        out = list(input_shape)
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate(self._pairs()):
            if out[off + i] is not None:
                out[off + i] -= lo + hi
        return tuple(out)

    def call(self, inputs):
        x = _v(inputs)
        self._check(x.shape)
        off = spatial_offset(self.data_format)
        index = [slice(None)] * len(x.shape)
        for i, (lo, hi) in enumerate(self._pairs()):
            index[off + i] = slice(lo, x.shape[off + i] - hi)
        return x[tuple(index)]

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping
        config["data_format"] = self.data_format
        return config
