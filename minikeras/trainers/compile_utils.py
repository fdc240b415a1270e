"""What `compile(loss=..., metrics=...)` turns into: per-output losses and metrics.

Names follow Keras 3: one output logs `loss` and the metric names as given
(`"accuracy"`, `"mae"`); several outputs also log `<output>_loss` and
`<output>_<metric>`.
"""
import numpy as np
from autograd.tracer import getval

from minikeras.trainers.data_adapters import flatten

_ACCURACY = ("accuracy", "acc")
_CROSSENTROPY = ("crossentropy", "ce")


def is_binary_or_sparse_categorical(y_true, y_pred):
    t_shape, p_shape = np.shape(getval(y_true)), np.shape(getval(y_pred))
    is_binary = p_shape[-1:] == (1,)
    is_sparse = len(t_shape) < len(p_shape) or (t_shape[-1:] == (1,) and p_shape[-1] > 1)
    return is_binary, is_sparse


def get_metric(identifier, y_true, y_pred):
    """A Metric for `identifier`, resolving 'accuracy' from the data shapes."""
    from minikeras import metrics as metrics_module
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if isinstance(identifier, str) and identifier.lower() in _ACCURACY:
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        if is_binary:
            metric = metrics_module.BinaryAccuracy(name=identifier)
        elif is_sparse:
            metric = metrics_module.SparseCategoricalAccuracy(name=identifier)
        else:
            metric = metrics_module.CategoricalAccuracy(name=identifier)
        return metric
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        name = identifier if isinstance(identifier, str) else getattr(metric, "__name__", "metric")
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    elif isinstance(identifier, str):
        metric.name = identifier
    return metric


def get_loss(identifier, y_true, y_pred):
    """A Loss object for `identifier` ('crossentropy' resolved from shapes)."""
    from minikeras import losses as losses_module
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in _CROSSENTROPY:
        is_binary, is_sparse = is_binary_or_sparse_categorical(y_true, y_pred)
        identifier = ("binary_crossentropy" if is_binary else
                      "sparse_categorical_crossentropy" if is_sparse else
                      "categorical_crossentropy")
    loss = losses_module.get(identifier)
    if not isinstance(loss, losses_module.Loss):
        name = identifier if isinstance(identifier, str) else getattr(loss, "__name__", "loss")
        loss = losses_module.LossFunctionWrapper(loss, name=name)
    return loss


def _by_output(spec, output_names, what):
    """Expand a loss/metric spec into one entry per output, in output order."""
    n = len(output_names)
    if isinstance(spec, dict):
        unknown = set(spec) - set(output_names)
        if unknown:
            raise ValueError(
                f"In the dict argument `{what}`, key(s) {sorted(unknown)} do not correspond "
                f"to any model output. Received:\n{what}={spec}\nThe model outputs are "
                f"{output_names}.")
        missing = [n for n in output_names if n not in spec]
        if what == "loss" and missing:
            # An output without a loss must say so: `{"name": None}`.
            raise ValueError(
                f"The dict argument `loss` has no entry for output(s) {missing}. Expected keys "
                f"{output_names} (use None as the value for an output without a loss). "
                f"Received: loss={spec}")
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)) and what == "loss":
        if len(spec) != n:
            raise ValueError(
                f"For a model with {n} outputs, when providing the `loss` argument as a list, "
                f"it should have as many entries as the model has outputs. Received:\n"
                f"loss={spec}\nof length {len(spec)}")
        return list(spec)
    if what != "loss" and isinstance(spec, (list, tuple)):
        # Keras 3: a list as long as the outputs gives one entry per output, even
        # a flat `["mae", "mse"]` (out_a gets mae, out_b mse). Another length is
        # an error in Keras 3; the Keras 2 habit of broadcasting it (`["accuracy"]`
        # to every output) is kept.
        if n > 1 and len(spec) == n:
            return list(spec)
        return [spec] * n if n > 1 else [spec]
    return [spec] * n


class CompileLoss:
    """The total training loss: weighted sum of per-output losses."""

    def __init__(self, loss, loss_weights=None, output_names=None):
        self.loss_spec = loss
        self.loss_weights_spec = loss_weights
        self.output_names = output_names
        self.built = False
        self.losses = None
        self.weights = None
        self.trackers = []

    def build(self, y_true, y_pred):
        from minikeras import metrics as metrics_module
        preds = flatten(y_pred)
        trues = flatten(y_true) if y_true is not None else [None] * len(preds)
        names = self.output_names or [f"output_{i}" for i in range(len(preds))]
        if len(names) != len(preds):
            names = [f"output_{i}" for i in range(len(preds))]
        specs = _by_output(self.loss_spec, names, "loss")
        w = self.loss_weights_spec
        if w is None:
            weights = [1.0] * len(preds)
        elif isinstance(w, dict):
            weights = [w.get(n, 1.0) for n in names]
        elif isinstance(w, (list, tuple)):
            if len(w) != len(preds):
                raise ValueError(
                    f"`loss_weights` has {len(w)} entries, but the model has {len(preds)} outputs.")
            weights = list(w)
        else:
            weights = [float(w)] * len(preds)
        self.losses = [get_loss(s, t, p) if s is not None else None
                       for s, t, p in zip(specs, trues, preds)]
        self.weights = weights
        self.names = names
        if len([l for l in self.losses if l is not None]) > 1:
            self.trackers = [metrics_module.Mean(name=f"{n}_loss") if l is not None else None
                             for n, l in zip(names, self.losses)]
        else:
            self.trackers = []
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        preds = flatten(y_pred)
        if isinstance(y_true, dict) and self.output_names:
            trues = [y_true.get(n) for n in self.names]
        else:
            trues = flatten(y_true)
        if len(trues) != len(preds):
            raise ValueError(
                f"The model has {len(preds)} outputs, but the targets `y` hold {len(trues)} "
                "arrays. Pass one target per output.")
        for t in trues:
            kind = getattr(getattr(t, "dtype", None), "kind", None)
            if kind in ("U", "S", "O"):
                raise ValueError(
                    f"Invalid dtype: {t.dtype}. Targets `y` must be numbers; encode string "
                    "labels first (e.g. with `keras.layers.StringLookup` or a dict).")
        if isinstance(sample_weight, dict):
            sws = [sample_weight.get(n) for n in self.names]
        elif isinstance(sample_weight, (list, tuple)):
            sws = list(sample_weight)
        else:
            sws = [sample_weight] * len(preds)
        total = None
        per_output = []
        for loss, weight, t, p, sw in zip(self.losses, self.weights, trues, preds, sws):
            if loss is None:
                per_output.append(None)
                continue
            value = loss(t, p, sample_weight=sw)
            per_output.append(value)
            term = value * weight if weight != 1 else value
            total = term if total is None else total + term
        self._last_per_output = per_output
        return total

    def update_trackers(self, batch_size):
        for tracker, value in zip(self.trackers, getattr(self, "_last_per_output", [])):
            if tracker is not None and value is not None:
                tracker.update_state(getval(value), sample_weight=batch_size)


class CompileMetrics:
    """All compiled metrics, updated together; `result()` is a flat dict."""

    name = "compile_metrics"

    def __init__(self, metrics, weighted_metrics, output_names=None):
        self.metrics_spec = metrics
        self.weighted_spec = weighted_metrics
        self.output_names = output_names
        self.built = False
        self._entries = []  # (output index, metric, weighted?)

    def build(self, y_true, y_pred):
        preds = flatten(y_pred)
        trues = flatten(y_true) if y_true is not None else [None] * len(preds)
        names = self.output_names or [f"output_{i}" for i in range(len(preds))]
        if len(names) != len(preds):
            names = [f"output_{i}" for i in range(len(preds))]
        multi = len(preds) > 1
        self._entries = []
        for spec, weighted in ((self.metrics_spec, False), (self.weighted_spec, True)):
            if spec is None:
                continue
            per_out = _by_output(spec, names, "metrics" if not weighted else "weighted_metrics")
            for i, s in enumerate(per_out):
                if s is None:
                    continue
                for ident in (s if isinstance(s, (list, tuple)) else [s]):
                    m = get_metric(ident, trues[i], preds[i])
                    # The same metric both plain and weighted on one output: Keras
                    # names the weighted one `weighted_<name>` (`out_a_weighted_acc`).
                    if weighted and any(e[0] == i and m.name == e[1]._unprefixed_name
                                        for e in self._entries):
                        m.name = "weighted_" + m.name
                    m._unprefixed_name = m.name
                    if multi:
                        m.name = f"{names[i]}_{m.name}"
                    self._entries.append((i, m, weighted))
        self.built = True

    @property
    def metrics(self):
        return [m for _, m, _ in self._entries]

    @property
    def variables(self):
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        preds = flatten(y_pred)
        if isinstance(y_true, dict) and self.output_names:
            trues = [y_true.get(n) for n in self.output_names]
        else:
            trues = flatten(y_true)
        if isinstance(sample_weight, dict):
            sws = [sample_weight.get(n) for n in (self.output_names or [])]
        elif isinstance(sample_weight, (list, tuple)):
            sws = list(sample_weight)
        else:
            sws = [sample_weight] * len(preds)
        for i, m, weighted in self._entries:
            m.update_state(trues[i], preds[i], sample_weight=sws[i] if weighted else None)

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()

    def result(self):
        return {m.name: m.result() for m in self.metrics}
