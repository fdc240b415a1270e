"""keras.io custom-training examples on tiny synthetic data: a DCGAN, WGAN-GP,
knowledge distillation, a Siamese network with a contrastive loss, a training
loop written from scratch, and custom test_step / predict_step overrides.

Numbers marked "real Keras" come from `tests/parity/generate_custom_training_goldens.py`.
"""
import os

import numpy as np
import pytest

import minikeras as keras
from minikeras import GradientTape, layers, ops

HERE = os.path.dirname(os.path.abspath(__file__))
G = np.load(os.path.join(HERE, "..", "parity", "goldens", "custom_training.npz"))


# ----- DCGAN ("DCGAN to generate face images", Keras 3 version) ------------------------
def _dcgan_parts(latent_dim):
    discriminator = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(8, kernel_size=3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(16, kernel_size=3, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ], name="discriminator")
    generator = keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(2 * 2 * 16),
        layers.Reshape((2, 2, 16)),
        layers.Conv2DTranspose(16, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(8, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, kernel_size=5, padding="same", activation="sigmoid"),
    ], name="generator")
    return discriminator, generator


class DCGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_images):
        batch_size = ops.shape(real_images)[0]
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        generated_images = self.generator(random_latent_vectors)
        combined_images = ops.concatenate([generated_images, real_images], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        # The example's trick: a little noise on the labels.
        labels += 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)
        with GradientTape() as tape:
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        misleading_labels = ops.zeros((batch_size, 1))
        with GradientTape() as tape:
            predictions = self.discriminator(self.generator(random_latent_vectors))
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


class GANMonitor(keras.callbacks.Callback):
    def __init__(self, folder, num_img=2, latent_dim=8):
        super().__init__()
        self.folder = folder
        self.num_img = num_img
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(42)

    def on_epoch_end(self, epoch, logs=None):
        random_latent_vectors = keras.random.normal(
            shape=(self.num_img, self.latent_dim), seed=self.seed_generator)
        generated_images = self.model.generator(random_latent_vectors)
        generated_images *= 255
        generated_images = ops.convert_to_numpy(generated_images)
        for i in range(self.num_img):
            img = keras.utils.array_to_img(generated_images[i])
            img.save(os.path.join(self.folder, "generated_img_%03d_%d.png" % (epoch, i)))


def _faces(n=16):
    rng = np.random.default_rng(0)
    real = np.zeros((n, 8, 8, 1), "float32")
    real[:, 2:6, 2:6, 0] = rng.uniform(0.5, 1.0, (n, 4, 4))
    return real


def _fit_dcgan(folder):
    keras.utils.set_random_seed(0)
    discriminator, generator = _dcgan_parts(latent_dim=8)
    gan = DCGAN(discriminator=discriminator, generator=generator, latent_dim=8)
    gan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                loss_fn=keras.losses.BinaryCrossentropy())
    history = gan.fit(_faces(), epochs=2, batch_size=8, verbose=0,
                      callbacks=[GANMonitor(str(folder), num_img=2, latent_dim=8)])
    return gan, history


def test_dcgan_trains_with_own_compile_and_saves_images(tmp_path):
    (tmp_path / "a").mkdir()
    gan, history = _fit_dcgan(tmp_path / "a")
    assert sorted(history.history) == ["d_loss", "g_loss"]
    assert all(len(v) == 2 and np.all(np.isfinite(v)) for v in history.history.values())
    assert gan.discriminator.count_params() == 1313 and gan.generator.count_params() == 6945
    assert [m.name for m in gan.metrics] == ["d_loss", "g_loss"]
    # Two batches per epoch, one step of each optimizer per batch.
    assert int(gan.d_optimizer.iterations.numpy()) == 4
    assert int(gan.g_optimizer.iterations.numpy()) == 4
    assert len(gan.trainable_weights) == 14
    files = sorted(os.listdir(tmp_path / "a"))
    assert files == [f"generated_img_00{e}_{i}.png" for e in range(2) for i in range(2)]
    from PIL import Image
    with Image.open(tmp_path / "a" / files[0]) as img:
        assert img.size == (8, 8) and img.mode == "L"
    # Same seed, same data: the same run again.
    (tmp_path / "b").mkdir()
    _, again = _fit_dcgan(tmp_path / "b")
    assert again.history == history.history


# ----- WGAN-GP ("WGAN-GP overriding Model.train_step") --------------------------------
def _critic():
    return keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(8, 3, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Conv2D(16, 3, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Flatten(),
        layers.Dense(1),
    ], name="critic")


def _wgan_generator():
    return keras.Sequential([
        keras.Input(shape=(4,)),
        layers.Dense(4 * 4 * 8, use_bias=False),
        layers.BatchNormalization(),
        layers.LeakyReLU(0.2),
        layers.Reshape((4, 4, 8)),
        layers.UpSampling2D((2, 2)),
        layers.Conv2D(1, 3, padding="same", activation="tanh"),
    ], name="generator")


def discriminator_loss(real_img, fake_img):
    return ops.mean(fake_img) - ops.mean(real_img)


def generator_loss(fake_img):
    return -ops.mean(fake_img)


class WGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim, discriminator_extra_steps=3,
                 gp_weight=10.0):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_steps = discriminator_extra_steps
        self.gp_weight = gp_weight
        self.seed_generator = keras.random.SeedGenerator(7)

    def compile(self, d_optimizer, g_optimizer, d_loss_fn, g_loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_loss_fn = d_loss_fn
        self.g_loss_fn = g_loss_fn

    def gradient_penalty(self, batch_size, real_images, fake_images, alpha=None):
        if alpha is None:
            alpha = keras.random.normal((batch_size, 1, 1, 1), 0.0, 1.0, seed=self.seed_generator)
        diff = fake_images - real_images
        interpolated = real_images + alpha * diff
        with GradientTape() as gp_tape:
            gp_tape.watch(interpolated)
            pred = self.discriminator(interpolated, training=True)
        grads = gp_tape.gradient(pred, [interpolated])[0]
        norm = ops.sqrt(ops.sum(ops.square(grads), axis=[1, 2, 3]))
        return ops.mean((norm - 1.0) ** 2)

    def train_step(self, real_images):
        if isinstance(real_images, tuple):
            real_images = real_images[0]
        batch_size = ops.shape(real_images)[0]
        for _ in range(self.d_steps):
            random_latent_vectors = keras.random.normal((batch_size, self.latent_dim),
                                                        seed=self.seed_generator)
            with GradientTape() as tape:
                fake_images = self.generator(random_latent_vectors, training=True)
                fake_logits = self.discriminator(fake_images, training=True)
                real_logits = self.discriminator(real_images, training=True)
                d_cost = self.d_loss_fn(real_img=real_logits, fake_img=fake_logits)
                gp = self.gradient_penalty(batch_size, real_images, fake_images)
                d_loss = d_cost + gp * self.gp_weight
            d_gradient = tape.gradient(d_loss, self.discriminator.trainable_variables)
            self.d_optimizer.apply_gradients(
                zip(d_gradient, self.discriminator.trainable_variables))
        random_latent_vectors = keras.random.normal((batch_size, self.latent_dim),
                                                    seed=self.seed_generator)
        with GradientTape() as tape:
            generated_images = self.generator(random_latent_vectors, training=True)
            gen_img_logits = self.discriminator(generated_images, training=True)
            g_loss = self.g_loss_fn(gen_img_logits)
        gen_gradient = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(gen_gradient, self.generator.trainable_variables))
        return {"d_loss": d_loss, "g_loss": g_loss}


def test_wgan_gp_penalty_and_its_gradients_match_real_keras():
    critic, generator = _critic(), _wgan_generator()
    critic.set_weights([G[f"wgan_critic_{i}"] for i in range(len(critic.weights))])
    generator.set_weights([G[f"wgan_gen_{i}"] for i in range(len(generator.weights))])
    wgan = WGAN(critic, generator, latent_dim=4)
    real = G["wgan_real"]
    with GradientTape() as tape:
        fake = generator(G["wgan_z"], training=True)
        # The penalty's tape is nested in this one and watches images this tape recorded.
        gp = wgan.gradient_penalty(4, real, fake, alpha=G["wgan_alpha"])
        d_loss = discriminator_loss(critic(real), critic(fake)) + 10.0 * gp
    weights = critic.trainable_variables + generator.trainable_variables
    grads = tape.gradient(d_loss, weights, unconnected_gradients="zero")
    np.testing.assert_allclose(float(gp), G["wgan_gp"], rtol=1e-5)
    np.testing.assert_allclose(float(d_loss), G["wgan_d_loss"], rtol=1e-5)
    for i, g in enumerate(grads):
        np.testing.assert_allclose(ops.convert_to_numpy(g), G[f"wgan_grad_{i}"],
                                   rtol=1e-4, atol=1e-6, err_msg=weights[i].path)


def test_wgan_gp_trains_with_finite_penalty_gradients():
    keras.utils.set_random_seed(1)
    critic, generator = _critic(), _wgan_generator()
    wgan = WGAN(critic, generator, latent_dim=4, discriminator_extra_steps=2)
    wgan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5, beta_2=0.9),
                 g_optimizer=keras.optimizers.Adam(learning_rate=0.0002, beta_1=0.5, beta_2=0.9),
                 g_loss_fn=generator_loss, d_loss_fn=discriminator_loss)
    images = np.random.default_rng(2).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    history = wgan.fit(images, batch_size=8, epochs=2, verbose=0)
    assert sorted(history.history) == ["d_loss", "g_loss"]
    assert np.all(np.isfinite(history.history["d_loss"] + history.history["g_loss"]))
    assert int(wgan.d_optimizer.iterations.numpy()) == 2 * 2 * 2
    assert int(wgan.g_optimizer.iterations.numpy()) == 2 * 2

    with GradientTape() as tape:
        fake = generator(np.random.default_rng(3).normal(size=(8, 4)).astype("float32"))
        gp = wgan.gradient_penalty(8, images[:8], fake)
    grads = tape.gradient(gp, critic.trainable_variables + generator.trainable_variables)
    kernels = [g for g, v in zip(grads, critic.trainable_variables + generator.trainable_variables)
               if "kernel" in v.path]
    assert len(kernels) == 5 and all(g is not None for g in kernels)
    assert all(np.all(np.isfinite(ops.convert_to_numpy(g))) for g in grads if g is not None)
    assert float(np.abs(ops.convert_to_numpy(kernels[0])).sum()) > 0


# ----- Knowledge distillation ---------------------------------------------------------
class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1,
                temperature=3):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
        teacher_pred = self.teacher(x, training=False)
        student_loss = self.student_loss_fn(y, y_pred)
        distillation_loss = self.distillation_loss_fn(
            ops.softmax(teacher_pred / self.temperature, axis=1),
            ops.softmax(y_pred / self.temperature, axis=1),
        ) * (self.temperature ** 2)
        return self.alpha * student_loss + (1 - self.alpha) * distillation_loss

    def call(self, x):
        return self.student(x)


def _blobs(n, rng, centers):
    y = rng.integers(0, 4, n)
    return (centers[y] + rng.normal(0, 1, (n, 6))).astype("float32"), y


def test_distiller_with_keras3_compute_loss_override():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    centers = rng.normal(0, 2, (4, 6)).astype("float32")
    x_train, y_train = _blobs(256, rng, centers)
    x_test, y_test = _blobs(64, rng, centers)
    teacher = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(32, activation="relu"),
                                layers.Dense(4)], name="teacher")
    student = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(4)], name="student")
    teacher.compile(optimizer=keras.optimizers.Adam(0.01),
                    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    metrics=[keras.metrics.SparseCategoricalAccuracy()])
    teacher.fit(x_train, y_train, epochs=5, verbose=0)
    assert teacher.evaluate(x_test, y_test, verbose=0)[1] > 0.8

    distiller = Distiller(student=student, teacher=teacher)
    distiller.compile(optimizer=keras.optimizers.Adam(0.01),
                      metrics=[keras.metrics.SparseCategoricalAccuracy()],
                      student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      distillation_loss_fn=keras.losses.KLDivergence(), alpha=0.1, temperature=10)
    history = distiller.fit(x_train, y_train, epochs=3, verbose=0,
                            validation_data=(x_test, y_test))
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                                       "val_sparse_categorical_accuracy"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert distiller.metrics_names == ["loss", "compile_metrics"]
    assert len(distiller.trainable_weights) == 6  # the example does not freeze the teacher

    logs = distiller.evaluate(x_test, y_test, batch_size=64, verbose=0, return_dict=True)
    assert sorted(logs) == ["loss", "sparse_categorical_accuracy"]
    logits = distiller.predict(x_test, verbose=0)
    assert logits.shape == (64, 4)
    np.testing.assert_allclose(logs["sparse_categorical_accuracy"],
                               np.mean(np.argmax(logits, axis=1) == y_test), rtol=1e-6)
    # evaluate's loss is the override's alpha-weighted blend, computed here by hand.
    t = distiller.teacher.predict(x_test, verbose=0) / 10
    s = logits / 10
    p_t = np.exp(t - t.max(1, keepdims=True))
    p_t /= p_t.sum(1, keepdims=True)
    log_p_s = s - s.max(1, keepdims=True)
    log_p_s -= np.log(np.exp(log_p_s).sum(1, keepdims=True))
    kl = np.mean(np.sum(p_t * (np.log(np.clip(p_t, 1e-7, 1)) - log_p_s), axis=1)) * 100
    z = logits - logits.max(1, keepdims=True)
    ce = np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(64), y_test])
    np.testing.assert_allclose(logs["loss"], 0.1 * ce + 0.9 * kl, rtol=1e-3)


# ----- Siamese network with a contrastive loss ------------------------------------------
def _corner_images(n, rng):
    y = rng.integers(0, 3, n)
    x = rng.normal(0, 0.1, (n, 8, 8, 1)).astype("float32")
    for i, c in enumerate(y):
        r, col = [(0, 0), (4, 4), (0, 4)][c]
        x[i, r:r + 4, col:col + 4, 0] += 1.0
    return x, y


def _make_pairs(x, y, rng):
    """One same-class pair (label 0) and one different-class pair (label 1) per image."""
    idx = [np.where(y == i)[0] for i in range(3)]
    pairs, labels = [], []
    for i in range(len(x)):
        pairs.append([x[i], x[rng.choice(idx[y[i]])]])
        labels.append(0)
        other = rng.choice([c for c in range(3) if c != y[i]])
        pairs.append([x[i], x[rng.choice(idx[other])]])
        labels.append(1)
    return np.array(pairs), np.array(labels).astype("float32")


def euclidean_distance(vects):
    x, y = vects
    sum_square = ops.sum(ops.square(x - y), axis=1, keepdims=True)
    return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))


def contrastive(margin=1):
    def contrastive_loss(y_true, y_pred):
        square_pred = ops.square(y_pred)
        margin_square = ops.square(ops.maximum(margin - (y_pred), 0))
        return ops.mean((1 - y_true) * square_pred + (y_true) * margin_square)
    return contrastive_loss


def _embedding_network():
    input = keras.layers.Input((8, 8, 1))
    x = keras.layers.BatchNormalization()(input)
    x = keras.layers.Conv2D(4, (3, 3), activation="tanh")(x)
    x = keras.layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Dense(6, activation="tanh")(x)
    return keras.Model(input, x)


def test_siamese_lambda_distance_contrastive_loss_and_reload(tmp_path):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    pairs_train, labels_train = _make_pairs(*_corner_images(64, rng), rng)
    pairs_val, labels_val = _make_pairs(*_corner_images(16, rng), rng)
    x_train_1, x_train_2 = pairs_train[:, 0], pairs_train[:, 1]
    x_val_1, x_val_2 = pairs_val[:, 0], pairs_val[:, 1]

    embedding_network = _embedding_network()
    input_1 = keras.layers.Input((8, 8, 1))
    input_2 = keras.layers.Input((8, 8, 1))
    tower_1 = embedding_network(input_1)
    tower_2 = embedding_network(input_2)
    merge_layer = keras.layers.Lambda(euclidean_distance, output_shape=(1,))([tower_1, tower_2])
    normal_layer = keras.layers.BatchNormalization()(merge_layer)
    output_layer = keras.layers.Dense(1, activation="sigmoid")(normal_layer)
    siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)
    siamese.compile(loss=contrastive(margin=1), optimizer="RMSprop", metrics=["accuracy"])

    # Counts as real Keras prints them in summary().
    assert embedding_network.count_params() == 410
    assert siamese.count_params() == 416
    assert sum(int(np.prod(w.shape)) for w in siamese.trainable_weights) == 340
    assert [type(l).__name__ for l in siamese.layers] == [
        "InputLayer", "InputLayer", "Functional", "Lambda", "BatchNormalization", "Dense"]

    history = siamese.fit([x_train_1, x_train_2], labels_train,
                          validation_data=([x_val_1, x_val_2], labels_val),
                          batch_size=16, epochs=8, verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    pred = siamese.predict([x_val_1, x_val_2], verbose=0)
    assert pred.shape == (32, 1) and pred.dtype == np.float32

    path = str(tmp_path / "siamese.keras")
    siamese.save(path)
    with pytest.raises(TypeError, match="euclidean_distance"):
        keras.models.load_model(path)  # the Lambda's function is stored by name only
    restored = keras.models.load_model(
        path, custom_objects={"euclidean_distance": euclidean_distance,
                              "contrastive_loss": contrastive(1)})
    np.testing.assert_allclose(restored.predict([x_val_1, x_val_2], verbose=0), pred,
                               rtol=1e-6)


def test_siamese_custom_distance_layer_with_named_inputs():
    class DistanceLayer(layers.Layer):
        def call(self, a, b):
            sum_square = ops.sum(ops.square(a - b), axis=-1, keepdims=True)
            return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    pairs, labels = _make_pairs(*_corner_images(48, rng), rng)
    embedding_network = _embedding_network()
    a = keras.Input((8, 8, 1), name="anchor")
    b = keras.Input((8, 8, 1), name="other")
    distance = DistanceLayer()(embedding_network(a), embedding_network(b))
    model = keras.Model([a, b], distance)
    assert model.output_shape == (None, 1)
    assert model.count_params() == 410  # only the shared tower has weights
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=contrastive(margin=1.0))
    history = model.fit({"anchor": pairs[:, 0], "other": pairs[:, 1]}, labels, batch_size=32,
                        epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    d = model.predict({"anchor": pairs[:, 0], "other": pairs[:, 1]}, verbose=0).ravel()
    # Different-class pairs end up further apart than same-class ones.
    assert d[labels == 1].mean() > d[labels == 0].mean()


# ----- "Writing a training loop from scratch", with model.losses ------------------------
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * ops.sum(inputs))
        return inputs


def test_training_loop_from_scratch_matches_real_keras():
    inputs = keras.Input(shape=(12,), name="digits")
    x = layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.l2(1e-3))(inputs)
    x = ActivityRegularizationLayer()(x)
    x = layers.Dense(16, activation="relu")(x)
    x = layers.ActivityRegularization(l1=1e-3, l2=1e-3)(x)
    outputs = layers.Dense(4, name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.set_weights([G[f"loop_init_{i}"] for i in range(len(model.weights))])
    x_train, y_train = G["loop_x_train"], G["loop_y_train"]
    x_val, y_val = G["loop_x_val"], G["loop_y_val"]

    optimizer = keras.optimizers.Adam(learning_rate=1e-2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    val_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    step_losses, train_acc, val_acc = [], [], []
    for epoch in range(2):
        for step in range(3):
            xb, yb = x_train[step * 16:(step + 1) * 16], y_train[step * 16:(step + 1) * 16]
            with GradientTape() as tape:
                logits = model(xb, training=True)
                loss_value = loss_fn(yb, logits)
                if epoch == 0 and step == 0:
                    # Activity terms first, then the kernel penalty, as Keras lists them.
                    np.testing.assert_allclose([float(v) for v in model.losses],
                                               G["loop_model_losses"], rtol=1e-5)
                loss_value += sum(model.losses)
            grads = tape.gradient(loss_value, model.trainable_weights)
            if epoch == 0:
                optimizer.apply(grads, model.trainable_weights)
            else:
                optimizer.apply_gradients(zip(grads, model.trainable_weights))
            if epoch == 0 and step == 0:
                for i, (g, w) in enumerate(zip(grads, model.trainable_weights)):
                    np.testing.assert_allclose(ops.convert_to_numpy(g), G[f"loop_grad_{i}"],
                                               rtol=1e-5, atol=1e-6)
                    np.testing.assert_allclose(w.numpy(), G[f"loop_step1_{i}"],
                                               rtol=1e-5, atol=1e-6)
            train_acc_metric.update_state(yb, logits)
            step_losses.append(float(loss_value))
        train_acc.append(float(train_acc_metric.result()))
        train_acc_metric.reset_state()
        assert float(train_acc_metric.result()) == 0.0
        for step in range(2):
            val_logits = model(x_val[step * 8:(step + 1) * 8], training=False)
            val_acc_metric.update_state(y_val[step * 8:(step + 1) * 8], val_logits)
        val_acc.append(float(val_acc_metric.result()))
        val_acc_metric.reset_state()
    np.testing.assert_allclose(step_losses, G["loop_step_losses"], rtol=1e-5)
    np.testing.assert_allclose(train_acc, G["loop_train_acc"], rtol=1e-6)
    np.testing.assert_allclose(val_acc, G["loop_val_acc"], rtol=1e-6)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(w, G[f"loop_final_{i}"], rtol=1e-4, atol=1e-6)
    assert int(optimizer.iterations.numpy()) == 6


# ----- custom test_step and predict_step -------------------------------------------------
class StepsModel(keras.Model):
    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def predict_step(self, data):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        probs = ops.softmax(self(x, training=False))
        return {"probs": probs, "label": ops.argmax(probs, axis=-1)}


def test_custom_test_step_in_fit_validation_and_dict_predict_step():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 5)).astype("float32")
    y = ((x[:, 0] > 0).astype("int32") + (x[:, 1] > 1)).astype("int32")
    inputs = keras.Input(shape=(5,))
    outputs = layers.Dense(3)(layers.Dense(8, activation="relu")(inputs))
    model = StepsModel(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=4, batch_size=16, validation_data=(x[:20], y[:20]),
                        verbose=0)
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.history["val_loss"][-1] < history.history["val_loss"][0]

    out = model.predict(x, batch_size=16, verbose=0)
    assert sorted(out) == ["label", "probs"]
    assert out["probs"].shape == (40, 3) and out["probs"].dtype == np.float32
    assert out["label"].shape == (40,)
    np.testing.assert_allclose(out["probs"].sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(out["label"], out["probs"].argmax(axis=1))

    # The custom test_step gives evaluate the same numbers as a hand computation.
    logs = model.evaluate(x, y, batch_size=40, verbose=0, return_dict=True)
    p = out["probs"]
    np.testing.assert_allclose(logs["loss"], np.mean(-np.log(p[np.arange(40), y])), rtol=1e-4)
    np.testing.assert_allclose(logs["accuracy"], np.mean(out["label"] == y), rtol=1e-6)
    assert model.evaluate(x, y, batch_size=40, verbose=0) == [logs["loss"], logs["accuracy"]]

    batch = model.predict_on_batch(x[:3])  # predict_step receives the tuple `(x,)` here
    np.testing.assert_allclose(batch["probs"], out["probs"][:3], rtol=1e-6)
