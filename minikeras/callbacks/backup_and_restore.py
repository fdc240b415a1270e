"""`BackupAndRestore`: resume an interrupted `fit` where it stopped."""
import json
import os
import shutil
import tempfile

from minikeras.callbacks.callback import Callback


def _atomic_write_text(path, text):
    """Write via a temporary file and a rename: never a half-written file."""
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _atomic_copy(src, dst):
    directory = os.path.dirname(dst) or "."
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


class BackupAndRestore(Callback):
    """Callback to back up and restore the training state.

    It saves the model weights (`latest.weights.h5`, written by
    `model.save_weights`, which includes the optimizer's state) and the
    number of completed epochs (`training_metadata.json`) in `backup_dir` at
    the end of each epoch (or each `save_freq` batches). When `fit` starts
    again after an interruption, it loads them and `fit` resumes at the first
    unfinished epoch (it reads `model._initial_epoch`, which this callback
    sets in `on_train_begin`). The backup is deleted when training finishes
    (unless `delete_checkpoint=False`).

    Note that the user is responsible to bring jobs back after the
    interruption, and that an interrupted epoch is run again from its start.

    Args:
        backup_dir: String, path of directory where to store the data needed
            to restore the model. The directory cannot be reused elsewhere to
            store other files.
        save_freq: `"epoch"`, integer, or `False`. When set to `"epoch"` the
            callback saves the checkpoint at the end of each epoch. When set
            to an integer, the callback saves the checkpoint every
            `save_freq` batches.
        double_checkpoint: Boolean. If enabled, the previous backup is kept
            (`*.bkp`) and used when the latest one turns out to be corrupted.
        delete_checkpoint: Boolean. Whether to delete the backup directory
            once training completes.

    Example:

    >>> callback = BackupAndRestore(backup_dir="backup")
    >>> try:
    ...     model.fit(x, y, epochs=10, callbacks=[callback, InterruptingCallback()])
    ... except RuntimeError:
    ...     pass
    >>> history = model.fit(x, y, epochs=10, callbacks=[callback])
    >>> len(history.history["loss"])  # only the epochs that were left
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        self.backup_dir = os.fspath(backup_dir)
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._training_metadata_path = os.path.join(
            self.backup_dir, "training_metadata.json")
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._prev_training_metadata_path = f"{self._training_metadata_path}.bkp"
        if save_freq != "epoch" and save_freq is not False and (
                not isinstance(save_freq, int) or isinstance(save_freq, bool)):
            raise ValueError(
                "Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value.")

    def on_train_begin(self, logs=None):
        model = self.model
        if not getattr(model, "built", True):
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built "
                f"before you call `fit()`. Model {model} is unbuilt. You can "
                "build it beforehand by calling it on a batch of data.")
        try:
            self._load_model()
        except (OSError, ValueError):
            # The latest backup may be corrupt (a crash mid-write): fall back
            # to the previous one when `double_checkpoint` kept it.
            if not os.path.exists(self._prev_weights_path):
                raise
            shutil.copyfile(self._prev_weights_path, self._weights_path)
            if os.path.exists(self._prev_training_metadata_path):
                shutil.copyfile(self._prev_training_metadata_path,
                                self._training_metadata_path)
            elif os.path.exists(self._training_metadata_path):
                os.remove(self._training_metadata_path)
            self._load_model()

    def _load_model(self):
        model = self.model
        if os.path.exists(self._weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not getattr(optimizer, "built", True):
                # The optimizer's variables must exist to receive their state.
                optimizer.build(model.trainable_variables)
            model.load_weights(self._weights_path)
        if os.path.exists(self._training_metadata_path):
            with open(self._training_metadata_path, "r") as f:
                training_metadata = json.loads(f.read())
            # `fit` reads this after `on_train_begin` and starts there.
            model._initial_epoch = training_metadata["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model()

    def _save_model(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            _atomic_copy(self._weights_path, self._prev_weights_path)
        if self.double_checkpoint and os.path.exists(self._training_metadata_path):
            _atomic_copy(self._training_metadata_path, self._prev_training_metadata_path)
        self.model.save_weights(filepath=self._weights_path, overwrite=True)
        _atomic_write_text(self._training_metadata_path, json.dumps(
            {"epoch": self._current_epoch, "batch": self._last_batch_seen}))

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch" or self.save_freq is False:
            return False
        if batch <= self._last_batch_seen:  # a new epoch
            add_batches = batch + 1
        else:
            add_batches = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += add_batches
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
