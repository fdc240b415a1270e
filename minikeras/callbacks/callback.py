"""`Callback`: the base class of everything `fit`/`evaluate`/`predict` call back."""


class Callback:
    """Base class used to build new callbacks.

    Callbacks can be passed to `fit()`, `evaluate()` and `predict()` to hook
    into the stages of training, evaluation and inference. Subclass it and
    override the methods for the stages of interest.

    Example:

    >>> class StopAtLoss(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         if logs["loss"] < 0.1:
    ...             self.model.stop_training = True

    In a custom training loop, wrap the callbacks in a
    `keras.callbacks.CallbackList` and call its `on_*` methods where `fit`
    would call them.

    Attributes:
        params: Dict. Training parameters (`verbose`, `epochs`, `steps`).
        model: Instance of `Model`, the model being trained.

    The `logs` dictionaries passed to the methods hold the quantities relevant
    to the current batch or epoch: metric results (`{"loss": 0.2,
    "accuracy": 0.7}`), with `val_` prefixed validation results at epoch end.
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        # getattr: subclasses that skip `super().__init__()` still work.
        return getattr(self, "_model", None)

    # Keras 2 names, still called by the default train-batch hooks below.
    def on_batch_begin(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """A backwards compatibility alias for `on_train_batch_end`."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch (only during `fit`).

        Args:
            epoch: Integer, index of epoch.
            logs: Dict. Currently no data is passed to this argument.
        """

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch (only during `fit`).

        Args:
            epoch: Integer, index of epoch.
            logs: Dict, metric results for this training epoch, and for the
                validation epoch if validation is performed (keys prefixed
                with `val_`). Example: `{'loss': 0.2, 'accuracy': 0.7}`.
        """

    def on_train_batch_begin(self, batch, logs=None):
        """Called at the beginning of a training batch in `fit`.

        Args:
            batch: Integer, index of batch within the current epoch.
            logs: Dict. Currently no data is passed to this argument.
        """
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called at the end of a training batch in `fit`.

        Args:
            batch: Integer, index of batch within the current epoch.
            logs: Dict. Aggregated metric results up until this batch.
        """
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called at the beginning of a batch in `evaluate`, and of a
        validation batch in `fit`.

        Args:
            batch: Integer, index of batch within the current epoch.
            logs: Dict. Currently no data is passed to this argument.
        """

    def on_test_batch_end(self, batch, logs=None):
        """Called at the end of a batch in `evaluate`, and of a validation
        batch in `fit`.

        Args:
            batch: Integer, index of batch within the current epoch.
            logs: Dict. Aggregated metric results up until this batch.
        """

    def on_predict_batch_begin(self, batch, logs=None):
        """Called at the beginning of a batch in `predict`.

        Args:
            batch: Integer, index of batch within the current epoch.
            logs: Dict. Currently no data is passed to this argument.
        """

    def on_predict_batch_end(self, batch, logs=None):
        """Called at the end of a batch in `predict`.

        Args:
            batch: Integer, index of batch within the current epoch.
            logs: Dict, `{"outputs": batch_outputs}`.
        """

    def on_train_begin(self, logs=None):
        """Called at the beginning of training.

        Args:
            logs: Dict. Currently no data is passed to this argument.
        """

    def on_train_end(self, logs=None):
        """Called at the end of training.

        Args:
            logs: Dict. The logs of the last epoch (`on_epoch_end`'s logs).
        """

    def on_test_begin(self, logs=None):
        """Called at the beginning of evaluation or validation.

        Args:
            logs: Dict. Currently no data is passed to this argument.
        """

    def on_test_end(self, logs=None):
        """Called at the end of evaluation or validation.

        Args:
            logs: Dict. The metric results of the evaluation.
        """

    def on_predict_begin(self, logs=None):
        """Called at the beginning of prediction.

        Args:
            logs: Dict. Currently no data is passed to this argument.
        """

    def on_predict_end(self, logs=None):
        """Called at the end of prediction.

        Args:
            logs: Dict. Currently no data is passed to this argument.
        """
