"""Write optimizer and learning-rate-schedule goldens from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never part of the normal test
run, and it does not import minikeras):

    python tests/parity/generate_optimizer_goldens.py

Each case runs 20 steps of one optimizer on one of two problems:

- "quadratic": w (4, 3) and b (3,), loss = 0.5 * sum(A * (w - T)**2) + ...
- "dense": a 5-4-3 MLP (relu hidden layer) with a mean squared error loss.

Gradients come from `tf.GradientTape`; they are recorded with the values of
the variables after every step, the optimizer's variables (names, values) at
the end, and (with EMA) the values after `finalize_variable_values`. The tests
feed the recorded gradients to minikeras and compare.

Output: goldens/optimizer_cases.json (specs, variable names, schedule values)
and goldens/optimizer_trajectories.npz (arrays).
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import optimizers, ops  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
STEPS = 20
RNG = np.random.default_rng(20240601)


def f32(x):
    return np.asarray(x, dtype=np.float32)


# ----- the two problems ---------------------------------------------------------
QUAD = {
    "w0": f32(RNG.normal(size=(4, 3))), "b0": f32(RNG.normal(size=(3,))),
    "A": f32(RNG.uniform(0.5, 2.0, size=(4, 3))), "T": f32(RNG.normal(size=(4, 3))),
    "B": f32(RNG.uniform(0.5, 2.0, size=(3,))), "S": f32(RNG.normal(size=(3,))),
}
DENSE = {
    "x": f32(RNG.normal(size=(8, 5))), "y": f32(RNG.normal(size=(8, 3))),
    "k1": f32(RNG.normal(size=(5, 4)) * 0.5), "b1": f32(RNG.normal(size=(4,)) * 0.1),
    "k2": f32(RNG.normal(size=(4, 3)) * 0.5), "b2": f32(RNG.normal(size=(3,)) * 0.1),
}
PROBLEMS = {
    "quadratic": (["w", "b"], [QUAD["w0"], QUAD["b0"]]),
    "dense": (["kernel_1", "bias_1", "kernel_2", "bias_2"],
              [DENSE["k1"], DENSE["b1"], DENSE["k2"], DENSE["b2"]]),
}


def loss_fn(problem, variables):
    if problem == "quadratic":
        w, b = variables
        return (0.5 * ops.sum(QUAD["A"] * ops.square(w - QUAD["T"]))
                + 0.5 * ops.sum(QUAD["B"] * ops.square(b - QUAD["S"])))
    k1, b1, k2, b2 = variables
    h = ops.relu(ops.matmul(DENSE["x"], k1) + b1)
    out = ops.matmul(h, k2) + b2
    return ops.mean(ops.square(out - DENSE["y"]))


# ----- the cases -------------------------------------------------------------------
def sched(class_name, **config):
    return {"module": "keras.optimizers.schedules", "class_name": class_name,
            "config": config, "registered_name": None}


BASE = [
    ("SGD", {"learning_rate": 0.1}),
    ("Adam", {"learning_rate": 0.1}),
    ("RMSprop", {"learning_rate": 0.05}),
    ("AdamW", {"learning_rate": 0.1}),
    ("Adagrad", {"learning_rate": 0.3}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Adamax", {"learning_rate": 0.1}),
    ("Nadam", {"learning_rate": 0.1}),
    ("Ftrl", {"learning_rate": 0.3}),
    ("Lion", {"learning_rate": 0.02}),
    ("Adafactor", {"learning_rate": 0.1}),
    ("Lamb", {"learning_rate": 0.1}),
    ("ScheduleFreeAdamW", {"learning_rate": 0.05}),
    ("Muon", {"learning_rate": 0.05}),
]

VARIANTS = [
    ("sgd_momentum", "SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    ("sgd_nesterov", "SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("adam_amsgrad", "Adam", {"learning_rate": 0.1, "amsgrad": True}),
    ("rmsprop_centered", "RMSprop", {"learning_rate": 0.05, "centered": True}),
    ("rmsprop_momentum", "RMSprop", {"learning_rate": 0.02, "momentum": 0.5,
                                     "centered": True}),
    ("adam_clipnorm", "Adam", {"learning_rate": 0.1, "clipnorm": 0.3}),
    ("sgd_clipnorm", "SGD", {"learning_rate": 0.1, "clipnorm": 0.3}),
    ("adam_clipvalue", "Adam", {"learning_rate": 0.1, "clipvalue": 0.05}),
    ("sgd_clipvalue", "SGD", {"learning_rate": 0.1, "clipvalue": 0.05}),
    ("sgd_global_clipnorm", "SGD", {"learning_rate": 0.1, "global_clipnorm": 0.4}),
    ("adam_global_clipnorm", "Adam", {"learning_rate": 0.1, "global_clipnorm": 0.4}),
    ("sgd_weight_decay", "SGD", {"learning_rate": 0.1, "weight_decay": 0.05}),
    ("adam_weight_decay", "Adam", {"learning_rate": 0.1, "weight_decay": 0.05}),
    ("adamw_exclude_bias", "AdamW", {"learning_rate": 0.1, "weight_decay": 0.2}),
    ("adam_exponential_decay", "Adam", {"learning_rate": sched(
        "ExponentialDecay", initial_learning_rate=0.1, decay_steps=5,
        decay_rate=0.5, staircase=False, name="ExponentialDecay")}),
    ("sgd_piecewise", "SGD", {"learning_rate": sched(
        "PiecewiseConstantDecay", boundaries=[5, 12], values=[0.1, 0.05, 0.01],
        name="PiecewiseConstant")}),
    ("rmsprop_cosine_warmup", "RMSprop", {"learning_rate": sched(
        "CosineDecay", initial_learning_rate=0.0, decay_steps=15, alpha=0.1,
        name="CosineDecay", warmup_target=0.05, warmup_steps=5)}),
    ("adamw_schedule", "AdamW", {"learning_rate": sched(
        "InverseTimeDecay", initial_learning_rate=0.1, decay_steps=2,
        decay_rate=0.5, staircase=True, name="InverseTimeDecay"),
        "weight_decay": 0.1}),
    ("adam_ema", "Adam", {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.8}),
    ("sgd_ema_overwrite", "SGD", {"learning_rate": 0.1, "momentum": 0.5,
                                  "use_ema": True, "ema_momentum": 0.9,
                                  "ema_overwrite_frequency": 4}),
    ("sgd_accumulate", "SGD", {"learning_rate": 0.1, "momentum": 0.5,
                               "gradient_accumulation_steps": 3}),
    ("adam_accumulate", "Adam", {"learning_rate": 0.1, "gradient_accumulation_steps": 2,
                                 "clipnorm": 0.5, "weight_decay": 0.05}),
    ("adam_ema_accumulate", "Adam", {"learning_rate": 0.1, "gradient_accumulation_steps": 2,
                                     "use_ema": True, "ema_momentum": 0.7}),
    ("adam_loss_scale", "Adam", {"learning_rate": 0.1, "loss_scale_factor": 4.0}),
    ("ftrl_regularized", "Ftrl", {"learning_rate": 0.3, "l1_regularization_strength": 0.01,
                                  "l2_regularization_strength": 0.02,
                                  "l2_shrinkage_regularization_strength": 0.03,
                                  "beta": 0.1, "learning_rate_power": -0.6}),
    ("adafactor_schedule", "Adafactor", {"learning_rate": sched(
        "ExponentialDecay", initial_learning_rate=0.1, decay_steps=5,
        decay_rate=0.5, staircase=False, name="ExponentialDecay"),
        "relative_step": False}),
    ("schedule_free_warmup", "ScheduleFreeAdamW", {"learning_rate": 0.05,
                                                   "warmup_steps": 5}),
    ("lion_weight_decay", "Lion", {"learning_rate": 0.02, "weight_decay": 0.5}),
    ("loss_scale_optimizer", "LossScaleOptimizer", {
        "inner_optimizer": {"module": "keras.optimizers", "class_name": "SGD",
                            "config": {"learning_rate": 0.1, "momentum": 0.5,
                                       "name": "inner"},
                            "registered_name": None},
        "initial_scale": 8.0, "dynamic_growth_steps": 3}),
]


def make_cases():
    cases = []
    for cls, kwargs in BASE:
        for problem in ("quadratic", "dense"):
            cases.append({"name": f"{cls.lower()}_{problem}", "class": cls,
                          "kwargs": kwargs, "problem": problem})
    for name, cls, kwargs in VARIANTS:
        case = {"name": name, "class": cls, "kwargs": kwargs, "problem": "dense"}
        if name == "adamw_exclude_bias":
            case["exclude_var_names"] = ["bias"]
        if name == "loss_scale_optimizer":
            case["nonfinite_steps"] = [4, 9]  # these steps get an inf gradient
        cases.append(case)
    return cases


def run_case(case, arrays):
    names, initial = PROBLEMS[case["problem"]]
    variables = [keras.Variable(v, name=n) for n, v in zip(names, initial)]
    kwargs = dict(case["kwargs"])
    if case["class"] != "LossScaleOptimizer":
        kwargs["name"] = "opt"
    opt = getattr(optimizers, case["class"]).from_config(kwargs)
    if case.get("exclude_var_names"):
        opt.exclude_from_weight_decay(var_names=case["exclude_var_names"])
    grads_seq, values_seq = [], []
    for step in range(STEPS):
        with tf.GradientTape() as tape:
            loss = loss_fn(case["problem"], [v.value for v in variables])
        grads = [g.numpy() for g in tape.gradient(loss, [v.value for v in variables])]
        if step in case.get("nonfinite_steps", []):
            grads[0] = grads[0].copy()
            grads[0].flat[0] = np.inf
        opt.apply_gradients(zip(grads, variables))
        grads_seq.append(grads)
        values_seq.append([v.numpy().copy() for v in variables])
    key = case["name"]
    for i, n in enumerate(names):
        arrays[f"{key}/grads/{n}"] = f32([g[i] for g in grads_seq])
        arrays[f"{key}/values/{n}"] = f32([v[i] for v in values_seq])
    case["opt_variables"] = [v.path for v in opt.variables]
    for i, v in enumerate(opt.variables):
        arrays[f"{key}/opt/{i}"] = np.asarray(v.numpy())
    case["iterations"] = int(np.asarray(opt.iterations))
    if case["kwargs"].get("use_ema"):
        opt.finalize_variable_values(variables)
        for n, v in zip(names, variables):
            arrays[f"{key}/finalized/{n}"] = v.numpy().copy()
    case["config"] = json.loads(json.dumps(optimizers.serialize(opt), default=float))


# ----- schedules ----------------------------------------------------------------
SCHEDULE_STEPS = list(range(0, 41)) + [57, 100, 333, 1000, 12345]
SCHEDULES = [
    sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=7,
          decay_rate=0.9, staircase=False, name="ExponentialDecay"),
    sched("ExponentialDecay", initial_learning_rate=0.5, decay_steps=4,
          decay_rate=0.3, staircase=True, name="ExponentialDecay"),
    sched("PiecewiseConstantDecay", boundaries=[3, 10, 20], values=[1.0, 0.5, 0.1, 0.01],
          name="PiecewiseConstant"),
    sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=20,
          end_learning_rate=0.001, power=1.0, cycle=False, name="PolynomialDecay"),
    sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=9,
          end_learning_rate=0.01, power=0.5, cycle=True, name="PolynomialDecay"),
    sched("PolynomialDecay", initial_learning_rate=1.0, decay_steps=25,
          end_learning_rate=0.0001, power=2.0, cycle=False, name="PolynomialDecay"),
    sched("InverseTimeDecay", initial_learning_rate=0.1, decay_steps=3,
          decay_rate=0.5, staircase=False, name="InverseTimeDecay"),
    sched("InverseTimeDecay", initial_learning_rate=0.2, decay_steps=4,
          decay_rate=1.5, staircase=True, name="InverseTimeDecay"),
    sched("CosineDecay", initial_learning_rate=0.1, decay_steps=30, alpha=0.0,
          name="CosineDecay", warmup_target=None, warmup_steps=0),
    sched("CosineDecay", initial_learning_rate=0.1, decay_steps=17, alpha=0.2,
          name="CosineDecay", warmup_target=None, warmup_steps=0),
    sched("CosineDecay", initial_learning_rate=0.0, decay_steps=20, alpha=0.05,
          name="CosineDecay", warmup_target=0.3, warmup_steps=8),
    sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=5,
          t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"),
    sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=4,
          t_mul=1.0, m_mul=0.5, alpha=0.1, name="SGDRDecay"),
    sched("CosineDecayRestarts", initial_learning_rate=0.3, first_decay_steps=3,
          t_mul=1.5, m_mul=0.8, alpha=0.05, name="SGDRDecay"),
]


def schedule_values():
    out = []
    for spec in SCHEDULES:
        schedule = optimizers.schedules.deserialize(spec)
        values = [float(np.float32(schedule(tf.constant(s, dtype=tf.int64))))
                  for s in SCHEDULE_STEPS]
        out.append({"spec": spec, "values": values,
                    "serialized": optimizers.schedules.serialize(schedule)})
    return out


def main():
    arrays = {}
    cases = make_cases()
    for case in cases:
        run_case(case, arrays)
    payload = {"keras_version": keras.__version__, "tensorflow_version": tf.__version__,
               "steps": STEPS, "quad": {k: v.tolist() for k, v in QUAD.items()},
               "dense": {k: v.tolist() for k, v in DENSE.items()},
               "problems": {k: v[0] for k, v in PROBLEMS.items()},
               "cases": cases, "schedule_steps": SCHEDULE_STEPS,
               "schedules": schedule_values()}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "optimizer_cases.json"), "w") as f:
        json.dump(payload, f, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(OUT, "optimizer_trajectories.npz"), **arrays)
    print(f"wrote {len(cases)} optimizer cases and {len(SCHEDULES)} schedules")


if __name__ == "__main__":
    main()
