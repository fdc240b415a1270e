"""`CallbackList`: calls a list of callbacks as one."""
import numpy as np

from minikeras.callbacks.callback import Callback
from minikeras.callbacks.history import History
from minikeras.callbacks.progbar_logger import ProgbarLogger


def _to_python_number(value):
    """A scalar array, Variable or numpy number as a Python float; other
    values unchanged (as Keras's `pythonify_logs` does)."""
    if hasattr(value, "numpy") and callable(value.numpy):  # Variable
        value = value.numpy()
    if hasattr(value, "_value") and not isinstance(value, np.ndarray):
        value = value._value  # an autograd box that leaked into the logs
    if isinstance(value, np.ndarray) and value.ndim > 0:
        # float() of a 1-element array is an error in NumPy 2.x, which Keras
        # swallows: per-class results such as F1Score's stay arrays in the logs.
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def pythonify_logs(logs):
    """Flattens nested dicts of logs and turns numbers into Python floats.

    Keys come out sorted, which is the order every callback (and so the
    progress bar) sees them in.
    """
    result = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
        else:
            result[key] = _to_python_number(value)
    return result


def _flatten_callbacks(callbacks):
    flat = []
    for cb in callbacks:
        if isinstance(cb, (list, tuple)):
            flat.extend(_flatten_callbacks(cb))
            continue
        if isinstance(cb, type):
            raise TypeError(
                "Expected `callbacks` to hold callback instances, but received "
                f"the class {cb.__name__}. Did you forget to instantiate it, "
                f"as in `{cb.__name__}()`?")
        if not (hasattr(cb, "set_model") and hasattr(cb, "on_epoch_end")):
            raise TypeError(
                "Expected every element of `callbacks` to be a "
                "`keras.callbacks.Callback` instance. Received: "
                f"{cb!r} of type {type(cb).__name__}")
        flat.append(cb)
    return flat


class CallbackList(Callback):
    """Container abstracting a list of callbacks.

    Args:
        callbacks: List of `Callback` instances.
        add_history: Whether a `History` callback should be added, if one does
            not already exist in the `callbacks` list.
        add_progbar: Whether a `ProgbarLogger` callback should be added, if one
            does not already exist in the `callbacks` list.
        model: The `Model` these callbacks are used with.
        **params: If provided, parameters will be passed to each `Callback`
            via `Callback.set_params`.

    Every `on_*` call goes to each callback in order, with the logs flattened
    and converted to Python floats (see `pythonify_logs`).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False,
                 model=None, **params):
        super().__init__()
        if callbacks is None:
            callbacks = []
        elif isinstance(callbacks, Callback) and not isinstance(callbacks, CallbackList):
            callbacks = [callbacks]
        elif not isinstance(callbacks, (list, tuple)):
            callbacks = list(callbacks)
        self.callbacks = _flatten_callbacks(callbacks)
        self._in_begin_end_block_count = 0
        self._add_default_callbacks(add_history, add_progbar)
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history, add_progbar):
        """Adds the `History` and `ProgbarLogger` that `fit` always has."""
        self._progbar = None
        self._history = None
        for cb in self.callbacks:
            if isinstance(cb, ProgbarLogger):
                self._progbar = cb
            elif isinstance(cb, History):
                self._history = cb
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def append(self, callback):
        """Adds one more callback, with this list's model and params."""
        self.callbacks.extend(_flatten_callbacks([callback]))
        if self.model is not None:
            callback.set_model(self.model)
        if self.params:
            callback.set_params(self.params)

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def _on_begin(self):
        self._in_begin_end_block_count += 1

    def _on_end(self):
        self._in_begin_end_block_count -= 1
        if self._in_begin_end_block_count < 0:
            raise ValueError(
                "`on_xxx_end` called without corresponding `on_xxx_begin`")

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    # ----- epoch and batch hooks ---------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, pythonify_logs(logs))

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, pythonify_logs(logs))

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", batch, pythonify_logs(logs))

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", batch, pythonify_logs(logs))

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, pythonify_logs(logs))

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, pythonify_logs(logs))

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, pythonify_logs(logs))

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, pythonify_logs(logs))

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, pythonify_logs(logs))

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, pythonify_logs(logs))

    # ----- begin/end hooks ---------------------------------------------------
    def on_train_begin(self, logs=None):
        self._on_begin()
        self._call("on_train_begin", pythonify_logs(logs))

    def on_train_end(self, logs=None):
        self._call("on_train_end", pythonify_logs(logs))
        self._on_end()

    def on_test_begin(self, logs=None):
        self._on_begin()
        self._call("on_test_begin", pythonify_logs(logs))

    def on_test_end(self, logs=None):
        self._call("on_test_end", pythonify_logs(logs))
        self._on_end()

    def on_predict_begin(self, logs=None):
        self._on_begin()
        self._call("on_predict_begin", pythonify_logs(logs))

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", pythonify_logs(logs))
        self._on_end()
