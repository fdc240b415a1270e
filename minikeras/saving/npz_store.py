"""`NpzIOStore`: weights as a numpy `.npz` (the `weights_format="npz"` option).

Each variable is one plain array member named like its HDF5 dataset
(`layers/dense/vars/0`), so the file needs neither h5py nor pickle, and
reading uses `allow_pickle=False`.

Keras 3.15's own `NpzIOStore` stores each object's variables as a pickled
Python dict, which it then cannot read back itself (it loads with
`allow_pickle=False`); such files are refused here with an explanation,
since unpickling would run code from the file.
"""
import io
import math

import numpy as np
from numpy.lib import format as npy_format

_BOMB_FLOOR_BYTES = 1 << 32
_MAX_EXPANSION = 100


class NpzIOStore:
    """Dict-like access to the per-object variable entries of an `.npz` file.

    Args:
        path_or_io: a path or a binary file object.
        mode: `"r"` or `"w"`.
    """

    def __init__(self, path_or_io, mode="r"):
        if mode not in ("r", "w"):
            raise ValueError(f"`mode` should be either 'w' or 'r'. Received: {mode}")
        self.mode = mode
        self.target = path_or_io
        self._arrays = {}
        self._path = ""
        if mode == "r":
            try:
                self._npz = np.load(path_or_io, allow_pickle=False)
            except Exception as e:
                raise ValueError(f"Invalid npz weights file: {e}") from e
            self._members = list(self._npz.files)
            if self._members and not any("/vars/" in m or m.startswith("vars/")
                                         for m in self._members):
                raise ValueError(
                    "This npz weights file uses Keras 3's npz layout, which stores each "
                    "layer's variables as a pickled Python object. Loading it would run "
                    "code from the file, so minikeras refuses it (Keras 3.15 cannot load "
                    "it either). Save the model with the default `.h5` weights instead.")

    def make(self, path, metadata=None):
        self._path = path
        return self

    def get(self, path):
        self._path = path
        return self

    def _prefix(self):
        return f"{self._path}/vars/" if self._path else "vars/"

    def has_path(self, path):
        prefix = f"{path}/"
        return any(m.startswith(prefix) for m in self._names())

    def _names(self):
        return self._members if self.mode == "r" else list(self._arrays)

    def keys(self):
        prefix = self._prefix()
        keys = [m[len(prefix):] for m in self._names() if m.startswith(prefix)]
        return [k for k in keys if "/" not in k]

    def __len__(self):
        return len(self.keys())

    def __contains__(self, key):
        return key in self.keys()

    def __getitem__(self, key):
        name = self._prefix() + key
        if name not in self._names():
            raise KeyError(key)
        self._reject_bomb(name)
        value = self._npz[name]
        if value.dtype.kind not in "biufc":
            raise ValueError(f"Invalid weights: npz member {name!r} has non-numeric "
                             f"dtype {value.dtype}")
        return value

    def __setitem__(self, key, value):
        if self.mode != "w":
            raise ValueError("Setting a value is only allowed in write mode.")
        value = np.asarray(getattr(value, "numpy", lambda: value)())
        self._arrays[self._prefix() + key] = value

    def _reject_bomb(self, name):
        zf = getattr(self._npz, "zip", None)
        if zf is None:
            return
        info = zf.getinfo(name + ".npy")
        with zf.open(info) as f:
            major, _ = npy_format.read_magic(f)
            reader = getattr(npy_format, f"read_array_header_{major}_0",
                             npy_format.read_array_header_2_0)
            shape, _, dtype = reader(f)
        declared = math.prod(shape) * dtype.itemsize
        if declared > _BOMB_FLOOR_BYTES and declared > _MAX_EXPANSION * max(info.compress_size, 1):
            raise ValueError(f"Refusing npz weight {name!r}: it declares {declared} bytes but "
                             f"stores {info.compress_size}; a potential decompression bomb.")

    def getvalue(self):
        """The written file's bytes (write mode, in-memory target)."""
        buf = io.BytesIO()
        np.savez(buf, **self._arrays)
        return buf.getvalue()

    def close(self):
        if self.mode == "w":
            if hasattr(self.target, "write"):
                self.target.write(self.getvalue())
            else:
                with open(self.target, "wb") as f:
                    f.write(self.getvalue())
        else:
            self._npz.close()
