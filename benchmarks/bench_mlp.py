"""MLP training step and single-sample inference: minikeras vs the numpy floor.

Times, in one process and alternating the compared runs:

* one training step (forward, backward, Adam update) of a 784-256-128-10 MLP
  (relu, relu, softmax; categorical cross-entropy; batch 128; float32) via
  `model.train_on_batch`, against the numpy floor: the same step's GEMMs
  (3 forward, 3 weight-gradient, 2 input-gradient) timed alone;
* the same step written by hand in numpy for this one model
  (`numpy_mlp_step.py`: preallocated buffers, in-place Adam) -- what numpy
  itself costs above the floor, the rest being the framework's share;
* `model(x)` and `model.predict(x, verbose=0)` on one sample, against the bare
  numpy forward pass with the same weights;
* a 10-epoch `fit` of Dense(20)-Dense(20)-Dense(10) on 1,000 samples of 10
  features, batch 32;
* the same model and fit in tf.keras when TensorFlow is importable here, or
  when `--tf-python PATH` names a Python that has it (run in a subprocess).

Usage: python benchmarks/bench_mlp.py [--repeats 30] [--tf-python PATH]
Run it twice, with OPENBLAS_NUM_THREADS=1 and without, on a quiet machine.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def median_time(fn, repeats, inner=1):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)


def numpy_floor_step(ws, x, g_out):
    """The GEMMs of one forward + backward pass of the MLP."""
    w1, w2, w3 = ws
    h1 = x @ w1
    h2 = h1 @ w2
    _ = h2 @ w3
    g2 = g_out @ w3.T
    _ = h2.T @ g_out
    g1 = g2 @ w2.T
    _ = h1.T @ g2
    _ = x.T @ g1


def build_mlp(keras):
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def build_small(keras):
    model = keras.Sequential([
        keras.Input(shape=(10,)),
        keras.layers.Dense(20, activation="relu"),
        keras.layers.Dense(20, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def measure(keras, repeats):
    """All timings for one Keras-like module; returns a dict of seconds."""
    rng = np.random.default_rng(0)
    x = rng.random((128, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 128)]
    model = build_mlp(keras)
    model.train_on_batch(x, y)  # warm up: builds optimizer slots
    out = {"train_step": median_time(lambda: model.train_on_batch(x, y), repeats, inner=5)}
    one = x[:1]
    model(one)
    model.predict(one, verbose=0)
    out["call_1"] = median_time(lambda: model(one), repeats, inner=20)
    out["predict_1"] = median_time(lambda: model.predict(one, verbose=0), repeats, inner=5)
    xs = rng.random((1000, 10), dtype=np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 1000)]
    small = build_small(keras)
    small.fit(xs, ys, epochs=1, batch_size=32, verbose=0)
    fits = []
    for _ in range(max(3, repeats // 10)):
        small = build_small(keras)
        t0 = time.perf_counter()
        small.fit(xs, ys, epochs=10, batch_size=32, verbose=0)
        fits.append(time.perf_counter() - t0)
    out["fit_small_10_epochs"] = statistics.median(fits)
    return out, model


def numpy_baselines(model, repeats):
    from numpy_mlp_step import NumpyMLPStep
    ws = [l.get_weights() for l in model.layers]
    rng = np.random.default_rng(1)
    x = rng.random((128, 784), dtype=np.float32)
    g = rng.random((128, 10), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 128)]
    mats = [w[0] for w in ws]
    floor = median_time(lambda: numpy_floor_step(mats, x, g), repeats, inner=5)
    by_hand = NumpyMLPStep(model.get_weights(), batch_size=128)
    by_hand(x, y)
    hand = median_time(lambda: by_hand(x, y), repeats, inner=5)
    one = x[:1]

    def forward():
        h = np.maximum(one @ ws[0][0] + ws[0][1], 0)
        h = np.maximum(h @ ws[1][0] + ws[1][1], 0)
        z = h @ ws[2][0] + ws[2][1]
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    fwd = median_time(forward, repeats, inner=50)
    return {"numpy_floor_step": floor, "numpy_hand_step": hand, "numpy_forward_1": fwd}


def run_tf_subprocess(python, repeats):
    code = (
        "import os, sys, json; os.environ['TF_CPP_MIN_LOG_LEVEL']='3';"
        f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r});"
        "import bench_mlp as b; from tensorflow import keras;"
        f"r, _ = b.measure(keras, {repeats}); print('RESULT' + json.dumps(r))")
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=1800)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT"):
            return json.loads(line[6:])
    print("tf.keras run failed:\n" + proc.stderr[-2000:], file=sys.stderr)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--tf-python", default=None,
                        help="a Python interpreter with tensorflow installed")
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    sys.path.insert(0, os.path.join(here, ".."))
    import minikeras as keras
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'default')}, "
          f"repeats={args.repeats}")
    # Alternate minikeras and the numpy baselines so load changes hit both.
    mk_runs, base_runs = [], []
    for _ in range(3):
        r, model = measure(keras, args.repeats)
        mk_runs.append(r)
        base_runs.append(numpy_baselines(model, args.repeats))
    mk = {k: statistics.median(r[k] for r in mk_runs) for k in mk_runs[0]}
    base = {k: statistics.median(r[k] for r in base_runs) for k in base_runs[0]}
    print(f"train step      minikeras {mk['train_step'] * 1e3:8.3f} ms   numpy floor "
          f"{base['numpy_floor_step'] * 1e3:8.3f} ms   ratio {mk['train_step'] / base['numpy_floor_step']:.2f}x")
    print(f"  numpy by hand {base['numpy_hand_step'] * 1e3:8.3f} ms   "
          f"= {base['numpy_hand_step'] / base['numpy_floor_step']:.2f}x the floor; minikeras is "
          f"{mk['train_step'] / base['numpy_hand_step']:.2f}x the hand-written step")
    print(f"model(x), 1     minikeras {mk['call_1'] * 1e6:8.1f} us   numpy forward "
          f"{base['numpy_forward_1'] * 1e6:8.1f} us   ratio {mk['call_1'] / base['numpy_forward_1']:.1f}x")
    print(f"predict(x), 1   minikeras {mk['predict_1'] * 1e6:8.1f} us   numpy forward "
          f"{base['numpy_forward_1'] * 1e6:8.1f} us   ratio {mk['predict_1'] / base['numpy_forward_1']:.1f}x")
    print(f"fit 10 epochs   minikeras {mk['fit_small_10_epochs']:8.3f} s")
    tf = None
    try:
        import tensorflow  # noqa: F401
        from tensorflow import keras as tfk
        tf, _ = measure(tfk, args.repeats)
    except ImportError:
        if args.tf_python:
            tf = run_tf_subprocess(args.tf_python, args.repeats)
    if tf:
        print(f"tf.keras        train step {tf['train_step'] * 1e3:.3f} ms "
              f"(minikeras {tf['train_step'] / mk['train_step']:.2f}x faster), "
              f"predict(1) {tf['predict_1'] * 1e3:.2f} ms "
              f"({tf['predict_1'] / mk['predict_1']:.0f}x), "
              f"fit 10 epochs {tf['fit_small_10_epochs']:.3f} s "
              f"({tf['fit_small_10_epochs'] / mk['fit_small_10_epochs']:.1f}x)")
    else:
        print("tf.keras        not importable (pass --tf-python to compare)")


if __name__ == "__main__":
    main()
