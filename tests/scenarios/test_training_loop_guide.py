"""Scenarios from "Writing a training loop from scratch" (keras.io, TensorFlow flavour)."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import GradientTape, ops


def _model():
    inputs = keras.Input(shape=(16,), name="digits")
    x = keras.layers.Dense(8, activation="relu")(inputs)
    outputs = keras.layers.Dense(10, name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def _data():
    rng = np.random.default_rng(0)
    return rng.random((64, 16)).astype("float32"), rng.integers(0, 10, 64)


def _one_step(model, optimizer, loss_fn, xb, yb):
    with GradientTape() as tape:
        logits = model(xb, training=True)
        loss_value = loss_fn(yb, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)
    return loss_value, logits


def test_loop_with_metric_update_result_reset():
    x, y = _data()
    model = _model()
    optimizer = keras.optimizers.Adam(learning_rate=1e-2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    acc = keras.metrics.SparseCategoricalAccuracy()
    first = last = None
    for epoch in range(3):
        for step in range(0, 64, 16):
            loss_value, logits = _one_step(model, optimizer, loss_fn, x[step:step + 16],
                                           y[step:step + 16])
            acc.update_state(y[step:step + 16], logits)
            value = float(ops.convert_to_numpy(loss_value))
            first = value if first is None else first
            last = value
        assert 0.0 <= float(acc.result()) <= 1.0
        acc.reset_state()
        assert float(acc.result()) == 0.0
    assert int(optimizer.iterations.numpy()) == 12
    assert last < first


def test_float_of_loss_after_tape_as_the_guide_prints_it():
    x, y = _data()
    model = _model()
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    loss_value, logits = _one_step(model, keras.optimizers.SGD(0.1), loss_fn, x[:16], y[:16])
    # The guide: print(f"Training loss at step {step}: {float(loss_value):.4f}")
    assert np.isfinite(float(loss_value))
    assert isinstance(ops.convert_to_numpy(logits), np.ndarray)
    assert f"{float(loss_value):.4f}" == f"{float(np.asarray(ops.convert_to_numpy(loss_value))):.4f}"


def test_apply_gradients_zip_and_learning_rate_assignment():
    x, y = _data()
    model = _model()
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with GradientTape() as tape:
        loss = loss_fn(y[:8], model(x[:8], training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    before = model.trainable_weights[0].numpy().copy()
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    np.testing.assert_allclose(model.trainable_weights[0].numpy(),
                               before - 0.1 * np.asarray(grads[0]), rtol=1e-5, atol=1e-7)
    optimizer.learning_rate = 0.01
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.01, rtol=1e-6)
    with pytest.raises(ValueError):
        optimizer.apply_gradients([(None, model.trainable_weights[0])])


def test_tape_gradient_of_variables_and_persistent_tape():
    v = keras.Variable(2.0)
    with GradientTape(persistent=True) as tape:
        y = v * v
        z = y * v
    assert float(np.asarray(tape.gradient(y, v))) == 4.0
    assert float(np.asarray(tape.gradient(z, v))) == 12.0
    w = keras.Variable(1.0)
    with GradientTape() as tape:
        y = v * 2.0
    assert tape.gradient(y, [v, w])[1] is None  # unconnected -> None, as in TF


def test_tape_watch_input_through_a_model_fgsm_style():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_initializer="ones")])
    image = ops.convert_to_tensor(np.ones((1, 3), "float32"))
    with GradientTape() as tape:
        tape.watch(image)
        loss = keras.losses.MeanSquaredError()(np.zeros((1, 2)), model(image))
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, image)), [[6.0, 6.0, 6.0]])


@pytest.mark.xfail(strict=True, reason="tape.watch(x) on a tensor then `x * x` (plain "
                   "operators on the ndarray) is not traced: gradient is None (TF gives 6.0)")
def test_tape_watch_constant_with_python_operators():
    x = ops.convert_to_tensor(np.array([3.0], "float32"))
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    grad = tape.gradient(y, x)
    assert grad is not None
    np.testing.assert_allclose(np.asarray(grad), [6.0])
