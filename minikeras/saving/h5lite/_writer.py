"""Serialize an in-memory tree of groups, datasets and attributes to HDF5 bytes.

The file uses the HDF5 1.8+ layout: a version-2 superblock, version-2 object
headers (with lookup3 checksums), groups with compact link storage, and
contiguous datasets. Every HDF5 library since 1.8 (hence h5py, hence Keras)
reads it. All addresses are computed first (object sizes don't depend on
them), then the bytes are written in one pass.
"""
import struct

import numpy as np

from minikeras.saving.h5lite._checksum import lookup3
from minikeras.saving.h5lite._types import UNDEF, encode_dataspace, encode_datatype

_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_SUPERBLOCK_SIZE = 48

# Message types.
_DATASPACE, _LINK_INFO, _DATATYPE, _FILL, _LINK, _LAYOUT, _GROUP_INFO, _ATTRIBUTE = (
    0x01, 0x02, 0x03, 0x05, 0x06, 0x08, 0x0A, 0x0C)


def _message(mtype, body, flags=0):
    if len(body) > 0xFFFF:
        raise ValueError(f"HDF5 object header message too large ({len(body)} bytes); "
                         "an attribute must stay under 64 KiB.")
    return struct.pack("<BHB", mtype, len(body), flags) + body


def _object_header(messages):
    body = b"".join(messages)
    head = b"OHDR" + bytes([2, 0x02]) + struct.pack("<I", len(body))  # 4-byte chunk size
    data = head + body
    return data + struct.pack("<I", lookup3(data))


def _attribute(name, value):
    value = _as_storable(value)
    name_bytes = name.encode("utf-8") + b"\x00"
    dtype = encode_datatype(value.dtype)
    space = encode_dataspace(value.shape)
    data = np.asarray(value, order="C").tobytes()
    return _message(_ATTRIBUTE, struct.pack("<BBHHHB", 3, 0, len(name_bytes), len(dtype),
                                            len(space), 1) + name_bytes + dtype + space + data)


def _as_storable(value):
    """numpy array for an attribute value (str -> UTF-8 bytes, bool -> uint8)."""
    if isinstance(value, str):
        value = value.encode("utf-8")
    if isinstance(value, bytes):
        return np.array(value if value else b"\x00", dtype=f"S{max(len(value), 1)}")
    arr = np.asarray(value)
    if arr.dtype.kind == "U":
        arr = np.char.encode(arr, "utf-8")
    if arr.dtype.kind == "O":
        arr = np.array([v.encode("utf-8") if isinstance(v, str) else bytes(v)
                        for v in arr.ravel()]).reshape(arr.shape)
    if arr.dtype.kind == "S" and arr.dtype.itemsize == 0:
        arr = arr.astype("S1")
    if arr.dtype.kind == "b":
        arr = arr.astype("uint8")
    if arr.dtype.kind == "f" and arr.dtype.itemsize not in (2, 4, 8):
        raise TypeError(f"Cannot store dtype {arr.dtype} in HDF5 with minikeras's writer.")
    return arr


class _Layout:
    """Byte offsets of every node, computed before writing."""

    def __init__(self):
        self.offsets = {}
        self.end = _SUPERBLOCK_SIZE


def _header_size(node):
    return len(_header_bytes(node, {id(c): 0 for c in _children(node)}, data_addr=0))


def _children(node):
    return list(getattr(node, "_children", {}).values())


def _header_bytes(node, addresses, data_addr):
    from minikeras.saving.h5lite import Dataset
    messages = []
    if isinstance(node, Dataset):
        arr = node._data
        messages.append(_message(_DATASPACE, encode_dataspace(arr.shape)))
        messages.append(_message(_DATATYPE, encode_datatype(arr.dtype), flags=0x01))
        # Fill value v3: allocation late, written if set, no value defined (h5py's).
        messages.append(_message(_FILL, bytes([3, 0x0A]), flags=0x01))
        nbytes = arr.nbytes
        addr = data_addr if nbytes else UNDEF
        messages.append(_message(_LAYOUT, bytes([3, 1]) + struct.pack("<QQ", addr, nbytes)))
    else:
        messages.append(_message(_LINK_INFO, bytes([0, 0]) + struct.pack("<QQ", UNDEF, UNDEF)))
        # Group info: phase-change values present (compact storage up to 65535 links).
        messages.append(_message(_GROUP_INFO, bytes([0, 1]) + struct.pack("<HH", 65535, 0),
                                 flags=0x01))
        for name, child in node._children.items():
            name_bytes = name.encode("utf-8")
            if len(name_bytes) < 256:
                flags, length = 0x10, bytes([len(name_bytes)])
            else:
                flags, length = 0x11, struct.pack("<H", len(name_bytes))
            body = bytes([1, flags, 1]) + length + name_bytes + struct.pack(
                "<Q", addresses[id(child)])
            messages.append(_message(_LINK, body))
    for key, value in node.attrs._items.items():
        messages.append(_attribute(key, value))
    return _object_header(messages)


def _plan(node, layout):
    """Assign offsets depth first: each header, then a dataset's raw data."""
    from minikeras.saving.h5lite import Dataset
    size = _header_size(node)
    layout.offsets[id(node)] = layout.end
    layout.end += size
    if isinstance(node, Dataset):
        layout.offsets[("data", id(node))] = layout.end
        layout.end += node._data.nbytes
    for child in _children(node):
        _plan(child, layout)


def _emit(node, layout, out):
    from minikeras.saving.h5lite import Dataset
    addresses = {id(c): layout.offsets[id(c)] for c in _children(node)}
    data_addr = layout.offsets.get(("data", id(node)), 0)
    header = _header_bytes(node, addresses, data_addr)
    assert len(out) == layout.offsets[id(node)]
    out += header
    if isinstance(node, Dataset):
        out += np.asarray(node._data, order="C").tobytes()
    for child in _children(node):
        _emit(child, layout, out)


def serialize(root):
    """The bytes of an HDF5 file whose root group is `root`."""
    layout = _Layout()
    _plan(root, layout)
    out = bytearray()
    sb = (_SIGNATURE + bytes([2, 8, 8, 0])
          + struct.pack("<QQQQ", 0, UNDEF, layout.end, layout.offsets[id(root)]))
    out += sb + struct.pack("<I", lookup3(sb))
    _emit(root, layout, out)
    assert len(out) == layout.end
    return bytes(out)
