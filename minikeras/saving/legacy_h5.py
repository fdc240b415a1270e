"""Legacy Keras `.h5` files: whole models (Keras 2 / `model.save("m.h5")`) and weights.

Layout: the root attributes `model_config` (JSON of `{"class_name",
"config"}`), `training_config` (compile arguments with `optimizer_config`),
`keras_version` and `backend`; a `model_weights` group whose `layer_names`
attribute lists the model's layers, each layer a group whose `weight_names`
attribute lists its datasets (trainable weights first); and an
`optimizer_weights` group. Weights load by position, as Keras does.
"""
import io
import json
import os
import warnings

import numpy as np

from minikeras.saving import h5_store
from minikeras.saving.h5_store import safe_get_group, safe_read_dataset

# HDF5 limits an object header (where attributes live) to 64 KiB.
_ATTR_LIMIT = 64512


# ----- small helpers over h5py / h5lite -------------------------------------------
def _as_str(value):
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return str(value)


def _read_string_list(group, name):
    """A list attribute written whole, or in chunks `name0`, `name1`, ..."""
    if name in group.attrs:
        values = group.attrs[name]
        return [_as_str(v) for v in np.atleast_1d(values)] if np.size(values) else []
    out, i = [], 0
    while f"{name}{i}" in group.attrs:
        out.extend(_as_str(v) for v in np.atleast_1d(group.attrs[f"{name}{i}"]))
        i += 1
    return out


def _write_string_list(group, name, values):
    data = np.array([v.encode("utf-8") for v in values]) if values else np.zeros((0,), "S1")
    if data.nbytes <= _ATTR_LIMIT:
        group.attrs[name] = data
        return
    chunks = 1
    while any(c.nbytes > _ATTR_LIMIT for c in np.array_split(data, chunks)):
        chunks += 1
    for i, chunk in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{name}{i}"] = chunk


def _model_layers(model):
    """`model.layers` in Keras's order (which decides positional weight loading)."""
    from minikeras.models.functional import Functional
    if isinstance(model, Functional):
        from minikeras.models.functional_config import is_op_layer, keras_layer_order
        return [l for l in keras_layer_order(model) if not is_op_layer(l)]
    return list(model.layers)


def _legacy_weights(layer):
    """Trainable weights first, then the others: the order of legacy files."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _unique_names(variables):
    names, used = [], set()
    for i, v in enumerate(variables):
        name = getattr(v, "path", None) or getattr(v, "name", None) or f"weight_{i}"
        base, k = name, 1
        while name in used:
            name = f"{base}_{k}"
            k += 1
        used.add(name)
        names.append(name)
    return names


def _write_subset(group, variables):
    names = _unique_names(variables)
    _write_string_list(group, "weight_names", names)
    for name, v in zip(names, variables):
        parent = group
        parts = name.split("/")
        for part in parts[:-1]:
            parent = parent[part] if part in parent else parent.create_group(part)
        parent.create_dataset(parts[-1], data=np.asarray(v.numpy()))


def _read_subset(backend, group):
    out = []
    for name in _read_string_list(group, "weight_names"):
        parent = group
        parts = name.split("/")
        if len(parts) > 1:
            parent = safe_get_group(backend, group, "/".join(parts[:-1]))
        out.append(safe_read_dataset(backend, parent, parts[-1]))
    return out


# ----- model config ---------------------------------------------------------------
def _legacy_config(serialized):
    """Keras 3 `serialize_keras_object` output -> the `model_config` of a legacy file."""
    def entry(cfg):
        registered = cfg.get("registered_name")
        # Legacy files name a registered custom class by its registered name.
        class_name = registered if registered and ">" in registered else cfg["class_name"]
        out = {"class_name": class_name, "config": cfg["config"]}
        for key in ("name", "inbound_nodes"):
            if key in cfg:
                out[key] = cfg[key]
        return out
    top = entry(serialized)
    inner = dict(top["config"])
    if isinstance(inner.get("layers"), list):
        inner["layers"] = [entry(layer) for layer in inner["layers"]]
    top["config"] = inner
    return top


# Keras 3's legacy reader can't resolve these loss aliases (it fails on its own
# files compiled with loss="mse"), so legacy files spell losses out in full.
_LOSS_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
                 "mape": "mean_absolute_percentage_error",
                 "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence",
                 "kullback_leibler_divergence": "kl_divergence", "logcosh": "log_cosh"}


def _full_loss_names(loss):
    if isinstance(loss, str):
        return _LOSS_ALIASES.get(loss, loss)
    if isinstance(loss, list):
        return [_full_loss_names(l) for l in loss]
    if isinstance(loss, dict) and "class_name" not in loss:
        return {k: _full_loss_names(v) for k, v in loss.items()}
    return loss


def _training_config(model):
    from minikeras.saving.serialization import serialize_keras_object
    compile_config = model.get_compile_config() if getattr(model, "compiled", False) else None
    if not compile_config:
        return None
    config = {k: v for k, v in compile_config.items() if k != "optimizer"}
    config["loss"] = _full_loss_names(config.get("loss"))
    optimizer = serialize_keras_object(model.optimizer)
    config["optimizer_config"] = {"class_name": optimizer["registered_name"] or
                                  optimizer["class_name"], "config": optimizer["config"]}
    return config


# ----- saving ---------------------------------------------------------------------
def save_model_to_hdf5(model, filepath, overwrite=True, include_optimizer=True):
    """Write `model` as a legacy `.h5` file (atomically)."""
    from minikeras.saving import saving_lib
    from minikeras.saving.serialization import serialize_keras_object
    backend = h5_store.h5_backend()
    model_config = _legacy_config(serialize_keras_object(model))
    training_config = _training_config(model) if include_optimizer else None

    buf = io.BytesIO()
    f = backend.File(buf, mode="w")
    try:
        f.attrs["keras_version"] = saving_lib.KERAS_FORMAT_VERSION.encode("utf-8")
        f.attrs["backend"] = b"numpy"
        f.attrs["model_config"] = json.dumps(model_config, default=saving_lib._json_default
                                             ).encode("utf-8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(
                training_config, default=saving_lib._json_default).encode("utf-8")
        weights = f.create_group("model_weights")
        save_weights_to_hdf5_group(weights, model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and optimizer.variables:
            group = f.create_group("optimizer_weights")
            _write_subset(group, [_Named(v, f"{optimizer.name}/{v.name}")
                                  for v in optimizer.variables])
    finally:
        f.close()
    saving_lib.atomic_write(filepath, lambda out: out.write(buf.getvalue()))


class _Named:
    """A variable seen under another name (optimizer slots are named per model var)."""

    def __init__(self, variable, path):
        self.variable, self.path = variable, path

    def numpy(self):
        return self.variable.numpy()


def save_weights_to_hdf5_group(group, model):
    from minikeras.saving import saving_lib
    layers = _model_layers(model)
    _write_string_list(group, "layer_names", [layer.name for layer in layers])
    group.attrs["backend"] = b"numpy"
    group.attrs["keras_version"] = saving_lib.KERAS_FORMAT_VERSION.encode("utf-8")
    for layer in sorted(layers, key=lambda l: l.name):
        _write_subset(group.create_group(layer.name), _legacy_weights(layer))
    _write_subset(group.create_group("top_level_model_weights"),
                  [v for v in model._own_variables])


# ----- loading --------------------------------------------------------------------
def _open(filepath):
    from minikeras.saving.saving_lib import LoadingError
    backend = h5_store.h5_backend()
    try:
        with open(filepath, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise FileNotFoundError(f"No such file: '{filepath}'") from None
    try:
        return backend, backend.File(io.BytesIO(data), mode="r")
    except ImportError as e:
        raise type(e)(f"Could not read '{filepath}': {e}") from e
    except Exception as e:
        raise LoadingError(f"Could not read '{filepath}': not a valid HDF5 file "
                           f"(truncated or corrupt: {e}).") from e


def load_model_from_hdf5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a whole model from a legacy `.h5` file."""
    from minikeras.saving.saving_lib import LoadingError
    from minikeras.saving.serialization import deserialize_compile_config
    backend, f = _open(filepath)
    try:
        if "model_config" not in f.attrs:
            raise LoadingError(f"No model config found in the file at {filepath}.")
        try:
            model_config = json.loads(_as_str(f.attrs["model_config"]))
        except json.JSONDecodeError as e:
            raise LoadingError(f"Could not read '{filepath}': model_config is not valid "
                               f"JSON ({e}).") from e
        model = _model_from_legacy_config(model_config, custom_objects, safe_mode, filepath)
        weights = safe_get_group(backend, f, "model_weights")
        _load_weights_from_group(backend, weights, model, filepath)
        if compile and "training_config" in f.attrs:
            training_config = json.loads(_as_str(f.attrs["training_config"]))
            model.compile(**deserialize_compile_config(training_config, custom_objects))
            if "optimizer_weights" in f:
                values = _read_subset(backend, safe_get_group(backend, f, "optimizer_weights"))
                optimizer = model.optimizer
                try:
                    if not optimizer.built:
                        optimizer.build(model.trainable_variables)
                        optimizer.built = True
                    optimizer.set_weights(values)
                except (ValueError, NotImplementedError) as e:
                    warnings.warn(f"Error in loading the saved optimizer state from "
                                  f"'{filepath}' ({e}). As a result, your model is starting "
                                  "with a freshly initialized optimizer.", stacklevel=3)
        elif compile and "training_config" not in f.attrs:
            warnings.warn("No training configuration found in the save file, so the model "
                          "was *not* compiled. Compile it manually.", stacklevel=3)
    finally:
        f.close()
    return model


def _model_from_legacy_config(config, custom_objects, safe_mode, filepath):
    from minikeras.saving.serialization import ObjectSharingScope, deserialize_keras_object
    from minikeras.layers.layer import Layer
    if not isinstance(config, dict) or "config" not in config:
        raise ValueError(f"Could not read '{filepath}': the model config is not a valid Keras "
                         f"configuration (expected a dict with a 'config' key).")
    config = dict(config)
    config.setdefault("module", None)  # legacy: the class is found by name
    try:
        with ObjectSharingScope():
            model = deserialize_keras_object(config, custom_objects, safe_mode=safe_mode)
    except (TypeError, ValueError) as e:
        raise type(e)(f"Could not load the model in '{filepath}': {e}") from e
    if not isinstance(model, Layer):
        raise ValueError(f"Could not read '{filepath}': the config does not describe a model.")
    return model


def _snapshot(model):
    return [(v, np.array(v.numpy(), copy=True)) for v in model.weights]


def _load_weights_from_group(backend, group, model, filepath, skip_mismatch=False,
                             by_name=False):
    from minikeras.saving.saving_lib import LoadingError
    file_layers = _read_string_list(group, "layer_names")
    plan = []  # (variables, values, label)
    if by_name:
        index = {}
        for layer in _model_layers(model):
            index.setdefault(layer.name, []).append(layer)
        for k, name in enumerate(file_layers):
            values = _read_subset(backend, safe_get_group(backend, group, name))
            for layer in index.get(name, []):
                variables = _legacy_weights(layer)
                label = f"layer #{k} (named {layer.name})"
                if len(values) != len(variables):
                    msg = (f"Weight count mismatch for {label}: the layer expects "
                           f"{len(variables)} weight(s), '{filepath}' has {len(values)}.")
                    if skip_mismatch:
                        warnings.warn("Skipping " + msg, stacklevel=3)
                        continue
                    raise LoadingError(msg)
                plan.append((variables, values, label))
    else:
        layers = [l for l in _model_layers(model) if _legacy_weights(l)]
        names = [n for n in file_layers
                 if _read_string_list(safe_get_group(backend, group, n), "weight_names")]
        if len(names) != len(layers):
            raise LoadingError(
                f"Layer count mismatch when loading weights from '{filepath}'. Model expected "
                f"{len(layers)} layers with weights, found {len(names)} saved layers.")
        for k, (name, layer) in enumerate(zip(names, layers)):
            values = _read_subset(backend, safe_get_group(backend, group, name))
            variables = _legacy_weights(layer)
            if len(values) != len(variables):
                raise LoadingError(
                    f"Weight count mismatch for layer #{k} (named {layer.name} in the "
                    f"current model, {name} in '{filepath}'). Layer expects "
                    f"{len(variables)} weight(s). Received {len(values)} saved weight(s).")
            plan.append((variables, values, f"layer #{k} (named {layer.name})"))
    if "top_level_model_weights" in group:
        values = _read_subset(backend, safe_get_group(backend, group, "top_level_model_weights"))
        variables = list(model._own_variables)
        if len(values) == len(variables):
            plan.append((variables, values, "top-level model"))
    # Check every shape before assigning anything.
    assignments = []
    for variables, values, label in plan:
        for v, value in zip(variables, values):
            if tuple(v.shape) != tuple(value.shape):
                msg = (f"Shape mismatch in {label} for weight {v.path} when loading "
                       f"'{filepath}'. Weight expects shape {tuple(v.shape)}. Received "
                       f"saved weight with shape {tuple(value.shape)}")
                if skip_mismatch:
                    warnings.warn("Skipping loading weights: " + msg, stacklevel=3)
                    continue
                raise LoadingError(msg)
            assignments.append((v, value))
    for v, value in assignments:
        v.assign(value)


def load_weights_from_hdf5(model, filepath, skip_mismatch=False, by_name=False):
    """`model.load_weights("w.h5")` for legacy `.h5` weight or model files."""
    backend, f = _open(filepath)
    try:
        group = f
        if "layer_names" not in f.attrs and "model_weights" in f:
            group = safe_get_group(backend, f, "model_weights")
        if "layer_names" not in group.attrs:
            from minikeras.saving.saving_lib import LoadingError
            raise LoadingError(f"Could not read '{filepath}': it is not a legacy Keras "
                               "weights file (no 'layer_names' attribute). Keras 3 weight "
                               "files end in `.weights.h5`.")
        _load_weights_from_group(backend, group, model, filepath, skip_mismatch, by_name)
    finally:
        f.close()


def is_legacy_path(filepath):
    s = os.fspath(filepath)
    return s.endswith((".h5", ".hdf5")) and not s.endswith(".weights.h5")
