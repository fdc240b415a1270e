"""`SwapEMAWeights`: evaluate and predict with the optimizer's EMA weights."""
import numpy as np

from minikeras.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Swaps model weights and EMA weights before and after evaluation.

    This callback replaces the model's weight values with the values of the
    optimizer's exponential moving average (EMA) weights (the optimizer must
    have been created with `use_ema=True`) for `evaluate()`/`predict()`, and
    swaps them back afterwards.

    Args:
        swap_on_epoch: whether to perform swapping at `on_epoch_begin()` and
            `on_epoch_end()`. This is useful if you want to use EMA weights
            for other callbacks such as `ModelCheckpoint`. Defaults to
            `False`.

    Example:

    >>> model.compile(optimizer=SGD(use_ema=True), loss="mse")
    >>> model.fit(x, y, callbacks=[SwapEMAWeights()])
    >>> # or: save the EMA weights at each epoch
    >>> model.fit(x, y, callbacks=[SwapEMAWeights(swap_on_epoch=True),
    ...                            ModelCheckpoint("model.keras")])
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            chosen = [o for o in inner if getattr(o, "use_ema", False)]
            if not chosen:
                raise ValueError(
                    "SwapEMAWeights must be used when at least one inner "
                    "optimizer has `use_ema=True` set. Received a "
                    "MultiOptimizer with all inner optimizers having "
                    "`use_ema=False`.")
        else:
            chosen = [optimizer]
        for opt in chosen:
            if getattr(opt, "_model_variables_moving_average", None) is None:
                raise ValueError(
                    "SwapEMAWeights must be used when `use_ema=True` is set on "
                    f"the optimizer. Received: use_ema={getattr(opt, 'use_ema', None)}")
        return chosen

    @staticmethod
    def _pairs(optimizer):
        return zip(optimizer._trainable_variables,
                   optimizer._model_variables_moving_average)

    def _swap_variables(self):
        for opt in self._ema_optimizers():
            for var, average in self._pairs(opt):
                current = np.array(var.numpy(), copy=True)
                var.assign(average.numpy())
                average.assign(current)

    def _finalize_ema_values(self):
        for opt in self._ema_optimizers():
            for var, average in self._pairs(opt):
                average.assign(var.numpy())

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            # At the end of `fit` the optimizer copies the moving averages into
            # the model; after the last epoch they must hold the EMA values.
            if self.params and epoch == self.params.get("epochs", 0) - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        # Keras 3 tests `not self._ema_weights_in_model` here and so leaves
        # the EMA weights in the model after `predict`; swap back instead.
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False
