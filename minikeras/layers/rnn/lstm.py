"""`LSTMCell` and `LSTM`: Long Short-Term Memory (Hochreiter & Schmidhuber, 1997)."""
import numpy as np

from minikeras import initializers
from minikeras.backend import primitives as P
from minikeras.backend import rnn_primitives
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.rnn.cell_base import (
    COMMON_PROPERTIES, BaseCell, add_cell_properties, as_value, fused_activation_names,
    layer_config)
from minikeras.layers.rnn.rnn import BuiltinRNN, check_use_cudnn


class LSTMCell(BaseCell):
    """Cell class for the LSTM layer: processes one step of a sequence.

    Gates are in Keras order i, f, c, o along the last axis of the weights:
    `kernel (input_dim, 4 * units)`, `recurrent_kernel (units, 4 * units)`,
    `bias (4 * units,)`.

    Args:
        units: dimensionality of the output space.
        activation: activation of the cell input and output (default tanh).
        recurrent_activation: activation of the gates (default sigmoid).
        use_bias: whether to use a bias vector.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers.
        unit_forget_bias: add 1 to the forget-gate bias at initialization.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
        dropout: fraction of the input units to drop (per sequence).
        recurrent_dropout: fraction of the recurrent units to drop.
        seed: random seed for dropout.

    Call arguments:
        inputs: `(batch, features)`.
        states: `[h, c]`, each `(batch, units)`.
        training: whether dropout is active.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    rnn = keras.layers.RNN(keras.layers.LSTMCell(4))
    output = rnn(inputs)   # (32, 4)
    ```
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
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
            self.dropout_mask_count = 4
        self.unit_forget_bias = unit_forget_bias
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        self._add_kernels(input_shape, 4)
        if self.use_bias:
            if self.unit_forget_bias:
                base = self.bias_initializer
                n = self.units

                def bias_initializer(_, dtype=None):
                    return np.concatenate([
                        np.asarray(base((n,), dtype=dtype)),
                        np.asarray(initializers.get("ones")((n,), dtype=dtype)),
                        np.asarray(base((2 * n,), dtype=dtype))])
            else:
                bias_initializer = self.bias_initializer
            self.bias = self.add_weight(
                shape=(self.units * 4,), name="bias", initializer=bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp, rdp = self._step_masks(inputs, h_tm1, training)
        W, U, b = self.kernel.value, self.recurrent_kernel.value, as_value(self.bias)
        n = self.units
        if isinstance(dp, list) or isinstance(rdp, list):
            # Implementation 1: each gate sees its own dropout mask.
            z = []
            for g in range(4):
                sl = slice(g * n, (g + 1) * n)
                x_g = inputs * dp[g] if dp is not None else inputs
                h_g = h_tm1 * rdp[g] if rdp is not None else h_tm1
                z.append(P.dense(x_g, W[:, sl], None if b is None else b[sl])
                         + P.matmul(h_g, U[:, sl]))
        else:
            x = inputs * dp if dp is not None else inputs
            zz = P.dense(x, W, b) + P.matmul(h_tm1, U)
            z = [zz[:, g * n:(g + 1) * n] for g in range(4)]
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_tm1 + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def _fused_sequence(self, sequences, states, mask, training, go_backwards,
                        return_sequences, zero_output_for_mask):
        act, ract = fused_activation_names(self)
        xm, hm = self._fused_dropout_masks(sequences, states[0], training)
        out, h, c = rnn_primitives.lstm_sequence(
            sequences, self.kernel.value, self.recurrent_kernel.value, as_value(self.bias),
            states[0], states[1], mask=mask, input_dropout_mask=xm,
            recurrent_dropout_mask=hm, activation=act, recurrent_activation=ract,
            go_backwards=go_backwards, return_sequences=return_sequences,
            zero_output_for_mask=zero_output_for_mask)
        return out, [h, c]

    def get_config(self):
        config = super().get_config()
        cell = self._base_config()
        cell["unit_forget_bias"] = self.unit_forget_bias
        config.update(cell)
        return config


LSTMCell._base_call = LSTMCell.call


class LSTM(BuiltinRNN):
    """Long Short-Term Memory layer (Hochreiter 1997).

    Runs the whole sequence in one fused kernel (forward and backward) for
    the built-in activations; weights are Keras's: `lstm_cell/kernel`,
    `recurrent_kernel`, `bias` with gates i, f, c, o.

    Args:
        units: dimensionality of the output space.
        activation, recurrent_activation, use_bias, initializers,
            unit_forget_bias, regularizers, constraints, dropout,
            recurrent_dropout, seed: as in `LSTMCell`.
        activity_regularizer: regularizer of the output.
        return_sequences: return the whole output sequence.
        return_state: also return the last `h` and `c`.
        go_backwards: process the input backwards (outputs in that order).
        stateful: carry the last states into the next batch.
        unroll: accepted; no effect.
        use_cudnn: accepted (`"auto"`, True, False); no effect.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: `[h, c]`.
        mask: `(batch, timesteps)` booleans.
        training: whether dropout is active.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    lstm = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    seq, h, c = lstm(inputs)   # (32, 10, 4), (32, 4), (32, 4)
    ```
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, dtype=kwargs.get("dtype", None),
            trainable=kwargs.get("trainable", True), name="lstm_cell", seed=seed,
            implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        self.use_cudnn = check_use_cudnn(use_cudnn)

    def get_config(self):
        config = layer_config(self, super().get_config())
        config["unit_forget_bias"] = self.unit_forget_bias
        return config



add_cell_properties(LSTM, COMMON_PROPERTIES + ("recurrent_activation", "unit_forget_bias"))
