"""CIFAR10 small images classification dataset."""
import os

import numpy as np

from minikeras.backend.config import image_data_format
from minikeras.datasets._safe_pickle import load_pickle
from minikeras.utils.file_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_batch(fpath, label_key="labels"):
    """Reads one CIFAR batch file: returns `(data (n, 3, 32, 32) uint8, labels list)`."""
    batch = load_pickle(fpath)
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def load_data(cache_dir=None):
    """Loads the CIFAR10 dataset.

    50,000 32x32 color training images and 10,000 test images in 10 classes:
    0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse,
    8 ship, 9 truck.

    Args:
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.
        `x_*` are `uint8` arrays of shape `(num_samples, 32, 32, 3)`
        (`(num_samples, 3, 32, 32)` with `channels_first`); `y_*` are `uint8`
        labels of shape `(num_samples, 1)`.
    """
    path = get_file(fname="cifar-10-batches-py-target", origin=ORIGIN,
                    extract=True, file_hash=FILE_HASH, cache_dir=cache_dir)
    path = os.path.join(path, "cifar-10-batches-py")
    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts]).astype("uint8")
    y_train = np.concatenate([np.asarray(p[1]) for p in parts]).astype("uint8")
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    x_test = np.asarray(x_test, dtype="uint8")
    y_train = y_train.reshape(len(y_train), 1)
    y_test = np.asarray(y_test, dtype="uint8").reshape(len(y_test), 1)
    if image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
