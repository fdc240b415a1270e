"""`BaseDepthwiseConv`: shared machinery of DepthwiseConv1D and DepthwiseConv2D."""
from minikeras import activations, constraints, initializers, regularizers
from minikeras.backend import conv_primitives as CP
from minikeras.layers.convolutional.arg_utils import (
    check_positive, set_window_args,
    assemble_shape, fmt_shape, spatial_and_channels, standardize_padding,
    to_channels_first, to_channels_last)
from minikeras.layers.convolutional.base_conv import conv_output_spatial
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class BaseDepthwiseConv(Layer):
    """Abstract N-D depthwise convolution layer.

    Each input channel is convolved with its own `depth_multiplier` filters;
    output channel `c * depth_multiplier + m` comes from input channel `c`.
    The kernel (`kernel`) has shape `kernel_size + (in_channels,
    depth_multiplier)`.
    """

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        set_window_args(self, rank, kernel_size, strides, dilation_rate, data_format,
                        activation, use_bias)
        self.depth_multiplier = depth_multiplier
        self.padding = standardize_padding(padding)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)
        check_positive("depth_multiplier", depth_multiplier)

    def build(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Input 0 of layer \"{self.name}\" is incompatible with the layer: expected "
                f"ndim={self.rank + 2}, found ndim={len(input_shape)}. Full shape "
                f"received: {fmt_shape(input_shape)}")
        _, channels = spatial_and_channels(input_shape, self.data_format)
        axis = 1 if self.data_format == "channels_first" else -1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.bias = (self.add_weight(
            name="bias", shape=(self.depth_multiplier * channels,),
            initializer=self.bias_initializer, regularizer=self.bias_regularizer,
            constraint=self.bias_constraint) if self.use_bias else None)
        self.built = True

    def call(self, inputs):
        x = _v(inputs)
        spatial, _ = spatial_and_channels(x.shape, self.data_format)
        conv_output_spatial(self, spatial, self.kernel_size, x.shape)
        x = to_channels_last(x, self.data_format)
        y = CP.depthwise_conv(x, self.kernel.value,
                              self.bias.value if self.use_bias else None,
                              self.strides, self.padding, self.dilation_rate)
        y = to_channels_first(y, self.data_format)
        if self.activation is not None and self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        spatial, channels = spatial_and_channels(input_shape, self.data_format)
        out = conv_output_spatial(self, spatial, self.kernel_size, input_shape)
        return assemble_shape(input_shape[0], out,
                              None if channels is None else self.depth_multiplier * channels,
                              self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        })
        return config
