"""Fashion-MNIST dataset."""
import gzip
import os

import numpy as np

from minikeras.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def _read_idx(path, header_bytes):
    # IDX files: a big-endian header (magic, counts, sizes), then raw uint8.
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header_bytes)


def load_data(cache_dir=None):
    """Loads the Fashion-MNIST dataset.

    60,000 28x28 grayscale images of 10 fashion categories, with a test set
    of 10,000 images; a drop-in replacement for MNIST. Labels: 0 T-shirt/top,
    1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker,
    8 Bag, 9 Ankle boot.

    Args:
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.
        `x_*` are `uint8` arrays of shape `(num_samples, 28, 28)`; `y_*` are
        `uint8` labels of shape `(num_samples,)`.

    License: Copyright Zalando SE, MIT license.
    """
    cache_subdir = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(name, origin=ORIGIN_FOLDER + name, cache_subdir=cache_subdir,
                      cache_dir=cache_dir)
             for name in FILES]
    y_train = _read_idx(paths[0], 8)
    x_train = _read_idx(paths[1], 16).reshape(len(y_train), 28, 28)
    y_test = _read_idx(paths[2], 8)
    x_test = _read_idx(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
