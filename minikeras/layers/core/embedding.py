"""`Embedding`: turns positive integers (indices) into dense vectors."""
import warnings

import numpy as np
from autograd.tracer import getval

from minikeras import constraints, initializers, regularizers
from minikeras.backend.embedding_primitives import embedding_lookup
from minikeras.layers.layer import Layer


def _check_dim(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(
            f"`{name}` must be a positive integer. Received: {name}={value} "
            f"(of type {type(value).__name__}).")
    return int(value)


class Embedding(Layer):
    """Turns non-negative integers (indices) into dense vectors of fixed size.

    e.g. `[[4], [20]] -> [[[0.25, 0.1]], [[0.6, -0.2]]]`. The lookup's
    gradient is a scatter-add without `np.add.at`.

    Args:
        input_dim: size of the vocabulary (maximum index + 1).
        output_dim: dimension of the dense embedding.
        embeddings_initializer: initializer of the `embeddings` matrix.
        embeddings_regularizer: regularizer of the `embeddings` matrix.
        embeddings_constraint: constraint of the `embeddings` matrix.
        mask_zero: whether index 0 is a padding value to be masked out; the
            mask (`inputs != 0`) is then passed on to mask-aware layers
            (RNNs) by Sequential and Functional models. Index 0 then can't be
            used in the vocabulary (`input_dim` should be vocabulary + 1).
        weights: optional initial value of the embeddings, `[matrix]`.
        input_length: Keras 2 argument, accepted and ignored (with a
            `DeprecationWarning`).

    Input shape: `(batch_size, input_length)` integers (any rank works).
    Output shape: `input_shape + (output_dim,)`.

    Example:

    >>> model = keras.Sequential([keras.layers.Embedding(1000, 64)])
    >>> model(np.random.randint(1000, size=(32, 10))).shape
    (32, 10, 64)
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        input_dim = _check_dim("input_dim", input_dim)
        output_dim = _check_dim("output_dim", output_dim)
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.",
                          DeprecationWarning, stacklevel=2)
        if lora_rank:
            raise NotImplementedError("LoRA (lora_rank) is not supported by minikeras Embedding.")
        if quantization_config is not None:
            raise NotImplementedError(
                "Quantization (quantization_config) is not supported by minikeras Embedding.")
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.quantization_config = quantization_config
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self._embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer=self.embeddings_initializer,
            name="embeddings", regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint, trainable=True)
        self.built = True

    @property
    def embeddings(self):
        if not self.built:
            raise AttributeError("You must build the layer before accessing `embeddings`.")
        return self._embeddings

    def call(self, inputs):
        ids = np.asarray(getval(inputs))
        if ids.dtype.kind not in "iu":
            ids = ids.astype("int32")
        if ids.size:
            lo, hi = int(ids.min()), int(ids.max())
            if lo < 0 or hi >= self.input_dim:
                bad = lo if lo < 0 else hi
                raise ValueError(
                    f"Layer '{self.name}' (Embedding with input_dim={self.input_dim}) received "
                    f"index {bad}, outside [0, {self.input_dim}). Input shape: {ids.shape}.")
        return embedding_lookup(self._embeddings.value, ids)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return np.asarray(getval(inputs)) != 0

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        })
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return config
