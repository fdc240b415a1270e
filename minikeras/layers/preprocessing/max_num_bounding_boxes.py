"""`MaxNumBoundingBoxes`: pad or truncate bounding boxes to a fixed number."""
import numpy as np

from minikeras.layers.preprocessing.augmentation_layer import BaseAugmentationLayer


class MaxNumBoundingBoxes(BaseAugmentationLayer):
    """Ensure the maximum number of bounding boxes.

    Called on `{"images": ..., "bounding_boxes": {"boxes": (batch, n, 4),
    "labels": (batch, n)}}`, it keeps the first `max_number` boxes and pads
    with `fill_value` up to `max_number`; images pass through. As in Keras,
    a `bounding_box_format` argument is required for inputs with boxes.

    Args:
        max_number: the number of boxes of the output.
        fill_value: the value of the padding (default -1).
    """

    def __init__(self, max_number, fill_value=-1, **kwargs):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)

    def transform_images(self, images, transformation=None, training=True):
        return images

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        boxes = np.asarray(bounding_boxes["boxes"])
        labels = np.asarray(bounding_boxes["labels"])
        pad = max(self.max_number - boxes.shape[1], 0)
        boxes = np.pad(boxes[:, :self.max_number], ((0, 0), (0, pad), (0, 0)),
                       constant_values=self.fill_value)
        labels = np.pad(labels[:, :self.max_number], ((0, 0), (0, pad)),
                        constant_values=self.fill_value)
        out = dict(bounding_boxes)
        out["boxes"], out["labels"] = boxes, labels
        return out

    def transform_segmentation_masks(self, segmentation_masks, transformation=None,
                                     training=True):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            boxes = input_shape["bounding_boxes"]
            extra = set(boxes) - {"boxes", "labels"}
            if extra:
                raise KeyError(f"There are unsupported keys in `bounding_boxes`: {list(extra)}. "
                               "Only `boxes` and `labels` are supported.")
            input_shape = dict(input_shape)
            b = list(boxes["boxes"])
            lab = list(boxes["labels"])
            b[1] = lab[1] = self.max_number
            input_shape["bounding_boxes"] = {"boxes": b, "labels": lab}
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_number": self.max_number})
        return config
