"""keras.initializers: weight initializers and `get`/`serialize`/`deserialize`."""
import inspect

import numpy as np

from minikeras.activations._serialization import deserialize_object, serialize_object
from minikeras.backend.common import standardize_dtype, to_snake_case
from minikeras.initializers.constant_initializers import STFT, Constant, Identity, Ones, Zeros
from minikeras.initializers.initializer import Initializer
from minikeras.initializers.random_initializers import (
    GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform,
    Orthogonal, RandomInitializer, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling, compute_fans)

# Keras 3's lowercase and legacy aliases name the very same classes.
constant = Constant
zeros = Zeros
ones = Ones
identity = Identity
IdentityInitializer = Identity
stft = STFT
STFTInitializer = STFT
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
orthogonal = Orthogonal
OrthogonalInitializer = Orthogonal

ALL_OBJECTS = (
    Initializer, Constant, Identity, Ones, STFT, Zeros, GlorotNormal,
    GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal,
    RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling)

ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({
    "IdentityInitializer": Identity,
    "normal": RandomNormal,
    "one": Ones,
    "STFTInitializer": STFT,
    "OrthogonalInitializer": Orthogonal,
    "uniform": RandomUniform,
    "zero": Zeros,
})


def serialize(initializer):
    """Returns the initializer configuration as a Python dict."""
    return serialize_object(initializer, "keras.initializers")


def deserialize(config, custom_objects=None):
    """Returns a Keras initializer object via its configuration."""
    obj = deserialize_object(config, ALL_OBJECTS_DICT, custom_objects, "initializer")
    return obj() if inspect.isclass(obj) else obj


def get(identifier):
    """Retrieves a Keras initializer object via an identifier.

    The `identifier` may be the string name of an initializer function or
    class (case-sensitively), e.g. `"glorot_uniform"` or `"GlorotUniform"`; a
    config dict with `class_name` and `config`; an `Initializer` instance or
    class (instantiated); a callable `fn(shape, dtype=None)`; or an array,
    used as the initial value itself (the requested shape must match).

    >>> keras.initializers.get("ones")
    <...Ones...>
    >>> keras.initializers.get({"class_name": "Ones", "config": {}})
    <...Ones...>

    Args:
        identifier: A string, dict, callable, or array.

    Returns:
        An initializer callable as `init(shape, dtype=None)`, or `None`.

    Raises:
        ValueError: if the identifier is not understood.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            obj = deserialize_object(identifier, ALL_OBJECTS_DICT, None, "initializer")
    elif isinstance(identifier, (np.ndarray, np.generic)) or hasattr(identifier, "numpy"):
        value = np.asarray(identifier.numpy() if hasattr(identifier, "numpy") else identifier)

        def initialize_fn(shape, dtype=None):
            dtype = standardize_dtype(dtype)
            if tuple(shape) != value.shape:
                raise ValueError(
                    f"Expected `shape` to be {value.shape} for direct tensor as "
                    f"initializer. Received shape={tuple(shape)}")
            return value.astype(dtype)

        obj = initialize_fn
    else:
        obj = identifier
    if callable(obj):
        if inspect.isclass(obj):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


__all__ = [
    "Initializer", "Constant", "Zeros", "Ones", "Identity", "IdentityInitializer",
    "STFT", "STFTInitializer", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform",
    "LecunNormal", "LecunUniform", "Orthogonal", "OrthogonalInitializer",
    "constant", "zeros", "ones", "identity", "stft", "random_normal",
    "random_uniform", "truncated_normal", "variance_scaling", "glorot_normal",
    "glorot_uniform", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform",
    "orthogonal", "get", "serialize", "deserialize"]
