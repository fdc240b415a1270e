"""keras.io vision-architecture examples in miniature, on synthetic data: "Image
classification with Vision Transformer", "MLP-Mixer" and "ConvMixer", "Image
segmentation with a U-Net-like architecture", "Timeseries anomaly detection using an
Autoencoder", and the `keras.ops.image` functions such code leans on. Every number
asserted below (parameter counts, names, paths, log keys, shapes, op values) is what
Keras 3.15 gives for the same code."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


# ------------------------------------------------------------ Vision Transformer

class Patches(layers.Layer):
    def __init__(self, patch_size):
        super().__init__()
        self.patch_size = patch_size

    def call(self, images):
        input_shape = ops.shape(images)
        batch_size = input_shape[0]
        height, width, channels = input_shape[1], input_shape[2], input_shape[3]
        num_patches_h = height // self.patch_size
        num_patches_w = width // self.patch_size
        patches = keras.ops.image.extract_patches(images, size=self.patch_size)
        return ops.reshape(patches, (batch_size, num_patches_h * num_patches_w,
                                     self.patch_size * self.patch_size * channels))

    def get_config(self):
        config = super().get_config()
        config.update({"patch_size": self.patch_size})
        return config


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim):
        super().__init__()
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches,
                                                   output_dim=projection_dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
        projected_patches = self.projection(patch)
        return projected_patches + self.position_embedding(positions)


def _mlp(x, hidden_units, dropout_rate):
    for units in hidden_units:
        x = layers.Dense(units, activation=keras.activations.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


def _vit_classifier(input_shape, patch_size, num_classes, projection_dim=16, num_heads=2,
                    transformer_layers=2):
    num_patches = (input_shape[0] // patch_size) ** 2
    inputs = keras.Input(shape=input_shape)
    normalization = layers.Normalization()
    patches = Patches(patch_size)(normalization(inputs))
    encoded_patches = PatchEncoder(num_patches, projection_dim)(patches)
    for _ in range(transformer_layers):
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
        attention_output = layers.MultiHeadAttention(
            num_heads=num_heads, key_dim=projection_dim, dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention_output, encoded_patches])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = _mlp(x3, hidden_units=[projection_dim * 2, projection_dim], dropout_rate=0.1)
        encoded_patches = layers.Add()([x3, x2])
    representation = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
    representation = layers.Flatten()(representation)
    representation = layers.Dropout(0.5)(representation)
    features = _mlp(representation, hidden_units=[32, 16], dropout_rate=0.5)
    logits = layers.Dense(num_classes)(features)
    return keras.Model(inputs=inputs, outputs=logits), normalization


def test_vision_transformer(capsys):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x_train = rng.random((64, 32, 32, 3)).astype("float32")
    y_train = rng.integers(0, 10, 64)

    # The example first looks at the patches of one image.
    image = np.arange(32 * 32 * 3, dtype="float32").reshape(1, 32, 32, 3)
    patches = Patches(8)(image)
    assert patches.shape == (1, 16, 192)
    # Patch k is the k-th 8x8 tile (row-major), flattened over (row, col, channel).
    expected = image[0].reshape(4, 8, 4, 8, 3).transpose(0, 2, 1, 3, 4).reshape(16, 192)
    np.testing.assert_array_equal(np.asarray(patches)[0], expected)
    # Values Keras printed for this image.
    np.testing.assert_array_equal(np.asarray(patches)[0, :3, :5],
                                  [[0, 1, 2, 3, 4], [24, 25, 26, 27, 28], [48, 49, 50, 51, 52]])
    np.testing.assert_array_equal(np.asarray(patches)[0, 5, -3:], [1485, 1486, 1487])

    model, normalization = _vit_classifier((32, 32, 3), 8, 10)
    normalization.adapt(x_train)
    assert model.count_params() == 18897
    assert len(model.layers) == 30
    # The Patches above took the name "patches"; the Dense inside the encoder "dense".
    assert [l.name for l in model.layers[:4]] == ["input_layer", "normalization", "patches_1",
                                                  "patch_encoder"]
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (43, 3)
    encoder_paths = [w.path for w in model.layers[3].weights]
    assert encoder_paths == ["patch_encoder/dense/kernel", "patch_encoder/dense/bias",
                             "patch_encoder/embedding/embeddings"]

    optimizer = keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4)
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
                 keras.metrics.SparseTopKCategoricalAccuracy(5, name="top-5-accuracy")])
    history = model.fit(x_train, y_train, batch_size=16, epochs=1, validation_split=0.1,
                        verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "top-5-accuracy", "val_accuracy",
                                       "val_loss", "val_top-5-accuracy"]
    assert history.params == {"verbose": 0, "epochs": 1, "steps": 4}
    loss, accuracy, top_5_accuracy = model.evaluate(x_train, y_train, verbose=0)
    assert model.metrics_names == ["loss", "compile_metrics"]
    assert 0.0 <= accuracy <= top_5_accuracy <= 1.0 and np.isfinite(loss)
    predictions = model.predict(x_train[:3], verbose=0)
    assert predictions.shape == (3, 10) and predictions.dtype == np.float32

    model.summary()
    text = capsys.readouterr().out
    assert "│ patches_1 (Patches) │ (None, 16, 192)   │          0 │" in text
    assert " Trainable params: 18,890 (73.79 KB)" in text
    assert " Non-trainable params: 7 (32.00 B)" in text
    assert " Optimizer params: 37,782 (147.59 KB)" in text


# ------------------------------------------------------------ MLP-Mixer, ConvMixer

class MixerPatches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, x):
        patches = keras.ops.image.extract_patches(x, self.patch_size)
        batch_size = keras.ops.shape(patches)[0]
        num_patches = keras.ops.shape(patches)[1] * keras.ops.shape(patches)[2]
        patch_dim = keras.ops.shape(patches)[3]
        return keras.ops.reshape(patches, (batch_size, num_patches, patch_dim))


class MLPMixerLayer(layers.Layer):
    def __init__(self, num_patches, hidden_units, dropout_rate, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mlp1 = keras.Sequential([layers.Dense(units=num_patches, activation="gelu"),
                                      layers.Dense(units=num_patches),
                                      layers.Dropout(rate=dropout_rate)])
        self.mlp2 = keras.Sequential([layers.Dense(units=num_patches, activation="gelu"),
                                      layers.Dense(units=hidden_units),
                                      layers.Dropout(rate=dropout_rate)])
        self.normalize = layers.LayerNormalization(epsilon=1e-6)

    def build(self, input_shape):
        return super().build(input_shape)

    def call(self, inputs):
        x = self.normalize(inputs)
        # Token mixing: the MLP runs across patches, one channel at a time.
        x_channels = keras.ops.transpose(x, axes=(0, 2, 1))
        mlp1_outputs = keras.ops.transpose(self.mlp1(x_channels), axes=(0, 2, 1))
        x = mlp1_outputs + inputs
        x_patches = self.normalize(x)
        return x + self.mlp2(x_patches)


def _mixer_classifier(blocks):
    inputs = layers.Input(shape=(16, 16, 3))
    augmented = layers.RandomFlip("horizontal")(inputs)
    patches = MixerPatches(4)(augmented)
    x = layers.Dense(units=8)(patches)
    x = blocks(x)
    representation = layers.GlobalAveragePooling1D()(x)
    representation = layers.Dropout(rate=0.2)(representation)
    logits = layers.Dense(4)(representation)
    return keras.Model(inputs=inputs, outputs=logits)


def _quadrant_images(n, size=16, seed=0):
    """Class k brightens quadrant k; a horizontal flip maps classes 0<->1, 2<->3,
    so with flips the model only has to tell top from bottom."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, n)
    x = rng.random((n, size, size, 3)).astype("float32") * 0.3
    h = size // 2
    for i, k in enumerate(y):
        r, c = (k // 2) * h, (k % 2) * h
        x[i, r:r + h, c:c + h] += 0.7
    return x, y


def block_seq(mixer_blocks, i):
    """Name of the first inner Sequential of the i-th mixer block."""
    return mixer_blocks.layers[i].mlp1.name


def test_mlp_mixer():
    keras.utils.set_random_seed(0)
    x, y = _quadrant_images(32)
    mixer_blocks = keras.Sequential([MLPMixerLayer(16, 8, 0.1) for _ in range(2)])
    model = _mixer_classifier(mixer_blocks)
    assert model.count_params() == 2108
    assert len(model.weights) == 24
    # Weights built inside the mixer blocks carry the enclosing layers in their path.
    paths = [w.path for w in model.weights]
    mixer_seq, block = mixer_blocks.name, mixer_blocks.layers[0].name
    assert paths[2] == f"{mixer_seq}/{block}/{block_seq(mixer_blocks, 0)}/dense/kernel"
    assert paths[10:12] == [f"{mixer_seq}/{block}/layer_normalization/gamma",
                            f"{mixer_seq}/{block}/layer_normalization/beta"]
    assert mixer_blocks.output_shape == (None, 16, 8)

    model.compile(optimizer=keras.optimizers.AdamW(learning_rate=0.005, weight_decay=1e-4),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc"),
                           keras.metrics.SparseTopKCategoricalAccuracy(2, name="top2")])
    reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=5)
    history = model.fit(x, y, batch_size=8, epochs=2, validation_split=0.25,
                        callbacks=[reduce_lr], verbose=0)
    # ReduceLROnPlateau puts the learning rate into the logs.
    assert sorted(history.history) == ["acc", "learning_rate", "loss", "top2", "val_acc",
                                       "val_loss", "val_top2"]
    np.testing.assert_allclose(history.history["learning_rate"], [0.005, 0.005])

    # The same token mixing written with Permute layers.
    tokens = keras.Input((16, 8))
    t = layers.Permute((2, 1))(tokens)
    t = layers.Dense(16)(t)
    t = layers.Permute((2, 1))(t)
    permuted = keras.Model(tokens, t)
    assert permuted.output_shape == (None, 16, 8) and permuted.count_params() == 272
    data = np.random.default_rng(1).random((2, 16, 8)).astype("float32")
    kernel, bias = permuted.layers[2].get_weights()
    expected = np.einsum("bpc,pq->bqc", data, kernel) + bias[None, :, None]
    np.testing.assert_allclose(permuted.predict(data, verbose=0), expected, rtol=1e-5,
                               atol=1e-6)


def _activation_block(x):
    x = layers.Activation("gelu")(x)
    return layers.BatchNormalization()(x)


def _conv_mixer(image_size=16, filters=8, depth=2, kernel_size=3, patch_size=2, num_classes=4):
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Rescaling(scale=1.0 / 255)(inputs)
    x = layers.Conv2D(filters, kernel_size=patch_size, strides=patch_size)(x)
    x = _activation_block(x)
    for _ in range(depth):
        x0 = x
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, padding="same")(x)
        x = layers.Add()([_activation_block(x), x0])  # residual
        x = layers.Conv2D(filters, kernel_size=1)(x)
        x = _activation_block(x)
    x = layers.GlobalAvgPool2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def test_conv_mixer(tmp_path):
    keras.utils.set_random_seed(0)
    x, y = _quadrant_images(32)
    x = x * 255.0
    model = _conv_mixer()
    assert model.count_params() == 604
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (22, 10)
    assert [type(l).__name__ for l in model.layers] == [
        "InputLayer", "Rescaling", "Conv2D", "Activation", "BatchNormalization",
        "DepthwiseConv2D", "Activation", "BatchNormalization", "Add", "Conv2D", "Activation",
        "BatchNormalization", "DepthwiseConv2D", "Activation", "BatchNormalization", "Add",
        "Conv2D", "Activation", "BatchNormalization", "GlobalAveragePooling2D", "Dense"]
    depthwise = model.layers[5]
    assert [tuple(w.shape) for w in depthwise.weights] == [(3, 3, 8, 1), (8,)]
    assert depthwise.get_config()["depth_multiplier"] == 1
    # The example plots the patch-embedding filters: (patch, patch, 3, filters).
    assert model.layers[2].get_weights()[0].shape == (2, 2, 3, 8)

    model.compile(optimizer=keras.optimizers.AdamW(learning_rate=0.01, weight_decay=1e-4),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]

    model.save(tmp_path / "conv_mixer.keras")
    restored = keras.models.load_model(tmp_path / "conv_mixer.keras")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)


# --------------------------------------------------------- U-Net-like segmentation

def _unet(img_size, num_classes):
    inputs = keras.Input(shape=img_size + (3,))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x
    for filters in [16, 32]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(filters, 1, strides=2, padding="same")(
            previous_block_activation)
        x = layers.add([x, residual])
        previous_block_activation = x
    for filters in [32, 16, 8]:
        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.UpSampling2D(2)(x)
        residual = layers.UpSampling2D(2)(previous_block_activation)
        residual = layers.Conv2D(filters, 1, padding="same")(residual)
        x = layers.add([x, residual])
        previous_block_activation = x
    outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)
    return keras.Model(inputs, outputs)


def test_unet_segmentation(tmp_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((24, 32, 32, 3)).astype("float32") * 0.2
    masks = np.zeros((24, 32, 32), "uint8")  # (H, W) integer masks, 3 classes
    for i in range(24):
        r, c = rng.integers(0, 20, 2)
        masks[i, r:r + 12, c:c + 12] = 1 + i % 2
        x[i, r:r + 12, c:c + 12, i % 2] += 0.8

    model = _unet((32, 32), 3)
    assert model.count_params() == 33563
    assert len(model.layers) == 53
    assert (len(model.trainable_weights), len(model.non_trainable_weights)) == (60, 22)
    assert model.output_shape == (None, 32, 32, 3)

    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    best = tmp_path / "segmentation.keras"
    history = model.fit(x, masks, batch_size=8, epochs=4, validation_split=0.25, verbose=0,
                        callbacks=[keras.callbacks.ModelCheckpoint(str(best),
                                                                   save_best_only=True)])
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]

    val_preds = model.predict(x[:5], verbose=0)
    assert val_preds.shape == (5, 32, 32, 3) and val_preds.dtype == np.float32
    np.testing.assert_allclose(val_preds.sum(axis=-1), 1.0, atol=1e-5)
    mask = np.argmax(val_preds, axis=-1)
    assert mask.shape == (5, 32, 32)
    assert np.expand_dims(mask, axis=-1).shape == (5, 32, 32, 1)
    per_pixel = keras.losses.sparse_categorical_crossentropy(masks[:2], val_preds[:2])
    assert per_pixel.shape == (2, 32, 32)
    iou = keras.metrics.MeanIoU(num_classes=3)
    iou.update_state(masks[:5], mask)
    assert 0.0 <= float(iou.result()) <= 1.0
    # Masks with a trailing channel axis train as well.
    again = model.fit(x, masks[..., None].astype("float32"), batch_size=8, epochs=1, verbose=0)
    assert sorted(again.history) == ["accuracy", "loss"]
    assert sorted(model.evaluate(x, masks, verbose=0, return_dict=True)) == ["accuracy", "loss"]
    assert keras.models.load_model(best).predict(x[:2], verbose=0).shape == (2, 32, 32, 3)


# ------------------------------------------------ Timeseries anomaly detection

TIME_STEPS = 288


def _create_sequences(values, time_steps=TIME_STEPS):
    output = []
    for i in range(len(values) - time_steps + 1):
        output.append(values[i:(i + time_steps)])
    return np.stack(output)


def test_timeseries_anomaly_detection(capsys):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    t = np.arange(2000, dtype="float32")
    series = (np.sin(2 * np.pi * t / 288) + 0.1 * rng.standard_normal(2000)).astype("float32")
    normalized = (series - series.mean()) / series.std()
    x_train = _create_sequences(normalized[:, None])[::16]
    assert x_train.shape == (108, 288, 1) and x_train.dtype == np.float32

    model = keras.Sequential([
        layers.Input(shape=(x_train.shape[1], x_train.shape[2])),
        layers.Conv1D(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1D(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=8, kernel_size=7, padding="same", strides=2,
                               activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1DTranspose(filters=16, kernel_size=7, padding="same", strides=2,
                               activation="relu"),
        layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
    assert model.count_params() == 2513
    assert [tuple(l.output.shape) for l in model.layers] == [
        (None, 144, 16), (None, 144, 16), (None, 72, 8), (None, 144, 8), (None, 144, 8),
        (None, 288, 16), (None, 288, 1)]

    history = model.fit(
        x_train, x_train, epochs=6, batch_size=16, validation_split=0.1, verbose=0,
        callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, mode="min")])
    assert sorted(history.history) == ["loss", "val_loss"]
    assert history.params == {"verbose": 0, "epochs": 6, "steps": 7}  # 97 samples / 16

    # Reconstruction error per window; the worst training window sets the threshold.
    x_train_pred = model.predict(x_train, verbose=0)
    train_mae_loss = np.mean(np.abs(x_train_pred - x_train), axis=1)
    assert train_mae_loss.shape == (108, 1)
    threshold = np.max(train_mae_loss)
    spiked = normalized.copy()
    spiked[1000:1010] += 5.0
    x_test = _create_sequences(spiked[:, None])
    assert x_test.shape == (1713, 288, 1)
    test_mae_loss = np.mean(np.abs(model.predict(x_test, verbose=0) - x_test), axis=1)
    anomalies = test_mae_loss.reshape((-1)) > threshold
    flagged = np.where(anomalies)[0]
    # Windows holding part of the spike reconstruct far worse than the others; the
    # flagged ones are (nearly all) among them.
    spike = (np.arange(len(x_test)) > 1000 - TIME_STEPS) & (np.arange(len(x_test)) < 1010)
    errors = test_mae_loss.reshape((-1))
    assert errors[spike].mean() > 1.2 * errors[~spike].mean()
    assert spike[np.argmax(errors)]
    assert flagged.size > 100 and spike[flagged].mean() > 0.9

    # Patience 0 and restore_best_weights: stops at the first epoch without progress
    # and says so.
    stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0, mode="min",
                                            restore_best_weights=True, verbose=1)
    capsys.readouterr()
    history = model.fit(x_train, x_train, epochs=20, batch_size=16, validation_split=0.1,
                        callbacks=[stopper], verbose=0)
    epochs_run = len(history.history["loss"])
    assert epochs_run < 20 and stopper.stopped_epoch == epochs_run - 1
    assert stopper.best_epoch == stopper.stopped_epoch - 1
    assert capsys.readouterr().out == (
        f"Epoch {epochs_run}: early stopping\n"
        f"Restoring model weights from the end of the best epoch: {epochs_run - 1}.\n")
    # The restored weights give the best validation loss again (the last 10%).
    val_loss = model.evaluate(x_train[97:], x_train[97:], verbose=0)
    np.testing.assert_allclose(val_loss, min(history.history["val_loss"]), rtol=1e-4)


# ------------------------------------------------------------------ ops.image

def test_image_ops_used_by_vision_code():
    rng = np.random.default_rng(0)
    images = rng.random((2, 7, 9, 3)).astype("float32")

    # resize: half-pixel centres, no antialiasing by default (values printed by Keras).
    row = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
    np.testing.assert_allclose(ops.image.resize(row, (1, 2))[0, 0, :, 0], [0.5, 2.5])
    np.testing.assert_allclose(ops.image.resize(row, (1, 2), antialias=True)[0, 0, :, 0],
                               [0.71428573, 2.2857146], rtol=1e-6)
    np.testing.assert_allclose(ops.image.resize(row, (1, 8))[0, 0, :, 0],
                               [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3])
    up = ops.image.resize(images, (14, 18), interpolation="nearest")
    np.testing.assert_array_equal(up, images.repeat(2, axis=1).repeat(2, axis=2))
    np.testing.assert_allclose(ops.image.resize(images, (7, 9)), images, atol=1e-6)
    assert ops.image.resize(images[0], (4, 5)).shape == (4, 5, 3)  # one unbatched image
    cropped = ops.image.resize(images, (4, 4), crop_to_aspect_ratio=True)
    np.testing.assert_allclose(cropped, ops.image.resize(images[:, :, 1:8], (4, 4)), atol=1e-6)
    with pytest.raises(ValueError, match="Only one of"):
        ops.image.resize(images, (4, 4), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.resize(images, (4, 4), interpolation="cubic")
    assert ops.image.resize(images, (4, 5)).dtype == np.float32

    # extract_patches: stride defaults to the size; "same" pads the ragged edge.
    patches = ops.image.extract_patches(images, 3)
    assert patches.shape == (2, 2, 3, 27)
    np.testing.assert_array_equal(patches[:, 1, 2], images[:, 3:6, 6:9].reshape(2, 27))
    strided = ops.image.extract_patches(images, (2, 3), strides=(2, 2), padding="same")
    assert strided.shape == (2, 4, 5, 18)
    dilated = ops.image.extract_patches(images, 3, strides=1, dilation_rate=2)
    assert dilated.shape == (2, 3, 5, 27)
    np.testing.assert_array_equal(dilated[:, 1, 2], images[:, 1:6:2, 2:7:2].reshape(2, 27))

    # affine_transform: identity, then an integer shift (output(y, x) = input(y+1, x+2)).
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], "float32")
    np.testing.assert_allclose(ops.image.affine_transform(images, identity), images,
                               atol=1e-6)
    shift = np.array([1, 0, 2, 0, 1, 1, 0, 0], "float32")
    shifted = ops.image.affine_transform(images, shift, fill_value=0.25)
    np.testing.assert_allclose(shifted[:, :6, :7], images[:, 1:, 2:], atol=1e-6)
    np.testing.assert_allclose(shifted[:, 6], 0.25)
    wrapped = ops.image.affine_transform(images, shift, interpolation="nearest",
                                         fill_mode="wrap")
    np.testing.assert_array_equal(wrapped, np.roll(images, (-1, -2), axis=(1, 2)))
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.affine_transform(images, shift, fill_mode="mirror")

    # crop_images / pad_images: two of (start, end, target) per axis.
    crop = ops.image.crop_images(images, top_cropping=1, left_cropping=2, target_height=4,
                                 target_width=5)
    np.testing.assert_array_equal(crop, images[:, 1:5, 2:7])
    crop = ops.image.crop_images(images, top_cropping=1, bottom_cropping=2, left_cropping=2,
                                 right_cropping=1)
    np.testing.assert_array_equal(crop, images[:, 1:5, 2:8])
    padded = ops.image.pad_images(images, top_padding=1, left_padding=2, target_height=10,
                                  target_width=12)
    np.testing.assert_array_equal(padded, np.pad(images, ((0, 0), (1, 2), (2, 1), (0, 0))))
    np.testing.assert_array_equal(ops.image.pad_images(images[0], 1, 2, 3, 0),
                                  np.pad(images[0], ((1, 3), (2, 0), (0, 0))))
    with pytest.raises(ValueError, match="exactly two of top_padding"):
        ops.image.pad_images(images, top_padding=1)
    with pytest.raises(ValueError, match="exactly two of left_cropping"):
        ops.image.crop_images(images, top_cropping=1, target_height=6)
