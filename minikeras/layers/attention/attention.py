"""`Attention`: dot-product (Luong-style) attention over `[query, value, key]`."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import primitives as P
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.backend.random import SeedGenerator
from minikeras.layers.layer import Layer
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _v


class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    Inputs are a list `[query, value]` or `[query, value, key]` with
    `query` `(batch, Tq, dim)` and `value`/`key` `(batch, Tv, dim)` (`key`
    defaults to `value`):

    1. scores `(batch, Tq, Tv)` = `query . key^T` (`score_mode="dot"`) or
       `sum(tanh(query + key))` (`"concat"`);
    2. a softmax over `Tv` (masked positions get `-1e9` first);
    3. the output `(batch, Tq, dim)` is the scores' combination of `value`.

    Args:
        use_scale: learn a scalar `scale` multiplying the scores.
        score_mode: `"dot"` or `"concat"`.
        dropout: dropout rate on the attention weights (training only).
        seed: seed of the dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]` (a list).
        mask: `[query_mask, value_mask]`: boolean `(batch, Tq)` and
            `(batch, Tv)`; the output is zero where the query mask is False
            and masked values get no weight. Functional models pass the
            Keras masks of the inputs here.
        training: whether dropout is active.
        return_attention_scores: also return the `(batch, Tq, Tv)` weights.
        use_causal_mask: query position `i` sees value positions `j <= i`.

    Example:

    >>> q = np.ones((2, 3, 4), "float32"); v = np.ones((2, 5, 4), "float32")
    >>> keras.layers.Attention()([q, v]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        if self.dropout > 0:
            self.seed_generator = SeedGenerator(seed)
        if self.score_mode not in ("dot", "concat"):
            raise ValueError(
                "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
                f"Received: score_mode={score_mode}")
        self.supports_masking = True

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones",
                                         dtype=self.dtype, trainable=True)
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones", dtype=self.dtype,
                trainable=True)
        self.built = True

    def _calculate_scores(self, query, key):
        """`(batch, Tq, Tv)` scores of `query` `(batch, Tq, dim)` against `key`."""
        if self.score_mode == "dot":
            scores = P.matmul(query, anp.swapaxes(key, -2, -1))
            if self.scale is not None:
                scores = scores * self.scale.value
            return scores
        q = anp.expand_dims(query, -2)
        k = anp.expand_dims(key, -3)
        s = q + k
        if self.scale is not None:
            s = self.scale.value * s
        return self.concat_score_weight.value * anp.sum(anp.tanh(s), axis=-1)

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """`(softmax(masked scores) . value, weights)`."""
        if scores_mask is not None:
            dtype = getval(scores).dtype
            big = np.asarray(65504.0 if dtype == np.float16 else 1.0e9, dtype=dtype)
            padding = np.logical_not(scores_mask)
            if padding.ndim == 2:
                padding = np.expand_dims(padding, -2)
            scores = OP.where(padding, scores - big, scores)
        weights = P.softmax(scores, -1)
        applied = weights
        if training and self.dropout > 0:
            keep = 1.0 - self.dropout
            shape = np.shape(getval(weights))
            dtype = getval(weights).dtype
            drop = self.seed_generator.rng.random(shape, dtype=np.float32) < keep
            applied = weights * (drop.astype(dtype) / np.asarray(keep, dtype=dtype))
        return P.matmul(applied, value), weights

    def _calculate_score_mask(self, scores, v_mask, use_causal_mask):
        if v_mask is not None:
            v_mask = np.asarray(getval(v_mask)).astype(bool)
        if not use_causal_mask:
            return v_mask
        tq, tv = np.shape(getval(scores))[-2:]
        causal = np.tril(np.ones((tq, tv), dtype=bool))[None]
        if v_mask is not None:
            return np.logical_and(np.expand_dims(v_mask, -2), causal)
        return causal

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate_inputs(inputs=inputs, mask=mask)
        q, v = _v(inputs[0]), _v(inputs[1])
        k = _v(inputs[2]) if len(inputs) > 2 else v
        self._check_shapes(q, v, k)
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._calculate_scores(query=q, key=k)
        scores_mask = self._calculate_score_mask(scores, v_mask, use_causal_mask)
        out, weights = self._apply_scores(scores=scores, value=v, scores_mask=scores_mask,
                                          training=training)
        if q_mask is not None:
            keep = np.expand_dims(np.asarray(getval(q_mask)).astype(bool), -1)
            out = OP.where(keep, out, np.zeros((), dtype=getval(out).dtype))
        if return_attention_scores:
            return out, weights
        return out

    def _check_shapes(self, q, v, k):
        qs, vs, ks = (np.shape(getval(t)) for t in (q, v, k))
        problem = None
        if len(qs) < 2 or len(vs) < 2 or len(ks) < 2:
            problem = "every input needs rank >= 2"
        elif vs[-2] != ks[-2]:
            problem = "`value` and `key` must have the same number of timesteps"
        elif qs[-1] != ks[-1]:
            problem = "`query` and `key` must have the same last dimension"
        if problem:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): {problem}. Received: "
                f"query.shape={qs}, value.shape={vs}, key.shape={ks}")

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs=inputs, mask=mask)
        if mask is None or mask[0] is None:
            return None
        return np.asarray(getval(mask[0]))

    def compute_output_shape(self, input_shape):
        query_shape, value_shape = input_shape[0], input_shape[1]
        return (*query_shape[:-1], value_shape[-1])

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        out = KerasTensor(self.compute_output_shape([query.shape, value.shape, key.shape]),
                          self.compute_dtype)
        if return_attention_scores:
            return out, KerasTensor((*query.shape[:-1], key.shape[-2]), self.compute_dtype)
        return out

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError(
                f"{name} layer must be called on a list of inputs, namely [query, value] or "
                f"[query, value, key]. Received: inputs={inputs}.")
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError(
                f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] "
                f"or [query, value, key]. Received length: {len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, list):
                raise ValueError(
                    f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                    f"Received: mask={mask}.")
            if len(mask) < 2 or len(mask) > 3:
                raise ValueError(
                    f"{name} layer accepts mask list of length 2 or 3. Received: "
                    f"inputs={inputs}, mask={mask}.")

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode,
                       "dropout": self.dropout, "seed": self.seed})
        return config
