"""Deterministic initializers: Constant, Zeros, Ones, Identity, STFT."""
import math

import numpy as np

from minikeras.backend.common import standardize_dtype
from minikeras.initializers._utils import standardize_shape
from minikeras.initializers.initializer import Initializer


class Constant(Initializer):
    """Initializer that generates tensors with constant values.

    Only scalar values (or values broadcastable to `shape`) are allowed.

    Examples:

    >>> initializer = Constant(10.)
    >>> values = initializer(shape=(2, 2))

    Args:
        value: A Python scalar.
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        shape = standardize_shape(shape)
        value = np.asarray(getattr(self.value, "numpy", lambda: self.value)())
        return np.broadcast_to(value.astype(dtype), shape).copy()

    def get_config(self):
        value = self.value
        if isinstance(value, np.generic):
            value = value.item()
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        return {"value": value}

    @classmethod
    def from_config(cls, config):
        return cls(config.get("value", 0.0))


class Zeros(Initializer):
    """Initializer that generates tensors initialized to 0.

    Examples:

    >>> initializer = Zeros()
    >>> values = initializer(shape=(2, 2))
    """

    def __call__(self, shape, dtype=None):
        return np.zeros(standardize_shape(shape), dtype=standardize_dtype(dtype))


class Ones(Initializer):
    """Initializer that generates tensors initialized to 1.

    Also available via the shortcut function `ones`.

    Examples:

    >>> initializer = Ones()
    >>> values = initializer(shape=(2, 2))
    """

    def __call__(self, shape, dtype=None):
        return np.ones(standardize_shape(shape), dtype=standardize_dtype(dtype))


class Identity(Initializer):
    """Initializer that generates the identity matrix.

    Only usable for generating 2D matrices; non-square shapes get ones on the
    main diagonal.

    Examples:

    >>> initializer = Identity()
    >>> values = initializer(shape=(2, 2))

    Args:
        gain: Multiplicative factor to apply to the identity matrix.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}.")
        dtype = standardize_dtype(dtype)
        return (self.gain * np.eye(*shape, dtype=dtype)).astype(dtype)

    def get_config(self):
        # Keras 3 leaves `gain` out of the config (so it is lost on reload);
        # saving it is harmless and keeps a round trip exact.
        return {"gain": self.gain}


def _window(name, length, periodic):
    """A named window of `length` points (symmetric unless `periodic`)."""
    n = length + 1 if periodic else length
    if n == 1:
        w = np.ones(1)
    else:
        t = np.arange(n)
        if name in ("hann", "hanning"):
            w = 0.5 - 0.5 * np.cos(2 * math.pi * t / (n - 1))
        elif name in ("hamming", "hamm"):
            w = 0.54 - 0.46 * np.cos(2 * math.pi * t / (n - 1))
        elif name in ("boxcar", "box", "ones", "rect", "rectangular"):
            w = np.ones(n)
        elif name in ("blackman", "black", "blk"):
            w = (0.42 - 0.5 * np.cos(2 * math.pi * t / (n - 1))
                 + 0.08 * np.cos(4 * math.pi * t / (n - 1)))
        elif name in ("bartlett", "bart", "brt"):
            w = 1 - np.abs(2 * t / (n - 1) - 1)
        else:
            try:  # other scipy windows, when scipy happens to be installed
                from scipy.signal import get_window
            except ImportError:
                raise ValueError(
                    f"Unknown window '{name}'. Supported without scipy: hann, "
                    "hamming, boxcar, blackman, bartlett.")
            return np.asarray(get_window(name, length, fftbins=periodic), dtype=np.float64)
    return w[:length]


class STFT(Initializer):
    """Initializer of Conv kernels for Short-term Fourier Transformation (STFT).

    The kernel has shape `(frame_length, input_channels, fft_length)` and holds
    the real (`side="real"`, cosine) or imaginary (`side="imag"`, sine) part
    of the DFT basis, multiplied by a window and divided by its scaling.

    Args:
        side: String, `"real"` or `"imag"`.
        window: String for the name of the windowing function (`"hann"`,
            `"hamming"`, `"boxcar"`, `"blackman"`, `"bartlett"`), an array of
            length `frame_length`, or `None` for no windowing.
        scaling: String, `"density"` or `"spectrum"` (or `None`).
        periodic: Boolean, if True, the window function is treated as
            periodic. Defaults to `False`.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ["real", "imag"]:
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            _window(window, 1, periodic)  # raises for an unknown window name
        if scaling is not None and scaling not in ["density", "spectrum"]:
            raise ValueError(
                "Scaling is invalid, it must be `None`, 'density' "
                f"or 'spectrum'. Received scaling={scaling}")
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        dtype = standardize_dtype(dtype)
        shape = standardize_shape(shape)
        if len(shape) != 3:
            raise ValueError(
                "STFT initializer expects shape (frame_length, input_channels, "
                f"fft_length). Received: shape={shape}")
        frame_length, _, fft_length = shape
        win, scaling = None, 1.0
        if self.window is not None:
            win = self.window
            if isinstance(win, str):
                win = _window(win, frame_length, self.periodic)
            win = np.asarray(win, dtype=dtype)
            if win.ndim != 1 or win.shape[-1] != frame_length:
                raise ValueError(
                    "The shape of `window` must be equal to [frame_length]."
                    f"Received: window shape={win.shape}")
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scaling = np.sqrt(np.sum(np.square(win)))
            elif self.scaling == "spectrum":
                scaling = np.sum(np.abs(win))
        freq = (np.arange(fft_length, dtype=dtype).reshape(1, 1, fft_length)
                / np.asarray((fft_length - 1) * 2, dtype=dtype))
        time = np.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        args = (np.asarray(-2, dtype=dtype) * time) * freq * np.asarray(math.pi, dtype=dtype)
        kernel = np.cos(args) if self.side == "real" else np.sin(args)
        kernel = kernel.astype(dtype)
        if win is not None:
            kernel = (kernel * win / np.asarray(scaling, dtype=dtype)).astype(dtype)
        return np.broadcast_to(kernel, shape).copy() if kernel.shape != shape else kernel

    def get_config(self):
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window,
                "periodic": self.periodic, "scaling": self.scaling}
