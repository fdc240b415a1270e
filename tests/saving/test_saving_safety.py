"""Crash safety and hostile files: atomic writes, clear errors, nothing half-loaded."""
import io
import json
import os
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras import saving
from minikeras.saving import h5_store, saving_lib
from tests.saving.helpers import rand

L = keras.layers


def mlp(units=6):
    return keras.Sequential([keras.Input((4,)), L.Dense(units, activation="relu"), L.Dense(2)])


def rewrite_archive(src, dst, replace=None, extra=()):
    """Copy a .keras zip, replacing members ({name: bytes}) and adding `extra` members."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, replace.get(name, zin.read(name)))
        for name, data in extra:
            zout.writestr(name, data)


def files_in(folder):
    return sorted(os.listdir(folder))


# ----- interrupted saves ------------------------------------------------------------
class _Boom(RuntimeError):
    pass


def _fail_after(monkeypatch, n):
    """Make the weights writer raise after `n` variables have been written."""
    original = h5_store.H5IOStore.__setitem__
    calls = {"n": 0}

    def flaky(self, key, value):
        calls["n"] += 1
        if calls["n"] > n:
            raise _Boom("simulated crash mid-save")
        return original(self, key, value)
    monkeypatch.setattr(h5_store.H5IOStore, "__setitem__", flaky)


@pytest.mark.usefixtures("h5_backend")
@pytest.mark.parametrize("filename", ["m.keras", "w.weights.h5", "m.h5"])
def test_interrupted_save_keeps_previous_file(tmp_path, monkeypatch, filename):
    path = tmp_path / filename
    old = mlp()
    x = rand(3, 4)

    def save(model):
        if filename.endswith(".weights.h5"):
            model.save_weights(path)
        else:
            with pytest.warns(UserWarning) if filename.endswith(".h5") else _nullcontext():
                model.save(path)
    save(old)
    before = path.read_bytes()
    if filename == "m.h5":
        # The legacy writer goes through h5py/h5lite directly: fail in the file writer.
        original = saving_lib.atomic_write

        def crash(filepath, write_fn):
            def partial(f):
                f.write(b"partial bytes")
                raise _Boom("simulated crash mid-save")
            return original(filepath, partial)
        monkeypatch.setattr(saving_lib, "atomic_write", crash)
    else:
        _fail_after(monkeypatch, 1)
    with pytest.raises(_Boom):
        save(mlp(units=7))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert files_in(tmp_path) == [filename]  # no temporary file left behind
    if filename.endswith(".weights.h5"):
        fresh = mlp()
        fresh.load_weights(path)
        loaded = fresh
    else:
        loaded = saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), old.predict(x, verbose=0))


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_saved_files_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        mlp().save(tmp_path / "m.keras")
        assert (os.stat(tmp_path / "m.keras").st_mode & 0o777) == 0o644
        os.chmod(tmp_path / "m.keras", 0o600)
        mlp().save(tmp_path / "m.keras")  # overwriting keeps the file's mode
        assert (os.stat(tmp_path / "m.keras").st_mode & 0o777) == 0o600
    finally:
        os.umask(old)


def test_crash_while_zipping_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    mlp().save(path)
    before = path.read_bytes()
    original = zipfile.ZipFile.writestr

    def writestr(self, name, data, *args, **kwargs):
        if str(getattr(name, "filename", name)).startswith("model.weights"):
            raise _Boom("disk full")
        return original(self, name, data, *args, **kwargs)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)
    with pytest.raises(_Boom):
        mlp().save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["m.keras"]


# ----- corrupt and truncated files ----------------------------------------------------
@pytest.mark.parametrize("cut", [0.5, 0.98])
def test_truncated_archive(tmp_path, cut):
    path = tmp_path / "m.keras"
    mlp().save(path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * cut)])
    with pytest.raises(ValueError, match=r"m\.keras.*(truncated or corrupt)"):
        saving.load_model(path)


def test_corrupt_member_bytes(tmp_path):
    path = tmp_path / "m.keras"
    mlp().save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("model.weights.h5")
    start = info.header_offset + 30 + len(info.filename) + 200
    data[start:start + 64] = b"\xff" * 64  # flip bytes inside the weights member
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"m\.keras.*corrupt"):
        saving.load_model(path)


@pytest.mark.usefixtures("h5_backend")
def test_garbage_weights_member(tmp_path):
    src, dst = tmp_path / "a.keras", tmp_path / "b.keras"
    mlp().save(src)
    rewrite_archive(src, dst, {"model.weights.h5": b"\x89HDF\r\n\x1a\n" + b"\x00" * 100})
    with pytest.raises(ValueError, match=r"b\.keras"):
        saving.load_model(dst)


def test_not_a_zip(tmp_path):
    path = tmp_path / "m.keras"
    path.write_bytes(b"this is not a zip archive")
    with pytest.raises(ValueError, match=r"m\.keras.*not a valid \.keras archive"):
        saving.load_model(path)


def test_missing_members(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match="no config.json"):
        saving.load_model(path)
    src = tmp_path / "a.keras"
    mlp().save(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        zout.writestr("config.json", zin.read("config.json"))
    with pytest.raises(ValueError, match="expected a model.weights.h5"):
        saving.load_model(path)


def test_config_not_json(tmp_path):
    src, dst = tmp_path / "a.keras", tmp_path / "b.keras"
    mlp().save(src)
    rewrite_archive(src, dst, {"config.json": b"{not json"})
    with pytest.raises(ValueError, match="config.json is not valid JSON"):
        saving.load_model(dst)


@pytest.mark.usefixtures("h5_backend")
def test_truncated_weights_file(tmp_path):
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    data = (tmp_path / "w.weights.h5").read_bytes()
    (tmp_path / "w.weights.h5").write_bytes(data[:len(data) // 2])
    other = mlp()
    before = other.get_weights()
    with pytest.raises((ValueError, OSError), match=r"w\.weights\.h5"):
        other.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, other.get_weights()):
        np.testing.assert_array_equal(a, b)


# ----- unsafe archives ------------------------------------------------------------------
@pytest.mark.parametrize("member", ["../evil.txt", "assets/../../evil.txt", "/tmp/evil.txt",
                                    "..\\evil.txt", "C:/evil.txt"])
def test_path_traversal_members_are_refused(tmp_path, member):
    work = tmp_path / "work"
    work.mkdir()
    src, dst = work / "a.keras", work / "b.keras"
    mlp().save(src)
    rewrite_archive(src, dst, extra=[(member, b"pwned")])
    with pytest.raises(ValueError, match="unsafe member name"):
        saving.load_model(dst)
    with pytest.raises(ValueError, match="unsafe member name"):
        mlp().load_weights(dst)
    assert files_in(work) == ["a.keras", "b.keras"]
    assert files_in(tmp_path) == ["work"]


def test_oversized_config_member_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    mlp().save(path)
    monkeypatch.setattr(saving_lib, "MAX_JSON_MEMBER_BYTES", 100)
    with pytest.raises(ValueError, match="declares .* more than the 100 allowed"):
        saving.load_model(path)


def test_decompression_bomb_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    src = tmp_path / "a.keras"
    mlp().save(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            zout.writestr(name, zin.read(name))
        zout.writestr("model.weights.h5", b"\x00" * 2_000_000)  # replaces: last wins
    monkeypatch.setattr(saving_lib, "_ZIP_BOMB_FLOOR_BYTES", 1000)
    with pytest.raises(ValueError, match="decompression bomb"):
        saving.load_model(path)


# ----- configs that must not load -----------------------------------------------------
def _with_config(tmp_path, edit):
    src, dst = tmp_path / "a.keras", tmp_path / "b.keras"
    mlp().save(src)
    with zipfile.ZipFile(src) as zf:
        config = json.loads(zf.read("config.json"))
    edit(config)
    rewrite_archive(src, dst, {"config.json": json.dumps(config).encode()})
    return dst


def test_unknown_class_names_the_file_and_class(tmp_path):
    def edit(config):
        config["config"]["layers"][1]["class_name"] = "NoSuchLayer"
    path = _with_config(tmp_path, edit)
    with pytest.raises(TypeError, match=r"b\.keras.*Could not locate class 'NoSuchLayer'"):
        saving.load_model(path)


@pytest.mark.parametrize("module,name,kind", [
    ("os", "system", "class"), ("keras.models", "load_model", "class"),
    ("builtins", "eval", "function"), ("keras.saving", "load_model", "function"),
    ("subprocess", "Popen", "class")])
def test_non_modelling_objects_are_refused(module, name, kind):
    import sys
    before = set(sys.modules)
    if kind == "function":
        config = {"module": module, "class_name": "function", "config": name,
                  "registered_name": "function"}
    else:
        config = {"module": module, "class_name": name, "config": {}, "registered_name": None}
    with pytest.raises(TypeError, match=f"Could not locate {kind} '{name}'"):
        saving.deserialize_keras_object(config)
    assert set(sys.modules) - before == set()  # nothing was imported


def test_lambda_code_is_not_run_in_safe_mode(tmp_path):
    sentinel = tmp_path / "ran.txt"
    model = keras.Sequential([keras.Input((1,)), L.Lambda(
        lambda t, p=str(sentinel): (open(p, "w").write("x"), t)[1])])
    model.save(tmp_path / "m.keras")
    sentinel.unlink()  # building the model ran the lambda once
    with pytest.raises(ValueError, match="lambda"):
        saving.load_model(tmp_path / "m.keras")
    assert not sentinel.exists()


@pytest.mark.usefixtures("h5_backend")
def test_wrong_shapes_in_archive_give_clear_error(tmp_path):
    src, other, dst = tmp_path / "a.keras", tmp_path / "o.keras", tmp_path / "b.keras"
    mlp(units=6).save(src)
    mlp(units=5).save(other)
    with zipfile.ZipFile(other) as zf:
        wrong = zf.read("model.weights.h5")
    rewrite_archive(src, dst, {"model.weights.h5": wrong})
    with pytest.raises(ValueError, match=r"(?s)b\.keras.*'dense'.*expected shape \(4, 6\), "
                                         r"received saved weight with shape \(4, 5\)"):
        saving.load_model(dst)


@pytest.mark.usefixtures("h5_backend")
@pytest.mark.parametrize("filename", ["w.weights.h5", "m.keras", "m.h5"])
def test_load_weights_wrong_shapes_changes_nothing(tmp_path, filename):
    path = tmp_path / filename
    source = keras.Sequential([keras.Input((4,)), L.Dense(6), L.Dense(2), L.Dense(3)])
    if filename.endswith("weights.h5"):
        source.save_weights(path)
    else:
        with pytest.warns(UserWarning) if filename.endswith(".h5") else _nullcontext():
            source.save(path)
    target = keras.Sequential([keras.Input((4,)), L.Dense(6), L.Dense(2), L.Dense(4)])
    before = target.get_weights()
    with pytest.raises(ValueError, match=r"(?s)shape.*\(2, 4\).*\(2, 3\)"):
        target.load_weights(path)
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_load_weights_wrong_count_changes_nothing(tmp_path):
    source = keras.Sequential([keras.Input((4,)), L.Dense(6), L.Dense(2, use_bias=False)])
    source.save_weights(tmp_path / "w.weights.h5")
    target = keras.Sequential([keras.Input((4,)), L.Dense(6), L.Dense(2)])
    before = target.get_weights()
    with pytest.raises(ValueError, match="expected 2 variables, but received 1"):
        target.load_weights(tmp_path / "w.weights.h5")
    for a, b in zip(before, target.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_h5_soft_and_external_links_are_refused(tmp_path):
    h5py = pytest.importorskip("h5py")
    model = mlp()
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5", "a") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.SoftLink("/layers/dense_1/vars/0")
    with pytest.raises(ValueError, match="Not allowed: H5 file with SoftLink"):
        mlp().load_weights(tmp_path / "w.weights.h5")


def test_h5lite_refuses_soft_links(tmp_path, no_h5py):
    h5py = pytest.importorskip("h5py")
    buf = io.BytesIO()
    with h5py.File(buf, "w", libver="latest") as f:
        f.create_group("layers/dense/vars")
        f["layers/dense/vars/0"] = h5py.SoftLink("/elsewhere")
    (tmp_path / "w.weights.h5").write_bytes(buf.getvalue())
    model = keras.Sequential([keras.Input((4,)), L.Dense(6, name="dense")])
    with pytest.raises(ValueError, match="soft or external link"):
        model.load_weights(tmp_path / "w.weights.h5")
