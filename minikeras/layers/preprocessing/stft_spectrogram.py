"""`STFTSpectrogram`: a short-time Fourier transform as two 1D convolutions."""
import math
import warnings

import numpy as np
import autograd.numpy as anp

from minikeras.backend import config as backend_config
from minikeras.initializers.constant_initializers import STFT
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.nn_conv import conv

_MODES = ["log", "magnitude", "psd", "real", "imag", "angle", "stft"]


class STFTSpectrogram(Layer):
    """Layer to compute the Short-Time Fourier Transform (STFT) on a 1D signal.

    The real and imaginary parts are 1D convolutions of every channel with
    the windowed DFT basis (`real_kernel`, `imag_kernel`, initialized by the
    `STFT` initializer and trainable, as in Keras). Input `(batch, time,
    channels)` (channels last) or `(batch, channels, time)`.

    Args:
        mode: `"log"` (default), `"magnitude"`, `"psd"`, `"real"`, `"imag"`,
            `"angle"` or `"stft"` (real and imaginary parts concatenated).
        frame_length: window length in samples.
        frame_step: hop in samples (default `frame_length // 2`).
        fft_length: FFT size (default the next power of two).
        window: window name (`"hann"`, `"hamming"`, ...), array, or None.
        periodic: use the periodic variant of the window.
        scaling: `"density"`, `"spectrum"` or None.
        padding: `"valid"` or `"same"`.
        expand_dims: output `(batch, time, freq, channels)` instead of
            folding channels into the frequency axis.
        data_format: `"channels_last"` or `"channels_first"`.
    """

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError("`frame_step` should be a positive integer not greater than "
                             f"`frame_length`. Received frame_step={frame_step}, "
                             f"frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError("`fft_length` should be not less than `frame_length`. Received "
                             f"fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn("`fft_length` is recommended to be a power of two. Received "
                          f"fft_length={fft_length}")
        if mode not in _MODES:
            raise ValueError(f"Output mode is invalid, it must be one of {', '.join(_MODES)}. "
                             f"Received: mode={mode}")
        if scaling is not None and scaling not in ["density", "spectrum"]:
            raise ValueError("Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling}")
        if padding not in ["valid", "same"]:
            raise ValueError("Padding is invalid, it should be 'valid', 'same'. "
                             f"Received: padding={padding}")
        if isinstance(window, str):
            STFT("real", window, scaling, periodic)  # raises for an unknown window
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = backend_config.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel", shape=shape,
                initializer=STFT("real", self.window, self.scaling, self.periodic))
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel", shape=shape,
                initializer=STFT("imag", self.window, self.scaling, self.periodic))

    def _apply_conv(self, x, kernel):
        """`(batch, channels, freq, time)` responses of every channel."""
        if self.data_format == "channels_last":
            b, t, c = x.shape
            x = anp.reshape(anp.transpose(x, (0, 2, 1)), (-1, t, 1))
            y = conv(x, kernel, strides=self._frame_step, padding=self.padding,
                     data_format="channels_last")
            y = anp.transpose(y, (0, 2, 1))
        else:
            b, c, t = x.shape
            y = conv(anp.reshape(x, (-1, 1, t)), kernel, strides=self._frame_step,
                     padding=self.padding, data_format="channels_first")
        return anp.reshape(y, (b, c) + tuple(y.shape[1:]))

    def _adjust_shapes(self, outputs):
        b, c, f, t = outputs.shape
        if self.data_format == "channels_last":
            if self.expand_dims:
                return anp.transpose(outputs, (0, 3, 2, 1))
            return anp.transpose(anp.reshape(outputs, (b, c * f, t)), (0, 2, 1))
        if self.expand_dims:
            return anp.transpose(outputs, (0, 1, 3, 2))
        return anp.reshape(outputs, (b, c * f, t))

    def call(self, inputs):
        dtype = np.dtype(getattr(inputs, "dtype", np.float32))
        if dtype.name not in {"float16", "float32", "float64"}:
            raise TypeError("Invalid input type. Expected `float16`, `float32` or `float64`. "
                            f"Received: input type={dtype.name}")
        real = imag = None
        if self.mode != "imag":
            real = self._apply_conv(inputs, self.real_kernel.value)
        if self.mode != "real":
            imag = self._apply_conv(inputs, self.imag_kernel.value)
        if self.mode == "real":
            return self._adjust_shapes(real)
        if self.mode == "imag":
            return self._adjust_shapes(imag)
        if self.mode == "angle":
            return self._adjust_shapes(anp.arctan2(imag, real))
        if self.mode == "stft":
            return self._adjust_shapes(anp.concatenate([real, imag], axis=2))
        power = real * real + imag * imag
        if self.mode == "psd":
            inner = anp.pad(power[:, :, 1:-1, :], ((0, 0), (0, 0), (1, 1), (0, 0)),
                            mode="constant")
            return self._adjust_shapes(power + inner)
        eps = np.asarray(backend_config.epsilon(), power.dtype)
        linear = self._adjust_shapes(anp.sqrt(anp.maximum(power, eps)))
        if self.mode == "magnitude":
            return linear
        return anp.log(anp.maximum(linear, eps))

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            b, t, channels = input_shape
        else:
            b, channels, t = input_shape
        freq = self._fft_length // 2 + 1
        if self.mode == "stft":
            freq *= 2
        if t is None:
            steps = None
        elif self.padding == "same":
            steps = -(-t // self._frame_step)
        else:
            steps = (t - self.frame_length) // self._frame_step + 1
        if self.expand_dims:
            if self.data_format == "channels_last":
                return (b, steps, freq, channels)
            return (b, channels, steps, freq)
        folded = None if channels is None else freq * channels
        if self.data_format == "channels_last":
            return (b, steps, folded)
        return (b, folded, steps)

    def get_config(self):
        config = super().get_config()
        config.update({"mode": self.mode, "frame_length": self.frame_length,
                       "frame_step": self.frame_step, "fft_length": self.fft_length,
                       "window": self.window, "periodic": self.periodic,
                       "scaling": self.scaling, "padding": self.padding,
                       "data_format": self.data_format, "expand_dims": self.expand_dims})
        return config
