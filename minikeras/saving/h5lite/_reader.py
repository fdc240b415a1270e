"""Parse the HDF5 subset that Keras weight files use.

Supported: superblocks 0-3; object headers v1 and v2 (with continuation
blocks); symbol-table groups (v1 B-trees, SNOD nodes, local heaps) and
compact link groups; contiguous and compact datasets; integer, float,
fixed-length string and variable-length string data (global heap);
attributes in object headers. Anything else (chunked or filtered data,
dense link/attribute storage, soft or external links, shared datatypes)
raises an error saying to install h5py. Every offset is bounds-checked, so
a truncated or corrupt file gives an error, not a crash or a huge read.
"""
import functools
import math
import struct

import numpy as np

from minikeras.saving.h5lite._checksum import lookup3
from minikeras.saving.h5lite._types import (UNDEF, H5LiteError, VlenString, decode_dataspace,
                                            decode_datatype, unsupported)

_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_MAX_MESSAGES = 1 << 20


class ObjectInfo:
    """What an object header holds: links (groups) or a data layout (datasets)."""

    def __init__(self):
        self.links = None          # {name: address} for groups
        self.symbol_table = None   # (btree address, heap address)
        self.shape = None
        self.dtype = None
        self.layout = None         # ("contiguous", addr, size) / ("compact", bytes)
        self.attributes = {}       # name -> (dtype, shape, raw bytes)
        self.filtered = False


def _corrupt_on_error(method):
    """Turn low-level parse failures of a damaged file into `H5LiteError`."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (struct.error, IndexError, UnicodeDecodeError, OverflowError,
                MemoryError) as e:
            raise H5LiteError(f"Corrupt or truncated HDF5 file ({type(e).__name__}: {e}).") from e
    return wrapper


class Reader:
    @_corrupt_on_error
    def __init__(self, data):
        self.buf = memoryview(data)
        self.size = len(data)
        if self.size < 8 or bytes(self.buf[:8]) != _SIGNATURE:
            raise H5LiteError("Not an HDF5 file (bad signature); the file may be truncated "
                              "or corrupt.")
        self._parse_superblock()
        self._cache = {}

    # ----- bounds-checked access --------------------------------------------------
    def _need(self, pos, n):
        if pos < 0 or n < 0 or pos + n > self.size:
            raise H5LiteError(f"Corrupt or truncated HDF5 file: a structure at byte {pos} "
                              f"(length {n}) runs past the end of the file ({self.size} bytes).")

    def bytes(self, pos, n):
        self._need(pos, n)
        return bytes(self.buf[pos:pos + n])

    def u(self, pos, n):
        return int.from_bytes(self.bytes(pos, n), "little")

    # ----- superblock -------------------------------------------------------------
    def _parse_superblock(self):
        version = self.u(8, 1)
        if version in (0, 1):
            self.offset_size, self.length_size = self.u(13, 1), self.u(14, 1)
            self._check_sizes()
            pos = 24 + (4 if version == 1 else 0)
            self.base = self.u(pos, 8)
            root_entry = pos + 32
            self.root = self.u(root_entry + 8, 8)
        elif version in (2, 3):
            self.offset_size, self.length_size = self.u(9, 1), self.u(10, 1)
            self._check_sizes()
            head = self.bytes(0, 44)
            if lookup3(head) != self.u(44, 4):
                raise H5LiteError("Corrupt HDF5 file: superblock checksum mismatch.")
            self.base = self.u(12, 8)
            self.root = self.u(36, 8)
        else:
            raise unsupported(f"superblock version {version}")
        if self.base != 0:
            raise unsupported("a non-zero base address")

    def _check_sizes(self):
        sizes = (self.offset_size, self.length_size)
        if any(n not in (2, 4, 8) for n in sizes):
            raise H5LiteError(f"Corrupt HDF5 file: invalid offset/length sizes {sizes}.")
        if sizes != (8, 8):
            raise unsupported(f"{self.offset_size}-byte offsets")

    # ----- object headers ---------------------------------------------------------
    @_corrupt_on_error
    def object(self, addr):
        if addr in self._cache:
            return self._cache[addr]
        info = ObjectInfo()
        for mtype, flags, body in self._messages(addr):
            if flags & 0x02:
                raise unsupported("shared object header messages")
            self._apply(info, mtype, body)
        self._cache[addr] = info
        return info

    def _messages(self, addr):
        self._need(addr, 16)
        if self.bytes(addr, 4) == b"OHDR":
            yield from self._messages_v2(addr)
        elif self.u(addr, 1) == 1:
            yield from self._messages_v1(addr)
        else:
            raise H5LiteError(f"Corrupt HDF5 file: no object header at byte {addr}.")

    def _messages_v1(self, addr):
        count = self.u(addr + 2, 2)
        blocks = [(addr + 16, self.u(addr + 8, 4))]
        seen = 0
        while blocks:
            pos, size = blocks.pop(0)
            self._need(pos, size)
            end = pos + size
            while pos + 8 <= end and seen < count:
                mtype, msize, flags = self.u(pos, 2), self.u(pos + 2, 2), self.u(pos + 4, 1)
                body = self.bytes(pos + 8, msize)
                seen += 1
                if mtype == 0x10:
                    blocks.append((self.u(pos + 8, 8), self.u(pos + 16, 8)))
                else:
                    yield mtype, flags, body
                pos += 8 + msize
                if seen > _MAX_MESSAGES:
                    raise H5LiteError("Corrupt HDF5 file: too many header messages.")

    def _messages_v2(self, addr):
        flags = self.u(addr + 5, 1)
        pos = addr + 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0)
        size_bytes = 1 << (flags & 0x03)
        size = self.u(pos, size_bytes)
        pos += size_bytes
        self._check_sum(addr, pos + size - addr)
        blocks = [(pos, size)]
        crt = 2 if flags & 0x04 else 0
        n = 0
        while blocks:
            pos, size = blocks.pop(0)
            end = pos + size
            while pos + 4 + crt <= end:
                mtype, msize, mflags = self.u(pos, 1), self.u(pos + 1, 2), self.u(pos + 3, 1)
                body_pos = pos + 4 + crt
                body = self.bytes(body_pos, msize)
                n += 1
                if n > _MAX_MESSAGES:
                    raise H5LiteError("Corrupt HDF5 file: too many header messages.")
                if mtype == 0x10:
                    cont, length = self.u(body_pos, 8), self.u(body_pos + 8, 8)
                    if self.bytes(cont, 4) != b"OCHK":
                        raise H5LiteError("Corrupt HDF5 file: bad continuation block.")
                    self._check_sum(cont, length - 4)
                    blocks.append((cont + 4, length - 8))
                else:
                    yield mtype, mflags, body
                pos = body_pos + msize

    def _check_sum(self, start, length):
        if lookup3(self.bytes(start, length)) != self.u(start + length, 4):
            raise H5LiteError(f"Corrupt HDF5 file: checksum mismatch in the metadata at "
                              f"byte {start}.")

    def _apply(self, info, mtype, body):
        if mtype == 0x01:
            info.shape = decode_dataspace(body)
        elif mtype == 0x03:
            info.dtype, _ = decode_datatype(body)
        elif mtype == 0x08:
            info.layout = self._layout(body)
        elif mtype == 0x0B:
            info.filtered = True
        elif mtype == 0x11:
            info.symbol_table = (struct.unpack_from("<Q", body, 0)[0],
                                 struct.unpack_from("<Q", body, 8)[0])
        elif mtype == 0x02:
            flags = body[1]
            heap = struct.unpack_from("<Q", body, 2 + (8 if flags & 1 else 0))[0]
            if heap != UNDEF:
                raise unsupported("dense link storage (groups with many members)")
            info.links = info.links if info.links is not None else {}
        elif mtype == 0x06:
            name, addr = self._link(body)
            info.links = info.links if info.links is not None else {}
            info.links[name] = addr
        elif mtype == 0x0C:
            name, value = self._attribute(body)
            info.attributes[name] = value
        elif mtype == 0x15:
            flags = body[1]
            heap = struct.unpack_from("<Q", body, 2 + (2 if flags & 1 else 0))[0]
            if heap != UNDEF:
                raise unsupported("dense attribute storage")

    def _layout(self, body):
        version = body[0]
        if version in (3, 4):
            cls = body[1]
            if cls == 1:
                return ("contiguous",) + struct.unpack_from("<QQ", body, 2)
            if cls == 0:
                n = struct.unpack_from("<H", body, 2)[0]
                return ("compact", bytes(body[4:4 + n]))
            raise unsupported("chunked datasets")
        if version in (1, 2):
            ndims, cls = body[1], body[2]
            if cls == 1:
                addr = struct.unpack_from("<Q", body, 8)[0]
                return ("contiguous", addr, None)
            if cls == 0:
                p = 8 + 4 * ndims
                n = struct.unpack_from("<I", body, p)[0]
                return ("compact", bytes(body[p + 4:p + 4 + n]))
            raise unsupported("chunked datasets")
        raise unsupported(f"data layout message version {version}")

    def _link(self, body):
        flags = body[1]
        pos = 2
        link_type = 0
        if flags & 0x08:
            link_type = body[pos]
            pos += 1
        if flags & 0x04:
            pos += 8
        if flags & 0x10:
            pos += 1
        nlen_size = 1 << (flags & 0x03)
        nlen = int.from_bytes(body[pos:pos + nlen_size], "little")
        pos += nlen_size
        name = bytes(body[pos:pos + nlen]).decode("utf-8")
        pos += nlen
        if link_type != 0:
            raise H5LiteError(f"Not allowed: H5 file with a soft or external link ({name!r}).")
        return name, struct.unpack_from("<Q", body, pos)[0]

    def _attribute(self, body):
        version = body[0]
        if version == 1:
            name_size, dt_size, ds_size = struct.unpack_from("<HHH", body, 2)
            pos = 8

            def pad(n):
                return (n + 7) // 8 * 8
            name = bytes(body[pos:pos + name_size]).split(b"\x00")[0].decode("utf-8")
            pos += pad(name_size)
            dtype, _ = decode_datatype(body, pos)
            pos += pad(dt_size)
            shape = decode_dataspace(body, pos)
            pos += pad(ds_size)
        elif version in (2, 3):
            flags = body[1]
            if flags & 0x03:
                raise unsupported("shared attribute datatypes")
            name_size, dt_size, ds_size = struct.unpack_from("<HHH", body, 2)
            pos = 8 + (1 if version == 3 else 0)
            name = bytes(body[pos:pos + name_size]).split(b"\x00")[0].decode("utf-8")
            pos += name_size
            dtype, _ = decode_datatype(body, pos)
            pos += dt_size
            shape = decode_dataspace(body, pos)
            pos += ds_size
        else:
            raise unsupported(f"attribute message version {version}")
        return name, (dtype, shape, bytes(body[pos:]))

    # ----- groups -----------------------------------------------------------------
    @_corrupt_on_error
    def links(self, addr):
        info = self.object(addr)
        if info.links is not None:
            return dict(info.links)
        if info.symbol_table is not None:
            return self._symbol_table_links(*info.symbol_table)
        return None

    def _symbol_table_links(self, btree, heap):
        if self.bytes(heap, 4) != b"HEAP":
            raise H5LiteError(f"Corrupt HDF5 file: no local heap at byte {heap}.")
        heap_size, heap_data = self.u(heap + 8, 8), self.u(heap + 24, 8)
        self._need(heap_data, heap_size)
        links = {}
        pending, visited = [btree], set()
        while pending:
            node = pending.pop()
            if node in visited:
                raise H5LiteError("Corrupt HDF5 file: a cycle in a group's B-tree.")
            visited.add(node)
            if self.bytes(node, 4) != b"TREE":
                raise H5LiteError(f"Corrupt HDF5 file: no B-tree node at byte {node}.")
            level, used = self.u(node + 5, 1), self.u(node + 6, 2)
            pos = node + 24 + 8  # skip the first key
            for _ in range(used):
                child = self.u(pos, 8)
                pos += 16
                if level > 0:
                    pending.append(child)
                else:
                    self._symbol_node(child, heap_data, heap_size, links)
        return links

    def _symbol_node(self, addr, heap_data, heap_size, links):
        if self.bytes(addr, 4) != b"SNOD":
            raise H5LiteError(f"Corrupt HDF5 file: no symbol table node at byte {addr}.")
        count = self.u(addr + 6, 2)
        for i in range(count):
            entry = addr + 8 + 40 * i
            name_off, header = self.u(entry, 8), self.u(entry + 8, 8)
            if name_off >= heap_size:
                raise H5LiteError("Corrupt HDF5 file: a link name lies outside its heap.")
            raw = self.bytes(heap_data + name_off, min(heap_size - name_off, 65536))
            links[raw.split(b"\x00")[0].decode("utf-8")] = header

    # ----- data -------------------------------------------------------------------
    @_corrupt_on_error
    def read(self, dtype, shape, layout):
        count = math.prod(shape) if shape else 1
        itemsize = dtype.itemsize
        nbytes = count * itemsize
        if layout[0] == "compact":
            raw = layout[1]
            if len(raw) < nbytes:
                raise H5LiteError("Corrupt HDF5 file: compact dataset shorter than its shape.")
            raw = raw[:nbytes]
        else:
            _, addr, size = layout
            if nbytes == 0:
                raw = b""
            elif addr == UNDEF:
                raw = b"\x00" * nbytes  # never written: the (zero) fill value
            else:
                raw = self.bytes(addr, nbytes)
        return self.decode(dtype, shape, raw)

    @_corrupt_on_error
    def decode(self, dtype, shape, raw):
        shape = () if shape is None else shape
        if isinstance(dtype, VlenString):
            count = math.prod(shape) if shape else 1
            if count * 16 > len(raw):
                raise H5LiteError("Corrupt HDF5 file: a string array is shorter than its shape.")
            out = np.empty(count, dtype=object)
            for i in range(count):
                length, coll, index = struct.unpack_from("<IQI", raw, 16 * i)
                data = self._global_heap_object(coll, index)[:length]
                out[i] = data.decode("utf-8" if dtype.utf8 else "ascii", errors="replace")
            return out[0] if shape == () else out.reshape(shape)
        count = math.prod(shape) if shape else 1
        if len(raw) < count * dtype.itemsize:
            raise H5LiteError("Corrupt HDF5 file: a value is shorter than its shape says.")
        arr = np.frombuffer(raw[:count * dtype.itemsize], dtype=dtype).reshape(shape)
        return arr.astype(dtype.newbyteorder("=")) if dtype.byteorder == ">" else arr.copy()

    def _global_heap_object(self, coll, index):
        if self.bytes(coll, 4) != b"GCOL":
            raise H5LiteError(f"Corrupt HDF5 file: no global heap at byte {coll}.")
        size = self.u(coll + 8, 8)
        self._need(coll, size)
        pos, end = coll + 16, coll + size
        while pos + 16 <= end:
            obj_index, obj_size = self.u(pos, 2), self.u(pos + 8, 8)
            if obj_index == 0:
                break
            if obj_index == index:
                return self.bytes(pos + 16, obj_size)
            pos += 16 + (obj_size + 7) // 8 * 8
        raise H5LiteError(f"Corrupt HDF5 file: global heap object {index} not found.")
