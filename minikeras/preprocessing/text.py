"""`keras.preprocessing.text`: the legacy (Keras 1/2) text utilities.

`Tokenizer`, `text_to_word_sequence`, `one_hot`, `hashing_trick` and
`tokenizer_from_json`, as tf.keras 3 still exports them. New code should use
the `TextVectorization` layer; these exist so that Keras-2-era tutorials
(`Tokenizer` + `pad_sequences` + `Embedding`) run unchanged. Word indices,
counts and matrices follow the Keras implementation exactly; matrices come
out in `floatx()` instead of float64.
"""
import collections
import hashlib
import json
import warnings

import numpy as np

from minikeras.backend import config

__all__ = ["Tokenizer", "hashing_trick", "one_hot", "text_to_word_sequence",
           "tokenizer_from_json"]

_DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MATRIX_MODES = ("binary", "count", "tfidf", "freq")


def _check_text(text, where):
    if not isinstance(text, str):
        raise TypeError(
            f"`{where}` expects a string. Received: {text!r} of type "
            f"{type(text).__name__}")


def text_to_word_sequence(input_text, filters=_DEFAULT_FILTERS, lower=True,
                          split=" "):
    """Converts a text to a sequence of words (or tokens).

    DEPRECATED: prefer `keras.layers.TextVectorization`.

    Every character of `filters` is replaced by `split`, then the text is
    split on `split` and empty tokens are dropped.

    >>> keras.preprocessing.text.text_to_word_sequence("Hello, World!")
    ['hello', 'world']

    Args:
        input_text: Input text (string).
        filters: String of characters to filter out (punctuation, tabs and
            line breaks by default).
        lower: Whether to convert the input to lowercase.
        split: Separator for word splitting.

    Returns:
        A list of words (or tokens).
    """
    _check_text(input_text, "text_to_word_sequence")
    if lower:
        input_text = input_text.lower()
    # One translation pass turns every filtered character into a separator.
    table = str.maketrans({c: split for c in filters})
    return [w for w in input_text.translate(table).split(split) if w]


def one_hot(input_text, n, filters=_DEFAULT_FILTERS, lower=True, split=" ",
            analyzer=None):
    """One-hot encodes a text into a list of word indexes of size `n`.

    DEPRECATED: prefer `keras.layers.Hashing`.

    This is `hashing_trick` with Python's built-in `hash`: indices are in
    `[1, n - 1]`; distinct words may share an index. Python salts `hash` for
    strings per process (`PYTHONHASHSEED`), so indices are only stable within
    one process.

    Args:
        input_text: Input text (string).
        n: int. Size of vocabulary.
        filters: String of characters to filter out.
        lower: Whether to set the text to lowercase.
        split: Separator for word splitting.
        analyzer: Optional callable turning the text into a list of tokens,
            used instead of `filters`/`lower`/`split`.

    Returns:
        List of integers in `[1, n - 1]`, one per word.
    """
    return hashing_trick(input_text, n, hash_function=hash, filters=filters,
                         lower=lower, split=split, analyzer=analyzer)


def _md5_hash(word):
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(text, n, hash_function=None, filters=_DEFAULT_FILTERS,
                  lower=True, split=" ", analyzer=None):
    """Converts a text to a sequence of indexes in a fixed-size hashing space.

    DEPRECATED: prefer `keras.layers.Hashing`.

    Each word `w` maps to `hash_function(w) % (n - 1) + 1`; index 0 is left
    free (it is the padding index). Collisions between words are possible.

    Args:
        text: Input text (string).
        n: Dimension of the hashing space (an int >= 2).
        hash_function: Defaults to Python's `hash` (not stable across
            processes). `"md5"` gives a stable hash; any callable taking a
            string and returning an int also works.
        filters: String of characters to filter out.
        lower: Whether to set the text to lowercase.
        split: Separator for word splitting.
        analyzer: Optional callable turning the text into a list of tokens.

    Returns:
        A list of integer word indices (unicity non-guaranteed).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(
            f"`n` (the size of the hashing space) must be an int >= 2. "
            f"Received: n={n!r}")
    if hash_function is None:
        hash_function = hash
    elif isinstance(hash_function, str):
        if hash_function != "md5":
            raise ValueError(
                f"`hash_function` must be None, 'md5' or a callable. "
                f"Received: hash_function={hash_function!r}")
        hash_function = _md5_hash
    if analyzer is None:
        seq = text_to_word_sequence(text, filters=filters, lower=lower,
                                    split=split)
    else:
        seq = analyzer(text)
    return [hash_function(w) % (n - 1) + 1 for w in seq]


class Tokenizer:
    """Text tokenization utility class.

    DEPRECATED: prefer `keras.layers.TextVectorization`.

    This class allows to vectorize a text corpus, by turning each text into
    either a sequence of integers (each integer being the index of a token
    in a dictionary) or into a vector where the coefficient for each token
    could be binary, based on word count, based on tf-idf...

    Words are indexed by decreasing frequency in the texts given to
    `fit_on_texts` (ties keep the order of first appearance), starting at 1:
    index 0 is reserved and never assigned to a word. With an `oov_token`,
    it takes index 1.

    Example:

    ```python
    tokenizer = keras.preprocessing.text.Tokenizer(num_words=100,
                                                   oov_token="<OOV>")
    tokenizer.fit_on_texts(["the cat sat", "the dog ran"])
    seqs = tokenizer.texts_to_sequences(["the cat ran away"])
    # [[2, 3, 6, 1]]
    ```

    Args:
        num_words: The maximum number of words to keep, based on word
            frequency. Only the most common `num_words - 1` words (indices
            below `num_words`) are kept when converting texts; the word index
            itself holds every word seen.
        filters: A string where each element is a character that will be
            filtered from the texts. The default is all punctuation, plus
            tabs and line breaks, minus the `'` character.
        lower: Boolean. Whether to convert the texts to lowercase.
        split: String. Separator for word splitting.
        char_level: If True, every character will be treated as a token
            (`filters` is not applied).
        oov_token: If given, it will be added to `word_index` (at index 1)
            and used to replace out-of-vocabulary words during
            `texts_to_sequences` calls.
        analyzer: Optional callable turning a text into a list of tokens,
            used instead of `filters`/`lower`/`split`.
        **kwargs: `document_count` (restores a count), and Keras 1's
            `nb_words` (the old name of `num_words`).
    """

    def __init__(self, num_words=None, filters=_DEFAULT_FILTERS, lower=True,
                 split=" ", char_level=False, oov_token=None, analyzer=None,
                 **kwargs):
        if "nb_words" in kwargs:
            warnings.warn("The `nb_words` argument in `Tokenizer` has been "
                          "renamed `num_words`.")
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text):
        # A pre-tokenized text (a list) and char-level strings skip the
        # filters; only lowercasing applies to them.
        if self.char_level or isinstance(text, list):
            if self.lower:
                if isinstance(text, list):
                    return [t.lower() for t in text]
                return text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters,
                                     lower=self.lower, split=self.split)

    def fit_on_texts(self, texts):
        """Updates internal vocabulary based on a list of texts.

        Required before using `texts_to_sequences` or `texts_to_matrix`.

        Args:
            texts: Can be a list of strings, a generator of strings (for
                memory-efficiency), or a list of lists of strings (texts
                already split into tokens).
        """
        for text in texts:
            self.document_count += 1
            seq = self._tokens(text)
            for w in seq:
                self.word_counts[w] = self.word_counts.get(w, 0) + 1
            for w in set(seq):
                self.word_docs[w] += 1
        # Stable sort: equally frequent words keep their first-seen order.
        ranked = sorted(self.word_counts.items(), key=lambda wc: wc[1],
                        reverse=True)
        vocab = [] if self.oov_token is None else [self.oov_token]
        vocab.extend(w for w, _ in ranked)
        self.word_index = {w: i for i, w in enumerate(vocab, start=1)}
        self.index_word = {i: w for w, i in self.word_index.items()}
        for w, c in list(self.word_docs.items()):
            self.index_docs[self.word_index[w]] = c

    def fit_on_sequences(self, sequences):
        """Updates internal document counts based on a list of sequences.

        Required before using `sequences_to_matrix` in `"tfidf"` mode when
        `fit_on_texts` was never called.

        Args:
            sequences: A list of sequences (lists of integer word indices).
        """
        self.document_count += len(sequences)
        for seq in sequences:
            for i in set(seq):
                self.index_docs[i] += 1

    def texts_to_sequences(self, texts):
        """Transforms each text in `texts` to a sequence of integers.

        Only the top `num_words - 1` most frequent words are taken into
        account; other words become the `oov_token` index if there is one,
        and are dropped otherwise.

        Args:
            texts: A list of texts (strings or lists of tokens).

        Returns:
            A list of sequences (lists of ints).
        """
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Transforms each text in `texts` to a sequence of integers.

        The generator form of `texts_to_sequences`.

        Args:
            texts: A list of texts (strings or lists of tokens).

        Yields:
            Yields individual sequences (lists of ints).
        """
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            vect = []
            for w in self._tokens(text):
                i = self.word_index.get(w)
                if i is None or (num_words and i >= num_words):
                    # Unknown or too rare: the OOV index if there is one.
                    if oov_index is not None:
                        vect.append(oov_index)
                else:
                    vect.append(i)
            yield vect

    def sequences_to_texts(self, sequences):
        """Transforms each sequence of integers into a text.

        Only the top `num_words - 1` most frequent words are taken into
        account; other indices become the `oov_token` if there is one, and
        are dropped otherwise.

        Args:
            sequences: A list of sequences (lists of ints).

        Returns:
            A list of texts (strings), words joined by single spaces.
        """
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Transforms each sequence of integers into a text.

        The generator form of `sequences_to_texts`.

        Args:
            sequences: A list of sequences (lists of ints).

        Yields:
            Yields individual texts.
        """
        num_words = self.num_words
        oov_index = self.word_index.get(self.oov_token)
        oov_word = None if oov_index is None else self.index_word[oov_index]
        for seq in sequences:
            vect = []
            for num in seq:
                word = self.index_word.get(num)
                if word is None or (num_words and num >= num_words):
                    if oov_word is not None:
                        vect.append(oov_word)
                else:
                    vect.append(word)
            yield " ".join(vect)

    def texts_to_matrix(self, texts, mode="binary"):
        """Converts a list of texts to a NumPy matrix.

        Args:
            texts: A list of texts (strings or lists of tokens).
            mode: One of `"binary"`, `"count"`, `"tfidf"`, `"freq"`.

        Returns:
            A NumPy matrix of shape `(len(texts), num_words)` in `floatx()`.
        """
        return self.sequences_to_matrix(self.texts_to_sequences(texts),
                                        mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """Converts a list of sequences into a NumPy matrix.

        Row `i`, column `j` describes word index `j` in sequence `i`:
        `"binary"` (1 if present), `"count"` (occurrences), `"freq"`
        (occurrences / length of the sequence) or `"tfidf"`
        (`(1 + log(count)) * log(1 + document_count / (1 + docs with j))`).
        Indices `>= num_words` are ignored.

        Args:
            sequences: A list of sequences (lists of ints).
            mode: One of `"binary"`, `"count"`, `"tfidf"`, `"freq"`.

        Returns:
            A NumPy matrix of shape `(len(sequences), num_words)` in
            `floatx()`; without `num_words`, its width is
            `len(word_index) + 1`.

        Raises:
            ValueError: In case of invalid `mode` argument, or if the
                Tokenizer requires to be fit to sample data.
        """
        if mode not in _MATRIX_MODES:
            raise ValueError(
                f"Unknown vectorization mode: {mode!r}. Expected one of "
                f"{_MATRIX_MODES}.")
        if self.num_words:
            num_words = self.num_words
        elif self.word_index:
            num_words = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (`num_words` argument), "
                             "or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError(
                "Fit the Tokenizer on some data before using tfidf mode.")
        x = np.zeros((len(sequences), num_words), dtype=config.floatx())
        for i, seq in enumerate(sequences):
            if not len(seq):
                continue
            counts = collections.Counter(j for j in seq if j < num_words)
            for j, c in counts.items():
                if mode == "count":
                    x[i, j] = c
                elif mode == "freq":
                    # The length counts the ignored indices too, as in Keras.
                    x[i, j] = c / len(seq)
                elif mode == "binary":
                    x[i, j] = 1
                else:
                    # tf-idf weighting scheme 2 (log-normalised tf, smooth
                    # idf), in float64 before the store, as Keras computes it.
                    tf = 1.0 + np.log(c)
                    idf = np.log(1.0 + self.document_count
                                 / (1 + self.index_docs.get(j, 0)))
                    x[i, j] = tf * idf
        return x

    def get_config(self):
        """Returns the tokenizer configuration as Python dictionary.

        The word count dictionaries of the tokenizer are serialized into
        plain JSON, so that the configuration can be read by other projects.

        Returns:
            A Python dictionary with the tokenizer configuration.
        """
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """Returns a JSON string containing the tokenizer configuration.

        To load a tokenizer from a JSON string, use
        `keras.preprocessing.text.tokenizer_from_json(json_string)`.

        Args:
            **kwargs: Additional keyword arguments to be passed to
                `json.dumps()`.

        Returns:
            A JSON string containing the tokenizer configuration.
        """
        return json.dumps({"class_name": type(self).__name__,
                           "config": self.get_config()}, **kwargs)


def tokenizer_from_json(json_string):
    """Parses a JSON tokenizer configuration and returns a tokenizer instance.

    DEPRECATED.

    Args:
        json_string: JSON string encoding a tokenizer configuration, as
            written by `Tokenizer.to_json()` (here or in Keras).

    Returns:
        A Keras Tokenizer instance.
    """
    tokenizer_config = json.loads(json_string)
    if not isinstance(tokenizer_config, dict) or not isinstance(
            tokenizer_config.get("config"), dict):
        raise ValueError(
            "`tokenizer_from_json` expects the JSON written by "
            "`Tokenizer.to_json()`: an object with a 'config' object. "
            f"Received: {json_string[:200]!r}")
    config_ = dict(tokenizer_config["config"])
    word_counts = json.loads(config_.pop("word_counts"))
    word_docs = json.loads(config_.pop("word_docs"))
    # JSON turned the integer keys into strings.
    index_docs = {int(k): v for k, v in
                  json.loads(config_.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in
                  json.loads(config_.pop("index_word")).items()}
    word_index = json.loads(config_.pop("word_index"))
    tokenizer = Tokenizer(**config_)
    # The original containers' types, so that fitting further keeps working.
    tokenizer.word_counts = collections.OrderedDict(word_counts)
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
