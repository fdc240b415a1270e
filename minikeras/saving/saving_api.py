"""`save_model`, `load_model`, `save_weights`, `load_weights`: Keras 3's entry points.

`.keras` archives and `.weights.h5` files use Keras 3's format; `.h5`/`.hdf5`
paths use the legacy Keras format. Every file is written atomically.
"""
import os
import warnings

from minikeras.saving import legacy_h5, saving_lib


def _ask_to_proceed_with_overwrite(filepath):
    """Ask on stdin whether to overwrite `filepath` (no answer means no)."""
    try:
        answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    except (EOFError, OSError):
        return False
    while answer not in ("y", "n"):
        try:
            answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
        except (EOFError, OSError):
            return False
    return answer == "y"


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model as a `.keras` file.

    Args:
        model: Keras model instance to be saved.
        filepath: `str` or `pathlib.Path` object. Path where to save the model.
        overwrite: Whether we should overwrite any existing model at the
            target location, or instead ask the user via an interactive prompt.
        zipped: Whether to save the model as a zipped `.keras` archive (the
            default). Unzipped directories are not supported.

    The saved `.keras` file is a `zip` archive that contains the model's
    configuration (`config.json`), its weights and optimizer state
    (`model.weights.h5`) and `metadata.json`. The file is written to a
    temporary name and renamed, so an interrupted save never leaves a corrupt
    file. A path ending in `.h5` writes the legacy Keras format instead.

    Example:

    ```python
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])
    model.save("model.keras")
    loaded_model = keras.saving.load_model("model.keras")
    ```
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", False)
    weights_format = kwargs.pop("weights_format", "h5")
    path = os.fspath(filepath)
    if save_format:
        if path.endswith((".h5", ".hdf5", ".keras")):
            warnings.warn("The `save_format` argument is deprecated in Keras 3. We recommend "
                          "removing this argument as it can be inferred from the file path. "
                          f"Received: save_format={save_format}", stacklevel=2)
        else:
            raise ValueError("The `save_format` argument is deprecated in Keras 3. Please "
                             "remove this argument and pass a file path with either `.keras` "
                             f"or `.h5` extension.Received: save_format={save_format}")
    if kwargs:
        raise ValueError(f"The following argument(s) are not supported: {list(kwargs.keys())}")
    if zipped is False:
        raise NotImplementedError("Saving an unzipped model directory (`zipped=False`) is "
                                  "not supported by minikeras; save a `.keras` file.")
    if os.path.exists(path) and not overwrite:
        if not _ask_to_proceed_with_overwrite(path):
            return
    if path.endswith(".keras"):
        return saving_lib.save_model(model, path, weights_format=weights_format)
    if path.endswith((".h5", ".hdf5")):
        warnings.warn("You are saving your model as an HDF5 file via `model.save()` or "
                      "`keras.saving.save_model(model)`. This file format is considered "
                      "legacy. We recommend using instead the native Keras format, e.g. "
                      "`model.save('my_model.keras')`.", stacklevel=2)
        return legacy_h5.save_model_to_hdf5(model, path, overwrite, include_optimizer)
    raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` "
                     "extension for the native Keras format (recommended) or a `.h5` "
                     f"extension. Received: filepath={path}.")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved via `model.save()`.

    Args:
        filepath: `str` or `pathlib.Path` object, path to the saved model file.
        custom_objects: Optional dictionary mapping names (strings) to custom
            classes or functions to be considered during deserialization.
        compile: Boolean, whether to compile the model after loading.
        safe_mode: Boolean, whether to disallow unsafe `lambda`
            deserialization. When `safe_mode=False`, loading an object has
            the potential to trigger arbitrary code execution. Defaults to
            `True`.

    Returns:
        A Keras model instance. If the original model was compiled, and
        `compile=True`, the returned model is compiled, with its optimizer
        state restored.

    Loading never writes files and never runs code from the file (unless
    `safe_mode=False`); a corrupt, truncated or unsafe file raises an error
    naming the file, and no half-loaded model is ever returned.

    Example:

    ```python
    model.save("model.keras")
    loaded_model = keras.saving.load_model("model.keras")
    ```
    """
    path = os.fspath(filepath) if not hasattr(filepath, "read") else None
    if path is None:
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    if path.endswith(".keras"):
        if not os.path.exists(path):
            raise ValueError(f"File not found: filepath={path}. Please ensure the file is an "
                             "accessible `.keras` zip file.")
        return saving_lib.load_model(path, custom_objects, compile, safe_mode)
    if path.endswith((".h5", ".hdf5")):
        return legacy_h5.load_model_from_hdf5(path, custom_objects, compile, safe_mode)
    # Keras's wording, which tells tf.keras 2 users their SavedModel folder will not load.
    raise ValueError(f"File format not supported: filepath={path}. Keras 3 only supports V3 "
                     "`.keras` files, legacy H5 format files (`.h5` extension). Note that the "
                     "legacy SavedModel format is not supported by `load_model()` in Keras 3.")


def save_weights(model, filepath, overwrite=True, max_shard_size=None, **kwargs):
    """Saves all weights of the model to a `.weights.h5` file (Keras 3 layout).

    Args:
        model: the model whose weights to save.
        filepath: path ending in `.weights.h5`.
        overwrite: whether to overwrite an existing file without asking.
        max_shard_size: sharding is not supported by minikeras.
        **kwargs: `objects_to_skip`, layers whose variables are not written.
    """
    path = os.fspath(filepath)
    if max_shard_size is not None:
        raise NotImplementedError("Sharded weights (`max_shard_size`) are not supported by "
                                  "minikeras.")
    if not path.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={path}")
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if os.path.exists(path) and not overwrite:
        if not _ask_to_proceed_with_overwrite(path):
            return
    saving_lib.save_weights_only(model, path, objects_to_skip=objects_to_skip)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Load weights into `model` from `.keras`, `.weights.h5` or legacy `.h5` files.

    Args:
        model: the model to load into (it must be built).
        filepath: the file.
        skip_mismatch: skip (with a warning) variables whose count or shape
            does not match, instead of raising.
        **kwargs: `by_name=True` (legacy `.h5` only) matches layers by name;
            `objects_to_skip` (`.weights.h5` only) lists layers to leave alone.

    Nothing is assigned unless everything matches (or is skipped).
    """
    path = os.fspath(filepath)
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {kwargs}")
    if path.endswith(".keras"):
        if objects_to_skip is not None:
            raise ValueError("`objects_to_skip` only supports loading '.weights.h5' files."
                             f"Received: {filepath}")
        if by_name is not None:
            raise ValueError("`by_name` only supports loading legacy '.h5' or '.hdf5' files. "
                             f"Received: {filepath}")
        saving_lib.load_weights_only(model, path, skip_mismatch=skip_mismatch)
    elif path.endswith(".weights.h5"):
        if by_name is not None:
            raise ValueError("`by_name` only supports loading legacy '.h5' or '.hdf5' files. "
                             f"Received: {filepath}")
        saving_lib.load_weights_only(model, path, skip_mismatch=skip_mismatch,
                                     objects_to_skip=objects_to_skip)
    elif path.endswith((".h5", ".hdf5")):
        if objects_to_skip is not None:
            raise ValueError("`objects_to_skip` only supports loading '.weights.h5' files."
                             f"Received: {filepath}")
        legacy_h5.load_weights_from_hdf5(model, path, skip_mismatch=skip_mismatch,
                                         by_name=bool(by_name))
    else:
        raise ValueError(f"File format not supported: filepath={path}. Keras 3 only supports "
                         "V3 `.keras` files, `.weights.h5` files, or legacy H5 format files "
                         "(`.h5` extension).")
