"""`Cropping3D`: cropping of 3D data (e.g. spatial or spatio-temporal)."""
from minikeras.backend.config import standardize_data_format
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.reshaping.base_padding_cropping import BaseCropping, per_axis_pairs


class Cropping3D(BaseCropping):
    """Cropping layer for 3D data (e.g. spatial or spatio-temporal).

    Trims units off the start and end of the three spatial axes.

    Args:
        cropping: int, tuple of 3 ints (symmetric crops), or tuple of 3 tuples of 2
            ints `((left_dim1_crop, right_dim1_crop), ...)`.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or
            `"channels_first"` (inputs `(batch, channels, dim1, dim2, dim3)`).

    Example:

    >>> keras.layers.Cropping3D(cropping=(2, 4, 2))(np.ones((2, 28, 28, 10, 3))).shape
    (2, 24, 20, 6, 3)
    """

    _class_label = "Cropping3D"  # named in errors, also for subclasses

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format(data_format)
        self.cropping = per_axis_pairs(cropping, 3, "cropping")
        self.input_spec = InputSpec(ndim=5)
        self.built = True
