"""The real-Keras half of the interop tests (run with a Python that has keras 3).

    python keras_side.py job.json

For each task of the job: load a file written by minikeras (`.keras`, legacy
`.h5`, or a model plus a `.weights.h5`), predict on the given inputs, take
one training step if asked, re-save the model with Keras (for the way back),
and write the results to an `.npz`. Must not import minikeras.
"""
import json
import os
import sys
import traceback

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


@keras.saving.register_keras_serializable(package="MiniKerasTest", name="TwoDense")
class TwoDense(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.out = keras.layers.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def run(task):
    data = dict(np.load(task["inputs"]))
    # String inputs go in as string tensors (Keras takes no numpy unicode arrays).
    xs = [tf.constant(data[k]) if data[k].dtype.kind == "U" else data[k]
          for k in sorted(data) if k.startswith("x")]
    x = xs if len(xs) > 1 else xs[0]
    model = keras.saving.load_model(task["file"])
    if task.get("weights"):
        model = keras.models.clone_model(model)
        model.load_weights(task["weights"])
    out = {}
    pred = model.predict(x, verbose=0)
    for i, p in enumerate(pred if isinstance(pred, list) else [pred]):
        out[f"y{i}"] = np.asarray(p)
    if task.get("train"):
        out["iterations_before"] = np.int64(model.optimizer.iterations.numpy())
        logs = model.train_on_batch(data["train_x"], data["train_y"], return_dict=True)
        out["loss"] = np.float32(logs["loss"])
        for i, w in enumerate(model.get_weights()):
            out[f"w{i}"] = w
    if task.get("resave"):
        keras.saving.load_model(task["file"]).save(task["resave"])
    np.savez(task["out"], **out)


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    errors = {}
    for task in job["tasks"]:
        try:
            run(task)
        except Exception:  # reported back to the test that owns the task
            errors[task["name"]] = traceback.format_exc()
    with open(job["errors"], "w") as f:
        json.dump(errors, f)


if __name__ == "__main__":
    main()
