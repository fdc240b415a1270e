"""Eager results carry TensorFlow's `.numpy()` and behave as numpy arrays."""
import pickle

import numpy as np

import minikeras as keras
from minikeras import ops
from minikeras.backend import GradientTape
from minikeras.backend.eager_tensor import EagerTensor


def _model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])


def test_model_and_layer_calls_have_numpy():
    model = _model()
    x = np.ones((4, 3), "float32")
    out = model(x)
    assert isinstance(out, EagerTensor)
    plain = out.numpy()
    assert type(plain) is np.ndarray and plain.dtype == np.float32
    np.testing.assert_array_equal(plain, model.predict(x, verbose=0))
    # A copy: changing it does not change the result it came from.
    plain[...] = 7
    assert not np.any(out == 7)
    assert type(model.layers[0](x).numpy()) is np.ndarray
    # Indexing and arithmetic keep the type, as with TF tensors.
    assert out[0].numpy().shape == (2,)
    assert (out * 2).numpy().shape == (4, 2)


def test_predict_returns_plain_arrays():
    out = _model().predict(np.ones((4, 3), "float32"), verbose=0)
    assert type(out) is np.ndarray


def test_loss_and_metric_calls_have_numpy():
    y_pred = _model()(np.ones((2, 3), "float32"))
    y_true = np.array([[0.0, 1.0], [1.0, 0.0]], "float32")
    loss = keras.losses.CategoricalCrossentropy()(y_true, y_pred)
    value = loss.numpy()
    assert isinstance(value, np.float32)
    # The loss still comes from the logits behind the softmax (no clipping).
    logits_based = keras.losses.CategoricalCrossentropy()(y_true, np.asarray(y_pred))
    np.testing.assert_allclose(value, float(logits_based), rtol=1e-6)
    acc = keras.metrics.CategoricalAccuracy()(y_true, y_pred)
    assert isinstance(acc.numpy(), np.float32)


def test_prints_and_pickles_as_a_plain_array():
    out = _model()(np.ones((1, 3), "float32"))
    assert repr(out) == repr(np.asarray(out))
    assert str(out) == str(np.asarray(out))
    assert type(pickle.loads(pickle.dumps(out))) is np.ndarray


def test_differentiable_next_to_variables_and_watchable():
    y = _model()(np.ones((1, 3), "float32"))
    w = keras.Variable(np.full((1, 2), 3.0, "float32"))
    with GradientTape() as tape:
        loss = ops.sum(y * w)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, w)), np.asarray(y), rtol=1e-6)
    with GradientTape() as tape:
        tape.watch(y)
        z = ops.sum(ops.square(y))
    np.testing.assert_allclose(np.asarray(tape.gradient(z, y)), 2 * np.asarray(y), rtol=1e-6)


def test_feeds_back_into_models_as_plain_input():
    model = _model()
    first = model(np.ones((2, 3), "float32"))
    second = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    out = second(first)
    assert out.numpy().shape == (2, 1)
    second.compile(optimizer="sgd", loss="mse")
    history = second.fit(first, np.zeros((2, 1), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_watched_eager_result_is_recorded_through_a_layer():
    y = _model()(np.ones((1, 3), "float32"))
    flatten = keras.layers.Flatten()
    with GradientTape() as tape:
        tape.watch(y)
        z = ops.sum(flatten(y) * 3.0)
    np.testing.assert_allclose(np.asarray(tape.gradient(z, y)), np.full((1, 2), 3.0))
