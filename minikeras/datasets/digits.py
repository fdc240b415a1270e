"""The 8x8 handwritten digits shipped with minikeras (no download needed).

The test set of the UCI "Optical Recognition of Handwritten Digits" dataset
(E. Alpaydin, C. Kaynak, 1998; UCI Machine Learning Repository, CC BY 4.0):
1,797 images of the digits 0-9, each an 8x8 grid of counts 0..16 (the number
of ink pixels in a 4x4 block of the original 32x32 bitmap).
"""
import gzip
from importlib import resources

import numpy as np

from minikeras.datasets._processing import check_test_split, shuffle_split

DATA_FILE = "digits.csv.gz"


def _read_csv():
    # Each row: 64 pixel values then the label, comma-separated.
    source = resources.files("minikeras.datasets").joinpath("data", DATA_FILE)
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.uint8)
    return table[:, :64].reshape(-1, 8, 8), table[:, 64]


def load_data(test_split=0.2, seed=113):
    """Loads the 8x8 handwritten digits bundled with the package (offline).

    1,797 grayscale images of the digits 0-9 at 8x8 pixels, values 0..16.

    Args:
        test_split: Fraction of the data reserved as test set, in [0, 1).
        seed: Seed for the shuffle before the split (the same seed gives the
            same split).

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.
        `x_*` are `uint8` arrays of shape `(num_samples, 8, 8)` with values
        0 to 16; `y_*` are `uint8` labels 0-9 of shape `(num_samples,)`.
        With the default split: 1,437 training and 360 test samples.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
    x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
    ```
    """
    check_test_split(test_split)
    x, y = _read_csv()
    return shuffle_split(x, y, test_split, seed)
