"""`MonitorCallback`: the shared "is this epoch an improvement?" logic of
EarlyStopping, ModelCheckpoint and ReduceLROnPlateau (not exported, as in Keras)."""
import warnings

import numpy as np

from minikeras.callbacks.callback import Callback


def _less(a, b):
    return bool(np.less(a, b))


def _greater(a, b):
    return bool(np.greater(a, b))


def _all_metrics(model):
    """The model's metrics, with compile containers opened up."""
    found = []
    for metric in getattr(model, "metrics", None) or []:
        found.append(metric)
        inner = getattr(metric, "metrics", None)
        if isinstance(inner, (list, tuple)):
            found.extend(inner)
    return found


class MonitorCallback(Callback):
    """Base class for callbacks that watch one logged quantity.

    Args:
        monitor: Name of the log entry to watch, e.g. `"val_loss"`.
        mode: `"min"`, `"max"` or `"auto"`: with `"auto"` a loss is
            minimized and a metric follows its own direction (`accuracy` up,
            `mae` down, ...).
        baseline: Initial reference value (`None`: the first epoch is
            always an improvement).
        min_delta: Smallest change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None,
                 min_delta=0):
        super().__init__()
        if mode not in ["auto", "min", "max"]:
            warnings.warn(
                f"{self.__class__.__name__} mode '{mode}' is unknown, fallback "
                "to auto mode.", stacklevel=2)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = _less
        elif self.mode == "max":
            self.monitor_op = _greater
        else:
            metric_name = self.monitor.removeprefix("val_")
            if metric_name == "loss":
                self.monitor_op = _less
            for metric in _all_metrics(self.model):
                if getattr(metric, "name", None) == metric_name:
                    direction = getattr(metric, "_direction", None)
                    if direction == "up":
                        self.monitor_op = _greater
                    elif direction is not None:
                        self.monitor_op = _less
            if self.monitor_op is None:
                raise ValueError(
                    f"{self.__class__.__name__} callback received "
                    f"monitor={self.monitor}, but Keras isn't able to "
                    "automatically determine whether that metric should be "
                    "maximized or minimized. Pass `mode='max'` in order to "
                    "monitor based on the highest metric value, or pass "
                    "`mode='min'` in order to use the lowest value.")
        if self.monitor_op is _less:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value):
        if reference_value is None:
            return True
        return self.monitor_op(monitor_value - self.min_delta, reference_value)
