"""`Cropping2D`: cropping of 2D input (e.g. picture)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.layers.reshaping.base_padding_cropping import per_axis_pairs, spatial_offset
from minikeras.ops.core import _v


class Cropping2D(Layer):
    """Cropping layer for 2D input (e.g. picture).

    Trims units off the start and end of the height and width axes.

    Args:
        cropping: int, tuple of 2 ints (symmetric crops), or tuple of 2 tuples of 2
            ints `((top_crop, bottom_crop), (left_crop, right_crop))`.
        data_format: `"channels_last"` (inputs `(batch, rows, cols, channels)`) or
            `"channels_first"` (inputs `(batch, channels, rows, cols)`).

    Example:

    >>> keras.layers.Cropping2D(cropping=((2, 2), (4, 4)))(np.ones((2, 28, 28, 3))).shape
    (2, 24, 20, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = per_axis_pairs(cropping, 2, "cropping")
        self.input_spec = InputSpec(ndim=4)
        self.built = True

    def _check(self, shape):
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate(self.cropping):
            n = shape[off + i]
            if n is not None and lo + hi >= n:
                raise ValueError(
                    f"Layer '{self.name}' (Cropping2D): values in `cropping` should be "
                    "smaller than the corresponding spatial dimension of the input. "
                    f"Received: input_shape={tuple(shape)}, cropping={self.cropping}")

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        out = list(input_shape)
        off = spatial_offset(self.data_format)
        for i, (lo, hi) in enumerate(self.cropping):
            if out[off + i] is not None:
                out[off + i] -= lo + hi
        return tuple(out)

    def call(self, inputs):
        x = _v(inputs)
        self._check(x.shape)
        off = spatial_offset(self.data_format)
        index = [slice(None)] * len(x.shape)
        for i, (lo, hi) in enumerate(self.cropping):
            index[off + i] = slice(lo, x.shape[off + i] - hi)
        return x[tuple(index)]

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping
        config["data_format"] = self.data_format
        return config
