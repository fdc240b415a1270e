"""`IndexLookup`: the shared engine of `StringLookup` and `IntegerLookup`.

The vocabulary is a Python list of tokens; index `i` of a learned token is
`i + token_start` (after the optional mask index 0 in "int" mode and the
`num_oov_indices` OOV buckets). `adapt()` counts tokens (and documents, for
TF-IDF) over the data and keeps the most frequent ones, ties broken by the
token, highest first, as Keras does.

Saving follows Keras 3: a vocabulary passed as an argument is part of
`get_config()`; an adapted one is written by `save_assets(dir)` to
`vocabulary.txt` (read back by `load_assets(dir)`), and TF-IDF weights are
the layer's own variable `"idf_weights"` (`save_own_variables`).
"""
import collections
import os

import numpy as np

from minikeras.backend import config as backend_config
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer
from minikeras.layers.preprocessing import string_hashing
from minikeras.layers.preprocessing.categorical_utils import (
    encode_categorical, is_ragged, listify, to_string_array, validate_string_arg)

_INT64_MAX = np.iinfo(np.int64).max


class IndexLookup(Layer):
    """Maps values from a vocabulary to integer indices (base class).

    See `StringLookup` and `IntegerLookup` for the arguments.
    """

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", name=None,
                 salt=None, **kwargs):
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError("If set, `max_tokens` must be greater than 1. "
                             f"Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError("If pad_to_max_tokens is True, must set `max_tokens`. "
                             f"Received: max_tokens={max_tokens}")
        if num_oov_indices < 0:
            raise ValueError("`num_oov_indices` must be greater than or equal to 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        validate_string_arg(oov_method, ("floormod", "farmhash"), type(self).__name__,
                            "oov_method")
        is_int_vocab = vocabulary_dtype != "string"
        if salt is not None:
            if is_int_vocab and oov_method != "farmhash":
                raise ValueError("`salt` can only be used when `oov_method='farmhash'`. "
                                 f"Received: oov_method={oov_method}")
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = list(salt)
            elif isinstance(salt, int) and not isinstance(salt, bool):
                salt = [salt, salt]
            else:
                raise ValueError("The `salt` argument for `IndexLookup` can only be a tuple of "
                                 f"2 integers, or a single integer. Received: salt={salt}.")
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        validate_string_arg(output_mode, ("int", "one_hot", "multi_hot", "count", "tf_idf"),
                            type(self).__name__, "output_mode")
        if invert and output_mode != "int":
            raise ValueError("`output_mode` must be `'int'` when `invert` is true. "
                             f"Received: output_mode={output_mode}")
        if sparse:
            if output_mode == "int":
                raise ValueError(
                    "`sparse` may only be true if `output_mode` is `'one_hot'`, "
                    "`'multi_hot'`, `'count'` or `'tf_idf'`. "
                    f"Received: sparse={sparse} and output_mode={output_mode}")
            raise ValueError("`sparse=True` can only be used with the TensorFlow backend; "
                             "minikeras returns dense numpy arrays.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError("`idf_weights` should only be set if `output_mode` is "
                             f"`'tf_idf'`. Received: idf_weights={idf_weights} and "
                             f"output_mode={output_mode}")
        frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen_vocab_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens = []
        self._token_index = {}
        self.idf_weights = None
        self.built = True

        if output_mode == "tf_idf":
            if self._has_input_vocabulary and idf_weights is None:
                raise ValueError("When specifying the `vocabulary` argument, in TF-IDF output "
                                 "mode, the `idf_weights` argument must also be provided.")
            if idf_weights is not None:
                self.idf_weights = np.asarray(idf_weights, dtype=backend_config.floatx())
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.reset_state()

    # Keras reports the vocabulary dtype ("int64" or "string") as the layer's dtypes;
    # the inputs are not cast to it (internals use `_dtype`).
    @property
    def dtype(self):
        return self.vocabulary_dtype

    @property
    def compute_dtype(self):
        return self.vocabulary_dtype

    @property
    def variable_dtype(self):
        return self.vocabulary_dtype

    # ----- token conversion ------------------------------------------------------------
    def _is_string(self):
        return self.vocabulary_dtype == "string"

    def _convert_tokens(self, values):
        """A flat list of Python tokens (str or int)."""
        if self._is_string():
            return to_string_array(values, getattr(self, "encoding", "utf-8")).reshape(-1).tolist()
        arr = np.asarray(values)
        if arr.dtype.kind not in "iub":
            if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
                arr = arr.astype(np.int64)
            else:
                raise ValueError(f"Expected integer inputs for {type(self).__name__}, received "
                                 f"an array of dtype {arr.dtype}.")
        return [int(v) for v in arr.reshape(-1).tolist()]

    def _as_key_array(self, inputs):
        """Inputs as a numpy array of keys (object array of str, or int64)."""
        if self._is_string():
            return to_string_array(inputs, getattr(self, "encoding", "utf-8"))
        arr = np.asarray(inputs)
        if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iu":
            raise ValueError(f"Expected integer inputs for {type(self).__name__}, received an "
                             f"array of dtype {arr.dtype}.")
        return arr.astype(np.int64)

    # ----- vocabulary --------------------------------------------------------------------
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The size of the vocabulary, including the mask and OOV indices."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary as a list; a term's position is its index when
        `include_special_tokens` is True (mask and OOV tokens come first)."""
        vocab = ([self.mask_token] * self._oov_start_index()
                 + [self.oov_token] * self.num_oov_indices + list(self._tokens))
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and the IDF weights in "tf_idf" mode) directly.

        Args:
            vocabulary: a list, tuple or 1D array of terms, or the path of a
                text file with one term per line.
            idf_weights: the inverse document frequencies, one per term;
                required in "tf_idf" mode, not allowed otherwise.
        """
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if output_mode is `'tf_idf'`. "
                             f"Received: output_mode={self.output_mode} and "
                             f"idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            from minikeras.saving import safe_mode
            if safe_mode.scope_value() and not safe_mode.unsafe_globally_enabled():
                raise ValueError(
                    "Requested the loading of a vocabulary file outside of the model archive. "
                    "This carries a potential risk of loading arbitrary and sensitive files "
                    "and thus it is disallowed by default. If you trust the source of the "
                    "artifact, you can override this error by passing `safe_mode=False` to "
                    "the loading function, or calling "
                    "`keras.config.enable_unsafe_deserialization(). "
                    f"Vocabulary file: '{vocabulary}'")
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError("output_mode `'tf_idf'` does not support loading a "
                                 "vocabulary from file.")
            with open(vocabulary, encoding="utf-8") as f:
                lines = f.read().splitlines()
            while lines and lines[-1] == "":
                lines.pop()
            vocabulary = lines if self._is_string() else [int(v) for v in lines]
            # a file holds plain terms: index = line number + token_start
            self._set_tokens(list(vocabulary))
            return
        if isinstance(vocabulary, np.ndarray):
            vocabulary = vocabulary.reshape(-1).tolist()
        vocabulary = list(vocabulary)
        if self._is_string():
            vocabulary = to_string_array(vocabulary).reshape(-1).tolist() if vocabulary else []
        else:
            vocabulary = [int(v) for v in vocabulary]
        if idf_weights is not None:
            idf_weights = np.asarray(idf_weights)
        if len(vocabulary) == 0:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        oov_start = self._oov_start_index()
        token_start = self._token_start_index()
        special_tokens = [self.mask_token] * oov_start + [self.oov_token] * self.num_oov_indices
        found_special_tokens = vocabulary[:token_start] == special_tokens
        tokens = vocabulary[token_start:] if found_special_tokens else vocabulary
        counts = collections.Counter(tokens)
        repeated = [t for t, c in counts.items() if c > 1]
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. Please "
                             f"uniquify your dataset. The repeated terms are: {repeated}")
        if self.mask_token is not None and self.mask_token in counts:
            index = [i for i, t in enumerate(vocabulary) if t == self.mask_token][-1]
            raise ValueError(
                "Found reserved mask token at unexpected location in `vocabulary`. Note that "
                "passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {special_tokens}. Received: "
                f"mask_token={self.mask_token} at vocabulary index [{index}]")
        if self.oov_token is not None and self.invert and self.oov_token in counts:
            index = [i for i, t in enumerate(vocabulary) if t == self.oov_token][-1]
            raise ValueError(
                "Found reserved OOV token at unexpected location in `vocabulary`. Note that "
                "passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {special_tokens}. Received: "
                f"oov_token={self.oov_token} at vocabulary index [{index}]")
        new_size = token_start + len(tokens)
        if self.max_tokens is not None and new_size > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab size. "
                             f"Received vocabulary size is {new_size}; `max_tokens` is "
                             f"{self.max_tokens}.")
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf" and idf_weights is not None:
            if len(vocabulary) != len(idf_weights):
                raise ValueError("`idf_weights` must be the same length as vocabulary. "
                                 f"len(idf_weights) is {len(idf_weights)}; len(vocabulary) "
                                 f"is {len(vocabulary)}")
            if idf_weights.ndim != 1:
                raise ValueError("TF-IDF data must be a 1-index array. "
                                 f"Received: type(idf_weights)={type(idf_weights)}")
            if found_special_tokens:
                front, front_value = 0, 0
            else:
                front, front_value = token_start, np.average(idf_weights)
            back = (self.max_tokens - front - len(idf_weights)
                    if self.pad_to_max_tokens and self.max_tokens is not None else 0)
            weights = np.pad(idf_weights, (front, back), "constant",
                             constant_values=(front_value, 0))
            self.idf_weights = weights.astype(backend_config.floatx())

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._token_index = {t: i + start for i, t in enumerate(self._tokens)}
        self._index_token = {i + start: t for i, t in enumerate(self._tokens)}
        self._record_vocabulary_size()

    def _record_vocabulary_size(self):
        if not (self.output_mode == "int" or self.pad_to_max_tokens):
            new_size = self.vocabulary_size()
            if self._frozen_vocab_size is not None and new_size != self._frozen_vocab_size:
                raise RuntimeError(
                    f"When using `output_mode={self.output_mode}` and "
                    "`pad_to_max_tokens=False`, the vocabulary size cannot be changed after "
                    f"the layer is called. Old vocab size is {self._frozen_vocab_size}, new "
                    f"vocab size is {new_size}")
        self._frozen_vocab_size = self.vocabulary_size()

    # ----- adapt -----------------------------------------------------------------------------
    def adapt(self, data, steps=None):
        """Learn the vocabulary (most frequent tokens first) from `data`.

        Args:
            data: an array or list of tokens (each element of a 1D array is
                its own sample), or an iterable of batches.
            steps: how many batches of an iterable to use (default: all).
        """
        self.reset_state()
        if _is_batch_iterable(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            rows = self._rows(data, expand_rank1_to_column=True)
            self._accumulate(rows)
        self.finalize_state()

    def _rows(self, data, expand_rank1_to_column=False):
        """Samples of `data` as a list of token lists."""
        if isinstance(data, (list, tuple)) and is_ragged(list(data)):
            return [self._convert_tokens(r) for r in data]
        if self._is_string():
            arr = to_string_array(data, getattr(self, "encoding", "utf-8"))
        else:
            arr = np.asarray(data)
        if arr.ndim == 0:
            arr = arr.reshape(1, 1)
        elif arr.ndim == 1:
            arr = arr[:, None] if expand_rank1_to_column else arr[None, :]
        return [self._convert_tokens(r) for r in arr.reshape(arr.shape[0], -1)]

    def update_state(self, data):
        """Accumulate the token counts of one batch (rank 1 means one sample)."""
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             "vocabulary via `vocabulary` argument or `set_vocabulary()` "
                             "method.")
        self._accumulate(self._rows(data))

    def _accumulate(self, rows):
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             "vocabulary via `vocabulary` argument or `set_vocabulary()` "
                             "method.")
        for row in rows:
            self._token_counts.update(row)
            if self.output_mode == "tf_idf":
                self._document_counts.update(set(row))
        if self.output_mode == "tf_idf":
            self._num_documents += len(rows)

    def finalize_state(self):
        """Build the vocabulary (and IDF weights) from the accumulated counts."""
        if self._has_input_vocabulary or not self._token_counts:
            self._record_vocabulary_size()
            return
        counts = dict(self._token_counts)
        counts.pop(self.mask_token, None) if self.mask_token is not None else None
        counts.pop(self.oov_token, None) if self.oov_token is not None else None
        ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        token_start = self._token_start_index()
        if self.max_tokens:
            ordered = ordered[:self.max_tokens - token_start]
        tokens = [t for t, _ in ordered]
        if self.output_mode == "tf_idf":
            doc_counts = np.array([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + doc_counts)).astype(
                backend_config.floatx())
            mean = np.mean(idf, dtype=idf.dtype) if idf.size else np.float32(np.nan)
            idf = np.pad(idf, (token_start, 0), constant_values=mean)
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - idf.size), constant_values=0)
            self.idf_weights = idf.astype(backend_config.floatx())
        self._set_tokens(tokens)
        self.reset_state()

    def reset_state(self):
        """Forget the counts accumulated by `update_state`."""
        if self._has_input_vocabulary:
            return
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0

    # ----- call ---------------------------------------------------------------------------
    def _ensure_known_vocab_size(self):
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._frozen_vocab_size is None:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "you must set the layer's vocabulary before calling it. Either pass a "
                "`vocabulary` argument to the layer, or call `adapt` with some sample data.")

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def _lookup_flat(self, keys):
        """Indices (or tokens, when inverted) of a flat list of keys."""
        if self.invert:
            out = [self._index_token.get(int(k), self.oov_token) for k in keys]
            if self.mask_token is not None:
                out = [self.mask_token if int(k) == 0 else o for k, o in zip(keys, out)]
            return out
        num_oov = self.num_oov_indices
        oov_start = self._oov_start_index()
        mask_value = 0 if self.output_mode == "int" else _INT64_MAX
        default = oov_start if num_oov == 1 else -1
        out = np.empty(len(keys), dtype=np.int64)
        missing = []
        for i, k in enumerate(keys):
            if self.mask_token is not None and k == self.mask_token:
                out[i] = mask_value
                continue
            idx = self._token_index.get(k)
            if idx is None:
                out[i] = default
                missing.append(i)
            else:
                out[i] = idx
        if missing and num_oov == 0:
            raise ValueError(
                "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values "
                f"{[keys[i] for i in missing]}, consider setting `num_oov_indices=1`.")
        if missing and num_oov > 1:
            vals = [keys[i] for i in missing]
            if not self._is_string() and self.oov_method != "farmhash":
                buckets = np.mod(np.asarray(vals, dtype=np.int64), num_oov)
            elif self.salt is not None:
                buckets = string_hashing.hash_bucket_strong(np.array(vals, dtype=object),
                                                            num_oov, self.salt)
            else:
                buckets = string_hashing.hash_bucket_fast(np.array(vals, dtype=object), num_oov)
            out[missing] = np.asarray(buckets, dtype=np.int64) + oov_start
        return out

    def _lookup(self, inputs):
        """Lookup of an array (or ragged rows); returns an array (or a list of arrays)."""
        if isinstance(inputs, list) and is_ragged(inputs):
            return [self._lookup(np.asarray(r, dtype=object if self._is_string() else None))
                    for r in inputs]
        if self.invert:
            keys = np.asarray(inputs)
            if keys.dtype.kind not in "iu":
                raise ValueError(f"An inverted {type(self).__name__} expects integer indices, "
                                 f"received an array of dtype {keys.dtype}.")
            flat = self._lookup_flat(keys.reshape(-1).tolist())
            out = np.empty(len(flat), dtype=object if self._is_string() else np.int64)
            out[:] = flat
            return out.reshape(keys.shape)
        keys = self._as_key_array(inputs)
        return self._lookup_flat(keys.reshape(-1).tolist()).reshape(keys.shape)

    def call(self, inputs):
        self._ensure_known_vocab_size()
        lookups = self._lookup(inputs)
        if self.output_mode == "int":
            return lookups
        depth = self._depth()
        if self.output_mode == "tf_idf":
            if self.idf_weights is None:
                raise ValueError("When `output_mode` is `'tf_idf'`, `idf_weights` must be "
                                 "provided.")
            counts = encode_categorical(lookups, "count", depth, backend_config.floatx())
            return counts * self.idf_weights.astype(counts.dtype)
        return encode_categorical(lookups, self.output_mode, depth, "int64")

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self._depth()
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs, *args, **kwargs):
        if self.output_mode == "int":
            dtype = ("string" if self._is_string() else "int64") if self.invert else "int64"
        else:
            # Keras's symbolic spec: floatx for one_hot/multi_hot/count/tf_idf (eager
            # counts come back int64, as TensorFlow's do).
            dtype = backend_config.floatx()
        try:
            return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)
        except ValueError:
            # a "string" dtype the backend does not know (yet): numpy object data
            return KerasTensor(self.compute_output_shape(inputs.shape), dtype="object")

    # ----- config and saving ---------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        config.update({
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": listify(self.input_idf_weights),
            "vocabulary": listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        })
        return config

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf":
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf":
            self.idf_weights = np.asarray(store["idf_weights"], dtype=backend_config.floatx())

    def save_assets(self, dir_path):
        """Write an adapted vocabulary to `dir_path/vocabulary.txt` (Keras' format)."""
        if self.input_vocabulary is not None:
            return
        vocabulary = self.get_vocabulary(include_special_tokens=True)
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in vocabulary))

    def load_assets(self, dir_path):
        """Read back the vocabulary written by `save_assets`."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = lines if self._is_string() else [int(v) for v in lines]
        # the special tokens are written as text; map them back to this layer's values
        values = self._restore_special_tokens(values)
        if self.output_mode == "tf_idf":
            self.set_vocabulary(values, idf_weights=self.idf_weights)
        else:
            self.set_vocabulary(values)

    def _restore_special_tokens(self, values):
        start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices
        head = [str(s) for s in special]
        if [str(v) for v in values[:start]] == head:
            return special + list(values[start:])
        return values


def _is_batch_iterable(data):
    """An iterable of batches (generator, dataset), not an array or list of data."""
    if isinstance(data, (list, tuple, np.ndarray, str, bytes)):
        return False
    if hasattr(data, "__array__"):
        return False
    return hasattr(data, "__iter__")
