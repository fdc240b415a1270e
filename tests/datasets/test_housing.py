"""boston_housing and california_housing compared with real Keras on the same tiny files."""
import numpy as np
import pytest

from minikeras.datasets import boston_housing, california_housing


def test_boston_matches_keras(serve, golden_file, goldens):
    server = serve(boston_housing, {"boston_housing.npz": golden_file("datasets_boston.npz")})
    for case in goldens["boston"]:
        (xa, ya), (xb, yb) = boston_housing.load_data(**case["kwargs"])
        np.testing.assert_array_equal(xa, np.array(case["x_train"]).reshape(-1, 13))
        np.testing.assert_array_equal(ya, case["y_train"])
        np.testing.assert_array_equal(xb, np.array(case["x_test"]).reshape(-1, 13))
        np.testing.assert_array_equal(yb, case["y_test"])
    assert server.count("boston_housing.npz") == 1


def test_california_matches_keras(serve, golden_file, goldens):
    serve(california_housing,
          {"california_housing.npz": golden_file("datasets_california.npz")})
    for case in goldens["california"]:
        (xa, ya), (xb, yb) = california_housing.load_data(**case["kwargs"])
        assert xa.shape[1] == 8
        np.testing.assert_array_equal(xa[:, 0] / 8, case["train_rows"])
        np.testing.assert_array_equal(xb[:, 0] / 8, case["test_rows"])
        np.testing.assert_array_equal(ya, case["y_train"])
        np.testing.assert_array_equal(yb, case["y_test"])
    (xa, _), (xb, _) = california_housing.load_data(version="small")
    assert len(xa) + len(xb) == 600


@pytest.mark.parametrize("loader", [boston_housing.load_data, california_housing.load_data])
@pytest.mark.parametrize("bad", [1.0, -0.1, 2])
def test_bad_test_split_fails_before_any_download(loader, bad, server):
    with pytest.raises(ValueError, match="test_split"):
        loader(test_split=bad)
    assert server.requests == []


def test_california_bad_version(server):
    with pytest.raises(ValueError, match="'small', 'large'"):
        california_housing.load_data(version="medium")
