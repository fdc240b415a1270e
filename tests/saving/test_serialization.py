"""`serialize_keras_object` / `deserialize_keras_object` and the custom-object registry."""
import json

import numpy as np
import pytest

import minikeras as keras
from minikeras import saving
from minikeras.saving import object_registration, safe_mode, serialization

L = keras.layers


def test_builtin_layer_uses_keras_public_names():
    config = saving.serialize_keras_object(L.Dense(3, activation="relu", name="d"))
    assert config["module"] == "keras.layers"
    assert config["class_name"] == "Dense"
    assert config["registered_name"] is None
    assert config["config"]["units"] == 3 and config["config"]["name"] == "d"
    rebuilt = saving.deserialize_keras_object(config)
    assert isinstance(rebuilt, L.Dense) and rebuilt.units == 3 and rebuilt.name == "d"


def test_top_level_and_internal_names():
    seq = keras.Sequential([keras.Input((2,)), L.Dense(1)])
    assert saving.serialize_keras_object(seq)["module"] == "keras"
    inp = keras.Input((2,))
    fn = keras.Model(inp, L.Dense(1)(inp))
    config = saving.serialize_keras_object(fn)
    assert (config["module"], config["class_name"], config["registered_name"]) == (
        "keras.src.models.functional", "Functional", "Functional")
    assert saving.serialize_keras_object(keras.optimizers.Adam())["module"] == \
        "keras.optimizers"
    assert saving.serialize_keras_object(keras.losses.MeanSquaredError())["module"] == \
        "keras.losses"
    assert saving.serialize_keras_object(keras.initializers.GlorotUniform())["module"] == \
        "keras.initializers"


@pytest.mark.parametrize("module", ["keras.layers", "keras.src.layers.core.dense", None,
                                    "keras"])
def test_keras_module_spellings_resolve(module):
    config = {"module": module, "class_name": "Dense", "config": {"units": 2},
              "registered_name": None}
    assert isinstance(saving.deserialize_keras_object(config), L.Dense)


def test_keras_ops_in_configs_are_not_mistaken_for_layers():
    # `x + y` on Keras tensors records a `keras.src.ops.numpy.Add` operation, which is
    # not the `Add` merge layer: it must not resolve to it.
    config = {"module": "keras.src.ops.numpy", "class_name": "Add", "config": {},
              "registered_name": "Add"}
    with pytest.raises(TypeError, match="Could not locate class 'Add'"):
        saving.deserialize_keras_object(config)


def test_plain_values_and_special_types():
    obj = {"a": [1, 2.5, "x", None, True], "b": (1, 2), "bytes": b"hi",
           "slice": slice(1, None, 2), "dots": Ellipsis, "arr": np.arange(3, dtype="int32"),
           "scalar": np.float32(1.5)}
    config = saving.serialize_keras_object(obj)
    json.dumps(config)
    assert config["arr"] == {"class_name": "__numpy__",
                             "config": {"value": [0, 1, 2], "dtype": "int32"}}
    assert config["scalar"] == 1.5
    back = saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert back["bytes"] == b"hi" and back["slice"] == slice(1, None, 2)
    assert back["dots"] is Ellipsis
    np.testing.assert_array_equal(back["arr"], np.arange(3))


def test_functions_round_trip_like_keras():
    config = saving.serialize_keras_object(keras.activations.relu)
    assert config == {"module": "builtins", "class_name": "function", "config": "relu",
                      "registered_name": "function"}
    assert saving.deserialize_keras_object(config) is keras.activations.relu
    loss = saving.deserialize_keras_object(
        {"module": "builtins", "class_name": "function", "config": "mean_squared_error",
         "registered_name": "function"})
    assert loss is keras.losses.mean_squared_error


def test_registered_function_and_class():
    @saving.register_keras_serializable(package="MyPkg")
    def my_act(x):
        return x

    config = saving.serialize_keras_object(my_act)
    assert config["config"] == "MyPkg>my_act"
    assert saving.deserialize_keras_object(config) is my_act
    assert saving.get_registered_name(my_act) == "MyPkg>my_act"
    assert saving.get_registered_object("MyPkg>my_act") is my_act
    assert saving.get_custom_objects()["MyPkg>my_act"] is my_act

    @saving.register_keras_serializable(package="MyPkg", name="Doubler")
    class Doubler(L.Layer):
        def call(self, x):
            return 2 * x

    config = saving.serialize_keras_object(Doubler(name="dd"))
    assert config["registered_name"] == "MyPkg>Doubler"
    assert config["class_name"] == "Doubler"
    rebuilt = saving.deserialize_keras_object(json.loads(json.dumps(config)))
    assert isinstance(rebuilt, Doubler) and rebuilt.name == "dd"


def test_registering_class_without_get_config_fails():
    with pytest.raises(ValueError, match="get_config"):
        saving.register_keras_serializable()(type("NoConfig", (), {}))


def test_custom_objects_argument_and_scope():
    class Halver(L.Layer):
        def call(self, x):
            return x / 2

    config = saving.serialize_keras_object(Halver())
    with pytest.raises(TypeError, match="Could not locate class 'Halver'"):
        saving.deserialize_keras_object(config)
    assert isinstance(saving.deserialize_keras_object(config, custom_objects={
        "Halver": Halver}), Halver)
    with saving.custom_object_scope({"Halver": Halver}):
        assert isinstance(saving.deserialize_keras_object(config), Halver)
    with saving.CustomObjectScope({"Halver": Halver}) as scope:
        assert scope.custom_objects == {"Halver": Halver}
    with pytest.raises(TypeError):
        saving.deserialize_keras_object(config)  # the scope ended


def test_lambda_serialization_needs_unsafe_mode():
    fn = lambda x: x + 1  # noqa: E731
    config = saving.serialize_keras_object(fn)
    assert config["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode=False"):
        saving.deserialize_keras_object(config)
    assert saving.deserialize_keras_object(config, safe_mode=False)(1) == 2
    with safe_mode.SafeModeScope(False):
        assert saving.deserialize_keras_object(config)(2) == 3
    with safe_mode.SafeModeScope(True):
        with pytest.raises(ValueError):
            saving.deserialize_keras_object(config, safe_mode=False)


def test_enable_unsafe_deserialization(monkeypatch):
    monkeypatch.setitem(safe_mode._GLOBAL, "unsafe_allowed", False)
    config = saving.serialize_keras_object(lambda x: x * 3)
    with pytest.raises(ValueError):
        saving.deserialize_keras_object(config)
    safe_mode.enable_unsafe_deserialization()
    assert saving.deserialize_keras_object(config)(2) == 6


def test_keras_tensor_config():
    inp = keras.Input((3,), name="inp")
    config = saving.serialize_keras_object(inp)
    assert config == {"class_name": "__keras_tensor__",
                      "config": {"shape": [None, 3], "dtype": "float32",
                                 "keras_history": ["inp", 0, 0]}}


def test_shared_object_ids_give_one_object():
    policy = {"module": "keras.layers", "class_name": "Dense", "config": {"units": 1},
              "registered_name": None, "shared_object_id": 77}
    with serialization.ObjectSharingScope():
        a = saving.deserialize_keras_object(policy)
        b = saving.deserialize_keras_object(policy)
    assert a is b


def test_compile_config_round_trip():
    model = keras.Sequential([keras.Input((2,)), L.Dense(1)])
    model.compile(optimizer=keras.optimizers.RMSprop(0.02), loss="mse",
                  metrics=["mae", keras.metrics.MeanSquaredError()])
    config = json.loads(json.dumps(model.get_compile_config()))
    kwargs = serialization.deserialize_compile_config(config)
    assert isinstance(kwargs["optimizer"], keras.optimizers.RMSprop)
    assert kwargs["loss"] == "mse"
    assert kwargs["metrics"][0] == "mae"
    assert isinstance(kwargs["metrics"][1], keras.metrics.MeanSquaredError)


def test_compile_config_records_the_optimizer_object_and_resolved_jit_compile():
    # Keras keeps the optimizer object (so its config, not the name passed in) and
    # resolves jit_compile="auto" at compile time (False without XLA).
    model = keras.Sequential([keras.Input((2,)), L.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    config = model.get_compile_config()
    assert config["optimizer"]["class_name"] == "Adam"
    assert config["optimizer"]["config"]["learning_rate"] == pytest.approx(1e-3)
    assert config["jit_compile"] is False and model.jit_compile is False


def test_uncompiled_model_has_an_empty_compile_config():
    model = keras.Sequential([keras.Input((2,)), L.Dense(1)])
    assert model.get_compile_config() == {}
    assert saving.serialize_keras_object(model)["compile_config"] == {}


def test_keras2_training_config():
    config = {"loss": "mse", "metrics": ["mae"], "loss_weights": None,
              "optimizer_config": {"class_name": "Adam", "config": {"learning_rate": 0.5}}}
    kwargs = serialization.deserialize_compile_config(config)
    assert isinstance(kwargs["optimizer"], keras.optimizers.Adam)
    assert float(kwargs["optimizer"].learning_rate.numpy()) == 0.5


def test_registry_lookup_order():
    class A:
        def get_config(self):
            return {}
    with saving.custom_object_scope({"Thing": A}):
        assert object_registration.get_registered_object("Thing") is A
    assert object_registration.get_registered_object("Thing", custom_objects={"Thing": 1}) == 1
    assert object_registration.get_registered_object("Thing", module_objects={"Thing": 2}) == 2
    assert object_registration.get_registered_object("Nope") is None
