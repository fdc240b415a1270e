"""keras.io computer-vision examples in miniature, on synthetic images: "Simple MNIST
convnet", "Image classification from scratch" (augmentation inside the model, a small
Xception-style residual network), "Convolutional autoencoder for image denoising",
"Variational AutoEncoder" (custom train_step) and transfer learning / fine-tuning with a
frozen base holding BatchNormalization. The printed tables were recorded with Keras 3."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import GradientTape, layers, ops


@pytest.fixture
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def _blob_images(n, size, channels, classes, seed=0):
    """Class k puts a bright square at the k-th spot of a grid, over noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    x = rng.random((n, size, size, channels)).astype("float32") * 0.3
    cells = int(np.ceil(np.sqrt(classes)))
    step = size // cells
    for i, k in enumerate(y):
        r, c = (k // cells) * step, (k % cells) * step
        x[i, r:r + step, c:c + step] += 0.7
    return x, y


# ---------------------------------------------------------------- Simple MNIST convnet

# keras 3 prints this for the model below (terminal 200 columns wide).
MNIST_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                      │ (None, 26, 26, 32)          │             320 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ max_pooling2d (MaxPooling2D)         │ (None, 13, 13, 32)          │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ conv2d_1 (Conv2D)                    │ (None, 11, 11, 64)          │          18,496 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ max_pooling2d_1 (MaxPooling2D)       │ (None, 5, 5, 64)            │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ flatten (Flatten)                    │ (None, 1600)                │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dropout (Dropout)                    │ (None, 1600)                │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense (Dense)                        │ (None, 10)                  │          16,010 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 34,826 (136.04 KB)
 Trainable params: 34,826 (136.04 KB)
 Non-trainable params: 0 (0.00 B)
"""


def test_simple_mnist_convnet(wide_terminal, capsys):
    num_classes = 10
    input_shape = (28, 28, 1)
    x_train, y_train = _blob_images(80, 28, 1, num_classes)
    x_test, y_test = _blob_images(20, 28, 1, num_classes, seed=1)
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)

    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ])
    model.summary()
    assert capsys.readouterr().out == MNIST_SUMMARY

    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(5e-3),
                  metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=16, epochs=5, validation_split=0.1,
                        verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    # 72 training samples after the split, in batches of 16.
    assert history.params == {"verbose": 0, "epochs": 5, "steps": 5}
    assert history.history["loss"][-1] < history.history["loss"][0]

    score = model.evaluate(x_test, y_test, verbose=0)
    assert isinstance(score, list) and len(score) == 2
    assert model.metrics_names == ["loss", "compile_metrics"]
    # Real Keras reaches 1.0 on this setup over several seeds (so do we); chance is 0.1.
    assert score[1] >= 0.9
    as_dict = model.evaluate(x_test, y_test, verbose=0, return_dict=True)
    assert sorted(as_dict) == ["accuracy", "loss"]
    np.testing.assert_allclose(as_dict["loss"], score[0], rtol=1e-6)


# ------------------------------------------------- Image classification from scratch

def _xception_like(input_shape, num_classes, data_augmentation):
    inputs = keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = layers.Rescaling(1.0 / 255)(x)
    x = layers.Conv2D(16, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x  # set aside the residual
    for size in [16, 32]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])  # add back the residual
        previous_block_activation = x
    x = layers.SeparableConv2D(64, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    units = 1 if num_classes == 2 else num_classes
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(units, activation=None)(x)
    return keras.Model(inputs, outputs)


def test_image_classification_from_scratch(tmp_path, wide_terminal, capsys):
    # Two classes told apart by which half (top or bottom) is bright: a horizontal
    # flip or a small rotation keeps the label. Raw pixel values, the model rescales.
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 48).astype("float32")
    x = rng.random((48, 32, 32, 3)).astype("float32") * 80.0
    x[y == 1, :16] += 170.0
    x[y == 0, 16:] += 170.0
    data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"),
                                          layers.RandomRotation(0.1)])
    augmented = np.asarray(data_augmentation(x[:4], training=True))
    assert augmented.shape == (4, 32, 32, 3) and not np.allclose(augmented, x[:4])

    model = _xception_like((32, 32, 3), 2, data_augmentation)
    assert model.name == "functional_1"  # the built Sequential took "functional", as in Keras
    assert [type(l).__name__ for l in model.layers[:3]] == ["InputLayer", "Sequential",
                                                          "Rescaling"]
    # Keras counts the same: 7,297 params, 12 of the 47 weights are moving statistics.
    assert model.count_params() == 7297
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (35, 12)

    model.summary(expand_nested=True)
    text = capsys.readouterr().out
    assert "│    └ random_flip (RandomFlip)" in text
    assert "│ add (Add)  " in text and "max_pooling2d[0][0],  " in text
    assert " Total params: 7,297 (28.50 KB)" in text
    assert " Non-trainable params: 352 (1.38 KB)" in text

    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(name="acc")])
    callbacks = [keras.callbacks.ModelCheckpoint(str(tmp_path / "save_at_{epoch}.keras"))]
    history = model.fit(x, y, epochs=3, batch_size=16, callbacks=callbacks,
                        validation_data=(x[:16], y[:16]), verbose=0)
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert sorted(p.name for p in tmp_path.glob("save_at_*.keras")) == [
        "save_at_1.keras", "save_at_2.keras", "save_at_3.keras"]

    # Augmentation and dropout are off at inference: predictions are repeatable.
    predictions = model.predict(x[:1], verbose=0)
    assert predictions.shape == (1, 1) and predictions.dtype == np.float32
    np.testing.assert_array_equal(predictions, model.predict(x[:1], verbose=0))
    score = float(ops.sigmoid(predictions[0][0]))
    assert 0.0 < score < 1.0

    model.save(tmp_path / "from_scratch.keras")
    restored = keras.models.load_model(tmp_path / "from_scratch.keras")
    assert [type(l).__name__ for l in restored.layers[1].layers] == ["RandomFlip",
                                                                   "RandomRotation"]
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    checkpoint = keras.models.load_model(tmp_path / "save_at_2.keras")
    assert int(np.asarray(checkpoint.optimizer.iterations)) == 6  # 2 epochs of 3 steps


def test_plot_model_of_a_nested_model(tmp_path):
    augmentation = keras.Sequential([layers.RandomFlip("horizontal")], name="augment")
    model = _xception_like((32, 32, 3), 2, augmentation)
    path = tmp_path / "model.png"
    keras.utils.plot_model(model, to_file=str(path), show_shapes=True, expand_nested=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------- Denoising autoencoder

def test_convolutional_denoising_autoencoder():
    rng = np.random.default_rng(0)
    train_data = np.zeros((48, 28, 28, 1), "float32")
    for image in train_data:
        r, c = rng.integers(2, 20, 2)
        image[r:r + 6, c:c + 6] = 1.0
    noisy = np.clip(train_data + 0.4 * rng.normal(size=train_data.shape), 0.0, 1.0)
    noisy = noisy.astype("float32")

    inputs = layers.Input(shape=(28, 28, 1))
    # Encoder
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    # Decoder
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
    autoencoder = keras.Model(inputs, x)
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")

    shapes = [l.output.shape for l in autoencoder.layers]
    assert shapes == [(None, 28, 28, 1), (None, 28, 28, 32), (None, 14, 14, 32),
                      (None, 14, 14, 32), (None, 7, 7, 32), (None, 14, 14, 32),
                      (None, 28, 28, 32), (None, 28, 28, 1)]
    assert [l.count_params() for l in autoencoder.layers] == [0, 320, 0, 9248, 0, 9248,
                                                              9248, 289]

    history = autoencoder.fit(x=noisy, y=train_data, epochs=4, batch_size=16, shuffle=True,
                              validation_data=(noisy[:8], train_data[:8]), verbose=0)
    assert sorted(history.history) == ["loss", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    denoised = autoencoder.predict(noisy[:5], verbose=0)
    assert denoised.shape == (5, 28, 28, 1) and denoised.dtype == np.float32
    assert denoised.min() >= 0.0 and denoised.max() <= 1.0

    # Transposed convolutions on odd sizes, as Keras computes them.
    odd = np.zeros((1, 7, 5, 2), "float32")
    assert layers.Conv2DTranspose(4, 3, strides=2, padding="same")(odd).shape == (1, 14, 10, 4)
    assert layers.Conv2DTranspose(4, 3, strides=2, padding="valid")(odd).shape == (1, 15, 11, 4)
    t = layers.Conv2DTranspose(4, 3, strides=(2, 3), padding="valid", output_padding=(1, 2))
    assert t(odd).shape == (1, 16, 17, 4)


# ------------------------------------------------------------ Variational autoencoder

class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding an image."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


def _vae_parts(latent_dim=2):
    encoder_inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
    x = layers.Conv2D(16, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    z = Sampling()([z_mean, z_log_var])
    encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")

    latent_inputs = keras.Input(shape=(latent_dim,))
    x = layers.Dense(7 * 7 * 16, activation="relu")(latent_inputs)
    x = layers.Reshape((7, 7, 16))(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Conv2DTranspose(8, 3, activation="relu", strides=2, padding="same")(x)
    decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    decoder = keras.Model(latent_inputs, decoder_outputs, name="decoder")
    return encoder, decoder


class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def train_step(self, data):
        with GradientTape() as tape:
            z_mean, z_log_var, z = self.encoder(data)
            reconstruction = self.decoder(z)
            reconstruction_loss = ops.mean(ops.sum(
                keras.losses.binary_crossentropy(data, reconstruction), axis=(1, 2)))
            kl_loss = -0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var))
            kl_loss = ops.mean(ops.sum(kl_loss, axis=1))
            total_loss = reconstruction_loss + kl_loss
        grads = tape.gradient(total_loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.kl_loss_tracker.update_state(kl_loss)
        return {m.name: m.result() for m in self.metrics}


def _squares(n=48, seed=0):
    rng = np.random.default_rng(seed)
    data = np.zeros((n, 28, 28, 1), "float32")
    for image in data:
        r, c = rng.integers(4, 20, 2)
        image[r:r + 6, c:c + 6] = 1.0
    return data


# keras 3 prints this for the VAE (terminal 200 columns wide): the encoder and
# decoder were never called on a KerasTensor, their shapes come from the models.
VAE_SUMMARY = """\
Model: "vae"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ encoder (Functional)                 │ ((None, 2), (None, 2),      │          13,876 │
│                                      │ (None, 2))                  │                 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ decoder (Functional)                 │ (None, 28, 28, 1)           │           5,905 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
"""


def test_variational_autoencoder_custom_train_step(wide_terminal, capsys):
    encoder, decoder = _vae_parts()
    assert encoder.count_params() == 13876 and decoder.count_params() == 5905
    vae = VAE(encoder, decoder, name="vae")
    vae.compile(optimizer=keras.optimizers.Adam(3e-3))
    data = _squares()
    history = vae.fit(data, epochs=3, batch_size=16, verbose=0)  # no targets
    assert sorted(history.history) == ["kl_loss", "reconstruction_loss", "total_loss"]
    assert vae.metrics_names == ["total_loss", "reconstruction_loss", "kl_loss"]
    losses = history.history["total_loss"]
    assert losses[-1] < losses[0]
    # The trackers restart every epoch: each logged value is one epoch's mean.
    assert vae.total_loss_tracker.count.numpy() == 3  # 48 / 16 updates this epoch
    np.testing.assert_allclose(
        losses, np.add(history.history["reconstruction_loss"], history.history["kl_loss"]),
        rtol=1e-5)
    assert len(vae.trainable_weights) == 18 and [l.name for l in vae.layers] == [
        "encoder", "decoder"]

    vae.summary()
    out = capsys.readouterr().out
    assert out.startswith(VAE_SUMMARY)
    assert " Total params: " in out and " Optimizer params: " in out

    # Sampling draws again on each call; the means are deterministic.
    z_mean, _, z = encoder.predict(data[:4], verbose=0)
    z_mean2, _, z2 = encoder.predict(data[:4], verbose=0)
    np.testing.assert_array_equal(z_mean, z_mean2)
    assert z.shape == (4, 2) and not np.allclose(z, z2)
    assert decoder.predict(z_mean, verbose=0).shape == (4, 28, 28, 1)


def test_vae_returning_named_losses_logs_those_names():
    # The keras.io version returns "loss" for the total: the logged keys are the
    # returned dict's, not the trackers' names.
    class KerasIoVAE(VAE):
        def train_step(self, data):
            logs = super().train_step(data)
            return {"loss": logs["total_loss"],
                    "reconstruction_loss": logs["reconstruction_loss"],
                    "kl_loss": logs["kl_loss"]}

    vae = KerasIoVAE(*_vae_parts())
    vae.compile(optimizer="adam")
    history = vae.fit(_squares(16), epochs=1, batch_size=16, verbose=0)
    assert sorted(history.history) == ["kl_loss", "loss", "reconstruction_loss"]


# ------------------------------------------------- Transfer learning and fine-tuning

def _base_model():
    return keras.Sequential([
        keras.Input((16, 16, 3)),
        layers.Rescaling(1 / 127.5, offset=-1),
        layers.Conv2D(8, 3, padding="same"),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(8, 3, padding="same"),
        layers.BatchNormalization(),
        layers.Activation("relu"),
    ], name="base")


def _pretrain(base, x):
    """Give the base non-trivial moving statistics, as a pretrained one has."""
    for _ in range(3):
        base(x, training=True)


def _moving_stats(base):
    return [w.numpy().copy() for w in base.non_trainable_weights]


def test_transfer_learning_then_fine_tuning(wide_terminal, capsys):
    x, y = _blob_images(48, 16, 3, 2)
    x, y = x * 255.0, y.astype("float32")
    base_model = _base_model()
    _pretrain(base_model, x)
    assert (len(base_model.weights), len(base_model.trainable_weights),
            len(base_model.non_trainable_weights)) == (12, 8, 4)
    base_model.trainable = False
    assert (len(base_model.trainable_weights), len(base_model.non_trainable_weights)) == (0, 12)

    inputs = keras.Input(shape=(16, 16, 3))
    h = base_model(inputs, training=False)  # keep the base in inference mode
    h = layers.GlobalAveragePooling2D()(h)
    h = layers.Dropout(0.2)(h)
    outputs = layers.Dense(1)(h)
    model = keras.Model(inputs, outputs)
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (2, 12)

    model.summary(show_trainable=True)
    rows = [l for l in capsys.readouterr().out.splitlines() if l.startswith("│ base ")]
    assert len(rows) == 1 and rows[0].split("│")[-2].strip() == "N"

    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy()])
    frozen = [w.copy() for w in base_model.get_weights()]
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert sorted(history.history) == ["binary_accuracy", "loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    for before, after in zip(frozen, base_model.get_weights()):
        np.testing.assert_array_equal(before, after)  # moving statistics included

    # Fine-tune: unfreeze, recompile with a low learning rate, train end to end.
    base_model.trainable = True
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (10, 4)
    model.summary(show_trainable=True)
    rows = [l for l in capsys.readouterr().out.splitlines() if l.startswith("│ base ")]
    assert rows[0].split("│")[-2].strip() == "Y"
    model.compile(optimizer=keras.optimizers.Adam(1e-5),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy()])
    stats = _moving_stats(base_model)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert len(model.optimizer.variables) == 22  # iterations, learning rate, 2 per weight
    assert not np.array_equal(frozen[0], base_model.get_weights()[0])  # kernels move
    # `training=False` keeps BatchNormalization in inference mode: the moving
    # statistics are those of pretraining (keras.io guide; see ARCHITECTURE.md).
    for before, after in zip(stats, _moving_stats(base_model)):
        np.testing.assert_array_equal(before, after)


def test_fine_tuning_with_batch_normalization_layers_kept_frozen():
    # The guide's other recipe: after unfreezing the base, freeze its
    # BatchNormalization layers again; frozen BN runs in inference mode.
    x, y = _blob_images(32, 16, 3, 2)
    x, y = x * 255.0, y.astype("float32")
    base_model = _base_model()
    _pretrain(base_model, x)
    inputs = keras.Input(shape=(16, 16, 3))
    h = layers.GlobalAveragePooling2D()(base_model(inputs))
    model = keras.Model(inputs, layers.Dense(1)(h))
    base_model.trainable = True
    for layer in base_model.layers:
        if isinstance(layer, layers.BatchNormalization):
            layer.trainable = False
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (6, 8)
    bn_weights = [w.copy() for l in base_model.layers
                  if isinstance(l, layers.BatchNormalization) for w in l.get_weights()]
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    after = [w for l in base_model.layers
             if isinstance(l, layers.BatchNormalization) for w in l.get_weights()]
    for a, b in zip(bn_weights, after):
        np.testing.assert_array_equal(a, b)

    # A frozen BatchNormalization ignores training=True.
    bn = layers.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    out = np.asarray(bn(np.full((4, 3), 5.0, "float32"), training=True))
    np.testing.assert_allclose(out, 5.0 / np.sqrt(1.0 + 1e-3), rtol=1e-6)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), np.zeros(3))
