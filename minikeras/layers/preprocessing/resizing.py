"""`Resizing`: resize images to a fixed height and width."""
from minikeras.ops import image as image_ops_api
from minikeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer


class Resizing(BaseImagePreprocessingLayer):
    """A preprocessing layer which resizes images.

    Resizes a batch of images (or one image) to `(height, width)`, the way
    `tf.image.resize` does (half-pixel centers), through `keras.ops.image.resize`.

    Args:
        height: int, the height of the output shape.
        width: int, the width of the output shape.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"area"`,
            `"lanczos3"` or `"lanczos5"`.
        crop_to_aspect_ratio: if True, crop the largest centered window with the
            target aspect ratio before resizing, so the image is not distorted.
        pad_to_aspect_ratio: if True, pad with `fill_value` to the target aspect
            ratio before resizing.
        fill_mode: only `"constant"` is supported (padding value `fill_value`).
        fill_value: float, the padding value with `pad_to_aspect_ratio`.
        antialias: whether to widen the filter when downsampling.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        if fill_mode != "constant":
            raise ValueError("Invalid value for argument `fill_mode`. Only `'constant'` is "
                             f"supported. Received: fill_mode={fill_mode}")
        if interpolation not in image_ops_api.RESIZE_INTERPOLATIONS:
            raise ValueError(
                "Invalid value for argument `interpolation`. Expected one of "
                f"{image_ops_api.RESIZE_INTERPOLATIONS}. Received: interpolation={interpolation}")

    def call(self, data, training=True):
        x, single = self._as_batch(data)
        y = image_ops_api.resize(
            x, (self.height, self.width), self.interpolation, antialias=self.antialias,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_value=self.fill_value,
            data_format="channels_last")
        return self._restore(y, single)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = self._hw_axes(len(shape))
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "height": self.height, "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio,
            "fill_mode": self.fill_mode, "fill_value": self.fill_value,
            "antialias": self.antialias,
        })
        return config
