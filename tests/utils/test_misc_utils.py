"""`Config`, `get_source_inputs`, the interactive logging switches."""
import json

import pytest

import minikeras as keras
from minikeras.utils import io_utils
from minikeras.utils.config import Config
from minikeras.utils.graph_utils import get_source_inputs


def test_config_attribute_and_item_access():
    config = Config(learning_rate=0.1, momentum=0.9)
    config.use_ema = True
    config["seed"] = 123
    assert config.seed == 123 and config["learning_rate"] == 0.1
    assert list(config) == ["learning_rate", "momentum", "seed", "use_ema"]
    assert len(config) == 4 and "momentum" in config
    assert json.loads(config.to_json()) == config.as_dict()
    assert config.pop("momentum") == 0.9 and config.get("momentum", "gone") == "gone"
    del config["seed"]
    assert set(config.keys()) == {"learning_rate", "use_ema"}
    with pytest.raises(AttributeError, match="Did you mean 'learning_rate'"):
        config.learning_rat


def test_config_freeze():
    config = Config(a=1)
    config.freeze()
    assert config.frozen
    for mutate in (lambda: setattr(config, "b", 2), lambda: config.update(b=2),
                   lambda: config.__setitem__("b", 2), lambda: config.pop("a")):
        with pytest.raises(ValueError, match="frozen"):
            mutate()
    config.unfreeze()
    config.b = 2
    assert config.as_dict() == {"a": 1, "b": 2}


def test_get_source_inputs():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    ha = keras.layers.Dense(2)(a)
    hb = keras.layers.Dense(2)(b)
    out = keras.layers.Dense(1)(ha)
    assert get_source_inputs(out) == [a]
    assert get_source_inputs(a) == [a]

    class Add(keras.layers.Layer):
        def call(self, xs):
            return xs[0] + xs[1]

    both = Add()([ha, hb])
    sources = get_source_inputs(Add()([both, ha]))
    assert len(sources) == 2 and sources[0] is a and sources[1] is b


def test_interactive_logging_switches():
    assert io_utils.is_interactive_logging_enabled()
    try:
        io_utils.disable_interactive_logging()
        assert not io_utils.is_interactive_logging_enabled()
    finally:
        io_utils.enable_interactive_logging()
    assert io_utils.is_interactive_logging_enabled()

