"""`SimpleRNNCell` and `SimpleRNN`: a fully-connected RNN, `h = act(x W + h U + b)`."""
from minikeras.backend import primitives as P
from minikeras.backend import rnn_primitives
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.rnn.cell_base import (
    COMMON_PROPERTIES, BaseCell, add_cell_properties, as_value, fused_activation_names,
    layer_config)
from minikeras.layers.rnn.rnn import BuiltinRNN


class SimpleRNNCell(BaseCell):
    """Cell class for SimpleRNN: processes one step of a sequence.

    Args:
        units: dimensionality of the output space.
        activation: activation function (default tanh; None is linear).
        use_bias, initializers, regularizers, constraints: as in `LSTMCell`.
        dropout, recurrent_dropout: fractions of the input / recurrent units
            to drop (per sequence).
        seed: random seed for dropout.

    Call arguments:
        sequence: `(batch, features)`, one time step.
        states: `[h]` (or `h`), `(batch, units)`.
        training: whether dropout is active.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    rnn = keras.layers.RNN(keras.layers.SimpleRNNCell(4))
    output = rnn(inputs)   # (32, 4)
    ```
    """

    _has_recurrent_activation = False

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(units, activation, None, use_bias, kernel_initializer,
                    recurrent_initializer, bias_initializer, kernel_regularizer,
                    recurrent_regularizer, bias_regularizer, kernel_constraint,
                    recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        self._add_kernels(input_shape, 1)
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)
        else:
            self.bias = None
        self.built = True

    def call(self, sequence, states, training=False):
        nested = isinstance(states, (list, tuple))
        prev_output = states[0] if nested else states
        dp, rdp = self._step_masks(sequence, prev_output, training)
        if dp is not None:
            sequence = sequence * dp
        h = P.dense(sequence, self.kernel.value, as_value(self.bias))
        if rdp is not None:
            prev_output = prev_output * rdp
        output = h + P.matmul(prev_output, self.recurrent_kernel.value)
        if self.activation is not None:
            output = self.activation(output)
        return output, ([output] if nested else output)

    def _fused_sequence(self, sequences, states, mask, training, go_backwards,
                        return_sequences, zero_output_for_mask):
        act, _ = fused_activation_names(self)
        xm, hm = self._fused_dropout_masks(sequences, states[0], training)
        out, h = rnn_primitives.simple_rnn_sequence(
            sequences, self.kernel.value, self.recurrent_kernel.value, as_value(self.bias),
            states[0], mask=mask, input_dropout_mask=xm, recurrent_dropout_mask=hm,
            activation=act, go_backwards=go_backwards, return_sequences=return_sequences,
            zero_output_for_mask=zero_output_for_mask)
        return out, [h]

    def get_config(self):
        config = super().get_config()
        config.update(self._base_config())
        return config


SimpleRNNCell._base_call = SimpleRNNCell.call


class SimpleRNN(BuiltinRNN):
    """Fully-connected RNN where the output is fed back as the new input.

    Runs the whole sequence in one fused kernel for the built-in
    activations.

    Args:
        units: dimensionality of the output space.
        activation, use_bias, initializers, regularizers, constraints,
            dropout, recurrent_dropout, seed: as in `SimpleRNNCell`.
        activity_regularizer: regularizer of the output.
        return_sequences, return_state, go_backwards, stateful, unroll:
            as in `RNN`.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: `[h]`.
        mask: `(batch, timesteps)` booleans.
        training: whether dropout is active.

    Example:

    ```python
    inputs = np.random.random((32, 10, 8)).astype("float32")
    rnn = keras.layers.SimpleRNN(4, return_sequences=True, return_state=True)
    seq, h = rnn(inputs)   # (32, 10, 4), (32, 4)
    ```
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def get_config(self):
        return layer_config(self, super().get_config())



add_cell_properties(SimpleRNN, COMMON_PROPERTIES)
