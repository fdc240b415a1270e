"""`BaseConvTranspose`: shared machinery of Conv1DTranspose/2D/3D."""
from minikeras import activations, constraints, initializers, regularizers
from minikeras.backend import conv_primitives as CP
from minikeras.layers.convolutional.arg_utils import (
    check_positive, set_window_args,
    assemble_shape, fmt_shape, spatial_and_channels, standardize_padding,
    standardize_tuple, to_channels_first, to_channels_last)
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


def transpose_output_length(n, k, stride, padding, output_padding, dilation):
    """Keras' output length of a transposed convolution along one axis."""
    if n is None:
        return None
    k_eff = (k - 1) * dilation + 1
    if padding == "valid":
        op = max(k_eff, stride) - k_eff if output_padding is None else output_padding
        return (n - 1) * stride + k_eff + op
    if output_padding is None:
        return n * stride
    return (n - 1) * stride + k_eff % 2 + output_padding


class BaseConvTranspose(Layer):
    """Abstract N-D transposed convolution (a.k.a. deconvolution) layer.

    The transposed convolution maps the output shape of a convolution back to
    its input shape: it is the gradient of a convolution with respect to its
    input. The kernel has shape `kernel_size + (filters, in_channels)`.

    Args:
        rank: number of spatial dimensions.
        filters: number of output channels.
        kernel_size, strides, dilation_rate: ints or tuples of `rank` ints.
        padding: `"valid"` or `"same"`.
        output_padding: int or tuple, extra size added to one side of each
            output axis; each value must be less than the stride. None infers it.
        data_format, activation, use_bias, *_initializer, *_regularizer,
            *_constraint: as in `Conv2D`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        set_window_args(self, rank, kernel_size, strides, dilation_rate, data_format,
                        activation, use_bias)
        self.filters = filters
        self.padding = standardize_padding(padding)
        self.output_padding = (None if output_padding is None else standardize_tuple(
            output_padding, rank, "output_padding", allow_zero=True))
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        check_positive("filters", filters)
        if self.output_padding is not None:
            for i, (op, s) in enumerate(zip(self.output_padding, self.strides)):
                if op >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all "
                        f"dimensions. At dimension {i}, `output_padding` is {op} but "
                        f"`strides` is {s}. Received: output_padding={self.output_padding}, "
                        f"strides={self.strides}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")

    def build(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Input 0 of layer \"{self.name}\" is incompatible with the layer: expected "
                f"ndim={self.rank + 2}, found ndim={len(input_shape)}. Full shape "
                f"received: {fmt_shape(input_shape)}")
        _, channels = spatial_and_channels(input_shape, self.data_format)
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs to layer '{self.name}' "
                             f"should be defined. Received input_shape={input_shape}")
        axis = 1 if self.data_format == "channels_first" else -1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (self.filters, channels),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = (self.add_weight(
            name="bias", shape=(self.filters,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint)
            if self.use_bias else None)
        self.built = True

    def _output_spatial(self, spatial):
        ops_ = self.output_padding or (None,) * self.rank
        return tuple(transpose_output_length(n, k, s, self.padding, op, d)
                     for n, k, s, op, d in zip(spatial, self.kernel_size, self.strides,
                                               ops_, self.dilation_rate))

    def call(self, inputs):
        x = _v(inputs)
        spatial, _ = spatial_and_channels(x.shape, self.data_format)
        out = self._output_spatial(spatial)
        x = to_channels_last(x, self.data_format)
        y = CP.conv_transpose(x, self.kernel.value, self.bias.value if self.use_bias else None,
                              out, self.strides, self.padding, self.dilation_rate)
        y = to_channels_first(y, self.data_format)
        if self.activation is not None and self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        spatial, _ = spatial_and_channels(input_shape, self.data_format)
        return assemble_shape(input_shape[0], self._output_spatial(spatial), self.filters,
                              self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config
