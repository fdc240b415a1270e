"""`MixUp`: blend pairs of images (and their labels) in training."""
import numpy as np

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer


class MixUp(BaseAugmentationLayer):
    """MixUp implements the MixUp data augmentation technique.

    Each image becomes `w * image + (1 - w) * other`, where `other` is the
    image at a random permutation of the batch and `w ~ Beta(alpha, alpha)`;
    labels (passed as `{"images": ..., "labels": ...}`) are mixed with the
    same weights. Inactive at inference.

    Args:
        alpha: the Beta distribution's parameter (default 0.2).
        data_format: `"channels_last"` or `"channels_first"`.
        seed: int, for reproducible mixing.

    Example:

    >>> layer = keras.layers.MixUp(alpha=0.2, seed=1)
    >>> out = layer({"images": images, "labels": one_hot_labels}, training=True)
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self._make_seed_generator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        b = self._batch_size(data)
        rng = self._rng(seed)
        permutation = rng.permutation(b).astype(np.int64)
        weight = rng.beta(self.alpha, self.alpha, size=(b,)).astype(np.float32)
        return {"mix_weight": weight, "permutation_order": permutation}

    def transform_images(self, images, transformation=None, training=True):
        images = self._cast(images)
        if not training:
            return images
        w = np.asarray(transformation["mix_weight"], images.dtype).reshape(-1, 1, 1, 1)
        order = np.asarray(transformation["permutation_order"])
        return w * images + (np.float32(1) - w) * images[order]

    def transform_labels(self, labels, transformation, training=True):
        if not training:
            return labels
        labels = np.asarray(labels)
        w = np.asarray(transformation["mix_weight"]).reshape(-1, 1)
        order = np.asarray(transformation["permutation_order"])
        return w * labels + (1.0 - w) * labels[order]

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training:
            return segmentation_masks
        return self.transform_images(segmentation_masks, transformation, training)

    def get_config(self):
        config = super().get_config()
        config.update({"alpha": self.alpha, "seed": self.seed})
        return config
