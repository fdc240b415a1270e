"""`CenterCrop`: crop the central `height x width` window."""
from minikeras.ops import image as image_ops_api
from minikeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class CenterCrop(BaseImagePreprocessingLayer):
    """A preprocessing layer which crops images.

    Returns the central `(height, width)` window of each image. If an input
    is smaller than the target in either dimension, the image is instead
    cropped to the target aspect ratio and resized bilinearly (Keras'
    `smart_resize`).

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def call(self, data, training=True):
        x, single = self._as_batch(data)
        h, w = x.shape[1:3]
        dh, dw = h - self.height, w - self.width
        if dh >= 0 and dw >= 0:
            y = x[:, dh // 2:dh // 2 + self.height, dw // 2:dw // 2 + self.width, :]
        else:
            y = image_ops_api.resize(x, (self.height, self.width), "bilinear",
                                     crop_to_aspect_ratio=True, data_format="channels_last")
        return self._restore(y, single)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self._hw_axes(len(shape))
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
