"""Global numeric settings: float type, fuzz factor, image data format."""

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_ALLOWED_FLOATX = ("float16", "bfloat16", "float32", "float64")


def floatx():
    """Return the default float type as a string, e.g. `'float32'`."""
    return _FLOATX


def set_floatx(value):
    """Set the default float type (`'float16'`, `'float32'` or `'float64'`)."""
    global _FLOATX
    value = str(value)
    if value not in _ALLOWED_FLOATX:
        raise ValueError(
            f"Unknown `floatx` value: {value}. Expected one of {_ALLOWED_FLOATX}")
    if value == "bfloat16":
        raise ValueError("bfloat16 is not supported by numpy; use float16 or float32.")
    _FLOATX = value


def epsilon():
    """Return the fuzz factor used in numeric expressions (default 1e-7)."""
    return _EPSILON


def set_epsilon(value):
    """Set the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """Return `'channels_last'` (default) or `'channels_first'`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Set the default image data format."""
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format}")
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format):
    """Resolve `None` to the global default and validate the value."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format}")
    return data_format


def backend():
    """Name of the backend doing the math (always `'numpy'` here)."""
    return "numpy"
