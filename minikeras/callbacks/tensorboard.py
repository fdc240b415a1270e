"""`TensorBoard`: write TensorBoard event files, no TensorFlow needed.

The event files are encoded by `minikeras.callbacks._tfevents` (TFRecord
framing, CRC-32C, and the few protocol buffers TensorBoard reads), with the
same tags, steps and plugin metadata that Keras 3 writes.
"""
import json
import os
import time
import warnings

import numpy as np

from minikeras.backend.config import image_data_format
from minikeras.callbacks import _tfevents
from minikeras.callbacks.callback import Callback


def _as_float(value):
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    return float(np.asarray(value).reshape(()))


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Writes to `log_dir/train` and `log_dir/validation`: the epoch metrics
    (`epoch_loss`, `epoch_accuracy`, `epoch_learning_rate`, ...), the
    evaluation metrics against the optimizer's iteration count
    (`evaluation_loss_vs_iterations`), batch metrics (`batch_loss`) when
    `update_freq` is not `"epoch"`, weight histograms and images, and the
    model's JSON config for TensorBoard's graph dashboard. Start TensorBoard
    with `tensorboard --logdir=path_to_your_logs`.

    Args:
        log_dir: the path of the directory where to save the log files to be
            parsed by TensorBoard. e.g., `log_dir = os.path.join(working_dir,
            'logs')`.
        histogram_freq: frequency (in epochs) at which to compute weight
            histograms for the layers of the model. If set to 0, histograms
            won't be computed.
        write_graph: whether to write the model's config (the Keras
            "conceptual graph" shown by TensorBoard).
        write_images: whether to write model weights to visualize as image in
            TensorBoard (with `histogram_freq`).
        write_steps_per_second: whether to log the training steps per second
            into TensorBoard. This supports both epoch and batch frequency
            logging.
        update_freq: `"batch"`, `"epoch"` or integer. With `"batch"` (or an
            integer N) the batch metrics are written after each batch (each
            N batches) as well.
        profile_batch: must be 0: minikeras has no profiler.
        embeddings_freq: frequency (in epochs) at which embedding layers will
            be saved (a `projector_config.pbtxt` and weight checkpoints).
        embeddings_metadata: Dictionary which maps embedding layer names to
            the filename of a file in which to save metadata for the
            embedding layer, or one filename for all of them.

    Example:

    >>> tensorboard_callback = TensorBoard(log_dir="./logs")
    >>> model.fit(x_train, y_train, epochs=2, callbacks=[tensorboard_callback])
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False,
                 update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None):
        super().__init__()
        self.log_dir = os.fspath(log_dir) if isinstance(log_dir, os.PathLike) else str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        if self.update_freq != "epoch" and (
                not isinstance(self.update_freq, int) or isinstance(self.update_freq, bool)
                or self.update_freq < 1):
            raise ValueError(
                "`update_freq` must be 'batch', 'epoch' or a positive integer. "
                f"Received: update_freq={update_freq}")
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if profile_batch:
            raise ValueError(
                "Profiling is not available with the numpy backend of "
                f"minikeras. Received: profile_batch={profile_batch} (must be 0)")
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0
        self._batch_start_time = 0
        self._epoch_start_time = 0
        self._writers = {}
        self._log_write_dir = self.log_dir
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")

    @property
    def summary(self):
        """The module that encodes the summaries (Keras: `tf.summary`)."""
        return _tfevents

    # ----- writers -----------------------------------------------------------
    def _writer(self, which):
        writer = self._writers.get(which)
        if writer is None or writer.closed:
            writer = _tfevents.EventFileWriter(
                self._train_dir if which == "train" else self._val_dir)
            self._writers[which] = writer
        return writer

    @property
    def _train_writer(self):
        return self._writer("train")

    @property
    def _val_writer(self):
        return self._writer("val")

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    def set_model(self, model):
        self._model = model
        self._log_write_dir = self.log_dir
        self._train_dir = os.path.join(self._log_write_dir, "train")
        self._val_dir = os.path.join(self._log_write_dir, "validation")
        self._close_writers()
        self._writers = {}
        if self.write_graph:
            self._write_keras_model_summary()
        if self.embeddings_freq:
            self._configure_embeddings()

    def _write_keras_model_summary(self):
        model = self.model
        if type(model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            json_string = model.to_json()
        except Exception as exc:  # a summary must never break training
            warnings.warn(f"Model failed to serialize as JSON. Ignoring... {exc}")
            return
        self._train_writer.add_value(
            _tfevents.text_value("keras", json_string, "graph_keras_model", b"1"), 0)

    def _configure_embeddings(self):
        lines = []
        metadata = self.embeddings_metadata
        if isinstance(metadata, dict):
            metadata = dict(metadata)
        for layer in getattr(self.model, "layers", []):
            if type(layer).__name__ != "Embedding":
                continue
            lines.append("embeddings {")
            lines.append('  tensor_name: "layer_with_weights-0/embeddings/'
                         '.ATTRIBUTES/VARIABLE_VALUE"')
            if isinstance(metadata, str):
                lines.append(f"  metadata_path: {json.dumps(metadata)}")
            elif metadata and layer.name in metadata:
                lines.append(f"  metadata_path: {json.dumps(metadata.pop(layer.name))}")
            lines.append("}")
        if metadata and not isinstance(metadata, str):
            raise ValueError(
                "Unrecognized `Embedding` layer names passed to "
                "`keras.callbacks.TensorBoard` `embeddings_metadata` argument: "
                f"{metadata.keys()}")
        os.makedirs(self._log_write_dir, exist_ok=True)
        path = os.path.join(self._log_write_dir, "projector_config.pbtxt")
        with open(path, "w") as f:
            f.write("\n".join(lines) + ("\n" if lines else ""))

    # ----- hooks ---------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not hasattr(optimizer, "iterations"):
            return
        step = int(_as_float(optimizer.iterations))
        writer = self._val_writer
        for name, value in (logs or {}).items():
            writer.add_value(_tfevents.scalar_value(
                f"evaluation_{name}_vs_iterations", value), step)

    def _should_record_batch(self, step):
        return self.update_freq != "epoch" and step % self.update_freq == 0

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        step = self._global_train_batch
        if not self._should_record_batch(step):
            return
        writer = self._train_writer
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._batch_start_time, 1e-12)
            writer.add_value(_tfevents.scalar_value(
                "batch_steps_per_second", 1.0 / elapsed), step)
        if isinstance(logs, dict):
            for name, value in logs.items():
                try:
                    value = _as_float(value)
                except (TypeError, ValueError):
                    continue  # only scalars become scalar summaries
                writer.add_value(_tfevents.scalar_value(f"batch_{name}", value), step)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = self._iterations()
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)

    # ----- epoch summaries -------------------------------------------------------
    def _iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        return _as_float(getattr(optimizer, "iterations", 0))

    def _collect_learning_rate(self, logs):
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if optimizer is None:
            return logs
        inner = getattr(optimizer, "optimizers", None)
        pairs = ([(f"learning_rate_{o.name}", o) for o in inner] if inner is not None
                 else [("learning_rate", optimizer)])
        for key, opt in pairs:
            try:
                logs[key] = _as_float(opt.learning_rate)
            except (AttributeError, TypeError, ValueError):
                pass
        return logs

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._epoch_start_time, 1e-12)
            train_logs["steps_per_second"] = (
                self._iterations() - self._previous_epoch_iterations) / elapsed
        if train_logs:
            writer = self._train_writer
            for name, value in train_logs.items():
                writer.add_value(_tfevents.scalar_value(f"epoch_{name}", value), epoch)
        if val_logs:
            writer = self._val_writer
            for name, value in val_logs.items():
                writer.add_value(_tfevents.scalar_value(f"epoch_{name[4:]}", value), epoch)

    def _log_weights(self, epoch):
        writer = self._train_writer
        for layer in getattr(self.model, "layers", []):
            for weight in layer.weights:
                name = getattr(weight, "path", weight.name).replace(":", "_")
                value = np.asarray(weight.numpy() if hasattr(weight, "numpy") else weight)
                writer.add_value(_tfevents.histogram_value(f"{name}/histogram", value), epoch)
                if self.write_images:
                    image = self._weight_as_image(value)
                    if image is not None:
                        writer.add_value(_tfevents.image_value(f"{name}/image", image), epoch)

    @staticmethod
    def _weight_as_image(w):
        """A weight as `[k, h, w, 1]` images, laid out as Keras does; None
        for shapes that do not make an image."""
        w = np.squeeze(w)
        if w.ndim == 1:  # bias
            w = w.reshape(1, w.shape[0], 1, 1)
        elif w.ndim == 2:  # dense kernel, long side horizontal
            if w.shape[0] > w.shape[1]:
                w = w.T
            w = w.reshape(1, w.shape[0], w.shape[1], 1)
        elif w.ndim == 3:  # conv kernel: one image per output channel
            if image_data_format() == "channels_last":
                w = np.transpose(w, (2, 0, 1))
            w = w.reshape(w.shape[0], w.shape[1], w.shape[2], 1)
        if w.ndim == 4 and w.shape[-1] in (1, 3, 4):
            return w
        return None

    def _log_embeddings(self, epoch):
        path = os.path.join(self._log_write_dir, "train",
                            f"keras_embedding.ckpt-{epoch}.weights.h5")
        self.model.save_weights(path)
