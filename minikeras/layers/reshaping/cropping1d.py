"""`Cropping1D`: cropping of 1D input (e.g. temporal sequence)."""
from minikeras.layers.convolutional.arg_utils import standardize_tuple
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.reshaping.base_padding_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Cropping layer for 1D input (e.g. temporal sequence).

    Trims units off the start and end of the time axis (axis 1).

    Args:
        cropping: int, or tuple of 2 ints `(left_crop, right_crop)`.

    Example:

    >>> keras.layers.Cropping1D(cropping=1)(np.ones((2, 3, 2))).shape
    (2, 1, 2)
    """

    _class_label = "Cropping1D"  # named in errors, also for subclasses

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.data_format = "channels_last"
        self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
        self.input_spec = InputSpec(ndim=3)
        self.built = True

    def _pairs(self):
        return (self.cropping,)  # a single (lo, hi) pair, not one per axis

    def get_config(self):
        # Keras's Cropping1D has no `data_format` argument.
        config = super().get_config()
        del config["data_format"]
        return config
