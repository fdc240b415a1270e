"""`H5IOStore`: the weights of Keras 3's `.weights.h5` / `model.weights.h5`.

Layout (Keras 3's): the variables of the object at path `p` (`layers/dense`,
`optimizer`, or the model itself at `""`) are datasets `p/vars/0`,
`p/vars/1`, ... with the object's name as the `name` attribute of the
`vars` group.

HDF5 is read and written with h5py when it is installed, and otherwise
with minikeras's own small HDF5 implementation (`minikeras.saving.h5lite`),
so saving and loading need no compiled dependency. Reading refuses what a
weights file never needs: links to other files, soft links, external or
virtual datasets, non-numeric datasets and datasets that declare far more
data than the file stores.
"""
import io
import math

import numpy as np

# A dataset declaring more than this and > _MAX_EXPANSION x its stored bytes
# is a decompression/shape bomb, as in Keras's own guard.
_BOMB_FLOOR_BYTES = 1 << 32
_MAX_EXPANSION = 1000
_NUMERIC_KINDS = "biufc"


def _import_h5py():
    import h5py
    return h5py


def h5_backend(prefer_h5py=True):
    """The module used for HDF5: h5py if importable, else minikeras's h5lite."""
    if prefer_h5py:
        try:
            return _import_h5py()
        except ImportError:
            pass
    from minikeras.saving import h5lite
    return h5lite


class H5FormatError(ValueError):
    """A weights file that is not valid, or not allowed, HDF5."""


def _is_h5py(module):
    return getattr(module, "__name__", "") == "h5py"


def open_h5(path_or_io, mode, backend=None):
    """Open an HDF5 file (path or file object) with the chosen backend."""
    backend = backend or h5_backend()
    return backend, backend.File(path_or_io, mode=mode)


def safe_get_group(backend, parent, name):
    """The group at `name` under `parent`, refusing links and non-groups."""
    current = parent
    for part in name.split("/"):
        if not part:
            raise H5FormatError(f"Invalid path in H5 file: {name!r}")
        if part not in current:
            raise KeyError(name)
        _check_link(backend, current, part)
        current = current[part]
        if not isinstance(current, backend.Group):
            raise H5FormatError(f"Invalid H5 file, expected Group at {name!r} but "
                                f"found {type(current).__name__}")
    return current


def _check_link(backend, group, name):
    if _is_h5py(backend):
        kind = group.get(name, default=None, getclass=True, getlink=True)
        if kind in (backend.ExternalLink, backend.SoftLink):
            raise H5FormatError(f"Not allowed: H5 file with {kind.__name__} at {name!r}")


def safe_read_dataset(backend, group, name):
    """The numpy value of dataset `name` in `group`, with the safety checks."""
    if name not in group:
        raise KeyError(name)
    _check_link(backend, group, name)
    ds = group[name]
    if not isinstance(ds, backend.Dataset):
        raise H5FormatError(f"Invalid H5 file, expected Dataset at {name!r}, found "
                            f"{type(ds).__name__}")
    if _is_h5py(backend):
        if ds.external:
            raise H5FormatError(f"Not allowed: H5 file with external Dataset: {ds.external}")
        if ds.is_virtual:
            raise H5FormatError("Not allowed: H5 file with virtual Dataset")
        stored = ds.id.get_storage_size()
    else:
        stored = ds.storage_size
    if ds.dtype.kind not in _NUMERIC_KINDS:
        raise H5FormatError(f"Invalid weights: dataset {name!r} has non-numeric dtype "
                            f"{ds.dtype}")
    declared = math.prod(ds.shape) * ds.dtype.itemsize
    if declared > _BOMB_FLOOR_BYTES and declared > _MAX_EXPANSION * stored:
        raise H5FormatError(f"Not allowed: H5 dataset {name!r} declares {declared} bytes "
                            f"but stores only {stored}; refusing a potential "
                            "decompression/shape bomb.")
    return np.array(ds[()])


class H5IOStore:
    """Dict-like access to the `p/vars` groups of a Keras 3 weights file.

    Args:
        path_or_io: a path or a binary file object.
        mode: `"r"` or `"w"`.
        backend: the HDF5 module (default: h5py if installed, else h5lite).
    """

    def __init__(self, path_or_io, mode="r", backend=None):
        if mode not in ("r", "w"):
            raise ValueError(f"`mode` should be either 'w' or 'r'. Received: {mode}")
        self.mode = mode
        self.backend, self.h5_file = open_h5(path_or_io, mode, backend)
        self._path = None
        self._group = {}
        self._initialized = False

    # Store level -----------------------------------------------------------
    def make(self, path, metadata=None):
        """Select the entry at `path` for writing (created on first write)."""
        if self.mode != "w":
            raise ValueError("`make` is only allowed in write mode.")
        self._path = path
        self._group = {}
        self._initialized = False
        if metadata:
            self._create_group(path, metadata)
        return self

    def get(self, path):
        """Select the entry at `path` for reading (empty if absent)."""
        if self.mode != "r":
            raise ValueError("`get` is only allowed in read mode.")
        self._path = path
        self._group = {}
        self._initialized = True
        vars_path = f"{path}/vars" if path else "vars"
        try:
            self._group = safe_get_group(self.backend, self.h5_file, vars_path)
        except KeyError:
            if path and "_layer_checkpoint_dependencies" in self.h5_file:
                # Files written by Keras 2.13.
                legacy = path.replace("layers", "_layer_checkpoint_dependencies")
                try:
                    self._group = safe_get_group(self.backend, self.h5_file,
                                                 f"{legacy}/vars")
                except KeyError:
                    pass
        return self

    def has_path(self, path):
        return path in self.h5_file

    def close(self):
        self.h5_file.close()

    # Entry level -----------------------------------------------------------
    def _create_group(self, path, metadata=None):
        group = self.h5_file.create_group(f"{path}/vars" if path else "vars")
        for k, v in (metadata or {}).items():
            group.attrs[k] = v
        self._group = group
        self._initialized = True

    def keys(self):
        return list(self._group.keys())

    def __len__(self):
        return len(self._group)

    def __contains__(self, key):
        return key in self._group

    def __getitem__(self, key):
        if isinstance(self._group, dict):
            raise KeyError(key)
        return safe_read_dataset(self.backend, self._group, key)

    def __setitem__(self, key, value):
        if self.mode != "w":
            raise ValueError("Setting a value is only allowed in write mode.")
        if not self._initialized:
            self._create_group(self._path)
        value = np.asarray(getattr(value, "numpy", lambda: value)())
        self._group.create_dataset(key, data=value)


def h5_bytes_reader(data, backend=None):
    """An `H5IOStore` over bytes (the weights member of a `.keras` archive)."""
    return H5IOStore(io.BytesIO(data), mode="r", backend=backend)
