"""`RandomCrop`: crop a random `height x width` window in training."""
import numpy as np

from minikeras.backend.random import global_rng
from minikeras.ops import image as image_ops_api
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer


class RandomCrop(BaseAugmentationLayer):
    """A preprocessing layer which randomly crops images during training.

    In training, each call picks one window (the same for the whole batch,
    as in Keras) with its top-left corner uniform over the valid positions.
    At inference, and in training when an image is not larger than the
    target in both dimensions, the window starts at the corner of the
    largest centered window with the target aspect ratio (Keras' rule); an
    image smaller than the target is cropped to that aspect ratio and
    resized (bilinear) to `(height, width)`.

    Note: Keras 3.15.1 returns inference inputs unchanged (keras-team/keras
    issue #21868, a bug later fixed); minikeras applies the inference crop
    above, so the output shape is the same in training and inference.

    Args:
        height: int, the height of the output.
        width: int, the width of the output.
        seed: int, for reproducible crops.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(name=name, data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self._make_seed_generator(seed)
        if seed is None:
            # Keras stores a concrete default seed in the config
            self.seed = int(global_rng().integers(0, 2 ** 31 - 1))
        if self.data_format == "channels_first":
            self.height_axis, self.width_axis = -2, -1
        else:
            self.height_axis, self.width_axis = -3, -2

    def get_random_transformation(self, data, training=True, seed=None):
        """`(h_start, w_start)`: random in training, centered otherwise."""
        input_height, input_width = self._hw(data)
        if input_height is None or input_width is None:
            raise ValueError("RandomCrop requires the input to have a fully defined height and "
                             f"width. Received: images.shape={np.shape(self._images_of(data))}")
        if training and input_height > self.height and input_width > self.width:
            rng = self._rng(seed)
            h_start = int(np.float32(rng.random() * float(input_height - self.height + 1)))
            w_start = int(np.float32(rng.random() * float(input_width - self.width + 1)))
            return (h_start, w_start)
        crop_height = int(float(input_width * self.height) / self.width)
        crop_height = max(min(input_height, crop_height), 1)
        crop_width = int(float(input_height * self.width) / self.height)
        crop_width = max(min(input_width, crop_width), 1)
        return (int(float(input_height - crop_height) / 2),
                int(float(input_width - crop_width) / 2))

    def transform_images(self, images, transformation, training=True):
        # The transformation already says where to crop (random or centered).
        images = self._cl(self._cast(images))
        h_start, w_start = transformation
        h_start, w_start = int(h_start), int(w_start)
        images = images[:, h_start:h_start + self.height, w_start:w_start + self.width, :]
        if images.shape[1] != self.height or images.shape[2] != self.width:
            images = image_ops_api.resize(images, (self.height, self.width), "bilinear",
                                          data_format="channels_last")
        return self._from_cl(images)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def compute_output_shape(self, input_shape, *args, **kwargs):
        shape = list(input_shape)
        shape[self.height_axis] = self.height
        shape[self.width_axis] = self.width
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, "seed": self.seed,
                       "data_format": self.data_format})
        return config
