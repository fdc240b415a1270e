"""CIFAR100 small images classification dataset."""
import os

import numpy as np

from minikeras.backend.config import image_data_format
from minikeras.datasets.cifar10 import load_batch
from minikeras.utils.file_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine", cache_dir=None):
    """Loads the CIFAR100 dataset.

    50,000 32x32 color training images and 10,000 test images, labeled over
    100 fine-grained classes grouped into 20 coarse-grained superclasses.

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.
        `x_*` are `uint8` arrays of shape `(num_samples, 32, 32, 3)`
        (`(num_samples, 3, 32, 32)` with `channels_first`); `y_*` are integer
        labels of shape `(num_samples, 1)` (int64, as Keras returns them).
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            '`label_mode` must be one of `"fine"`, `"coarse"`. '
            f"Received: label_mode={label_mode}.")
    path = get_file(fname="cifar-100-python-target", origin=ORIGIN,
                    extract=True, file_hash=FILE_HASH, cache_dir=cache_dir)
    path = os.path.join(path, "cifar-100-python")
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(path, "train"), label_key=key)
    x_test, y_test = load_batch(os.path.join(path, "test"), label_key=key)
    # Labels come from Python lists, hence int64 (Keras documents uint8 but
    # returns int64; we match what it returns).
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
