"""Time one optimizer update for a 784-256-128-10 MLP (235,146 float32 params).

    python benchmarks/bench_optimizers.py [--steps 300] [--batch 128]

Prints the median time of `apply_gradients` per optimizer, next to the
numpy floor of one training step (the six GEMMs of forward + backward for one
batch, timed alone), so the optimizer's share of a step can be read off.
Run with OPENBLAS_NUM_THREADS=1 to compare against single-threaded GEMMs.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from minikeras import optimizers  # noqa: E402
from minikeras.backend import Variable  # noqa: E402

SHAPES = [(784, 256), (256,), (256, 128), (128,), (128, 10), (10,)]


def median_ms(fn, steps, warmup=20):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def gemm_floor(batch, rng):
    x = rng.standard_normal((batch, 784)).astype(np.float32)
    ws = [rng.standard_normal(s).astype(np.float32) for s in SHAPES[::2]]
    acts = [x]
    for w in ws:
        acts.append(np.zeros((batch, w.shape[1]), np.float32))

    def step():
        h = x
        for i, w in enumerate(ws):  # forward
            h = np.dot(h, w, out=acts[i + 1])
        d = acts[-1]
        for i in range(len(ws) - 1, -1, -1):  # backward: dW and dX
            np.dot(acts[i].T, d)
            if i:
                d = np.dot(d, ws[i].T)
    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    n_params = sum(int(np.prod(s)) for s in SHAPES)
    print(f"numpy {np.__version__}, OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', '(default)')}, {n_params} params")
    floor = median_ms(gemm_floor(args.batch, rng), args.steps)
    print(f"{'GEMM floor (batch %d)' % args.batch:28s} {floor:7.3f} ms")
    grads = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    configs = [("SGD", {}), ("SGD momentum", {"momentum": 0.9}),
               ("Adam", {}), ("AdamW", {}), ("RMSprop", {}), ("Nadam", {}),
               ("Adagrad", {}), ("Lion", {})]
    for label, kwargs in configs:
        cls = getattr(optimizers, label.split()[0])
        variables = [Variable(rng.standard_normal(s).astype(np.float32) * 0.01)
                     for s in SHAPES]
        opt = cls(**kwargs)
        pairs = list(zip(grads, variables))
        ms = median_ms(lambda: opt.apply_gradients(pairs), args.steps)
        print(f"{label:28s} {ms:7.3f} ms  ({ms / floor:5.2f}x the GEMM floor)")


if __name__ == "__main__":
    main()
