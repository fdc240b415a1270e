"""A small transformer block trained with `fit`: Embedding + a learned position
embedding + causal MultiHeadAttention + LayerNormalization + Dense learns to
output, at every position, the token one step earlier (which only attention
to the previous position can give). The causal mask is checked by changing
future tokens: earlier predictions must not move."""
import numpy as np

import minikeras as keras
from minikeras.layers.attention.multi_head_attention import MultiHeadAttention
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.embedding import Embedding
from minikeras.layers.layer import Layer
from minikeras.layers.merging.add import Add
from minikeras.layers.normalization.layer_normalization import LayerNormalization

VOCAB, LENGTH, DIM = 8, 8, 32


class PositionEmbedding(Layer):
    """Adds a learned vector per position."""

    def build(self, input_shape):
        self.positions = self.add_weight(shape=(input_shape[1], input_shape[2]),
                                         initializer="random_normal", name="positions")

    def call(self, inputs):
        return inputs + self.positions.value

    def compute_output_shape(self, input_shape):
        return input_shape


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, VOCAB, size=(n, LENGTH)).astype("int32")
    y = np.concatenate([np.zeros((n, 1), "int32"), x[:, :-1]], axis=1)  # previous token
    return x, y


def build_model():
    inp = keras.Input((LENGTH,), dtype="int32")
    x = PositionEmbedding()(Embedding(VOCAB, DIM)(inp))
    a = MultiHeadAttention(num_heads=2, key_dim=16)(x, x, use_causal_mask=True)
    x = LayerNormalization()(Add()([x, a]))
    f = Dense(DIM)(Dense(64, activation="relu")(x))
    x = LayerNormalization()(Add()([x, f]))
    out = Dense(VOCAB, activation="softmax")(x)
    return keras.Model(inp, out)


def test_transformer_block_learns_previous_token_with_causal_mask():
    keras.utils.set_random_seed(0)
    x, y = make_data(2048, seed=1)
    x_test, y_test = make_data(256, seed=2)
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=64, epochs=6, verbose=0)
    assert history.history["loss"][-1] < 0.25 * history.history["loss"][0]
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy > 0.95, accuracy

    probs = model.predict(x_test[:16], verbose=0)
    changed = x_test[:16].copy()
    changed[:, 5:] = (changed[:, 5:] % (VOCAB - 1)) + 1  # new tokens at positions 5..7
    again = model.predict(changed, verbose=0)
    np.testing.assert_allclose(again[:, :5], probs[:, :5], rtol=1e-5, atol=1e-6)
    assert np.abs(again[:, 6:] - probs[:, 6:]).max() > 1e-2
