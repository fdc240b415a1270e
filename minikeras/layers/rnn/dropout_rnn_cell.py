"""`DropoutRNNCell`: the per-sequence dropout masks of the recurrent cells.

As in Keras, a mask is drawn once per sequence (the RNN layer resets it
after each call), so every time step drops the same units.
"""
import numpy as np
from autograd.tracer import getval

from minikeras import activations


class DropoutRNNCell:
    """Mixin for cells with `dropout` / `recurrent_dropout` and a `seed_generator`.

    A cell may set `dropout_mask_count` to get one mask per gate (Keras's
    "implementation 1"); otherwise one mask is shared by the gates.
    """

    def _create_dropout_mask(self, step_input, dropout_rate):
        value = np.asarray(getval(step_input))
        dtype = value.dtype if value.dtype.kind == "f" else np.dtype(self.compute_dtype)
        keep = 1.0 - dropout_rate
        rng = self.seed_generator.rng
        scale = np.asarray(1.0 / keep, dtype=dtype)

        def one():
            return (rng.random(value.shape, dtype=np.float32) < keep).astype(dtype) * scale
        count = getattr(self, "dropout_mask_count", None)
        if count is None:
            return one()
        return [one() for _ in range(count)]

    def get_dropout_mask(self, step_input):
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(
                step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    # ----- helpers for the fused whole-sequence kernels ------------------------
    def _fused_dropout_masks(self, sequences, h0, training):
        """(input mask, recurrent mask) as `(batch, G, dim)` arrays or None."""
        xm = hm = None
        if training and 0.0 < self.dropout < 1.0:
            xm = _stack_masks(self.get_dropout_mask(getval(sequences)[:, 0]))
        if training and 0.0 < self.recurrent_dropout < 1.0:
            hm = _stack_masks(self.get_recurrent_dropout_mask(getval(h0)))
        return xm, hm


def _stack_masks(mask):
    if mask is None:
        return None
    if isinstance(mask, (list, tuple)):
        return np.stack(mask, axis=1)
    return mask[:, None, :]


_FUSABLE = {"tanh": activations.tanh, "sigmoid": activations.sigmoid,
            "relu": activations.relu, "linear": activations.linear,
            "hard_sigmoid": activations.hard_sigmoid}


def fused_activation_name(fn):
    """The fused-kernel name of a built-in activation, or None for others."""
    for name, f in _FUSABLE.items():
        if fn is f:
            return name
    return None
