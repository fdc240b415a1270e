"""The lecture notebooks: committed with their outputs, and runnable top to bottom.

`test_notebook_runs` executes every chapter in a fresh Jupyter kernel (through
`notebooks/build.py`, the same code that produces the committed outputs) and
fails on the first cell that raises - including the `assert` cells that state
each chapter's claim (XOR solved, vanishing gradients measured, ...). It needs
the `notebooks` extra (nbclient, nbformat, ipykernel, matplotlib) and is
skipped without it. The other tests only read the committed files.
"""
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
CHAPTERS = [
    "01_perceptron",
    "02_xor_mlp",
    "03_forward_loss_optimizer_backprop",
    "04_activation_functions",
    "05_keras_model_apis",
    "06_dropout_batchnorm_lambda",
    "07_image_data_generator",
    "08_data_preprocessing",
    "09_overfitting_underfitting",
    "10_epoch_batch_iteration",
]
# Seconds one notebook may take in total; each runs in well under a minute on 2 cores.
PER_NOTEBOOK_TIMEOUT = 300
# Paths of the machine that executed a notebook must not leak into its outputs.
MACHINE_PATH = re.compile(r"(/home/|/root/|/tmp/|/Users/|[A-Z]:\\|/work/|site-packages)")


def _load(name):
    return json.loads((NOTEBOOK_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


def _code_cells(nb):
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def _output_text(output):
    if "text" in output:
        return "".join(output["text"])
    data = output.get("data", {})
    return "".join(data.get("text/plain", "")) + "".join(data.get("text/html", ""))


def test_every_chapter_has_a_notebook():
    found = sorted(p.stem for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    assert found == CHAPTERS


@pytest.mark.parametrize("name", CHAPTERS)
def test_committed_with_outputs(name):
    nb = _load(name)
    cells = _code_cells(nb)
    first = cells[0]["source"]
    first = "".join(first) if isinstance(first, list) else first
    assert "alias_keras()" in first or "import minikeras as keras" in first, \
        f"{name}: the first code cell must set up minikeras"
    counts = [cell["execution_count"] for cell in cells]
    assert None not in counts, f"{name}: {counts.count(None)} code cells were never executed"
    assert counts == list(range(1, len(cells) + 1)), f"{name}: cells were not run top to bottom in one go"
    for index, cell in enumerate(cells):
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"{name}: code cell {index} saved an error"
            text = _output_text(output)
            leaked = MACHINE_PATH.search(text)
            assert leaked is None, f"{name}: code cell {index} output names a machine path: {leaked.group(0)!r}"
    images = sum("image/png" in out.get("data", {}) for cell in cells for out in cell["outputs"])
    assert images >= 1, f"{name}: no plot was saved"


@pytest.fixture(scope="module")
def build():
    for module in ("nbclient", "nbformat", "ipykernel", "matplotlib"):
        pytest.importorskip(module, reason="install the `notebooks` extra to execute the notebooks")
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOK_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.parametrize("name", CHAPTERS)
def test_notebook_runs(build, name):
    import nbformat

    nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    build.execute(nb, PER_NOTEBOOK_TIMEOUT)      # raises CellExecutionError / TimeoutError
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in cells)
    assert not any(out.output_type == "error" for cell in cells for out in cell.outputs)
