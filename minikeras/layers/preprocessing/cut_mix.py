"""`CutMix`: paste a rectangle of another image (and mix labels) in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer, uniform
from minikeras.layers.preprocessing.random_erasing import _crop_bounds, box_masks


class CutMix(BaseAugmentationLayer):
    """CutMix data augmentation technique.

    With `lam ~ Beta(a, a)` (`a` uniform in the factor range, plus 1e-6), a
    rectangle of sides `sqrt(1 - lam) * (width, height)` at a uniform
    position is copied from the image at a random permutation of the batch;
    labels are mixed by the kept area fraction. Batches only; inactive at
    inference.

    Args:
        factor: a float in `[0, 1]` (range `[0, factor]`) or a pair.
        seed: int, for reproducible mixing.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = np.shape(self._images_of(data))
        if len(shape) == 3:
            return None
        b = shape[0]
        height, width = self._hw(data)
        rng = self._rng(seed)
        alpha = float(uniform(rng, self.factor[0], self.factor[1], ())) + 1e-6
        lam = rng.beta(alpha, alpha, size=(b,)).astype(np.float32)
        ratio = np.sqrt(np.float32(1) - lam)
        x0, x1 = _crop_bounds(rng, b, width, ratio)
        y0, y1 = _crop_bounds(rng, b, height, ratio)
        masks = box_masks(shape, (x0, x1, y0, y1), self.data_format)
        weight = (1.0 - (x1 - x0) * (y1 - y0) / np.float32(width * height)).astype(np.float32)
        permutation = rng.permutation(b).astype(np.int32)
        return {"permutation_order": permutation, "batch_masks": masks,
                "mix_weight": weight.reshape(-1, 1, 1, 1)}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            order = np.asarray(transformation["permutation_order"])
            images = anp.where(np.asarray(transformation["batch_masks"]), images[order], images)
        return images

    def transform_labels(self, labels, transformation, training=True):
        if training and transformation is not None:
            labels = np.asarray(labels)
            order = np.asarray(transformation["permutation_order"])
            w = np.asarray(transformation["mix_weight"]).reshape(-1, 1)
            labels = w * labels + (1.0 - w) * labels[order]
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "seed": self.seed})
        return config
