"""Small CNN training step: minikeras vs its numpy floor vs tf.keras.

The model: Conv2D(32, 3x3, relu) - MaxPooling2D(2) - Conv2D(64, 3x3, relu) -
MaxPooling2D(2) - Flatten - Dense(10, softmax) on 28x28x1 inputs, batch 64,
Adam, categorical cross-entropy, float32.

Timed, in one process and alternating the compared runs (so that load
changes on a shared machine hit all of them):

* one `model.train_on_batch` step of minikeras (forward, backward, Adam);
* the same step's forward + backward alone through
  `minikeras.backend.tape.value_and_grad` (no optimizer, no loss container);
* the numpy floor: the GEMMs that step needs, timed alone on arrays of the
  same shapes (conv1 forward and kernel gradient, conv2 forward, kernel and
  input gradients, dense forward, kernel and input gradients);
* tf.keras's `train_on_batch` on the same model, when TensorFlow is
  importable here or `--tf-python PATH` names a Python that has it (run in a
  subprocess, once per round).

Usage: python benchmarks/bench_cnn.py [--repeats 20] [--rounds 3] [--tf-python PATH]
Run it with OPENBLAS_NUM_THREADS=1 and without; `--threads-both` does both
(each in a fresh subprocess) and prints both tables.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def median_time(fn, repeats, inner=1):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)


def _conv_layers(keras):
    """`(Conv2D, MaxPooling2D)`; from their modules if not exported yet."""
    if hasattr(keras.layers, "Conv2D") and hasattr(keras.layers, "MaxPooling2D"):
        return keras.layers.Conv2D, keras.layers.MaxPooling2D
    from minikeras.layers.convolutional.conv2d import Conv2D
    from minikeras.layers.pooling.max_pooling2d import MaxPooling2D
    return Conv2D, MaxPooling2D


def build_cnn(keras):
    conv2d, max_pooling2d = _conv_layers(keras)
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        conv2d(32, (3, 3), activation="relu"),
        max_pooling2d((2, 2)),
        conv2d(64, (3, 3), activation="relu"),
        max_pooling2d((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def data(batch=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((batch, 28, 28, 1), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    return x, y


def measure_step(keras, repeats, model=None):
    """Median seconds of one `train_on_batch` step."""
    x, y = data()
    if model is None:
        model = build_cnn(keras)
        for _ in range(3):
            model.train_on_batch(x, y)  # warm up: builds the optimizer slots
    return median_time(lambda: model.train_on_batch(x, y), repeats), model


def measure_forward_backward(model, repeats):
    """Median seconds of forward + backward only (no optimizer)."""
    from minikeras import ops
    from minikeras.backend.tape import value_and_grad
    x, y = data()
    variables = model.trainable_variables

    def loss_fn():
        p = model(x, training=True)
        loss = ops.sum(ops.categorical_crossentropy(y, p)) / x.shape[0]
        return loss, None
    value_and_grad(loss_fn, variables)
    return median_time(lambda: value_and_grad(loss_fn, variables), repeats)


def numpy_floor(repeats):
    """Median seconds of the GEMMs one forward + backward step needs."""
    rng = np.random.default_rng(1)
    f32 = np.float32
    c1 = rng.random((64 * 26 * 26, 9), dtype=f32)       # im2col of the input
    w1 = rng.random((9, 32), dtype=f32)
    g1 = rng.random((64 * 26 * 26, 32), dtype=f32)
    c2 = rng.random((64 * 11 * 11, 288), dtype=f32)
    w2 = rng.random((288, 64), dtype=f32)
    g2 = rng.random((64 * 11 * 11, 64), dtype=f32)
    h = rng.random((64, 1600), dtype=f32)
    w3 = rng.random((1600, 10), dtype=f32)
    g3 = rng.random((64, 10), dtype=f32)

    def step():
        c1 @ w1
        c1.T @ g1
        c2 @ w2
        c2.T @ g2
        g2 @ w2.T
        h @ w3
        h.T @ g3
        g3 @ w3.T
    step()
    return median_time(step, repeats)


class _TFWorker:
    """tf.keras timings, alternated with ours step by step.

    In-process when TensorFlow is importable; otherwise a persistent
    subprocess (`--tf-python`) that answers "time N steps" requests, so the
    rounds of both libraries interleave finely on a shared, noisy machine.
    """

    def __init__(self, python):
        self.proc = self.model = None
        try:
            import tensorflow  # noqa: F401  (only to test importability)
            from tensorflow import keras as tfk
            self.model = measure_step(tfk, 1)[1]
            return
        except ImportError:
            pass
        if python:
            code = ("import os, sys, json, time; os.environ['TF_CPP_MIN_LOG_LEVEL']='3';"
                    f"sys.path.insert(0, {HERE!r}); import bench_cnn as b;"
                    "from tensorflow import keras; m = b.measure_step(keras, 1)[1];"
                    "x, y = b.data(); print('READY', flush=True)\n"
                    "for line in sys.stdin:\n"
                    "    n = int(line); ts = []\n"
                    "    for _ in range(n):\n"
                    "        t0 = time.perf_counter(); m.train_on_batch(x, y);"
                    " ts.append(time.perf_counter() - t0)\n"
                    "    print('RESULT' + json.dumps(ts), flush=True)\n")
            self.proc = subprocess.Popen([python, "-c", code], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                         text=True)
            for line in self.proc.stdout:
                if line.startswith("READY"):
                    break
            else:
                print("tf.keras worker failed to start", file=sys.stderr)
                self.proc = None

    @property
    def available(self):
        return self.model is not None or self.proc is not None

    def times(self, n):
        if self.model is not None:
            x, y = data()
            out = []
            for _ in range(n):
                t0 = time.perf_counter()
                self.model.train_on_batch(x, y)
                out.append(time.perf_counter() - t0)
            return out
        self.proc.stdin.write(f"{n}\n")
        self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith("RESULT"):
                return json.loads(line[6:])
        return []

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


def run(args):
    sys.path.insert(0, os.path.join(HERE, ".."))
    import minikeras as keras
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    x, y = data()
    model = measure_step(keras, 1)[1]
    tf = _TFWorker(args.tf_python)
    steps, fbs, floors, tfs = [], [], [], []
    chunk = 5
    for _ in range(args.rounds * max(1, args.repeats // chunk)):
        for _ in range(chunk):
            t0 = time.perf_counter()
            model.train_on_batch(x, y)
            steps.append(time.perf_counter() - t0)
        if tf.available:
            tfs.extend(tf.times(chunk))
        fbs.append(measure_forward_backward(model, 2))
        floors.append(numpy_floor(2))
    tf.close()
    step, fb, floor = (statistics.median(v) for v in (steps, fbs, floors))
    print(f"OPENBLAS_NUM_THREADS={threads}, {len(steps)} steps each, alternating in chunks "
          f"of {chunk}")
    print(f"  minikeras train step    {step * 1e3:8.2f} ms   {step / floor:5.2f}x numpy floor"
          f"   (min {min(steps) * 1e3:.2f} ms)")
    print(f"  minikeras fwd+bwd only  {fb * 1e3:8.2f} ms   {fb / floor:5.2f}x numpy floor")
    print(f"  numpy floor (GEMMs)     {floor * 1e3:8.2f} ms")
    if tfs:
        tfm = statistics.median(tfs)
        print(f"  tf.keras train step     {tfm * 1e3:8.2f} ms   (min {min(tfs) * 1e3:.2f} ms)   "
              f"minikeras/tf.keras = {step / tfm:.2f}x median, "
              f"{min(steps) / min(tfs):.2f}x min  (target <= 2x)")
    else:
        print("  tf.keras                not importable (pass --tf-python to compare)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tf-python", default=None,
                        help="a Python interpreter with tensorflow installed")
    parser.add_argument("--threads-both", action="store_true",
                        help="run once with OPENBLAS_NUM_THREADS=1 and once with the default")
    args = parser.parse_args()
    if not args.threads_both:
        run(args)
        return
    argv = [sys.executable, os.path.abspath(__file__), "--repeats", str(args.repeats),
            "--rounds", str(args.rounds)]
    if args.tf_python:
        argv += ["--tf-python", args.tf_python]
    for threads in ("1", None):
        env = dict(os.environ)
        env.pop("OPENBLAS_NUM_THREADS", None)
        if threads:
            env["OPENBLAS_NUM_THREADS"] = threads
        subprocess.run(argv, env=env, check=False)


if __name__ == "__main__":
    main()
