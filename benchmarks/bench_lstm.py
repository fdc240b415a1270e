"""LSTM training step: minikeras vs its numpy floor and tf.keras.

The model: LSTM(64) on sequences of 50 steps x 16 features, a Dense(1)
head, MSE loss, Adam, batch 64, float32. One training step
(`model.train_on_batch`) is timed in

* minikeras;
* the numpy floor: the GEMMs that step needs, timed alone: the input
  projection of all steps (one GEMM), the 50 recurrent GEMMs `h @ U`, the
  50 backward GEMMs `dz @ U.T`, the weight gradients `dU` and `dW` (one GEMM
  each over all steps), and the Dense head forward and backward;
* tf.keras, when TensorFlow is importable here or `--tf-python PATH` names a
  Python that has it.

Each measurement runs in its own subprocess, under OPENBLAS_NUM_THREADS=1
(TensorFlow: one intra-op and one inter-op thread) and under the default
threading, alternating minikeras and tf.keras round after round; the
reported figure is the median over rounds of each run's median step time.

Usage: python benchmarks/bench_lstm.py [--rounds 3] [--steps 30] [--tf-python PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

B, T, D, UNITS = 64, 50, 16, 64


def _median_time(fn, steps):
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _data():
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((B, T, D)).astype(np.float32)
    y = rng.standard_normal((B, 1)).astype(np.float32)
    return x, y


def build(keras):
    lstm = getattr(keras.layers, "LSTM", None)
    if lstm is None:  # minikeras before the export is wired up
        from minikeras.layers.rnn.lstm import LSTM as lstm
    model = keras.Sequential([keras.Input((T, D)), lstm(UNITS), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def numpy_floor(steps):
    """The GEMMs of one forward + backward pass, timed alone."""
    import numpy as np
    rng = np.random.default_rng(1)
    x2 = rng.standard_normal((T * B, D)).astype(np.float32)
    W = rng.standard_normal((D, 4 * UNITS)).astype(np.float32)
    U = rng.standard_normal((UNITS, 4 * UNITS)).astype(np.float32)
    UT = np.ascontiguousarray(U.T)
    H = rng.standard_normal((T, B, UNITS)).astype(np.float32)
    dZ = rng.standard_normal((T, B, 4 * UNITS)).astype(np.float32)
    wd = rng.standard_normal((UNITS, 1)).astype(np.float32)
    g = rng.standard_normal((B, 1)).astype(np.float32)
    z = np.empty((B, 4 * UNITS), np.float32)

    def step():
        _ = x2 @ W
        for t in range(T):
            np.matmul(H[t], U, out=z)
        _ = H[-1] @ wd
        _ = H[-1].T @ g
        _ = g @ wd.T
        for t in range(T):
            _ = dZ[t] @ UT
        _ = H.reshape(T * B, UNITS).T @ dZ.reshape(T * B, -1)
        _ = x2.T @ dZ.reshape(T * B, -1)
    step()
    return _median_time(step, steps)


def measure_minikeras(steps):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import minikeras as keras
    x, y = _data()
    model = build(keras)
    for _ in range(3):
        model.train_on_batch(x, y)
    # Alternate the two measurements so load changes hit both.
    mk, floor = [], []
    for _ in range(3):
        mk.append(_median_time(lambda: model.train_on_batch(x, y), steps))
        floor.append(numpy_floor(steps))
    return {"step": statistics.median(mk), "floor": statistics.median(floor)}


def measure_tf(steps, single_thread):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    if single_thread:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    from tensorflow import keras
    x, y = _data()
    model = build(keras)
    for _ in range(3):
        model.train_on_batch(x, y)
    return {"step": statistics.median(
        _median_time(lambda: model.train_on_batch(x, y), steps) for _ in range(3))}


def _child(args):
    if args.child == "minikeras":
        out = measure_minikeras(args.steps)
    else:
        out = measure_tf(args.steps, os.environ.get("OPENBLAS_NUM_THREADS") == "1")
    print("RESULT" + json.dumps(out))


def _run(python, which, threads, steps):
    env = dict(os.environ)
    env.pop("OPENBLAS_NUM_THREADS", None)
    if threads == "1":
        env["OPENBLAS_NUM_THREADS"] = "1"
    cmd = [python, os.path.abspath(__file__), "--child", which, "--steps", str(steps)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT"):
            return json.loads(line[6:])
    print(f"{which} run failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
    return None


def _tf_python(arg):
    if arg:
        return arg
    import importlib.util
    return sys.executable if importlib.util.find_spec("tensorflow") else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--tf-python", default=None,
                        help="a Python interpreter with tensorflow installed")
    parser.add_argument("--child", choices=["minikeras", "tf"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args)
    tf_python = _tf_python(args.tf_python)
    print(f"LSTM({UNITS}) on {T} steps x {D} features + Dense(1), batch {B}, MSE, Adam; "
          f"{args.rounds} rounds of {args.steps} steps")
    for threads in ("1", "default"):
        results = {"minikeras": [], "floor": [], "tf": []}
        for _ in range(args.rounds):
            r = _run(sys.executable, "minikeras", threads, args.steps)
            if r:
                results["minikeras"].append(r["step"])
                results["floor"].append(r["floor"])
            if tf_python:
                r = _run(tf_python, "tf", threads, args.steps)
                if r:
                    results["tf"].append(r["step"])
        mk = statistics.median(results["minikeras"])
        floor = statistics.median(results["floor"])
        line = (f"OPENBLAS_NUM_THREADS={threads:7s} minikeras {mk * 1e3:7.2f} ms   "
                f"numpy floor {floor * 1e3:6.2f} ms ({mk / floor:.2f}x floor)")
        if results["tf"]:
            tfs = statistics.median(results["tf"])
            line += (f"   tf.keras {tfs * 1e3:7.2f} ms "
                     f"(minikeras/tf.keras = {mk / tfs:.2f}x)")
        else:
            line += "   tf.keras not importable (pass --tf-python)"
        print(line)


if __name__ == "__main__":
    main()
