"""`Equalization`: histogram equalization of each channel (in training)."""
import numpy as np

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer


class Equalization(BaseAugmentationLayer):
    """Preprocessing layer for histogram equalization on image channels.

    Per channel, over the whole batch (as Keras 3 computes it), values on
    the `[0, 255]` scale are binned into `bins` bins; the cumulative
    histogram gives each bin its new value `round((cdf - cdf_min) * 255 /
    (n - cdf_min))`. A channel with a single used bin is left unchanged.
    Applied in training only, like Keras 3; not differentiable.

    Args:
        value_range: the `(min, max)` range of the images.
        bins: number of histogram bins (default 256).
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = bins
        self.value_range = sorted(value_range)

    @staticmethod
    def _scale(values, source, target):
        scale = (target[1] - target[0]) / (source[1] - source[0])
        return values * np.float32(scale) + np.float32(target[0] - source[0] * scale)

    def _equalize_channel(self, channel):
        vr = self.value_range
        channel = self._scale(channel, vr, (0, 255)).astype(np.float32)
        scaled = channel * np.float32(self.bins - 1) / np.float32(255)
        indices = np.clip(scaled.astype(np.int32), 0, self.bins - 1)
        hist = np.bincount(indices.reshape(-1), minlength=self.bins)
        if np.count_nonzero(hist) <= 1:
            equalized = channel
        else:
            cdf = np.cumsum(hist)
            cdf_min = cdf[np.nonzero(cdf)[0][0]]
            denominator = cdf[-1] - cdf_min
            if denominator == 0:
                denominator = 1
            table = np.clip(np.round((cdf - cdf_min) * 255 / denominator), 0, 255)
            idx = np.clip(channel / np.float32(255.0) * np.float32(self.bins - 1), 0,
                          self.bins - 1).astype(np.int32)
            equalized = table[idx].astype(np.float32)
        return self._scale(equalized, (0, 255), vr).astype(np.float32)

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        from autograd.tracer import getval
        x = np.asarray(getval(images))
        axis = -3 if self.data_format == "channels_first" else -1
        channels = [self._equalize_channel(np.take(x, i, axis=axis))
                    for i in range(x.shape[axis])]
        return np.stack(channels, axis=axis).astype(self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"bins": self.bins, "value_range": self.value_range})
        return config
