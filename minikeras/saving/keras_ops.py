"""Raw ops in Functional configs, written and read the way Keras 3 does.

In Keras 3, `Dense(4)(x) + x`, `h[:, :2]` or `ops.concatenate([a, b])` on
KerasTensors record an *operation* in the graph, and `Functional.get_config`
lists it among the layers:

    {"module": "keras.src.ops.numpy", "class_name": "Concatenate",
     "config": {"name": "concatenate", "axis": -1}, "registered_name": "Concatenate",
     "name": "concatenate", "inbound_nodes": [{"args": [[<tensor>, <tensor>]], "kwargs": {}}]}

The operation's constructor arguments (`axis`) form its config; the rest
of the call (tensors, slice keys, constants) are the node's arguments.
Which is which comes from Keras's own code, recorded in `keras_op_table`.
minikeras records such calls as `OpLayer` (a keras.ops function) and
`TensorOpLambda` (a Python operator) nodes; `op_layer_config` writes them
in this schema and `OpReplay` replays one read from a config by calling the
minikeras function of the same name: a config can only reach functions of
the table, nothing else.
"""
import ast
import functools

from minikeras.saving import keras_op_table

_KERAS_SRC = "keras.src."
_UNSUPPORTED = object()  # `...` in the table: an argument minikeras can't reproduce


# ----- the table ----------------------------------------------------------------------
def _literal(node):
    if isinstance(node, ast.Constant) and node.value is Ellipsis:
        return _UNSUPPORTED
    return ast.literal_eval(node)


class OpEntry:
    """One parsed table entry (see `keras_op_table`)."""

    def __init__(self, family, name, raw):
        where, path, params, call, init = raw[:5]
        flags = raw[5].split() if len(raw) > 5 else []
        self.family, self.name = family, name
        self.where = where
        self.module, _, self.class_name = f"{_KERAS_SRC}{path}".rpartition(".")
        self.name_in_config = "noname" not in flags
        self.custom_config = "custom" in flags
        # [(name, kind, default)]: kind "p", "*", "k" or "**"; default _NO if required.
        fn = ast.parse(f"def f({params}): pass").body[0].args
        self.params = []
        positional = fn.posonlyargs + fn.args
        defaults = [_NO] * (len(positional) - len(fn.defaults)) + [_literal(d) for d in fn.defaults]
        self.params += [(a.arg, "p", d) for a, d in zip(positional, defaults)]
        if fn.vararg:
            self.params.append((fn.vararg.arg, "*", _NO))
        for a, d in zip(fn.kwonlyargs, fn.kw_defaults):
            self.params.append((a.arg, "k", _NO if d is None else _literal(d)))
        if fn.kwarg:
            self.params.append((fn.kwarg.arg, "**", _NO))
        node = ast.parse(f"f({call})", mode="eval").body
        self.call = [("*" + a.value.id) if isinstance(a, ast.Starred) else
                     (a.id if isinstance(a, ast.Name) else _UNSUPPORTED) for a in node.args]
        self.call_kw = {(k.arg or "**"): (k.value.id if isinstance(k.value, ast.Name)
                                          else _UNSUPPORTED) for k in node.keywords}
        node = ast.parse(f"f({init})", mode="eval").body
        self.init = []  # [(name, "arg", param) | (name, "value", v) | (name, "expr", None)]
        for k in node.keywords:
            if k.arg is None:
                self.init.append(("**", "arg", k.value.id))
            elif isinstance(k.value, ast.Name):
                self.init.append((k.arg, "arg", k.value.id))
            else:
                value = _literal(k.value)
                self.init.append((k.arg, "expr", None) if value is _UNSUPPORTED
                                 else (k.arg, "value", value))

    def as_dict(self):
        """The entry in the generator's JSON layout (for the test against Keras's table)."""
        where = f"keras.ops.{self.where}" if self.where else (
            "keras.activations" if self.family == "activations" else "keras.ops")
        kinds = {"p": "p", "*": "*", "k": "k", "**": "**"}
        params = [[n, kinds[k]] + ([] if d is _NO else [_plain(d)]) for n, k, d in self.params]
        unsupported = {"expr": None}
        return {
            "where": where, "params": params, "class": [self.module, self.class_name],
            "init": [[n, "expr", None] if kind == "expr" else [n, kind, _plain(v)]
                     for n, kind, v in self.init],
            "call": [unsupported if r is _UNSUPPORTED else r for r in self.call],
            "call_kw": {k: unsupported if r is _UNSUPPORTED else r
                        for k, r in self.call_kw.items()},
            "name_in_config": self.name_in_config, "custom_config": self.custom_config}


class _Required:
    def __repr__(self):
        return "<required>"


_NO = _Required()


def _plain(value):
    if value is _UNSUPPORTED:
        return {"expr": None}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


_TABLES = {"ops": keras_op_table.OPS, "activations": keras_op_table.ACTIVATIONS}


@functools.lru_cache(maxsize=None)
def entry(family, name):
    """The `OpEntry` of `keras.<family>.<name>`, or None if Keras records no single op."""
    raw = _TABLES[family].get(name)
    return None if raw is None else OpEntry(family, name, raw)


@functools.lru_cache(maxsize=1)
def _by_class():
    """`{(module, class_name): [(family, name), ...]}`, the function named after the
    class (or the ops one) first: what a config's class is replayed with."""
    from minikeras.backend.common import to_snake_case
    index = {}
    for family in ("ops", "activations"):
        for name in sorted(_TABLES[family]):
            e = entry(family, name)
            index.setdefault((e.module, e.class_name), []).append((family, name))
    for key, names in index.items():
        names.sort(key=lambda fn: (fn[1] != to_snake_case(key[1]), fn[0] != "ops",
                                   any(k == "expr" for _, k, _ in entry(*fn).init)))
    return index


def entry_for_class(module, class_name):
    """The entry a Keras `(module, class_name)` is replayed with, or None."""
    names = _by_class().get((module, class_name))
    return entry(*names[0]) if names else None


def is_op_config(layer_data):
    """True if a Functional config's layer entry is a Keras operation (not a layer)."""
    if not isinstance(layer_data, dict):
        return False
    module = layer_data.get("module") or ""
    class_name = layer_data.get("class_name")
    return (module.startswith(_KERAS_SRC + "ops.")
            or entry_for_class(module, class_name) is not None)


def keras_class_name(family, name):
    """The class Keras records for `keras.<family>.<name>` (node naming), or None."""
    e = entry(family, name)
    return None if e is None else e.class_name


# ----- writing --------------------------------------------------------------------------
def bind(e, args, kwargs):
    """`{param: value}` of calling `keras.<family>.<name>(*args, **kwargs)`, defaults included."""
    bound = {}
    positional = [n for n, k, _ in e.params if k == "p"]
    var = next((n for n, k, _ in e.params if k == "*"), None)
    varkw = next((n for n, k, _ in e.params if k == "**"), None)
    args = list(args)
    if len(args) > len(positional) and var is None:
        raise TypeError(f"{e.name}() takes {len(positional)} positional arguments but "
                        f"{len(args)} were given")
    bound.update(zip(positional, args))
    if var is not None:
        bound[var] = tuple(args[len(positional):])
    named = {n for n, k, _ in e.params if k in ("p", "k")}
    for key, value in kwargs.items():
        if key in named and key not in bound:
            bound[key] = value
        elif varkw is not None and key not in named:
            bound.setdefault(varkw, {})[key] = value
        else:
            raise TypeError(f"{e.name}() got an unexpected keyword argument '{key}'")
    for n, k, d in e.params:
        if n in bound:
            continue
        if k == "*":
            bound[n] = ()
        elif k == "**":
            bound[n] = {}
        elif d is _NO:
            raise TypeError(f"{e.name}() missing required argument '{n}'")
        else:
            bound[n] = d
    return bound


def _unsupported(layer, e, what):
    return NotImplementedError(
        f"Cannot save the `{e.family}.{e.name}` call '{layer.name}' of this Functional model "
        f"in Keras's format: {what}. Wrap it in a `keras.layers.Lambda` layer (or a custom "
        "layer) to save the model.")


def _node_config(layer, e, args, kwargs):
    """`(config, call_args, call_kwargs)` Keras writes for one call of `e`."""
    from minikeras.backend.common import standardize_dtype
    from minikeras.backend.keras_tensor import any_symbolic
    try:
        bound = bind(e, args, kwargs)
    except TypeError as err:
        raise _unsupported(layer, e, f"its arguments don't fit Keras's signature ({err})")
    if "dtype" in bound and bound["dtype"] is not None:
        bound["dtype"] = standardize_dtype(bound["dtype"])
    config = {"name": layer.name} if e.name_in_config else {}
    for name, kind, value in e.init:
        if kind == "expr":
            raise _unsupported(layer, e, f"Keras computes its argument `{name}`")
        if name == "**":
            config.update(bound[value])
        else:
            config[name] = bound[value] if kind == "arg" else value
        if any_symbolic(config.get(name)):
            raise _unsupported(layer, e, f"its argument `{name}` is a tensor, which Keras "
                                         "keeps in the operation's config")
    call_args, call_kwargs = [], {}
    for ref in e.call:
        if ref is _UNSUPPORTED:
            raise _unsupported(layer, e, "Keras computes one of its node's arguments")
        if ref.startswith("*"):
            call_args.extend(bound[ref[1:]])
        else:
            call_args.append(bound[ref])
    for key, ref in e.call_kw.items():
        if ref is _UNSUPPORTED:
            raise _unsupported(layer, e, f"Keras computes its argument `{key}`")
        if key == "**":
            call_kwargs.update(bound[ref])
        else:
            call_kwargs[key] = bound[ref]
    return config, call_args, call_kwargs


def op_layer_config(layer, nodes, serialize_arg):
    """The Functional-config entry of an op node `layer` (Keras's schema), for its `nodes`."""
    from minikeras.models.node import map_structure
    from minikeras.saving.serialization import serialize_dict
    family, name = layer.keras_op_name()
    e = entry(family, name)
    if e is None:
        raise NotImplementedError(
            f"Cannot save the call '{layer.name}' of `{name}` in this Functional model: Keras "
            f"has no single operation for `keras.{family}.{name}` on symbolic tensors. Wrap "
            "it in a `keras.layers.Lambda` layer (or a custom layer) to save the model.")
    if e.custom_config:
        raise _unsupported(layer, e, "its Keras operation writes a config of its own")
    config, inbound = None, []
    for node in nodes:
        args, kwargs = layer.keras_op_arguments(node)
        node_config, call_args, call_kwargs = _node_config(layer, e, args, kwargs)
        config = node_config if config is None else config
        inbound.append({"args": map_structure(serialize_arg, list(call_args)),
                        "kwargs": {k: map_structure(serialize_arg, v)
                                   for k, v in call_kwargs.items()}})
    return {"module": e.module, "class_name": e.class_name,
            "config": serialize_dict(config or {"name": layer.name}),
            "registered_name": e.class_name, "name": layer.name, "inbound_nodes": inbound}


# ----- reading --------------------------------------------------------------------------
def _tuples(value):
    """JSON lists back to tuples: Keras wrote tuples (axes, shapes) as lists."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def _function(e):
    import minikeras.activations as activations
    import minikeras.ops as ops
    if e.family == "activations":
        module = activations
    else:
        module = getattr(ops, e.where) if e.where else ops
    fn = getattr(module, e.name, None)
    if fn is None:
        raise ValueError(f"Cannot rebuild the Keras operation {e.class_name}: minikeras has "
                         f"no `keras.{e.family}.{e.name}` yet.")
    return fn


def _same(a, b):
    return _tuples(a) == _tuples(b) if not hasattr(a, "shape") else False


class OpReplay:
    """Stands for a Keras operation of a config while the Functional graph is rebuilt.

    Called with the node's arguments, it calls the minikeras function Keras's
    operation belongs to; the node that call records takes the config's name.
    """

    def __init__(self, layer_data):
        self.module = layer_data.get("module")
        self.class_name = layer_data.get("class_name")
        self.entry = entry_for_class(self.module, self.class_name)
        if self.entry is None:
            raise ValueError(
                f"Unknown Keras operation '{self.class_name}' (module '{self.module}') in the "
                "Functional model config: minikeras can only rebuild the operations of "
                "keras.ops and keras.activations.")
        self.config = dict(layer_data.get("config") or {})
        self.name = layer_data.get("name") or self.config.get("name")
        self.layer = None

    @property
    def _inbound_nodes(self):
        return self.layer._inbound_nodes if self.layer is not None else []

    def _bound(self, args, kwargs):
        e, bound = self.entry, {}
        args, kwargs, config = list(args), dict(kwargs), dict(self.config)
        config.pop("name", None)
        for ref in e.call:
            if ref is _UNSUPPORTED:
                raise ValueError(f"Cannot rebuild the Keras operation {e.class_name}.")
            if ref.startswith("*"):
                bound[ref[1:]], args = tuple(args), []
            elif args:
                bound[ref] = args.pop(0)
        for key, ref in e.call_kw.items():
            if key != "**" and key in kwargs:
                bound[ref] = kwargs.pop(key)
        if "**" in e.call_kw:
            bound[e.call_kw["**"]], kwargs = kwargs, {}
        if args or kwargs:
            raise ValueError(f"Unexpected arguments for the Keras operation "
                             f"{e.class_name} '{self.name}': {args} {kwargs}")
        for name, kind, value in e.init:
            if kind == "arg" and name != "**" and name in config:
                bound[value] = _tuples(config.pop(name))
            elif name in config and kind != "arg":
                config.pop(name)  # a value Keras computes itself
        star = [v for n, k, v in e.init if n == "**"]
        if star:
            bound[star[0]], config = _tuples(config), {}
        if config:
            raise ValueError(f"Unexpected config keys for the Keras operation "
                             f"{e.class_name} '{self.name}': {sorted(config)}")
        if e.class_name == "GetItem" and isinstance(bound.get("key"), list):
            bound["key"] = tuple(bound["key"])  # as Keras's GetItem does
        return bound

    def __call__(self, *args, **kwargs):
        from minikeras.backend.keras_tensor import KerasTensor
        from minikeras.models.node import flatten
        if self.layer is not None:
            raise NotImplementedError(
                f"The Keras operation '{self.name}' is called more than once in this "
                "Functional model; minikeras rebuilds each operation from one call.")
        e = self.entry
        bound = self._bound(args, kwargs)
        has_var = any(k == "*" for _, k, _ in e.params)
        pos, kw = [], {}
        for n, k, d in e.params:
            if k == "*":
                pos.extend(bound.get(n, ()))
                has_var = False
            elif k == "**":
                kw.update(bound.get(n, {}))
            elif n not in bound:
                if d is _NO:
                    raise ValueError(f"The Keras operation {e.class_name} '{self.name}' "
                                     f"misses its argument `{n}`.")
                if k == "p" and has_var:
                    pos.append(d)
            elif k == "p" and has_var:
                pos.append(bound[n])
            elif d is _NO or not _same(bound[n], d):
                kw[n] = bound[n]  # Keras's defaults are left to minikeras's function
        outputs = _function(e)(*pos, **kw)
        tensors = [t for t in flatten(outputs) if isinstance(t, KerasTensor)
                   and t._keras_history is not None]
        if not tensors:
            raise ValueError(f"The Keras operation {e.class_name} '{self.name}' takes no "
                             "symbolic tensor in this config.")
        self.layer = tensors[0]._keras_history[0]
        self.layer.name = self.name
        if hasattr(self.layer, "fn"):  # an OpLayer: saved again as this very operation
            self.layer._keras_op = (e.family, e.name)
        return outputs
