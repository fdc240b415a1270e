"""Write goldens for keras.initializers from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_initializer_goldens.py

Random initializers cannot match Keras value for value (Keras draws from
TensorFlow's Philox generator), so for them this records the statistics of
large samples (mean, std, min, max), Keras's fan-in/fan-out for many
shapes, output dtypes and `get_config()`. Deterministic initializers (Zeros,
Ones, Constant, Identity, STFT) are recorded value for value.

Writes `goldens/initializers.json` and `goldens/initializers.npz`.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.initializers.random_initializers import compute_fans  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")

STAT_SHAPES = [(16384,), (256, 128), (5, 32, 64), (3, 3, 32, 64), (2, 2, 2, 16, 32)]
FAN_SHAPES = [(), (7,), (7, 3), (3, 7), (5, 4, 6), (3, 3, 8, 16), (1, 1, 3, 2),
              (2, 3, 4, 5, 6), (5, 1)]
FAN_AXES = [((7, 3, 5), [0], [1, 2]), ((2, 3, 4, 5), [0, 1], [3]), ((4, 6), [1], [0])]

PRESETS = ["GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal",
           "LecunUniform"]
STAT_CASES = []
for name in PRESETS:
    STAT_CASES.append({"class_name": name, "config": {"seed": 3}})
for mode in ["fan_in", "fan_out", "fan_avg"]:
    for dist in ["truncated_normal", "untruncated_normal", "uniform", "normal"]:
        STAT_CASES.append({"class_name": "VarianceScaling",
                           "config": {"scale": 1.7, "mode": mode, "distribution": dist,
                                      "seed": 4}})
STAT_CASES.append({"class_name": "VarianceScaling",
                   "config": {"scale": 2.0, "mode": "fan_in", "distribution": "uniform",
                              "seed": 5, "input_axes": [0], "output_axes": [1, 2]}})
STAT_CASES.append({"class_name": "GlorotNormal",
                   "config": {"seed": 5, "input_axes": [0, 1], "output_axes": [3]}})
FIXED_SHAPE_CASES = [
    ({"class_name": "RandomNormal", "config": {"mean": 1.0, "stddev": 2.0, "seed": 1}}, (256, 256)),
    ({"class_name": "RandomNormal", "config": {"seed": 1}}, (256, 256)),
    ({"class_name": "RandomUniform", "config": {"minval": -1.0, "maxval": 3.0, "seed": 1}}, (256, 256)),
    ({"class_name": "RandomUniform", "config": {"seed": 1}}, (256, 256)),
    ({"class_name": "TruncatedNormal", "config": {"mean": 0.5, "stddev": 0.1, "seed": 1}}, (256, 256)),
    ({"class_name": "TruncatedNormal", "config": {"seed": 1}}, (256, 256)),
    ({"class_name": "Orthogonal", "config": {"seed": 1}}, (64, 64)),
    ({"class_name": "Orthogonal", "config": {"gain": 2.0, "seed": 1}}, (128, 32)),
    ({"class_name": "Orthogonal", "config": {"seed": 1}}, (32, 128)),
    ({"class_name": "Orthogonal", "config": {"gain": 0.5, "seed": 1}}, (3, 3, 16, 32)),
]
DETERMINISTIC = [
    ({"class_name": "Zeros", "config": {}}, (3, 4), "float32"),
    ({"class_name": "Ones", "config": {}}, (2, 3, 2), "float32"),
    ({"class_name": "Ones", "config": {}}, (5,), "float64"),
    ({"class_name": "Constant", "config": {"value": 3.5}}, (2, 5), "float32"),
    ({"class_name": "Constant", "config": {"value": -2}}, (4,), "float64"),
    ({"class_name": "Identity", "config": {}}, (4, 4), "float32"),
    ({"class_name": "Identity", "config": {"gain": 2.5}}, (3, 5), "float32"),
    ({"class_name": "Identity", "config": {}}, (5, 2), "float64"),
    ({"class_name": "STFT", "config": {}}, (16, 1, 9), "float32"),
    ({"class_name": "STFT", "config": {"side": "imag"}}, (16, 1, 9), "float32"),
    ({"class_name": "STFT", "config": {"window": "hamming", "scaling": "spectrum",
                                       "periodic": True}}, (12, 1, 7), "float32"),
    ({"class_name": "STFT", "config": {"window": None, "scaling": None}}, (8, 1, 5), "float32"),
    ({"class_name": "STFT", "config": {"window": "blackman", "side": "imag"}}, (10, 1, 6), "float64"),
]
CONFIG_CASES = [
    {"class_name": n, "config": {}} for n in
    ["Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal",
     "VarianceScaling", "Orthogonal", "STFT"] + PRESETS] + [
    {"class_name": "RandomNormal", "config": {"mean": 1.0, "stddev": 0.5, "seed": 7}},
    {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_out",
                                                 "distribution": "normal", "seed": 2}},
    {"class_name": "Constant", "config": {"value": 0.25}},
    {"class_name": "GlorotUniform", "config": {"seed": 9, "input_axes": [0],
                                               "output_axes": [1]}},
]


def build(case):
    cls = getattr(keras.initializers, case["class_name"])
    return cls(**case["config"])


def stats(w):
    w = np.asarray(w, dtype=np.float64)
    return {"mean": float(w.mean()), "std": float(w.std()),
            "min": float(w.min()), "max": float(w.max()), "size": int(w.size)}


def main():
    out = {"keras_version": keras.__version__, "fans": [], "stats": [],
           "deterministic": [], "configs": [], "dtypes": []}
    arrays = {}
    for shape in FAN_SHAPES:
        out["fans"].append({"shape": list(shape), "fans": list(compute_fans(shape))})
    for shape, ia, oa in FAN_AXES:
        out["fans"].append({"shape": list(shape), "input_axes": ia, "output_axes": oa,
                            "fans": list(compute_fans(shape, ia, oa))})
    for case in STAT_CASES:
        shapes = STAT_SHAPES
        if case["config"].get("input_axes") == [0]:
            shapes = [(64, 16, 32)]
        elif case["config"].get("input_axes") == [0, 1]:
            shapes = [(3, 3, 32, 64)]
        for shape in shapes:
            w = build(case)(shape)
            out["stats"].append({"case": case, "shape": list(shape), **stats(w)})
    for case, shape in FIXED_SHAPE_CASES:
        w = np.asarray(build(case)(shape))
        rec = {"case": case, "shape": list(shape), **stats(w)}
        if case["class_name"] == "Orthogonal":
            flat = w.reshape(-1, shape[-1])
            gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
            rec["gram_diag_mean"] = float(np.mean(np.diag(gram)))
            rec["gram_offdiag_maxabs"] = float(np.max(np.abs(gram - np.diag(np.diag(gram)))))
        out["stats"].append(rec)
    for i, (case, shape, dtype) in enumerate(DETERMINISTIC):
        w = np.asarray(build(case)(shape, dtype=dtype))
        key = f"det_{i}"
        arrays[key] = w
        out["deterministic"].append({"case": case, "shape": list(shape), "dtype": dtype,
                                     "key": key, "out_dtype": str(w.dtype)})
    for case in CONFIG_CASES:
        init = build(case)
        out["configs"].append({"case": case, "config": init.get_config(),
                               "serialized": keras.initializers.serialize(init)})
    for name in ["GlorotUniform", "RandomNormal", "TruncatedNormal", "Orthogonal", "Zeros"]:
        for dtype in ["float32", "float64", None]:
            w = getattr(keras.initializers, name)()((4, 4), dtype=dtype)
            out["dtypes"].append({"class_name": name, "dtype": dtype,
                                  "out_dtype": str(np.asarray(w).dtype)})
    with open(os.path.join(OUT, "initializers.json"), "w") as fh:
        json.dump(out, fh, indent=1)
    np.savez_compressed(os.path.join(OUT, "initializers.npz"), **arrays)


if __name__ == "__main__":
    main()
