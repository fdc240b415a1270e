"""keras.ops math functions: special functions, segments, top-k, FFTs,
framing and STFT.

`erf`, `erfc` and `erfinv` are computed here in float64 (numpy has no
`erf`, and the package does not depend on scipy) and returned in the input's
float type; each is an autograd primitive with its closed-form derivative.
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import primitives as P
from minikeras.backend import segment_primitives as SP
from minikeras.ops.core import _f, _t, _v, _dtype_of, cast


def _plain(x):
    return np.asarray(getval(x))


# ----- error function ---------------------------------------------------------------
_TWO_OVER_SQRT_PI = 1.1283791670955126  # 2 / sqrt(pi), a Python float so float32 stays float32


def _erf_small(x):
    """erf for |x| < 2: exp(-x^2) * sum 2^n x^(2n+1) / (1*3*...*(2n+1)),
    a series of positive terms (no cancellation), 60 terms to float64."""
    x2 = x * x
    term = x.copy()
    total = x.copy()
    for n in range(1, 60):
        term = term * (2.0 * x2) / (2 * n + 1)
        total = total + term
    return _TWO_OVER_SQRT_PI * np.exp(-x2) * total


def _erfc_large(x):
    """erfc for x >= 2 by its continued fraction, evaluated bottom-up."""
    f = x.copy()
    for k in range(80, 0, -1):
        f = x + (k / 2.0) / f
    return np.exp(-x * x) / (np.sqrt(np.pi) * f)


def _erf64(x):
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    small = a < 2.0
    out = np.empty_like(a)
    out[small] = _erf_small(a[small])
    out[~small] = 1.0 - _erfc_large(np.where(np.isinf(a[~small]), 30.0, a[~small]))
    return np.sign(x) * out


def _erfc64(x):
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    small = a < 2.0
    pos = np.empty_like(a)
    pos[small] = 1.0 - _erf_small(a[small])
    big = np.minimum(a[~small], 30.0)
    pos[~small] = np.where(a[~small] > 27.0, 0.0, _erfc_large(big))
    return np.where(x >= 0, pos, 2.0 - pos)


@primitive
def _erf(x):
    return _erf64(x).astype(x.dtype)


@primitive
def _erfc(x):
    return _erfc64(x).astype(x.dtype)


def _erf_grad(x):
    return _TWO_OVER_SQRT_PI * anp.exp(-x * x)


defvjp(_erf, lambda ans, x: lambda g: g * _erf_grad(x))
defvjp(_erfc, lambda ans, x: lambda g: -g * _erf_grad(x))


def _erfinv64(y):
    y = np.asarray(y, dtype=np.float64)
    a = np.clip(np.abs(y), 0.0, 1.0)
    # Winitzki's closed form as a start, then Newton steps; near |y| = 1 the
    # steps solve erfc(x) = 1 - |y|, which keeps its relative accuracy.
    k = 0.147
    ln = np.log(np.maximum(1.0 - a * a, 1e-300))
    t = 2.0 / (np.pi * k) + ln / 2.0
    x = np.sqrt(np.maximum(np.sqrt(t * t - ln / k) - t, 0.0))
    tail = a > 0.5
    one_minus = 1.0 - a
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(4):
            d = _TWO_OVER_SQRT_PI * np.exp(-x * x)
            r = np.where(tail, -(_erfc64(x) - one_minus), _erf64(x) - a)
            step = np.where(d > 0, r / np.where(d > 0, d, 1.0), 0.0)
            x = x - step
    x = np.where(a == 1.0, np.inf, x)
    x = np.where(np.abs(y) > 1.0, np.nan, x)
    return np.sign(y) * x


@primitive
def _erfinv(x):
    return _erfinv64(x).astype(x.dtype)


defvjp(_erfinv, lambda ans, x: lambda g: g * 0.8862269254527580 * anp.exp(ans * ans))  # sqrt(pi) / 2


def erf(x):
    """The Gauss error function, elementwise."""
    return _erf(_f(x))


def erfc(x):
    """The complementary error function `1 - erf(x)`, accurate for large x."""
    return _erfc(_f(x))


def erfinv(x):
    """The inverse of `erf` on (-1, 1)."""
    return _erfinv(_f(x))


# ----- reductions and elementwise ------------------------------------------------------
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` over `axis`, computed without overflow."""
    x = _f(x)
    ax = tuple(axis) if isinstance(axis, list) else axis
    m = np.max(_plain(x), axis=ax, keepdims=True)
    m = np.where(np.isfinite(m), m, 0).astype(_dtype_of(x))
    out = anp.log(anp.sum(anp.exp(x - m), axis=ax, keepdims=True)) + m
    if keepdims:
        return out
    if ax is None:
        return anp.reshape(out, ())
    return anp.squeeze(out, axis=ax)


def rsqrt(x):
    """`1 / sqrt(x)`, elementwise."""
    return 1.0 / anp.sqrt(_f(x))


def cdist(x, y):
    """Euclidean distances between the rows of `x` and of `y`."""
    x, y = _f(x), _f(y)
    if np.ndim(_plain(x)) < 2 or np.ndim(_plain(y)) < 2:
        raise ValueError("`cdist` inputs must have rank >= 2")
    if np.shape(_plain(x))[-1] != np.shape(_plain(y))[-1]:
        raise ValueError("Last dimension of inputs to `cdist` must match")
    d = anp.expand_dims(x, -2) - anp.expand_dims(y, -3)
    return anp.sqrt(anp.sum(anp.square(d), axis=-1))


def logdet(x):
    """Log-determinant of Hermitian positive-definite matrices."""
    x = _f(x)
    return anp.linalg.slogdet(x)[1]


# ----- segments --------------------------------------------------------------
def _segments(data, segment_ids, num_segments, sorted, name, default):
    data = _t(data)
    ids = _plain(_t(segment_ids)).astype(np.int64)
    if sorted and num_segments is not None:
        raise ValueError(
            "Argument `num_segments` cannot be set when sorted is True when using the "
            f"tensorflow backend.Received: num_segments={num_segments}, sorted={sorted}.")
    if num_segments is None:
        if name == "sum" and not sorted:
            num_segments = len(np.unique(ids))
        else:
            num_segments = int(ids.max()) + 1 if ids.size else 0
    return data, ids, int(num_segments)


def _valid_rows(data, ids, n):
    """Drop the rows whose id is outside `[0, n)` (Keras ignores them)."""
    valid = (ids >= 0) & (ids < n)
    if valid.all():
        return data, ids
    keep = np.nonzero(valid)[0]
    return P.take(data, keep, axis=0), ids[keep]


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sum of the rows of `data` in each segment (0 for empty segments)."""
    data, ids, n = _segments(data, segment_ids, num_segments, sorted, "sum", 0)
    data, ids = _valid_rows(data, ids, n)
    return SP.segment_sum(data, ids, n)


def _segment_reduce(data, segment_ids, num_segments, sorted, name, reducer, empty):
    data, ids, n = _segments(data, segment_ids, num_segments, sorted, name, empty)
    dt = _dtype_of(data)
    rows = []
    for s in range(n):
        sel = np.nonzero(ids == s)[0]
        if sel.size:
            rows.append(reducer(P.take(data, sel, axis=0), axis=0))
        else:
            rows.append(np.full(np.shape(_plain(data))[1:], empty(dt), dtype=dt))
    return anp.stack(rows) if rows else np.zeros((0,) + np.shape(_plain(data))[1:], dt)


def _lowest(dt):
    return np.finfo(dt).min if dt.kind == "f" else np.iinfo(dt).min


def _highest(dt):
    return np.finfo(dt).max if dt.kind == "f" else np.iinfo(dt).max


def _segment_extreme(data, segment_ids, num_segments, sorted, largest):
    name = "max" if largest else "min"
    data, ids, n = _segments(data, segment_ids, num_segments, sorted, name, None)
    data, ids = _valid_rows(data, ids, n)
    dt = _dtype_of(data)
    # Keras's TensorFlow backend uses tf.math.segment_max/min when sorted=True,
    # which give 0 for an empty segment (the unsorted kernels the dtype's limit).
    empty = 0 if sorted else (_lowest(dt) if largest else _highest(dt))
    return SP.segment_extreme(data, ids, n, largest, empty)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maximum of the rows of `data` in each segment (the lowest value of
    the dtype for empty segments)."""
    return _segment_extreme(data, segment_ids, num_segments, sorted, True)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minimum of the rows of `data` in each segment (the highest value of
    the dtype for empty segments)."""
    return _segment_extreme(data, segment_ids, num_segments, sorted, False)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Product of the rows of `data` in each segment (1 for empty segments)."""
    return _segment_reduce(data, segment_ids, num_segments, sorted, "prod", anp.prod,
                           lambda dt: 1)


# ----- top-k --------------------------------------------------------------------------
def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis and their indices.

    Ties keep the lower index first. Returns `(values, indices)`.
    """
    x = _t(x)
    v = _plain(x)
    n = v.shape[-1]
    if k > n:
        raise ValueError(f"`k` ({k}) must be <= the size of the last axis ({n}).")
    key = -v.astype(np.float64) if v.dtype.kind != "b" else -v.astype(np.int8)
    idx = np.argsort(key, axis=-1, kind="stable")[..., :k]
    if not sorted:
        idx = np.sort(idx, axis=-1)
    return P.take_along_axis(x, idx, -1), idx.astype("int32")


def in_top_k(targets, predictions, k):
    """True where the target class is among the top `k` predictions (ties
    at the boundary count as in)."""
    p = _plain(_t(predictions))
    t = _plain(_t(targets)).astype(np.int64)
    tp = np.take_along_axis(p, t[:, None], axis=-1)
    higher = np.sum(p > tp, axis=-1)
    return (higher < k) & np.isfinite(tp[:, 0])


# ----- framing ---------------------------------------------------------------------
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` taken every `sequence_stride` along the
    last axis: `(..., num_frames, sequence_length)`."""
    x = _t(x)
    n = np.shape(_plain(x))[-1]
    frames = max(0, 1 + (n - sequence_length) // sequence_stride)
    idx = (np.arange(frames)[:, None] * sequence_stride + np.arange(sequence_length)[None, :])
    out = P.take(x, idx.reshape(-1), axis=-1)
    return anp.reshape(out, np.shape(_plain(x))[:-1] + (frames, sequence_length))


# ----- Fourier transforms --------------------------------------------------------------
def _complex_from_tuple(x):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            "Input `x` should be a tuple of two tensors - real and imaginary."
            f"Received: x={x}")
    real, imag = _t(x[0]), _t(x[1])
    if np.shape(_plain(real)) != np.shape(_plain(imag)):
        raise ValueError(
            "Input `x` should be a tuple of two tensors - real and imaginary."
            "Both the real and imaginary parts should have the same shape. "
            f"Received: x[0].shape = {np.shape(_plain(real))}, "
            f"x[1].shape = {np.shape(_plain(imag))}")
    if _dtype_of(real).kind != "f" or _dtype_of(imag).kind != "f":
        raise ValueError(f"At least one tensor in input `x` is not of type float.Received: x={x}.")
    return real, imag, _dtype_of(real)


@primitive
def _complex(real, imag):
    cdt = np.complex64 if np.asarray(real).dtype.itemsize <= 4 else np.complex128
    return (real + 1j * imag).astype(cdt)


# autograd's convention for a complex cotangent g of z = a + ib: (Re g, -Im g).
defvjp(_complex, lambda ans, a, b: lambda g: anp.real(g).astype(np.asarray(a).dtype),
       lambda ans, a, b: lambda g: -anp.imag(g).astype(np.asarray(b).dtype))


def _to_complex(real, imag, dt):
    return _complex(cast(real, dt), cast(imag, dt))


def _split(c, dt):
    return cast(anp.real(c), dt), cast(anp.imag(c), dt)


def fft(x):
    """FFT over the last axis of `(real, imag)`; returns `(real, imag)`."""
    real, imag, dt = _complex_from_tuple(x)
    return _split(anp.fft.fft(_to_complex(real, imag, dt)), dt)


def fft2(x):
    """2-D FFT over the last two axes of `(real, imag)`."""
    real, imag, dt = _complex_from_tuple(x)
    return _split(anp.fft.fft2(_to_complex(real, imag, dt)), dt)


def ifft2(x):
    """Inverse 2-D FFT over the last two axes of `(real, imag)`."""
    real, imag, dt = _complex_from_tuple(x)
    return _split(anp.fft.ifft2(_to_complex(real, imag, dt)), dt)


def rfft(x, fft_length=None):
    """FFT of real `x` over the last axis (non-negative frequencies only);
    returns `(real, imag)`."""
    x = _f(x)
    dt = _dtype_of(x)
    return _split(anp.fft.rfft(x, n=fft_length), dt)


def irfft(x, fft_length=None):
    """Inverse of `rfft`: real signal from `(real, imag)`."""
    real, imag, dt = _complex_from_tuple(x)
    return cast(anp.fft.irfft(_to_complex(real, imag, dt), n=fft_length), dt)


def _stft_window(window, sequence_length, fft_length, dt):
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                'If a string is passed to `window`, it must be one of `"hann"`, `"hamming"`. '
                f"Received: window={window}")
        n = np.arange(sequence_length)
        a = 0.5 if window == "hann" else 0.54
        # periodic window: the denominator is the length, not length - 1
        win = a - (1 - a) * np.cos(2 * np.pi * n / sequence_length)
    else:
        win = np.asarray(getval(_v(window)), dtype=np.float64)
        if win.ndim != 1 or win.shape[-1] != sequence_length:
            raise ValueError(
                f"The shape of `window` must be equal to [sequence_length].Received: "
                f"window shape={win.shape}")
    l_pad = (fft_length - sequence_length) // 2
    r_pad = fft_length - sequence_length - l_pad
    return np.pad(win, (l_pad, r_pad)).astype(dt)


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform over the last axis; returns
    `(real, imag)` of shape `(..., frames, fft_length // 2 + 1)`."""
    x = _t(x)
    if _dtype_of(x).name not in ("float32", "float64"):
        raise TypeError(
            f"Invalid input type. Expected `float32` or `float64`. Received: input type={_dtype_of(x)}")
    if fft_length < sequence_length:
        raise ValueError(
            "`fft_length` must equal or larger than `sequence_length`. Received: "
            f"sequence_length={sequence_length}, fft_length={fft_length}")
    dt = _dtype_of(x)
    win = _stft_window(window, sequence_length, fft_length, dt)
    if center:
        from minikeras.ops.array_ops import pad
        pw = [(0, 0)] * (np.ndim(_plain(x)) - 1) + [(fft_length // 2, fft_length // 2)]
        x = pad(x, pw, mode="reflect")
    frames = extract_sequences(x, fft_length, sequence_stride)
    if win is not None:
        frames = frames * win
    return _split(anp.fft.rfft(frames, n=fft_length), dt)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """Inverse of `stft`: overlap-add of the inverse FFTs of the frames,
    with the window normalised as TensorFlow's `inverse_stft_window_fn`."""
    real, imag, dt = _complex_from_tuple(x)
    frames = cast(anp.fft.irfft(_to_complex(real, imag, dt), n=fft_length), dt)
    nframes = np.shape(_plain(frames))[-2]
    win = _stft_window(window, sequence_length, fft_length, dt)
    if win is not None:
        w = win.astype(np.float64)
        overlaps = -(-fft_length // sequence_stride)
        denom = np.pad(w * w, (0, overlaps * sequence_stride - fft_length))
        denom = denom.reshape(overlaps, sequence_stride).sum(0, keepdims=True)
        denom = np.tile(denom, (overlaps, 1)).reshape(-1)[:fft_length]
        frames = frames * (w / denom).astype(dt)
    out_len = fft_length + sequence_stride * (nframes - 1)
    # Overlap-add as one matrix product: (frames * fft_length) -> out_len.
    pos = (np.arange(nframes)[:, None] * sequence_stride + np.arange(fft_length)[None, :]).reshape(-1)
    scatter = np.zeros((nframes * fft_length, out_len), dtype=dt)
    scatter[np.arange(nframes * fft_length), pos] = 1
    flat = anp.reshape(frames, np.shape(_plain(frames))[:-2] + (nframes * fft_length,))
    out = anp.dot(flat, scatter)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = out_len - fft_length // 2
    else:
        end = out_len
    return out[..., start:end]


# ----- complex views ---------------------------------------------------------------
def view_as_complex(x):
    """`(..., 2)` real pairs as a complex array."""
    x = _t(x)
    if np.shape(_plain(x))[-1] != 2:
        raise ValueError(
            f"Last dimension of input must be size 2 (real and imaginary). "
            f"Received shape: {np.shape(_plain(x))}")
    return _to_complex(x[..., 0], x[..., 1], _dtype_of(x))


def view_as_real(x):
    """A complex array as `(..., 2)` real pairs."""
    x = _t(x)
    dt = np.dtype(np.float32) if _dtype_of(x) == np.complex64 else np.dtype(
        np.float64 if _dtype_of(x).kind == "c" else config.floatx())
    return anp.stack([cast(anp.real(x), dt), cast(anp.imag(x), dt)], axis=-1)
