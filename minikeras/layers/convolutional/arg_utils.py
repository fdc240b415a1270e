"""Argument checks and layout helpers shared by convolution and pooling layers."""
import autograd.numpy as anp


def standardize_tuple(value, n, name, allow_zero=False):
    """An int or an iterable of `n` ints, as a tuple of `n` ints.

    Raises ValueError (Keras' message) for the wrong length, a non-integer
    element, or a value that is not positive (non-negative with `allow_zero`).
    """
    error_msg = (f"The `{name}` argument must be a tuple of {n} integers. "
                 f"Received {name}={value}")
    if isinstance(value, int) and not isinstance(value, bool):
        value_tuple = (value,) * n
    else:
        try:
            value_tuple = tuple(value)
        except TypeError:
            raise ValueError(error_msg) from None
        if len(value_tuple) != n:
            raise ValueError(error_msg)
        for v in value_tuple:
            try:
                int(v)
            except (ValueError, TypeError):
                raise ValueError(error_msg + f"including element {v} of type {type(v)}") from None
        value_tuple = tuple(int(v) for v in value_tuple)
    bad = {v for v in value_tuple if (v < 0 if allow_zero else v <= 0)}
    if bad:
        req = ">= 0" if allow_zero else "> 0"
        raise ValueError(error_msg + f", including values {bad} that do not satisfy "
                         f"`value {req}`")
    return value_tuple


def standardize_padding(value, allow_causal=False):
    """'valid', 'same' (or 'causal' where allowed), lower-cased."""
    if isinstance(value, (list, tuple)):
        return value
    padding = str(value).lower()
    allowed = {"valid", "same", "causal"} if allow_causal else {"valid", "same"}
    if padding not in allowed:
        raise ValueError("The `padding` argument must be a list/tuple or one of "
                         f"{allowed}. Received: {padding}")
    return padding


def to_channels_last(x, data_format):
    """Move the channel axis of a `channels_first` array to the end."""
    if data_format != "channels_first":
        return x
    nd = anp.ndim(x)
    return anp.transpose(x, (0,) + tuple(range(2, nd)) + (1,))


def to_channels_first(x, data_format):
    """Undo `to_channels_last`."""
    if data_format != "channels_first":
        return x
    nd = anp.ndim(x)
    return anp.transpose(x, (0, nd - 1) + tuple(range(1, nd - 1)))


def spatial_and_channels(shape, data_format):
    """`(spatial dims, channel dim)` of a full input shape."""
    if data_format == "channels_first":
        return tuple(shape[2:]), shape[1]
    return tuple(shape[1:-1]), shape[-1]


def assemble_shape(batch, spatial, channels, data_format):
    if data_format == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


def fmt_shape(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def set_window_args(layer, rank, kernel_size, strides, dilation_rate, data_format,
                    activation, use_bias):
    """The arguments every convolution base shares, standardized onto `layer`."""
    from minikeras import activations
    from minikeras.backend.config import standardize_data_format
    layer.rank = rank
    layer.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
    layer.strides = standardize_tuple(strides, rank, "strides")
    layer.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
    layer.data_format = standardize_data_format(data_format)
    layer.activation = activations.get(activation)
    layer.use_bias = use_bias


def check_positive(name, value):
    """ValueError unless `value` (when given) is strictly positive."""
    if value is not None and value <= 0:
        raise ValueError(f"Invalid value for argument `{name}`. Expected a strictly "
                         f"positive value. Received {name}={value}.")
