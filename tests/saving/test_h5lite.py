"""The built-in HDF5 writer/reader: files it writes open in h5py and vice versa."""
import io
import random

import numpy as np
import pytest

from minikeras.saving import h5lite

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
          "uint16", "uint32", "uint64", ">f4", ">i8"]


def lite_bytes(build):
    buf = io.BytesIO()
    f = h5lite.File(buf, "w")
    build(f)
    f.close()
    return buf.getvalue()


def h5py_bytes(build, **kwargs):
    h5py = pytest.importorskip("h5py")
    buf = io.BytesIO()
    with h5py.File(buf, "w", **kwargs) as f:
        build(f)
    return buf.getvalue()


def sample_arrays():
    rng = np.random.RandomState(0)
    out = {}
    for dt in DTYPES:
        kind = np.dtype(dt).kind
        arr = rng.uniform(-5, 5, (3, 4)) if kind == "f" else rng.randint(0, 100, (3, 4))
        out[dt] = arr.astype(dt)
    out["scalar"] = np.float32(2.5)
    out["int_scalar"] = np.int64(7)
    out["empty"] = np.zeros((0, 3), "float32")
    out["rank4"] = rng.rand(2, 3, 1, 2).astype("float32")
    return out


def build_sample(f):
    for name, arr in sample_arrays().items():
        f.create_dataset(f"data/{name.replace('>', 'be_')}", data=arr)
    g = f.create_group("layers/dense/vars")
    g.attrs["name"] = "dense"
    f.attrs["model_config"] = b'{"class_name": "Sequential"}'
    f.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
    f.attrs["no_names"] = np.zeros((0,), "S1")
    f.attrs["numbers"] = np.arange(5, dtype="int32")
    f.create_group("x" * 300)  # a name longer than 255 bytes


def check_sample(f, strings_as_bytes=True):
    for name, arr in sample_arrays().items():
        got = np.asarray(f[f"data/{name.replace('>', 'be_')}"][()])
        assert got.shape == np.shape(arr)
        assert got.dtype.newbyteorder("=") == np.dtype(arr.dtype).newbyteorder("=")
        np.testing.assert_array_equal(got, arr)
    assert list(np.atleast_1d(f.attrs["layer_names"])) == [b"dense", b"dense_1"]
    assert np.size(f.attrs["no_names"]) == 0
    np.testing.assert_array_equal(f.attrs["numbers"], np.arange(5))
    config = f.attrs["model_config"]
    assert (config.decode() if isinstance(config, bytes) else config) == \
        '{"class_name": "Sequential"}'
    assert "x" * 300 in f


def test_lite_write_h5py_read():
    h5py = pytest.importorskip("h5py")
    data = lite_bytes(build_sample)
    with h5py.File(io.BytesIO(data), "r") as f:
        check_sample(f)
        assert f["layers/dense/vars"].attrs["name"] in (b"dense", "dense")


def test_lite_write_lite_read():
    data = lite_bytes(build_sample)
    f = h5lite.File(io.BytesIO(data), "r")
    check_sample(f)
    assert sorted(f.keys()) == sorted(["data", "layers", "x" * 300])


def test_h5py_write_lite_read():
    data = h5py_bytes(build_sample)
    check_sample(h5lite.File(io.BytesIO(data), "r"))


def test_h5py_latest_format_lite_read():
    # HDF5 1.8 object headers and compact links (groups of at most 8 members).
    def build(f):
        g = f.create_group("layers/dense/vars")
        g.attrs["name"] = "dense"
        g.create_dataset("0", data=np.arange(6, dtype="f4").reshape(2, 3))
        g.create_dataset("1", data=np.float64(1.5))
        f.attrs["names"] = ["a", "b"]
    f = h5lite.File(io.BytesIO(h5py_bytes(build, libver="latest")), "r")
    np.testing.assert_array_equal(f["layers/dense/vars/0"][()], np.arange(6).reshape(2, 3))
    assert f["layers/dense/vars/1"][()] == 1.5
    assert f["layers/dense/vars"].attrs["name"] == "dense"
    assert list(f.attrs["names"]) == ["a", "b"]


def test_h5py_strings_many_attributes_and_big_groups():
    def build(f):
        for i in range(300):  # several B-tree levels and symbol nodes
            f.create_group(f"layers/dense_{i}/vars").create_dataset("0", data=np.full(2, i, "f4"))
        for i in range(40):  # attributes spill into continuation blocks
            f.attrs[f"attr_{i}"] = f"value {i}" * 20
        f.attrs["vlen"] = ["a", "bé", "ccc"]
        f.attrs["text"] = "héllo"
        f.attrs["fixed"] = np.array([b"ab", b"c"])
    f = h5lite.File(io.BytesIO(h5py_bytes(build)), "r")
    assert len(f["layers"].keys()) == 300
    np.testing.assert_array_equal(f["layers/dense_123/vars/0"][()], [123, 123])
    assert f.attrs["attr_39"] == "value 39" * 20
    assert list(f.attrs["vlen"]) == ["a", "bé", "ccc"]
    assert f.attrs["text"] == "héllo"
    assert list(f.attrs["fixed"]) == [b"ab", b"c"]


def test_many_children_written_compact():
    h5py = pytest.importorskip("h5py")
    data = lite_bytes(lambda f: [f.create_dataset(f"g/{i}", data=np.float32(i))
                                 for i in range(500)])
    with h5py.File(io.BytesIO(data), "r") as f:
        assert len(f["g"]) == 500 and float(f["g/499"][()]) == 499.0
    assert float(h5lite.File(io.BytesIO(data), "r")["g/321"][()]) == 321.0


def test_unsupported_features_ask_for_h5py():
    def chunked(f):
        f.create_dataset("c", data=np.zeros((10, 10), "f4"), chunks=(5, 5), compression="gzip")
    f = h5lite.File(io.BytesIO(h5py_bytes(chunked)), "r")
    with pytest.raises(ImportError, match=r"pip install minikeras\[h5\]"):
        f["c"][()]

    def dense_group(f):
        for i in range(20):
            f.create_group(f"g/{i}")
    f = h5lite.File(io.BytesIO(h5py_bytes(dense_group, libver="latest")), "r")
    with pytest.raises(ImportError, match="dense link storage"):
        f["g"].keys()


def test_writer_rejects_unsupported_dtypes():
    with pytest.raises(TypeError, match="Cannot store dtype"):
        lite_bytes(lambda f: f.create_dataset("c", data=np.zeros(2, "complex64")))


def test_not_hdf5_and_truncated():
    with pytest.raises(h5lite.H5LiteError, match="Not an HDF5 file"):
        h5lite.File(io.BytesIO(b"hello world"), "r")
    data = lite_bytes(build_sample)
    with pytest.raises(ValueError, match="(?i)corrupt|truncated"):
        f = h5lite.File(io.BytesIO(data[:len(data) // 3]), "r")
        check_sample(f)


def _read_everything(f, depth=0):
    assert depth < 20
    dict(f.attrs.items())
    for key in f.keys():
        child = f[key]
        if isinstance(child, h5lite.Group):
            _read_everything(child, depth + 1)
        else:
            child[()]
            dict(child.attrs.items())


@pytest.mark.parametrize("source", ["lite", "h5py"])
def test_damaged_files_raise_clean_errors(source):
    data = lite_bytes(build_sample) if source == "lite" else h5py_bytes(build_sample)
    rng = random.Random(0)
    for trial in range(150):
        damaged = bytearray(data)
        if trial % 3 == 0:
            damaged = damaged[:rng.randrange(len(damaged))]
        else:
            for _ in range(rng.randint(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            _read_everything(h5lite.File(io.BytesIO(bytes(damaged)), "r"))
        except (h5lite.H5LiteError, h5lite.H5pyRequired, KeyError, AssertionError):
            pass  # a clean error (or a cycle our walk stops at); never a crash


def test_write_api_errors():
    f = h5lite.File(io.BytesIO(), "w")
    f.create_dataset("a/b", data=np.zeros(2))
    with pytest.raises(ValueError, match="already exists"):
        f.create_dataset("a/b", data=np.zeros(2))
    with pytest.raises(ValueError, match="already exists"):
        f.create_group("a")
    with pytest.raises(ValueError, match="modes 'r' and 'w'"):
        h5lite.File(io.BytesIO(), "a")
