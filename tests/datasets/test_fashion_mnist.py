import gzip
import os
import struct

import numpy as np

from minikeras.datasets import fashion_mnist


def _idx_labels(labels):
    return gzip.compress(struct.pack(">II", 2049, len(labels)) + labels.tobytes())


def _idx_images(images):
    n, rows, cols = images.shape
    return gzip.compress(struct.pack(">IIII", 2051, n, rows, cols) + images.tobytes())


def test_fashion_mnist_reads_idx_files(serve, keras_home):
    rng = np.random.default_rng(1)
    x_train = rng.integers(0, 256, (4, 28, 28), dtype=np.uint8)
    y_train = rng.integers(0, 10, 4).astype(np.uint8)
    x_test = rng.integers(0, 256, (2, 28, 28), dtype=np.uint8)
    y_test = rng.integers(0, 10, 2).astype(np.uint8)
    files = {
        "train-labels-idx1-ubyte.gz": _idx_labels(y_train),
        "train-images-idx3-ubyte.gz": _idx_images(x_train),
        "t10k-labels-idx1-ubyte.gz": _idx_labels(y_test),
        "t10k-images-idx3-ubyte.gz": _idx_images(x_test),
    }
    server = serve(fashion_mnist, files, hash_attr=None)
    (xa, ya), (xb, yb) = fashion_mnist.load_data()
    for got, want in [(xa, x_train), (ya, y_train), (xb, x_test), (yb, y_test)]:
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, want)
    # Keras's cache layout: datasets/fashion-mnist/<file>.
    assert sorted(os.listdir(keras_home / "datasets" / "fashion-mnist")) == sorted(files)
    fashion_mnist.load_data()
    assert len(server.requests) == 4
