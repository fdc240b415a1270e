"""`ConvLSTMCell` and `ConvLSTM`: LSTMs whose input and recurrent
transformations are convolutions (Shi et al., 2015). ConvLSTM1D/2D/3D
subclass `ConvLSTM` with rank 1, 2, 3.

The input convolutions of all time steps run as one convolution over the
`(batch * time)` stacked frames (im2col + one GEMM); the loop over time then
does only the recurrent ('same', stride 1) convolution and the gate
arithmetic.
"""
import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from minikeras import activations, constraints, initializers, regularizers
from minikeras.backend import config as backend_config
from minikeras.backend.conv_primitives import conv, conv_output_length, effective_kernel
from minikeras.backend.random import SeedGenerator
from minikeras.layers.convolutional.arg_utils import (
    standardize_padding, standardize_tuple, to_channels_first, to_channels_last)
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.layers.rnn.cell_base import add_cell_properties, as_value
from minikeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from minikeras.layers.rnn.rnn import BuiltinRNN


def _move_channels(x, data_format, to_last, time_axis):
    """Channel axis to the end (`to_last`) or back, with an optional time axis."""
    if data_format != "channels_first":
        return x
    nd = anp.ndim(x)
    lead = 2 if time_axis else 1
    if to_last:
        perm = tuple(range(lead)) + tuple(range(lead + 1, nd)) + (lead,)
    else:
        perm = tuple(range(lead)) + (nd - 1,) + tuple(range(lead, nd - 1))
    return anp.transpose(x, perm)


class ConvLSTMCell(Layer, DropoutRNNCell):
    """Cell class for the ConvLSTM layers: processes one step of a sequence.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output filters.
        kernel_size, strides, padding, data_format, dilation_rate: of the
            input convolution (the recurrent one is 'same' with stride 1).
        activation, recurrent_activation, use_bias, initializers,
            unit_forget_bias, regularizers, constraints, dropout,
            recurrent_dropout, seed: as in `LSTMCell`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation="tanh",
                 recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed=seed)
        self.rank = rank
        if self.rank > 3:
            raise ValueError(
                f"Rank {rank} convolutions are not currently implemented. Received: rank={rank}")
        self.filters = filters
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = standardize_padding(padding)
        self.data_format = backend_config.standardize_data_format(data_format)
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please "
                "provide `strides=1` or `dilation_rate=1`. Received: "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.dropout_mask_count = 4
        self._dropout_mask = None
        self._recurrent_dropout_mask = None
        self.input_spec = InputSpec(ndim=rank + 2)
        self.state_size = -1  # states are feature maps: see get_initial_state

    def build(self, inputs_shape, states_shape=None):
        if self.data_format == "channels_first":
            channel_axis = 1
            self.spatial_dims = tuple(inputs_shape[2:])
        else:
            channel_axis = -1
            self.spatial_dims = tuple(inputs_shape[1:-1])
        if None in self.spatial_dims:
            raise ValueError(
                "ConvLSTM layers only support static input shapes for the spatial "
                f"dimension. Received invalid input shape: input_shape={inputs_shape}")
        if inputs_shape[channel_axis] is None:
            raise ValueError(
                "The channel dimension of the inputs (last axis) should be defined. Found "
                f"None. Full input shape received: input_shape={inputs_shape}")
        self.input_spec = InputSpec(ndim=self.rank + 2, shape=(None,) + tuple(inputs_shape[1:]))
        input_dim = inputs_shape[channel_axis]
        self.input_dim = input_dim
        self.kernel_shape = self.kernel_size + (input_dim, self.filters * 4)
        self.kernel = self.add_weight(
            shape=self.kernel_shape, initializer=self.kernel_initializer, name="kernel",
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, self.filters * 4),
            initializer=self.recurrent_initializer, name="recurrent_kernel",
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        if self.use_bias:
            if self.unit_forget_bias:
                base, f = self.bias_initializer, self.filters

                def bias_initializer(_, dtype=None):
                    return np.concatenate([
                        np.asarray(base((f,), dtype=dtype)),
                        np.asarray(initializers.get("ones")((f,), dtype=dtype)),
                        np.asarray(base((2 * f,), dtype=dtype))])
            else:
                bias_initializer = self.bias_initializer
            self.bias = self.add_weight(
                shape=(self.filters * 4,), name="bias", initializer=bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    # ----- the two convolutions, channels-last --------------------------------------
    def _input_conv(self, frames, masks=None):
        """Input convolution of channels-last `frames (n, *spatial, C)` -> 4F gates.

        `masks` (4 dropout masks broadcastable to `frames`) give each gate its
        own masked input, as Keras does.
        """
        W, b = self.kernel.value, as_value(self.bias)
        kw = dict(strides=self.strides, padding=self.padding, dilation_rate=self.dilation_rate)
        if masks is None:
            return conv(frames, W, b, **kw)
        F = self.filters
        return anp.concatenate([
            conv(frames * masks[g], W[..., g * F:(g + 1) * F],
                 None if b is None else b[g * F:(g + 1) * F], **kw) for g in range(4)], axis=-1)

    def _recurrent_conv(self, h, masks=None):
        U = self.recurrent_kernel.value
        if masks is None:
            return conv(h, U, None, strides=1, padding="same")
        F = self.filters
        return anp.concatenate([
            conv(h * masks[g], U[..., g * F:(g + 1) * F], None, strides=1, padding="same")
            for g in range(4)], axis=-1)

    def _gates(self, z, c_tm1):
        F = self.filters
        i = self.recurrent_activation(z[..., :F])
        f = self.recurrent_activation(z[..., F:2 * F])
        c = f * c_tm1 + i * self.activation(z[..., 2 * F:3 * F])
        o = self.recurrent_activation(z[..., 3 * F:])
        h = o * self.activation(c)
        return h, c

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp = rdp = None
        if training and 0.0 < self.dropout < 1.0:
            dp = self.get_dropout_mask(inputs)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            rdp = self.get_recurrent_dropout_mask(h_tm1)
        df = self.data_format
        x = to_channels_last(inputs, df)
        h_cl, c_cl = to_channels_last(h_tm1, df), to_channels_last(c_tm1, df)
        dp = None if dp is None else [to_channels_last(m, df) for m in dp]
        rdp = None if rdp is None else [to_channels_last(m, df) for m in rdp]
        z = self._input_conv(x, dp) + self._recurrent_conv(h_cl, rdp)
        h, c = self._gates(z, c_cl)
        h, c = to_channels_first(h, df), to_channels_first(c, df)
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        if self.data_format == "channels_first":
            spatial = inputs_shape[2:]
        else:
            spatial = inputs_shape[1:-1]
        k_eff = effective_kernel(self.kernel_size, self.dilation_rate)
        out = tuple(conv_output_length(n, k, s, self.padding)
                    for n, k, s in zip(spatial, k_eff, self.strides))
        if self.data_format == "channels_first":
            shape = (inputs_shape[0], self.filters) + out
        else:
            shape = (inputs_shape[0],) + out + (self.filters,)
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            input_shape = (batch_size,) + self.spatial_dims + (self.input_dim,)
        else:
            input_shape = (batch_size, self.input_dim) + self.spatial_dims
        state_shape = self.compute_output_shape(input_shape)[0]
        return [np.zeros(state_shape, dtype=self.compute_dtype),
                np.zeros(state_shape, dtype=self.compute_dtype)]

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "rank": self.rank,
        })
        return config


class ConvLSTM(BuiltinRNN):
    """Abstract N-D convolutional LSTM layer (used by ConvLSTM1D/2D/3D).

    Similar to an LSTM layer, but the input transformations and recurrent
    transformations are both convolutional.

    Args:
        rank: number of spatial dimensions.
        filters, kernel_size, strides, padding, data_format, dilation_rate:
            of the input convolution.
        activation, recurrent_activation, use_bias, initializers,
            unit_forget_bias, regularizers, constraints, dropout,
            recurrent_dropout, seed: as in `LSTM`.
        return_sequences, return_state, go_backwards, stateful: as in `RNN`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="conv_lstm_cell",
            dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=rank + 3)

    def _check_rank(self, shape):
        want = self.cell.rank + 3
        if shape is not None and len(shape) != want:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: expected '
                f"ndim={want}, found ndim={len(shape)}. Full shape received: {tuple(shape)}")

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        if type(cell).call is not ConvLSTMCell.call:
            return super().inner_loop(sequences, initial_state, mask, training)
        df = cell.data_format
        shape = np.shape(getval(sequences))
        B, T = shape[:2]
        x = _move_channels(sequences, df, True, time_axis=True)   # (B, T, *spatial, C)
        dp = rdp = None
        if training and 0.0 < cell.dropout < 1.0:
            dp = [to_channels_last(m, df)[:, None]
                  for m in cell.get_dropout_mask(getval(sequences)[:, 0])]
        if training and 0.0 < cell.recurrent_dropout < 1.0:
            rdp = [to_channels_last(m, df) for m in
                   cell.get_recurrent_dropout_mask(getval(initial_state[0]))]
        frames = anp.reshape(x, (B * T,) + tuple(np.shape(getval(x))[2:]))
        if dp is not None:
            masks = [anp.reshape(anp.broadcast_to(m, np.shape(getval(x))),
                                 np.shape(getval(frames))) for m in dp]
        else:
            masks = None
        proj = cell._input_conv(frames, masks)
        proj = anp.reshape(proj, (B, T) + tuple(np.shape(getval(proj))[1:]))
        states = [to_channels_last(s, df) for s in initial_state]

        def step(p_t, st):
            z = p_t + cell._recurrent_conv(st[0], rdp)
            h, c = cell._gates(z, st[1])
            return h, [h, c]
        last, seq, final = self._step_loop(proj, states, mask, training, step_fn=step)
        last = to_channels_first(last, df)
        if seq is not None:
            seq = _move_channels(seq, df, False, time_axis=True)
        final = [to_channels_first(s, df) for s in final]
        return last, seq, final

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        step_shape = (batch_size,) + tuple(sequences_shape[2:])
        state_shape = tuple(self.cell.compute_output_shape(step_shape)[0][1:])
        if self.return_sequences:
            output_shape = (batch_size, steps) + state_shape
        else:
            output_shape = (batch_size,) + state_shape
        if self.return_state:
            batched = (batch_size,) + state_shape
            return output_shape, batched, batched
        return output_shape

    def compute_mask(self, _, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, None, None]
        return output_mask

    def get_config(self):
        config = super().get_config()
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype", "rank"):
            cell_config.pop(key, None)
        config.pop("cell", None)
        config.update(cell_config)
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config



add_cell_properties(ConvLSTM, (
    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
    "activation", "recurrent_activation", "use_bias", "kernel_initializer",
    "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout"))
