"""`Layer`: the base class of every layer and model.

A layer owns variables (created in `build` with `add_weight`), may own
sub-layers (found by scanning its attributes, so lists and dicts of layers
count), and computes `call(inputs)` through `minikeras.ops`. Calling it on a
`KerasTensor` records a node of the Functional graph instead of computing.
"""
import inspect
import warnings

import numpy as np
from autograd.tracer import isbox, getval

from minikeras.backend import common
from minikeras.backend.eager_tensor import as_eager
from minikeras.backend.keras_tensor import KerasTensor, any_symbolic
from minikeras.backend.name_scope import current_path, layer_scope
from minikeras.backend.variables import Variable, _ACTIVE_TAPES
from minikeras.layers.input_spec import assert_input_compatibility
from minikeras.ops.operation import Operation


class _CallContext:
    """State shared by one outermost `__call__` and the calls nested in it."""
    depth = 0
    training = None
    generation = 0      # bumped per outermost call: add_loss values of older calls expire
    symbolic = False    # True while inferring output shapes with stand-in arrays


CTX = _CallContext


def _autocast(x, dtype):
    """Float inputs become the layer's compute dtype; lists become arrays."""
    t = type(x)
    if t is np.ndarray:
        return x.astype(dtype) if x.dtype.kind == "f" and x.dtype != dtype else x
    if t in (list, tuple):
        if x and _all_numbers(x):
            return _autocast(np.asarray(x), dtype)
        return t(_autocast(e, dtype) for e in x)
    if t is dict:
        return {k: _autocast(v, dtype) for k, v in x.items()}
    if t in (float, np.float64):
        return np.asarray(x, dtype=dtype)
    if isinstance(x, Variable):
        return x.value
    if hasattr(x, "__array__") and not isbox(x) and t is not KerasTensor:
        return _autocast(np.asarray(x), dtype)
    return x


def _watched_boxes(x):
    """`x` with each array a recording tape watches replaced by the tape's box."""
    from minikeras.backend.tape import lookup_watched_array
    t = type(x)
    if t in (list, tuple):
        return t(_watched_boxes(e) for e in x)
    if t is dict:
        return {k: _watched_boxes(v) for k, v in x.items()}
    if isinstance(x, np.ndarray) or isbox(x):  # EagerTensors included
        return lookup_watched_array(x)
    return x


def _all_numbers(x):
    for e in x:
        if isinstance(e, (list, tuple)):
            if not _all_numbers(e):
                return False
        elif not isinstance(e, (int, float, np.number)) or isinstance(e, bool):
            return False
    return True


def _shape_of(x):
    t = type(x)
    if t in (list, tuple):
        return [_shape_of(e) for e in x]
    if t is dict:
        return {k: _shape_of(v) for k, v in x.items()}
    if x is None:
        return None
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


class Layer(Operation):
    """Base class of all layers.

    Subclasses implement `call(inputs, ...)`, and usually `build(input_shape)`
    to create weights with `add_weight`. Layers assigned as attributes are
    tracked: their weights count as this layer's.

    Args:
        activity_regularizer: optional regularizer applied to the output.
        trainable: whether the layer's variables are trained.
        dtype: the dtype of the layer's weights and computations.
        name: a unique name (default: snake_case class name with a suffix).

    Example:

    ```python
    class Linear(keras.layers.Layer):
        def __init__(self, units=32, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                     initializer="random_normal")
            self.b = self.add_weight(shape=(self.units,), initializer="zeros")

        def call(self, inputs):
            return keras.ops.matmul(inputs, self.w) + self.b
    ```
    """

    supports_masking = False
    _parent_path = None  # the scope path the layer was first built or called under
    _path = None         # its own path, set when it is built
    _scope_pending = True  # open the name scope in __call__ (until a call completed)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_marks_built", False):
            # As in Keras: a layer built by calling `build()` directly counts as built,
            # so a later call does not build (and re-initialize) it again.
            def wrapped(self, *args, **kw):
                # Built inside its own name scope, as in Keras, so the weights
                # of sub-layers built here get paths under this layer's.
                with layer_scope(self):
                    self._path = current_path()
                    result = build(self, *args, **kw)
                self.built = True
                if self._build_shapes is None and args:
                    self._build_shapes = args[0]
                return result
            wrapped.__name__ = build.__name__
            wrapped.__qualname__ = build.__qualname__
            wrapped.__doc__ = build.__doc__
            wrapped.__wrapped__ = build
            wrapped._marks_built = True
            cls.build = wrapped

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        # Record constructor arguments so a custom layer without get_config
        # still serializes, as Keras 3 does.
        object.__setattr__(obj, "_auto_config", _bind_constructor_args(cls, args, kwargs))
        return obj

    def __init__(self, activity_regularizer=None, trainable=True, dtype=None,
                 autocast=True, name=None, **kwargs):
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)  # old Embedding argument, now ignored
        for legacy in ("weights", "_build_shapes_dict", "build_config"):
            kwargs.pop(legacy, None)
        if kwargs:  # ValueError, as Keras 3 raises (`Dense(init=...)`, `W_regularizer=`)
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        object.__setattr__(self, "_tracking", False)
        self._layers_order = []
        self._own_variables = []
        self._losses = []
        self._losses_generation = -1
        self._metrics = []
        self.name = common.check_name(
            name or common.unique_name(common.to_snake_case(type(self).__name__)))
        self._trainable = bool(trainable)
        if dtype is None or isinstance(dtype, dict):
            from minikeras.backend.dtype_policy import default_layer_dtype
            dtype = default_layer_dtype()
        elif hasattr(dtype, "compute_dtype"):
            dtype = dtype.compute_dtype  # a DTypePolicy
        self._dtype = common.standardize_dtype(dtype)
        self.autocast = autocast
        self.built = False
        self.input_spec = None
        self._inbound_nodes = []
        self._outbound_nodes = []
        self._build_shapes = None
        from minikeras import regularizers
        self._activity_regularizer = regularizers.get(activity_regularizer) if activity_regularizer else None
        if input_dim is not None or input_shape is not None:
            # Keras 3 still accepts both, with this warning (input_dim is Keras 2's).
            warnings.warn(
                "Do not pass an `input_shape`/`input_dim` argument to a layer. When using "
                "Sequential models, prefer using an `Input(shape)` object as the first layer "
                "in the model instead.", UserWarning, stacklevel=3)
        if input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            # Keras 2 only (Keras 3 rejects it); accepted, with the Keras 3 way named.
            warnings.warn(
                "`batch_input_shape` is a Keras 2 argument; in Keras 3 start the model with "
                "`keras.Input(batch_shape=...)` instead.", DeprecationWarning, stacklevel=3)
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None:
            self._batch_input_shape = (batch_size,) + tuple(
                input_shape if isinstance(input_shape, (list, tuple)) else (input_shape,))
        else:
            self._batch_input_shape = None
        sig = inspect.signature(self.call)
        self._call_has_training = "training" in sig.parameters
        self._call_has_mask = "mask" in sig.parameters
        self._call_default_training = (sig.parameters["training"].default
                                       if self._call_has_training else None)
        if self._call_default_training is inspect.Parameter.empty:
            self._call_default_training = None
        object.__setattr__(self, "_tracking", True)

    # ----- attribute tracking ------------------------------------------------
    def __setattr__(self, name, value):
        if getattr(self, "_tracking", False) and not name.startswith("__"):
            if isinstance(value, Variable) and name != "_traced":
                if not any(v is value for v in self._own_variables):
                    self._own_variables.append(value)
            elif isinstance(value, (Layer, list, tuple, dict)) and name not in (
                    "_layers_order", "_own_variables", "_losses", "_metrics",
                    "_inbound_nodes", "_outbound_nodes", "input_spec"):
                if name not in self._layers_order:
                    self._layers_order.append(name)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        value = getattr(self, name, None)
        if isinstance(value, Variable):
            self._own_variables = [v for v in self._own_variables if v is not value]
        if name in getattr(self, "_layers_order", ()):
            self._layers_order.remove(name)
        object.__delattr__(self, name)

    @property
    def _layers(self):
        """Direct sub-layers, in attribute assignment order, deduplicated."""
        found, seen = [], set()

        def visit(v, depth=0):
            if isinstance(v, Layer):
                if id(v) not in seen and v is not self:
                    seen.add(id(v))
                    found.append(v)
            elif isinstance(v, (list, tuple)) and depth < 3:
                for e in v:
                    visit(e, depth + 1)
            elif isinstance(v, dict) and depth < 3:
                for e in v.values():
                    visit(e, depth + 1)
        for name in self._layers_order:
            visit(self.__dict__.get(name))
        return found

    def _flatten_layers(self, include_self=True, recursive=True):
        out = [self] if include_self else []
        for layer in self._layers:
            out.append(layer)
            if recursive:
                out.extend(layer._flatten_layers(include_self=False))
        seen, result = set(), []
        for l in out:
            if id(l) not in seen:
                seen.add(id(l))
                result.append(l)
        return result

    # ----- weights -----------------------------------------------------------
    def add_weight(self, *args, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """Create a variable owned by this layer and return it.

        Args:
            shape: the variable's shape (default: scalar).
            initializer: initializer object, string or callable; defaults to
                `"glorot_uniform"` for floats and `"zeros"` otherwise.
            dtype: defaults to the layer's dtype.
            trainable: whether the optimizer updates it.
            regularizer, constraint: objects, strings or callables.
            name: the variable's name; its path is `"<layer>/<name>"`.
        """
        from minikeras import initializers, regularizers, constraints
        if args:
            shape, initializer, dtype, name = _legacy_weight_args(
                args, shape, initializer, dtype, name)
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = common.standardize_dtype(dtype or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if common.is_float_dtype(dtype) else "zeros"
        init = initializers.get(initializer)
        name = name or f"variable_{len(self._own_variables)}" if name is None else name
        value = init(shape, dtype=dtype)
        with layer_scope(self):  # path: "<enclosing layers>/<layer>/<name>"
            var = Variable(value, shape=shape, dtype=dtype, trainable=trainable,
                           autocast=autocast, aggregation=aggregation, name=name,
                           regularizer=(regularizers.get(regularizer)
                                        if regularizer is not None else None),
                           constraint=(constraints.get(constraint)
                                       if constraint is not None else None))
        var.overwrite_with_gradient = overwrite_with_gradient
        if not self._trainable:
            var.trainable = False
        var._layer_trainable_flag = trainable
        self._own_variables.append(var)
        return var

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True,
                     regularizer=None, constraint=None, name=None):
        """Keras 3's positional twin of `add_weight`."""
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype,
                               trainable=trainable, autocast=autocast, regularizer=regularizer,
                               constraint=constraint, name=name)

    @property
    def weights(self):
        out, seen = [], set()
        for v in self._own_variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for layer in self._layers:
            for v in layer.weights:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def variables(self):
        return self.weights

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    non_trainable_variables = non_trainable_weights

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for v in self._own_variables:
            # A weight created with trainable=False (BatchNorm statistics) stays so.
            v.trainable = value and getattr(v, "_layer_trainable_flag", True)
        for layer in self._layers:
            layer.trainable = value

    def get_weights(self):
        """Copies of the weights' values, as a list of numpy arrays."""
        return [np.array(v.numpy()) for v in self.weights]

    def set_weights(self, weights):
        """Set the weights from a list of arrays, in the order of `weights`."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' with a weight "
                f"list of length {len(weights)}, but the layer was expecting "
                f"{len(params)} weights.")
        for v, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(v.shape) != tuple(w.shape):
                raise ValueError(
                    f'Layer {self.name} weight shape {tuple(v.shape)} is not compatible '
                    f"with provided weight shape {tuple(w.shape)}.")
        for v, w in zip(params, weights):
            v.assign(w)

    def count_params(self):
        """Total number of scalars in the layer's weights."""
        if not self.built and not self.weights:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer "
                "isn't built. You can build it manually via: "
                f"`layer.build(input_shape)`.")
        return int(sum(int(np.prod(v.shape)) for v in self.weights))

    @property
    def activity_regularizer(self):
        return self._activity_regularizer

    @activity_regularizer.setter
    def activity_regularizer(self, value):
        from minikeras import regularizers
        self._activity_regularizer = regularizers.get(value) if value is not None else None

    # ----- dtype ---------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def compute_dtype(self):
        return self._dtype

    @property
    def variable_dtype(self):
        return self._dtype

    @property
    def input_dtype(self):
        return self._dtype

    @property
    def dtype_policy(self):
        return self._dtype

    @property
    def path(self):
        """The layer's name scope path (e.g. `"model/dense"`), None until built."""
        return self._path

    # ----- losses and metrics ------------------------------------------------
    def add_loss(self, loss):
        """Add a scalar loss term (e.g. an activity penalty) for this call."""
        if CTX.symbolic:
            return
        if self._losses_generation != CTX.generation:
            self._losses = []
            self._losses_generation = CTX.generation
        self._losses.append(loss)

    @property
    def losses(self):
        """add_loss terms of the latest call plus weight-regularization penalties."""
        return collect_losses(self._flatten_layers())

    def add_metric(self, *args, **kwargs):
        raise NotImplementedError(
            "Layer.add_metric() was removed in Keras 3. Create a Metric in __init__ and "
            "update it in call(), or compute it in Model.compute_metrics().")

    @property
    def metrics(self):
        return list(self._metrics)

    @property
    def metrics_variables(self):
        out = []
        for m in self.metrics:
            out.extend(m.variables)
        return out

    # ----- build and call ----------------------------------------------------------
    def build(self, input_shape=None):
        """Create the layer's weights. The default only marks it built."""
        self.built = True

    def call(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not have a `call()` method implemented.")

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()), None)
        shapes = _shape_of(first)
        if isinstance(shapes, list) and shapes and not isinstance(shapes[0], (tuple, list)):
            shapes = tuple(shapes)
        self._build_shapes = shapes
        self._path = current_path()
        if _overrides(type(self), "build"):
            self.build(shapes)
        self.built = True

    def __call__(self, *args, **kwargs):
        first = args[0] if args else next(iter(kwargs.values()), None)
        if any_symbolic(first) or (len(args) > 1 and any_symbolic(args[1:])):
            return self._symbolic_call(args, kwargs)

        outermost = CTX.depth == 0
        if outermost:
            CTX.generation += 1
        if args:
            first_arg = args[0]
            if _ACTIVE_TAPES:
                # An array (or an outer tape's tensor) a GradientTape watches is
                # used as that tape's box, so layers whose `call` reshapes or uses
                # Python operators (Flatten, Lambda) are recorded too.
                first_arg = _watched_boxes(first_arg)
            args = (_autocast(first_arg, self._dtype),) + args[1:]
        training = kwargs.get("training")
        explicit = training is not None
        if self._call_has_training:
            if training is None:
                training = CTX.training if CTX.training is not None else self._call_default_training
            kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        if not self._call_has_mask:
            kwargs.pop("mask", None)
        prev_training = CTX.training
        # An explicit `training=` holds for the sublayers of this call too, even
        # inside an outer call in the other mode (`self.base(x, training=False)`
        # in a subclassed model keeps the base's BatchNormalization in inference
        # mode during fit, as in Keras). It is restored when this call returns.
        if training is not None and (explicit or outermost or prev_training is None):
            CTX.training = training
        CTX.depth += 1
        # The layer's name scope (see minikeras.backend.name_scope) gives the
        # variables created in build or call their paths; it is opened until a
        # call has completed (when weights and lazily built sub-layers exist),
        # so later calls, the hot path, pay nothing for it.
        scope = None
        if self._scope_pending:
            scope = layer_scope(self)
            scope.__enter__()
        try:
            if not self.built:
                self._maybe_build(args, kwargs)
            if self.input_spec is not None:
                assert_input_compatibility(self.input_spec, args[0] if args else first, self.name)
            out = self.call(*args, **kwargs)
            if self._activity_regularizer is not None:
                # Divided by the batch size, as Keras 3 does, so the strength
                # does not depend on the batch size.
                for o in (out if isinstance(out, (list, tuple)) else [out]):
                    n = np.shape(getval(o))[0] if np.ndim(getval(o)) else 1
                    self.add_loss(self._activity_regularizer(o) / n)
            if scope is not None:
                self._scope_pending = False
        finally:
            if scope is not None:
                scope.__exit__()
            CTX.depth -= 1
            CTX.training = prev_training
        # What user code gets from an eager call has TF's `.numpy()`.
        return as_eager(out) if outermost and not CTX.symbolic else out

    # ----- symbolic (Functional API) ------------------------------------------
    def _symbolic_call(self, args, kwargs):
        with layer_scope(self):
            return self._symbolic_call_in_scope(args, kwargs)

    def _symbolic_call_in_scope(self, args, kwargs):
        from minikeras.models.node import Node
        if not self.built:
            first = args[0] if args else next(iter(kwargs.values()))
            shapes = _shape_of(first)
            if isinstance(shapes, list) and shapes and not isinstance(shapes[0], (tuple, list)):
                shapes = tuple(shapes)
            self._build_shapes = shapes
            self._path = current_path()
            if _overrides(type(self), "build"):
                self.build(shapes)
            self.built = True
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, args[0], self.name)
        # As in Keras, a mask travels on the KerasTensor (`_keras_mask`): a
        # layer whose `call` takes `mask` sees it when its output spec is
        # inferred by running `call` too (code like `assert mask is not None`
        # must hold there), though the node does not record it: Functional.call
        # passes the runtime mask the same way.
        in_mask = _symbolic_input_mask(args, kwargs)
        spec_kwargs = kwargs
        if (in_mask is not None and self._call_has_mask and "mask" not in kwargs
                and type(self).compute_output_spec is Layer.compute_output_spec):
            spec_kwargs = dict(kwargs, mask=in_mask)
        outputs = self.compute_output_spec(*args, **spec_kwargs)
        node = Node(self, args, kwargs, outputs)
        _set_symbolic_output_mask(self, args[0] if args else None, in_mask,
                                  node.output_tensors)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensor(s) for the output of calling the layer on KerasTensors."""
        first = args[0]
        if _overrides(type(self), "compute_output_shape"):
            out_shape = self.compute_output_shape(_shape_of(first))
            return _spec_from_shapes(out_shape, self._output_dtype(first))
        return _infer_by_running(self, args, kwargs)

    def _output_dtype(self, first):
        dt = first.dtype if isinstance(first, KerasTensor) else self._dtype
        return self._dtype if common.is_float_dtype(dt) or not self.autocast else dt

    def compute_output_shape(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {self.name} should implement `def compute_output_shape(self, input_shape)`.")

    def compute_mask(self, inputs, previous_mask=None):
        if not self.supports_masking:
            return None
        return previous_mask

    # ----- symbolic history accessors ----------------------------------------------
    def _node_attr(self, attr, what):
        if not self._inbound_nodes:
            # Keras 3's exact wording, which users (and tests) match on.
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what}.")
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    @property
    def input(self):
        return self._node_attr("input_tensors", "input")

    @property
    def output(self):
        return self._node_attr("output_tensors", "output")

    # ----- config ------------------------------------------------------------------
    def get_config(self):
        """The layer's constructor arguments, as a JSON-friendly dict."""
        base = {"name": self.name, "trainable": self.trainable, "dtype": _dtype_config(self._dtype)}
        if self._batch_input_shape is not None:
            base["batch_input_shape"] = list(self._batch_input_shape)
        cls = type(self)
        if cls.get_config is Layer.get_config and cls.__init__ is not Layer.__init__:
            auto = self._auto_config
            if auto is None:
                raise NotImplementedError(
                    f"Layer {cls.__name__} has arguments in `__init__()` that could not be "
                    "recorded; implement `get_config()` to make it serializable.")
            for k, v in auto.items():
                if k not in base:
                    base[k] = v
        return base

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name", "float32")
        try:
            # A config holding `batch_input_shape` (legacy files, our own round trip)
            # restores without the Keras 2 deprecation warning meant for user code.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="`batch_input_shape` is a Keras 2",
                                        category=DeprecationWarning)
                return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}.\n\n"
                f"Exception encountered: {e}") from e

    def get_build_config(self):
        if self._build_shapes is not None:
            return {"input_shape": _to_list_shape(self._build_shapes)}
        return None

    def build_from_config(self, config):
        if config and "input_shape" in config and not self.built:
            shape = config["input_shape"]
            self.build(_to_tuple_shape(shape))
            self._build_shapes = _to_tuple_shape(shape)
            self.built = True

    def _store_variables(self):
        """Own variables in Keras's file order: created-trainable ones first."""
        own = self._own_variables
        first = [v for v in own if getattr(v, "_layer_trainable_flag", v.trainable)]
        return first + [v for v in own if not getattr(v, "_layer_trainable_flag", v.trainable)]

    def save_own_variables(self, store):
        for i, v in enumerate(self._store_variables()):
            store[f"{i}"] = v.numpy()

    def load_own_variables(self, store):
        own = self._store_variables()
        if len(store.keys()) != len(own):
            raise ValueError(
                f"Layer '{self.name}' expected {len(own)} variables, but received "
                f"{len(store.keys())} variables during loading. Expected: {[v.name for v in own]}")
        for i, v in enumerate(own):
            v.assign(store[f"{i}"])

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


_INIT_SIGNATURES = {}


def _bind_constructor_args(cls, args, kwargs):
    """`{name: value}` of the constructor call; `**kwargs` (whatever its name) is
    merged in, `*args` dropped. None when the arguments don't bind."""
    sig = _INIT_SIGNATURES.get(cls)
    if sig is None:
        sig = _INIT_SIGNATURES[cls] = inspect.signature(cls.__init__)
    try:
        bound = sig.bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    cfg = {}
    for i, (name, value) in enumerate(bound.arguments.items()):
        if i == 0:
            continue  # self
        kind = sig.parameters[name].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            cfg.update(value)
        elif kind is not inspect.Parameter.VAR_POSITIONAL:
            cfg[name] = value
    return cfg


def collect_losses(layers):
    """The add_loss terms of the latest call, then the weight penalties of `layers`
    (Keras's order for `model.losses`: all activity terms before any penalty)."""
    out = []
    penalties = []
    seen = set()  # a variable held by two layers is penalized once, as in Keras
    generation = CTX.generation
    for layer in layers:
        if layer._losses and layer._losses_generation == generation:
            out.extend(layer._losses)
        for v in layer._own_variables:
            if v.regularizer is not None and v.trainable and id(v) not in seen:
                seen.add(id(v))
                penalties.append(v.regularizer(v.value))
    if penalties:
        out.extend(penalties)
    return out


def _legacy_weight_args(args, shape, initializer, dtype, name):
    """`add_weight(shape, initializer, dtype)` positionally, as Keras 3 allows, and
    Keras 2's `add_weight(name, shape, ...)` with a DeprecationWarning."""
    args = list(args)
    if isinstance(args[0], str):
        warnings.warn(
            "Passing the variable name positionally to `add_weight` is a Keras 2 spelling; "
            f"use `add_weight(shape=..., name='{args[0]}')`.", DeprecationWarning, stacklevel=3)
        name = args.pop(0) if name is None else name
    if len(args) > 3:
        raise TypeError(f"add_weight() takes at most 3 positional arguments but {len(args)} "
                        "were given.")
    given = dict(zip(("shape", "initializer", "dtype"), args))
    for key, current in (("shape", shape), ("initializer", initializer), ("dtype", dtype)):
        if key in given and current is not None:
            raise ValueError(f"`{key}` was passed both positionally and as a keyword argument.")
    return (given.get("shape", shape), given.get("initializer", initializer),
            given.get("dtype", dtype), name)


def _overrides(cls, method):
    return getattr(cls, method) is not getattr(Layer, method)


def _dtype_config(dtype):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": dtype},
            "registered_name": None}


def _to_list_shape(s):
    if isinstance(s, tuple):
        return list(s)
    if isinstance(s, list):
        return [_to_list_shape(e) for e in s]
    if isinstance(s, dict):
        return {k: _to_list_shape(v) for k, v in s.items()}
    return s


def _to_tuple_shape(s):
    if isinstance(s, list) and (not s or not isinstance(s[0], (list, tuple, dict))):
        return tuple(s)
    if isinstance(s, (list, tuple)):
        return [_to_tuple_shape(e) for e in s]
    if isinstance(s, dict):
        return {k: _to_tuple_shape(v) for k, v in s.items()}
    return s


def _spec_from_shapes(shape, dtype):
    if isinstance(shape, list) and shape and isinstance(shape[0], (tuple, list)):
        return [KerasTensor(s, dtype) for s in shape]
    if isinstance(shape, dict):
        return {k: KerasTensor(s, dtype) for k, s in shape.items()}
    if isinstance(shape, tuple) and shape and isinstance(shape[0], (tuple, list)):
        return tuple(KerasTensor(s, dtype) for s in shape)
    return KerasTensor(tuple(shape), dtype)


def _concrete(tree, fill):
    """Stand-in arrays for the KerasTensors in `tree` (unknown dims -> `fill`)."""
    if isinstance(tree, KerasTensor):
        shape = tuple(fill if d is None else d for d in tree.shape)
        dt = tree.dtype
        if common.is_float_dtype(dt):
            return np.full(shape, 0.5, dtype=dt)
        return np.ones(shape, dtype=dt)
    if isinstance(tree, (list, tuple)):
        return type(tree)(_concrete(t, fill) for t in tree)
    if isinstance(tree, dict):
        return {k: _concrete(v, fill) for k, v in tree.items()}
    return tree


def _merge_specs(o1, o2):
    """KerasTensors for two runs' outputs; dims that differ are unknown."""
    if isinstance(o1, (list, tuple)):
        return type(o1)(_merge_specs(a, b) for a, b in zip(o1, o2))
    if isinstance(o1, dict):
        return {k: _merge_specs(o1[k], o2[k]) for k in o1}
    if o1 is None:
        return None
    v1, v2 = np.asarray(getval(o1)), np.asarray(getval(o2))
    shape = tuple(d1 if d1 == d2 else None for d1, d2 in zip(v1.shape, v2.shape))
    if len(v1.shape) != len(v2.shape):
        shape = v1.shape
    return KerasTensor(shape, v1.dtype.name)


def _run_on_stand_ins(fn):
    """`fn(fill)` for fills 2 and 3 in symbolic mode, merged into KerasTensors."""
    results = []
    prev = CTX.symbolic
    CTX.symbolic = True
    try:
        for fill in (2, 3):
            results.append(fn(fill))
    finally:
        CTX.symbolic = prev
    return _merge_specs(results[0], results[1])


def _infer_by_running(layer, args, kwargs):
    """Output spec by calling the layer on stand-in arrays of two sizes.

    Unknown dims (None) get 2 in the first run and 3 in the second; an output
    dim that differs between the runs is unknown too.
    """
    def run(fill):
        a = _concrete(args, fill)
        k = {key: _concrete(v, fill) for key, v in kwargs.items()}
        k.setdefault("training", False) if layer._call_has_training else None
        return Layer.__call__(layer, *a, **k)
    return _run_on_stand_ins(run)


def _symbolic_input_mask(args, kwargs):
    """The mask a symbolic call receives, chosen as Functional.call does at run
    time: an explicit `mask=`, else the `_keras_mask` of the KerasTensor inputs
    (one mask, or a list when the call has several tensor inputs)."""
    if kwargs.get("mask") is not None:
        return kwargs["mask"]
    from minikeras.models.node import flatten
    tensors = [t for t in flatten((args, kwargs)) if isinstance(t, KerasTensor)]
    masks = [getattr(t, "_keras_mask", None) for t in tensors]
    if not any(m is not None for m in masks):
        return None
    return masks[0] if len(masks) == 1 else masks


def warn_if_mask_dropped(layer, mask):
    """Keras's warning when a mask reaches a layer that cannot pass it on.

    Raised from this one line, so Python shows it once per layer name however
    many calls (symbolic, then every batch) hit it.
    """
    if (mask is None or layer.supports_masking
            or type(layer).compute_mask is not Layer.compute_mask):
        return
    warnings.warn(
        f"Layer '{layer.name}' (of type {type(layer).__name__}) was passed an input with "
        "a mask attached to it. However, this layer does not support masking and will "
        "therefore destroy the mask information. Downstream layers will not see the mask.",
        stacklevel=1)


def _set_symbolic_output_mask(layer, first, in_mask, outputs):
    """Attach `layer.compute_mask(...)` to the output KerasTensors (as `_keras_mask`).

    The default `compute_mask` passes the input mask through (or drops it);
    an overridden one runs on stand-in arrays, as output specs are inferred.
    """
    if type(layer).compute_mask is Layer.compute_mask:
        out_mask = in_mask if layer.supports_masking else None
        warn_if_mask_dropped(layer, getattr(first, "_keras_mask", None))
    else:
        out_mask = _run_on_stand_ins(
            lambda fill: layer.compute_mask(_concrete(first, fill), _concrete(in_mask, fill)))
    if out_mask is None:
        return
    masks = out_mask if isinstance(out_mask, (list, tuple)) else [out_mask] * len(outputs)
    for t, m in zip(outputs, masks):
        if isinstance(m, KerasTensor):
            t._keras_mask = m
