"""Public names and signatures of minikeras against a snapshot of real Keras 3.

The snapshot (`goldens/keras3_api_snapshot.json`) comes from
`snapshot_keras_api.py`, run once with TensorFlow installed. Two checks:

* every name minikeras exports under a Keras name has Keras's signature
  (same parameters, defaults, order of positional parameters);
* the names each delivered part of the library promises are present, and
  each module keeps at least the coverage it has reached (no regressions).
"""
import ast
import importlib
import inspect
import json
import os
import re

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = json.load(open(os.path.join(HERE, "goldens", "keras3_api_snapshot.json")))["apis"]

# Names that must exist (both `import keras` and tf.keras spellings).
REQUIRED = {
    "top": ["Sequential", "Model", "Input", "Layer", "Variable", "InputSpec", "KerasTensor",
            "Loss", "Metric", "Optimizer", "Initializer", "Regularizer", "activations",
            "backend", "callbacks", "constraints", "datasets", "initializers", "layers",
            "losses", "metrics", "models", "ops", "optimizers", "regularizers", "utils",
            "version"],
    "models": ["Model", "Sequential"],
    "layers": ["Dense", "Activation", "Dropout", "Flatten", "Lambda", "InputLayer", "Input",
               "Layer", "InputSpec", "Identity"],
    "backend": ["clear_session", "epsilon", "floatx", "image_data_format", "set_epsilon",
                "set_floatx", "set_image_data_format"],
    "utils": ["to_categorical", "normalize", "set_random_seed", "Progbar", "get_file"],
}

# Per-module floor on the fraction of Keras 3 names present (raise as parts land).
COVERAGE_FLOOR = {"activations": 1.0, "losses": 1.0, "metrics": 1.0, "initializers": 1.0,
                  "regularizers": 1.0, "constraints": 1.0, "callbacks": 1.0, "datasets": 1.0,
                  "optimizers": 1.0, "optimizers.schedules": 1.0, "ops": 1.0, "random": 1.0,
                  "backend": 1.0, "models": 1.0, "saving": 1.0, "utils": 0.97, "top": 0.83,
                  "preprocessing.image": 1.0, "layers": 0.7}
# Not provided, on purpose: keras.applications (pretrained weights need downloads),
# distribution/distillation/export/quantizers/wrappers (backend-specific machinery),
# utils.bounding_boxes, and the internal `src` package.

# Keras methods whose signatures must match on Model (issue: the core).
MODEL_METHODS = ["compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                 "predict_on_batch", "summary"]


def _module(name):
    try:
        return importlib.import_module("minikeras" + ("" if name == "top" else "." + name))
    except ImportError:
        return None


def _norm_default(text):
    if text is None:
        return ("required",)
    if text.startswith("<") and text.endswith(">"):
        return ("object", text.strip("<>").replace(" instance", "").lower())
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return ("text", text)
    if isinstance(value, bool) or value is None:
        return ("value", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("str", re.sub(r"(?<!^)(?=[A-Z])", "_", value).lower().replace("__", "_"))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(_norm_default(repr(v)) for v in value))
    return ("value", value)


def _params(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return None
    out = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        default = None if p.default is inspect.Parameter.empty else (
            f"<{p.default.__name__}>" if inspect.isclass(p.default) or inspect.isfunction(p.default)
            else (f"<{type(p.default).__name__} instance>"
                  if re.search(r" at 0x[0-9a-f]+", repr(p.default)) else repr(p.default)))
        out.append({"name": p.name, "kind": p.kind.name.lower(), "default": default})
    return out


def signature_differences(ref, got):
    """Human-readable differences between a reference and a target signature."""
    if got is None:
        return ["no inspectable signature"]
    problems = []
    by_name = {p["name"]: p for p in got}
    has_var_kw = any(p["kind"] == "var_keyword" for p in got)
    ref_names = [p["name"] for p in ref]
    if ref_names == ["args", "kwargs"]:
        return []
    for p in ref:
        if p["kind"] == "var_keyword":
            continue
        if p["kind"] == "var_positional":
            if not any(q["kind"] == "var_positional" for q in got):
                problems.append(f"missing *{p['name']}")
            continue
        q = by_name.get(p["name"])
        if q is None:
            problems.append(f"missing parameter {p['name']}" + (" (only via **kwargs)" if has_var_kw else ""))
            continue
        if p["default"] is not None and q["default"] is None:
            problems.append(f"{p['name']} is required, Keras has default {p['default']}")
        elif p["default"] is not None and _norm_default(p["default"]) != _norm_default(q["default"]):
            problems.append(f"{p['name']} default {q['default']} != Keras {p['default']}")
        if p["kind"] == "positional_or_keyword" and q["kind"] == "keyword_only":
            problems.append(f"{p['name']} is keyword-only")
    ref_pos = [p["name"] for p in ref if p["kind"] in ("positional_only", "positional_or_keyword")]
    got_pos = [p["name"] for p in got if p["kind"] in ("positional_only", "positional_or_keyword")]
    common = [n for n in got_pos if n in ref_pos]
    if common != [n for n in ref_pos if n in common]:
        problems.append(f"positional order {got_pos} != Keras {ref_pos}")
    for q in got:
        if q["name"] not in ref_names and q["default"] is None and q["kind"] in (
                "positional_or_keyword", "keyword_only", "positional_only"):
            problems.append(f"extra required parameter {q['name']}")
    return problems


def _cases():
    for api, modules in SNAPSHOT.items():
        for mod, names in modules.items():
            yield api, mod, names


@pytest.mark.parametrize("api,mod", [(a, m) for a, m, _ in _cases()])
def test_exported_names_have_keras_signatures(api, mod):
    module = _module(mod)
    assert module is not None, f"minikeras.{mod} is missing (Keras has keras.{mod})"
    names = SNAPSHOT[api][mod]
    failures = []
    for name, entry in names.items():
        if not hasattr(module, name):
            continue
        obj = getattr(module, name)
        if entry["kind"] == "module":
            if not inspect.ismodule(obj):
                failures.append(f"{name}: Keras has a module, minikeras a {type(obj).__name__}")
            continue
        if entry.get("signature") is None or not callable(obj):
            continue
        diffs = signature_differences(entry["signature"], _params(obj))
        if diffs:
            failures.append(f"{name}: " + "; ".join(diffs))
    assert not failures, f"minikeras.{mod} vs {api}:\n" + "\n".join(failures)


@pytest.mark.parametrize("mod", sorted(REQUIRED))
def test_required_names_present(mod):
    module = _module(mod)
    assert module is not None, f"minikeras.{mod} is missing"
    missing = [n for n in REQUIRED[mod] if not hasattr(module, n)]
    assert not missing, f"minikeras.{mod} lacks {missing}"


@pytest.mark.parametrize("mod", sorted(COVERAGE_FLOOR))
def test_module_coverage_does_not_regress(mod):
    module = _module(mod)
    assert module is not None
    names = set(SNAPSHOT["keras3"].get(mod, {}))
    present = {n for n in names if hasattr(module, n)}
    assert len(present) / len(names) >= COVERAGE_FLOOR[mod], sorted(names - present)


# Model's method signatures, recorded from real Keras 3 (keras.Model.<method>).
METHOD_REF = json.load(open(os.path.join(HERE, "goldens", "model_methods.json")))


@pytest.mark.parametrize("method", MODEL_METHODS)
def test_model_method_signatures(method):
    import minikeras
    got = _params(getattr(minikeras.Model, method))
    assert signature_differences(METHOD_REF[method], got) == []
