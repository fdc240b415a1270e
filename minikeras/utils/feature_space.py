"""`keras.utils.FeatureSpace`: not implemented in minikeras.

FeatureSpace builds on the preprocessing layers for structured data
(StringLookup, IntegerLookup, Hashing, Discretization, Normalization,
HashedCrossing) and on `tf.data` for `adapt`. It is listed here so that the
name exists with Keras's signature and fails with a clear message.
"""

from minikeras.layers.layer import Layer

_MESSAGE = (
    "`keras.utils.FeatureSpace` is not implemented in minikeras. Preprocess "
    "structured data before the model instead (e.g. `keras.utils.to_categorical` "
    "for categories, `keras.utils.normalize` or a Normalization layer for numbers).")


class FeatureSpace(Layer):
    """One-stop utility for preprocessing and encoding structured data.

    Not implemented in minikeras: constructing one (or any of its feature
    helpers) raises `NotImplementedError`.

    Args:
        features: Dict mapping the names of your features to their type
            specification.
        output_mode: `"concat"` or `"dict"`.
        crosses: List of features to be crossed together.
        crossing_dim: Default vocabulary size for crossed features.
        hashing_dim: Default vocabulary size for hashed features.
        num_discretization_bins: Default number of bins for discretized
            features.
        name: Name of the layer.
    """

    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def float(cls, name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def float_normalized(cls, name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot",
                          name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1,
                            output_mode="one_hot", name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1,
                           output_mode="one_hot", name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        raise NotImplementedError(_MESSAGE)

    @classmethod
    def from_config(cls, config):
        raise NotImplementedError(_MESSAGE)

    def adapt(self, dataset):
        raise NotImplementedError(_MESSAGE)

    def __call__(self, data):
        raise NotImplementedError(_MESSAGE)

    def get_config(self):
        raise NotImplementedError(_MESSAGE)

    def get_build_config(self):
        raise NotImplementedError(_MESSAGE)

    def build_from_config(self, config):
        raise NotImplementedError(_MESSAGE)

    def save(self, filepath):
        raise NotImplementedError(_MESSAGE)
