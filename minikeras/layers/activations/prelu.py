"""`PReLU`: leaky ReLU with a learned slope per unit."""
from minikeras import activations, constraints, initializers, regularizers
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


class PReLU(Layer):
    """Parametric Rectified Linear Unit activation layer.

    `f(x) = x if x >= 0 else alpha * x`, where `alpha` is a learned array
    with the shape of one sample (axes in `shared_axes` share one value).

    Args:
        alpha_initializer: initializer for the weights (default zeros).
        alpha_regularizer: regularizer for the weights.
        alpha_constraint: constraint for the weights.
        shared_axes: axes along which to share learnable parameters, e.g.
            `[1, 2]` for feature maps `(batch, height, width, channels)` so that
            each filter has one parameter.
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        if any(d is None for d in param_shape):
            raise ValueError(f"Layer '{self.name}' (PReLU) needs defined non-batch dimensions "
                             f"(or shared_axes over the unknown ones). Received input_shape="
                             f"{tuple(input_shape)}")
        self.alpha = self.add_weight(
            shape=param_shape, name="alpha", initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)
        axes = {}
        if self.shared_axes:
            for i in range(1, len(input_shape)):
                if i not in self.shared_axes:
                    axes[i] = input_shape[i]
        else:
            axes = {i: input_shape[i] for i in range(1, len(input_shape))}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        x = _v(inputs)
        return activations.relu(x) - self.alpha.value * activations.relu(-x)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        })
        return config
