"""`Rescaling`: `inputs * scale + offset`."""
import numpy as np

from minikeras.backend.config import image_data_format
from minikeras.layers.layer import Layer
from minikeras.ops.core import _t


class Rescaling(Layer):
    """A preprocessing layer which rescales input values to a new range.

    Multiplies inputs by `scale` and adds `offset`: `Rescaling(1. / 255)`
    maps `[0, 255]` to `[0, 1]`; `Rescaling(1. / 127.5, offset=-1)` maps it
    to `[-1, 1]`. Integer inputs are cast to the layer's float dtype.

    Args:
        scale: float (or per-channel list/array), the scale to apply.
        offset: float (or per-channel list/array), the offset to apply.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def __call__(self, inputs, **kwargs):
        return super().__call__(inputs, **kwargs)

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = np.asarray(self.scale, dtype=dtype)
        offset = np.asarray(self.offset, dtype=dtype)
        if scale.ndim > 0 and image_data_format() == "channels_first":
            scale = scale.reshape(scale.shape + (1,) * (3 - scale.ndim))
        x = _t(inputs)
        if x.dtype != np.dtype(dtype):
            x = x.astype(dtype)
        return x * scale + offset

    def compute_output_shape(self, input_shape):
        return input_shape

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return super().from_config(config)

    def get_config(self):
        config = super().get_config()
        scale, offset = self.scale, self.offset
        config.update({
            "scale": scale.tolist() if isinstance(scale, np.ndarray) else scale,
            "offset": offset.tolist() if isinstance(offset, np.ndarray) else offset,
        })
        return config
