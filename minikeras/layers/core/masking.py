"""`Masking`: masks time steps whose features all equal `mask_value`."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class Masking(Layer):
    """Masks a sequence by using a mask value to skip timesteps.

    A time step is masked when all its features equal `mask_value`; its
    features are set to 0 and the mask (`any(inputs != mask_value, -1)`) is
    passed on to mask-aware downstream layers (RNNs) by Sequential and
    Functional models.

    Args:
        mask_value: the value marking steps to skip (default 0.0).

    Example:

    ```python
    model = keras.Sequential([keras.Input((10, 8)),
                              keras.layers.Masking(mask_value=0.0),
                              keras.layers.LSTM(32)])
    ```
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, dict) and mask_value.get("config", None):
            from minikeras.saving.serialization import deserialize_keras_object
            mask_value = deserialize_keras_object(mask_value)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return np.any(np.asarray(getval(inputs)) != self.mask_value, axis=-1)

    def call(self, inputs):
        inputs = _v(inputs)
        keep = np.any(np.asarray(getval(inputs)) != self.mask_value, axis=-1, keepdims=True)
        return anp.where(keep, inputs, 0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
