"""The `.keras` archive and `.weights.h5` files, in Keras 3's layout.

A `.keras` file is a zip holding `metadata.json`, `config.json` (the model's
`serialize_keras_object` config) and `model.weights.h5` (or, on request,
`model.weights.npz`). Weights are stored per object at the path Keras 3
derives by walking the model (`_walk_saveable`): a Sequential/Functional
model's `layers` first, then every other attribute in sorted order (private
ones last); objects inside lists and dicts are named after their class in
snake case (`dense`, `dense_1`, ...).

Writing is atomic: the file is written under a temporary name in the target
folder, then renamed over the target, so an interrupted save leaves the
previous file as it was. Reading never extracts anything to disk, checks
member names and sizes, and builds a fresh model that is returned only when
every weight loaded; `load_weights` verifies shapes first and restores the
previous values if anything fails.
"""
import datetime
import io
import json
import os
import re
import shutil
import tempfile
import uuid
import warnings
import zipfile

import numpy as np

from minikeras.saving import h5_store, npz_store

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
VARS_FNAME_H5 = "model.weights.h5"
VARS_FNAME_NPZ = "model.weights.npz"
ASSETS_DIRNAME = "assets"
# The Keras 3 release whose file format this module writes.
KERAS_FORMAT_VERSION = "3.15.1"

# Archive limits: JSON members are small; a weights member may be large but
# must not expand far beyond what the archive stores (a zip bomb).
MAX_JSON_MEMBER_BYTES = 256 * 1024 * 1024
_ZIP_BOMB_FLOOR_BYTES = 1 << 32
_ZIP_MAX_EXPANSION = 100


class LoadingError(ValueError):
    """A file could not be loaded (corrupt, unsafe, or not matching the model)."""


# ----- walking the model ----------------------------------------------------------
def _to_snake_case(name):
    """Keras's `naming.to_snake_case` (`Conv2D` -> `conv2d`), used for weight paths."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


_SKIP = {}


def _layer_skipset():
    """Attribute names every layer has: never walked (Keras's `get_attr_skipset`)."""
    if "layer" not in _SKIP:
        from minikeras.layers.layer import Layer
        from minikeras.trainers.trainer import Trainer
        names = set(dir(Layer(name="__attr_skipset_probe__")))
        probe = object.__new__(type("_TrainerProbe", (Trainer,), {}))
        probe._init_trainer()
        names.update(dir(probe))
        names.discard("optimizer")
        names.update({"_stack", "_input_layer", "_graph_outputs", "_functional_layers",
                      "_nodes", "_inputs_struct", "_outputs_struct", "inputs", "outputs",
                      "_has_masking", "operations", "_operations", "_functional"})
        _SKIP["layer"] = names
    return _SKIP["layer"]


def _name_key(name):
    """Private attributes are visited last."""
    return f"~{name}" if name.startswith("_") else name


def _kind(obj):
    from minikeras.layers.layer import Layer
    from minikeras.optimizers.base_optimizer import Optimizer
    if isinstance(obj, Layer):
        return "layer"
    if isinstance(obj, Optimizer):
        return "optimizer"
    return None


def _walk_saveable(obj):
    """`(attribute, value)` pairs of `obj`'s children, in Keras 3's order."""
    from minikeras.models.functional import Functional
    from minikeras.models.sequential import Sequential
    if _kind(obj) == "optimizer":
        for attr in sorted(vars(obj), key=_name_key):
            value = vars(obj)[attr]
            if _kind(value) == "optimizer":
                yield attr, value
        return
    skip = _layer_skipset()
    if isinstance(obj, Functional):
        from minikeras.models.functional_config import is_op_layer, keras_layer_order
        # Raw ops (`x + y`) are operations in Keras, not layers: no weight-file entry.
        yield "layers", [l for l in keras_layer_order(obj) if not is_op_layer(l)]
        skip = skip | {"layers"}  # walked just now (Keras's Model skipset has it)
    elif isinstance(obj, Sequential):
        yield "layers", obj.layers
        skip = skip | {"layers"}
    for attr in sorted(dir(obj), key=_name_key):
        if attr.startswith("__") or attr in skip:
            continue
        try:
            value = getattr(obj, attr)
        except Exception:
            continue
        yield attr, value


def _join(path, name):
    return f"{path}/{name}" if path else name


def _iter_saveables(obj, path="", visited=None):
    """`(path, object)` for every object with variables, depth first, each once."""
    visited = set() if visited is None else visited
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield path, obj
    for attr, child in _walk_saveable(obj):
        if _kind(child) is not None:
            yield from _iter_saveables(child, _join(path, attr), visited)
        elif isinstance(child, (list, tuple, dict)):
            yield from _iter_container(child, _join(path, attr), visited, set())


def _iter_container(container, path, visited, seen_containers):
    if id(container) in seen_containers:
        return
    seen_containers.add(id(container))
    used = {}
    items = list(container.values()) if isinstance(container, dict) else list(container)
    for item in items:
        if _kind(item) is not None:
            name = _unique(_to_snake_case(type(item).__name__), used)
            yield from _iter_saveables(item, _join(path, name), visited)
        elif isinstance(item, (list, tuple, dict)):
            name = _unique("container", used)
            yield from _iter_container(item, _join(path, name), visited, seen_containers)


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def weight_paths(model):
    """`{path: object}` of everything `save` writes variables for (for inspection)."""
    return {path: obj for path, obj in _iter_saveables(model)}


# ----- saving -----------------------------------------------------------------------
def _save_state(model, store, objects_to_skip=None):
    visited = {id(o) for o in (objects_to_skip or ())}
    for path, obj in _iter_saveables(model, visited=visited):
        name = getattr(obj, "name", None)
        store.make(path, metadata={"name": name} if isinstance(name, str) else None)
        obj.save_own_variables(store)


def _create_temp(folder, basename):
    """A new file next to the target; created with 0o666 so the umask applies as usual."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{basename}.{uuid.uuid4().hex[:12]}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"Could not create a temporary file in {folder}")


def atomic_write(filepath, write_fn):
    """Write `filepath` via `write_fn(fileobj)` into a temp file, then rename it.

    The temporary file lives in the target's folder (so the rename is atomic
    on the same filesystem) and is removed if `write_fn` raises.
    """
    filepath = os.fspath(filepath)
    folder = os.path.dirname(os.path.abspath(filepath))
    if not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)
    fd, tmp = _create_temp(folder, os.path.basename(filepath))
    try:
        if os.path.exists(filepath):
            os.chmod(tmp, os.stat(filepath).st_mode & 0o7777)  # keep the file's permissions
        with os.fdopen(fd, "wb") as f:
            write_fn(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def _metadata_json():
    from minikeras import __version__
    return json.dumps({"keras_version": KERAS_FORMAT_VERSION,
                       "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                       "minikeras_version": __version__})


def _config_json(model):
    from minikeras.saving.serialization import serialize_keras_object
    return json.dumps(serialize_keras_object(model), default=_json_default)


def _json_default(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _weights_bytes(model, weights_format, objects_to_skip=None):
    if weights_format == "h5":
        buf = io.BytesIO()
        store = h5_store.H5IOStore(buf, mode="w")
        try:
            _save_state(model, store, objects_to_skip)
        finally:
            store.close()
        return buf.getvalue()
    if weights_format == "npz":
        store = npz_store.NpzIOStore(None, mode="w")
        _save_state(model, store)
        return store.getvalue()
    raise ValueError("Unknown `weights_format` argument. Expected 'h5' or 'npz'. "
                     f"Received: weights_format={weights_format}")


def _asset_members(model):
    """`[(member name, bytes)]` the objects' `save_assets` write, under `assets/<path>/`.

    As in Keras, every object with a `save_assets(dir_path)` method gets its
    own folder (named after its path in the model) to write files into; the
    files go into the archive, empty folders don't.
    """
    objects = [(path, obj) for path, obj in _iter_saveables(model)
               if callable(getattr(obj, "save_assets", None))]
    if not objects:
        return []
    root = tempfile.mkdtemp(prefix="minikeras_assets_")
    try:
        for path, obj in objects:
            folder = os.path.join(root, *path.split("/")) if path else root
            os.makedirs(folder, exist_ok=True)
            obj.save_assets(folder)
        members = []
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                member = f"{ASSETS_DIRNAME}/{rel}"
                try:
                    _check_member_name("<assets>", member)
                except LoadingError:
                    raise ValueError(f"Refusing to save the asset {rel!r}: its name would "
                                     "not load back safely (backslashes, '..').") from None
                if os.path.islink(full):
                    raise ValueError(f"Refusing to save the asset {rel!r}: it is a symbolic "
                                     "link; `save_assets` must write plain files.")
                with open(full, "rb") as f:
                    members.append((member, f.read()))
        return members
    finally:
        shutil.rmtree(root, ignore_errors=True)


def save_model(model, filepath, weights_format="h5"):
    """Write `model` as a `.keras` archive (atomically)."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError("Invalid `filepath` argument: expected a `.keras` extension. "
                         f"Received: filepath={filepath}")
    if not model.built:
        warnings.warn("You are saving a model that has not yet been built. It might not "
                      "contain any weights yet. Consider building the model first by "
                      "calling it on some data.", stacklevel=3)
    config_json = _config_json(model)
    weights = _weights_bytes(model, weights_format)
    member = VARS_FNAME_H5 if weights_format == "h5" else VARS_FNAME_NPZ
    assets = _asset_members(model)

    def write(f):
        with zipfile.ZipFile(f, "w") as zf:
            zf.writestr(METADATA_FILENAME, _metadata_json())
            zf.writestr(CONFIG_FILENAME, config_json)
            zf.writestr(member, weights)
            for name, data in assets:
                zf.writestr(name, data)
    atomic_write(filepath, write)


def save_weights_only(model, filepath, objects_to_skip=None):
    """Write the model's variables as a Keras 3 `.weights.h5` file (atomically)."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")
    if not model.built:
        raise ValueError("You are saving a model that has not yet been built. Try building "
                         "the model first by calling it on some data or by using `build()`.")
    data = _weights_bytes(model, "h5", objects_to_skip)
    atomic_write(filepath, lambda f: f.write(data))


# ----- reading archives -----------------------------------------------------------
def _check_member_name(filepath, name):
    parts = name.replace("\\", "/").split("/")
    if (name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts
            or "\x00" in name):
        raise LoadingError(f"Refusing to load '{filepath}': the archive contains an unsafe "
                           f"member name {name!r} (absolute path or '..' path traversal).")


def _read_member(filepath, zf, name, limit=None):
    info = zf.getinfo(name)
    if limit is not None and info.file_size > limit:
        raise LoadingError(f"Refusing to load '{filepath}': archive member {name!r} declares "
                           f"{info.file_size} bytes, more than the {limit} allowed.")
    if (info.file_size > _ZIP_BOMB_FLOOR_BYTES
            and info.file_size > _ZIP_MAX_EXPANSION * max(info.compress_size, 1)):
        raise LoadingError(f"Refusing to load '{filepath}': archive member {name!r} declares "
                           f"{info.file_size} bytes but stores only {info.compress_size}; "
                           "refusing a potential decompression bomb.")
    try:
        with zf.open(name, "r") as f:
            data = f.read(info.file_size + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        raise LoadingError(f"Could not read '{filepath}': archive member {name!r} is "
                           f"corrupt or truncated ({e}).") from e
    if len(data) != info.file_size:
        raise LoadingError(f"Could not read '{filepath}': archive member {name!r} has "
                           f"{len(data)} bytes, its header says {info.file_size}.")
    return data


class _Archive:
    """A validated `.keras` zip: member names checked, nothing extracted to disk."""

    def __init__(self, filepath_or_io):
        self.filepath = (getattr(filepath_or_io, "name", "<file object>")
                         if hasattr(filepath_or_io, "read") else os.fspath(filepath_or_io))
        try:
            self.zf = zipfile.ZipFile(filepath_or_io, "r")
        except FileNotFoundError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise LoadingError(f"Could not read '{self.filepath}': it is not a valid .keras "
                               f"archive (the zip is truncated or corrupt: {e}).") from e
        names = self.zf.namelist()
        for name in names:
            _check_member_name(self.filepath, name)
        self.names = set(names)
        if CONFIG_FILENAME not in self.names:
            raise LoadingError(f"Could not read '{self.filepath}': the archive has no "
                               f"{CONFIG_FILENAME} (members: {sorted(self.names)}).")

    def config(self):
        data = _read_member(self.filepath, self.zf, CONFIG_FILENAME, MAX_JSON_MEMBER_BYTES)
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise LoadingError(f"Could not read '{self.filepath}': {CONFIG_FILENAME} is not "
                               f"valid JSON ({e}).") from e

    def weights_store(self):
        if VARS_FNAME_H5 in self.names:
            data = _read_member(self.filepath, self.zf, VARS_FNAME_H5)
            try:
                return h5_store.h5_bytes_reader(data)
            except ImportError as e:
                raise type(e)(f"Could not read '{self.filepath}': {e}") from e
            except Exception as e:
                raise LoadingError(f"Could not read '{self.filepath}': {VARS_FNAME_H5} is "
                                   f"not a valid HDF5 file ({e}).") from e
        if VARS_FNAME_NPZ in self.names:
            data = _read_member(self.filepath, self.zf, VARS_FNAME_NPZ)
            try:
                return npz_store.NpzIOStore(io.BytesIO(data), mode="r")
            except ValueError as e:
                raise LoadingError(f"Could not read '{self.filepath}': {e}") from e
        raise LoadingError(f"Could not read '{self.filepath}': expected a {VARS_FNAME_H5} "
                           f"or {VARS_FNAME_NPZ} member, found {sorted(self.names)}.")

    def extract_assets(self, folder):
        """Write the `assets/` members under `folder` (checked: names, sizes, no escape)."""
        root = os.path.realpath(folder)
        prefix = ASSETS_DIRNAME + "/"
        for name in sorted(self.names):
            if not name.startswith(prefix) or name == prefix:
                continue
            target = os.path.realpath(os.path.join(root, *name[len(prefix):].split("/")))
            if os.path.commonpath([root, target]) != root or target == root:
                raise LoadingError(f"Refusing to load '{self.filepath}': the asset member "
                                   f"{name!r} escapes the assets folder.")
            if name.endswith("/"):
                os.makedirs(target, exist_ok=True)
                continue
            data = _read_member(self.filepath, self.zf, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "xb") as f:
                f.write(data)

    def has_assets(self):
        return any(n.startswith(ASSETS_DIRNAME + "/") for n in self.names)

    def close(self):
        self.zf.close()


# ----- loading state ----------------------------------------------------------------
def _entry(store, path):
    """All arrays of the object at `path`, read once (a plain dict)."""
    store.get(path)
    return {key: store[key] for key in store.keys()}


def _describe(obj, path):
    return f"'{getattr(obj, 'name', type(obj).__name__)}' (at '{path or '/'}')"


def _check_entry(obj, path, entry):
    """Raise ValueError if `entry` can't fill `obj`'s variables (standard layouts only)."""
    from minikeras.layers.layer import Layer
    from minikeras.optimizers.base_optimizer import Optimizer
    cls = type(obj)
    if _kind(obj) == "layer" and cls.save_own_variables is Layer.save_own_variables:
        # The file holds `_own_variables` in order; a custom load hook (that
        # keeps the default save) still gets its shapes checked here.
        order = getattr(obj, "_store_variables", None)  # the hooks' order, if defined
        expected = list(order() if callable(order) else obj._own_variables)
        kind = "Layer"
        if cls.load_own_variables is not Layer.load_own_variables and \
                len(entry) != len(expected):
            return  # let the layer's own hook judge an unusual entry
    elif _kind(obj) == "optimizer" and cls.load_own_variables is Optimizer.load_own_variables:
        expected = list(obj.variables)
        if len(entry) != len(expected):
            return  # the optimizer warns and keeps its state, as in Keras
        kind = "Optimizer"
    else:
        return
    if len(entry) != len(expected):
        raise ValueError(
            f"{kind} {_describe(obj, path)} expected {len(expected)} variables, but received "
            f"{len(entry)} variables during loading. Expected: {[v.name for v in expected]}")
    for i, var in enumerate(expected):
        if str(i) not in entry:
            raise ValueError(f"{kind} {_describe(obj, path)}: the file has no variable "
                             f"'{i}' (it has {sorted(entry)}).")
        got = tuple(np.shape(entry[str(i)]))
        if got != tuple(var.shape):
            raise ValueError(
                f"{kind} {_describe(obj, path)}: shape mismatch for variable "
                f"'{var.name}': expected shape {tuple(var.shape)}, received saved weight "
                f"with shape {got}.")


def _all_variables(model):
    seen, out = set(), []
    for _, obj in _iter_saveables(model):
        variables = obj.variables if _kind(obj) == "optimizer" else obj._own_variables
        for v in variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
    return out


def _load_state(model, store, filepath, skip_mismatch=False, objects_to_skip=None):
    """Load every object's variables; on error restore all and raise (or warn)."""
    variables = _all_variables(model)
    snapshot = [(v, np.array(v.numpy(), copy=True)) for v in variables]
    errors = []
    try:
        # Skipped objects are "already visited": they and what they own are left alone.
        skipped = {id(o) for o in (objects_to_skip or ())}
        for path, obj in _iter_saveables(model, visited=skipped):
            own = obj.variables if _kind(obj) == "optimizer" else obj._own_variables
            before = [(v, np.array(v.numpy(), copy=True)) for v in own]
            try:
                entry = _entry(store, path)
                _check_entry(obj, path, entry)
                obj.load_own_variables(entry)
            except Exception as e:  # noqa: BLE001 - reported with the file name below
                for v, value in before:
                    v.assign(value)
                if isinstance(e, ImportError):
                    raise
                errors.append((path, obj, e))
    except BaseException:
        for v, value in snapshot:
            v.assign(value)
        raise
    if errors:
        path, obj, first = errors[0]
        msg = (f"A total of {len(errors)} objects could not be loaded from '{filepath}'. "
               f"Example error message for object {_describe(obj, path)}:\n\n{first}\n\n"
               f"List of objects that could not be loaded:\n"
               f"{[_describe(o, p) for p, o, _ in errors]}")
        if skip_mismatch:
            warnings.warn(msg, stacklevel=3)
        else:
            for v, value in snapshot:
                v.assign(value)
            raise LoadingError(msg)


def _model_from_config(config, filepath, custom_objects, compile, safe_mode):
    from minikeras.saving.serialization import ObjectSharingScope, deserialize_keras_object
    if not isinstance(config, dict) or "class_name" not in config:
        raise LoadingError(f"Could not read '{filepath}': {CONFIG_FILENAME} does not hold a "
                           "serialized model (no 'class_name').")
    if not compile:
        config = dict(config)
        config["compile_config"] = None
    try:
        with ObjectSharingScope():
            model = deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)
    except (TypeError, ValueError) as e:
        raise type(e)(f"Could not load the model in '{filepath}': {e}") from e
    from minikeras.layers.layer import Layer
    if not isinstance(model, Layer):
        raise LoadingError(f"Could not read '{filepath}': its config describes a "
                           f"{type(model).__name__}, not a model.")
    return model


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a `.keras` archive; the model is returned only if everything loaded."""
    archive = _Archive(filepath)
    try:
        model = _model_from_config(archive.config(), archive.filepath, custom_objects,
                                   compile, safe_mode)
        store = archive.weights_store()
        try:
            _load_state(model, store, archive.filepath)
        finally:
            store.close()
        _load_assets(model, archive)
    finally:
        archive.close()
    return model


def _load_assets(model, archive):
    """Call `load_assets(dir_path)` of every object whose folder the archive has.

    The `assets/` members are written to a temporary folder (Keras's layers
    read files), which is removed afterwards.
    """
    objects = [(path, obj) for path, obj in _iter_saveables(model)
               if callable(getattr(obj, "load_assets", None))]
    if not objects or not archive.has_assets():
        return
    root = tempfile.mkdtemp(prefix="minikeras_assets_")
    try:
        archive.extract_assets(root)
        for path, obj in objects:
            folder = os.path.join(root, *path.split("/")) if path else root
            if not os.path.isdir(folder):
                continue  # nothing saved for it (Keras writes no empty folders)
            try:
                obj.load_assets(folder)
            except Exception as e:  # noqa: BLE001 - reported with the file name
                raise LoadingError(
                    f"Could not load the assets of {_describe(obj, path)} from "
                    f"'{archive.filepath}': {type(e).__name__}: {e}") from e
    finally:
        shutil.rmtree(root, ignore_errors=True)


def load_weights_only(model, filepath, skip_mismatch=False, objects_to_skip=None):
    """Load weights from a `.keras` archive or a `.weights.h5` file into `model`."""
    if not model.built:
        raise ValueError("You are loading weights into a model that has not yet been built. "
                         "Try building the model first by calling it on some data or by "
                         "using `build()`.")
    filepath_str = os.fspath(filepath) if not hasattr(filepath, "read") else ""
    if filepath_str.endswith(".keras"):
        archive = _Archive(filepath)
        try:
            store = archive.weights_store()
        finally:
            archive.close()
        name = archive.filepath
    else:
        name = filepath_str
        try:
            with open(filepath, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"No such file: '{filepath}'") from None
        try:
            store = h5_store.h5_bytes_reader(data)
        except ImportError as e:
            raise type(e)(f"Could not read '{name}': {e}") from e
        except Exception as e:
            raise LoadingError(f"Could not read '{name}': not a valid HDF5 weights file "
                               f"(truncated or corrupt: {e}).") from e
    try:
        _load_state(model, store, name, skip_mismatch=skip_mismatch,
                    objects_to_skip=objects_to_skip)
    finally:
        store.close()
