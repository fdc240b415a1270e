"""`MelSpectrogram`: audio -> (log-)mel spectrogram."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import isbox

from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v
from minikeras.ops.math import stft

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies):
    return np.float32(_MEL_HIGH_FREQUENCY_Q) * np.log(
        np.float32(1.0) + frequencies / np.float32(_MEL_BREAK_FREQUENCY_HERTZ))


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sampling_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype="float32"):
    """`(num_spectrogram_bins, num_mel_bins)` triangular filters on the mel
    scale (`tf.signal.linear_to_mel_weight_matrix`; the DC bin is zero)."""
    dt = np.dtype(dtype)
    nyquist = np.asarray(sampling_rate, dt) / np.asarray(2.0, dt)
    linear = np.linspace(np.asarray(0, dt), nyquist, num_spectrogram_bins, dtype=dt)[1:]
    bins_mel = _hertz_to_mel(linear)[:, None]
    edges = np.linspace(_hertz_to_mel(np.asarray(lower_edge_hertz, dt)),
                        _hertz_to_mel(np.asarray(upper_edge_hertz, dt)), num_mel_bins + 2,
                        dtype=dt)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    lower_slopes = (bins_mel - lower) / (center - lower)
    upper_slopes = (upper - bins_mel) / (upper - center)
    weights = np.maximum(np.asarray(0, dt), np.minimum(lower_slopes, upper_slopes))
    return np.pad(weights, [[1, 0], [0, 0]]).astype(dt)


class MelSpectrogram(Layer):
    """A preprocessing layer to convert raw audio signals to Mel spectrograms.

    `|STFT(x)| ** mag_exp` (centered frames, reflect padding, periodic Hann
    window) times the mel filter bank; with `power_to_db`, converted to
    decibels relative to `ref_power` and floored at `max - top_db` (the max
    over the whole batch, as in Keras). Output `(batch, num_mel_bins,
    frames)`.

    Args:
        fft_length: FFT size.
        sequence_stride: hop between frames.
        sequence_length: window length (default `fft_length`).
        window: `"hann"`, `"hamming"` or None.
        sampling_rate: the audio's sampling rate (Hz).
        num_mel_bins: number of mel bands.
        min_freq, max_freq: frequency range of the filter bank (Hz).
        power_to_db: output decibels.
        top_db: dynamic range kept in decibels.
        mag_exp: exponent of the magnitude (2: power spectrogram).
        min_power: floor of the power before the log.
        ref_power: the power of 0 dB.
    """

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError("`fft_length` must be greater than or equal to   `sequence_length`"
                             f". Received: `sequence_length`={self.sequence_length}, "
                             f"`fft_length`={self.fft_length}.")
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        self.built = True

    def __call__(self, inputs, **kwargs):
        return super().__call__(inputs, **kwargs)

    def call(self, inputs):
        dtype = "float32" if self.compute_dtype not in ("float32", "float64") \
            else self.compute_dtype
        x = _v(inputs)
        if not isbox(x):
            x = np.asarray(x, dtype=dtype)
        real, imag = stft(x, self.sequence_length, self.sequence_stride, self.fft_length,
                          window=self.window, center=True)
        spec = anp.sqrt(real * real + imag * imag)
        spec = spec ** np.asarray(self.mag_exp, dtype)
        matrix = linear_to_mel_weight_matrix(self.num_mel_bins, spec.shape[-1],
                                             self.sampling_rate, self.min_freq, self.max_freq,
                                             dtype)
        out = anp.tensordot(spec, matrix, axes=1)
        if self.power_to_db:
            out = self._dbscale(out)
        return anp.swapaxes(out, -1, -2).astype(self.compute_dtype)

    def _dbscale(self, x):
        dt = x.dtype
        ten = np.asarray(10.0, dt)
        log_spec = ten * anp.log10(anp.maximum(x, np.asarray(self.min_power, dt)))
        ref = np.abs(np.asarray(self.ref_power, dt))
        log_spec = log_spec - ten * np.log10(np.maximum(ref, np.asarray(self.min_power, dt)))
        return anp.maximum(log_spec, anp.max(log_spec) - np.asarray(self.top_db, dt))

    def linear_to_mel_weight_matrix(self, num_mel_bins=20, num_spectrogram_bins=129,
                                    sampling_rate=8000, lower_edge_hertz=125.0,
                                    upper_edge_hertz=3800.0, dtype="float32"):
        return linear_to_mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate,
                                           lower_edge_hertz, upper_edge_hertz, dtype)

    def compute_output_shape(self, input_shape):
        def frames(n):
            return None if n is None else (n + self.sequence_stride + 1) // self.sequence_stride
        if len(input_shape) == 1:
            return (self.num_mel_bins, frames(input_shape[0]))
        return (input_shape[0], self.num_mel_bins, frames(input_shape[1]))

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"fft_length": self.fft_length, "sequence_stride": self.sequence_stride,
                       "sequence_length": self.sequence_length, "window": self.window,
                       "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                       "min_freq": self.min_freq, "max_freq": self.max_freq,
                       "power_to_db": self.power_to_db, "top_db": self.top_db,
                       "mag_exp": self.mag_exp, "min_power": self.min_power,
                       "ref_power": self.ref_power})
        return config
