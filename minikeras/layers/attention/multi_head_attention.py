"""`MultiHeadAttention`: scaled dot-product attention over several heads."""
import math
import string

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


class MultiHeadAttention(BaseQKVAttention):
    """MultiHeadAttention layer (Vaswani et al., 2017, "Attention is all you need").

    `query`, `key` and `value` are projected into `num_heads` heads
    (`key_dim` wide for query and key, `value_dim` for value); each head
    computes `softmax(query . key / sqrt(key_dim)) . value`; the heads are
    concatenated and projected back to the query's last dimension (or to
    `output_shape`). With `query is value` this is self-attention.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default: `key_dim`).
        dropout: dropout rate on the attention probabilities.
        use_bias: whether the projections have biases.
        output_shape: the output's shape besides the batch and sequence axes
            (an int or tuple); defaults to the query's last dimension.
        attention_axes: the axes attention runs over (default: all axes but
            the batch, heads and features axes).
        sliding_window: if set, query `i` attends only to keys `j` with
            `|i - j| < sliding_window`.
        flash_attention: fused kernels are not available here; only
            None/False are accepted at call time.
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: regularizers
            of the projections.
        kernel_constraint, bias_constraint: constraints of the projections.
        use_gate: gate the attention output with `sigmoid(query projection)`.
        seed: seed of the dropout.

    Call arguments:
        query: `(B, T, dim)`. value: `(B, S, dim)`. key: `(B, S, dim)`,
            defaults to `value`.
        attention_mask: boolean `(B, T, S)` (broadcastable): True attends.
        return_attention_scores: also return the `(B, num_heads, T, S)`
            attention probabilities.
        training: whether dropout is active.
        use_causal_mask: mask out keys after each query position.
        query_mask, value_mask, key_mask: boolean `(B, T)` / `(B, S)` masks.
            As in Keras 3.15, the query mask is the Keras mask the query
            carries inside a Functional model; an explicit `query_mask` is
            overridden by it (and thus ignored in eager calls).

    Masked query rows: with `dropout == 0` and no scores requested Keras runs
    its fused `dot_product_attention`, where a query row whose keys are all
    masked gets uniform weights; otherwise the masked softmax gives zeros.
    This layer follows both paths.

    Example:

    >>> layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    >>> target = np.ones((1, 8, 16), "float32"); source = np.ones((1, 4, 16), "float32")
    >>> out, scores = layer(target, source, return_attention_scores=True)
    >>> out.shape, scores.shape
    ((1, 8, 16), (1, 2, 8, 4))
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        _positive_int(num_heads, "num_heads")
        _positive_int(key_dim, "key_dim")
        _positive_int(value_dim, "value_dim", allow_none=True)
        super().__init__(**kwargs)
        self._num_heads = int(num_heads)
        self._key_dim = int(key_dim)
        self._value_dim = int(value_dim) if value_dim else self._key_dim
        if not 0 <= dropout <= 1:
            raise ValueError(
                f"Invalid value received for argument `dropout`. Expected a float value "
                f"between 0 and 1. Received: dropout={dropout}")
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        if output_shape:
            if isinstance(output_shape, (int, np.integer)):
                output_shape = (int(output_shape),)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(
                    f"Invalid `output_shape`: {output_shape}. When specified, the "
                    "`output_shape` should be of type tuple, list, or int.") from None
        self._output_shape = output_shape
        self._flash_attention = bool(flash_attention)
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        # Keras hands this to the projections only (not to the layer's output).
        self._projection_activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, (int, np.integer)):
            attention_axes = (int(attention_axes),)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                "`attention_axes` must be an int, list, or tuple."
                f"Received: attention_axes={attention_axes}")
        self._attention_axes = attention_axes
        if sliding_window is not None:
            _positive_int(sliding_window, "sliding_window")
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        if self._flash_attention and self._dropout > 0.0:
            raise ValueError(
                "Dropout is not supported when flash attention is enabled. Please set "
                "dropout to 0.0 to use flash attention.")

    # ----- read-only properties, as in Keras -----------------------------------------
    @property
    def num_heads(self):
        return self._num_heads

    @property
    def key_dim(self):
        return self._key_dim

    @property
    def value_dim(self):
        return self._value_dim

    @property
    def dropout(self):
        return self._dropout

    @property
    def use_bias(self):
        return self._use_bias

    @property
    def attention_axes(self):
        return self._attention_axes

    @property
    def query_dense(self):
        return self._query_dense

    @property
    def key_dense(self):
        return self._key_dense

    @property
    def value_dense(self):
        return self._value_dense

    @property
    def output_dense(self):
        return self._output_dense

    def _window(self):
        return self._sliding_window

    def _apply_graph_masks(self, masks, bound):
        # Keras 3.15's MultiHeadAttention.call re-reads the query mask from the
        # query tensor, so an explicit `query_mask` never counts.
        super()._apply_graph_masks(masks, bound)
        bound["query_mask"] = masks.get("query")

    def _sublayer_kwargs(self):
        return self._common_sublayer_kwargs(
            self._kernel_initializer, self._bias_initializer, self._kernel_regularizer,
            self._bias_regularizer, self._projection_activity_regularizer,
            self._kernel_constraint, self._bias_constraint)

    # ----- build -------------------------------------------------------------------------
    def build(self, query_shape, value_shape, key_shape=None):
        """Creates the query/key/value/output projections.

        Args:
            query_shape: shape of `query`.
            value_shape: shape of `value`.
            key_shape: shape of `key` (default: `value_shape`).
        """
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}")
        if len(query_shape) < 3:
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention) expects `query` of rank >= 3 "
                f"(batch, ..., features). Received: query_shape={query_shape}")
        heads = [self._num_heads, self._key_dim]
        eq, bias_axes, out_rank = _projection_equation(len(query_shape) - 1, 1, 2)
        self._query_dense = EinsumDense(
            eq, output_shape=_partial_shape(out_rank - 1, heads),
            bias_axes=bias_axes if self._use_bias else None, name="query",
            **self._sublayer_kwargs())
        self._query_dense.build(query_shape)
        eq, bias_axes, out_rank = _projection_equation(len(key_shape) - 1, 1, 2)
        self._key_dense = EinsumDense(
            eq, output_shape=_partial_shape(out_rank - 1, heads),
            bias_axes=bias_axes if self._use_bias else None, name="key",
            **self._sublayer_kwargs())
        self._key_dense.build(key_shape)
        if self._use_gate:
            eq, bias_axes, out_rank = _projection_equation(len(query_shape) - 1, 1, 2)
            self._gate_dense = EinsumDense(
                eq, output_shape=_partial_shape(out_rank - 1, [self._num_heads,
                                                               self._value_dim]),
                bias_axes=bias_axes if self._use_bias else None, activation="sigmoid",
                name="gate", **self._sublayer_kwargs())
            self._gate_dense.build(query_shape)
        eq, bias_axes, out_rank = _projection_equation(len(value_shape) - 1, 1, 2)
        self._value_dense = EinsumDense(
            eq, output_shape=_partial_shape(out_rank - 1, [self._num_heads, self._value_dim]),
            bias_axes=bias_axes if self._use_bias else None, name="value",
            **self._sublayer_kwargs())
        self._value_dense.build(value_shape)
        self._build_attention(out_rank)
        out_dims = list(self._output_shape) if self._output_shape else [query_shape[-1]]
        eq, bias_axes, out_rank = _projection_equation(len(query_shape) - 1, 2, len(out_dims))
        self._output_dense = EinsumDense(
            eq, output_shape=_partial_shape(out_rank - 1, out_dims),
            bias_axes=bias_axes if self._use_bias else None, name="attention_output",
            **self._sublayer_kwargs())
        dense_in = list(self._query_dense.compute_output_shape(query_shape))
        dense_in[-1] = self._value_dim
        self._output_dense.build(tuple(dense_in))
        self.built = True

    def _build_attention(self, rank):
        """Einsum equations and softmax axes for projected tensors of `rank`."""
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a
                                         for a in self._attention_axes)
        bad = [a for a in self._attention_axes if not 1 <= a < rank - 2]
        if bad or len(set(self._attention_axes)) != len(self._attention_axes):
            raise ValueError(
                f"Layer '{self.name}': invalid `attention_axes` {self._attention_axes} for "
                f"inputs of rank {rank - 1}; each axis must be a non-batch, non-feature axis.")
        (self._dot_product_equation, self._combine_equation,
         scores_rank) = _attention_equations(rank, self._attention_axes)
        n = len(self._attention_axes)
        self._softmax = Softmax(axis=tuple(range(scores_rank - n, scores_rank)), dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype, seed=self.seed)
        self._standard_layout = (rank == 4 and self._attention_axes == (1,))

    # ----- call ---------------------------------------------------------------------------
    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        if key is None:
            key = value
        if np.shape(getval(key))[1:-1] != np.shape(getval(value))[1:-1]:
            raise ValueError(
                f"Layer '{self.name}': all dimensions of `value` and `key`, except the last "
                f"one, must be equal. Received: value.shape={np.shape(getval(value))}, "
                f"key.shape={np.shape(getval(key))}")
        mask = self._compute_attention_mask(
            query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
            attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        out, scores = self._compute_attention(q, k, v, mask, training, return_attention_scores)
        if gate is not None:
            out = out * gate
        out = self._output_dense(out)
        if return_attention_scores:
            return out, scores
        return out

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False):
        """Attention of projected `(B, T, N, key_dim)` queries, `(B, S, N,
        key_dim)` keys and `(B, S, N, value_dim)` values.

        Returns `(output, scores)`; `scores` is None on the fused path.
        """
        if self._flash_attention:
            if return_attention_scores:
                raise ValueError(
                    "Returning attention scores is not supported when flash attention is "
                    "enabled. Please disable flash attention to access attention scores.")
            raise ValueError("Flash attention is not supported by minikeras (numpy backend).")
        fused = not (self._dropout > 0.0 or return_attention_scores
                     or len(np.shape(getval(query))) != 4)
        if fused:
            keep = None
            if attention_mask is not None:
                keep = AM.expand_mask(attention_mask, 4, len(self._attention_axes))
            return AM.dot_product_attention_4d(query, key, value, keep,
                                               self._inverse_sqrt_key_dim), None
        dtype = getval(query).dtype
        query = query * np.asarray(self._inverse_sqrt_key_dim, dtype=dtype)
        if self._standard_layout:
            scores = AM.scores_4d(query, key)
        else:
            scores = anp.einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            attention_mask = AM.expand_mask(attention_mask, np.ndim(getval(scores)),
                                            len(self._attention_axes))
        scores = self._softmax(scores, mask=attention_mask)
        dropped = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        if self._standard_layout:
            out = AM.combine_4d(dropped, value)
        else:
            out = anp.einsum(self._combine_equation, dropped, value)
        return out, scores

    # ----- shapes and config -------------------------------------------------------------
    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                "All dimensions of `value` and `key`, except the last one, must be equal. "
                f"Received: value_shape={value_shape} and key_shape={key_shape}")
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        out_shape = self.compute_output_shape(query.shape, value.shape,
                                              None if key is None else key.shape)
        out = KerasTensor(out_shape, self.compute_dtype)
        if not return_attention_scores:
            return out
        source = (value if key is None else key).shape
        axes = self._attention_axes or tuple(range(1, len(query.shape) - 1))
        batch_like = [d for i, d in enumerate(query.shape[:-1]) if i not in axes]
        scores_shape = (tuple(batch_like) + (self._num_heads,)
                        + tuple(query.shape[a] for a in axes) + tuple(source[a] for a in axes))
        return out, KerasTensor(scores_shape, self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            **serialize_common(self._kernel_initializer, self._bias_initializer,
                               self._kernel_regularizer, self._bias_regularizer,
                               self._projection_activity_regularizer,
                               self._kernel_constraint, self._bias_constraint),
            "seed": self.seed,
        })
        return config


# ----- einsum equations (Keras's letter conventions) -----------------------------------
def _letters(i):
    return string.ascii_lowercase[i]


def _projection_equation(free_dims, bound_dims, output_dims):
    """`(equation, bias_axes, output_rank)` of a projection that keeps
    `free_dims` input axes, contracts `bound_dims` and creates `output_dims`."""
    free = "".join(_letters(i) for i in range(free_dims))
    bound = "".join(_letters(free_dims + i) for i in range(bound_dims))
    made = "".join(_letters(free_dims + bound_dims + i) for i in range(output_dims))
    return f"{free}{bound},{bound}{made}->{free}{made}", made, free_dims + output_dims


def _partial_shape(output_rank, known_last_dims):
    return [None] * (output_rank - len(known_last_dims)) + list(known_last_dims)


def _attention_equations(rank, attn_axes):
    """`(dot_product_equation, combine_equation, scores_rank)` for projected
    tensors `(batch, <other axes>, <attention axes>, heads, channels)`."""
    target = "".join(_letters(i) for i in range(rank))
    batch_dims = tuple(i for i in range(rank) if i not in attn_axes and i != rank - 1)
    offset = rank
    source = ""
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += _letters(offset)
            offset += 1
    product = ("".join(target[i] for i in batch_dims) + "".join(target[i] for i in attn_axes)
               + "".join(source[i] for i in attn_axes))
    return (f"{source},{target}->{product}", f"{product},{source}->{target}", len(product))
