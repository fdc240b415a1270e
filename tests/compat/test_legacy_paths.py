"""Keras 2 module paths resolve to the Keras 3 names with a DeprecationWarning."""
import importlib

import pytest

import minikeras as keras


@pytest.mark.parametrize("module, name", [
    ("layers.core", "Dense"), ("layers.convolutional", "Conv2D"),
    ("layers.pooling", "MaxPooling2D"), ("layers.normalization", "BatchNormalization"),
    ("layers.recurrent", "LSTM"), ("layers.merge", "Concatenate"),
    ("layers.embeddings", "Embedding"), ("layers.advanced_activations", "LeakyReLU"),
    ("layers.wrappers", "Bidirectional"), ("utils.np_utils", "to_categorical"),
])
def test_old_module_path_resolves_with_warning(module, name):
    mod = importlib.import_module("minikeras." + module)
    new = module.rsplit(".", 1)[0] if module.startswith("utils") else "layers"
    with pytest.warns(DeprecationWarning, match=rf"keras\.{module}\.{name}`.*`keras\.{new}\.{name}`"):
        value = getattr(mod, name)
    assert value is getattr(importlib.import_module("minikeras." + new), name)


def test_unknown_and_private_names_are_attribute_errors():
    from minikeras.layers import recurrent
    with pytest.raises(AttributeError, match="keras.layers.recurrent"):
        recurrent.NoSuchLayer
    with pytest.raises(AttributeError):
        recurrent._private
    assert keras.layers.merge is importlib.import_module("minikeras.layers.merge")
    with pytest.raises(AttributeError):
        keras.layers.no_such_module
