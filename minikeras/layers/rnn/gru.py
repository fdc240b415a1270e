"""`GRUCell` and `GRU`: Gated Recurrent Unit (Cho et al., 2014)."""
from minikeras.backend import primitives as P
from minikeras.backend import rnn_primitives
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.rnn.cell_base import (
    COMMON_PROPERTIES, BaseCell, add_cell_properties, as_value, fused_activation_names,
    layer_config)
from minikeras.layers.rnn.rnn import BuiltinRNN, check_use_cudnn


class GRUCell(BaseCell):
    """Cell class for the GRU layer: processes one step of a sequence.

    Gates are in Keras order z (update), r (reset), h (candidate):
    `kernel (input_dim, 3 * units)`, `recurrent_kernel (units, 3 * units)`,
    and `bias (2, 3 * units)` (input and recurrent biases) with
    `reset_after=True` (the default, cuDNN-compatible), else `(3 * units,)`.

    Args:
        units: dimensionality of the output space.
        activation: candidate activation (default tanh).
        recurrent_activation: gate activation (default sigmoid).
        use_bias, initializers, regularizers, constraints: as in `LSTMCell`.
        dropout, recurrent_dropout: fractions of the input / recurrent units
            to drop (per sequence).
        reset_after: apply the reset gate after the recurrent matrix
            multiplication (True) or before (False).
        seed: random seed for dropout.

    Call arguments:
        inputs: `(batch, features)`.
        states: `[h]` (or `h`), `(batch, units)`.
        training: whether dropout is active.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    rnn = keras.layers.RNN(keras.layers.GRUCell(4))
    output = rnn(inputs)   # (32, 4)
    ```
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self._setup(units, activation, recurrent_activation, use_bias, kernel_initializer,
                    recurrent_initializer, bias_initializer, kernel_regularizer,
                    recurrent_regularizer, bias_regularizer, kernel_constraint,
                    recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed)
        self.implementation = implementation
        if self.recurrent_dropout != 0.0:
            self.implementation = 1
        if self.implementation == 1:
            self.dropout_mask_count = 3
        self.reset_after = reset_after
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        self._add_kernels(input_shape, 3)
        if self.use_bias:
            # Separate input and recurrent biases with reset_after.
            shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
            self.bias = self.add_weight(
                shape=shape, name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_tm1 = states[0] if nested else states
        dp, rdp = self._step_masks(inputs, h_tm1, training)
        W, U, b = self.kernel.value, self.recurrent_kernel.value, as_value(self.bias)
        n = self.units
        if b is None:
            b_in = b_rec = None
        elif self.reset_after:
            b_in, b_rec = b[0], b[1]
        else:
            b_in, b_rec = b, None
        per_gate = isinstance(dp, list) or isinstance(rdp, list)

        def gate_inputs(masks, value, g):
            if masks is None:
                return value
            return value * (masks[g] if isinstance(masks, list) else masks)

        sl = [slice(g * n, (g + 1) * n) for g in range(3)]
        if per_gate:
            xz = [P.dense(gate_inputs(dp, inputs, g), W[:, sl[g]],
                          None if b_in is None else b_in[sl[g]]) for g in range(3)]
        else:
            xx = P.dense(gate_inputs(dp, inputs, 0), W, b_in)
            xz = [xx[:, s] for s in sl]
        h_in = [gate_inputs(rdp, h_tm1, g) for g in range(3)]
        if self.reset_after:
            if per_gate:
                hu = [P.matmul(h_in[g], U[:, sl[g]]) for g in range(3)]
                if b_rec is not None:
                    hu = [hu[g] + b_rec[sl[g]] for g in range(3)]
            else:
                hh_all = P.dense(h_in[0], U, b_rec)
                hu = [hh_all[:, s] for s in sl]
            z = self.recurrent_activation(xz[0] + hu[0])
            r = self.recurrent_activation(xz[1] + hu[1])
            hh = self.activation(xz[2] + r * hu[2])
        else:
            z = self.recurrent_activation(xz[0] + P.matmul(h_in[0], U[:, sl[0]]))
            r = self.recurrent_activation(xz[1] + P.matmul(h_in[1], U[:, sl[1]]))
            hh = self.activation(xz[2] + P.matmul(r * h_in[2], U[:, sl[2]]))
        h = z * h_tm1 + (1 - z) * hh
        return h, ([h] if nested else h)

    def _fused_sequence(self, sequences, states, mask, training, go_backwards,
                        return_sequences, zero_output_for_mask):
        act, ract = fused_activation_names(self)
        xm, hm = self._fused_dropout_masks(sequences, states[0], training)
        out, h = rnn_primitives.gru_sequence(
            sequences, self.kernel.value, self.recurrent_kernel.value, as_value(self.bias),
            states[0], mask=mask, input_dropout_mask=xm, recurrent_dropout_mask=hm,
            activation=act, recurrent_activation=ract, reset_after=self.reset_after,
            go_backwards=go_backwards, return_sequences=return_sequences,
            zero_output_for_mask=zero_output_for_mask)
        return out, [h]

    def get_config(self):
        config = super().get_config()
        cell = self._base_config()
        cell["reset_after"] = self.reset_after
        config.update(cell)
        return config


GRUCell._base_call = GRUCell.call


class GRU(BuiltinRNN):
    """Gated Recurrent Unit layer (Cho et al. 2014).

    Keras 3 defaults: `reset_after=True` with a `(2, 3 * units)` bias. Runs
    the whole sequence in one fused kernel for the built-in activations.

    Args:
        units: dimensionality of the output space.
        activation, recurrent_activation, use_bias, initializers,
            regularizers, constraints, dropout, recurrent_dropout,
            reset_after, seed: as in `GRUCell`.
        activity_regularizer: regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as in `RNN`.
        use_cudnn: accepted (`"auto"`, True, False); no effect.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: `[h]`.
        mask: `(batch, timesteps)` booleans.
        training: whether dropout is active.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    gru = keras.layers.GRU(4, return_sequences=True, return_state=True)
    seq, h = gru(inputs)   # (32, 10, 4), (32, 4)
    ```
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            dtype=kwargs.get("dtype", None), trainable=kwargs.get("trainable", True),
            name="gru_cell", seed=seed, implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = check_use_cudnn(use_cudnn)

    def get_config(self):
        config = layer_config(self, super().get_config())
        config["reset_after"] = self.reset_after
        return config



add_cell_properties(GRU, COMMON_PROPERTIES + ("recurrent_activation", "reset_after"))
