"""Throughput of ImageDataGenerator.flow: minikeras vs Keras, same run.

Augments 2,000 images of 28x28x1 and of 32x32x3 with rotation_range=20,
width/height_shift_range=0.1, zoom_range=0.1, horizontal_flip=True, in
batches of 64 (one full pass over `flow(...)[i]`, as `fit` reads a
PyDataset), and prints the median images/s of each library and their ratio,
with OPENBLAS_NUM_THREADS=1 and with the default thread settings.

Keras runs in a separate process: the current interpreter when it can import
TensorFlow's Keras, otherwise the one given with `--keras-python` (or the
`KERAS_BENCH_PYTHON` environment variable)::

    python benchmarks/bench_image_augmentation.py --keras-python /path/to/venv/bin/python

Each library is timed in its own fresh process, alternating, for `--rounds`
rounds of `--repeats` passes; the medians are over all passes.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHAPES = [(28, 28, 1), (32, 32, 3)]
CONFIG = dict(rotation_range=20, width_shift_range=0.1,
              height_shift_range=0.1, zoom_range=0.1, horizontal_flip=True)
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def worker(lib, n, repeats):
    """Time `repeats` passes for each shape; print JSON {shape: [seconds]}."""
    import timeit

    import numpy as np
    if lib == "minikeras":
        from minikeras.preprocessing.image import ImageDataGenerator
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        try:
            from tensorflow.keras.preprocessing.image import ImageDataGenerator
        except ImportError:
            from keras.src.legacy.preprocessing.image import ImageDataGenerator
    rng = np.random.default_rng(0)
    result = {}
    for shape in SHAPES:
        x = (rng.random((n,) + shape) * 255).astype(np.float32)
        gen = ImageDataGenerator(**CONFIG)
        it = gen.flow(x, batch_size=64, seed=1)

        def one_pass():
            for i in range(len(it)):
                it[i]

        one_pass()  # warm-up
        result["x".join(map(str, shape))] = timeit.repeat(
            one_pass, number=1, repeat=repeats)
    print("RESULT " + json.dumps(result))


def keras_importable(python):
    code = ("import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'\n"
            "from tensorflow.keras.preprocessing.image import "
            "ImageDataGenerator")
    try:
        return subprocess.run([python, "-c", code], capture_output=True,
                              timeout=300).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def run_worker(python, lib, env, n, repeats):
    cmd = [python, os.path.abspath(__file__), "--worker", lib, "--n", str(n),
           "--repeats", str(repeats)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"{lib} benchmark failed:\n{proc.stderr[-2000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=["minikeras", "keras"])
    parser.add_argument("--keras-python",
                        default=os.environ.get("KERAS_BENCH_PYTHON"))
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.n, args.repeats)
        return

    import statistics
    keras_python = args.keras_python or sys.executable
    have_keras = keras_importable(keras_python)
    if not have_keras:
        print("Keras (tensorflow.keras) not importable: timing minikeras "
              "only (pass --keras-python to compare).")
    print(f"flow() over {args.n} images, batch 64, {CONFIG}")
    print(f"{'threads':<10}{'shape':<10}{'minikeras img/s':>17}"
          f"{'keras img/s':>13}{'ratio':>8}")
    for label, threads in (("1", "1"), ("default", None)):
        env = dict(os.environ)
        for var in THREAD_VARS:
            env.pop(var, None)
            if threads:
                env[var] = threads
        mk_env = dict(env)
        mk_env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
        times = {"minikeras": {}, "keras": {}}
        for _ in range(args.rounds):
            runs = [("minikeras", sys.executable, mk_env)]
            if have_keras:
                runs.append(("keras", keras_python, env))
            for lib, python, e in runs:
                res = run_worker(python, lib, e, args.n, args.repeats)
                for shape, ts in res.items():
                    times[lib].setdefault(shape, []).extend(ts)
        for shape in times["minikeras"]:
            mk = args.n / statistics.median(times["minikeras"][shape])
            if have_keras:
                ke = args.n / statistics.median(times["keras"][shape])
                print(f"{label:<10}{shape:<10}{mk:>17.0f}{ke:>13.0f}"
                      f"{mk / ke:>7.2f}x")
            else:
                print(f"{label:<10}{shape:<10}{mk:>17.0f}{'-':>13}{'-':>8}")


if __name__ == "__main__":
    main()
