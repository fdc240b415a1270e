"""Re-execute the lecture notebooks top to bottom and save them with their outputs.

Usage (from anywhere)::

    python notebooks/build.py                 # every notebook in this folder
    python notebooks/build.py 02_xor_mlp      # only the named ones (with or without .ipynb)

Each notebook runs in a fresh `python3` kernel whose working directory is this
folder (so `data/...` paths resolve) and whose `PYTHONPATH` starts with the
repository root (so the checkout's minikeras is the one imported). Outputs are
replaced in place; per-cell timing metadata is not recorded, so re-running an
unchanged notebook gives a small diff.
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def notebook_paths(names=None):
    """The chapter notebooks in order, or the ones named (stem or file name)."""
    paths = sorted(HERE.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return paths
    wanted = {Path(n).stem for n in names}
    chosen = [p for p in paths if p.stem in wanted]
    missing = wanted - {p.stem for p in chosen}
    if missing:
        raise SystemExit(f"No notebook named {sorted(missing)} in {HERE.name}/; "
                         f"expected one of {[p.stem for p in paths]}.")
    return chosen


def kernel_env():
    """Environment for the kernel: the repository root first on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    # Single-threaded BLAS keeps timings and results steady on small machines.
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


_BACKSPACE = re.compile(r"[^\n]\x08")
_CARRIAGE_RETURN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)
# Warnings name the cell by the kernel's temporary file (a path of the machine
# that built the notebook); the saved output names it generically instead.
_KERNEL_CELL_FILE = re.compile(r"\S*ipykernel_\d+[/\\]\d+\.py")


def tidy_streams(cell):
    """Merge consecutive stream outputs and apply their \\r / \\b overwrites.

    A Keras progress bar redraws itself with backspaces and carriage returns;
    a notebook front end shows only the final state, and so does the saved file.
    """
    merged = []
    for output in cell.get("outputs", []):
        if (output["output_type"] == "stream" and merged
                and merged[-1]["output_type"] == "stream" and merged[-1]["name"] == output["name"]):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    for output in merged:
        if output["output_type"] == "stream":
            text, previous = output["text"], None
            while text != previous:
                previous, text = text, _BACKSPACE.sub("", text)
            text = _CARRIAGE_RETURN.sub("", text.replace("\x08", ""))
            output["text"] = _KERNEL_CELL_FILE.sub("<ipython-cell>", text)
    cell["outputs"] = merged


def execute(nb, timeout):
    """Run every cell of `nb` in place within `timeout` seconds for the whole notebook.

    Raises `nbclient.exceptions.CellExecutionError` on the first failing cell and
    `TimeoutError` when the notebook as a whole runs past `timeout`.
    """
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            record_timing=False,
                            resources={"metadata": {"path": str(HERE)}})
    start = time.monotonic()
    with client.setup_kernel(env=kernel_env()):
        for index, cell in enumerate(nb.cells):
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                raise TimeoutError(
                    f"Notebook ran past its {timeout} s budget before cell {index}.")
            client.timeout = max(1, int(left))
            client.execute_cell(cell, index)
            tidy_streams(cell)
    return time.monotonic() - start


def main(argv=None):
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to run (default: all)")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds allowed per notebook (default 600)")
    args = parser.parse_args(argv)
    for path in notebook_paths(args.names):
        nb = nbformat.read(path, as_version=4)
        seconds = execute(nb, args.timeout)
        nbformat.write(nb, path)
        print(f"{path.name}: {len(nb.cells)} cells, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
