"""`StringLookup`: map strings to (and from) integer indices."""
from minikeras.layers.preprocessing.index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """A preprocessing layer that maps strings to (possibly encoded) indices.

    The vocabulary comes from the `vocabulary` argument or from `adapt()`
    (most frequent terms first). Index 0 is the mask token when `mask_token`
    is set (in "int" mode), then `num_oov_indices` out-of-vocabulary indices;
    with several OOV indices, an unknown string goes to the bucket
    `Fingerprint64(string) % num_oov_indices` (SipHash with `salt`), as in
    Keras. String tensors are numpy arrays of `str` (dtype object or unicode).

    Args:
        max_tokens: maximum vocabulary size, including mask and OOV tokens.
        num_oov_indices: number of out-of-vocabulary indices (default 1).
        mask_token: the token of masked inputs (index 0 in "int" mode).
        oov_token: the token returned for OOV indices when `invert=True`.
        vocabulary: a list/array of terms or a text file with one per line.
        idf_weights: the IDF weights of the vocabulary ("tf_idf" mode only).
        invert: map indices back to strings.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"`.
        pad_to_max_tokens: pad the encoded outputs to `max_tokens`.
        sparse: unsupported (`True` raises ValueError; outputs are dense).
        encoding: text encoding of bytes inputs.
        salt: one int or two ints: use SipHash for the OOV buckets.

    Example:

    >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer(np.array([["a", "c", "d"], ["d", "z", "b"]]))
    array([[1, 3, 4],
           [4, 0, 2]])
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", **kwargs)

    def adapt(self, data, steps=None):
        """Learn the vocabulary from `data` (strings, or an iterable of batches)."""
        super().adapt(data, steps=steps)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config
