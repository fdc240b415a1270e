"""`IntegerLookup`: map integers to (and from) contiguous indices."""
from minikeras.layers.preprocessing.index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """A preprocessing layer that maps integers to (possibly encoded) indices.

    Like `StringLookup` for integer features. With several OOV indices an
    unknown value `v` goes to `v % num_oov_indices` (`oov_method="floormod"`)
    or to a FarmHash bucket of its decimal text (`oov_method="farmhash"`,
    SipHash with `salt`).

    Args:
        max_tokens: maximum vocabulary size, including mask and OOV tokens.
        num_oov_indices: number of out-of-vocabulary indices (default 1).
        mask_token: the value of masked inputs (index 0 in "int" mode).
        oov_token: the value returned for OOV indices when `invert=True`.
        vocabulary: a list/array of integers or a text file, one per line.
        vocabulary_dtype: only `"int64"` is supported.
        idf_weights: the IDF weights of the vocabulary ("tf_idf" mode only).
        invert: map indices back to vocabulary values.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"`.
        sparse: unsupported (`True` raises ValueError; outputs are dense).
        pad_to_max_tokens: pad the encoded outputs to `max_tokens`.
        oov_method: `"floormod"` or `"farmhash"`.
        salt: one int or two ints (only with `oov_method="farmhash"`).

    Example:

    >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(np.array([[12, 1138, 42], [42, 1000, 36]]))
    array([[1, 3, 4],
           [4, 0, 2]])
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If `max_tokens` is set for `IntegerLookup`, it must be greater "
                             f"than 1. Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("The value of `num_oov_indices` argument for `IntegerLookup` "
                             f"must >= 0. Received: num_oov_indices={num_oov_indices}")
        if vocabulary_dtype != "int64":
            raise ValueError("Only `vocabulary_dtype='int64'` is supported at this time. "
                             f"Received: vocabulary_dtype={vocabulary_dtype}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights,
                         invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method,
                         salt=salt, name=name, **kwargs)

    def adapt(self, data, steps=None):
        """Learn the vocabulary from `data` (integers, or an iterable of batches)."""
        super().adapt(data, steps=steps)

    def get_config(self):
        config = super().get_config()
        if config["oov_token"] is not None:
            config["oov_token"] = int(config["oov_token"])
        if config["mask_token"] is not None:
            config["mask_token"] = int(config["mask_token"])
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
