"""String hashes of TensorFlow's hashing ops, in pure Python.

* `fingerprint64(data)`: FarmHash's `Fingerprint64` (the `farmhashna`
  64-bit hash), what `tf.strings.to_hash_bucket_fast` and Keras'
  `Hashing`/`StringLookup` out-of-vocabulary buckets use.
* `siphash64(key, data)`: SipHash-2-4 with a 128-bit key given as two
  64-bit integers, what `tf.strings.to_hash_bucket_strong` (a `salt`) uses.
* `hash_bucket_fast` / `hash_bucket_strong`: the bucket of each string of
  an array (`hash % num_buckets`), as int64.

Values are bytes; `str` is encoded as UTF-8 first, and integers are hashed
through their decimal text (as `tf.strings.as_string` writes them).
"""
import struct

import numpy as np

_M64 = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _f64(s, i):
    return struct.unpack_from("<Q", s, i)[0]


def _f32(s, i):
    return struct.unpack_from("<I", s, i)[0]


def _rot(v, shift):
    # right rotation of a 64-bit value
    return ((v >> shift) | (v << (64 - shift))) & _M64 if shift else v


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash_len16(u, v, mul):
    a = ((u ^ v) * mul) & _M64
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M64
    b ^= b >> 47
    return (b * mul) & _M64


def _hash_len0to16(s):
    n = len(s)
    if n >= 8:
        mul = (_K2 + n * 2) & _M64
        a = (_f64(s, 0) + _K2) & _M64
        b = _f64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & _M64
        d = ((_rot(a, 25) + b) * mul) & _M64
        return _hash_len16(c, d, mul)
    if n >= 4:
        mul = (_K2 + n * 2) & _M64
        a = _f32(s, 0)
        return _hash_len16((n + (a << 3)) & _M64, _f32(s, n - 4), mul)
    if n > 0:
        a, b, c = s[0], s[n >> 1], s[n - 1]
        y = (a + (b << 8)) & 0xFFFFFFFF
        z = (n + (c << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M64) * _K2) & _M64
    return _K2


def _hash_len17to32(s):
    n = len(s)
    mul = (_K2 + n * 2) & _M64
    a = (_f64(s, 0) * _K1) & _M64
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M64
    d = (_f64(s, n - 16) * _K2) & _M64
    return _hash_len16((_rot((a + b) & _M64, 43) + _rot(c, 30) + d) & _M64,
                       (a + _rot((b + _K2) & _M64, 18) + c) & _M64, mul)


def _hash_len33to64(s):
    n = len(s)
    mul = (_K2 + n * 2) & _M64
    a = (_f64(s, 0) * _K2) & _M64
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M64
    d = (_f64(s, n - 16) * _K2) & _M64
    y = (_rot((a + b) & _M64, 43) + _rot(c, 30) + d) & _M64
    z = _hash_len16(y, (a + _rot((b + _K2) & _M64, 18) + c) & _M64, mul)
    e = (_f64(s, 16) * mul) & _M64
    f = _f64(s, 24)
    g = ((y + _f64(s, n - 32)) * mul) & _M64
    h = ((z + _f64(s, n - 24)) * mul) & _M64
    return _hash_len16((_rot((e + f) & _M64, 43) + _rot(g, 30) + h) & _M64,
                       (e + _rot((f + a) & _M64, 18) + g) & _M64, mul)


def _weak_hash_len32_with_seeds(s, i, a, b):
    w, x, y, z = _f64(s, i), _f64(s, i + 8), _f64(s, i + 16), _f64(s, i + 24)
    a = (a + w) & _M64
    b = _rot((b + a + z) & _M64, 21)
    c = a
    a = (a + x + y) & _M64
    b = (b + _rot(a, 44)) & _M64
    return (a + z) & _M64, (b + c) & _M64


def fingerprint64(data):
    """FarmHash `Fingerprint64` of `data` (bytes, or str encoded as UTF-8)."""
    s = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    n = len(s)
    if n <= 16:
        return _hash_len0to16(s)
    if n <= 32:
        return _hash_len17to32(s)
    if n <= 64:
        return _hash_len33to64(s)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _M64
    z = (_shift_mix((y * _K2 + 113) & _M64) * _K2) & _M64
    v0 = v1 = w0 = w1 = 0
    x = (x * _K2 + _f64(s, 0)) & _M64
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rot((x + y + v0 + _f64(s, i + 8)) & _M64, 37) * _K1) & _M64
        y = (_rot((y + v1 + _f64(s, i + 48)) & _M64, 42) * _K1) & _M64
        x ^= w1
        y = (y + v0 + _f64(s, i + 40)) & _M64
        z = (_rot((z + w0) & _M64, 33) * _K1) & _M64
        v0, v1 = _weak_hash_len32_with_seeds(s, i, (v1 * _K1) & _M64, (x + w0) & _M64)
        w0, w1 = _weak_hash_len32_with_seeds(s, i + 32, (z + w1) & _M64,
                                             (y + _f64(s, i + 16)) & _M64)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = (_K1 + ((z & 0xFF) << 1)) & _M64
    i = last64
    w0 = (w0 + ((n - 1) & 63)) & _M64
    v0 = (v0 + w0) & _M64
    w0 = (w0 + v0) & _M64
    x = (_rot((x + y + v0 + _f64(s, i + 8)) & _M64, 37) * mul) & _M64
    y = (_rot((y + v1 + _f64(s, i + 48)) & _M64, 42) * mul) & _M64
    x ^= (w1 * 9) & _M64
    y = (y + v0 * 9 + _f64(s, i + 40)) & _M64
    z = (_rot((z + w0) & _M64, 33) * mul) & _M64
    v0, v1 = _weak_hash_len32_with_seeds(s, i, (v1 * mul) & _M64, (x + w0) & _M64)
    w0, w1 = _weak_hash_len32_with_seeds(s, i + 32, (z + w1) & _M64,
                                         (y + _f64(s, i + 16)) & _M64)
    z, x = x, z
    return _hash_len16(
        (_hash_len16(v0, w0, mul) + _shift_mix(y) * _K0 + z) & _M64,
        (_hash_len16(v1, w1, mul) + x) & _M64, mul)


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & _M64
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & _M64
    v3 = _rotl(v3, 16) ^ v2
    v0 = (v0 + v3) & _M64
    v3 = _rotl(v3, 21) ^ v0
    v2 = (v2 + v1) & _M64
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def _rotl(v, shift):
    return ((v << shift) | (v >> (64 - shift))) & _M64


def siphash64(key, data):
    """SipHash-2-4 of `data` with the 128-bit `key = (k0, k1)` (two uint64)."""
    s = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    k0, k1 = (int(k) & _M64 for k in key)
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(s)
    full = n - n % 8
    for i in range(0, full, 8):
        m = _f64(s, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
        v0 ^= m
    last = ((n & 0xFF) << 56) | int.from_bytes(s[full:], "little")
    v3 ^= last
    v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    v0 ^= last
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def as_hash_text(value):
    """The bytes TensorFlow hashes for one value (`tf.strings.as_string` for ints)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"Cannot hash a boolean value: {value!r}")
    if isinstance(value, (int, np.integer)):
        return str(int(value)).encode("ascii")
    if isinstance(value, (float, np.floating)):
        # Keras casts floats to int64 before hashing
        return str(int(np.int64(value))).encode("ascii")
    raise ValueError(f"Cannot hash a value of type {type(value).__name__}: {value!r}")


def _bucketize(values, num_buckets, hash_fn):
    arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    flat = arr.reshape(-1)
    cache = {}
    out = np.empty(flat.shape, dtype=np.int64)
    for i, v in enumerate(flat.tolist()):
        text = as_hash_text(v)
        b = cache.get(text)
        if b is None:
            b = hash_fn(text) % num_buckets
            cache[text] = b
        out[i] = b
    return out.reshape(arr.shape)


def hash_bucket_fast(values, num_buckets):
    """`Fingerprint64(v) % num_buckets` for every value of an array (int64)."""
    return _bucketize(values, int(num_buckets), fingerprint64)


def hash_bucket_strong(values, num_buckets, key):
    """`SipHash(key, v) % num_buckets` for every value of an array (int64)."""
    key = tuple(int(k) for k in key)
    return _bucketize(values, int(num_buckets), lambda s: siphash64(key, s))


_CAT_MUL = 0xC6A4A7935BD1E995
DEFAULT_CROSS_HASH_KEY = 0xDECAFCAFFE


def fingerprint_cat64(fp1, fp2):
    """TensorFlow's `FingerprintCat64`: combine two 64-bit fingerprints."""
    result = fp1 ^ _CAT_MUL
    result ^= (_shift_mix((fp2 * _CAT_MUL) & _M64) * _CAT_MUL) & _M64
    result = (result * _CAT_MUL) & _M64
    result = (_shift_mix(result) * _CAT_MUL) & _M64
    return _shift_mix(result)


def cross_hash(values, num_buckets, hash_key=DEFAULT_CROSS_HASH_KEY):
    """The bucket of one crossed feature (`tf.sparse.cross_hashed`).

    Strings contribute their `Fingerprint64`, integers their own value (as
    an unsigned 64-bit number), combined in order with `fingerprint_cat64`.
    """
    out = hash_key
    for v in values:
        if isinstance(v, (str, bytes)):
            h = fingerprint64(v)
        elif isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
            h = int(v) & _M64
        else:
            raise ValueError(f"Cannot cross a value of type {type(v).__name__}: {v!r}")
        out = fingerprint_cat64(out, h)
    return out % num_buckets if num_buckets > 0 else out % ((1 << 63) - 1)
