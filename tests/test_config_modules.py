"""keras.config, keras.mixed_precision, keras.dtype_policies, keras.tree, legacy modules."""
import warnings

import numpy as np
import pytest

import minikeras as keras


def test_config_mirrors_backend_settings_and_caps_fit():
    assert keras.config.floatx() == "float32" and keras.config.backend() == "numpy"
    with pytest.raises(ValueError, match="numpy only"):
        keras.config.set_backend("jax")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(3)
    try:
        h = model.fit(np.zeros((64, 2)), np.zeros((64, 1)), epochs=10, batch_size=4, verbose=0)
    finally:
        keras.config.set_max_epochs(None)
        keras.config.set_max_steps_per_epoch(None)
    assert h.epoch == [0, 1] and h.params["steps"] == 3


def test_global_dtype_policy_sets_layer_dtype():
    keras.mixed_precision.set_global_policy("float64")
    try:
        layer = keras.layers.Dense(2)
        assert layer.dtype == "float64"
        assert layer(np.ones((1, 3))).dtype == np.float64
    finally:
        keras.config.set_dtype_policy("float32")
    assert keras.layers.Dense(2).dtype == "float32"
    with pytest.raises(NotImplementedError, match="mixed_float16"):
        keras.mixed_precision.set_global_policy("mixed_float16")
    assert keras.dtype_policies.get("float16").compute_dtype == "float16"


def test_tree_utilities():
    s = {"b": [1, 2], "a": (3,)}
    assert keras.tree.flatten(s) == [3, 1, 2]
    doubled = keras.tree.map_structure(lambda v: v * 2, s)
    assert doubled == {"b": [2, 4], "a": (6,)}
    assert keras.tree.pack_sequence_as([0, (0, 0)], [1, 2, 3]) == [1, (2, 3)]
    with pytest.raises(ValueError):
        keras.tree.assert_same_structure([1, 2], [1])


def test_legacy_optimizers_warn_and_work():
    with pytest.warns(DeprecationWarning, match="keras.optimizers.Adam"):
        opt = keras.optimizers.legacy.Adam(learning_rate=0.1)
    assert isinstance(opt, keras.optimizers.Adam)
    assert keras.utils.legacy.serialize_keras_object is keras.saving.serialize_keras_object
