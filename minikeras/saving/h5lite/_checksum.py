"""Jenkins' lookup3 `hashlittle`: the checksum of HDF5's version-2 metadata."""

_M = 0xFFFFFFFF


def _rot(x, k):
    return ((x << k) | (x >> (32 - k))) & _M


def _mix(a, b, c):
    a = (a - c) & _M; a ^= _rot(c, 4); c = (c + b) & _M
    b = (b - a) & _M; b ^= _rot(a, 6); a = (a + c) & _M
    c = (c - b) & _M; c ^= _rot(b, 8); b = (b + a) & _M
    a = (a - c) & _M; a ^= _rot(c, 16); c = (c + b) & _M
    b = (b - a) & _M; b ^= _rot(a, 19); a = (a + c) & _M
    c = (c - b) & _M; c ^= _rot(b, 4); b = (b + a) & _M
    return a, b, c


def _final(a, b, c):
    c ^= b; c = (c - _rot(b, 14)) & _M
    a ^= c; a = (a - _rot(c, 11)) & _M
    b ^= a; b = (b - _rot(a, 25)) & _M
    c ^= b; c = (c - _rot(b, 16)) & _M
    a ^= c; a = (a - _rot(c, 4)) & _M
    b ^= a; b = (b - _rot(a, 14)) & _M
    c ^= b; c = (c - _rot(b, 24)) & _M
    return a, b, c


def lookup3(data, initval=0):
    """32-bit checksum of `data` (bytes), as `H5_checksum_lookup3`."""
    length = len(data)
    a = b = c = (0xDEADBEEF + length + initval) & _M
    i = 0
    while length > 12:
        a = (a + int.from_bytes(data[i:i + 4], "little")) & _M
        b = (b + int.from_bytes(data[i + 4:i + 8], "little")) & _M
        c = (c + int.from_bytes(data[i + 8:i + 12], "little")) & _M
        a, b, c = _mix(a, b, c)
        length -= 12
        i += 12
    if length == 0:
        return c
    tail = bytes(data[i:i + length]) + b"\x00" * (12 - length)
    a = (a + int.from_bytes(tail[0:4], "little")) & _M
    b = (b + int.from_bytes(tail[4:8], "little")) & _M
    c = (c + int.from_bytes(tail[8:12], "little")) & _M
    a, b, c = _final(a, b, c)
    return c
