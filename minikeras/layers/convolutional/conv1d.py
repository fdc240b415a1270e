"""`Conv1D`: temporal convolution."""
from minikeras.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """1D convolution layer (e.g. temporal convolution).

    Creates a convolution kernel that is convolved with the layer input over
    a single spatial (or temporal) dimension to produce a tensor of outputs. If `use_bias` is True, a bias
    vector is added; if `activation` is not None, it is applied to the
    outputs.

    Args:
        filters: int, the dimension of the output space (the number of filters).
        kernel_size: int or tuple/list of 1 ints, the size of the convolution window.
        strides: int or tuple/list of 1 ints, the stride length.
            `strides > 1` is incompatible with `dilation_rate > 1`.
        padding: `"valid"` (no padding), `"same"` (pad evenly so that the output
            has `ceil(input / strides)` steps) or `"causal"` (pad only at the
            start, so `output[t]` does not depend on `input[t + 1:]`).
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`
            (inputs `(batch, channels, steps)`). Defaults to `keras.config.image_data_format()`.
        dilation_rate: int or tuple/list of 1 ints, the dilation rate.
        groups: a positive int, the number of groups in which the input is split
            along the channel axis; `filters` and the input channels must both be
            divisible by it.
        activation: activation function; None means linear.
        use_bias: bool, whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.

    Input shape: 3D tensor `(batch, steps, channels)` (channels_last) or `(batch, channels, steps)`.
    Output shape: 3D tensor with new spatial dims and `filters` channels.

    Example:

    >>> x = np.random.rand(4, 10, 128).astype("float32")
    >>> keras.layers.Conv1D(2, 3, activation="relu")(x).shape
    (4, 8, 2)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            groups=groups, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
            **kwargs)
