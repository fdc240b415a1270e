"""`TextVectorization`: strings -> token indices or bag-of-words vectors.

Processing follows Keras 3 (TensorFlow string ops) step by step:

1. standardize: `"lower"` lowercases ASCII letters only (`tf.strings.lower`),
   `"strip_punctuation"` deletes the ASCII punctuation characters
   ``!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'``; a callable receives the numpy
   array of strings and returns one.
2. split: `"whitespace"` splits on ASCII whitespace (space, \\t, \\n, \\v,
   \\f, \\r) and drops empty tokens, `"character"` splits into Unicode
   characters; a callable receives a 1D array of strings and returns one
   token sequence per string.
3. ngrams: all n-grams of each requested width, joined by a space, widths
   in order (`tf.strings.ngrams`).
4. lookup through an inner `StringLookup` with mask token `""` (index 0 is
   padding, index 1 the OOV token `"[UNK]"`).
"""
import re

import numpy as np

from minikeras.backend import config as backend_config
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing.categorical_utils import (
    listify, to_string_array, validate_string_arg)
from minikeras.layers.preprocessing.index_lookup import _is_batch_iterable
from minikeras.layers.preprocessing.string_lookup import StringLookup

_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_UPPER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_ASCII_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")


class TextVectorization(Layer):
    """A preprocessing layer which maps text features to integer sequences.

    Args:
        max_tokens: maximum vocabulary size (including the padding index 0
            and the OOV index 1); only the most frequent terms are kept.
        standardize: `"lower_and_strip_punctuation"` (default), `"lower"`,
            `"strip_punctuation"`, None, or a callable.
        split: `"whitespace"` (default), `"character"`, None, or a callable.
        ngrams: None, an int (all widths up to it) or a tuple of widths.
        output_mode: `"int"`, `"multi_hot"`, `"count"`, `"tf_idf"` (and
            `"one_hot"` with `split=None`).
        output_sequence_length: in "int" mode, pad or truncate every
            sequence to this length (otherwise to the longest in the batch).
        pad_to_max_tokens: pad bag-of-words outputs to `max_tokens`.
        vocabulary: a list/array of terms or a text file, one term per line.
        idf_weights: IDF weights of the vocabulary (with "tf_idf").
        sparse, ragged: unsupported (raise ValueError when True).
        encoding: text encoding of bytes inputs.

    Example:

    >>> layer = keras.layers.TextVectorization(max_tokens=10,
    ...                                        output_sequence_length=4)
    >>> layer.adapt(["the cat sat", "the dog"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
    >>> layer(["The cat!"])
    array([[2, 5, 0, 0]])
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        if sparse:
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend.")
        if ragged:
            raise ValueError("`ragged=True` can only be used with the TensorFlow backend.")
        validate_string_arg(standardize, ("lower_and_strip_punctuation", "lower",
                                          "strip_punctuation"),
                            "TextVectorization", "standardize", allow_none=True,
                            allow_callables=True)
        validate_string_arg(split, ("whitespace", "character"), "TextVectorization", "split",
                            allow_none=True, allow_callables=True)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"),
                            "TextVectorization", "output_mode")
        if not (ngrams is None or (isinstance(ngrams, int) and not isinstance(ngrams, bool))
                or (isinstance(ngrams, tuple) and all(isinstance(i, int) for i in ngrams))):
            raise ValueError("`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if output_mode == "int" and not (isinstance(output_sequence_length, int)
                                         or output_sequence_length is None):
            raise ValueError("`output_sequence_length` must be either None or an integer when "
                             "`output_mode` is 'int'. Received: "
                             f"output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not "
                             f"'int'. Received output_sequence_length={output_sequence_length}.")
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._ragged = ragged
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_input_vocabulary, encoding=encoding,
            vocabulary_size=vocabulary_size)
        self.built = True

    @property
    def compute_dtype(self):
        return "string"

    @property
    def variable_dtype(self):
        return "string"

    def build(self, input_shape=None):
        self.built = True

    # ----- shapes ------------------------------------------------------------------------
    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return (input_shape[0] if input_shape else None, self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = input_shape + (1,)
        else:
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs, *args, **kwargs):
        # Keras's symbolic spec: int64 token ids, floatx for every encoded mode (the
        # eager multi_hot/count values are int64, as TensorFlow's are).
        dtype = "int64" if self._output_mode == "int" else backend_config.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    # ----- vocabulary ------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None):
        """Compute the vocabulary from `data`: a list or array of strings, or
        an iterable of batches of strings. Terms are sorted by frequency
        (ties: higher term first) and cut to `max_tokens`."""
        self.reset_state()
        if _is_batch_iterable(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            data = to_string_array(data, self._encoding)
            if data.ndim == 1:
                data = data[:, None]
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data):
        self._lookup_layer.update_state(self._preprocess(data))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary: `""` (padding), `"[UNK]"`, then the terms."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The vocabulary size, including the padding and OOV indices."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and IDF weights) instead of calling `adapt()`."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ----- processing ------------------------------------------------------------------------
    def _standardize_strings(self, x):
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            x = _map_strings(x, lambda s: s.translate(_ASCII_UPPER))
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            x = _map_strings(x, lambda s: _PUNCTUATION.sub("", s))
        if callable(self._standardize):
            x = to_string_array(self._standardize(np.asarray(x).astype(str)), self._encoding)
        return x

    def _split_strings(self, x):
        """Ragged tokens: a list (over the first axis) of token lists."""
        if x.ndim > 1:
            if x.shape[-1] != 1:
                raise ValueError(
                    "When using `TextVectorization` to tokenize strings, the input rank must be "
                    "1 or the last shape dimension must be 1. Received: "
                    f"inputs.shape={x.shape} with rank={x.ndim}")
            x = x.reshape(x.shape[:-1])
        if x.ndim == 0:
            return self._split_one(np.array([x.item()], dtype=object))[0], True
        if x.ndim > 1:
            raise ValueError("TextVectorization supports inputs of rank <= 2 (batch, 1); "
                             f"received shape {x.shape + (1,)}.")
        return self._split_one(x), False

    def _split_one(self, x):
        if self._split == "whitespace":
            return [[t for t in _ASCII_WHITESPACE.split(s) if t] for s in x.tolist()]
        if self._split == "character":
            return [list(s) for s in x.tolist()]
        result = self._split(np.asarray(x).astype(str))
        return [[str(t.decode(self._encoding) if isinstance(t, bytes) else t) for t in row]
                for row in result]

    def _ngrams_of(self, tokens):
        out = []
        for width in self._ngrams:
            out.extend(" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1))
        return out

    def _preprocess(self, inputs):
        """Standardized (and split, n-grammed) strings: an array, or ragged rows."""
        return self._preprocess_with_rank(inputs)[0]

    def _preprocess_with_rank(self, inputs):
        """`(processed, was_scalar)`; a scalar string gives one row of tokens."""
        x = to_string_array(inputs, self._encoding)
        if self._standardize is not None:
            x = self._standardize_strings(x)
        if self._split is None:
            if self._ngrams is not None:
                rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
                return [self._ngrams_of(list(r)) for r in rows.tolist()], False
            return x, False
        rows, scalar = self._split_strings(x)
        if scalar:
            rows = [rows]
        if self._ngrams is not None:
            rows = [self._ngrams_of(r) for r in rows]
        return rows, scalar

    def call(self, inputs):
        processed, scalar = self._preprocess_with_rank(inputs)
        lookup = self._lookup_layer
        if self._output_mode != "int":
            if isinstance(processed, list):
                lookup._ensure_known_vocab_size()
                rows = [lookup._lookup(np.array(r, dtype=object)) for r in processed]
                out = self._encode_rows(rows)
                return out[0] if scalar else out
            return lookup.call(processed)
        if isinstance(processed, list):
            rows = [lookup._lookup(np.array(r, dtype=object)) for r in processed]
            length = self._output_sequence_length
            if length is None:
                length = max((len(r) for r in rows), default=0)
            out = np.zeros((len(rows), length), dtype=np.int64)
            for i, r in enumerate(rows):
                r = r[:length]
                out[i, :len(r)] = r
            return out[0] if scalar else out
        out = lookup.call(processed)
        if self._output_sequence_length is not None:
            length = self._output_sequence_length
            out = out[..., :length]
            if out.shape[-1] < length:
                pad = [(0, 0)] * (out.ndim - 1) + [(0, length - out.shape[-1])]
                out = np.pad(out, pad)
        return out

    def _encode_rows(self, rows):
        from minikeras.layers.preprocessing.categorical_utils import encode_categorical
        lookup = self._lookup_layer
        depth = lookup._depth()
        mode = self._output_mode
        if mode == "one_hot":
            raise ValueError("TextVectorization with `output_mode='one_hot'` needs `split=None` "
                             "(one token per sample).")
        counts_mode = "count" if mode == "tf_idf" else mode
        dtype = backend_config.floatx() if mode == "tf_idf" else "int64"
        out = np.zeros((len(rows), depth), dtype=dtype)
        for i, r in enumerate(rows):
            if len(r):
                out[i] = encode_categorical(np.asarray(r)[None], counts_mode, depth, dtype)[0]
        if mode == "tf_idf":
            if lookup.idf_weights is None:
                raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be "
                                 "provided.")
            out = out * lookup.idf_weights.astype(out.dtype)
        return out

    # ----- config and saving -----------------------------------------------------------------
    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        config = super().get_config()
        config.update({
            "max_tokens": self._lookup_layer.max_tokens,
            "standardize": self._standardize if not callable(self._standardize)
            else serialize_keras_object(self._standardize),
            "split": self._split if not callable(self._split)
            else serialize_keras_object(self._split),
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": self._lookup_layer.pad_to_max_tokens,
            "sparse": self._lookup_layer.sparse,
            "ragged": self._ragged,
            "vocabulary": listify(self._lookup_layer.input_vocabulary),
            "idf_weights": listify(self._lookup_layer.input_idf_weights),
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        })
        return config

    @classmethod
    def from_config(cls, config):
        from minikeras.saving.serialization import deserialize_keras_object
        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return super().from_config(config)

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)


def _map_strings(x, fn):
    out = np.empty(x.shape, dtype=object)
    out.reshape(-1)[:] = [fn(s) for s in x.reshape(-1).tolist()]
    return out
