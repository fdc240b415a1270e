"""Name scopes: the `/`-separated prefixes of variable paths.

As in Keras 3, calling or building a layer opens a scope named after it, so a
variable created inside gets the path of the layers around it:
`"bidirectional/forward_lstm/lstm_cell/kernel"`, `"my_model/dense/kernel"`.
A layer remembers the path it was first opened under (`_parent_path`) and
reopens its scope there, wherever it is called later.
"""

_STACK = []


class name_scope:
    """Creates a sub-namespace for variable paths.

    Args:
        name: name of the scope (a string without `/`).
        caller: optional object opening the scope (e.g. a layer).
        deduplicate: if True, reopening the scope the same `caller` has just
            opened with the same name adds no level.
        override_parent: an absolute path that replaces the enclosing scopes.

    Example:

    ```python
    with keras.name_scope("block"):
        v = keras.Variable(1.0, name="v")
    v.path  # "block/v"
    ```
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain "
                             f"character `/`. Received: name={name}")
        self._setup(name, caller, deduplicate, override_parent)

    def _setup(self, name, caller, deduplicate, override_parent):
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        if override_parent is None and deduplicate:
            override_parent = getattr(caller, "_parent_path", None)
        self.override_parent = override_parent
        self._pop_on_exit = False

    def __enter__(self):
        if self.deduplicate and _STACK and self.caller is not None:
            top = _STACK[-1]
            if top.caller is self.caller and top.name == self.name:
                return self
        _STACK.append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc):
        if self._pop_on_exit and _STACK:
            _STACK.pop()
        return False


def layer_scope(layer):
    """The scope a layer opens around its build and call (layer names are not
    checked for `/` here: they were accepted when the layer was made)."""
    if layer._parent_path is None:
        layer._parent_path = current_path()
    scope = name_scope.__new__(name_scope)
    scope._setup(layer.name, layer, True, None)
    return scope


def current_path():
    """The `/`-joined names of the open scopes (`""` when none is open)."""
    parts = []
    for entry in _STACK:
        if entry.override_parent is not None:
            parts = [p for p in entry.override_parent.split("/") if p]
        parts.append(entry.name)
    return "/".join(parts)
