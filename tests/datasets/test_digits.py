"""The digits dataset shipped inside the package: offline, deterministic."""
import os

import numpy as np
import pytest

import minikeras.datasets
from minikeras.datasets import digits

DATA_DIR = os.path.join(os.path.dirname(minikeras.datasets.__file__), "data")


def test_shapes_dtypes_and_ranges(server):
    (xa, ya), (xb, yb) = digits.load_data()
    assert xa.shape == (1437, 8, 8) and xb.shape == (360, 8, 8)
    assert ya.shape == (1437,) and yb.shape == (360,)
    for a in (xa, ya, xb, yb):
        assert a.dtype == np.uint8
    assert xa.min() == 0 and xa.max() == 16
    assert sorted(set(ya.tolist())) == list(range(10))
    assert np.bincount(np.concatenate([ya, yb])).min() >= 170  # ~180 per digit
    assert server.requests == []  # no download, and the network guard did not fire


def test_split_is_deterministic_and_complete():
    (xa, ya), (xb, yb) = digits.load_data()
    (xa2, ya2), (xb2, yb2) = digits.load_data()
    np.testing.assert_array_equal(xa, xa2)
    np.testing.assert_array_equal(yb, yb2)
    (xc, yc), (xd, yd) = digits.load_data(seed=1)
    assert not np.array_equal(yc[:50], ya[:50])
    (x_all, y_all), (x_none, _) = digits.load_data(test_split=0.0)
    assert len(x_all) == 1797 and len(x_none) == 0
    # Both splits together are exactly the whole dataset (as a multiset of rows).
    def rows(x, y):
        return sorted(map(bytes, np.concatenate([x.reshape(-1, 64), y[:, None]], 1)))
    assert rows(np.concatenate([xa, xb]), np.concatenate([ya, yb])) == rows(x_all, y_all)


def test_first_sample_is_the_known_zero():
    (x, y), _ = digits.load_data(test_split=0.0, seed=None)
    # seed=None shuffles randomly, so find the first record of the file by content.
    zero = np.array([0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0], np.uint8)
    hits = [i for i in range(len(x)) if np.array_equal(x[i].reshape(-1)[:16], zero)]
    assert hits and y[hits[0]] == 0


@pytest.mark.parametrize("bad", [1.0, -0.5])
def test_bad_split(bad):
    with pytest.raises(ValueError, match="test_split"):
        digits.load_data(test_split=bad)


def test_shipped_file_is_small_and_credited():
    assert os.path.getsize(os.path.join(DATA_DIR, "digits.csv.gz")) < 100_000
    with open(os.path.join(DATA_DIR, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for credit in ("Alpaydin", "Kaynak", "UCI", "CC BY 4.0"):
        assert credit in readme


def test_all_loaders_are_exposed():
    for name in ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
                 "boston_housing", "california_housing", "digits"):
        assert callable(getattr(minikeras.datasets, name).load_data)
