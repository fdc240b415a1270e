"""`Cropping2D`: cropping of 2D input (e.g. picture)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.reshaping.base_padding_cropping import BaseCropping, per_axis_pairs


class Cropping2D(BaseCropping):
    """Cropping layer for 2D input (e.g. picture).

    Trims units off the start and end of the height and width axes.

    Args:
        cropping: int, tuple of 2 ints (symmetric crops), or tuple of 2 tuples of 2
            ints `((top_crop, bottom_crop), (left_crop, right_crop))`.
        data_format: `"channels_last"` (inputs `(batch, rows, cols, channels)`) or
            `"channels_first"` (inputs `(batch, channels, rows, cols)`).

    Example:

    >>> keras.layers.Cropping2D(cropping=((2, 2), (4, 4)))(np.ones((2, 28, 28, 3))).shape
    (2, 24, 20, 3)
    """

    _class_label = "Cropping2D"  # named in errors, also for subclasses

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = per_axis_pairs(cropping, 2, "cropping")
        self.input_spec = InputSpec(ndim=4)
        self.built = True
