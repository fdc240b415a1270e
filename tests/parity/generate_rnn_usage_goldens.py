"""Write goldens for recurrent-layer usage (stateful models, custom cells,
masking, Bidirectional, TimeDistributed, ConvLSTM2D) from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_rnn_usage_goldens.py

The models and the calls made on them live in `rnn_usage_cases.py`, shared
with the minikeras test. Writes `goldens/rnn_usage.npz`: `data/<name>` (the
inputs), `<case>/w_<i>` (the weights set before the run) and
`<case>/<key>` for each array the run produced.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import rnn_usage_cases as cases  # noqa: E402


def main():
    rng = np.random.default_rng(20261129)
    data = cases.make_data(rng)
    arrays = {f"data/{k}": v for k, v in data.items()}
    for name, build in cases.BUILDERS.items():
        keras.utils.set_random_seed(0)
        model = build(keras)
        weights = cases.random_weights(model, rng)
        model.set_weights(weights)
        for i, w in enumerate(weights):
            arrays[f"{name}/w_{i}"] = w
        for key, value in cases.run_case(keras, name, model, data).items():
            arrays[f"{name}/{key}"] = np.asarray(value, dtype=np.float32)
    np.savez_compressed(os.path.join(HERE, "goldens", "rnn_usage.npz"), **arrays)
    print(f"wrote {len(arrays)} arrays")


if __name__ == "__main__":
    main()
