"""`Conv3D`: spatial convolution over volumes."""
from minikeras.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Creates a convolution kernel that is convolved with the layer input over
    three spatial dimensions to produce a tensor of outputs. If `use_bias` is True, a bias
    vector is added; if `activation` is not None, it is applied to the
    outputs.

    Args:
        filters: int, the dimension of the output space (the number of filters).
        kernel_size: int or tuple/list of 3 ints, the size of the convolution window.
        strides: int or tuple/list of 3 ints, the stride length.
            `strides > 1` is incompatible with `dilation_rate > 1`.
        padding: `"valid"` (no padding) or `"same"` (pad evenly so that the output
            has `ceil(input / strides)` cells along each axis).
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or `"channels_first"`
            (inputs `(batch, channels, dim1, dim2, dim3)`). Defaults to `keras.config.image_data_format()`.
        dilation_rate: int or tuple/list of 3 ints, the dilation rate.
        groups: a positive int, the number of groups in which the input is split
            along the channel axis; `filters` and the input channels must both be
            divisible by it.
        activation: activation function; None means linear.
        use_bias: bool, whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers.
        kernel_constraint, bias_constraint: constraints.

    Input shape: 5D tensor `(batch, dim1, dim2, dim3, channels)` (channels_last) or `(batch, channels, dim1, dim2, dim3)`.
    Output shape: 5D tensor with new spatial dims and `filters` channels.

    Example:

    >>> x = np.random.rand(4, 10, 10, 10, 128).astype("float32")
    >>> keras.layers.Conv3D(2, 3, activation="relu")(x).shape
    (4, 8, 8, 8, 2)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            groups=groups, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
            **kwargs)
