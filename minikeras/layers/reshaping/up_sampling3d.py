"""`UpSampling3D`: repeat each voxel along the three spatial axes."""
import autograd.numpy as anp

from minikeras.backend.config import standardize_data_format
from minikeras.layers.convolutional.arg_utils import standardize_tuple
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class UpSampling3D(Layer):
    """Upsampling layer for 3D inputs.

    Repeats the 1st, 2nd and 3rd spatial dimensions by `size[0]`, `size[1]`
    and `size[2]` respectively.

    Args:
        size: int or tuple of 3 ints, the upsampling factors.
        data_format: `"channels_last"` (`(batch, dim1, dim2, dim3, channels)`)
            or `"channels_first"` (`(batch, channels, dim1, dim2, dim3)`).

    Example:

    >>> keras.layers.UpSampling3D(size=2)(np.zeros((2, 1, 2, 1, 3))).shape
    (2, 2, 4, 2, 3)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.size = standardize_tuple(size, 3, "size")
        self.input_spec = InputSpec(ndim=5)
        self.built = True

    def _first_axis(self):
        return 2 if self.data_format == "channels_first" else 1

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        a = self._first_axis()
        for i in range(3):
            if out[a + i] is not None:
                out[a + i] *= self.size[i]
        return tuple(out)

    def call(self, inputs):
        x = _v(inputs)
        a = self._first_axis()
        for i in range(3):
            x = anp.repeat(x, self.size[i], axis=a + i)
        return x

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
