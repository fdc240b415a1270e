"""The `gamma` (scale) and `beta` (offset) arguments and weights shared by
the batch, layer and group normalization layers."""
from minikeras import constraints, initializers, regularizers


def set_scale_offset_args(layer, beta_initializer, gamma_initializer, beta_regularizer,
                          gamma_regularizer, beta_constraint, gamma_constraint):
    """Resolve and store the six `beta_*` / `gamma_*` constructor arguments."""
    layer.beta_initializer = initializers.get(beta_initializer)
    layer.gamma_initializer = initializers.get(gamma_initializer)
    layer.beta_regularizer = regularizers.get(beta_regularizer)
    layer.gamma_regularizer = regularizers.get(gamma_regularizer)
    layer.beta_constraint = constraints.get(beta_constraint)
    layer.gamma_constraint = constraints.get(gamma_constraint)


def add_scale_offset_weight(layer, name, shape):
    """Create `layer`'s `"gamma"` or `"beta"` from its own initializer,
    regularizer and constraint; not autocast, as normalization computes in
    the variable's dtype."""
    return layer.add_weight(
        shape=shape, name=name, initializer=getattr(layer, f"{name}_initializer"),
        regularizer=getattr(layer, f"{name}_regularizer"),
        constraint=getattr(layer, f"{name}_constraint"), trainable=True, autocast=False)


def scale_offset_config(layer):
    """The six `beta_*` / `gamma_*` entries of `get_config()`, in Keras' order."""
    return {
        "beta_initializer": initializers.serialize(layer.beta_initializer),
        "gamma_initializer": initializers.serialize(layer.gamma_initializer),
        "beta_regularizer": regularizers.serialize(layer.beta_regularizer),
        "gamma_regularizer": regularizers.serialize(layer.gamma_regularizer),
        "beta_constraint": constraints.serialize(layer.beta_constraint),
        "gamma_constraint": constraints.serialize(layer.gamma_constraint),
    }
