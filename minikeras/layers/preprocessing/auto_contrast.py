"""`AutoContrast`: stretch each image channel to the full value range."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer


class AutoContrast(BaseAugmentationLayer):
    """Performs the auto-contrast operation on an image.

    Each channel of each image is mapped linearly so that its minimum goes
    to `value_range[0]` and its maximum to `value_range[1]`; a constant
    channel is left unchanged. Deterministic, and applied at inference too
    (as in Keras).

    Args:
        value_range: the `(min, max)` range of the images.
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = self._set_value_range_sorted(value_range)

    def transform_images(self, images, transformation=None, training=True):
        original = self._cast(images)
        x = self._transform_value_range(original, self.value_range, (0, 255))
        # Keras reduces over axes (1, 2) whatever the data format
        low = anp.min(anp.min(x, axis=1, keepdims=True), axis=2, keepdims=True)
        high = anp.max(anp.max(x, axis=1, keepdims=True), axis=2, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.float32(255.0) / (high - low)
            y = x * scale + (-low * scale)
            y = anp.clip(y, 0.0, 255.0)
            y = self._transform_value_range(y, (0, 255), self.value_range)
        return anp.where(anp.isnan(y), original, y)

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range})
        return config
