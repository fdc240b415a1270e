import hashlib
import os

import numpy as np
import pytest

from minikeras.datasets import mnist


def _tiny_mnist():
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 5).astype(np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 3).astype(np.uint8),
    }


def test_origin_and_hash_are_kerass():
    assert mnist.ORIGIN_FOLDER == "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
    assert mnist.FILE_HASH == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def test_download_then_cache_reuse(serve, npz_bytes, keras_home, capsys):
    arrays = _tiny_mnist()
    server = serve(mnist, {"mnist.npz": npz_bytes(**arrays)})
    (xa, ya), (xb, yb) = mnist.load_data()
    for got, key in [(xa, "x_train"), (ya, "y_train"), (xb, "x_test"), (yb, "y_test")]:
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[key])
    # Same place and name as real Keras, so the two share the file.
    assert os.path.isfile(keras_home / "datasets" / "mnist.npz")
    out = capsys.readouterr().out
    assert f"Downloading data from {server.base_url}mnist.npz" in out
    assert server.count("mnist.npz") == 1

    (xa2, _), _ = mnist.load_data()
    assert server.count("mnist.npz") == 1  # no second request
    np.testing.assert_array_equal(xa2, xa)
    assert "Downloading" not in capsys.readouterr().out


def test_path_argument_names_the_cached_file(serve, npz_bytes, keras_home):
    serve(mnist, {"mnist.npz": npz_bytes(**_tiny_mnist())})
    mnist.load_data(path="my_mnist.npz")
    assert os.path.isfile(keras_home / "datasets" / "my_mnist.npz")
    assert not os.path.exists(keras_home / "datasets" / "mnist.npz")


def test_cache_dir_argument(serve, npz_bytes, tmp_path, keras_home):
    serve(mnist, {"mnist.npz": npz_bytes(**_tiny_mnist())})
    mnist.load_data(cache_dir=str(tmp_path / "elsewhere"))
    assert os.path.isfile(tmp_path / "elsewhere" / "datasets" / "mnist.npz")
    assert not os.path.exists(keras_home / "datasets" / "mnist.npz")


def test_served_file_with_wrong_hash_is_rejected(serve, npz_bytes, keras_home, monkeypatch):
    serve(mnist, {"mnist.npz": npz_bytes(**_tiny_mnist())})
    monkeypatch.setattr(mnist, "FILE_HASH", "0" * 64)
    with pytest.raises(ValueError, match="sha256 file hash does not match"):
        mnist.load_data()
    # Nothing corrupt left behind, not even a partial file.
    assert os.listdir(keras_home / "datasets") == []


def test_corrupt_cached_file_is_downloaded_again(serve, npz_bytes, keras_home, capsys):
    arrays = _tiny_mnist()
    server = serve(mnist, {"mnist.npz": npz_bytes(**arrays)})
    os.makedirs(keras_home / "datasets")
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"truncated junk")
    (xa, _), _ = mnist.load_data()
    np.testing.assert_array_equal(xa, arrays["x_train"])
    assert server.count("mnist.npz") == 1
    assert "hash does not match" in capsys.readouterr().out


def test_offline_message_and_manual_placement(closed_url, npz_bytes, keras_home, monkeypatch):
    monkeypatch.setattr(mnist, "ORIGIN_FOLDER", closed_url)
    with pytest.raises(ConnectionError) as info:
        mnist.load_data()
    message = str(info.value)
    target = str(keras_home / "datasets" / "mnist.npz")
    assert f"URL fetch failure on {closed_url}mnist.npz" in message
    assert "could not be reached" in message
    assert target in message
    assert "KERAS_HOME" in message
    assert not os.path.exists(target)

    # Following the message (placing the file there) works without a network.
    arrays = _tiny_mnist()
    data = npz_bytes(**arrays)
    monkeypatch.setattr(mnist, "FILE_HASH", hashlib.sha256(data).hexdigest())
    with open(target, "wb") as f:
        f.write(data)
    (_, y), _ = mnist.load_data()
    np.testing.assert_array_equal(y, arrays["y_train"])


def test_keras_home_is_read_at_call_time(serve, npz_bytes, tmp_path, monkeypatch):
    serve(mnist, {"mnist.npz": npz_bytes(**_tiny_mnist())})
    other = tmp_path / "other_home"
    monkeypatch.setenv("KERAS_HOME", str(other))
    mnist.load_data()
    assert os.path.isfile(other / "datasets" / "mnist.npz")
