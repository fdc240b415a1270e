"""`SeparableConv1D`: 1D depthwise-separable convolution."""
from minikeras.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1D separable convolution layer.

    A depthwise convolution that acts separately on each channel, followed by
    a pointwise convolution that mixes channels. With `use_bias` a bias is
    added and `activation` applied to the result.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of 1 ints, the depthwise window size.
        strides: int or tuple/list of 1 ints.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or `"channels_first"`.
        dilation_rate: int or tuple/list of 1 ints.
        depth_multiplier: depthwise filters per input channel.
        activation, use_bias: as in `Conv1D`.
        depthwise_initializer, pointwise_initializer, bias_initializer,
        depthwise_regularizer, pointwise_regularizer, bias_regularizer,
        activity_regularizer, depthwise_constraint, pointwise_constraint,
        bias_constraint: for the three weights.

    Example:

    >>> x = np.random.rand(4, 10, 12).astype("float32")
    >>> keras.layers.SeparableConv1D(3, 4, 3, activation="relu")(x).shape
    (4, 3, 3)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, depth_multiplier=depth_multiplier, filters=filters,
            kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint, bias_constraint=bias_constraint,
            **kwargs)
