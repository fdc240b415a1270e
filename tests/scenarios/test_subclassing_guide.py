"""Scenarios from "Making new layers and models via subclassing" (keras.io)."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


def test_lazy_build_and_config_round_trip():
    layer = Linear(4)
    y = layer(ops.ones((2, 3)))
    assert y.shape == (2, 4) and len(layer.trainable_weights) == 2
    clone = Linear.from_config(layer.get_config())
    assert clone.units == 4 and clone.name == layer.name


def test_non_trainable_weight_accumulates():
    layer = ComputeSum(2)
    x = ops.ones((2, 2))
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), [2.0, 2.0])
    np.testing.assert_allclose(ops.convert_to_numpy(layer(x)), [4.0, 4.0])
    assert (len(layer.weights), len(layer.non_trainable_weights),
            len(layer.trainable_weights)) == (1, 1, 0)


def test_nested_layers_track_weights():
    class MLPBlock(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.linear_1 = Linear(8)
            self.linear_2 = Linear(1)

        def call(self, inputs):
            return self.linear_2(keras.activations.relu(self.linear_1(inputs)))

    mlp = MLPBlock()
    assert mlp(ops.ones((3, 5))).shape == (3, 1)
    assert len(mlp.weights) == 4 and len(mlp.trainable_weights) == 4


def test_add_loss_is_reset_on_each_call_and_used_in_fit():
    layer = OuterLayer()
    assert len(layer.losses) == 0
    layer(ops.zeros((1, 1)))
    layer(ops.zeros((1, 1)))
    assert len(layer.losses) == 1  # not accumulated across calls

    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, ActivityRegularizationLayer()(inputs))
    model.compile(optimizer="adam")  # the only loss comes from add_loss
    x = np.full((2, 3), 0.5, "float32")
    history = model.fit(x, x, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], 1e-2 * 0.5, rtol=1e-5)


def test_kernel_regularizer_losses_of_nested_dense():
    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(4, kernel_regularizer=keras.regularizers.l2(1e-3))

        def call(self, inputs):
            return self.dense(inputs)

    layer = Outer()
    layer(ops.zeros((1, 2)))
    (loss,) = layer.losses
    kernel = layer.dense.kernel.numpy()
    np.testing.assert_allclose(float(ops.convert_to_numpy(loss)),
                               1e-3 * np.sum(kernel ** 2), rtol=1e-5)


def test_keras_random_is_reachable_from_a_fresh_import():
    # `keras.random.SeedGenerator` right after `import keras`, in a fresh process so no
    # earlier test import can make it work by accident.
    import subprocess
    import sys
    code = "import minikeras as keras; print(keras.random.SeedGenerator(1).__class__.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "SeedGenerator"


def test_training_argument_custom_dropout():
    import minikeras.random as krandom

    class CustomDropout(keras.layers.Layer):
        def __init__(self, rate, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate
            self.seed_generator = krandom.SeedGenerator(1337)

        def call(self, inputs, training=None):
            if training:
                return krandom.dropout(inputs, rate=self.rate, seed=self.seed_generator)
            return inputs

    model = keras.Sequential([keras.Input((10,)), CustomDropout(0.5)])
    x = np.ones((10, 10), "float32")
    assert model.predict(x, verbose=0).sum() == 100.0  # inference: identity
    out = ops.convert_to_numpy(model(x, training=True))
    assert out.sum() != 100.0 and set(np.unique(out)) <= {0.0, 2.0}


def test_vae_with_add_loss_trains():
    import minikeras.random as krandom

    class Sampling(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = krandom.SeedGenerator(1337)

        def call(self, inputs):
            z_mean, z_log_var = inputs
            eps = krandom.normal(shape=ops.shape(z_mean), seed=self.seed_generator)
            return z_mean + ops.exp(0.5 * z_log_var) * eps

    class VAE(keras.Model):
        def __init__(self, original_dim, latent_dim=2, **kwargs):
            super().__init__(**kwargs)
            self.proj = layers.Dense(8, activation="relu")
            self.mean = layers.Dense(latent_dim)
            self.log_var = layers.Dense(latent_dim)
            self.sampling = Sampling()
            self.out = layers.Dense(original_dim, activation="sigmoid")

        def call(self, inputs):
            h = self.proj(inputs)
            z_mean, z_log_var = self.mean(h), self.log_var(h)
            self.add_loss(-0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1))
            return self.out(self.sampling((z_mean, z_log_var)))

    x = np.random.default_rng(0).random((32, 6)).astype("float32")
    vae = VAE(6)
    vae.compile(keras.optimizers.Adam(1e-3), loss=keras.losses.MeanSquaredError())
    hist = vae.fit(x, x, epochs=2, batch_size=16, verbose=0)
    assert len(hist.history["loss"]) == 2 and np.all(np.isfinite(hist.history["loss"]))
    assert len(vae.losses) == 1 and len(vae.trainable_weights) == 8


class _AutoConfigModel(keras.Model):
    """A subclassed model relying on Keras 3's automatic get_config (no override)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.dense = layers.Dense(2)

    def call(self, x):
        return self.dense(x)


class _UnitsModel(keras.Model):
    def __init__(self, units=3, **kw):
        super().__init__(**kw)
        self.units = units
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        return {"units": self.units, **super().get_config()}


def test_subclassed_model_auto_config_round_trip():
    config = _AutoConfigModel(name="foo").get_config()
    assert "kw" not in config and config["name"] == "foo"
    assert _AutoConfigModel.from_config(config).name == "foo"


def test_subclassed_model_get_config_with_super_round_trip():
    config = _UnitsModel(2).get_config()
    assert _UnitsModel.from_config(config).units == 2


def test_layer_auto_config_round_trip():
    class MyLayer(layers.Layer):
        def __init__(self, units, scale=1.0, **kwargs):
            super().__init__(**kwargs)
            self.units, self.scale = units, scale

        def call(self, x):
            return x * self.scale

    config = MyLayer(3, scale=2.0, name="zz").get_config()
    assert config["units"] == 3 and config["scale"] == 2.0 and config["name"] == "zz"
    again = MyLayer.from_config(config)
    assert (again.units, again.scale, again.name) == (3, 2.0, "zz")
