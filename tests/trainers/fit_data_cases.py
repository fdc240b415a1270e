"""Rebuilds the cases of `tests/parity/generate_fit_data_goldens.py` in minikeras."""
import json
import os

import numpy as np

import minikeras as keras
from minikeras import ops
from minikeras.utils.py_dataset import PyDataset
from tests.parity.fit_data_feeds import ArraySlices

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "parity", "goldens")


def load_goldens():
    with open(os.path.join(GOLDENS, "fit_data_cases.json")) as f:
        meta = json.load(f)
    arrays = dict(np.load(os.path.join(GOLDENS, "fit_data_arrays.npz")))
    return meta, arrays


class Concat(keras.layers.Layer):
    """Concatenation on the last axis (keeps the test independent of merging layers)."""

    def call(self, inputs):
        return ops.concatenate(inputs, axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape[0][:-1] + (sum(s[-1] for s in input_shape),)


def build(kind):
    L = keras.layers
    if kind == "clf":
        return keras.Sequential([keras.Input((4,)), L.Dense(5, activation="tanh", name="hidden"),
                                 L.Dense(3, activation="softmax", name="probs")])
    if kind == "bin":
        return keras.Sequential([keras.Input((3,)), L.Dense(1, activation="sigmoid", name="prob")])
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = Concat()([a, b])
    reg = L.Dense(1, name="reg")(h)
    cls = L.Dense(3, activation="softmax", name="cls")(h)
    if kind == "multi":
        return keras.Model({"a": a, "b": b}, {"reg": reg, "cls": cls})
    return keras.Model([a, b], [reg, cls])


def case_arrays(arrays, name, key):
    """`<name>/<key>` as an array, or the list/dict it was stored from."""
    if f"{name}/{key}" in arrays:
        return arrays[f"{name}/{key}"]
    prefix = f"{name}/{key}."
    parts = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
    if not parts:
        return None
    if all(p.isdigit() for p in parts):
        return [parts[str(i)] for i in range(len(parts))]
    return parts


def set_initial_weights(model, arrays, name):
    """Sets the golden's initial weights, layer by layer (by name)."""
    prefix = f"{name}/w/"
    per_layer = {}
    for key, value in arrays.items():
        if key.startswith(prefix):
            layer_name, index = key[len(prefix):].rsplit("/", 1)
            per_layer.setdefault(layer_name, {})[int(index)] = value
    for layer_name, ws in per_layer.items():
        model.get_layer(layer_name).set_weights([ws[i] for i in range(len(ws))])
    return sorted(per_layer)


class ArrayPyDataset(ArraySlices, PyDataset):
    pass


def compile_kwargs(case):
    return dict(case["compile"])


def fit_kwargs(case):
    kw = dict(case["fit"])
    if "class_weight" in kw:
        kw["class_weight"] = {int(k): v for k, v in kw["class_weight"].items()}
    kw.setdefault("shuffle", False)
    return kw
