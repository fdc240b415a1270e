"""Two-way interop with real Keras 3, which runs in a subprocess.

Set `MINIKERAS_KERAS_PYTHON` to a Python interpreter that has keras 3 (and a
backend such as tensorflow-cpu) to run these tests; without it they are
skipped. The Keras -> minikeras direction also runs without Keras, from the
committed fixtures (test_keras_fixtures.py).

minikeras writes each model (with h5py, and with its built-in HDF5 writer as
if h5py were missing); Keras loads it, predicts, takes a training step where
the model was mid-training, and re-saves it; minikeras loads Keras's file
back. Predictions must agree within 1e-6, and so must the weights after the
next training step.
"""
import json
import os
import subprocess
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import saving
from tests.saving.helpers import VOCAB_X, TwoDense, ops_mixed_model, rand, vocab_model

KERAS_PYTHON = os.environ.get("MINIKERAS_KERAS_PYTHON")
HERE = os.path.dirname(os.path.abspath(__file__))
L = keras.layers

pytestmark = [pytest.mark.interop,
              pytest.mark.skipif(not KERAS_PYTHON,
                                 reason="set MINIKERAS_KERAS_PYTHON to a Python with keras 3")]


# ----- the models minikeras writes --------------------------------------------------
def build_mlp():
    return (keras.Sequential([keras.Input((4,)), L.Dense(8, activation="relu"),
                              L.Dense(3, activation="softmax")], name="mlp"), rand(5, 4))


def build_multi():
    a, b = keras.Input((3,), name="in_a"), keras.Input((3,), name="in_b")
    shared = L.Dense(4, activation="tanh", name="shared")
    inner = keras.Sequential([L.Dense(3, activation="relu")], name="inner")
    out_a = L.Dense(2, name="out_a")(inner(shared(a)))
    out_b = L.Dense(1, name="out_b")(shared(b))
    return keras.Model([a, b], [out_a, out_b], name="multi"), [rand(4, 3, seed=1),
                                                               rand(4, 3, seed=2)]


def build_concat():
    a, b = keras.Input((3,), name="left"), keras.Input((2,), name="right")
    x = L.Concatenate()([L.Dense(4, activation="tanh")(a), b])
    return keras.Model([a, b], L.Dense(2)(x), name="concat"), [rand(4, 3), rand(4, 2, seed=3)]


def build_subclassed():
    model = TwoDense(units=5, name="two_dense")
    model(rand(2, 3))
    return model, rand(4, 3, seed=4)


def build_training():
    model = keras.Sequential([keras.Input((3,)), L.Dense(5, activation="tanh"), L.Dense(1)],
                             name="train")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    model.fit(rand(8, 3, seed=5), rand(8, 1, seed=6), batch_size=4, epochs=2, verbose=0,
              shuffle=False)
    return model, rand(4, 3, seed=7)


def build_cnn():
    model = keras.Sequential([keras.Input((6, 6, 2)), L.Conv2D(3, 3, activation="relu"),
                              L.MaxPooling2D(2), L.Flatten(), L.Dense(2)], name="cnn")
    return model, rand(2, 6, 6, 2, seed=8)


def build_lstm():
    return (keras.Sequential([keras.Input((5, 3)), L.LSTM(4), L.Dense(1)], name="lstm"),
            rand(2, 5, 3, seed=9))


def build_bn():
    model = keras.Sequential([keras.Input((4,)), L.Dense(6), L.BatchNormalization(),
                              L.Dense(1)], name="bn")
    model.compile(optimizer="sgd", loss="mse")
    model.fit(rand(16, 4, seed=10) * 3 + 1, rand(16, 1, seed=11), epochs=2, verbose=0)
    return model, rand(3, 4, seed=12)


def build_ops_residual():
    x = keras.Input((4,), name="x")
    return keras.Model(x, L.Dense(4)(x) + x, name="ops_residual"), rand(3, 4, seed=20)


def build_ops_slice():
    x = keras.Input((4,), name="x")
    return keras.Model(x, L.Dense(4)(x)[:, :2], name="ops_slice"), rand(3, 4, seed=21)


def build_ops_calls():
    x = keras.Input((4,), name="x")
    h = keras.ops.relu(keras.ops.concatenate([x, L.Dense(2)(x)], axis=-1))
    return keras.Model(x, h, name="ops_calls"), rand(3, 4, seed=22)


def build_ops_mixed():
    return ops_mixed_model(), rand(3, 4, seed=23)


def build_vocab():
    return vocab_model(), list(VOCAB_X)


CASES = {
    "mlp": (build_mlp, ()),
    "functional_multi": (build_multi, ()),
    "functional_concat": (build_concat, ("Concatenate",)),
    "subclassed": (build_subclassed, ()),
    "training": (build_training, ()),
    "cnn": (build_cnn, ("Conv2D", "MaxPooling2D")),
    "lstm": (build_lstm, ("LSTM",)),
    "bn": (build_bn, ("BatchNormalization",)),
    "ops_residual": (build_ops_residual, ()),
    "ops_slice": (build_ops_slice, ()),
    "ops_calls": (build_ops_calls, ()),
    "ops_mixed": (build_ops_mixed, ()),
    "vocab": (build_vocab, ("TextVectorization", "StringLookup")),
}


def _missing_layers(names):
    return [n for n in names if not hasattr(keras.layers, n)]


def _as_list(x):
    return x if isinstance(x, list) else [x]


@pytest.fixture(scope="module")
def interop(tmp_path_factory):
    """Write every case, run Keras once on all of them, collect the results."""
    from minikeras.saving import h5_store
    folder = tmp_path_factory.mktemp("interop")
    tasks, models = [], {}

    def add(name, file, inputs, **extra):
        task = {"name": name, "file": str(file), "inputs": str(inputs),
                "out": str(folder / f"{name}.out.npz"),
                "resave": str(folder / f"{name}.by_keras.keras"), **extra}
        tasks.append(task)

    for case, (build, needs) in CASES.items():
        if _missing_layers(needs):
            continue
        for backend in ("h5py", "h5lite"):
            name = f"{case}-{backend}"
            with pytest.MonkeyPatch.context() as mp:
                if backend == "h5lite":
                    mp.setattr(h5_store, "_import_h5py", _no_h5py)
                elif not _has_h5py():
                    continue
                model, x = build()
                path = folder / f"{name}.keras"
                model.save(path)
                inputs = {f"x{i}": v for i, v in enumerate(_as_list(x))}
                train = case == "training"
                if train:
                    inputs["train_x"], inputs["train_y"] = rand(4, 3, seed=13), rand(4, 1, seed=14)
                np.savez(folder / f"{name}.in.npz", **inputs)
                add(name, path, folder / f"{name}.in.npz", train=train)
                models[name] = (model, x, inputs)
    # A weights file, and a legacy .h5 full model, both written without h5py.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(h5_store, "_import_h5py", _no_h5py)
        model, x = build_mlp()
        model.save(folder / "arch.keras")
        model.save_weights(folder / "mlp.weights.h5")
        np.savez(folder / "w.in.npz", x0=x)
        add("weights-h5lite", folder / "arch.keras", folder / "w.in.npz",
            weights=str(folder / "mlp.weights.h5"))
        models["weights-h5lite"] = (model, x, {"x0": x})
        legacy, lx = build_training()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            legacy.save(folder / "legacy.h5")
        np.savez(folder / "legacy.in.npz", x0=lx)
        add("legacy-h5lite", folder / "legacy.h5", folder / "legacy.in.npz")
        models["legacy-h5lite"] = (legacy, lx, {"x0": lx})

    job = folder / "job.json"
    errors_path = folder / "errors.json"
    job.write_text(json.dumps({"tasks": tasks, "errors": str(errors_path)}))
    proc = subprocess.run([KERAS_PYTHON, os.path.join(HERE, "keras_side.py"), str(job)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"the Keras side crashed:\n{proc.stderr[-4000:]}")
    errors = json.loads(errors_path.read_text())
    return {"models": models, "errors": errors, "folder": folder}


def _no_h5py():
    raise ImportError("No module named 'h5py'")


def _has_h5py():
    try:
        import h5py  # noqa: F401
        return True
    except ImportError:
        return False


def _result(interop, name):
    if name in interop["errors"]:
        pytest.fail(f"Keras could not use minikeras's file for {name}:\n"
                    f"{interop['errors'][name]}")
    if name not in interop["models"]:
        pytest.skip(f"{name} was not written (h5py missing?)")
    return dict(np.load(interop["folder"] / f"{name}.out.npz"))


def _check(interop, name):
    model, x, _ = interop["models"][name] if name in interop["models"] else (None,) * 3
    out = _result(interop, name)
    ours = _as_list(model.predict(x, verbose=0))
    assert len(ours) == len([k for k in out if k.startswith("y")])
    for i, p in enumerate(ours):
        np.testing.assert_allclose(out[f"y{i}"], p, atol=1e-6, rtol=1e-6)
    # And back: Keras re-saved the model; minikeras loads Keras's file.
    back = saving.load_model(interop["folder"] / f"{name}.by_keras.keras")
    for p, q in zip(_as_list(back.predict(x, verbose=0)), ours):
        np.testing.assert_allclose(p, q, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("backend", ["h5py", "h5lite"])
@pytest.mark.parametrize("case", ["mlp", "functional_multi", "subclassed"])
def test_models_open_in_keras_and_back(interop, case, backend):
    _check(interop, f"{case}-{backend}")


@pytest.mark.parametrize("backend", ["h5py", "h5lite"])
@pytest.mark.parametrize("case", ["functional_concat", "cnn", "lstm", "bn"])
def test_catalog_models_open_in_keras_and_back(interop, case, backend):
    missing = _missing_layers(CASES[case][1])
    if missing:
        pytest.skip(f"minikeras.layers lacks {', '.join(missing)} (not available yet)")
    _check(interop, f"{case}-{backend}")


@pytest.mark.parametrize("backend", ["h5py", "h5lite"])
@pytest.mark.parametrize("case", ["ops_residual", "ops_slice", "ops_calls", "ops_mixed"])
def test_models_with_raw_ops_open_in_keras_and_back(interop, case, backend):
    """`x + y`, `h[:, :2]`, `ops.concatenate(...)`: written as Keras's operations."""
    _check(interop, f"{case}-{backend}")


@pytest.mark.parametrize("backend", ["h5py", "h5lite"])
def test_adapted_vocabularies_open_in_keras_and_back(interop, backend):
    """String inputs and the vocabularies in `assets/`: Keras reads ours, we read its."""
    missing = _missing_layers(CASES["vocab"][1])
    if missing:
        pytest.skip(f"minikeras.layers lacks {', '.join(missing)} (not available yet)")
    _check(interop, f"vocab-{backend}")


@pytest.mark.parametrize("backend", ["h5py", "h5lite"])
def test_training_resumes_in_keras_like_here(interop, backend):
    name = f"training-{backend}"
    _check(interop, name)
    model, _, inputs = interop["models"][name]
    out = _result(interop, name)
    assert int(out["iterations_before"]) == int(model.optimizer.iterations.numpy()) == 4
    logs = model.train_on_batch(inputs["train_x"], inputs["train_y"], return_dict=True)
    np.testing.assert_allclose(out["loss"], logs["loss"], rtol=1e-5)
    for i, w in enumerate(model.get_weights()):
        np.testing.assert_allclose(out[f"w{i}"], w, atol=1e-6, rtol=0)


def test_weights_file_opens_in_keras(interop):
    model, x, _ = interop["models"]["weights-h5lite"]
    out = _result(interop, "weights-h5lite")
    np.testing.assert_allclose(out["y0"], model.predict(x, verbose=0), atol=1e-6, rtol=0)


def test_legacy_h5_opens_in_keras(interop):
    model, x, _ = interop["models"]["legacy-h5lite"]
    out = _result(interop, "legacy-h5lite")
    np.testing.assert_allclose(out["y0"], model.predict(x, verbose=0), atol=1e-6, rtol=0)
