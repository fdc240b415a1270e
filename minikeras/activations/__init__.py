"""keras.activations: activation functions and `get`/`serialize`/`deserialize`."""
import types

from minikeras.activations.activations import (
    celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu,
    hard_swish, hard_tanh, leaky_relu, linear, log_sigmoid, log_softmax, mish,
    relu, relu6, selu, sigmoid, silu, soft_shrink, softmax, softplus, softsign,
    sparse_plus, sparse_sigmoid, sparsemax, squareplus, swish, tanh,
    tanh_shrink, threshold)
from minikeras.activations._serialization import deserialize_object, serialize_object

ALL_OBJECTS = (
    relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign,
    squareplus, soft_shrink, sparse_plus, silu, gelu, glu, tanh, tanh_shrink,
    threshold, sigmoid, sparse_sigmoid, exponential, hard_sigmoid, hard_silu,
    hard_tanh, hard_shrink, linear, mish, log_softmax, log_sigmoid, sparsemax)

ALL_OBJECTS_DICT = {fn.__name__: fn for fn in ALL_OBJECTS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def serialize(activation):
    """Return the name of a built-in activation, or the config of a custom one.

    Args:
        activation: a function from `keras.activations`, a registered custom
            function, or an object with `get_config()`.

    Returns:
        A string such as `"relu"` for built-ins, a config dict otherwise.
    """
    if isinstance(activation, types.FunctionType) and ALL_OBJECTS_DICT.get(
            activation.__name__) is activation:
        return activation.__name__
    fn_config = serialize_object(activation, "keras.activations")
    if "config" not in fn_config:
        raise ValueError(
            f"Unknown activation function '{activation}' cannot be serialized.")
    return fn_config


def deserialize(config, custom_objects=None):
    """Return a Keras activation function via its config (or name)."""
    return deserialize_object(config, ALL_OBJECTS_DICT, custom_objects,
                              "activation function")


def get(identifier):
    """Retrieve a Keras activation function via an identifier.

    Args:
        identifier: `None` (linear), a name such as `"relu"`, a config dict,
            or a callable (returned as is).

    Returns:
        A callable activation.

    Raises:
        ValueError: if the identifier is not understood.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier, None)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier}")


__all__ = [fn.__name__ for fn in ALL_OBJECTS] + [
    "swish", "hard_swish", "get", "serialize", "deserialize"]
