"""Adaptive pooling layers: pool any spatial size into a fixed `output_size`.

Binning (Keras 3.15, the same as PyTorch's): along an axis of length `n`
pooled to `out` cells, cell `i` covers `[floor(i * n / out),
ceil((i + 1) * n / out))`. The windows have `ceil(n / out)` or one more
elements; they overlap when `out` does not divide `n`, and repeat elements
when `out > n`. Keras's TensorFlow kernel pools with both window sizes and
gathers; the windows are the same.
"""
from minikeras.backend import config
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops import nn_conv
from minikeras.ops.core import _v


_SIZE_WORDS = {1: "tuple of 1 integer", 2: "(height, width) tuple",
               3: "(depth, height, width) tuple"}


def _size_tuple(output_size, rank):
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        return (output_size,) * rank
    if rank == 1 and isinstance(output_size, (tuple, list)):
        if len(output_size) != 1:
            raise ValueError(
                f"For 1D input, `output_size` tuple must have length 1. Received: {output_size}")
        return tuple(output_size)
    if isinstance(output_size, (tuple, list)) and len(output_size) == rank:
        return tuple(output_size)
    raise TypeError(
        f"`output_size` must be an integer or {_SIZE_WORDS[rank]}. Received: {output_size} of "
        f"type {type(output_size)}")


class BaseAdaptivePooling(Layer):
    """Shared machinery of the adaptive pooling layers.

    Args:
        output_size: the spatial output size as a tuple.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _rank = None
    _kind = None  # "average" or "max"

    def __init__(self, output_size, data_format=None, **kwargs):
        output_size = _size_tuple(output_size, self._rank)
        super().__init__(**kwargs)
        for s in output_size:
            if isinstance(s, bool) or not isinstance(s, int) or s <= 0:
                raise ValueError(
                    f"`output_size` entries must be positive integers. Received: "
                    f"output_size={output_size}")
        self.output_size = output_size
        self.data_format = data_format or config.image_data_format()
        if self.data_format not in ("channels_first", "channels_last"):
            raise ValueError(
                f"Invalid data_format: {self.data_format}. Expected 'channels_first' or "
                "'channels_last'.")
        self.input_spec = InputSpec(ndim=self._rank + 2)
        self.built = True

    def call(self, inputs):
        pool = (nn_conv.adaptive_average_pool if self._kind == "average"
                else nn_conv.adaptive_max_pool)
        return pool(_v(inputs), output_size=self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        cfg = super().get_config()
        cfg.update({"output_size": self.output_size, "data_format": self.data_format})
        return cfg


class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Adaptive average pooling for 1D temporal data.

    Pools the input so that its spatial output size is `output_size`,
    whatever the input size; the windows follow from the two sizes (see the
    module docstring).

    Args:
        output_size: an integer or a tuple of 1 integer.
        data_format: `"channels_last"` (`(batch, steps, channels)`, the
            default from `keras.config.image_data_format()`) or
            `"channels_first"` (`(batch, channels, steps)`).

    Example:

    >>> x = np.random.rand(1, 10, 3).astype("float32")
    >>> keras.layers.AdaptiveAveragePooling1D(output_size=4)(x).shape
    (1, 4, 3)
    """

    _rank = 1
    _kind = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Adaptive average pooling for 2D spatial data.

    Pools the input so that its spatial output size is `output_size`,
    whatever the input size; the windows follow from the two sizes (see the
    module docstring).

    Args:
        output_size: an integer or a tuple of 2 integers.
        data_format: `"channels_last"` (`(batch, height, width, channels)`, the
            default from `keras.config.image_data_format()`) or
            `"channels_first"` (`(batch, channels, height, width)`).

    Example:

    >>> x = np.random.rand(1, 8, 8, 3).astype("float32")
    >>> keras.layers.AdaptiveAveragePooling2D(output_size=4)(x).shape
    (1, 4, 4, 3)
    """

    _rank = 2
    _kind = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Adaptive average pooling for 3D volumetric data.

    Pools the input so that its spatial output size is `output_size`,
    whatever the input size; the windows follow from the two sizes (see the
    module docstring).

    Args:
        output_size: an integer or a tuple of 3 integers.
        data_format: `"channels_last"` (`(batch, depth, height, width, channels)`, the
            default from `keras.config.image_data_format()`) or
            `"channels_first"` (`(batch, channels, depth, height, width)`).

    Example:

    >>> x = np.random.rand(1, 6, 6, 6, 3).astype("float32")
    >>> keras.layers.AdaptiveAveragePooling3D(output_size=3)(x).shape
    (1, 3, 3, 3, 3)
    """

    _rank = 3
    _kind = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Adaptive max pooling for 1D temporal data.

    Pools the input so that its spatial output size is `output_size`,
    whatever the input size; the windows follow from the two sizes (see the
    module docstring).

    Args:
        output_size: an integer or a tuple of 1 integer.
        data_format: `"channels_last"` (`(batch, steps, channels)`, the
            default from `keras.config.image_data_format()`) or
            `"channels_first"` (`(batch, channels, steps)`).

    Example:

    >>> x = np.random.rand(1, 10, 3).astype("float32")
    >>> keras.layers.AdaptiveMaxPooling1D(output_size=4)(x).shape
    (1, 4, 3)
    """

    _rank = 1
    _kind = "max"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Adaptive max pooling for 2D spatial data.

    Pools the input so that its spatial output size is `output_size`,
    whatever the input size; the windows follow from the two sizes (see the
    module docstring).

    Args:
        output_size: an integer or a tuple of 2 integers.
        data_format: `"channels_last"` (`(batch, height, width, channels)`, the
            default from `keras.config.image_data_format()`) or
            `"channels_first"` (`(batch, channels, height, width)`).

    Example:

    >>> x = np.random.rand(1, 8, 8, 3).astype("float32")
    >>> keras.layers.AdaptiveMaxPooling2D(output_size=4)(x).shape
    (1, 4, 4, 3)
    """

    _rank = 2
    _kind = "max"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)


class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Adaptive max pooling for 3D volumetric data.

    Pools the input so that its spatial output size is `output_size`,
    whatever the input size; the windows follow from the two sizes (see the
    module docstring).

    Args:
        output_size: an integer or a tuple of 3 integers.
        data_format: `"channels_last"` (`(batch, depth, height, width, channels)`, the
            default from `keras.config.image_data_format()`) or
            `"channels_first"` (`(batch, channels, depth, height, width)`).

    Example:

    >>> x = np.random.rand(1, 6, 6, 6, 3).astype("float32")
    >>> keras.layers.AdaptiveMaxPooling3D(output_size=3)(x).shape
    (1, 3, 3, 3, 3)
    """

    _rank = 3
    _kind = "max"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)
