"""Reading an optimizer's learning rate as a Python float (shared helper)."""
import numpy as np


def learning_rate_value(optimizer):
    """`optimizer.learning_rate` as a float, whether it is a Variable, an
    array, a numpy or Python number."""
    lr = optimizer.learning_rate
    if hasattr(lr, "numpy") and callable(lr.numpy):
        lr = lr.numpy()
    return float(np.asarray(lr).reshape(()))


def optimizers_of(model):
    """`[(name, optimizer)]`: the inner optimizers of a multi-optimizer, or
    the model's one optimizer with name `""`."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            "This callback needs a compiled model with an optimizer; "
            f"received a model whose `optimizer` is None: {model!r}")
    inner = getattr(optimizer, "optimizers", None)
    if inner is not None:
        return [(getattr(opt, "name", f"optimizer_{i}"), opt) for i, opt in enumerate(inner)]
    return [("", optimizer)]


def log_learning_rates(model, logs):
    """Adds `learning_rate` (or `learning_rate_<name>` per inner optimizer)
    to `logs`, as Keras 3's schedulers do at epoch end."""
    for name, opt in optimizers_of(model):
        key = f"learning_rate_{name}" if name else "learning_rate"
        logs[key] = learning_rate_value(opt)
    return logs
