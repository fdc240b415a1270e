"""The Loss base class: reduction, sample_weight, masks, dtype, naming, errors."""
import warnings

import numpy as np
import pytest
from autograd import grad

import minikeras as keras
from minikeras import losses, ops
from minikeras.losses import loss as loss_module


class PerElement(losses.Loss):
    """Returns y_pred - y_true unchanged: makes the reduction visible."""

    def call(self, y_true, y_pred):
        return y_pred - y_true


class MaskedHalf(losses.Loss):
    """Values y_pred with a mask (set by the loss function) on values > 0."""

    def call(self, y_true, y_pred):
        out = y_pred * 1.0
        loss_module.set_loss_mask(out, ops.convert_to_numpy(y_pred) > 0)
        return out


VALUES = np.array([1.0, 2.0, 3.0, 6.0], np.float32)
ZEROS = np.zeros(4, np.float32)
W = np.array([0.5, 0.0, 2.0, 1.0], np.float32)


@pytest.mark.parametrize("reduction,expected", [
    ("sum_over_batch_size", 12.0 / 4),
    ("mean", 12.0 / 4),
    ("sum", 12.0),
    ("mean_with_sample_weight", 12.0 / 4),
])
def test_reductions_without_weights(reduction, expected):
    out = PerElement(reduction=reduction)(ZEROS, VALUES)
    assert out.shape == () and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-7)


@pytest.mark.parametrize("reduction,expected", [
    # weighted sum = 0.5 + 0 + 6 + 6 = 12.5
    ("sum_over_batch_size", 12.5 / 4),
    ("mean", 12.5 / 4),  # Keras 3.15: like sum_over_batch_size
    ("sum", 12.5),
    ("mean_with_sample_weight", 12.5 / 3.5),
])
def test_reductions_with_weights(reduction, expected):
    out = PerElement(reduction=reduction)(ZEROS, VALUES, sample_weight=W)
    np.testing.assert_allclose(out, expected, rtol=1e-6)


@pytest.mark.parametrize("reduction", ["none", None])
def test_reduction_none_keeps_weighted_values(reduction):
    out = PerElement(reduction=reduction)(ZEROS, VALUES, sample_weight=W)
    np.testing.assert_allclose(out, VALUES * W)


def test_sample_weight_rank_is_squeezed_or_expanded():
    loss = PerElement(reduction="none")
    # (4,) values with (4, 1) weights: rank-1 values gain a trailing axis.
    out = loss(ZEROS, VALUES, sample_weight=W[:, None])
    assert out.shape == (4, 1)
    np.testing.assert_allclose(out[:, 0], VALUES * W)
    # (4, 3, 1) weights against (4, 3) values: the weights' trailing 1 is squeezed.
    v3 = np.arange(12, dtype=np.float32).reshape(4, 3)
    w3 = np.linspace(0, 1, 12).reshape(4, 3, 1).astype(np.float32)
    out = loss(np.zeros_like(v3), v3, sample_weight=w3)
    assert out.shape == (4, 3)
    np.testing.assert_allclose(out, v3 * w3[..., 0])
    # (4, 1) values with (4,) weights: the weights gain a trailing axis.
    out = loss(ZEROS[:, None], VALUES[:, None], sample_weight=W)
    assert out.shape == (4, 1)
    np.testing.assert_allclose(out[:, 0], VALUES * W)
    # (4, 3) values with (4, 1) weights broadcast over the time axis.
    v3 = np.arange(12, dtype=np.float32).reshape(4, 3)
    out = loss(np.zeros_like(v3), v3, sample_weight=W[:, None])
    np.testing.assert_allclose(out, v3 * W[:, None])


def test_scalar_sample_weight():
    out = PerElement(reduction="sum")(ZEROS, VALUES, sample_weight=2.0)
    np.testing.assert_allclose(out, 24.0)


def test_mask_averages_over_valid_entries_only():
    y_pred = np.array([1.0, -2.0, 3.0, -4.0], np.float32)
    # masked entries (<= 0) drop out; the mean is over the 2 valid ones.
    np.testing.assert_allclose(MaskedHalf()(ZEROS, y_pred), (1 + 3) / 2)
    np.testing.assert_allclose(MaskedHalf(reduction="sum")(ZEROS, y_pred), 4.0)
    np.testing.assert_allclose(
        MaskedHalf(reduction="mean_with_sample_weight")(ZEROS, y_pred), 4.0 / 2)
    w = np.array([2.0, 5.0, 1.0, 5.0], np.float32)
    np.testing.assert_allclose(MaskedHalf()(ZEROS, y_pred, sample_weight=w), (2 + 3) / 2)
    np.testing.assert_allclose(
        MaskedHalf(reduction="mean_with_sample_weight")(ZEROS, y_pred, sample_weight=w),
        (2 + 3) / 3)
    # Nothing valid: 0, not nan.
    np.testing.assert_allclose(MaskedHalf()(ZEROS, -np.abs(y_pred)), 0.0)


def test_empty_and_scalar_values_are_returned_unreduced():
    out = PerElement()(np.float32(0), np.float32(3.0))
    np.testing.assert_allclose(out, 3.0)
    out = PerElement()(np.zeros(0, np.float32), np.zeros(0, np.float32))
    assert out.shape == (0,)


def test_sample_weight_that_cannot_broadcast_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(4,\).*\(5,\)"):
        losses.MeanSquaredError()(np.ones((4, 3)), np.ones((4, 3)), sample_weight=np.ones(5))


def test_invalid_reduction():
    with pytest.raises(ValueError, match="reduction=bad"):
        losses.MeanSquaredError(reduction="bad")


def test_legacy_auto_reduction_warns_and_means_default():
    with pytest.warns(DeprecationWarning, match="auto"):
        loss = losses.MeanSquaredError(reduction=losses.Reduction.AUTO)
    assert loss.reduction == "sum_over_batch_size"


def test_legacy_reduction_class():
    assert losses.Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")
    losses.Reduction.validate("sum")
    with pytest.raises(ValueError, match="Invalid Reduction Key: mean"):
        losses.Reduction.validate("mean")


def test_names_and_dtype():
    assert losses.Loss().name == "loss"
    assert losses.Loss().name == "loss_1"
    assert PerElement().name == "per_element"
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"
    assert losses.Loss().dtype == "float32"
    assert losses.Loss(dtype="float64").dtype == "float64"


def test_inputs_are_cast_to_the_loss_dtype():
    y_true = np.array([[1, 0], [0, 1]], np.int64)
    y_pred = np.array([[0.2, 0.8], [0.6, 0.4]], np.float64)
    out = losses.MeanSquaredError()(y_true, y_pred)
    assert out.dtype == np.float32
    out = losses.MeanSquaredError(dtype="float64")(y_true, y_pred)
    assert out.dtype == np.float64
    # Python lists work too.
    np.testing.assert_allclose(losses.MeanSquaredError()([[1.0, 0.0]], [[0.0, 0.0]]), 0.5)


def test_call_returns_per_sample_values():
    y_true = np.zeros((4, 3), np.float32)
    y_pred = np.arange(12, dtype=np.float32).reshape(4, 3)
    out = losses.MeanSquaredError().call(y_true, y_pred)
    np.testing.assert_allclose(out, np.mean(y_pred ** 2, axis=-1))


def test_works_on_autograd_boxes():
    y_true = np.array([[0.0, 1.0], [1.0, 0.0]], np.float32)
    y_pred = np.array([[0.3, 0.7], [0.6, 0.4]], np.float32)
    loss = losses.CategoricalCrossentropy()
    g = grad(lambda p: loss(y_true, p, sample_weight=np.array([1.0, 3.0])))(y_pred)
    # d/dp of -sum(y log(p / sum p)), averaged over 2 samples with weights 1, 3.
    s = y_pred.sum(-1, keepdims=True)
    want = (-y_true / y_pred + 1.0 / s) * np.array([[1.0], [3.0]]) / 2
    np.testing.assert_allclose(g, want, rtol=1e-5)


def test_works_with_variables_and_gradient_tape():
    v = keras.Variable(np.array([[0.5, 2.0]], np.float32))
    with keras.GradientTape() as tape:
        out = losses.MeanSquaredError()(np.zeros((1, 2), np.float32), v)
    g = tape.gradient(out, v)
    np.testing.assert_allclose(ops.convert_to_numpy(g), [[0.5, 2.0]], rtol=1e-6)


def test_subclass_config_round_trip():
    loss = PerElement(name="custom", reduction="sum")
    assert loss.get_config() == {"name": "custom", "reduction": "sum"}
    clone = PerElement.from_config(loss.get_config())
    assert clone.name == "custom" and clone.reduction == "sum"


def test_base_call_is_abstract():
    with pytest.raises(NotImplementedError):
        losses.Loss()(np.zeros(2), np.zeros(2))


def test_no_warnings_on_ordinary_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses.BinaryCrossentropy()(np.array([[0.0, 1.0]]), np.array([[0.2, 0.9]]))


class _Masked(np.ndarray):
    """An array carrying a Keras mask, as a masking layer's output would."""


def test_mask_on_y_pred_is_applied():
    y_pred = np.array([[1.0], [3.0], [5.0]], np.float32).view(_Masked)
    y_pred._keras_mask = np.array([True, False, True])
    y_true = np.zeros((3, 1), np.float32)
    # MSE per sample: 1, 9, 25; the masked middle one is left out of the mean.
    np.testing.assert_allclose(losses.MeanSquaredError()(y_true, y_pred), (1 + 25) / 2)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="sum")(y_true, y_pred), 26.0)
