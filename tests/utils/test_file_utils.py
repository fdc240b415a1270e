"""get_file against a local HTTP server: cache, hashes, extraction safety, offline errors."""
import hashlib
import shutil
import importlib.util
import io
import os
import tarfile
import warnings
import zipfile

import pytest

from minikeras.utils import file_utils
from minikeras.utils.file_utils import extract_archive, get_file, hash_file, validate_file

_spec = importlib.util.spec_from_file_location(
    "local_http_server",
    os.path.join(os.path.dirname(__file__), os.pardir, "datasets", "local_http_server.py"))
local_http_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(local_http_server)

PAYLOAD = b"minikeras test payload\n" * 200


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    local_http_server.forbid_network(monkeypatch)


@pytest.fixture
def server():
    with local_http_server.LocalServer() as srv:
        srv.files["data.bin"] = PAYLOAD
        yield srv


def _tar_gz(members, links=()):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target, kind in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            tar.addfile(info)
    return buf.getvalue()


def _zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# ------------------------------------------------------------------ download


def test_download_to_cache_and_reuse(server, tmp_path, capsys):
    path = get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path)
    assert path == os.path.join(str(tmp_path), "datasets", "data.bin")
    with open(path, "rb") as f:
        assert f.read() == PAYLOAD
    out = capsys.readouterr().out
    assert f"Downloading data from {server.base_url}data.bin" in out
    assert f"{len(PAYLOAD)}/{len(PAYLOAD)}" in out  # the progress line
    assert get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path) == path
    assert server.count("data.bin") == 1
    get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path,
             force_download=True)
    assert server.count("data.bin") == 2
    assert os.listdir(os.path.dirname(path)) == ["data.bin"]  # no temp files left


def test_fname_defaults_to_url_basename_and_keras_home(server, tmp_path):
    path = get_file(origin=server.base_url + "data.bin?x=1")
    assert path == os.path.join(str(tmp_path / "keras_home"), "datasets", "data.bin")
    assert os.path.isfile(path)


def test_cache_subdir_absolute(server, tmp_path):
    folder = tmp_path / "abs_folder"
    path = get_file("d.bin", origin=server.base_url + "data.bin", cache_subdir=str(folder))
    assert path == os.path.join(str(folder), "d.bin")


def test_bad_arguments():
    with pytest.raises(ValueError, match="origin"):
        get_file("x")
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        get_file(os.path.join("a", "b.bin"), origin="http://127.0.0.1:9/b.bin")
    with pytest.raises(ValueError, match="file name"):
        get_file(origin="http://127.0.0.1:9/")
    with pytest.raises(ValueError, match="hash_algorithm"):
        get_file("x", origin="http://127.0.0.1:9/x", file_hash="ab", hash_algorithm="sha1")


# -------------------------------------------------------------------- hashes


@pytest.mark.parametrize("algorithm", ["auto", "sha256", "md5"])
def test_hash_accepted(server, tmp_path, algorithm):
    digest = (hashlib.md5 if algorithm == "md5" else hashlib.sha256)(PAYLOAD).hexdigest()
    path = get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path,
                    file_hash=digest, hash_algorithm=algorithm)
    assert validate_file(path, digest, algorithm)
    assert not validate_file(path, "0" * len(digest), algorithm)


def test_legacy_md5_hash_argument(server, tmp_path):
    digest = hashlib.md5(PAYLOAD).hexdigest()
    path = get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path,
                    md5_hash=digest)
    assert os.path.isfile(path)
    with pytest.raises(ValueError, match="md5 file hash does not match"):
        get_file("other.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path,
                 md5_hash="0" * 32)


def test_hash_mismatch_keeps_cache_clean(server, tmp_path):
    with pytest.raises(ValueError, match="Incomplete or corrupted file") as info:
        get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path,
                 file_hash="f" * 64)
    assert hashlib.sha256(PAYLOAD).hexdigest() in str(info.value)  # what did arrive
    assert os.listdir(tmp_path / "datasets") == []


def test_outdated_cached_file_is_replaced(server, tmp_path, capsys):
    os.makedirs(tmp_path / "datasets")
    (tmp_path / "datasets" / "data.bin").write_bytes(b"old version")
    digest = hashlib.sha256(PAYLOAD).hexdigest()
    path = get_file("data.bin", origin=server.base_url + "data.bin", cache_dir=tmp_path,
                    file_hash=digest)
    assert "re-download" in capsys.readouterr().out
    assert hash_file(path) == digest and server.count("data.bin") == 1


def test_hash_file_matches_hashlib(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(PAYLOAD)
    assert hash_file(p) == hashlib.sha256(PAYLOAD).hexdigest()
    assert hash_file(p, "md5") == hashlib.md5(PAYLOAD).hexdigest()
    assert hash_file(p, chunk_size=7) == hashlib.sha256(PAYLOAD).hexdigest()


# ------------------------------------------------------------ network errors


def test_offline_error_says_what_to_do(tmp_path):
    url = local_http_server.closed_port_url() + "thing.npz"
    with pytest.raises(ConnectionError) as info:
        get_file("thing.npz", origin=url)
    target = os.path.join(str(tmp_path / "keras_home"), "datasets", "thing.npz")
    message = str(info.value)
    assert message.startswith(f"URL fetch failure on {url}")
    assert "could not be reached" in message and target in message
    assert "KERAS_HOME" in message and "cache_dir" in message
    assert os.listdir(os.path.dirname(target)) == []


def test_http_error(server, tmp_path):
    with pytest.raises(Exception, match="URL fetch failure on .*missing.bin: 404"):
        get_file("missing.bin", origin=server.base_url + "missing.bin", cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_interrupted_download_leaves_nothing(server, tmp_path):
    server.truncated["cut.bin"] = PAYLOAD[:100]
    with pytest.raises(ConnectionError, match="interrupted"):
        get_file("cut.bin", origin=server.base_url + "cut.bin", cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


# ---------------------------------------------------------------- extraction


def test_extract_tar_with_keras_names(server, tmp_path):
    server.files["pack.tar.gz"] = _tar_gz({"pack/a.txt": b"A", "pack/sub/b.txt": b"B"})
    url = server.base_url + "pack.tar.gz"
    # fname without extension: it names the folder, the archive gets `_archive`.
    out = get_file("pack", origin=url, extract=True, cache_dir=tmp_path)
    assert out == os.path.join(str(tmp_path), "datasets", "pack")
    assert (tmp_path / "datasets" / "pack_archive").is_file()
    assert (tmp_path / "datasets" / "pack" / "pack" / "sub" / "b.txt").read_bytes() == b"B"
    # fname with an extension: the archive keeps it, the folder is `<stem>_extracted`.
    out = get_file("pack.tar.gz", origin=url, extract=True, cache_dir=tmp_path)
    assert out == os.path.join(str(tmp_path), "datasets", "pack_extracted")
    assert (tmp_path / "datasets" / "pack.tar.gz").is_file()
    # untar (legacy) behaves as extract for tar files.
    out = get_file("legacy", origin=url, untar=True, cache_dir=tmp_path)
    assert os.path.isfile(os.path.join(out, "pack", "a.txt"))
    # Cached archive and folder: no request and no re-extraction needed.
    requests = server.count("pack.tar.gz")
    get_file("pack", origin=url, extract=True, cache_dir=tmp_path)
    assert server.count("pack.tar.gz") == requests
    # A deleted folder is extracted again from the cached archive.
    shutil.rmtree(tmp_path / "datasets" / "pack")
    get_file("pack", origin=url, extract=True, cache_dir=tmp_path)
    assert (tmp_path / "datasets" / "pack" / "pack" / "a.txt").read_bytes() == b"A"
    assert server.count("pack.tar.gz") == requests
    leftovers = [n for n in os.listdir(tmp_path / "datasets") if n.endswith(".part")]
    assert leftovers == []


def test_extract_zip(server, tmp_path):
    server.files["z.zip"] = _zip({"z/x.txt": b"X"})
    out = get_file("z", origin=server.base_url + "z.zip", extract=True, cache_dir=tmp_path)
    assert (tmp_path / "datasets" / "z" / "z" / "x.txt").read_bytes() == b"X"
    assert out.endswith("z")


def test_not_an_archive_warns(server, tmp_path):
    with pytest.warns(UserWarning, match="Could not extract archive"):
        get_file("plain", origin=server.base_url + "data.bin", extract=True, cache_dir=tmp_path)


def test_tar_path_traversal_is_blocked(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(_tar_gz(
        {"ok.txt": b"fine", "../escaped.txt": b"bad", "/abs_escape.txt": b"bad"},
        links=[("link_out", "/etc/passwd", tarfile.SYMTYPE),
               ("link_up", "../../outside", tarfile.SYMTYPE),
               ("hard_out", "../escaped.txt", tarfile.LNKTYPE)]))
    dest = tmp_path / "out"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert extract_archive(archive, dest)
    assert (dest / "ok.txt").read_bytes() == b"fine"
    assert sorted(os.listdir(dest)) == ["ok.txt"]
    assert not (tmp_path / "escaped.txt").exists()
    skipped = [str(w.message) for w in caught if "Skipping invalid path" in str(w.message)]
    assert len(skipped) == 5


def test_zip_path_traversal_is_blocked(tmp_path):
    archive = tmp_path / "evil.zip"
    archive.write_bytes(_zip({"ok.txt": b"fine", "../escaped.txt": b"bad"}))
    dest = tmp_path / "out"
    with pytest.warns(UserWarning, match="Skipping invalid path"):
        assert extract_archive(archive, dest, archive_format="zip")
    assert os.listdir(dest) == ["ok.txt"]
    assert not (tmp_path / "escaped.txt").exists()


def test_extract_archive_formats(tmp_path):
    archive = tmp_path / "a.zip"
    archive.write_bytes(_zip({"f": b"1"}))
    assert not extract_archive(archive, tmp_path / "o1", archive_format="tar")
    assert not extract_archive(archive, tmp_path / "o2", archive_format=None)
    assert extract_archive(archive, tmp_path / "o3", archive_format=["tar", "zip"])
    with pytest.raises(ValueError, match="archive_format"):
        extract_archive(archive, tmp_path / "o4", archive_format="rar")


# -------------------------------------------------------------- cache folder


def test_keras_home_default_and_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert file_utils.keras_home() == str(tmp_path / "kh")
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert file_utils.keras_home() == os.path.join(str(tmp_path), ".keras")
