"""MNIST handwritten digits dataset."""
import numpy as np

from minikeras.utils.file_utils import get_file

# Where the file is fetched from (the origin Keras uses); a mirror can be set here.
ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz", cache_dir=None):
    """Loads the MNIST dataset.

    60,000 28x28 grayscale images of the 10 digits, with a test set of
    10,000 images. Downloaded once into `~/.keras/datasets` (shared with Keras).

    Args:
        path: File name to cache the dataset under (relative to
            `~/.keras/datasets`).
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.
        `x_*` are `uint8` arrays of shape `(num_samples, 28, 28)` with values
        0 to 255; `y_*` are `uint8` digit labels of shape `(num_samples,)`.

    License: Yann LeCun and Corinna Cortes hold the copyright of MNIST,
    a derivative of NIST, available under CC BY-SA 3.0.
    """
    path = get_file(fname=path, origin=f"{ORIGIN_FOLDER}mnist.npz", file_hash=FILE_HASH,
                    cache_dir=cache_dir)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
