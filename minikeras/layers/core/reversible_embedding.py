"""`ReversibleEmbedding`: an Embedding that can also project back to the vocabulary."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import common, primitives
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.core.embedding import Embedding
from minikeras.ops.core import _v, cast


class ReversibleEmbedding(Embedding):
    """An embedding layer which can project backwards to the input dim.

    Called with `reverse=True`, it maps `(..., output_dim)` hidden states
    linearly to `(..., input_dim)` logits: by default with the transpose of
    the `embeddings` matrix (tied weights), or with a separate trainable
    `reverse_embeddings` matrix when `tie_weights=False`. No bias.

    Args:
        input_dim: size of the vocabulary (maximum index + 1).
        output_dim: dimension of the dense embedding.
        tie_weights: share the embedding matrix with the reverse projection.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint:
            as for `Embedding`.
        mask_zero: treat index 0 as padding (the forward call's mask).
        reverse_dtype: dtype of the reverse projection (default: the layer's).
        logit_soft_cap: if set, reverse logits become
            `tanh(logits / logit_soft_cap) * logit_soft_cap`.

    Call arguments:
        inputs: integer ids, or hidden states with `reverse=True`.
        reverse: project from `output_dim` back to `input_dim`.

    Example:

    >>> emb = keras.layers.ReversibleEmbedding(100, 32)
    >>> hidden = emb(np.random.randint(100, size=(4, 10)))
    >>> emb(hidden, reverse=True).shape
    (4, 10, 100)
    """

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 reverse_dtype=None, logit_soft_cap=None, **kwargs):
        # Set before Embedding.__init__, which may build (when given `weights`).
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer, name="reverse_embeddings",
                trainable=True)
        self.built = True

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        x = _v(inputs)
        width = np.shape(getval(x))[-1] if np.ndim(getval(x)) else None
        if width != self.output_dim:
            raise ValueError(
                f"Layer '{self.name}' (ReversibleEmbedding) called with reverse=True expects "
                f"inputs whose last axis is output_dim={self.output_dim}. Received: "
                f"inputs.shape={np.shape(getval(x))}")
        kernel = (anp.transpose(self.embeddings.value) if self.tie_weights
                  else self.reverse_embeddings.value)
        if self.reverse_dtype is not None:
            dtype = common.standardize_dtype(self.reverse_dtype)
            x, kernel = cast(x, dtype), cast(kernel, dtype)
        logits = primitives.dense(x, kernel, None)
        if self.logit_soft_cap is not None:
            cap = np.asarray(self.logit_soft_cap, dtype=getval(logits).dtype)
            logits = anp.tanh(logits / cap) * cap
        return logits

    def compute_mask(self, inputs, mask=None):
        # Keras returns None here and attaches the mask inside the forward
        # call; minikeras masks travel through compute_mask, so integer ids
        # (a forward call) give the padding mask.
        if not self.mask_zero:
            return None
        ids = np.asarray(getval(inputs))
        if ids.dtype.kind not in "iu":
            return None
        return ids != 0

    def compute_output_shape(self, input_shape, reverse=False):
        shape = list(input_shape)
        if reverse:
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return tuple(shape)

    def compute_output_spec(self, inputs, reverse=False):
        return KerasTensor(self.compute_output_shape(inputs.shape, reverse=reverse),
                           self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                       "logit_soft_cap": self.logit_soft_cap})
        return config
