"""HDF5 datatype and dataspace messages <-> numpy dtypes and shapes.

Covers what Keras weight files hold: little/big-endian integers and IEEE
floats (16/32/64 bit), fixed-length strings, and (reading only)
variable-length strings.
"""
import struct

import numpy as np

UNDEF = 0xFFFFFFFFFFFFFFFF

# Float layouts: (sign bit, exponent location, exponent size, mantissa size, bias).
_FLOAT_LAYOUT = {2: (15, 10, 5, 10, 15), 4: (31, 23, 8, 23, 127), 8: (63, 52, 11, 52, 1023)}


class H5LiteError(ValueError):
    """A corrupt, truncated or disallowed HDF5 file."""


class H5pyRequired(ImportError):
    """A file uses an HDF5 feature only h5py can read."""


def unsupported(what):
    return H5pyRequired(
        f"This HDF5 file uses {what}, which minikeras's built-in HDF5 reader does not "
        "support. Install h5py (`pip install minikeras[h5]` or `pip install h5py`) to "
        "read it.")


# ----- writing --------------------------------------------------------------------
def encode_datatype(dtype):
    """Datatype message body (version 1) for a numpy dtype."""
    dtype = np.dtype(dtype)
    order = 1 if dtype.byteorder == ">" else 0
    size = dtype.itemsize
    if dtype.kind in "iu":
        bits = order | (0x08 if dtype.kind == "i" else 0)
        return (bytes([0x10 | 0, bits, 0, 0]) + struct.pack("<I", size)
                + struct.pack("<HH", 0, size * 8))
    if dtype.kind == "f" and size in _FLOAT_LAYOUT:
        sign, exp_loc, exp_size, mant_size, bias = _FLOAT_LAYOUT[size]
        bits0 = order | (2 << 4)  # mantissa normalization: implied most significant bit
        return (bytes([0x10 | 1, bits0, sign, 0]) + struct.pack("<I", size)
                + struct.pack("<HHBBBBI", 0, size * 8, exp_loc, exp_size, 0, mant_size, bias))
    if dtype.kind == "S":
        # Null-padded ASCII (charset 0) fixed-length string.
        return bytes([0x10 | 3, 0x01, 0, 0]) + struct.pack("<I", max(size, 1))
    raise TypeError(f"Cannot store dtype {dtype} in an HDF5 file with minikeras's writer "
                    "(supported: integers, float16/32/64, byte strings).")


def encode_dataspace(shape):
    """Dataspace message body (version 2): scalar or simple."""
    if shape == ():
        return bytes([2, 0, 0, 0])
    return bytes([2, len(shape), 0, 1]) + b"".join(struct.pack("<Q", d) for d in shape)


# ----- reading --------------------------------------------------------------------
class VlenString:
    """Marker dtype for variable-length strings (resolved through the global heap)."""

    itemsize = 16

    def __init__(self, utf8):
        self.utf8 = utf8


def decode_datatype(buf, pos=0):
    """`(numpy dtype or VlenString, size in bytes)` of a datatype message at `pos`."""
    head = buf[pos]
    version, cls = head >> 4, head & 0x0F
    bits0, bits1 = buf[pos + 1], buf[pos + 2]
    size = struct.unpack_from("<I", buf, pos + 4)[0]
    if version not in (1, 2, 3):
        raise unsupported(f"datatype message version {version}")
    order = ">" if bits0 & 1 else "<"
    if cls == 0:
        signed = bool(bits0 & 0x08)
        if size not in (1, 2, 4, 8):
            raise unsupported(f"a {size}-byte integer type")
        return np.dtype(f"{order}{'i' if signed else 'u'}{size}"), size
    if cls == 1:
        if size not in _FLOAT_LAYOUT:
            raise unsupported(f"a {size}-byte floating-point type")
        if bits0 & 0x40:
            raise unsupported("VAX-ordered floats")
        return np.dtype(f"{order}f{size}"), size
    if cls == 3:
        return np.dtype(f"S{size}"), size
    if cls == 9:
        vtype = bits0 & 0x0F
        if vtype != 1:
            raise unsupported("variable-length sequences")
        charset = bits1 & 0x0F
        return VlenString(charset == 1), 16
    if cls == 8:
        raise unsupported("enumerated (e.g. boolean) types")
    raise unsupported(f"datatype class {cls}")


def decode_dataspace(buf, pos=0):
    """Shape tuple of a dataspace message (versions 1 and 2); None for a null space."""
    version, ndims = buf[pos], buf[pos + 1]
    if version == 1:
        p = pos + 8
    elif version == 2:
        kind = buf[pos + 3]
        if kind == 2:
            return None
        p = pos + 4
    else:
        raise unsupported(f"dataspace message version {version}")
    return tuple(struct.unpack_from("<Q", buf, p + 8 * i)[0] for i in range(ndims))
