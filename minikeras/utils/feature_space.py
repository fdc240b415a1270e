"""`keras.utils.FeatureSpace`: preprocess and encode a table of named columns.

Each feature gets a preprocessing layer (Normalization, Discretization,
StringLookup, Hashing, ...); `adapt()` fits them on data; calling the
FeatureSpace on a dict of columns returns the encoded features, concatenated
or as a dict. The same layers applied to `get_inputs()` give
`get_encoded_features()`, the symbolic tensors to build a model on.

minikeras has no `tf.data`: `adapt()` takes a dict of arrays, or a generator
or `keras.utils.PyDataset` yielding dicts of batches, and each preprocessor
sees the batches Keras's `tf.data` pipeline would give it (unbatched values
in batches of 32, as a column), so what is learned matches Keras.
"""
import numpy as np

from minikeras import layers, ops
from minikeras.backend import common
from minikeras.backend.eager_tensor import as_eager
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.utils.feature_specs import Cross, Feature, TFDConcat, TFDIdentity

# Keras's adapt() batches a dataset of single values by 32 before adapting.
_ADAPT_BATCH_SIZE = 32

_ADAPT_ERROR = ("`adapt()` can only be called on a tf.data.Dataset or a dict of "
                "arrays/lists. (minikeras has no tf.data: in its place, pass a generator or "
                "a keras.utils.PyDataset that yields dicts of arrays.) ")


class FeatureSpace(Layer):
    """One-stop utility for preprocessing and encoding structured data.

    Args:
        features: dict mapping each feature name to its type: a string
            (`"float"`, `"float_normalized"`, `"float_rescaled"`,
            `"float_discretized"`, `"integer_categorical"`,
            `"string_categorical"`, `"integer_hashed"`, `"string_hashed"`,
            with default arguments) or what a helper such as
            `FeatureSpace.integer_categorical(max_tokens=10)` returns.
        output_mode: `"concat"` (one float vector per sample) or `"dict"`
            (one encoded array per feature and cross, keyed by name).
        crosses: features to cross, e.g. `[("f1", "f2")]` or
            `[FeatureSpace.cross(("f1", "f2"), crossing_dim=16)]`; their
            values are hashed together (`HashedCrossing`).
        crossing_dim: default number of bins of a cross.
        hashing_dim: number of bins of `"integer_hashed"` and
            `"string_hashed"` features.
        num_discretization_bins: number of bins of `"float_discretized"`
            features.
        name: name of the layer.

    Encoded features come in sorted order (features, then crosses); the
    preprocessing layers are in `.preprocessors`, the crossing layers in
    `.crossers`, the `Input`s in `.inputs`.

    Example:

    >>> data = {"price": np.array([1.0, 2.0, 3.0]), "color": np.array(["r", "g", "r"])}
    >>> space = keras.utils.FeatureSpace(
    ...     features={"price": "float_normalized", "color": "string_categorical"})
    >>> space.adapt(data)
    >>> space(data).shape
    (3, 4)
    """

    # ----- feature helpers ------------------------------------------------------------------
    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        """A cross of `feature_names`, hashed into `crossing_dim` bins."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        """A feature with your own preprocessing layer (e.g. TextVectorization)."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        """Float values, used as they are."""
        name = name or common.unique_name("float")
        return Feature("float32", TFDIdentity(dtype="float32", name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        """Float values, rescaled as `x * scale + offset` (`Rescaling`)."""
        name = name or common.unique_name("float_rescaled")
        layer = layers.Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", layer, "float")

    @classmethod
    def float_normalized(cls, name=None):
        """Float values, standardized with the mean and variance `adapt` finds."""
        name = name or common.unique_name("float_normalized")
        return Feature("float32", layers.Normalization(axis=-1, name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot",
                          name=None):
        """Float values, bucketed into `num_bins` quantile bins (`Discretization`)."""
        name = name or common.unique_name("float_discretized")
        layer = layers.Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries,
                                      name=f"{name}_preprocessor")
        return Feature("float32", layer, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                            name=None):
        """Integer categories, indexed by an `IntegerLookup` vocabulary."""
        name = name or common.unique_name("integer_categorical")
        layer = layers.IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                     num_oov_indices=num_oov_indices)
        return Feature("int32", layer, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                           name=None):
        """String categories, indexed by a `StringLookup` vocabulary."""
        name = name or common.unique_name("string_categorical")
        layer = layers.StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                    num_oov_indices=num_oov_indices)
        return Feature("string", layer, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Strings, hashed into `num_bins` bins."""
        name = name or common.unique_name("string_hashed")
        return Feature("string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Integers, hashed into `num_bins` bins."""
        name = name or common.unique_name("integer_hashed")
        return Feature("int32", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    # ----- construction -------------------------------------------------------------------
    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None):
        super().__init__(name=name)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {key: self._standardize_feature(key, value)
                         for key, value in features.items()}
        self.crosses = [self._standardize_cross(c, features) for c in crosses or ()]
        self.crosses_by_name = {c.name: c for c in self.crosses}
        if output_mode not in ("dict", "concat"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'dict', 'concat'}}. Received: output_mode={output_mode}")
        self.output_mode = output_mode
        self.inputs = {key: layers.Input(shape=(1,), dtype=f.dtype, name=key)
                       for key, f in self.features.items()}
        self.preprocessors = {key: f.preprocessor for key, f in self.features.items()}
        self.crossers = {c.name: layers.HashedCrossing(c.crossing_dim, name=c.name)
                         for c in self.crosses}
        self.encoded_features = None
        self.one_hot_encoders = {}
        self.concat = None
        self._is_adapted = False
        self._sublayers_built = False

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            from minikeras.saving.serialization import deserialize_keras_object
            return deserialize_keras_object(feature)
        if feature == "float_discretized":
            return self.float_discretized(self.num_discretization_bins, name=name)
        if feature in ("integer_hashed", "string_hashed"):
            return getattr(self, feature)(self.hashing_dim, name=name)
        if feature in ("float", "float_normalized", "float_rescaled", "integer_categorical",
                       "string_categorical"):
            return getattr(self, feature)(name=name)
        raise ValueError(f"Invalid feature type: {feature}")

    def _standardize_cross(self, cross, features):
        if isinstance(cross, dict):
            from minikeras.saving.serialization import deserialize_keras_object
            cross = deserialize_keras_object(cross)
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError("When specifying `crosses`, the argument `crossing_dim` "
                             "(dimensionality of the crossing space) should be specified "
                             "as well.")
        if any(key not in features for key in cross):
            raise ValueError("All features referenced in the `crosses` argument should be "
                             "present in the `features` dict. Received unknown features: "
                             f"{cross}")
        return Cross(cross, crossing_dim=self.crossing_dim)

    # ----- adapt ----------------------------------------------------------------------------
    def _adaptable_names(self):
        names = []
        for name, layer in self.preprocessors.items():
            # Preset statistics or a given vocabulary leave nothing to learn.
            if isinstance(layer, layers.Normalization) and layer.input_mean is not None:
                continue
            if isinstance(layer, layers.TextVectorization) and \
                    getattr(layer, "_has_input_vocabulary", False):
                continue
            if hasattr(layer, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset):
        """Fit the preprocessors (vocabularies, statistics, bins) on `dataset`.

        Args:
            dataset: a dict mapping feature names to arrays or lists (one
                value, or one row, per sample), or a generator or
                `keras.utils.PyDataset` yielding such dicts as batches
                (what a `tf.data.Dataset` of dicts is in Keras).
        """
        names = self._adaptable_names()
        batches = _batches_per_feature(dataset, names)
        for name in names:
            self.preprocessors[name].adapt(iter(batches[name]))
        self._is_adapted = True
        self.get_encoded_features()  # creates the encoding layers
        self.built = True
        self._sublayers_built = True

    def _check_if_adapted(self):
        if self._is_adapted:
            return
        if self._adaptable_names():
            raise ValueError("You need to call `.adapt(dataset)` on the FeatureSpace before "
                             "you can start using it.")
        self._is_adapted = True

    def _check_if_built(self):
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # ----- the symbolic graph -----------------------------------------------------------------
    def get_inputs(self):
        """The `Input` of each feature (shape `(None, 1)`), by name."""
        self._check_if_built()
        return self.inputs

    def get_encoded_features(self):
        """The encoded features computed from `get_inputs()`: one tensor
        (`"concat"`) or a dict of tensors (`"dict"`), to build a model on."""
        self._check_if_adapted()
        if self.encoded_features is None:
            preprocessed = self._preprocess_features(self.inputs)
            crossed = self._cross_features(preprocessed)
            self._make_encoders(preprocessed, crossed)
            self.encoded_features = self._merge_features(preprocessed, crossed)
        return self.encoded_features

    def _preprocess_features(self, data):
        return {name: self.preprocessors[name](value) for name, value in data.items()}

    def _cross_features(self, preprocessed):
        return {c.name: self.crossers[c.name]([preprocessed[key] for key in c.feature_names])
                for c in self.crosses}

    def _make_encoders(self, preprocessed, crossed):
        """Create the multi-hot encoders (and the concatenation), checking dtypes."""
        specs = dict(self.features, **self.crosses_by_name)
        values = dict(preprocessed, **crossed)
        for name in sorted(preprocessed) + sorted(crossed):
            dtype = common.standardize_dtype(values[name].dtype)
            if specs[name].output_mode == "one_hot":
                if not dtype.startswith("int"):
                    raise ValueError(
                        f"Feature '{name}' has `output_mode='one_hot'`. Thus its preprocessor "
                        f"should return an integer dtype. Instead it returns a {dtype} dtype.")
                depth = self._output_space_size(name)
                if depth is not None:
                    encoder = layers.CategoryEncoding(num_tokens=depth, output_mode="multi_hot")
                    self.one_hot_encoders[name] = encoder
                    dtype = encoder.compute_dtype
            if self.output_mode == "concat" and (dtype.startswith("int") or dtype == "string"):
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has not been "
                    f"encoded (it has dtype {dtype}). Consider using `output_mode='dict'`.")
        if self.output_mode == "concat":
            self.concat = TFDConcat(axis=-1)

    def _output_space_size(self, name):
        layer = self.preprocessors[name] if name in self.preprocessors else self.crossers[name]
        if isinstance(layer, (layers.IntegerLookup, layers.StringLookup)):
            return layer.vocabulary_size()
        if isinstance(layer, layers.CategoryEncoding):
            return layer.num_tokens
        if isinstance(layer, (layers.Discretization, layers.Hashing, layers.HashedCrossing)):
            return layer.num_bins
        raise ValueError(
            f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard "
            "feature and the dimensionality of its output space is not known, thus it cannot "
            "be one-hot encoded. Try using `output_mode='int'`.")

    def _merge_features(self, preprocessed, crossed):
        """Encode each feature and concatenate (or key) them, in sorted order.

        The names are those of the features (a dict lacking one raises
        KeyError, as in Keras), features first, then crosses."""
        encoded = {}
        for group, names in ((preprocessed, self.features), (crossed, self.crossers)):
            for name in sorted(names):
                encoder = self.one_hot_encoders.get(name)
                encoded[name] = encoder(group[name]) if encoder is not None else group[name]
        if self.output_mode == "dict":
            return encoded
        return self.concat(list(encoded.values()))

    # ----- eager calls --------------------------------------------------------------------
    def __call__(self, data):
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError("A FeatureSpace can only be called with a dict. "
                             f"Received: data={data} (of type {type(data)}")
        columns, one_sample = {}, False
        for name, value in data.items():
            if isinstance(value, KerasTensor):
                raise ValueError(
                    "A FeatureSpace is called on data (a dict of arrays). To build a model "
                    "on it, use `get_inputs()` and `get_encoded_features()`. Received a "
                    f"symbolic tensor for feature '{name}'.")
            x = _as_array(value)
            if x.ndim == 0:
                x, one_sample = x.reshape(1, 1), True
            elif x.ndim == 1:
                x = x[:, None]
            columns[name] = x
        preprocessed = self._preprocess_features(columns)
        crossed = self._cross_features(preprocessed)
        merged = self._merge_features(preprocessed, crossed)
        if one_sample:  # scalars in: one sample out, without the batch axis
            if self.output_mode == "concat":
                if merged.shape[0] != 1:
                    raise ValueError("Expected rebatched data to have batch size 1. "
                                     f"Received: shape={merged.shape}")
                merged = merged[0]
            else:
                merged = {name: x[0] if x.ndim == 2 and x.shape[0] == 1 else x
                          for name, x in merged.items()}
        return as_eager(merged)

    # ----- saving -----------------------------------------------------------------------------
    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        return {"features": serialize_keras_object(self.features),
                "output_mode": self.output_mode,
                "crosses": serialize_keras_object(self.crosses),
                "crossing_dim": self.crossing_dim,
                "hashing_dim": self.hashing_dim,
                "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        return {name: f.preprocessor.get_build_config() for name, f in self.features.items()}

    def build_from_config(self, config):
        for name, build_config in config.items():
            layer = self.features[name].preprocessor
            if not layer.built:
                layer.build_from_config(build_config)
        self._is_adapted = True

    def save(self, filepath):
        """Save the FeatureSpace to a `.keras` file (reload it with
        `keras.saving.load_model`)."""
        from minikeras.saving import saving_lib
        saving_lib.save_model(self, filepath)

    def save_own_variables(self, store):
        return

    def load_own_variables(self, store):
        return


# ----- data for adapt() ---------------------------------------------------------------------
def _as_array(value):
    """A column as an array: numpy arrays keep their dtype, Python values
    take TensorFlow's (float32, int32, strings)."""
    if isinstance(value, np.ndarray):
        return value
    return np.asarray(ops.convert_to_tensor(value))


def _batches_per_feature(dataset, names):
    """`{name: [batch, ...]}`: what Keras's `dataset.map(lambda x: x[name])`
    pipeline hands each preprocessor's `adapt`."""
    if isinstance(dataset, dict):
        # Keras makes it `Dataset.from_tensor_slices(dataset)`: one element per sample.
        columns = {key: _as_array(value) for key, value in dataset.items()}
        lengths = {key: (len(col) if col.ndim else None) for key, col in columns.items()}
        if None in lengths.values() or len(set(lengths.values())) > 1:
            raise ValueError("`adapt()` needs columns with one value (or row) per sample, all "
                             f"of the same length. Received lengths: {lengths}")
        return {name: _column_batches(columns[name]) for name in names}
    if isinstance(dataset, (list, tuple, str, bytes, np.ndarray)) or \
            hasattr(dataset, "__array__") or not hasattr(dataset, "__iter__"):
        raise ValueError(_ADAPT_ERROR + f"Received instead: {dataset} (of type "
                         f"{type(dataset)})")
    elements = {name: [] for name in names}
    for element in dataset:
        if not isinstance(element, dict):
            raise ValueError("`adapt()` expects the dataset to yield dicts mapping feature "
                             "names to arrays (drop the labels first, as Keras's "
                             f"`dataset.map(lambda x, y: x)` does). Received: {type(element)}")
        for name in names:
            elements[name].append(_as_array(element[name]))
    return {name: _element_batches(elements[name]) for name in names}


def _column_batches(column):
    """Batches of one sample per value (or row) of `column`."""
    if column.ndim == 1:  # scalar samples: batched by 32, as a column
        return [column[i:i + _ADAPT_BATCH_SIZE, None]
                for i in range(0, len(column), _ADAPT_BATCH_SIZE)]
    return _element_batches(list(column))


def _element_batches(elements):
    """Keras's rule on a dataset's elements: scalars are batched by 32; then
    elements of rank 0 or 1 get a last axis of size 1."""
    if not elements:
        raise ValueError("`adapt()` received an empty dataset (no samples).")
    rank = np.ndim(elements[0])
    if rank == 0:
        elements = [np.stack(elements[i:i + _ADAPT_BATCH_SIZE])
                    for i in range(0, len(elements), _ADAPT_BATCH_SIZE)]
    if rank in (0, 1):
        elements = [np.asarray(e)[..., None] for e in elements]
    return elements
