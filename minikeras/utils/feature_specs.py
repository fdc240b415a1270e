"""The parts a `FeatureSpace` is assembled from.

`Feature` (how one input column is preprocessed and encoded) and `Cross`
(which columns are hashed together) are what `FeatureSpace.float_normalized()`,
`FeatureSpace.cross(...)` and friends return. `TFDIdentity` is the
preprocessor of plain `"float"` features and `TFDConcat` joins the encoded
features in `"concat"` mode. All four keep Keras's class names, and configs
name them by Keras's source module (see `saving/keras_names.py`), so a
FeatureSpace or a model built on one moves between Keras and minikeras
through `.keras` files.
"""
from minikeras.backend import common
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.merging.concatenate import Concatenate


def _check_mode(output_mode, allowed_text, allowed):
    if output_mode not in allowed:
        raise ValueError("Invalid value for argument `output_mode`. "
                         f"Expected one of {allowed_text}. Received: output_mode={output_mode}")


class Cross:
    """Features to cross: their values hashed together into `crossing_dim` bins.

    Args:
        feature_names: names of the features to cross (at least two).
        crossing_dim: number of hash bins.
        output_mode: `"one_hot"` (a multi-hot vector of `crossing_dim`) or
            `"int"` (the bin index).
    """

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        _check_mode(output_mode, "{'int', 'one_hot'}", ("int", "one_hot"))
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        """The key of the crossed feature: `"a_X_b"` for features `a` and `b`."""
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Feature:
    """One input feature: its input dtype, its preprocessing layer and how
    the preprocessed value is encoded.

    Args:
        dtype: dtype of the feature's `Input` (`"float32"`, `"int32"`,
            `"string"`, ...).
        preprocessor: a preprocessing layer (or its serialized config).
        output_mode: `"float"` (used as is), `"int"` (an index, kept as is)
            or `"one_hot"` (an index, multi-hot encoded over the
            preprocessor's output space).
    """

    def __init__(self, dtype, preprocessor, output_mode):
        _check_mode(output_mode, "{'int', 'one_hot', 'float'}", ("int", "one_hot", "float"))
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from minikeras.saving.serialization import deserialize_keras_object
            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        return {"dtype": self.dtype, "preprocessor": serialize_keras_object(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class TFDIdentity(Layer):
    """Passes its input through (float inputs cast to the layer's dtype)."""

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def compute_output_spec(self, inputs):
        dtype = common.standardize_dtype(inputs.dtype)
        if common.is_float_dtype(dtype):
            dtype = self.compute_dtype
        return KerasTensor(tuple(inputs.shape), dtype=dtype)


class TFDConcat(Concatenate):
    """`Concatenate` under the name Keras's FeatureSpace gives its own."""
