"""`pad_sequences`: lists of variable-length sequences to one 2D (or more) array."""
import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre",
                  truncating="pre", value=0.0):
    """Pads sequences to the same length.

    This function transforms a list (of length `num_samples`) of sequences
    (lists of integers) into a 2D NumPy array of shape
    `(num_samples, num_timesteps)`. `num_timesteps` is either the `maxlen`
    argument if provided, or the length of the longest sequence in the list.

    Sequences that are shorter than `num_timesteps` are padded with `value`
    until they are `num_timesteps` long. Sequences longer than
    `num_timesteps` are truncated so that they fit the desired length.

    The position where padding or truncation happens is determined by the
    arguments `padding` and `truncating`, respectively. Pre-padding or
    removing values from the beginning of the sequence is the default.

    >>> sequence = [[1], [2, 3], [4, 5, 6]]
    >>> keras.utils.pad_sequences(sequence)
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
    >>> keras.utils.pad_sequences(sequence, padding='post')
    array([[1, 0, 0],
           [2, 3, 0],
           [4, 5, 6]], dtype=int32)
    >>> keras.utils.pad_sequences(sequence, maxlen=2)
    array([[0, 1],
           [2, 3],
           [5, 6]], dtype=int32)

    Args:
        sequences: List of sequences (each sequence is a list of integers, or
            of equally-shaped items).
        maxlen: Optional Int, maximum length of all sequences. If not
            provided, sequences will be padded to the length of the longest
            individual sequence.
        dtype: (Optional, defaults to `"int32"`). Type of the output
            sequences. To pad sequences with variable length strings, you can
            use `object`.
        padding: String, "pre" or "post" (optional, defaults to `"pre"`):
            pad either before or after each sequence.
        truncating: String, "pre" or "post" (optional, defaults to `"pre"`):
            remove values from sequences larger than `maxlen`, either at the
            beginning or at the end of the sequences.
        value: Float or String, padding value. (Optional, defaults to `0.`)

    Returns:
        NumPy array with shape `(len(sequences), maxlen)` (plus the shape of
        the sequence items, if they are not scalars).
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    if padding not in ("pre", "post"):
        raise ValueError(f'Padding type "{padding}" not understood')
    if truncating not in ("pre", "post"):
        raise ValueError(f'Truncating type "{truncating}" not understood')
    num_samples = len(sequences)
    lengths = []
    sample_shape = ()
    found_shape = False
    # The item shape comes from the first non-empty sequence; the others are
    # checked against it below.
    for s in sequences:
        try:
            lengths.append(len(s))
        except TypeError as e:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {s}") from e
        if not found_shape and len(s):
            sample_shape = np.asarray(s).shape[1:]
            found_shape = True
    if maxlen is None:
        maxlen = int(np.max(lengths)) if lengths else 0
    maxlen = int(maxlen)
    if maxlen < 0:
        raise ValueError(f"`maxlen` must be a non-negative integer. Received: maxlen={maxlen}")
    is_str_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_str_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings.")
    out = np.full((num_samples, maxlen) + tuple(sample_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for idx, s in enumerate(sequences):
        if not len(s):
            continue
        trunc = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        trunc = np.asarray(trunc, dtype=dtype)
        if trunc.shape[1:] != tuple(sample_shape):
            raise ValueError(
                f"Shape of sample {trunc.shape[1:]} of sequence at position {idx} is "
                f"different from expected shape {tuple(sample_shape)}")
        if padding == "post":
            out[idx, :len(trunc)] = trunc
        else:
            out[idx, -len(trunc):] = trunc
    return out
