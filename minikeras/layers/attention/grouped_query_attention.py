"""`GroupQueryAttention`: attention whose key/value heads are shared by groups
of query heads (Ainslie et al., 2023)."""
import math

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras import constraints, initializers, regularizers
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.activations.softmax import Softmax
from minikeras.layers.attention import attention_math as AM
from minikeras.layers.attention.base_qkv_attention import (
    BaseQKVAttention, positive_int as _positive_int, serialize_common)
from minikeras.layers.core.dropout import Dropout
from minikeras.layers.core.einsum_dense import EinsumDense


class GroupedQueryAttention(BaseQKVAttention):
    """Grouped Query Attention layer (exported as `keras.layers.GroupQueryAttention`).

    `num_key_value_heads` is the number of groups: 1 gives multi-query
    attention, `num_query_heads` gives multi-head attention. Keys and values
    are projected into `num_key_value_heads` heads and repeated to match the
    `num_query_heads` query heads.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads (divides
            `num_query_heads`).
        dropout: dropout rate on the attention probabilities.
        use_bias: whether the projections have biases.
        sliding_window: if set, query `i` attends only to keys `j` with
            `|i - j| < sliding_window`.
        flash_attention: only None/False work here (no fused kernels).
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers
            (the activity regularizer applies to the projections and to the
            layer's output, as in Keras).
        kernel_constraint, bias_constraint: constraints of the projections.
        use_gate: gate the attention output with `sigmoid(query projection)`.
        seed: seed of the dropout.

    Call arguments: as `MultiHeadAttention` (`query` `(B, T, dim)`, `value`
    and optional `key` `(B, S, dim)`, `query_mask`, `value_mask`,
    `key_mask`, `attention_mask`, `return_attention_scores`, `training`,
    `use_causal_mask`).

    Returns `(B, T, dim)` outputs, and with `return_attention_scores` the
    `(B, num_query_heads, T, S)` attention probabilities.
    """

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        _positive_int(head_dim, "head_dim")
        _positive_int(num_query_heads, "num_query_heads")
        _positive_int(num_key_value_heads, "num_key_value_heads")
        super().__init__(**kwargs)
        self.head_dim = int(head_dim)
        self.num_query_heads = int(num_query_heads)
        self.num_key_value_heads = int(num_key_value_heads)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError("`num_query_heads` must be divisible by `num_key_value_heads`.")
        self.num_repeats = self.num_query_heads // self.num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        if sliding_window is not None:
            _positive_int(sliding_window, "sliding_window")
        self.sliding_window = sliding_window
        self._flash_attention = bool(flash_attention)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = activity_regularizer
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(self.head_dim))
        if self._flash_attention and self.dropout > 0.0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. Please set "
                "dropout to 0.0 to use flash attention.")

    def _window(self):
        return self.sliding_window

    def _sublayer_kwargs(self):
        return self._common_sublayer_kwargs(
            self.kernel_initializer, self.bias_initializer, self.kernel_regularizer,
            self.bias_regularizer, self.activity_regularizer, self.kernel_constraint,
            self.bias_constraint)

    def build(self, query_shape, value_shape, key_shape=None):
        """Creates the query/key/value/output projections."""
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        for what, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3:
                raise ValueError(
                    f"Layer '{self.name}' (GroupQueryAttention) expects `{what}` of shape "
                    f"(batch, seq, features). Received: {what}_shape={shape}")
        self.feature_dim = query_shape[-1]
        q_heads, kv_heads, hd = self.num_query_heads, self.num_key_value_heads, self.head_dim
        self._query_dense = EinsumDense(
            "bqm,muh->bquh", output_shape=(None, q_heads, hd),
            bias_axes="uh" if self.use_bias else None, name="query", **self._sublayer_kwargs())
        self._query_dense.build(query_shape)
        self._key_dense = EinsumDense(
            "bkm,mvh->bkvh", output_shape=(None, kv_heads, hd),
            bias_axes="vh" if self.use_bias else None, name="key", **self._sublayer_kwargs())
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = EinsumDense(
                "bqm,muh->bquh", output_shape=(None, q_heads, hd),
                bias_axes="uh" if self.use_bias else None, activation="sigmoid", name="gate",
                **self._sublayer_kwargs())
            self._gate_dense.build(query_shape)
        self._value_dense = EinsumDense(
            "bkm,mvh->bkvh", output_shape=(None, kv_heads, hd),
            bias_axes="vh" if self.use_bias else None, name="value", **self._sublayer_kwargs())
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype, seed=self.seed)
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = EinsumDense(
            "bquh,uhm->bqm", output_shape=(None, self.feature_dim),
            bias_axes="m" if self.use_bias else None, name="attention_output",
            **self._sublayer_kwargs())
        self._output_dense.build((None, None, q_heads, hd))
        self.built = True

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if key is None:
            key = value
        mask = self._compute_attention_mask(
            query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
            attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self.use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        if self.num_repeats > 1:
            k = anp.repeat(k, self.num_repeats, axis=2)
            v = anp.repeat(v, self.num_repeats, axis=2)
        out, scores = self._compute_attention(q, k, v, mask, training, return_attention_scores)
        if gate is not None:
            out = out * gate
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False):
        """Attention of projected `(B, T, heads, head_dim)` tensors; returns
        `(output, scores)` (`scores` None on the fused path)."""
        if self._flash_attention:
            if return_attention_scores:
                raise ValueError(
                    "Returning attention scores is not supported when flash attention is "
                    "enabled. Please disable flash attention to access attention scores.")
            raise ValueError("Flash attention is not supported by minikeras (numpy backend).")
        keep = None if attention_mask is None else AM.expand_mask(attention_mask, 4, 1)
        if not (self.dropout > 0.0 or return_attention_scores):
            return AM.dot_product_attention_4d(query, key, value, keep,
                                               self._inverse_sqrt_head_dim), None
        query = query * np.asarray(self._inverse_sqrt_head_dim, dtype=getval(query).dtype)
        scores = self._softmax(AM.scores_4d(query, key), mask=keep)
        dropped = self._dropout_layer(scores, training=training) if self.dropout > 0 else scores
        return AM.combine_4d(dropped, value), scores

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(
                "The last dimension of `query_shape` and `value_shape` must be equal, but are "
                f"{query_shape[-1]}, {value_shape[-1]}. Received: query_shape={query_shape}, "
                f"value_shape={value_shape}")
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}")
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        out = KerasTensor(self.compute_output_shape(
            query.shape, value.shape, None if key is None else key.shape), self.compute_dtype)
        if not return_attention_scores:
            return out
        kv_len = (value if key is None else key).shape[1]
        return out, KerasTensor((query.shape[0], self.num_query_heads, query.shape[1], kv_len),
                                self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            **serialize_common(self.kernel_initializer, self.bias_initializer,
                               self.kernel_regularizer, self.bias_regularizer,
                               self.activity_regularizer, self.kernel_constraint,
                               self.bias_constraint),
            "seed": self.seed,
        })
        return config


GroupQueryAttention = GroupedQueryAttention
