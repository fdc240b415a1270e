"""Behaviour of the metrics beyond the golden numbers: the base class contract,
accumulation, `get`/`serialize`/`deserialize`, custom metrics and bad input."""
import warnings

import numpy as np
import pytest

from minikeras import metrics, ops
from minikeras.backend import GradientTape, Variable


# ----- base class ---------------------------------------------------------------------
def test_state_is_non_trainable_variables_named_under_the_metric():
    m = metrics.Mean(name="loss_tracker")
    assert [v.path for v in m.variables] == ["loss_tracker/total", "loss_tracker/count"]
    assert all(isinstance(v, Variable) and not v.trainable for v in m.variables)
    assert m.trainable_weights == [] and len(m.non_trainable_weights) == 2


def test_call_updates_then_returns_result_and_reset_zeroes():
    m = metrics.Mean()
    assert float(m([1.0, 3.0])) == 2.0
    assert float(m([5.0, 7.0])) == 4.0
    m.reset_state()
    assert all(float(np.sum(v.numpy())) == 0.0 for v in m.variables)
    assert float(m.result()) == 0.0


def test_result_is_float32_numpy():
    for m in (metrics.Mean(), metrics.AUC(), metrics.Precision(), metrics.MeanIoU(2)):
        r = m.result()
        assert isinstance(r, (np.ndarray, np.generic)) and r.dtype == np.float32


def test_float64_dtype_is_kept():
    m = metrics.MeanSquaredError(dtype="float64")
    m.update_state([[1.0, 2.0]], [[1.5, 2.5]])
    assert m.result().dtype == np.float64 and m.variables[0].dtype == "float64"


def test_mixed_policy_name_computes_in_float16():
    assert metrics.Mean(dtype="mixed_float16").dtype == "float16"


def test_auto_names_are_snake_case_and_unique():
    a, b = metrics.TruePositives(), metrics.TruePositives()
    assert a.name.startswith("true_positives") and a.name != b.name
    assert metrics.MeanIoU(3).name.startswith("mean_io_u")


def test_reset_states_keras2_spelling_warns():
    m = metrics.Sum()
    m.update_state([2.0])
    with pytest.warns(DeprecationWarning):
        m.reset_states()
    assert float(m.result()) == 0.0


def test_update_state_accepts_autograd_boxes_and_stores_plain_values():
    m = metrics.MeanSquaredError()
    w = Variable(np.array([1.0, 2.0], np.float32))
    with GradientTape() as tape:
        pred = w * 2.0
        m.update_state(np.array([1.0, 1.0], np.float32), pred)
        loss = ops.sum(pred)
    tape.gradient(loss, [w])
    for v in m.variables:
        assert type(v.numpy()) is np.ndarray
    np.testing.assert_allclose(m.result(), (1.0 + 9.0) / 2)


def test_stateless_api_leaves_state_alone():
    m = metrics.Mean()
    m.update_state([10.0])
    before = [v.numpy().copy() for v in m.variables]
    zeros = m.stateless_reset_state()
    new = m.stateless_update_state(zeros, [1.0, 3.0])
    assert float(m.stateless_result(new)) == 2.0
    for v, b in zip(m.variables, before):
        np.testing.assert_array_equal(v.numpy(), b)
    with pytest.raises(ValueError, match="metric_variables"):
        m.stateless_result([0.0])


class BinaryTruePositives(metrics.Metric):
    """The custom metric of the Keras guide, written with ops."""

    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), initializer="zeros",
                                                name="true_positives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = ops.logical_and(ops.cast(y_true, "bool"), ops.cast(y_pred, "bool"))
        values = ops.cast(values, self.dtype)
        if sample_weight is not None:
            values = ops.multiply(values, ops.cast(sample_weight, self.dtype))
        self.true_positives.assign(self.true_positives + ops.sum(values))

    def result(self):
        return self.true_positives.numpy()


def test_custom_metric_subclass():
    m = BinaryTruePositives()
    m.update_state([1, 1, 0, 1], [1, 0, 1, 1], sample_weight=[1.0, 1.0, 1.0, 0.5])
    assert float(m.result()) == 1.5
    m.reset_state()
    assert float(m.result()) == 0.0


def test_nested_metrics_and_attribute_variables_are_tracked():
    class Pair(metrics.Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.a = metrics.Mean(name="a")
            self.extra = Variable(np.zeros(()), trainable=False, name="extra")

    assert len(Pair().variables) == 3


def test_forgetting_super_init_is_a_clear_error():
    class Bad(metrics.Metric):
        def __init__(self):
            self.v = None

    with pytest.raises(RuntimeError, match="super"):
        Bad().add_variable((), "zeros")


# ----- accumulation over batches ------------------------------------------------------------
def test_auc_accumulates_over_the_epoch_not_mean_of_batch_aucs():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 64).astype(np.float32)
    p = np.clip(y * 0.3 + rng.random(64) * 0.7, 0, 1).astype(np.float32)
    whole = metrics.AUC()
    whole.update_state(y, p)
    batched, per_batch = metrics.AUC(), []
    for i in range(0, 64, 16):
        batched.update_state(y[i:i + 16], p[i:i + 16])
        one = metrics.AUC()
        one.update_state(y[i:i + 16], p[i:i + 16])
        per_batch.append(float(one.result()))
    np.testing.assert_allclose(batched.result(), whole.result(), rtol=1e-6)
    assert abs(float(batched.result()) - np.mean(per_batch)) > 1e-3


def test_auc_close_to_exact_rank_auc_with_many_thresholds():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    p = rng.random(200).astype(np.float32)
    pos, neg = p[y == 1], p[y == 0]
    exact = np.mean(pos[:, None] > neg[None, :])
    m = metrics.AUC(num_thresholds=2000)
    m.update_state(y, p)
    assert abs(float(m.result()) - exact) < 2e-3


def test_precision_and_recall_accumulate_counts():
    p, r = metrics.Precision(), metrics.Recall()
    for y, s in (([1, 0, 1], [0.9, 0.8, 0.1]), ([1, 1], [0.7, 0.6])):
        p.update_state(y, s)
        r.update_state(y, s)
    # TP=3, FP=1, FN=1
    np.testing.assert_allclose([p.result(), r.result()], [0.75, 0.75])


def test_precision_with_several_thresholds_returns_one_value_each():
    m = metrics.Precision(thresholds=[0.3, 0.6])
    m.update_state([1, 0, 1, 0], [0.5, 0.4, 0.9, 0.7])
    np.testing.assert_allclose(m.result(), [2 / 4, 1 / 2])


# ----- get / serialize / deserialize ----------------------------------------------------------
@pytest.mark.parametrize("identifier, cls", [
    ("accuracy", metrics.Accuracy), ("acc", metrics.Accuracy),
    ("binary_accuracy", metrics.BinaryAccuracy), ("BinaryAccuracy", metrics.BinaryAccuracy),
    ("categorical_accuracy", metrics.CategoricalAccuracy),
    ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
    ("mse", metrics.MeanSquaredError), ("MSE", metrics.MeanSquaredError),
    ("mean_squared_error", metrics.MeanSquaredError), ("mae", metrics.MeanAbsoluteError),
    ("mape", metrics.MeanAbsolutePercentageError), ("msle", metrics.MeanSquaredLogarithmicError),
    ("bce", metrics.BinaryCrossentropy), ("AUC", metrics.AUC), ("auc", metrics.AUC),
    ("precision", metrics.Precision), ("recall", metrics.Recall),
    ("root_mean_squared_error", metrics.RootMeanSquaredError), ("r2_score", metrics.R2Score),
])
def test_get_strings(identifier, cls):
    assert type(metrics.get(identifier)) is cls


def test_get_other_identifiers():
    assert metrics.get(None) is None
    m = metrics.AUC()
    assert metrics.get(m) is m
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)
    auc = metrics.get({"class_name": "AUC", "config": {"num_thresholds": 10}})
    assert isinstance(auc, metrics.AUC) and auc.num_thresholds == 10

    def my_metric(y_true, y_pred):
        return ops.abs(ops.subtract(y_true, y_pred))

    wrapped = metrics.get(my_metric)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "my_metric"
    wrapped.update_state([1.0, 2.0], [2.0, 4.0])
    assert float(wrapped.result()) == 1.5


def test_get_unknown_names_it():
    with pytest.raises(ValueError, match="not_a_metric"):
        metrics.get("not_a_metric")
    with pytest.raises(ValueError, match="42"):
        metrics.get(42)


def test_serialize_matches_keras_format_and_round_trips():
    config = metrics.serialize(metrics.AUC(num_thresholds=7, curve="PR", name="pr_auc"))
    assert config["module"] == "keras.metrics" and config["class_name"] == "AUC"
    assert config["registered_name"] is None and config["config"]["curve"] == "PR"
    back = metrics.deserialize(config)
    assert isinstance(back, metrics.AUC) and back.get_config() == config["config"]
    assert metrics.serialize(metrics.mean_squared_error) == {
        "module": "builtins", "class_name": "function", "config": "mean_squared_error",
        "registered_name": "function"}
    assert metrics.deserialize("mse").__class__ is metrics.MeanSquaredError


def test_mean_metric_wrapper_config_round_trip_keeps_fn_and_kwargs():
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="ba", threshold=0.3)
    clone = metrics.deserialize(metrics.serialize(m))
    assert clone._fn is metrics.binary_accuracy and clone._fn_kwargs == {"threshold": 0.3}
    y, p = np.array([[1.0], [0.0]]), np.array([[0.4], [0.2]])
    m.update_state(y, p)
    clone.update_state(y, p)
    assert float(clone.result()) == float(m.result()) == 1.0


def test_custom_metric_deserializes_through_custom_objects():
    config = metrics.serialize(BinaryTruePositives(name="btp"))
    assert config["class_name"] == "BinaryTruePositives"
    with pytest.raises(ValueError, match="BinaryTruePositives"):
        metrics.deserialize(config)
    m = metrics.deserialize(config, custom_objects={"BinaryTruePositives": BinaryTruePositives})
    assert isinstance(m, BinaryTruePositives) and m.name == "btp"


def test_loss_functions_are_reexported_with_tf_keras_aliases():
    assert metrics.mse is metrics.mean_squared_error is metrics.MSE
    assert metrics.kld is metrics.kl_divergence and metrics.logcosh is metrics.log_cosh


# ----- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("make, match", [
    (lambda: metrics.AUC(num_thresholds=1), "num_thresholds"),
    (lambda: metrics.AUC(curve="XYZ"), "curve"),
    (lambda: metrics.AUC(summation_method="trapezoid"), "summation method"),
    (lambda: metrics.AUC(num_labels=3), "multi_label"),
    (lambda: metrics.Precision(thresholds=[0.5, 1.5]), r"\[0, 1\]"),
    (lambda: metrics.PrecisionAtRecall(recall=1.5), "recall"),
    (lambda: metrics.SensitivityAtSpecificity(0.5, num_thresholds=0), "num_thresholds"),
    (lambda: metrics.FBetaScore(beta=1), "beta"),
    (lambda: metrics.FBetaScore(average="median"), "average"),
    (lambda: metrics.F1Score(threshold=0.0), "threshold"),
    (lambda: metrics.R2Score(class_aggregation="max"), "class_aggregation"),
    (lambda: metrics.R2Score(num_regressors=-1), "num_regressors"),
    (lambda: metrics.IoU(num_classes=2, target_class_ids=[0, 2]), "out of range"),
])
def test_invalid_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_invalid_inputs():
    with pytest.raises(ValueError, match="2D"):
        metrics.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="rank 2"):
        metrics.AUC(multi_label=True).update_state(np.zeros((4,)), np.zeros((4,)))
    with pytest.raises(ValueError, match="shape"):
        metrics.BinaryCrossentropy().update_state(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="sample_weight"):
        metrics.Mean().update_state(np.zeros((4, 3)), sample_weight=np.ones((3,)))
    with pytest.raises(ValueError, match="class_id"):
        metrics.Precision(class_id=1).update_state(np.zeros((4,)), np.zeros((4,)))


def test_iou_float_weights_truncate_like_keras_int_state():
    m = metrics.MeanIoU(num_classes=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.update_state([0, 1], [0, 1], sample_weight=[0.5, 1.7])
    np.testing.assert_array_equal(m.total_cm.numpy(), [[0, 0], [0, 1]])


def test_binary_crossentropy_rank_mismatch_message_names_the_rank():
    m = metrics.BinaryCrossentropy(from_logits=True)
    with pytest.raises(ValueError, match=r"same rank \(ndim\)"):
        m.update_state(np.zeros(4, "float32"), np.zeros((4, 1), "float32"))
    with pytest.raises(ValueError, match=r"same rank \(ndim\)"):
        ops.binary_crossentropy(np.zeros(4, "float32"), np.zeros((4, 1), "float32"))
