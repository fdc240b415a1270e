"""Fixtures for the dataset loaders: a local server, a temp KERAS_HOME, no real network."""
import hashlib
import importlib.util
import io
import json
import os

import numpy as np
import pytest

_spec = importlib.util.spec_from_file_location(
    "local_http_server", os.path.join(os.path.dirname(__file__), "local_http_server.py"))
local_http_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(local_http_server)

GOLDENS = os.path.join(os.path.dirname(__file__), os.pardir, "parity", "goldens")


@pytest.fixture(autouse=True)
def keras_home(tmp_path, monkeypatch):
    """Every test gets its own cache folder and no route to the internet."""
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    local_http_server.forbid_network(monkeypatch)
    return home


@pytest.fixture
def server():
    with local_http_server.LocalServer() as srv:
        yield srv


@pytest.fixture
def closed_url():
    return local_http_server.closed_port_url()


@pytest.fixture
def serve(server, monkeypatch):
    """`serve(module, {name: bytes}, hash_attr="FILE_HASH", hash_of=name)`.

    Puts the files on the local server, points the module's origin constant
    at it, and sets the module's expected hash to the served file's sha256.
    """
    def _serve(module, files, hash_attr="FILE_HASH", hash_of=None, md5=False):
        server.files.update(files)
        if hasattr(module, "ORIGIN_FOLDER"):
            monkeypatch.setattr(module, "ORIGIN_FOLDER", server.base_url)
        else:  # a single-URL loader (cifar)
            (name,) = files
            monkeypatch.setattr(module, "ORIGIN", server.base_url + name)
        if hash_attr:
            data = files[hash_of or next(iter(files))]
            digest = (hashlib.md5 if md5 else hashlib.sha256)(data).hexdigest()
            monkeypatch.setattr(module, hash_attr, digest)
        return server
    return _serve


def _npz_bytes(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@pytest.fixture
def npz_bytes():
    """`npz_bytes(x=..., y=...)`: the bytes of an `.npz` holding those arrays."""
    return _npz_bytes


@pytest.fixture
def golden_file():
    """`golden_file(name)`: the bytes of a file under tests/parity/goldens."""
    def _read(name):
        with open(os.path.join(GOLDENS, name), "rb") as f:
            return f.read()
    return _read


@pytest.fixture(scope="session")
def goldens():
    """Real Keras's loader outputs (tests/parity/generate_datasets_goldens.py)."""
    with open(os.path.join(GOLDENS, "datasets_goldens.json")) as f:
        return json.load(f)
