"""`DepthwiseConv2D`: 2D depthwise convolution."""
from minikeras.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """2D depthwise convolution layer.

    Each input channel is convolved with its own set of `depth_multiplier`
    filters (no mixing across channels), giving `in_channels *
    depth_multiplier` output channels.

    Args:
        kernel_size: int or tuple/list of 2 ints, the size of the window.
        strides: int or tuple/list of 2 ints.
        padding: `"valid"` or `"same"`.
        depth_multiplier: number of filters per input channel.
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or `"channels_first"`.
        dilation_rate: int or tuple/list of 2 ints.
        activation, use_bias: as in `Conv2D`.
        depthwise_initializer, bias_initializer, depthwise_regularizer,
            bias_regularizer, activity_regularizer, depthwise_constraint,
            bias_constraint: for the kernel `kernel_size + (in_channels,
            depth_multiplier)` and the bias.

    Example:

    >>> x = np.random.rand(4, 10, 10, 12).astype("float32")
    >>> keras.layers.DepthwiseConv2D(3, 3)(x).shape
    (4, 8, 8, 12)
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            rank=2, depth_multiplier=depth_multiplier, kernel_size=kernel_size,
            strides=strides, padding=padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            depthwise_initializer=depthwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint,
            **kwargs)
