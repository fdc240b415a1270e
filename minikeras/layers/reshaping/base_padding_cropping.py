"""Shared helpers of the ZeroPadding and Cropping layers."""
from minikeras.layers.convolutional.arg_utils import standardize_tuple


def per_axis_pairs(value, rank, name):
    """int, tuple of `rank` ints, or tuple of `rank` pairs -> `rank` pairs."""
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"`{name}` cannot be negative. Received: {name}={value}.")
        return ((value, value),) * rank
    if hasattr(value, "__len__"):
        if len(value) != rank:
            raise ValueError(f"`{name}` should have {rank} elements. Received: "
                             f"{name}={value}.")
        ordinals = ("1st", "2nd", "3rd")
        return tuple(standardize_tuple(v, 2, f"{ordinals[i]} entry of {name}", allow_zero=True)
                     for i, v in enumerate(value))
    raise ValueError(
        f"`{name}` should be either an int, a tuple of {rank} ints, or a tuple of {rank} "
        f"tuples of 2 ints. Received: {name}={value}.")


def spatial_offset(data_format):
    return 2 if data_format == "channels_first" else 1
