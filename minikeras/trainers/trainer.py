"""`Trainer`: compile / fit / evaluate / predict and the *_on_batch methods.

The default `train_step` is the fast path: one `value_and_grad` over the
trainable variables (no tape object), then the optimizer's in-place update.
A user `train_step` written with `GradientTape` runs through the same loop.
"""
import contextlib
import functools
import inspect
import warnings

import numpy as np
from autograd.tracer import getval

from minikeras.backend import tape as tape_module
from minikeras.trainers import data_adapters
from minikeras.trainers.compile_utils import CompileLoss, CompileMetrics
from minikeras.trainers.data_adapters import flatten
from minikeras.layers.layer import collect_losses


def _to_float(v):
    v = np.asarray(getval(v))
    return float(v) if v.ndim == 0 else v


def _sorted(logs):
    """Logs as Keras hands them to callbacks and returns them: keys sorted."""
    return dict(sorted(logs.items()))


def _flatten_logs(logs):
    out = {}
    for k, v in logs.items():
        if isinstance(v, dict):
            out.update(_flatten_logs(v))
        else:
            out[k] = _to_float(v)
    return out


class Trainer:
    """Mixed into `Model`: everything about training and inference loops."""

    def _init_trainer(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None
        self.stop_training = False
        self.history = None
        self._run_eagerly = False
        self.steps_per_execution = 1
        self._jit_compile = False
        self._compile_config = None
        self._initial_epoch = None
        self._step_cache = None
        self.predict_function = self.train_function = self.test_function = None

    # ----- compile -----------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configure the model for training.

        Args:
            optimizer: name or `keras.optimizers.Optimizer` instance.
            loss: name, function or `keras.losses.Loss`; a list or dict gives
                one per output.
            loss_weights: scalars weighting each output's loss.
            metrics: names, functions or `keras.metrics.Metric`s (a list, or a
                list/dict per output). `"accuracy"` becomes binary,
                categorical or sparse categorical accuracy from the data.
            weighted_metrics: metrics that take `sample_weight`/`class_weight`.
            run_eagerly, steps_per_execution, jit_compile, auto_scale_loss:
                accepted for compatibility; everything runs eagerly here, so
                they change nothing.

        Example:

        ```python
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        ```
        """
        from minikeras import optimizers
        from minikeras.metrics import Mean
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        output_names = self._output_names()
        self._compile_loss = CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        self._compile_metrics = (CompileMetrics(metrics, weighted_metrics, output_names)
                                 if (metrics or weighted_metrics) else None)
        self._loss_tracker = Mean(name="loss")
        self._run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        if jit_compile == "auto":
            # Keras resolves "auto" at compile time (False where there is no XLA, as
            # here) and records the resolved value in the compile config.
            jit_compile = False
        self._jit_compile = jit_compile
        self.compiled = True
        self.stop_training = False
        # The optimizer is recorded as the resolved object, as Keras does, so
        # `get_compile_config()` gives its full config rather than the name passed in.
        self._compile_config = {
            "optimizer": self.optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly, "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile}

    def _output_names(self):
        outputs = getattr(self, "outputs", None)
        if outputs:
            names = []
            for t in outputs:
                hist = getattr(t, "_keras_history", None)
                names.append(hist[0].name if hist else t.name)
            return names
        return None

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = value

    @property
    def jit_compile(self):
        return self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value):
        self._jit_compile = value

    @property
    def metrics(self):
        # Keras 3's order: loss tracker, compiled metrics, per-output losses,
        # then metrics the model and its layers own.
        out = []
        if self.compiled:
            out.append(self._loss_tracker)
            if self._compile_metrics is not None:
                out.append(self._compile_metrics)
            if self._compile_loss is not None:
                out.extend(t for t in self._compile_loss.trackers if t is not None)
        out.extend(self._metrics)
        cache = self._step_cache
        for layer in (cache[1] if cache is not None else self._flatten_layers()):
            if not isinstance(layer, Trainer):
                out.extend(layer._metrics)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Keras 2 spelling of the compiled loss, for old custom `train_step`s.

        As in Keras 2 it also feeds the `loss` shown in the logs. New code
        calls `compute_loss(x, y, y_pred, sample_weight)` and updates the
        metrics itself.
        """
        warnings.warn("`model.compiled_loss()` is deprecated. Instead, use "
                      "`model.compute_loss(x, y, y_pred, sample_weight, training)`.",
                      DeprecationWarning, stacklevel=2)
        total = self._compile_loss(y, y_pred, sample_weight) if self._compile_loss else None
        for extra in regularization_losses or []:
            total = extra if total is None else total + extra
        if total is None:
            total = np.zeros((), dtype="float32")
        self._loss_tracker.update_state(np.asarray(getval(total)),
                                        sample_weight=self._batch_size_of(y_pred))
        return total

    @property
    def compiled_metrics(self):
        """Keras 2 spelling: `compiled_metrics.update_state(y, y_pred)` updates
        the metrics given to `compile` (deprecated: iterate `self.metrics`)."""
        model = self

        class _CompiledMetrics:
            def update_state(self, y, y_pred, sample_weight=None):
                warnings.warn(
                    "`model.compiled_metrics` is deprecated. Instead, update each of "
                    "`self.metrics` (e.g. `metric.update_state(y, y_pred)`).",
                    DeprecationWarning, stacklevel=2)
                if model._compile_metrics is not None:
                    model._compile_metrics.update_state(y, y_pred, sample_weight)

            def reset_state(self):
                if model._compile_metrics is not None:
                    model._compile_metrics.reset_state()

            @property
            def metrics(self):
                return model._compile_metrics.metrics if model._compile_metrics else []
        return _CompiledMetrics()

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _assert_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    # ----- the steps ----------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Compiled loss plus the model's `losses` (regularization, add_loss)."""
        total = None
        if self._compile_loss is not None:
            if y is None:
                raise ValueError(
                    "The model was compiled with a loss, but no targets `y` were given "
                    "(fit/evaluate received only `x`, or the data yields no `(x, y)` pairs). "
                    "Pass `y`, or compile with `loss=None` if the model adds its own losses.")
            total = self._compile_loss(y, y_pred, sample_weight)
        cache = self._step_cache
        extras = (collect_losses(cache[1]) if cache is not None else self.losses)
        for extra in extras:
            total = extra if total is None else total + extra
        if total is None:
            total = np.zeros((), dtype="float32")
        return total

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        """`compute_loss` as the built-in steps call it. Overrides written before
        Keras 3.3 added `training` (keras.io's Distiller: `compute_loss(self, x,
        y, y_pred, sample_weight, allow_empty=False)`) are called without it, as
        Keras does."""
        fn = type(self).compute_loss
        if fn is Trainer.compute_loss or _takes_training(fn):
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics and return every metric's result."""
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        logs = {}
        for m in self.metrics:
            r = m.result()
            if isinstance(r, dict):
                logs.update(r)
            else:
                logs[m.name] = r
        return _flatten_logs(logs)

    def _batch_size_of(self, x):
        leaves = [l for l in flatten(x) if l is not None]
        return len(leaves[0]) if leaves and np.ndim(leaves[0]) else 1

    def train_step(self, data):
        """One optimizer step on one batch; returns the logs."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        cache = self._step_cache
        variables = cache[0] if cache is not None else self.trainable_variables

        def loss_fn():
            y_pred = self(x, training=True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
            # As in Keras, the gradients are those of `optimizer.scale_loss(loss)`
            # (`loss_scale_factor`, a LossScaleOptimizer's dynamic scale), which
            # `apply` divides out again; the logs show the unscaled loss.
            scaled = loss if self.optimizer is None else self.optimizer.scale_loss(loss)
            return scaled, (loss, y_pred)

        (_, (loss, y_pred)), grads = tape_module.value_and_grad(loss_fn, variables)
        if variables:
            self.optimizer.apply(grads, variables)
        return self._finish_step(x, y, y_pred, sample_weight, loss)

    def _finish_step(self, x, y, y_pred, sample_weight, loss):
        n = self._batch_size_of(x)
        self._loss_tracker.update_state(np.asarray(getval(loss)), sample_weight=n)
        if self._compile_loss is not None:
            self._compile_loss.update_trackers(n)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        return self._finish_step(x, y, y_pred, sample_weight, loss)

    def predict_step(self, data):
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # ----- loops ----------------------------------------------------------------------
    def _ensure_built(self, x, user_step=False):
        if self.built and getattr(self, "_all_layers_built", False):
            return
        if not self.built or not all(l.built for l in self._flatten_layers(include_self=False)):
            if x is not None:
                if not user_step:
                    self._build_from_batch(x)
                else:
                    # A train_step/test_step override may call the model on something
                    # other than the batch's x (the GAT example indexes a whole-graph
                    # output with x). Keras builds such a model by running the step
                    # itself, so a symbolic call that cannot take x is left to the step.
                    try:
                        self._build_from_batch(x)
                    except Exception:
                        return
        self._all_layers_built = self.built

    def _build_from_batch(self, x):
        from minikeras.layers.layer import CTX, Layer
        if type(self).call is Layer.call:
            # A model defined only by its train_step (Keras's GAN example) has no
            # forward pass to build from; its sub-models build themselves.
            self.built = True
            return
        prev = CTX.symbolic
        CTX.symbolic = True
        try:
            self(x, training=False)
        finally:
            CTX.symbolic = prev

    def _make_callbacks(self, callbacks, verbose, epochs, steps, in_fit=False):
        from minikeras.callbacks import CallbackList
        if isinstance(callbacks, CallbackList):
            callbacks.set_model(self)
            return callbacks
        # Only fit records a History (evaluate must not replace model.history).
        return CallbackList(callbacks, add_history=in_fit, add_progbar=verbose != 0,
                            model=self, verbose=verbose, epochs=epochs, steps=steps)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model for a fixed number of epochs; returns a `History`.

        Args:
            x, y: inputs and targets (arrays, lists or dicts of arrays), or a
                generator / `PyDataset` yielding `(x, y[, sample_weight])`.
            batch_size: samples per step for array inputs (default 32).
            epochs: index of the last epoch to train.
            verbose: `"auto"` (=1), 0 silent, 1 progress bar, 2 one line per epoch.
            callbacks: list of `keras.callbacks.Callback`.
            validation_split: fraction of the arrays held out for validation
                (the last samples, before shuffling).
            validation_data: `(x_val, y_val[, sample_weight])` or a dataset.
            shuffle: shuffle arrays each epoch (`"batch"`: shuffle batch order).
            class_weight: `{class index: weight}` to weight the loss.
            sample_weight: per-sample weights (array).
            initial_epoch: epoch to start from (to resume training).
            steps_per_epoch: batches per epoch (needed for endless generators).
            validation_steps, validation_batch_size, validation_freq: how and
                how often to evaluate on the validation data.
        """
        self._assert_compiled()
        raw_verbose = verbose
        verbose = 1 if verbose == "auto" else verbose
        if validation_split and validation_data is None:
            if not 0 < validation_split < 1:
                raise ValueError(
                    "`validation_split` must be between 0 and 1 (exclusive). "
                    f"Received: validation_split={validation_split}")
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (data_adapters.standardize_arrays(x), data_adapters.standardize_arrays(y),
                 data_adapters.standardize_arrays(sample_weight)), validation_split)
        elif validation_split and not 0 < validation_split < 1:
            raise ValueError(
                "`validation_split` must be between 0 and 1 (exclusive). "
                f"Received: validation_split={validation_split}")
        from minikeras import config as global_config
        if global_config.max_epochs():
            epochs = min(epochs, global_config.max_epochs())
        if global_config.max_steps_per_epoch():
            cap = global_config.max_steps_per_epoch()
            steps_per_epoch = cap if steps_per_epoch is None else min(steps_per_epoch, cap)
        adapter = data_adapters.get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch,
            shuffle=shuffle, class_weight=class_weight)
        val_adapter = None
        if validation_data is not None:
            vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data) \
                if isinstance(validation_data, (tuple, list)) else (validation_data, None, None)
            val_adapter = data_adapters.get_data_adapter(
                vx, vy, vsw, batch_size=validation_batch_size or batch_size,
                steps=validation_steps, shuffle=False)
        steps = adapter.num_batches
        callbacks = self._make_callbacks(callbacks, raw_verbose, epochs, steps, in_fit=True)
        self.stop_training = False
        self._initial_epoch = None
        callbacks.on_train_begin()
        if self._initial_epoch is not None:
            initial_epoch = self._initial_epoch
        user_train_step = type(self).train_step is not Trainer.train_step
        try:
            return self._fit_epochs(adapter, val_adapter, callbacks, initial_epoch, epochs,
                                    validation_freq, user_train_step)
        finally:
            self._step_cache = None

    def _fit_epochs(self, adapter, val_adapter, callbacks, initial_epoch, epochs,
                    validation_freq, user_train_step):
        # Within an epoch the trainable variables and the layer list are looked up
        # once (a callback may still change `trainable` between epochs).
        training_logs = None
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            self._step_cache = None
            logs = {}
            seen = 0
            for step, batch in enumerate(adapter):
                if not self.built or user_train_step:
                    self._ensure_built(data_adapters.unpack_x_y_sample_weight(batch)[0],
                                       user_train_step)
                if self._step_cache is None and self.built:
                    self._step_cache = (self.trainable_variables,
                                        self._flatten_layers())
                callbacks.on_train_batch_begin(step)
                logs = self.train_step(batch)
                logs = _sorted(_flatten_logs(logs)) if isinstance(logs, dict) else logs
                callbacks.on_train_batch_end(step, logs)
                seen += 1
                if self.stop_training:
                    break
            adapter.on_epoch_end()
            if seen == 0 and epoch == initial_epoch:
                raise ValueError(
                    "Unexpected result of `train_function` (Empty logs). This could be due "
                    "to issues in input pipelines that resulted in an empty dataset. Make "
                    "sure your training data is not empty.")
            epoch_logs = _sorted(self.get_metrics_result() if not user_train_step else logs)
            if val_adapter is not None and _should_validate(epoch, validation_freq):
                val_logs = _sorted(self._evaluate_adapter(val_adapter, callbacks, in_fit=True))
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        finalize = getattr(self.optimizer, "finalize_variable_values", None)
        if finalize is not None:
            finalize(self.trainable_weights)  # e.g. copy EMA weights in
        callbacks.on_train_end(logs=training_logs)
        return self.history

    def _evaluate_adapter(self, adapter, callbacks, in_fit=False):
        self.reset_metrics()
        callbacks.on_test_begin()
        logs = {}
        user_test_step = type(self).test_step is not Trainer.test_step
        for step, batch in enumerate(adapter):
            self._ensure_built(data_adapters.unpack_x_y_sample_weight(batch)[0],
                               user_test_step)
            callbacks.on_test_batch_begin(step)
            logs = self.test_step(batch)
            if isinstance(logs, dict):
                logs = _sorted(_flatten_logs(logs))
            callbacks.on_test_batch_end(step, logs)
        adapter.on_epoch_end()
        # In metric order (for evaluate's list); callbacks see them sorted.
        logs = dict(self.get_metrics_result() if not user_test_step else logs)
        callbacks.on_test_end(_sorted(logs))
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Loss and metrics of the model on the given data.

        Returns the scalar loss when nothing else is tracked, a list
        `[loss, metric...]` otherwise, or a dict when `return_dict=True`.
        """
        self._assert_compiled()
        if kwargs:
            unknown = set(kwargs) - {"use_multiprocessing", "workers", "max_queue_size"}
            if unknown:
                raise ValueError(f"Arguments not recognized: {kwargs}")
        if verbose == "auto":
            verbose = 1
        adapter = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=batch_size,
                                                 steps=steps, shuffle=False)
        callbacks = self._make_callbacks(callbacks, verbose, 1, adapter.num_batches)
        logs = self._evaluate_adapter(adapter, callbacks)
        return _sorted(logs) if return_dict else self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Model outputs for `x` (arrays, generator or dataset), batched."""
        if verbose == "auto":
            verbose = 1
        single = _single_small_array(x, batch_size)
        if single is not None and callbacks is None:
            # One batch and no callbacks: skip the loop machinery, keep the output.
            # The bar starts its clock before the step, as ProgbarLogger's does,
            # so the time per step it prints is the step's.
            bar = None
            if verbose:
                from minikeras.utils.progbar import Progbar
                bar = Progbar(1, verbose=verbose)
            out = _to_numpy(self.predict_step(single))
            if bar is not None:
                bar.update(1, finalize=True)
            return out
        adapter = data_adapters.get_data_adapter(x, None, None, batch_size=batch_size,
                                                 steps=steps, shuffle=False)
        callbacks = self._make_callbacks(callbacks, verbose, 1, adapter.num_batches)
        callbacks.on_predict_begin()
        batches = []
        for step, batch in enumerate(adapter):
            callbacks.on_predict_batch_begin(step)
            out = _to_numpy(self.predict_step(batch))
            batches.append(out)
            callbacks.on_predict_batch_end(step, {"outputs": out})
        if not batches:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or make sure "
                             "your input data is not empty.")
        result = _concat_batches(batches)
        callbacks.on_predict_end()
        return result

    @contextlib.contextmanager
    def _one_step_cache(self):
        """Walk the layers once for a `*_on_batch` call, as `fit` does per epoch."""
        if self._step_cache is not None or not self.built:
            yield
            return
        self._step_cache = (self.trainable_variables, self._flatten_layers())
        try:
            yield
        finally:
            self._step_cache = None

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One gradient update on one batch; returns the logs of that batch."""
        self._assert_compiled()
        x = data_adapters.standardize_arrays(x)
        y = data_adapters.standardize_arrays(y)
        if class_weight is not None:
            cw = data_adapters.class_weight_to_sample_weights(flatten(y)[0], class_weight)
            sample_weight = cw if sample_weight is None else np.asarray(sample_weight) * cw
        self._ensure_built(x)
        with self._one_step_cache():
            self.reset_metrics()
            logs = _flatten_logs(self.train_step((x, y, sample_weight)))
            return _sorted(logs) if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled()
        x = data_adapters.standardize_arrays(x)
        y = data_adapters.standardize_arrays(y)
        self._ensure_built(x)
        with self._one_step_cache():
            self.reset_metrics()
            logs = _flatten_logs(self.test_step((x, y, sample_weight)))
            return _sorted(logs) if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        return _to_numpy(self.predict_step((data_adapters.standardize_arrays(x),)))

    # ----- Keras 2 generator methods ----------------------------------------------
    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      validation_freq=1, class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        warnings.warn("`Model.fit_generator` is deprecated; use `Model.fit`, which "
                      "accepts generators.", DeprecationWarning, stacklevel=2)
        data_adapters.configure_legacy_workers(generator, workers, use_multiprocessing,
                                               max_queue_size)
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        warnings.warn("`Model.evaluate_generator` is deprecated; use `Model.evaluate`, "
                      "which accepts generators.", DeprecationWarning, stacklevel=2)
        data_adapters.configure_legacy_workers(generator, workers, use_multiprocessing,
                                               max_queue_size)
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        warnings.warn("`Model.predict_generator` is deprecated; use `Model.predict`, "
                      "which accepts generators.", DeprecationWarning, stacklevel=2)
        data_adapters.configure_legacy_workers(generator, workers, use_multiprocessing,
                                               max_queue_size)
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def _flatten_metrics_in_order(self, logs):
        """Logs as the list `evaluate` returns, in Keras's order: the names in
        `metrics` order (compiled metrics by their own, unprefixed names), then
        any other keys sorted. A single value is returned bare."""
        names = []
        for m in self.metrics:
            if isinstance(m, CompileMetrics):
                names += [getattr(sub, "_unprefixed_name", sub.name) for sub in m.metrics]
            else:
                names.append(m.name)
        results = [logs[n] for n in names if n in logs]
        results += [logs[k] for k in sorted(logs) if k not in names]
        return results[0] if len(results) == 1 else results

    def make_train_function(self, force=False):
        self.train_function = self.train_step
        return self.train_function

    def make_test_function(self, force=False):
        self.test_function = self.test_step
        return self.test_function

    def make_predict_function(self, force=False):
        self.predict_function = self.predict_step
        return self.predict_function

    def get_compile_config(self):
        if not self.compiled:
            return {}  # Keras: an uncompiled model's compile config is empty, not None
        from minikeras.saving.serialization import serialize_compile_config
        return serialize_compile_config(self._compile_config)

    def compile_from_config(self, config):
        from minikeras.saving.serialization import deserialize_compile_config
        self.compile(**deserialize_compile_config(config))


@functools.lru_cache(maxsize=None)
def _takes_training(compute_loss):
    """Whether a `compute_loss` override has a `training` parameter."""
    try:
        return "training" in inspect.signature(compute_loss).parameters
    except (TypeError, ValueError):
        return True


def _should_validate(epoch, freq):
    if isinstance(freq, int):
        if freq < 1:
            raise ValueError(f"`validation_freq` must be >= 1. Received: {freq}")
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def _to_numpy(tree):
    if isinstance(tree, (list, tuple)):
        return type(tree)(_to_numpy(t) for t in tree)
    if isinstance(tree, dict):
        return {k: _to_numpy(v) for k, v in tree.items()}
    return np.asarray(getval(tree))


def _concat_batches(batches):
    """Concatenate per-batch outputs (arrays, or lists/dicts of them) on axis 0."""
    first = batches[0]
    if isinstance(first, (list, tuple)):
        return type(first)(_concat_batches([b[i] for b in batches]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _concat_batches([b[k] for b in batches]) for k in first}
    return np.concatenate(batches, axis=0)


def _single_small_array(x, batch_size):
    """`x` itself when it is one float array that fits in a single batch."""
    if type(x) is not np.ndarray or x.ndim == 0:
        return None
    if len(x) > (batch_size or 32):
        return None
    if x.dtype == np.float64:
        x = x.astype("float32")
    return x
