"""Records what Keras 3 does with compile()'s strings as goldens for minikeras.

Run with a Python that has tensorflow + keras 3 (never minikeras):

    python tests/parity/generate_compile_string_goldens.py

Writes goldens/compile_strings.json: for every loss, metric and optimizer
string in `compile_string_cases.py`, whether compile/fit accepts it (else the
error type and message), the history keys and values, `metrics_names`,
evaluate's list; the multi-output compile forms; the text `fit(verbose=2)`
and `evaluate(verbose=1)` print.
"""
import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compile_string_cases as cases  # noqa: E402

warnings.simplefilter("ignore")


def main():
    out = {"keras_version": keras.__version__}
    out["losses"] = {f"{n}|{k}": cases.loss_case(keras, n, k) for n, k in cases.LOSS_STRINGS}
    out["metrics"] = {f"{n}|{k}": cases.metric_case(keras, n, k)
                      for n, k in cases.METRIC_STRINGS}
    out["multi"] = {f"{f}|{t}": cases.multi_case(keras, f, t)
                    for f in cases.MULTI_FORMS for t in ("list", "dict")}
    out["validation_split"] = cases.validation_split_case(keras)
    out["progress"] = cases.progress_case(keras)
    out["optimizers"] = {n: cases.optimizer_case(keras, n) for n in cases.OPTIMIZER_STRINGS}
    path = os.path.join(HERE, "goldens", "compile_strings.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
