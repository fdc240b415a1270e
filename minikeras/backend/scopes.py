"""Scopes Keras 3 exports at the top level: StatelessScope, name_scope, device, remat."""
import contextlib

from minikeras.backend.name_scope import name_scope  # noqa: F401  (re-exported)
from minikeras.backend.variables import Variable

_STATELESS = []


class StatelessScope:
    """Run code with variables bound to given values, without touching them.

    Inside the scope, reading a variable in `state_mapping` gives the mapped
    value, and `variable.assign(x)` is recorded in the scope instead of
    changing the variable; `get_current_value(variable)` returns it.

    Example:

    ```python
    with keras.StatelessScope(state_mapping=[(layer.kernel, new_kernel)]) as scope:
        out = layer(x)
    ```
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        self.state_mapping = {}
        self._variables = {}
        for var, value in (state_mapping or []):
            if not isinstance(var, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument "
                    f"`mapping` must be Variable instances. Received instead: {var}")
            self.state_mapping[id(var)] = value
            self._variables[id(var)] = var
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self._saved = {}

    def __enter__(self):
        for key, var in self._variables.items():
            self._saved[key] = var._traced
            var._traced = self.state_mapping[key]
        _STATELESS.append(self)
        return self

    def __exit__(self, *exc):
        _STATELESS.remove(self)
        for key, var in self._variables.items():
            var._traced = self._saved.pop(key, None)
        return False

    def add_update(self, update):
        var, value = update
        self.state_mapping[id(var)] = value
        if id(var) not in self._variables:
            self._variables[id(var)] = var
            self._saved[id(var)] = var._traced
        var._traced = value

    def add_loss(self, loss):
        self.losses.append(loss)

    def get_current_value(self, variable):
        return self.state_mapping.get(id(variable))


def in_stateless_scope():
    return bool(_STATELESS)


def get_stateless_scope():
    return _STATELESS[-1] if _STATELESS else None


class SymbolicScope:
    """Marks code that runs on symbolic tensors (no effect here: all runs eagerly)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@contextlib.contextmanager
def device(device_name):
    """Device placement scope; everything runs on the CPU with numpy."""
    yield


def remat(f):
    """Rematerialization decorator: returns `f` (memory is not traded for compute here)."""
    return f


class RematScope:
    """Rematerialization settings scope (accepted; has no effect here)."""

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in (None, "full", "activations", "larger_than", "list_of_layers"):
            raise ValueError(f"Invalid mode for RematScope: {mode}")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = layer_names or []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
