"""keras.io text and sequence examples in miniature, on small synthetic data: text
classification from scratch with TextVectorization (as preprocessing and inside an
end-to-end model on raw strings), a bidirectional LSTM on padded integer sequences, a
Transformer block written as custom layers, a character-level LSTM seq2seq with the
inference models rebuilt from the trained layers, the "Understanding masking & padding"
guide, and a Conv1D timeseries classifier trained with checkpoint / LR / early-stopping
callbacks."""
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


# ----- text classification from scratch -------------------------------------------------
_GOOD = ["great", "wonderful", "loved", "superb", "fun"]
_BAD = ["awful", "boring", "hated", "dull", "terrible"]
_FILLER = ["the", "movie", "was", "really", "and", "plot", "a", "story", "acting", "very"]


def _reviews(n, rng):
    """Short reviews whose label is given by one sentiment word among filler words."""
    texts, labels = [], []
    for i in range(n):
        label = int(rng.integers(0, 2))
        words = list(rng.choice(_FILLER, int(rng.integers(3, 8))))
        words.insert(int(rng.integers(0, len(words) + 1)),
                     str(rng.choice(_GOOD if label else _BAD)))
        text = " ".join(words)
        if i % 3 == 0:
            text = text.capitalize() + "!"  # standardization lowercases and strips this
        texts.append(text)
        labels.append(label)
    return np.array(texts), np.array(labels, dtype="int32")


def test_text_classification_from_scratch(tmp_path):
    rng = np.random.default_rng(0)
    x_train, y_train = _reviews(200, rng)
    x_test, y_test = _reviews(40, rng)
    max_features, sequence_length, embedding_dim = 30, 12, 16

    vectorize_layer = layers.TextVectorization(
        max_tokens=max_features, output_mode="int", output_sequence_length=sequence_length)
    vectorize_layer.adapt(x_train)
    vocab = vectorize_layer.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"]
    assert len(vocab) == vectorize_layer.vocabulary_size() <= max_features
    assert set(_GOOD + _BAD) <= set(vocab)
    assert "Plot" not in vocab and "plot" in vocab  # lowercased

    # Option 1: vectorize the data first, train a model on integer sequences.
    train_ids = np.asarray(vectorize_layer(x_train))
    test_ids = np.asarray(vectorize_layer(x_test))
    assert train_ids.shape == (200, sequence_length) and train_ids.dtype == np.int64
    first = x_train[0].lower().rstrip("!").split()
    np.testing.assert_array_equal(train_ids[0, :len(first)], [vocab.index(w) for w in first])
    assert (train_ids[0, len(first):] == 0).all()  # padded with the mask index

    inputs = keras.Input(shape=(None,), dtype="int64")
    x = layers.Embedding(max_features, embedding_dim)(inputs)
    x = layers.Dropout(0.2)(x)
    x = layers.Conv1D(16, 3, padding="valid", activation="relu", strides=1)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(16, activation="relu")(x)
    predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
    model = keras.Model(inputs, predictions)
    assert model.count_params() == (max_features * embedding_dim + 3 * 16 * 16 + 16
                                    + 16 * 16 + 16 + 16 + 1)
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(0.01),
                  metrics=["accuracy"])
    history = model.fit(train_ids, y_train, validation_data=(test_ids, y_test), epochs=8,
                        batch_size=32, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["val_accuracy"][-1] >= 0.9

    # Option 2: an end-to-end model that takes raw strings.
    raw = keras.Input(shape=(1,), dtype="string")
    end_to_end = keras.Model(raw, model(vectorize_layer(raw)))
    end_to_end.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    assert [type(l).__name__ for l in end_to_end.layers] == [
        "InputLayer", "TextVectorization", "Functional"]
    strings = x_test.astype(object)  # a 1D object array of str, as Keras takes it
    loss, accuracy = end_to_end.evaluate(strings, y_test, verbose=0)
    np.testing.assert_allclose([loss, accuracy], model.evaluate(test_ids, y_test, verbose=0),
                               rtol=1e-5)
    probabilities = end_to_end.predict(
        np.array(["a really great and fun movie", "boring, dull and awful!"], dtype=object),
        verbose=0)
    assert probabilities.shape == (2, 1)
    assert probabilities[0, 0] > 0.5 > probabilities[1, 0]

    end_to_end.save(tmp_path / "end_to_end.keras")
    # Its optimizer never stepped, so (as in Keras) there is no optimizer state to restore
    # into the loaded model's optimizer, which the nested model's training built.
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        restored = keras.models.load_model(tmp_path / "end_to_end.keras")
    assert restored.layers[1].get_vocabulary() == vocab
    np.testing.assert_allclose(restored.predict(strings, verbose=0),
                               end_to_end.predict(strings, verbose=0), rtol=1e-5, atol=1e-6)


# ----- bidirectional LSTM on padded integer sequences -----------------------------------
def test_bidirectional_lstm_masks_padding():
    rng = np.random.default_rng(1)
    max_features, maxlen, units, dim = 40, 12, 8, 8
    sequences, labels = [], []
    for _ in range(160):
        n = int(rng.integers(3, maxlen + 1))
        seq = rng.integers(2, max_features, n).tolist()
        label = int(rng.integers(0, 2))
        if label:
            seq[int(rng.integers(0, n))] = 1  # positive reviews contain token 1
        sequences.append(seq)
        labels.append(label)
    y = np.array(labels)
    x = keras.utils.pad_sequences(sequences, maxlen=maxlen)  # "pre" padding
    assert x.shape == (160, maxlen) and x.dtype == np.int32
    assert (x[0, :maxlen - len(sequences[0])] == 0).all()

    inputs = keras.Input(shape=(None,), dtype="int32")
    h = layers.Embedding(max_features, dim, mask_zero=True)(inputs)
    h = layers.Bidirectional(layers.LSTM(units, return_sequences=True))(h)
    h = layers.Bidirectional(layers.LSTM(units))(h)
    outputs = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    lstm_params = lambda d: 4 * units * (d + units + 1)  # noqa: E731
    assert model.count_params() == (max_features * dim + 2 * lstm_params(dim)
                                    + 2 * lstm_params(2 * units) + 2 * units + 1)
    # Both directions own their weights, under distinct paths as in Keras.
    paths = [w.path for w in model.weights]
    assert len(set(paths)) == len(paths)
    assert paths[1:4] == ["bidirectional/forward_lstm/lstm_cell/kernel",
                          "bidirectional/forward_lstm/lstm_cell/recurrent_kernel",
                          "bidirectional/forward_lstm/lstm_cell/bias"]
    assert paths[4] == "bidirectional/backward_lstm/lstm_cell/kernel"

    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=3, validation_split=0.2, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]

    # The mask makes padding invisible: more zeros in front, zeros behind instead of in
    # front, or no padding at all give the same predictions.
    reference = model.predict(x[:6], verbose=0)
    longer = np.concatenate([np.zeros((6, 5), x.dtype), x[:6]], axis=1)
    np.testing.assert_allclose(model.predict(longer, verbose=0), reference, rtol=1e-5, atol=1e-6)
    post = keras.utils.pad_sequences(sequences[:6], maxlen=maxlen, padding="post")
    np.testing.assert_allclose(model.predict(post, verbose=0), reference, rtol=1e-5, atol=1e-6)
    for i in range(3):
        alone = model.predict(np.array([sequences[i]]), verbose=0)
        np.testing.assert_allclose(alone, reference[i:i + 1], rtol=1e-5, atol=1e-6)
    mask = model.layers[1].compute_mask(x[:2])
    np.testing.assert_array_equal(mask, x[:2] != 0)


# ----- text classification with a Transformer ---------------------------------------------
@keras.saving.register_keras_serializable(package="text_scenarios")
class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim, self.num_heads, self.ff_dim, self.rate = embed_dim, num_heads, ff_dim, rate
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)

    def get_config(self):
        config = super().get_config()
        config.update({"embed_dim": self.embed_dim, "num_heads": self.num_heads,
                       "ff_dim": self.ff_dim, "rate": self.rate})
        return config


class TokenAndPositionEmbedding(layers.Layer):  # not registered: load with custom_objects
    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.vocab_size, self.embed_dim = maxlen, vocab_size, embed_dim
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions

    def get_config(self):
        config = super().get_config()
        config.update({"maxlen": self.maxlen, "vocab_size": self.vocab_size,
                       "embed_dim": self.embed_dim})
        return config


def test_transformer_text_classifier_custom_layers(tmp_path):
    vocab_size, maxlen, embed_dim, num_heads, ff_dim = 30, 10, 8, 2, 16
    rng = np.random.default_rng(2)
    x = rng.integers(4, vocab_size, (192, maxlen))
    y = rng.integers(0, 2, 192).astype("int32")
    x[np.arange(192), rng.integers(0, maxlen, 192)] = 2 + y  # token 3 positive, 2 negative

    inputs = layers.Input(shape=(maxlen,))
    embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
    h = embedding_layer(inputs)
    transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
    h = transformer_block(h)
    h = layers.GlobalAveragePooling1D()(h)
    h = layers.Dropout(0.1)(h)
    h = layers.Dense(8, activation="relu")(h)
    h = layers.Dropout(0.1)(h)
    outputs = layers.Dense(2, activation="softmax")(h)
    model = keras.Model(inputs=inputs, outputs=outputs)

    projections = 3 * (embed_dim * num_heads * embed_dim + num_heads * embed_dim)
    attention = projections + num_heads * embed_dim * embed_dim + embed_dim
    ffn = embed_dim * ff_dim + ff_dim + ff_dim * embed_dim + embed_dim
    assert transformer_block.count_params() == attention + ffn + 4 * embed_dim
    assert embedding_layer.count_params() == (vocab_size + maxlen) * embed_dim
    assert model.count_params() == (attention + ffn + 4 * embed_dim
                                    + (vocab_size + maxlen) * embed_dim + 8 * 8 + 8 + 8 * 2 + 2)
    paths = [w.path for w in transformer_block.weights]
    assert paths[0] == "transformer_block/multi_head_attention/query/kernel"
    assert "transformer_block/sequential/dense/kernel" in paths
    assert transformer_block.get_config()["ff_dim"] == ff_dim
    twin = TransformerBlock.from_config(transformer_block.get_config())
    assert (twin.embed_dim, twin.num_heads, twin.rate) == (embed_dim, num_heads, 0.1)
    assert keras.saving.get_registered_name(TransformerBlock) == "text_scenarios>TransformerBlock"

    model.compile(optimizer=keras.optimizers.Adam(0.005), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=15, validation_split=0.25, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] >= 0.9

    probabilities = model.predict(x[:8], verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    model.save(tmp_path / "transformer.keras")
    with pytest.raises(TypeError, match="TokenAndPositionEmbedding"):
        keras.models.load_model(tmp_path / "transformer.keras")
    restored = keras.models.load_model(
        tmp_path / "transformer.keras",
        custom_objects={"TokenAndPositionEmbedding": TokenAndPositionEmbedding})
    assert isinstance(restored.layers[1], TokenAndPositionEmbedding)
    assert isinstance(restored.layers[2], TransformerBlock)
    np.testing.assert_allclose(restored.predict(x[:8], verbose=0), probabilities,
                               rtol=1e-5, atol=1e-6)
    with keras.saving.custom_object_scope(
            {"TokenAndPositionEmbedding": TokenAndPositionEmbedding}):
        scoped = keras.models.load_model(tmp_path / "transformer.keras")
    np.testing.assert_allclose(scoped.predict(x[:8], verbose=0), probabilities,
                               rtol=1e-5, atol=1e-6)


# ----- character-level sequence-to-sequence ------------------------------------------------
def _reversal_corpus(n, rng):
    """Source: words over "abcde"; target: the word reversed, between "\\t" and "\\n"."""
    inputs = ["".join(rng.choice(list("abcde"), int(rng.integers(2, 5)))) for _ in range(n)]
    targets = ["\t" + s[::-1] + "\n" for s in inputs]
    input_chars = sorted(set("".join(inputs)) | {" "})
    target_chars = sorted(set("".join(targets)) | {" "})
    max_enc = max(len(s) for s in inputs)
    max_dec = max(len(s) for s in targets)
    in_index = {c: i for i, c in enumerate(input_chars)}
    out_index = {c: i for i, c in enumerate(target_chars)}
    enc = np.zeros((n, max_enc, len(input_chars)), dtype="float32")
    dec = np.zeros((n, max_dec, len(target_chars)), dtype="float32")
    dec_target = np.zeros((n, max_dec, len(target_chars)), dtype="float32")
    for i, (src, tgt) in enumerate(zip(inputs, targets)):
        for t, char in enumerate(src):
            enc[i, t, in_index[char]] = 1.0
        enc[i, t + 1:, in_index[" "]] = 1.0
        for t, char in enumerate(tgt):
            dec[i, t, out_index[char]] = 1.0
            if t > 0:  # the target is the decoder input one step ahead
                dec_target[i, t - 1, out_index[char]] = 1.0
        dec[i, t + 1:, out_index[" "]] = 1.0
        dec_target[i, t:, out_index[" "]] = 1.0
    return inputs, enc, dec, dec_target, out_index


def test_character_level_seq2seq_and_step_by_step_decoding(tmp_path):
    rng = np.random.default_rng(3)
    words, enc, dec, dec_target, out_index = _reversal_corpus(200, rng)
    num_enc, num_dec, latent_dim = enc.shape[-1], dec.shape[-1], 32

    encoder_inputs = keras.Input(shape=(None, num_enc))
    encoder = layers.LSTM(latent_dim, return_state=True)
    encoder_outputs, state_h, state_c = encoder(encoder_inputs)
    encoder_states = [state_h, state_c]
    decoder_inputs = keras.Input(shape=(None, num_dec))
    decoder_lstm = layers.LSTM(latent_dim, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
    decoder_dense = layers.Dense(num_dec, activation="softmax")
    decoder_outputs = decoder_dense(decoder_outputs)
    model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
    assert [type(l).__name__ for l in model.layers] == [
        "InputLayer", "InputLayer", "LSTM", "LSTM", "Dense"]
    assert model.count_params() == (4 * latent_dim * (num_enc + latent_dim + 1)
                                    + 4 * latent_dim * (num_dec + latent_dim + 1)
                                    + latent_dim * num_dec + num_dec)

    # keras.io trains with RMSprop for 100 epochs; Adam gets there in 40 on this small set.
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit([enc, dec], dec_target, batch_size=32, epochs=40, validation_split=0.2,
                        verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]
    assert history.history["val_accuracy"][-1] > 0.95
    model.save(tmp_path / "s2s.keras")

    # Inference: rebuild encoder and decoder models from the restored model's layers.
    model = keras.models.load_model(tmp_path / "s2s.keras")
    encoder_inputs = model.input[0]
    encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output
    assert [tuple(t.shape) for t in model.layers[2].output] == [(None, latent_dim)] * 3
    encoder_model = keras.Model(encoder_inputs, [state_h_enc, state_c_enc])
    decoder_inputs = model.input[1]
    decoder_state_input_h = keras.Input(shape=(latent_dim,))
    decoder_state_input_c = keras.Input(shape=(latent_dim,))
    decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
    decoder_lstm = model.layers[3]
    decoder_outputs, state_h_dec, state_c_dec = decoder_lstm(
        decoder_inputs, initial_state=decoder_states_inputs)
    decoder_outputs = model.layers[4](decoder_outputs)
    decoder_model = keras.Model([decoder_inputs] + decoder_states_inputs,
                                [decoder_outputs, state_h_dec, state_c_dec])
    assert decoder_model.count_params() == (4 * latent_dim * (num_dec + latent_dim + 1)
                                            + latent_dim * num_dec + num_dec)

    # Fed the teacher-forcing inputs one step at a time, the decoder reproduces the
    # full-sequence predictions of the training model.
    states = encoder_model.predict(enc[:1], verbose=0)
    assert isinstance(states, list) and states[0].shape == (1, latent_dim)
    full = model.predict([enc[:1], dec[:1]], verbose=0)[0]
    steps = []
    for t in range(dec.shape[1]):
        out, h, c = decoder_model.predict([dec[:1, t:t + 1]] + states, verbose=0)
        states = [h, c]
        steps.append(out[0, 0])
    np.testing.assert_allclose(np.array(steps), full, rtol=1e-4, atol=1e-5)

    reverse_index = {i: c for c, i in out_index.items()}

    def decode_sequence(input_seq):
        states_value = encoder_model.predict(input_seq, verbose=0)
        target_seq = np.zeros((1, 1, num_dec), dtype="float32")
        target_seq[0, 0, out_index["\t"]] = 1.0
        decoded = ""
        while True:
            output_tokens, h, c = decoder_model.predict([target_seq] + states_value, verbose=0)
            sampled = int(np.argmax(output_tokens[0, -1, :]))
            char = reverse_index[sampled]
            if char == "\n" or len(decoded) > dec.shape[1]:
                return decoded
            decoded += char
            target_seq = np.zeros((1, 1, num_dec), dtype="float32")
            target_seq[0, 0, sampled] = 1.0
            states_value = [h, c]

    decoded = [decode_sequence(enc[i:i + 1]) for i in range(12)]
    assert all(set(d) <= set("abcde ") for d in decoded)
    assert sum(d == w[::-1] for d, w in zip(decoded, words)) >= 10  # words come back reversed


# ----- "Understanding masking & padding" ------------------------------------------------------
class TemporalSplit(layers.Layer):
    """Splits the input in two halves along time, and the mask with it."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


class CustomEmbedding(layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim, self.mask_zero = input_dim, output_dim, mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer="random_normal", dtype="float32")

    def call(self, inputs):
        return ops.take(self.embeddings, ops.cast(inputs, "int32"), axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)


class MyActivation(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the mask passes through unchanged

    def call(self, inputs):
        return ops.relu(inputs)


class TemporalSoftmax(layers.Layer):
    """Softmax over the unmasked timesteps of each sequence."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None  # holds while the Functional model is built, too
        broadcast_float_mask = ops.expand_dims(ops.cast(mask, "float32"), -1)
        inputs_exp = ops.exp(inputs) * broadcast_float_mask
        inputs_sum = ops.sum(inputs_exp, axis=1, keepdims=True)
        return inputs_exp / inputs_sum


def test_masking_and_padding_guide():
    raw_inputs = [[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]]
    padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")
    np.testing.assert_array_equal(padded_inputs[0], [711, 632, 71, 0, 0, 0])
    np.testing.assert_array_equal(  # "pre" truncation keeps the last `maxlen` items
        keras.utils.pad_sequences(raw_inputs, maxlen=4, value=-1)[:, 0], [-1, 8, 1])

    embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
    masked_output = embedding(padded_inputs)
    assert masked_output.shape == (3, 6, 16)
    expected_mask = padded_inputs != 0
    np.testing.assert_array_equal(embedding.compute_mask(padded_inputs), expected_mask)

    masking_layer = layers.Masking()
    unmasked_embedding = ops.cast(
        ops.tile(ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), dtype="float32")
    masking_layer(unmasked_embedding)
    np.testing.assert_array_equal(masking_layer.compute_mask(unmasked_embedding), expected_mask)

    # Symbolic tensors carry their mask as `_keras_mask`; layers pass it on.
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
    assert x._keras_mask.shape == (None, None) and x._keras_mask.dtype == "bool"
    x = MyActivation()(x)
    assert x._keras_mask is not None
    outputs = layers.LSTM(32)(x)
    assert getattr(outputs, "_keras_mask", None) is None  # the LSTM consumed it
    model = keras.Model(inputs, outputs)
    assert model(np.random.randint(0, 5000, size=(4, 10))).shape == (4, 32)
    first_half, second_half = TemporalSplit()(layers.Embedding(10, 4, mask_zero=True)(
        keras.Input(shape=(6,), dtype="int32")))
    assert first_half.shape == second_half.shape == (None, 3, 4)
    assert first_half._keras_mask.shape == (None, 3)

    # Eagerly, a sub-classed layer hands the mask on by hand.
    class MyLayer(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
            self.lstm = layers.LSTM(32)

        def call(self, inputs):
            x = self.embedding(inputs)
            mask = self.embedding.compute_mask(inputs)
            return self.lstm(x, mask=mask)

    layer = MyLayer()
    ids = np.array([[5, 9, 0, 0], [7, 0, 0, 0]])
    out = layer(ids)
    assert out.shape == (2, 32)
    np.testing.assert_allclose(layer(ids[:, :2])[0], out[0], rtol=1e-5, atol=1e-6)

    halves = TemporalSplit()(masked_output)
    assert [h.shape for h in halves] == [(3, 3, 16), (3, 3, 16)]
    mask_halves = TemporalSplit().compute_mask(masked_output, embedding.compute_mask(padded_inputs))
    np.testing.assert_array_equal(mask_halves[1], expected_mask[:, 3:])

    custom = CustomEmbedding(10, 32, mask_zero=True)
    ids = np.array([[1, 4, 0], [0, 2, 3]])
    assert custom(ids).shape == (2, 3, 32)
    np.testing.assert_array_equal(custom.compute_mask(ids), ids != 0)
    assert CustomEmbedding(10, 32).compute_mask(ids) is None

    # A layer that consumes the mask in `call`, inside a Functional model.
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
    x = layers.Dense(1)(x)
    outputs = TemporalSoftmax()(x)
    model = keras.Model(inputs, outputs)
    data = np.array([[3, 4, 0, 0], [5, 0, 0, 0], [1, 2, 3, 4]])
    weights = model.predict(data, verbose=0)[..., 0]
    np.testing.assert_array_equal(weights[data == 0], 0.0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(weights[1, 0], 1.0)

    # Masking + LSTM: masked timesteps are skipped wherever they are.
    model = keras.Sequential([keras.Input((4, 2)), layers.Masking(mask_value=0.0),
                              layers.LSTM(3)])
    a = np.array([[[1, 2], [3, 4], [0, 0], [0, 0]]], "float32")
    b = np.array([[[1, 2], [0, 0], [3, 4], [0, 0]]], "float32")
    c = np.array([[[1, 2], [3, 4], [5, 6], [0, 0]]], "float32")
    np.testing.assert_allclose(model(a), model(b), rtol=1e-6)
    assert not np.allclose(model(a), model(c))


# ----- timeseries classification from scratch -------------------------------------------------
def _waves(n, rng, length=32):
    """Noisy sines of three frequencies; the class is the frequency."""
    y = rng.integers(0, 3, n)
    t = np.linspace(0.0, 1.0, length)
    freq = np.array([2.0, 4.0, 8.0])[y]
    x = np.sin(2 * np.pi * freq[:, None] * t[None] + rng.uniform(0, 2 * np.pi, (n, 1)))
    x = x + 0.3 * rng.standard_normal((n, length))
    return x.astype("float32")[..., None], y


def make_model(input_shape, num_classes):
    input_layer = keras.layers.Input(input_shape)
    conv1 = keras.layers.Conv1D(filters=8, kernel_size=3, padding="same")(input_layer)
    conv1 = keras.layers.BatchNormalization(momentum=0.9)(conv1)
    conv1 = keras.layers.ReLU()(conv1)
    conv2 = keras.layers.Conv1D(filters=8, kernel_size=3, padding="same")(conv1)
    conv2 = keras.layers.BatchNormalization(momentum=0.9)(conv2)
    conv2 = keras.layers.ReLU()(conv2)
    gap = keras.layers.GlobalAveragePooling1D()(conv2)
    output_layer = keras.layers.Dense(num_classes, activation="softmax")(gap)
    return keras.models.Model(inputs=input_layer, outputs=output_layer)


def test_timeseries_classification_with_callbacks(tmp_path):
    rng = np.random.default_rng(6)
    x_train, y_train = _waves(200, rng)
    x_test, y_test = _waves(40, rng)
    model = make_model(x_train.shape[1:], 3)
    assert model.count_params() == (3 * 8 + 8) + 4 * 8 + (3 * 8 * 8 + 8) + 4 * 8 + 8 * 3 + 3
    assert len(model.non_trainable_weights) == 4  # the moving statistics

    best_path = os.path.join(tmp_path, "best_model.keras")
    epochs, patience = 40, 3
    # The keras.io example waits 20 and 50 epochs; on this small, easy set a loss that
    # no longer improves by 0.01 counts as a plateau.
    callbacks = [
        keras.callbacks.ModelCheckpoint(best_path, save_best_only=True, monitor="val_loss"),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1,
                                          min_delta=0.01, min_lr=0.0001),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, min_delta=0.01,
                                      verbose=0),
    ]
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=epochs, callbacks=callbacks,
                        validation_split=0.2, verbose=0).history
    assert sorted(history) == ["learning_rate", "loss", "sparse_categorical_accuracy",
                               "val_loss", "val_sparse_categorical_accuracy"]

    # ReduceLROnPlateau halved the rate on the plateau; EarlyStopping ended the run
    # `patience` epochs after the last epoch that improved by `min_delta`.
    rates = np.array(history["learning_rate"])
    steps = np.diff(rates)
    assert rates[0] == pytest.approx(0.05) and np.all(steps <= 0) and np.any(steps < 0)
    np.testing.assert_allclose(rates[1:][steps < 0] / rates[:-1][steps < 0], 0.5, rtol=1e-6)
    n_run = len(history["loss"])
    early_stopping = callbacks[2]
    assert n_run < epochs and early_stopping.stopped_epoch == n_run - 1
    assert early_stopping.stopped_epoch == early_stopping.best_epoch + patience
    assert early_stopping.best == history["val_loss"][early_stopping.best_epoch]

    # The checkpoint holds the best epoch's model: it scores that epoch's val_loss.
    best_model = keras.models.load_model(best_path)
    x_val, y_val = x_train[160:], y_train[160:]
    val_loss, _ = best_model.evaluate(x_val, y_val, verbose=0)
    assert val_loss == pytest.approx(min(history["val_loss"]), rel=1e-4)
    test_scores = best_model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    assert test_scores["sparse_categorical_accuracy"] >= 0.8
