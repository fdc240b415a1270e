"""`Cropping1D`: cropping of 1D input (e.g. temporal sequence)."""
from minikeras.layers.convolutional.arg_utils import standardize_tuple
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.layers.reshaping.base_padding_cropping import spatial_offset
from minikeras.ops.core import _v


class Cropping1D(Layer):
    """Cropping layer for 1D input (e.g. temporal sequence).

    Trims units off the start and end of the time axis (axis 1).

    Args:
        cropping: int, or tuple of 2 ints `(left_crop, right_crop)`.

    Example:

    >>> keras.layers.Cropping1D(cropping=1)(np.ones((2, 3, 2))).shape
    (2, 1, 2)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.data_format = "channels_last"
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def _check(self, shape):
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate((self.cropping,)):
            n = shape[off + i]
            if n is not None and lo + hi >= n:
                raise ValueError(
                    f"Layer '{self.name}' (Cropping1D): values in `cropping` should be "
                    "smaller than the corresponding spatial dimension of the input. "
                    f"Received: input_shape={tuple(shape)}, cropping={self.cropping}")

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        out = list(input_shape)
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate((self.cropping,)):
            if out[off + i] is not None:
                out[off + i] -= lo + hi
        return tuple(out)

    def call(self, inputs):
        x = _v(inputs)
        self._check(x.shape)
        off = spatial_offset(self.data_format)
        index = [slice(None)] * len(x.shape)
        for i, (lo, hi) in enumerate((self.cropping,)):
            index[off + i] = slice(lo, x.shape[off + i] - hi)
        return x[tuple(index)]

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping
        return config
