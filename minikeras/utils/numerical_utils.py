"""`to_categorical` and `normalize`."""
import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encode integer class labels.

    Args:
        x: array-like of class indices (a trailing axis of size 1 is dropped).
        num_classes: number of classes; defaults to `max(x) + 1`.

    Returns:
        A float32 array with a new last axis of size `num_classes`.

    Example:

    >>> keras.utils.to_categorical([0, 2, 1], num_classes=3)
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    """
    x = np.asarray(x)
    if x.size and not np.all(np.equal(np.mod(x, 1), 0)):
        raise ValueError(f"`to_categorical` expects integer class indices; received {x.dtype} "
                         "values with fractional parts.")
    x = x.astype("int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(np.max(x)) + 1 if x.size else 0
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"Class indices must be in [0, {num_classes}); received values from {x.min()} to "
            f"{x.max()}.")
    out = np.zeros((x.shape[0], num_classes), dtype="float32")
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scale `x` to unit `order`-norm along `axis` (zero vectors stay zero)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype("float32")
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis).astype(x.dtype)
