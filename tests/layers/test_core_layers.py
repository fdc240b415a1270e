"""Dense, Activation, Dropout, Flatten, Identity, Lambda and the Layer base class."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops
from tests.gradcheck import check_grad


def test_dense_math_shapes_and_weights():
    d = layers.Dense(3, activation="relu", name="d")
    x = np.random.rand(4, 5).astype("float32")
    y = d(x)
    assert y.shape == (4, 3) and y.dtype == np.float32
    k, b = d.get_weights()
    np.testing.assert_allclose(y, np.maximum(x @ k + b, 0), rtol=1e-6)
    assert [w.path for w in d.weights] == ["d/kernel", "d/bias"]
    assert d.count_params() == 18
    assert d(np.random.rand(2, 7, 5)).shape == (2, 7, 3)


def test_dense_accepts_float64_and_lists_returns_float32():
    d = layers.Dense(2)
    assert d(np.ones((1, 3))).dtype == np.float32
    assert d([[1.0, 2.0, 3.0]]).shape == (1, 2)


def test_dense_wrong_feature_count_names_layer_and_shapes():
    d = layers.Dense(2, name="my_dense")
    d(np.ones((1, 3)))
    with pytest.raises(ValueError, match=r'"my_dense".*value 3.*\(1, 4\)'):
        d(np.ones((1, 4)))


def test_dense_invalid_units():
    with pytest.raises(ValueError, match="units"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="units"):
        layers.Dense("many")


def test_unknown_activation_string_names_it():
    with pytest.raises(ValueError, match="sparkle"):
        layers.Dense(2, activation="sparkle")


def test_dense_gradient_against_numeric():
    d = layers.Dense(3, activation="tanh")
    d.build((None, 4))
    k = d.kernel.numpy().astype(np.float64)
    b = d.bias.numpy().astype(np.float64)
    from minikeras.backend import primitives as P
    check_grad(lambda x: ops.tanh(P.dense(x, k, b)), np.random.rand(2, 4))
    check_grad(lambda kk: ops.tanh(P.dense(np.random.default_rng(0).random((2, 4)), kk, b)), k)


def test_dense_regularizer_and_constraint():
    d = layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1),
                     kernel_constraint=keras.constraints.NonNeg())
    d.build((None, 3))
    d(np.ones((1, 3)))
    (penalty,) = d.losses
    np.testing.assert_allclose(penalty, 0.1 * np.sum(d.kernel.numpy() ** 2), rtol=1e-6)
    assert d.kernel.constraint is not None


def test_dense_config_roundtrip():
    d = layers.Dense(4, activation="softmax", use_bias=False, name="out",
                     kernel_initializer="he_normal")
    cfg = d.get_config()
    assert cfg["units"] == 4 and cfg["activation"] == "softmax" and cfg["use_bias"] is False
    d2 = layers.Dense.from_config(cfg)
    assert d2.units == 4 and d2.name == "out" and not d2.use_bias
    assert d2.get_config() == cfg


def test_activation_layer_and_identity():
    a = layers.Activation("sigmoid")
    np.testing.assert_allclose(a(np.zeros((1, 2))), 0.5)
    assert layers.Activation.from_config(a.get_config()).get_config()["activation"] == "sigmoid"
    x = np.arange(4.0).reshape(2, 2)
    np.testing.assert_array_equal(layers.Identity()(x), x)


def test_dropout_training_vs_inference():
    drop = layers.Dropout(0.5, seed=1)
    x = np.ones((200, 50), dtype="float32")
    np.testing.assert_array_equal(drop(x), x)          # inference by default
    np.testing.assert_array_equal(drop(x, training=False), x)
    y = drop(x, training=True)
    kept = y != 0
    assert 0.4 < kept.mean() < 0.6
    np.testing.assert_allclose(y[kept], 2.0)           # scaled by 1 / (1 - rate)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.5)


def test_dropout_noise_shape_drops_whole_columns():
    y = layers.Dropout(0.5, noise_shape=(None, 1, 4), seed=3)(np.ones((8, 5, 4)), training=True)
    assert np.all((y == y[:, :1, :]))


def test_training_flag_reaches_nested_layers():
    model = keras.Sequential([keras.Input((10,)), layers.Dropout(0.9)])
    x = np.ones((4, 10), dtype="float32")
    np.testing.assert_array_equal(model(x), x)
    assert (model(x, training=True) == 0).mean() > 0.5


def test_flatten_both_formats():
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    assert layers.Flatten()(x).shape == (2, 12)
    np.testing.assert_array_equal(layers.Flatten(data_format="channels_first")(x)[0],
                                  np.moveaxis(x, 1, -1)[0].ravel())
    assert layers.Flatten().compute_output_shape((None, 3, 4)) == (None, 12)


def test_lambda_layer_eager_symbolic_and_config():
    lam = layers.Lambda(lambda t: t * 2 + 1)
    np.testing.assert_allclose(lam(np.ones((1, 2))), 3.0)
    inp = keras.Input((3,))
    out = layers.Lambda(lambda t: ops.sum(t, axis=-1, keepdims=True))(inp)
    assert out.shape == (None, 1)
    cfg = lam.get_config()
    assert cfg["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode"):
        layers.Lambda.from_config(cfg)
    restored = layers.Lambda.from_config(cfg, safe_mode=False)
    np.testing.assert_allclose(restored(np.ones((1, 2))), 3.0)



def _scaled_sum(t):
    return ops.sum(t, axis=-1, keepdims=True) * 2


def test_lambda_named_function_missing_on_load_is_a_type_error():
    cfg = layers.Lambda(_scaled_sum).get_config()
    assert cfg["function"]["config"] == "_scaled_sum"
    # Keras raises TypeError ("Could not locate function") for an unknown name.
    with pytest.raises(TypeError, match="Could not locate function '_scaled_sum'"):
        layers.Lambda.from_config(cfg)
    restored = layers.Lambda.from_config(cfg, custom_objects={"_scaled_sum": _scaled_sum})
    np.testing.assert_allclose(restored(np.ones((1, 3), "float32")), [[6.0]])


def test_lambda_with_output_shape_and_arguments():
    lam = layers.Lambda(lambda t, k: t[:, :k], output_shape=(2,), arguments={"k": 2})
    out = lam(keras.Input((5,)))
    assert out.shape == (None, 2)
    assert lam(np.ones((3, 5))).shape == (3, 2)


class Linear(layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=False)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.parts = [Linear(3), Linear(2)]
        self.extra = {"head": layers.Dense(1)}

    def call(self, x, training=None):
        for p in self.parts:
            x = p(x)
        self.add_loss(ops.sum(x) * 0.0 + 1.5)
        return self.extra["head"](x)


def test_custom_layer_tracking_trainable_and_auto_config():
    blk = Block()
    out = blk(np.ones((2, 5)))
    assert out.shape == (2, 1)
    assert len(blk.weights) == 6 and len(blk.trainable_weights) == 4
    assert len(blk.non_trainable_weights) == 2
    assert blk.losses == [1.5]
    blk.trainable = False
    assert blk.trainable_weights == [] and len(blk.non_trainable_weights) == 6
    assert Linear(units=7).get_config()["units"] == 7
    assert Linear.from_config(Linear(units=7).get_config()).units == 7


def test_set_weights_checks_count_and_shapes():
    d = layers.Dense(2)
    d.build((None, 3))
    with pytest.raises(ValueError, match="expecting 2 weights"):
        d.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 2\)"):
        d.set_weights([np.zeros((2, 2)), np.zeros(2)])
    d.set_weights([np.ones((3, 2)), np.ones(2)])
    np.testing.assert_array_equal(d(np.ones((1, 3))), [[4.0, 4.0]])


def test_get_weights_returns_copies():
    d = layers.Dense(2)
    d.build((None, 3))
    w = d.get_weights()[0]
    w[:] = 123
    assert not np.any(d.kernel.numpy() == 123)


def test_count_params_unbuilt_raises():
    with pytest.raises(ValueError, match="isn't built"):
        layers.Dense(3).count_params()


def test_input_spec_rank_error():
    layer = layers.Dense(2)
    with pytest.raises(ValueError, match="min_ndim=2"):
        layer(np.ones(3))


def test_activity_regularizer_divided_by_batch():
    d = layers.Dense(2, kernel_initializer="ones", activity_regularizer=keras.regularizers.L1(0.5))
    x = np.ones((4, 3), dtype="float32")
    y = d(x)
    np.testing.assert_allclose(d.losses[0], 0.5 * np.abs(y).sum() / 4, rtol=1e-6)


def test_model_losses_list_activity_terms_before_weight_penalties():
    # Keras's order for `losses`: every add_loss/activity term (layer by layer),
    # then the weight-regularization penalties, even of earlier layers.
    class AddLoss(layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x) * 0.0 + 7.0)
            return x

    inputs = keras.Input((3,))
    x = layers.Dense(2, kernel_initializer="ones",
                     kernel_regularizer=keras.regularizers.L1(1.0))(inputs)
    x = AddLoss()(x)
    x = layers.ActivityRegularization(l1=1.0)(x)
    model = keras.Model(inputs, x)
    model(np.ones((1, 3), "float32"))
    np.testing.assert_allclose([float(v) for v in model.losses], [7.0, 6.0, 6.0])


def test_watched_array_reaches_layers_that_reshape_or_use_operators():
    # A watched array enters each layer as the tape's tensor, so Flatten (a
    # reshape) and a Lambda with Python operators are recorded, as in TensorFlow.
    x = np.arange(6, dtype="float32").reshape(1, 2, 3)
    w = np.linspace(-1, 1, 6).astype("float32").reshape(1, 6)
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(layers.Flatten()(x) * w)
    np.testing.assert_allclose(tape.gradient(y, x), w.reshape(1, 2, 3))
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(layers.Lambda(lambda t: t * t)(x))
    np.testing.assert_allclose(tape.gradient(y, x), 2 * x)


def test_input_layer_config_gives_batch_shape_as_a_tuple(tmp_path):
    # Keras 3 keeps `batch_shape` a tuple in get_config(), also after load_model.
    model = keras.Sequential([keras.Input(batch_shape=(4, 5, 3)), layers.Dense(2)])
    assert model.get_config()["layers"][0]["config"]["batch_shape"] == (4, 5, 3)
    inp = keras.Input(batch_shape=[None, 5, 3])
    assert inp._keras_history[0].get_config()["batch_shape"] == (None, 5, 3)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    assert restored.get_config()["layers"][0]["config"]["batch_shape"] == (4, 5, 3)
