"""`AdditiveAttention`: Bahdanau-style attention over `[query, value, key]`."""
import autograd.numpy as anp

from minikeras.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    As `Attention`, with scores `(batch, Tq, Tv)` =
    `sum(scale * tanh(query + key), axis=-1)` where `scale` is a learned
    vector of the query's size (or 1 with `use_scale=False`).

    Args:
        use_scale: learn the `scale` vector (shape `(dim,)`, Glorot-uniform).
        dropout: dropout rate on the attention weights (training only).

    Call arguments: `inputs` `[query, value]` or `[query, value, key]`,
    `mask` `[query_mask, value_mask]`, `training`,
    `return_attention_scores`, `use_causal_mask`, as for `Attention`.

    Example:

    >>> q = np.ones((2, 3, 4), "float32"); v = np.ones((2, 5, 4), "float32")
    >>> keras.layers.AdditiveAttention()([q, v]).shape
    (2, 3, 4)
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        dim = input_shape[0][-1]
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(dim,),
                                         initializer="glorot_uniform", dtype=self.dtype,
                                         trainable=True)
        self.built = True

    def _calculate_scores(self, query, key):
        """`sum(scale * tanh(query[:, :, None] + key[:, None]), axis=-1)`."""
        t = anp.tanh(anp.expand_dims(query, -2) + anp.expand_dims(key, -3))
        if self.use_scale:
            t = self.scale.value * t
        return anp.sum(t, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
