"""`LearningRateScheduler`: set the learning rate from `schedule(epoch)`."""
import numpy as np

from minikeras.callbacks._lr_utils import (
    learning_rate_value, log_learning_rates, optimizers_of)
from minikeras.callbacks.callback import Callback
from minikeras.utils.progbar import print_msg


class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    At the beginning of every epoch, this callback gets the updated learning
    rate value from the `schedule` function, called with the current epoch
    and current learning rate, and applies it to the optimizer. At the end of
    the epoch it adds the rate to the logs as `learning_rate`.

    Args:
        schedule: A function that takes an epoch index (integer, indexed from
            0) and current learning rate (float) as inputs and returns a new
            learning rate as output (float). A one-argument `schedule(epoch)`
            is accepted too.
        verbose: Integer. 0: quiet, 1: log update messages.

    Example:

    >>> def scheduler(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> callback = LearningRateScheduler(scheduler)
    >>> history = model.fit(x, y, epochs=15, callbacks=[callback])
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            learning_rate = self.schedule(epoch, learning_rate_value(optimizer))
        except TypeError:  # the old one-argument `schedule(epoch)`
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(
                "The output of the `schedule` function should be a float. "
                f"Got: {learning_rate}")
        optimizer.learning_rate = learning_rate
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        for name, opt in optimizers_of(self.model):
            learning_rate = self._update_optimizer_lr(opt, epoch)
            if self.verbose > 0:
                which = f"{name} learning rate" if name else "learning rate"
                print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting "
                          f"{which} to {learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            log_learning_rates(self.model, logs)
