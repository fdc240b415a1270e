"""`BaseConv`: the shared machinery of Conv1D, Conv2D and Conv3D."""
from minikeras import activations, constraints, initializers, regularizers
from minikeras.backend import conv_primitives as CP
from minikeras.layers.convolutional.arg_utils import (
    check_positive, set_window_args,
    assemble_shape, fmt_shape, spatial_and_channels, standardize_padding,
    to_channels_first, to_channels_last)
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


def conv_output_spatial(layer, spatial, kernel_size, input_shape):
    """Output spatial dims; a ValueError naming the layer if one is <= 0."""
    k_eff = CP.effective_kernel(kernel_size, layer.dilation_rate)
    out = tuple(CP.conv_output_length(n, k, s, layer.padding)
                for n, k, s in zip(spatial, k_eff, layer.strides))
    if any(o is not None and o <= 0 for o in out):
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}): computed output size would be "
            f"zero or negative. The kernel (kernel_size={tuple(kernel_size)}, "
            f"dilation_rate={tuple(layer.dilation_rate)}) is larger than the input with "
            f"padding='{layer.padding}'. Received: inputs shape={fmt_shape(input_shape)}, "
            f"strides={tuple(layer.strides)}, padding={layer.padding}.")
    return out


class BaseConv(Layer):
    """Abstract N-D convolution layer (private, used as implementation base).

    Creates a kernel of shape `kernel_size + (in_channels // groups,
    filters)` that is convolved with the input to produce the output; adds
    a bias and applies `activation` if requested.

    Args:
        rank: number of spatial dimensions (1, 2 or 3).
        filters: number of output channels.
        kernel_size: int or tuple of `rank` ints.
        strides: int or tuple; `strides > 1` cannot be combined with
            `dilation_rate > 1`.
        padding: `"valid"`, `"same"` (or `"causal"` for rank 1).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: int or tuple.
        groups: input and output channels are split into `groups` blocks,
            each convolved separately.
        activation, use_bias, *_initializer, *_regularizer, *_constraint: as
            in `Dense`.
    """

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if lora_rank:
            raise NotImplementedError("LoRA (lora_rank) is not supported by minikeras "
                                      "convolution layers.")
        set_window_args(self, rank, kernel_size, strides, dilation_rate, data_format,
                        activation, use_bias)
        self.filters = filters
        self.groups = groups
        self.padding = standardize_padding(padding, allow_causal=rank == 1)
        if isinstance(self.padding, (list, tuple)):
            raise ValueError(f"The `padding` argument must be one of 'valid', 'same'"
                             f"{', causal' if rank == 1 else ''}. Received: padding={padding}")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha
        self.input_spec = InputSpec(ndim=rank + 2)
        check_positive("filters", filters)
        if groups <= 0:
            raise ValueError("The number of groups must be a positive integer. "
                             f"Received: groups={groups}.")
        if filters is not None and filters % groups != 0:
            raise ValueError("The number of filters must be evenly divisible by the "
                             f"number of groups. Received: groups={groups}, "
                             f"filters={filters}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")

    def build(self, input_shape):
        spatial, channels = spatial_and_channels(input_shape, self.data_format)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Input 0 of layer \"{self.name}\" is incompatible with the layer: expected "
                f"ndim={self.rank + 2}, found ndim={len(input_shape)}. Full shape "
                f"received: {fmt_shape(input_shape)}")
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs to layer '{self.name}' "
                             f"should be defined. Received input_shape={input_shape}")
        if channels % self.groups != 0:
            raise ValueError(
                f"The number of input channels must be evenly divisible by the number of "
                f"groups. Received groups={self.groups}, but the input has {channels} "
                f"channels (full input shape is {input_shape}).")
        axis = 1 if self.data_format == "channels_first" else -1
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={axis: channels})
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = (self.add_weight(
            name="bias", shape=(self.filters,), initializer=self.bias_initializer,
            regularizer=self.bias_regularizer, constraint=self.bias_constraint)
            if self.use_bias else None)
        self.built = True

    def _check_spatial(self, x_shape):
        spatial, _ = spatial_and_channels(x_shape, self.data_format)
        conv_output_spatial(self, spatial, self.kernel_size, x_shape)

    def call(self, inputs):
        x = _v(inputs)
        self._check_spatial(x.shape)
        x = to_channels_last(x, self.data_format)
        fused_relu = self.activation is activations.relu
        y = CP.conv(x, self.kernel.value, self.bias.value if self.use_bias else None,
                    self.strides, self.padding, self.dilation_rate, self.groups,
                    relu=fused_relu)
        y = to_channels_first(y, self.data_format)
        if not fused_relu and self.activation not in (None, activations.linear):
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        spatial, _ = spatial_and_channels(input_shape, self.data_format)
        out = conv_output_spatial(self, spatial, self.kernel_size, input_shape)
        return assemble_shape(input_shape[0], out, self.filters, self.data_format)

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
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
