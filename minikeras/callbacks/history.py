"""`History`: records the epoch logs of `fit`; it is what `fit` returns."""
from minikeras.callbacks.callback import Callback


class History(Callback):
    """Callback that records events into a `History` object.

    `fit()` adds one automatically and returns it; it is also reachable as
    `model.history` after training.

    Attributes:
        history: Dict mapping each log key (`"loss"`, `"val_accuracy"`, ...)
            to the list of its values, one per epoch.
        epoch: List of the epoch indices seen.
        params: Dict of the training parameters (`verbose`, `epochs`,
            `steps`).

    Example:

    >>> history = model.fit(x, y, epochs=10, verbose=0)
    >>> history.params
    {'verbose': 0, 'epochs': 10, 'steps': 1}
    >>> history.history.keys()
    dict_keys(['loss'])
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)
        # Keep `model.history` pointing at the latest state.
        if self.model is not None:
            self.model.history = self
