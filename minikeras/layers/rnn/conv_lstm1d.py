"""`ConvLSTM1D`: 1D convolutional LSTM."""
from minikeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """1D Convolutional LSTM.

    Similar to an LSTM layer, but the input transformations and recurrent
    transformations are both convolutional. Input: `(samples, time, *1
    spatial dims, channels)` with `data_format="channels_last"`, or
    `(samples, time, channels, *spatial)` with `"channels_first"`.

    Args:
        filters: number of output filters of the convolutions.
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints (input convolution only).
        padding: `"valid"` or `"same"` (input convolution; the recurrent
            convolution is always `"same"`).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: int or tuple of 1 ints (input convolution only).
        activation, recurrent_activation, use_bias, initializers,
            unit_forget_bias, regularizers, constraints, dropout,
            recurrent_dropout, seed: as in `LSTM`.
        return_sequences, return_state, go_backwards, stateful: as in `RNN`.

    Call arguments:
        inputs: a 4D tensor.
        initial_state: `[h, c]`, each shaped like one output step.
        mask: `(samples, timesteps)` booleans.
        training: whether dropout is active.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
