"""Command line: `python -m minikeras demo` and `python -m minikeras run script.py`."""
import argparse
import runpy
import sys


def _run(script, args):
    from minikeras.compat.alias import alias_keras
    alias_keras()
    sys.argv = [script] + list(args)
    runpy.run_path(script, run_name="__main__")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m minikeras",
        description="minikeras: Keras 3 in pure Python on numpy and autograd.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="train the lecture's models on the bundled digits data")
    demo.add_argument("--epochs", type=int, default=30)
    demo.add_argument("--verbose", type=int, default=1)
    run = sub.add_parser("run", help="run a Keras script with `import keras` -> minikeras")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    ns = parser.parse_args(argv)
    if ns.command == "demo":
        from minikeras.demo import run_demo
        return run_demo(epochs=ns.epochs, verbose=ns.verbose)
    _run(ns.script, ns.args)
    return 0


if __name__ == "__main__":
    sys.exit(main() or 0)
