"""`BaseAugmentationLayer`: Keras 3's transformation protocol for image layers.

A layer draws its random parameters once per call with
`get_random_transformation(data, training=True, seed=None)` (a dict of
numpy arrays, or None) and applies them with
`transform_images(images, transformation, training=True)`,
`transform_labels(...)` and `transform_segmentation_masks(...)`; `call`
accepts either an image batch (or one image) or a dict with `"images"`
and optionally `"labels"`, `"segmentation_masks"` and `"bounding_boxes"`.
These are the public hooks of Keras 3.15, so a transformation drawn here
(or built by hand) can be applied deterministically.

`transform_images` takes a batch `(batch, height, width, channels)` in the
layer's `data_format` (channels first too) and returns one in the same
layout; images are cast to the layer's float dtype. `seed` may be an int,
a `SeedGenerator` or a numpy `Generator`; by default the layer's own seed
generator is used.
"""
import numpy as np
from autograd.tracer import getval, isbox

from minikeras.backend.random import SeedGenerator, global_rng, rng_from_seed
from minikeras.layers.convolutional.arg_utils import to_channels_first, to_channels_last
from minikeras.layers.preprocessing.base_image_layer import BaseImagePreprocessingLayer
from minikeras.ops.core import _v

VALUE_RANGE_ERROR = "The `value_range` argument should be a list of two numbers. "


class BaseAugmentationLayer(BaseImagePreprocessingLayer):
    """Base class of the augmentation layers that follow Keras 3's protocol.

    Args:
        bounding_box_format: format of `data["bounding_boxes"]` (only for
            the layers that transform boxes).
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, bounding_box_format=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bounding_box_format = bounding_box_format

    # ----- helpers ------------------------------------------------------------------------
    def _make_seed_generator(self, seed):
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        # Keras' name for the same object
        self.generator = self.seed_generator

    def _rng(self, seed=None):
        if seed is None:
            gen = getattr(self, "seed_generator", None)
            return gen.rng if gen is not None else global_rng()
        return rng_from_seed(seed)

    def _cast(self, images):
        x = _v(images)
        if isbox(x):
            return x
        x = np.asarray(x)
        if x.dtype != np.dtype(self.compute_dtype):
            x = x.astype(self.compute_dtype)
        return x

    def _cl(self, images):
        """A batch in the layer's layout -> channels last."""
        return to_channels_last(images, self.data_format)

    def _from_cl(self, images):
        return to_channels_first(images, self.data_format)

    def _images_of(self, data):
        return data["images"] if isinstance(data, dict) else data

    def _batch_size(self, data):
        shape = np.shape(getval(_v(self._images_of(data))))
        if len(shape) == 3:
            return 1
        if len(shape) == 4:
            return shape[0]
        raise ValueError(f"Expected the input image to be rank 3 or 4. Received "
                         f"inputs.shape={shape}")

    def _hw(self, data):
        shape = np.shape(getval(_v(self._images_of(data))))
        if self.data_format == "channels_first":
            return shape[-2], shape[-1]
        return shape[-3], shape[-2]

    def _is_batched(self, images):
        nd = np.ndim(getval(images))
        if nd == 3:
            return False
        if nd == 4:
            return True
        raise ValueError("Expected image tensor to have rank 3 (single image) or 4 (batch of "
                         f"images). Received: data.shape={np.shape(getval(images))}")

    @staticmethod
    def _set_value_range_sorted(value_range):
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError(VALUE_RANGE_ERROR + f"Received: value_range={value_range}")
        return sorted(value_range)

    def _transform_value_range(self, images, original_range, target_range):
        """Map values linearly from `original_range` to `target_range`."""
        if original_range[0] == target_range[0] and original_range[1] == target_range[1]:
            return images
        dt = np.dtype(self.compute_dtype)
        o_min, o_max = (np.asarray(v, dt) for v in original_range)
        t_min, t_max = (np.asarray(v, dt) for v in target_range)
        images = (images - o_min) / (o_max - o_min)
        return images * (t_max - t_min) + t_min

    # ----- Keras 3's protocol -----------------------------------------------------------------
    def get_random_transformation(self, data, training=True, seed=None):
        """The random parameters of one call (None: nothing to draw)."""
        return None

    def transform_images(self, images, transformation, training=True):
        raise NotImplementedError(f"{type(self).__name__} does not implement transform_images.")

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        raise NotImplementedError(
            f"{type(self).__name__} does not transform bounding boxes in minikeras.")

    def _single(self, fn, x, transformation, training):
        return fn(x[None], transformation, training=training)[0]

    def call(self, data, training=True):
        if isinstance(data, dict):
            data = dict(data)
            data["images"] = self._cast(data["images"])
            batched = self._is_batched(data["images"])
            transformation = self.get_random_transformation(data, training=training)
            if batched:
                data["images"] = self.transform_images(data["images"], transformation,
                                                       training=training)
            else:
                data["images"] = self._single(self.transform_images, data["images"],
                                              transformation, training)
            if "bounding_boxes" in data:
                if not self.bounding_box_format:
                    raise ValueError(
                        "You passed an input with a 'bounding_boxes' key, but you didn't "
                        "specify a bounding box format. Pass a `bounding_box_format` argument "
                        f"to your {type(self).__name__} layer, e.g. "
                        "`bounding_box_format='xyxy'`.")
                boxes = {k: np.asarray(v) for k, v in data["bounding_boxes"].items()}
                if not batched:
                    boxes = {k: v[None] if k in ("boxes", "labels") else v
                             for k, v in boxes.items()}
                boxes = self.transform_bounding_boxes(boxes, transformation, training=training)
                if not batched:
                    boxes = {k: v[0] if k in ("boxes", "labels") else v
                             for k, v in boxes.items()}
                data["bounding_boxes"] = boxes
            if "labels" in data:
                labels = np.asarray(getval(_v(data["labels"])))
                if batched:
                    data["labels"] = self.transform_labels(labels, transformation,
                                                           training=training)
                else:
                    data["labels"] = self._single(self.transform_labels, labels,
                                                  transformation, training)
            if "segmentation_masks" in data:
                masks = self._cast(data["segmentation_masks"])
                if batched:
                    data["segmentation_masks"] = self.transform_segmentation_masks(
                        masks, transformation, training=training)
                else:
                    data["segmentation_masks"] = self._single(
                        self.transform_segmentation_masks, masks, transformation, training)
            return data
        images = self._cast(data)
        batched = self._is_batched(images)
        transformation = self.get_random_transformation(images, training=training)
        if batched:
            return self.transform_images(images, transformation, training=training)
        return self._single(self.transform_images, images, transformation, training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config


def uniform(rng, low, high, size, dtype="float32"):
    """`low + (high - low) * U[0, 1)`, as `keras.random.uniform`."""
    return (low + (high - low) * rng.random(size)).astype(dtype)


class WarpAugmentationLayer(BaseAugmentationLayer):
    """Base of the augmentation layers that resample pixels: subclasses
    implement `_warp(images, transformation, interpolation)`; images use the
    layer's `interpolation`, segmentation masks nearest-neighbour (so class
    ids stay ids). A `None` transformation leaves both unchanged.
    """

    def _warp(self, images, transformation, interpolation):
        raise NotImplementedError

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            images = self._warp(images, transformation, self.interpolation)
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training and transformation is not None:
            return self._warp(segmentation_masks, transformation, "nearest")
        return segmentation_masks
