"""keras.losses as a module: get/serialize/deserialize, aliases, configs, bad input."""
import inspect
import warnings

import numpy as np
import pytest

from minikeras import losses, ops
from minikeras.losses import LossFunctionWrapper

CLASSES = sorted(n for n in dir(losses) if inspect.isclass(getattr(losses, n))
                 and issubclass(getattr(losses, n), losses.Loss)
                 and n not in ("Loss", "LossFunctionWrapper"))

FUNCTION_NAMES = [
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "categorical_generalized_cross_entropy",
    "categorical_hinge", "circle", "cosine_similarity", "ctc", "dice", "hinge", "huber",
    "kl_divergence", "log_cosh", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error", "poisson",
    "sparse_categorical_crossentropy", "squared_hinge", "tversky",
]

ALIASES = {
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence", "KLD": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence", "logcosh": "log_cosh",
}

# Non-default constructor arguments per class, for config round trips.
NON_DEFAULT = {
    "BinaryCrossentropy": {"from_logits": True, "label_smoothing": 0.1, "axis": 0},
    "BinaryFocalCrossentropy": {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.0},
    "CategoricalCrossentropy": {"from_logits": True, "label_smoothing": 0.2},
    "CategoricalFocalCrossentropy": {"alpha": 0.5, "gamma": 3.0, "from_logits": True},
    "CategoricalGeneralizedCrossEntropy": {"q": 0.3},
    "Circle": {"gamma": 10.0, "margin": 0.2, "remove_diagonal": False},
    "CosineSimilarity": {"axis": 1},
    "Dice": {"axis": (1, 2)},
    "Huber": {"delta": 2.5},
    "SparseCategoricalCrossentropy": {"from_logits": True, "ignore_class": 3},
    "Tversky": {"alpha": 0.1, "beta": 0.9, "axis": (1,)},
}


def test_every_class_and_function_is_exported():
    assert len(CLASSES) == 22
    for name in FUNCTION_NAMES:
        assert callable(getattr(losses, name))


@pytest.mark.parametrize("alias,target", sorted(ALIASES.items()))
def test_aliases_are_the_functions(alias, target):
    assert getattr(losses, alias) is getattr(losses, target)


@pytest.mark.parametrize("name", FUNCTION_NAMES + ["mse", "MSE", "mae", "mape", "msle", "kld",
                                                   "bce", "BCE", "logcosh"])
def test_get_function_names(name):
    fn = losses.get(name)
    assert inspect.isfunction(fn)
    expected = getattr(losses, ALIASES.get(name, name), None) or losses.binary_crossentropy
    assert fn is expected


@pytest.mark.parametrize("cls_name", CLASSES)
def test_get_class_names_instantiate(cls_name):
    obj = losses.get(cls_name)
    assert type(obj) is getattr(losses, cls_name)
    assert type(losses.get(getattr(losses, cls_name))) is getattr(losses, cls_name)


def test_get_passes_instances_and_callables_through():
    inst = losses.Huber(delta=3.0)
    assert losses.get(inst) is inst

    def my_loss(y_true, y_pred):
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    assert losses.get(my_loss) is my_loss
    assert losses.get(None) is None


def test_get_dict():
    loss = losses.get({"class_name": "BinaryCrossentropy", "config": {"from_logits": True}})
    assert isinstance(loss, losses.BinaryCrossentropy) and loss.from_logits


@pytest.mark.parametrize("bad", ["mean_sqared_error", "Foo", 5, {"class_name": "Nope", "config": {}}])
def test_get_unknown_raises_value_error_naming_it(bad):
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(bad)
    if isinstance(bad, str):
        with pytest.raises(ValueError, match=bad):
            losses.get(bad)


def test_serialize_formats_match_keras():
    assert losses.serialize(losses.MeanSquaredError()) == {
        "module": "keras.losses", "class_name": "MeanSquaredError",
        "config": {"name": "mean_squared_error", "reduction": "sum_over_batch_size"},
        "registered_name": None}
    assert losses.serialize(losses.mean_squared_error) == {
        "module": "builtins", "class_name": "function", "config": "mean_squared_error",
        "registered_name": "function"}


@pytest.mark.parametrize("cls_name", CLASSES)
def test_config_round_trip(cls_name):
    cls = getattr(losses, cls_name)
    loss = cls(reduction="sum", name="my_loss", **NON_DEFAULT.get(cls_name, {}))
    config = loss.get_config()
    assert config["name"] == "my_loss" and config["reduction"] == "sum"
    for key, value in NON_DEFAULT.get(cls_name, {}).items():
        assert config[key] == value
    clone = cls.from_config(config)
    assert type(clone) is cls and clone.get_config() == config
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is cls and restored.get_config() == config


@pytest.mark.parametrize("name", FUNCTION_NAMES)
def test_function_round_trip(name):
    fn = getattr(losses, name)
    assert losses.deserialize(losses.serialize(fn)) is fn
    assert losses.deserialize(name) is fn


def test_deserialize_custom_objects():
    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.square(y_true - y_pred), axis=-1)

    def my_fn(y_true, y_pred):
        return y_pred

    config = losses.serialize(MyLoss(name="mine"))
    assert config["class_name"] == "MyLoss"
    obj = losses.deserialize(config, custom_objects={"MyLoss": MyLoss})
    assert isinstance(obj, MyLoss) and obj.name == "mine"
    assert losses.deserialize(losses.serialize(my_fn), custom_objects={"my_fn": my_fn}) is my_fn
    with pytest.raises(ValueError, match="my_fn"):
        losses.deserialize(losses.serialize(my_fn))


def test_loss_function_wrapper_config_round_trip():
    wrapper = LossFunctionWrapper(losses.huber, name="w", reduction="sum", delta=2.0)
    config = wrapper.get_config()
    assert config["delta"] == 2.0
    assert config["fn"]["config"] == "huber"
    clone = LossFunctionWrapper.from_config(config)
    y_true = np.zeros((2, 3), np.float32)
    y_pred = np.array([[0.5, 3.0, -1.0], [2.5, 0.0, 1.0]], np.float32)
    np.testing.assert_allclose(clone(y_true, y_pred), wrapper(y_true, y_pred))
    np.testing.assert_allclose(wrapper(y_true, y_pred), losses.Huber(delta=2.0, reduction="sum")(
        y_true, y_pred))
    assert "huber" in repr(wrapper)


def test_wrapper_aligns_ranks_like_keras():
    # (4,) labels against (4, 1) predictions: one value per sample, not a (4, 4) grid.
    y_true = np.array([0.0, 1.0, 2.0, 3.0], np.float32)
    y_pred = np.array([[0.5], [1.0], [2.5], [2.0]], np.float32)
    out = losses.MeanSquaredError(reduction="none")(y_true, y_pred)
    np.testing.assert_allclose(out, [0.25, 0.0, 0.25, 1.0])


# ----- bad input ----------------------------------------------------------------
BAD_SHAPES = {
    "MeanSquaredError": ((4, 3), (4, 2)), "MeanAbsoluteError": ((4, 3), (4, 2)),
    "MeanAbsolutePercentageError": ((4, 3), (4, 2)),
    "MeanSquaredLogarithmicError": ((4, 3), (4, 2)), "CosineSimilarity": ((4, 3), (4, 2)),
    "Huber": ((4, 3), (4, 2)), "LogCosh": ((4, 3), (4, 2)), "Hinge": ((4, 3), (4, 2)),
    "SquaredHinge": ((4, 3), (4, 2)), "CategoricalHinge": ((4, 3), (4, 2)),
    "KLDivergence": ((4, 3), (4, 2)), "Poisson": ((4, 3), (4, 2)),
    "BinaryCrossentropy": ((4, 3), (4, 2)), "BinaryFocalCrossentropy": ((4, 3), (4, 2)),
    "CategoricalCrossentropy": ((4, 3), (4, 2)),
    "CategoricalFocalCrossentropy": ((4, 3), (4, 2)),
    "SparseCategoricalCrossentropy": ((5,), (4, 3)),
    "Dice": ((4, 3), (4, 2)), "Tversky": ((4, 3), (4, 2)),
}


@pytest.mark.parametrize("cls_name", sorted(BAD_SHAPES))
def test_incompatible_shapes_raise_value_error_naming_both(cls_name):
    true_shape, pred_shape = BAD_SHAPES[cls_name]
    y_true = np.zeros(true_shape, np.float32)
    y_pred = np.full(pred_shape, 0.5, np.float32)
    with pytest.raises(ValueError) as info:
        getattr(losses, cls_name)()(y_true, y_pred)
    message = str(info.value)
    assert str(true_shape) in message and str(pred_shape) in message


def test_sparse_labels_out_of_range():
    with pytest.raises(ValueError, match=r"label value of 3 .*\[0, 3\)"):
        losses.SparseCategoricalCrossentropy()(np.array([0, 3]), np.full((2, 3), 1 / 3))


def test_sparse_only_last_axis():
    with pytest.raises(ValueError, match="axis"):
        losses.sparse_categorical_crossentropy(np.array([0, 1]), np.full((2, 3), 1 / 3), axis=0)


def test_ctc_shape_errors():
    with pytest.raises(ValueError, match="y_true.shape"):
        losses.ctc(np.zeros((2, 3, 1)), np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="y_pred.shape"):
        losses.ctc(np.ones((2, 3)), np.zeros((2, 5)))


def test_ctc_impossible_alignment_is_infinite():
    # Three labels with a repeat need 4 steps; 2 are given.
    out = losses.ctc(np.array([[1, 1, 2]]), np.zeros((1, 2, 3), np.float32))
    assert np.isinf(out[0])


def test_ctc_matches_brute_force_path_sum():
    # p(label) = sum over all paths that collapse to it; 3 steps, 3 classes.
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(1, 3, 3)).astype(np.float64)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    total = 0.0
    for path in np.ndindex(3, 3, 3):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or path[i - 1] != c)]
        if collapsed == [1, 2]:
            total += np.exp(sum(logp[0, t, c] for t, c in enumerate(path)))
    out = losses.ctc(np.array([[1, 2, 0]]), logits)
    np.testing.assert_allclose(out, [-np.log(total)], rtol=1e-10)


def test_generalized_cross_entropy_q_range():
    with pytest.raises(ValueError, match="q"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)


def test_axis_must_not_be_bool():
    with pytest.raises(ValueError, match="axis"):
        losses.categorical_crossentropy(np.eye(2), np.eye(2) * 0.5 + 0.25, axis=True)


def test_single_class_categorical_warns():
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5))


def test_hinge_converts_binary_labels_only():
    y_pred = np.array([[0.3, -0.4]], np.float32)
    np.testing.assert_allclose(losses.hinge(np.array([[1.0, 0.0]]), y_pred),
                               [np.mean([1 - 0.3, 1 - 0.4])], rtol=1e-6)
    np.testing.assert_allclose(losses.hinge(np.array([[1.0, -1.0]]), y_pred),
                               [np.mean([1 - 0.3, 1 - 0.4])], rtol=1e-6)


def test_no_float64_leaks_from_float32_inputs():
    y_true = np.array([[0.0, 1.0]], np.float32)
    y_pred = np.array([[0.25, 0.75]], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        for name in FUNCTION_NAMES:
            if name in ("ctc", "circle", "sparse_categorical_crossentropy",
                        "categorical_generalized_cross_entropy"):
                continue
            kwargs = {"q": 0.5} if name == "categorical_generalized_cross_entropy" else {}
            out = getattr(losses, name)(y_true, y_pred, **kwargs)
            assert ops.convert_to_numpy(out).dtype == np.float32, name
