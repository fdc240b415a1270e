"""`Conv3DTranspose`: transposed 3D convolution."""
from minikeras.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv3DTranspose(BaseConvTranspose):
    """3D transposed convolution layer.

    The need for transposed convolutions generally arises from the desire to
    use a transformation going in the opposite direction of a normal
    convolution, i.e. from something that has the shape of the output of
    some convolution to something that has the shape of its input while
    keeping a connectivity pattern that is compatible with that convolution.

    Args:
        filters: int, the number of output channels.
        kernel_size: int or tuple/list of 3 ints, the size of the window.
        strides: int or tuple/list of 3 ints, the stride of the convolution.
        padding: `"valid"` or `"same"`.
        output_padding: int or tuple/list of 3 ints, the amount of padding
            along each output axis; each value must be lower than the stride.
            If None, the output shape is inferred.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3, channels)`) or `"channels_first"`
            (inputs `(batch, channels, dim1, dim2, dim3)`).
        dilation_rate: int or tuple/list of 3 ints.
        activation, use_bias, kernel_initializer, bias_initializer,
            kernel_regularizer, bias_regularizer, activity_regularizer,
            kernel_constraint, bias_constraint: as in `Conv3D`. The kernel
            has shape `kernel_size + (filters, input_channels)`.

    Example:

    >>> x = np.random.rand(4, 10, 8, 12, 128).astype("float32")
    >>> keras.layers.Conv3DTranspose(32, 2, 2, activation="relu")(x).shape
    (4, 20, 16, 24, 32)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, output_padding=None, dilation_rate=(1, 1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=3, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, output_padding=output_padding, data_format=data_format,
            dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
            **kwargs)
