"""h5lite: the small part of HDF5 that Keras files need, in pure Python.

An h5py-like API (`File`, `Group`, `Dataset`, `attrs`) used when h5py is not
installed, so `.keras` archives, `.weights.h5` and legacy `.h5` files can be
written and read with numpy alone. Written files use the HDF5 1.8 layout and
open in h5py (hence in Keras); reading covers the files h5py writes with its
default settings. Files using features beyond that raise an error saying to
install h5py.

Example:

```python
f = h5lite.File(buffer, mode="w")
f.create_group("layers/dense/vars").create_dataset("0", data=kernel)
f.close()
```
"""
import os

import numpy as np

from minikeras.saving.h5lite._types import H5LiteError, H5pyRequired  # noqa: F401


class AttributeManager:
    """`obj.attrs`: a dict of small arrays and strings stored in the object header."""

    def __init__(self, reader=None, raw=None):
        self._items = {}
        self._reader = reader
        self._raw = raw or {}

    def __contains__(self, key):
        return key in self._items or key in self._raw

    def __iter__(self):
        return iter(self.keys())

    def keys(self):
        return list(self._raw) + [k for k in self._items if k not in self._raw]

    def items(self):
        return [(k, self[k]) for k in self.keys()]

    def __len__(self):
        return len(self.keys())

    def __getitem__(self, key):
        if key in self._items:
            return self._items[key]
        if key not in self._raw:
            raise KeyError(f"Unable to find attribute {key!r}")
        dtype, shape, raw = self._raw[key]
        value = self._reader.decode(dtype, shape, raw)
        if shape == () or shape is None:
            if isinstance(value, np.ndarray):
                value = value[()]
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __setitem__(self, key, value):
        self._items[key] = value


class Dataset:
    """An n-dimensional array stored in the file."""

    def __init__(self, name, data=None, reader=None, info=None):
        self.name = name
        self.attrs = AttributeManager(reader, info.attributes if info else None)
        self._reader, self._info = reader, info
        if data is not None:
            self._data = np.array(data, order="C", copy=True)
            self.shape, self.dtype = self._data.shape, self._data.dtype
        else:
            if info.shape is None or info.dtype is None or info.layout is None:
                raise H5LiteError(f"Corrupt HDF5 file: dataset {name!r} lacks its shape, "
                                  "type or layout.")
            if info.filtered:
                from minikeras.saving.h5lite._types import unsupported
                raise unsupported("compressed or filtered datasets")
            self.shape = tuple(info.shape)
            self.dtype = info.dtype if isinstance(info.dtype, np.dtype) else np.dtype(object)
            self._data = None

    @property
    def storage_size(self):
        if self._data is not None:
            return self._data.nbytes
        layout = self._info.layout
        if layout[0] == "compact":
            return len(layout[1])
        size = layout[2]
        return size if size is not None else int(np.prod(self.shape)) * self.dtype.itemsize

    def __getitem__(self, key):
        if self._data is None:
            self._data = self._reader.read(self._info.dtype, self.shape, self._info.layout)
        return self._data[key]

    def __array__(self, dtype=None, copy=None):
        arr = np.asarray(self[()])
        return arr.astype(dtype) if dtype is not None else arr

    def __len__(self):
        if not self.shape:
            raise TypeError("Attempt to take len() of scalar dataset")
        return self.shape[0]


class Group:
    """A folder of named groups and datasets."""

    def __init__(self, name="/", reader=None, addr=None):
        self.name = name
        self._reader, self._addr = reader, addr
        self._children = {} if reader is None else None
        info = reader.object(addr) if reader is not None else None
        self.attrs = AttributeManager(reader, info.attributes if info else None)

    def _members(self):
        if self._children is None:
            links = self._reader.links(self._addr)
            if links is None:
                raise H5LiteError(f"Corrupt HDF5 file: {self.name!r} is not a group.")
            self._children = {}
            for name, addr in links.items():
                self._children[name] = ("lazy", addr)
        return self._children

    def _child(self, name):
        members = self._members()
        if name not in members:
            raise KeyError(f"Unable to open object (object {name!r} doesn't exist)")
        value = members[name]
        if isinstance(value, tuple) and value and value[0] == "lazy":
            addr = value[1]
            path = f"{self.name.rstrip('/')}/{name}"
            info = self._reader.object(addr)
            if self._reader.links(addr) is not None:
                value = Group(path, self._reader, addr)
            else:
                value = Dataset(path, reader=self._reader, info=info)
            members[name] = value
        return value

    def __getitem__(self, path):
        node = self
        for part in [p for p in path.split("/") if p]:
            if not isinstance(node, Group):
                raise KeyError(path)
            node = node._child(part)
        return node

    def __contains__(self, path):
        try:
            self[path]
            return True
        except KeyError:
            return False

    def keys(self):
        return list(self._members().keys())

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self._members())

    def get(self, name, default=None):
        return self[name] if name in self else default

    def create_group(self, path):
        """Create a group (and missing parents) at `path`; it must not exist."""
        parts = [p for p in path.split("/") if p]
        node = self
        for i, part in enumerate(parts):
            members = node._members()
            if part in members:
                node = node._child(part)
                if i == len(parts) - 1 or not isinstance(node, Group):
                    raise ValueError(f"Unable to create group (name already exists): {path!r}")
                continue
            new = Group(f"{node.name.rstrip('/')}/{part}")
            members[part] = new
            node = new
        return node

    def create_dataset(self, name, data=None, shape=None, dtype=None):
        """Store `data` (an array) as dataset `name`."""
        if data is None:
            data = np.zeros(shape, dtype=dtype or "float32")
        data = np.asarray(data, dtype=dtype)
        if data.dtype.kind == "b":
            data = data.astype("uint8")
        parent_path, _, leaf = name.rpartition("/")
        parent = self
        if parent_path:
            parent = self[parent_path] if parent_path in self else self.create_group(parent_path)
        if leaf in parent._members():
            raise ValueError(f"Unable to create dataset (name already exists): {name!r}")
        ds = Dataset(f"{parent.name.rstrip('/')}/{leaf}", data=data)
        parent._members()[leaf] = ds
        return ds

    def __setitem__(self, name, value):
        self.create_dataset(name, data=value)


class File(Group):
    """An HDF5 file: a path or a binary file object, mode `"r"` or `"w"`."""

    def __init__(self, path_or_io, mode="r"):
        if mode not in ("r", "w"):
            raise ValueError(f"h5lite supports modes 'r' and 'w'; received {mode!r}")
        self.mode = mode
        self._target = path_or_io
        if mode == "r":
            from minikeras.saving.h5lite._reader import Reader
            if hasattr(path_or_io, "read"):
                data = path_or_io.read()
            else:
                with open(os.fspath(path_or_io), "rb") as f:
                    data = f.read()
            reader = Reader(data)
            super().__init__("/", reader, reader.root)
            if reader.links(reader.root) is None:
                raise H5LiteError("Corrupt HDF5 file: the root object is not a group.")
        else:
            super().__init__("/")
        self._closed = False

    def close(self):
        if self._closed:
            return
        self._closed = True
        if self.mode == "w":
            from minikeras.saving.h5lite._writer import serialize
            data = serialize(self)
            if hasattr(self._target, "write"):
                self._target.write(data)
            else:
                with open(os.fspath(self._target), "wb") as f:
                    f.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


def to_bytes(root):
    """The bytes `File.close()` would write for the tree under `root`."""
    from minikeras.saving.h5lite._writer import serialize
    return serialize(root)


__all__ = ["File", "Group", "Dataset", "AttributeManager", "H5LiteError", "H5pyRequired",
           "to_bytes"]
