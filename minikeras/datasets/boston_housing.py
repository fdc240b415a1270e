"""Boston housing price regression dataset."""
import numpy as np

from minikeras.datasets._processing import check_test_split, shuffle_split
from minikeras.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113, cache_dir=None):
    """Loads the Boston Housing dataset (StatLib, Carnegie Mellon University).

    **Warning:** this dataset has an ethical problem: its authors included a
    variable, "B", that may appear to assume that racial self-segregation
    influences house prices. Keras discourages its use except to illustrate
    ethical issues in data science; `california_housing` is a replacement.

    13 attributes of houses around Boston in the late 1970s; targets are
    median home values in k$.

    Args:
        path: File name to cache the dataset under (relative to
            `~/.keras/datasets`).
        test_split: Fraction of the data reserved as test set, in [0, 1).
        seed: Seed for the shuffle before the split.
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`;
        `x_*` of shape `(num_samples, 13)`, `y_*` of shape `(num_samples,)`.
    """
    check_test_split(test_split)
    path = get_file(path, origin=f"{ORIGIN_FOLDER}boston_housing.npz", file_hash=FILE_HASH,
                    cache_dir=cache_dir)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return shuffle_split(x, y, test_split, seed)
