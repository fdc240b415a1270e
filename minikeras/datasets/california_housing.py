"""California housing price regression dataset."""
import numpy as np

from minikeras.datasets._processing import check_test_split, shuffle_split
from minikeras.utils.file_utils import get_file

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113,
              cache_dir=None):
    """Loads the California Housing dataset (StatLib, 1990 U.S. census).

    20,640 block groups with 8 features each (MedInc, HouseAge, AveRooms,
    AveBedrms, Population, AveOccup, Latitude, Longitude); the target is the
    median house value in dollars.

    Args:
        version: `"large"` (all 20,640 samples) or `"small"` (the first 600,
            a stand-in for the deprecated `boston_housing`).
        path: File name to cache the dataset under (relative to
            `~/.keras/datasets`).
        test_split: Fraction of the data reserved as test set, in [0, 1).
        seed: Seed for the shuffle before the split.
        cache_dir: Cache folder (as in Keras 2); defaults to `$KERAS_HOME`
            or `~/.keras`. Files go to its `datasets` sub-folder.

    Returns:
        Tuple of Numpy arrays: `(x_train, y_train), (x_test, y_test)`;
        `x_*` of shape `(num_samples, 8)`, `y_*` of shape `(num_samples,)`.
    """
    check_test_split(test_split)
    if version not in ("small", "large"):
        raise ValueError("Argument `version` must be one of 'small', 'large'. "
                         f"Received: version={version}")
    path = get_file(path, origin=f"{ORIGIN_FOLDER}california_housing.npz",
                    file_hash=FILE_HASH, cache_dir=cache_dir)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffle_split(x, y, test_split, seed)
