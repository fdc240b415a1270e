import io
import os
import pickle
import tarfile

import numpy as np
import pytest

from minikeras.backend import config
from minikeras.datasets import cifar10, cifar100


def _tar_gz(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _batch(data, **labels):
    # The CIFAR files are Python 2 pickles: dict keys read back as bytes.
    d = {b"data": data, b"batch_label": b"tiny"}
    d.update({k.encode(): v for k, v in labels.items()})
    return pickle.dumps(d)


@pytest.fixture
def tiny_cifar10():
    rng = np.random.default_rng(3)
    members, xs, ys = {}, [], []
    for i in range(1, 6):
        x = rng.integers(0, 256, (2, 3072), dtype=np.uint8)
        y = [int(v) for v in rng.integers(0, 10, 2)]
        members[f"cifar-10-batches-py/data_batch_{i}"] = _batch(x, labels=y)
        xs.append(x)
        ys += y
    x_test = rng.integers(0, 256, (3, 3072), dtype=np.uint8)
    y_test = [int(v) for v in rng.integers(0, 10, 3)]
    members["cifar-10-batches-py/test_batch"] = _batch(x_test, labels=y_test)
    members["cifar-10-batches-py/batches.meta"] = pickle.dumps({b"label_names": []})
    return _tar_gz(members), np.concatenate(xs), np.array(ys), x_test, np.array(y_test)


def test_cifar10_layout_and_extraction(serve, tiny_cifar10, keras_home):
    archive, x_train, y_train, x_test, y_test = tiny_cifar10
    server = serve(cifar10, {"cifar-10-python.tar.gz": archive})
    (xa, ya), (xb, yb) = cifar10.load_data()
    assert xa.shape == (10, 32, 32, 3) and xa.dtype == np.uint8
    assert ya.shape == (10, 1) and ya.dtype == np.uint8
    assert xb.shape == (3, 32, 32, 3) and yb.shape == (3, 1) and yb.dtype == np.uint8
    # Each row is 1024 red, then green, then blue values, row-major.
    np.testing.assert_array_equal(xa, x_train.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(ya[:, 0], y_train)
    np.testing.assert_array_equal(xb[1, 0, :, 2], x_test[1, 2048:2080])
    np.testing.assert_array_equal(yb[:, 0], y_test)
    # Keras's names: the archive and the folder it is extracted to.
    datadir = keras_home / "datasets"
    assert os.path.isfile(datadir / "cifar-10-batches-py-target_archive")
    assert os.path.isdir(datadir / "cifar-10-batches-py-target" / "cifar-10-batches-py")
    cifar10.load_data()
    assert server.count("cifar-10-python.tar.gz") == 1


def test_cifar10_channels_first(serve, tiny_cifar10):
    archive, x_train, *_ = tiny_cifar10
    serve(cifar10, {"cifar-10-python.tar.gz": archive})
    old = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        (xa, _), (xb, _) = cifar10.load_data()
    finally:
        config.set_image_data_format(old)
    assert xa.shape == (10, 3, 32, 32) and xb.shape == (3, 3, 32, 32)
    np.testing.assert_array_equal(xa.reshape(10, -1), x_train)


def test_cifar100_label_modes(serve):
    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, (4, 3072), dtype=np.uint8)
    fine, coarse = [5, 99, 0, 42], [1, 19, 0, 7]
    members = {
        "cifar-100-python/train": _batch(x, fine_labels=fine, coarse_labels=coarse),
        "cifar-100-python/test": _batch(x[:2], fine_labels=fine[:2], coarse_labels=coarse[:2]),
    }
    server = serve(cifar100, {"cifar-100-python.tar.gz": _tar_gz(members)})
    (xa, ya), (xb, yb) = cifar100.load_data()
    assert xa.shape == (4, 32, 32, 3) and xb.shape == (2, 32, 32, 3)
    assert ya[:, 0].tolist() == fine and yb.shape == (2, 1)
    (_, ya), _ = cifar100.load_data(label_mode="coarse")
    assert ya[:, 0].tolist() == coarse
    assert server.count("cifar-100-python.tar.gz") == 1
    with pytest.raises(ValueError, match="label_mode"):
        cifar100.load_data(label_mode="medium")


def test_cifar_batch_with_foreign_objects_is_refused(serve):
    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))
    members = {f"cifar-10-batches-py/data_batch_{i}": pickle.dumps({b"data": Evil()})
               for i in range(1, 6)}
    serve(cifar10, {"cifar-10-python.tar.gz": _tar_gz(members)})
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        cifar10.load_data()
