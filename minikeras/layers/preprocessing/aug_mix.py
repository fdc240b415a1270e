"""`AugMix`: mix several random augmentation chains with the image in training."""
import numpy as np
import autograd.numpy as anp

from minikeras.layers.preprocessing.augment_steps import make_augment_layers
from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer

AUGMENT_LAYERS_ALL = ["random_shear", "random_translation", "random_rotation",
                      "random_posterization", "solarization", "auto_contrast", "equalization",
                      "random_brightness", "random_color_degeneration", "random_contrast",
                      "random_sharpness"]
AUGMENT_LAYERS = AUGMENT_LAYERS_ALL[:7]


class AugMix(BaseAugmentationLayer):
    """Performs the AugMix data augmentation technique.

    `num_chains` chains each apply up to `chain_depth` randomly chosen
    operations (each depth step picks an operation or nothing); the chains
    are averaged with Dirichlet(`alpha`) weights and mixed with the original
    image with a Beta(`alpha`, `alpha`) weight, then clipped to
    `value_range`. Inactive at inference.

    Args:
        value_range: the `(min, max)` range of the images.
        num_chains: number of augmentation chains (default 3).
        chain_depth: operations per chain (default 3).
        factor: magnitude, a float in `[0, 1]` (range `[0, factor]`) or a pair.
        alpha: parameter of the Dirichlet and Beta distributions.
        all_ops: also use brightness, color degeneration, contrast and
            sharpness (default True).
        interpolation: `"bilinear"` or `"nearest"` for the geometric operations.
        seed: int, for reproducible draws.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self._set_factor(factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self._make_seed_generator(seed)
        self._augment_layers = AUGMENT_LAYERS_ALL if all_ops else AUGMENT_LAYERS
        for name, layer in make_augment_layers(self._augment_layers, self.factor, value_range,
                                               interpolation, seed, data_format).items():
            setattr(self, name, layer)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        rng = self._rng(seed)
        gamma = rng.gamma(self.alpha, size=(self.num_chains,))
        chain_weights = (gamma / np.sum(gamma)).astype(np.float32)
        weight_sample = np.float32(rng.beta(self.alpha, self.alpha))
        choices = list(self._augment_layers) + [None]
        chains = []
        for _ in range(self.num_chains):
            steps = []
            for _ in range(self.chain_depth):
                name = choices[int(rng.integers(len(choices)))]
                if name is None:
                    continue
                steps.append({"layer_name": name,
                              "transformation": getattr(self, name).get_random_transformation(
                                  data, seed=rng)})
            chains.append(steps)
        return {"chain_mixing_weights": chain_weights, "weight_sample": weight_sample,
                "chain_transforms": chains}

    def _mix(self, images, transformation, method):
        weights = np.asarray(transformation["chain_mixing_weights"], np.float32)
        ws = np.float32(transformation["weight_sample"])
        mixed = None
        for idx, chain in enumerate(transformation["chain_transforms"]):
            x = images
            for step in chain:
                x = getattr(getattr(self, step["layer_name"]), method)(
                    x, step["transformation"])
            term = self._cast(x) * weights[idx]
            mixed = term if mixed is None else mixed + term
        if mixed is None:
            mixed = images * np.float32(0)
        return ws * images + (np.float32(1) - ws) * mixed

    def transform_images(self, images, transformation, training=True):
        images = self._cast(images)
        if training and transformation is not None:
            images = anp.clip(self._mix(images, transformation, "transform_images"),
                              self.value_range[0], self.value_range[1])
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training and transformation is not None:
            return self._mix(self._cast(segmentation_masks), transformation,
                             "transform_segmentation_masks")
        return segmentation_masks

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "num_chains": self.num_chains,
                       "chain_depth": self.chain_depth, "factor": self.factor,
                       "alpha": self.alpha, "all_ops": self.all_ops,
                       "interpolation": self.interpolation, "seed": self.seed})
        return config
