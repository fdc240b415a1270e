"""`KerasFileEditor`: inspect, edit and re-save the weights of Keras files."""
import os

import numpy as np

from minikeras.saving import h5_store


class KerasFileEditor:
    """Utility to inspect, edit, and resave Keras weights files.

    You will find this class useful when adapting an old saved weights file
    after having made architecture changes to a model.

    Args:
        filepath: The path to a local `.keras` or `.weights.h5` file.

    Examples:

    ```python
    editor = KerasFileEditor("my_model.weights.h5")
    editor.summary()                       # displays current contents
    editor.delete_object("layers/dense_2")  # remove the weights of a layer
    editor.add_object("layers/einsum_dense", weights={"0": ..., "1": ...})
    editor.resave_weights("edited_model.weights.h5")
    ```
    """

    def __init__(self, filepath):
        from minikeras.saving import saving_lib
        self.filepath = os.fspath(filepath)
        self.metadata = None
        self.config = None
        if self.filepath.endswith(".keras"):
            archive = saving_lib._Archive(self.filepath)
            try:
                import json
                self.config = archive.config()
                if saving_lib.METADATA_FILENAME in archive.names:
                    self.metadata = json.loads(saving_lib._read_member(
                        self.filepath, archive.zf, saving_lib.METADATA_FILENAME,
                        saving_lib.MAX_JSON_MEMBER_BYTES))
                store = archive.weights_store()
            finally:
                archive.close()
        elif self.filepath.endswith(".weights.h5"):
            with open(self.filepath, "rb") as f:
                store = h5_store.h5_bytes_reader(f.read())
        else:
            raise ValueError("Invalid filename: expected a `.keras` `.weights.h5` extension. "
                             f"Received: filepath={self.filepath}")
        try:
            self.weights_dict, self.object_metadata = _extract(store)
        finally:
            store.close()
        print(f"Keras model file '{self.filepath}'")
        if self.metadata is not None:
            print(f"Saved with Keras {self.metadata.get('keras_version')} - date: "
                  f"{self.metadata.get('date_saved')}")

    def summary(self):
        """Prints the weight structure of the opened file."""
        _print_tree(self.weights_dict, self.object_metadata, "")

    def compare(self, reference_model):
        """Compares the opened file to a reference model.

        Args:
            reference_model: Model instance to compare to.

        Returns:
            Dict with keys `'status'` (`'success'` or `'error'`),
            `'error_count'` and `'match_count'`.
        """
        from minikeras.saving import saving_lib
        ref = {}
        for path, obj in saving_lib._iter_saveables(reference_model):
            variables = obj.variables if saving_lib._kind(obj) == "optimizer" \
                else obj._own_variables
            if not variables:
                continue
            node = ref
            for part in [p for p in path.split("/") if p]:
                node = node.setdefault(part, {})
            for i, v in enumerate(variables):
                node[str(i)] = v
        errors, matches = _compare(self.weights_dict, ref, "", "saved file",
                                   "reference model", set(), count_matches=True)
        more, _ = _compare(ref, self.weights_dict, "", "reference model", "saved file",
                           set(), count_matches=False)
        errors += more
        print("---------------------")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                  "compatible with the reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors,
                "match_count": matches}

    # ----- editing ------------------------------------------------------------------
    def _edit_object(self, edit_fn, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise ValueError("Argument `target_name` should be a leaf name, not a full path "
                             f"name. Received: target_name='{target_name}'")
        if "/" in source_name:
            parts = source_name.split("/")
            node = self.weights_dict
            for p in parts[:-1]:
                if p not in node or not isinstance(node[p], dict):
                    raise ValueError(f"Path '{source_name}' not found in model.")
                node = node[p]
            if parts[-1] not in node:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit_fn(node, parts[-1], target_name)
            return
        holders = []

        def find(d):
            for k, v in d.items():
                if isinstance(v, dict):
                    find(v)
            if source_name in d:
                holders.append(d)
        find(self.weights_dict)
        if len(holders) > 1:
            raise ValueError(f"Name '{source_name}' occurs more than once in the model; try "
                             "passing a complete path")
        if not holders:
            raise ValueError(f"Source name '{source_name}' does not appear in the model. Use "
                             "`editor.summary()` to list all objects.")
        edit_fn(holders[0], source_name, target_name)

    def rename_object(self, object_name, new_name):
        """Rename an object in the file (e.g. a layer)."""
        def rename(d, source, target):
            d[target] = d.pop(source)
        self._edit_object(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Removes an object from the file (e.g. a layer)."""
        self._edit_object(lambda d, source, _: d.pop(source), object_name)

    def add_object(self, object_path, weights):
        """Add a new object (e.g. `"layers/dense_2"`) with weights `{"0": array, ...}`."""
        _check_weights(weights)
        parts = object_path.split("/")
        node = self.weights_dict
        for p in parts[:-1]:
            if p not in node:
                raise ValueError(f"Path '{'/'.join(parts[:-1])}' not found in model.")
            node = node[p]
        node[parts[-1]] = {k: np.asarray(v) for k, v in weights.items()}

    def delete_weight(self, object_name, weight_name):
        """Removes a weight (e.g. `"0"`) from an existing object."""
        def delete(d, source, _):
            if weight_name not in d[source]:
                raise ValueError(f"Weight {weight_name} not found in object {object_name}. "
                                 f"Weights found: {list(d[source].keys())}")
            d[source].pop(weight_name)
        self._edit_object(delete, object_name)

    def add_weights(self, object_name, weights):
        """Add weights `{"name": array}` to an existing object."""
        _check_weights(weights)
        self._edit_object(lambda d, source, _: d[source].update(
            {k: np.asarray(v) for k, v in weights.items()}), object_name)

    def save(self, filepath):
        """Save the edited weights as a `.weights.h5` file."""
        from minikeras.saving import saving_lib
        import io
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("Invalid `filepath` argument: expected a `.weights.h5` "
                             f"extension. Received: filepath={filepath}")
        buf = io.BytesIO()
        store = h5_store.H5IOStore(buf, mode="w")
        try:
            _save(self.weights_dict, store, "")
        finally:
            store.close()
        saving_lib.atomic_write(filepath, lambda f: f.write(buf.getvalue()))

    def resave_weights(self, filepath):
        self.save(filepath)


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError("Argument `weights` should be a dict where keys are weight names "
                         "(usually '0', '1', etc.) and values are NumPy arrays. "
                         f"Received: type(weights)={type(weights)}")


def _extract(store):
    """`({path parts nested: {key: array}}, {path: object name})` of an H5 store."""
    backend, root = store.backend, store.h5_file
    weights, names = {}, {}

    def walk(group, node, path, depth=0):
        if depth > 64:  # hard links can form cycles
            raise ValueError(f"Invalid weights file: groups nested too deep at '{path}'.")
        for key in list(group.keys()):
            child = group[key]
            if isinstance(child, backend.Group):
                if key == "vars":
                    for k in child.keys():
                        node[k] = h5_store.safe_read_dataset(backend, child, k)
                    if "name" in child.attrs:
                        value = child.attrs["name"]
                        names[path] = value.decode() if isinstance(value, bytes) else str(value)
                else:
                    sub = node.setdefault(key, {})
                    walk(child, sub, f"{path}/{key}" if path else key, depth + 1)
    walk(root, weights, "")
    return weights, names


def _save(d, store, path):
    leaves = {k: v for k, v in d.items() if not isinstance(v, dict)}
    if leaves:
        store.make(path)
        for k, v in leaves.items():
            store[k] = v
    for k, v in d.items():
        if isinstance(v, dict) and v:
            _save(v, store, f"{path}/{k}" if path else k)


def _shape(value):
    return tuple(value.shape)


def _compare(target, ref, path, target_name, ref_name, checked, count_matches):
    errors = matches = 0
    for key, ref_val in ref.items():
        inner = f"{path}/{key}"
        if inner in checked:
            continue
        if key not in target:
            errors += 1
            checked.add(inner)
            what = "Object" if isinstance(ref_val, dict) else "Weight"
            print(f"...{what} {inner} present in {ref_name}, missing from {target_name}")
        elif isinstance(ref_val, dict):
            e, m = _compare(target[key], ref_val, inner, target_name, ref_name, checked,
                            count_matches)
            errors += e
            matches += m
        elif _shape(target[key]) != _shape(ref_val):
            errors += 1
            checked.add(inner)
            print(f"...Weight shape mismatch for {inner}\n    In {ref_name}: "
                  f"shape={_shape(ref_val)}\n    In {target_name}: shape={_shape(target[key])}")
        elif count_matches:
            matches += 1
    return errors, matches


def _print_tree(d, names, path, indent=0):
    for key, value in d.items():
        inner = f"{path}/{key}" if path else key
        if isinstance(value, dict):
            label = f" ({names[inner]})" if inner in names else ""
            print("  " * indent + f"{key}{label}")
            _print_tree(value, names, inner, indent + 1)
        else:
            print("  " * indent + f"{key}: shape={tuple(value.shape)}, dtype={value.dtype}")
