"""Raw ops in Functional models (`x + y`, `h[:, :2]`, `ops.concatenate`) saved as Keras does.

Keras 3 writes each such call as an operation (`keras.src.ops.numpy.Add`,
`GetItem`, `Concatenate`, ...). The configs minikeras writes must equal the
ones Keras wrote for the same models (tests/saving/fixtures, made by
tests/parity/generate_saving_fixtures.py), Keras's files must load here
with Keras's predictions, and the op table must be the one Keras's code gives.
"""
import json
import zipfile

import numpy as np
import pytest

import minikeras as keras
from minikeras import layers, ops, saving
from minikeras.saving import keras_op_table, keras_ops
from minikeras.saving.saving_lib import weight_paths
from tests.saving.helpers import fixture_path, ops_mixed_model, rand

pytestmark = pytest.mark.usefixtures("h5_backend")


# ----- the table against Keras's ------------------------------------------------------
def _normalized(entry):
    """Unreproducible values compare equal whatever Keras's expression was."""
    if isinstance(entry, dict):
        if set(entry) == {"expr"}:
            return {"expr": None}
        return {k: _normalized(v) for k, v in entry.items()}
    if isinstance(entry, list):
        if len(entry) == 3 and entry[1] == "expr" and isinstance(entry[0], str):
            return [entry[0], "expr", None]
        return [_normalized(v) for v in entry]
    return entry


def _compact(entry):
    """The `keras_op_table` line for a generator entry (shown when they differ)."""
    def lit(v):
        return "..." if isinstance(v, dict) else repr(v)
    where = entry["where"]
    module, cls = entry["class"]
    params, star = [], False
    for p in entry["params"]:
        if p[1] in ("*", "**"):
            params.append(p[1] + p[0])
            star = star or p[1] == "*"
            continue
        if p[1] == "k" and not star:
            params.append("*")
            star = True
        params.append(p[0] if len(p) == 2 else f"{p[0]}={lit(p[2])}")
    call = ["..." if isinstance(r, dict) else r for r in entry["call"]]
    call += [(f"**{r}" if k == "**" else f"{k}={r}") if isinstance(r, str) else f"{k}=..."
             for k, r in entry["call_kw"].items()]
    init = [f"**{s}" if n == "**" else f"{n}={s}" if kind == "arg" else f"{n}={lit(s)}"
            if kind == "value" else f"{n}=..." for n, kind, s in entry["init"]]
    flags = " ".join(f for f, on in (("noname", not entry["name_in_config"]),
                                     ("custom", entry["custom_config"])) if on)
    item = (where[len("keras.ops."):] if where.startswith("keras.ops.") else "",
            f"{module[len('keras.src.'):]}.{cls}", ", ".join(params), ", ".join(call),
            ", ".join(init)) + ((flags,) if flags else ())
    return repr(item)


def test_op_table_is_the_one_keras_code_gives():
    with open(fixture_path("keras_op_table.json")) as f:
        golden = json.load(f)
    tables = {"ops": keras_op_table.OPS, "activations": keras_op_table.ACTIVATIONS}
    for family, entries in golden.items():
        assert sorted(tables[family]) == sorted(entries), family
        wrong = [f"    {name!r}: {_compact(e)}," for name, e in sorted(entries.items())
                 if keras_ops.entry(family, name).as_dict() != _normalized(e)]
        assert not wrong, f"keras_op_table.{family.upper()} differs from Keras:\n" + \
            "\n".join(wrong)


def test_every_table_function_exists_here_with_keras_parameter_names():
    import inspect
    missing, renamed = [], []
    for family in ("ops", "activations"):
        for name in sorted(keras_op_table.OPS if family == "ops" else keras_op_table.ACTIVATIONS):
            e = keras_ops.entry(family, name)
            try:
                fn = keras_ops._function(e)
            except ValueError:
                missing.append(name)
                continue
            try:
                ours = inspect.signature(fn).parameters
            except (TypeError, ValueError):
                continue
            if any(p.kind == p.VAR_KEYWORD for p in ours.values()):
                continue
            required = [n for n, k, d in e.params if k in ("p", "k")
                        and d is keras_ops._NO]
            renamed += [f"{family}.{name}({n})" for n in required if n not in ours]
    assert not missing
    # Required parameters are passed by name when a Keras file is replayed.
    assert not renamed, renamed


# ----- configs: the same as Keras's -----------------------------------------------------
def _canonical(config):
    """The config with layer names replaced by their order of first appearance."""
    names = {}
    for layer in config["layers"]:
        names.setdefault(layer["name"], f"L{len(names)}")

    def walk(x):
        if isinstance(x, dict):  # keras_history and input/output_layers: renamed below
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            if len(x) == 3 and isinstance(x[0], str) and x[0] in names and \
                    isinstance(x[1], int):
                return [names[x[0]]] + x[1:]
            return [walk(v) for v in x]
        return x
    out = walk(config)
    for layer in out["layers"]:
        layer["name"] = names[layer["name"]]
        if isinstance(layer["config"], dict) and "name" in layer["config"]:
            layer["config"]["name"] = layer["name"]
    return out


def _keras_config(name):
    with zipfile.ZipFile(fixture_path(f"{name}.keras")) as zf:
        return json.loads(zf.read("config.json"))["config"]


def _build(name):
    x = keras.Input((4,), name="x")
    if name == "ops_residual":
        return keras.Model(x, layers.Dense(4, name="d")(x) + x, name=name)
    if name == "ops_slice":
        return keras.Model(x, layers.Dense(4, name="d")(x)[:, :2], name=name)
    if name == "ops_calls":
        h = ops.relu(ops.concatenate([x, layers.Dense(2, name="d")(x)], axis=-1))
        return keras.Model(x, h, name=name)
    return ops_mixed_model()


@pytest.mark.parametrize("name", ["ops_residual", "ops_slice", "ops_calls", "ops_mixed"])
def test_functional_config_with_ops_is_keras_config(name):
    ours = _canonical(json.loads(json.dumps(_build(name).get_config())))
    theirs = _canonical(_keras_config(name))
    assert [(l["module"], l["class_name"]) for l in ours["layers"]] == \
        [(l["module"], l["class_name"]) for l in theirs["layers"]]
    for a, b in zip(ours["layers"], theirs["layers"]):
        if a["module"].startswith("keras.src.ops") or "activations" in a["module"]:
            assert a == b
        else:
            assert a["inbound_nodes"] == b["inbound_nodes"]
    assert ours["output_layers"] == theirs["output_layers"]
    assert ours["input_layers"] == theirs["input_layers"]


def test_op_nodes_are_named_as_keras_names_them():
    x = keras.Input((4,))
    y = ops.relu(x[:, :2] * 2.0)
    names = [l.name for l in keras.Model(x, y).operations[1:]]
    assert [n.rstrip("_0123456789") for n in names] == ["get_item", "multiply", "relu"]


# ----- Keras's files load here ------------------------------------------------------------
@pytest.mark.parametrize("name", ["ops_residual", "ops_slice", "ops_calls", "ops_mixed"])
def test_keras_files_with_ops_load_with_keras_predictions(name, expected):
    model = saving.load_model(fixture_path(f"{name}.keras"))
    x = expected[f"{name}/x0"]
    ys = [expected[k] for k in sorted(expected) if k.startswith(f"{name}/y")]
    pred = model.predict(x, verbose=0)
    pred = pred if isinstance(pred, (list, tuple)) else [pred]
    assert len(pred) == len(ys)
    for p, y in zip(pred, ys):
        np.testing.assert_allclose(p, y, atol=1e-6, rtol=1e-6)
    # The replayed nodes carry the names Keras gave them.
    keras_names = [l["name"] for l in _keras_config(name)["layers"]]
    assert [l.name for l in model.operations] == keras_names


def test_keras_file_with_ops_round_trips_here(tmp_path, expected):
    model = saving.load_model(fixture_path("ops_mixed.keras"))
    model.save(tmp_path / "again.keras")
    again = saving.load_model(tmp_path / "again.keras")
    x = expected["ops_mixed/x0"]
    for p, q in zip(again.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(p, q, rtol=1e-6)
    ours = _canonical(json.loads(json.dumps(again.get_config())))
    theirs = _canonical(_keras_config("ops_mixed"))
    assert [l for l in ours["layers"] if l["module"] != "keras.layers"] == \
        [l for l in theirs["layers"] if l["module"] != "keras.layers"]
    assert ours["output_layers"] == theirs["output_layers"]


# ----- round trips here -----------------------------------------------------------------------
def test_mixed_ops_model_round_trip_and_weight_paths(tmp_path):
    model = ops_mixed_model()
    x = rand(3, 4, seed=3)
    model.save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras")
    for p, q in zip(loaded.predict(x, verbose=0), model.predict(x, verbose=0)):
        np.testing.assert_allclose(p, q, rtol=1e-6)
    # Ops are not layers in Keras: the weight file holds the Dense layer only.
    assert sorted(weight_paths(model)) == ["", "layers/dense", "layers/input_layer"]


def test_op_sharing_a_tensor_twice_and_reversed_operands(tmp_path):
    x = keras.Input((3,))
    h = layers.Dense(3)(x)
    y = 1.0 - h * h + ops.maximum(h, h) / (2.0 + x)
    model = keras.Model(x, y)
    model.save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras")
    xv = rand(2, 3)
    np.testing.assert_allclose(loaded.predict(xv, verbose=0), model.predict(xv, verbose=0),
                               rtol=1e-6)
    sub = [l for l in model.get_config()["layers"] if l["class_name"] == "Subtract"][0]
    assert sub["inbound_nodes"][0]["args"][0] == 1.0  # `1.0 - h`: Keras's operand order


def test_op_without_keras_operation_refuses_to_save_clearly(tmp_path):
    x = keras.Input((4,))
    model = keras.Model(x, keras.activations.linear(x) * 2.0)
    with pytest.raises(NotImplementedError, match=r"linear.*Lambda"):
        model.save(tmp_path / "m.keras")


def _config_with_op(class_name, module="keras.src.ops.numpy", config=None, args=None):
    tensor = {"class_name": "__keras_tensor__",
              "config": {"shape": [None, 2], "dtype": "float32",
                         "keras_history": ["x", 0, 0]}}
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "registered_name": "Functional",
            "config": {"name": "m", "trainable": True, "layers": [
                {"module": "keras.layers", "class_name": "InputLayer",
                 "config": {"batch_shape": [None, 2], "dtype": "float32", "name": "x"},
                 "registered_name": None, "name": "x", "inbound_nodes": []},
                {"module": module, "class_name": class_name,
                 "config": config or {"name": "op"}, "registered_name": class_name,
                 "name": "op", "inbound_nodes": [{"args": args or [tensor], "kwargs": {}}]}],
                "input_layers": ["x", 0, 0], "output_layers": ["op", 0, 0]}}


def test_unknown_keras_operation_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unknown Keras operation 'System'"):
        saving.deserialize_keras_object(_config_with_op("System"))


def test_keras_operation_config_with_a_foreign_key_is_refused():
    with pytest.raises(ValueError, match=r"Unexpected config keys.*'command'"):
        saving.deserialize_keras_object(
            _config_with_op("Sum", config={"name": "op", "axis": 1, "command": "rm"}))


def test_keras_operation_config_is_replayed_with_its_arguments():
    model = saving.deserialize_keras_object(
        _config_with_op("Sum", config={"name": "op", "axis": [1], "keepdims": True}))
    x = np.array([[1.0, 2.0], [3.0, 5.0]], dtype="float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), [[3.0], [8.0]])
    assert model.operations[-1].name == "op"


def test_operator_nodes_written_by_earlier_minikeras_still_load():
    """Before operations were written Keras's way, `x * 2.0` was a TensorOpLambda layer."""
    config = _config_with_op(
        "TensorOpLambda", module="minikeras.layers.core.lambda_layer",
        config={"name": "op", "trainable": True, "dtype": "float32", "op_name": "__mul__",
                "others": [2.0]})
    model = saving.deserialize_keras_object(config)
    np.testing.assert_allclose(model.predict(np.ones((1, 2), "float32"), verbose=0), [[2.0, 2.0]])
