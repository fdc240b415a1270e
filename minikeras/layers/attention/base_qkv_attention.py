"""What MultiHeadAttention and GroupQueryAttention share: calling with
`(query, value, key=None, ...)`, building from three shapes, and taking the
Keras masks of their inputs inside Functional models."""
import inspect

import numpy as np
from autograd.tracer import getval

from minikeras import constraints, initializers, regularizers
from minikeras.backend.keras_tensor import KerasTensor, any_symbolic
from minikeras.layers.attention import attention_math as AM
from minikeras.layers.layer import Layer, _autocast, _shape_of, _to_list_shape

_TENSOR_ARGS = ("query", "value", "key")
_NOT_FROM_GRAPH = ("training", "mask")


class BaseQKVAttention(Layer):
    """Base of attention layers called as `layer(query, value, key=None, ...)`.

    Inside a Functional model the Keras mask of `query`, `value` and `key`
    (from `Embedding(mask_zero=True)`, `Masking`, ...) reaches the layer as
    `query_mask`, `value_mask` and `key_mask`, as in Keras 3; the output
    carries the query's mask.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        # Ask Functional models to pass the input masks; `__call__` turns them
        # into `query_mask`/`value_mask`/`key_mask` (call itself takes no `mask`).
        self._call_has_mask = True
        self._build_shapes_dict = None
        self._graph_arg_names = {}
        self._call_arg_names = list(inspect.signature(self.call).parameters)

    # ----- calling ---------------------------------------------------------------
    def _bind(self, args, kwargs):
        names = self._call_arg_names
        if len(args) > len(names):
            raise TypeError(
                f"{type(self).__name__}.call() takes {len(names)} arguments but "
                f"{len(args)} were given.")
        bound = dict(zip(names, args))
        for k, v in kwargs.items():
            if k in bound:
                raise TypeError(f"{type(self).__name__}.call() got multiple values for "
                                f"argument '{k}'")
            if k not in names:
                raise TypeError(f"{type(self).__name__}.call() got an unexpected keyword "
                                f"argument '{k}'")
            bound[k] = v
        for required in ("query", "value"):
            if bound.get(required) is None:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) requires a `{required}` "
                    f"tensor. Called with arguments: {sorted(bound)}")
        return bound

    @staticmethod
    def _graph_key(kwargs):
        return tuple(sorted(k for k in kwargs if k not in _NOT_FROM_GRAPH))

    def __call__(self, *args, **kwargs):
        graph_mask = kwargs.pop("mask", None)
        bound = self._bind(args, kwargs)
        query = bound.pop("query")
        symbolic = any(any_symbolic(x) for x in (query, bound.get("value"), bound.get("key")))
        if not symbolic:
            for name in ("value", "key"):
                if bound.get(name) is not None:
                    bound[name] = _autocast(bound[name], self._dtype)
        if not self.built:
            shapes = {"query_shape": tuple(_shape_of(query)),
                      "value_shape": tuple(_shape_of(bound["value"]))}
            if bound.get("key") is not None:
                shapes["key_shape"] = tuple(_shape_of(bound["key"]))
            self.build(**shapes)
            self._build_shapes_dict = shapes
            self.built = True
        if symbolic:
            leaves = [("query", query)] + list(bound.items())
            names = []
            for name, value in leaves:
                names.extend(name for t in _leaves(value) if isinstance(t, KerasTensor))
            self._graph_arg_names[self._graph_key(bound)] = names
            return self._symbolic_call((query,), bound)
        masks = self._masks_from_graph(graph_mask, bound)
        self._apply_graph_masks(masks, bound)
        return Layer.__call__(self, query, **bound)

    def _masks_from_graph(self, graph_mask, bound):
        """`{argument name: mask}` from the mask(s) a Functional model passes."""
        if graph_mask is None:
            return {}
        names = self._graph_arg_names.get(self._graph_key(bound))
        if names is None:
            return {}
        masks = list(graph_mask) if isinstance(graph_mask, (list, tuple)) else [graph_mask]
        if len(masks) != len(names):
            return {}
        return {n: m for n, m in zip(names, masks) if n in _TENSOR_ARGS and m is not None}

    def _apply_graph_masks(self, masks, bound):
        """Graph masks fill `query_mask`/`value_mask`/`key_mask` left as None."""
        for name in _TENSOR_ARGS:
            if name in masks and bound.get(f"{name}_mask") is None:
                bound[f"{name}_mask"] = masks[name]

    def compute_mask(self, inputs, previous_mask=None):
        """The output mask is the query's mask (the first tensor the layer got)."""
        if isinstance(previous_mask, (list, tuple)):
            return previous_mask[0] if previous_mask else None
        return previous_mask

    # ----- masks -------------------------------------------------------------------
    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        """The `(B, T, S)`-broadcastable boolean mask from the query mask
        `(B, T)`, value and key masks `(B, S)`, the causal and sliding-window
        masks and an explicit `attention_mask`, combined with AND."""
        auto = None
        if query_mask is not None:
            auto = AM.as_bool_mask(query_mask)[..., None]
        if value_mask is not None:
            auto = AM.combine(auto, np.expand_dims(AM.as_bool_mask(value_mask), -2))
        if key_mask is not None:
            auto = AM.combine(auto, np.expand_dims(AM.as_bool_mask(key_mask), -2))
        q_len, v_len = np.shape(getval(query))[1], np.shape(getval(value))[1]
        if use_causal_mask:
            auto = AM.combine(auto, AM.causal_mask(q_len, v_len))
        if self._window() is not None:
            auto = AM.combine(auto, AM.sliding_window_mask(q_len, v_len, self._window()))
        attention_mask = AM.as_bool_mask(attention_mask)
        if auto is not None:
            attention_mask = auto if attention_mask is None else np.logical_and(attention_mask,
                                                                               auto)
        return attention_mask

    def _compute_causal_mask(self, query, value=None):
        """`(1, T, S)` lower-triangular boolean mask."""
        q_len = np.shape(getval(query))[1]
        v_len = q_len if value is None else np.shape(getval(value))[1]
        return AM.causal_mask(q_len, v_len)

    def _window(self):
        return None

    # ----- sublayers -------------------------------------------------------------------
    def _common_sublayer_kwargs(self, kernel_initializer, bias_initializer, kernel_regularizer,
                                bias_regularizer, activity_regularizer, kernel_constraint,
                                bias_constraint):
        # Fresh initializer objects per sublayer, so that seeded initializers
        # do not give every projection the same values.
        return dict(
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, dtype=self.dtype,
            kernel_initializer=type(kernel_initializer).from_config(
                kernel_initializer.get_config()),
            bias_initializer=type(bias_initializer).from_config(bias_initializer.get_config()))

    # ----- build config ------------------------------------------------------------------
    def get_build_config(self):
        if self._build_shapes_dict is None:
            return None
        return {"shapes_dict": {k: _to_list_shape(tuple(v))
                                for k, v in self._build_shapes_dict.items()}}

    def build_from_config(self, config):
        if not config or self.built:
            return
        if "shapes_dict" in config:
            shapes = {k: tuple(v) if v is not None else None
                      for k, v in config["shapes_dict"].items()}
        elif "input_shape" in config:
            shape = tuple(config["input_shape"])
            shapes = {"query_shape": shape, "value_shape": shape}
        else:
            return
        self.build(**shapes)
        self._build_shapes_dict = shapes
        self.built = True


def positive_int(value, name, allow_none=False):
    """Raise Keras's ValueError unless `value` is a positive int (or allowed None)."""
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        extra = " or `None`" if allow_none else ""
        raise ValueError(
            f"Received an invalid value for argument `{name}`, expected a positive "
            f"integer{extra}. Received: {name}={value}")


def _leaves(tree):
    if isinstance(tree, (list, tuple)):
        for t in tree:
            yield from _leaves(t)
    elif isinstance(tree, dict):
        for t in tree.values():
            yield from _leaves(t)
    else:
        yield tree


def serialize_common(kernel_initializer, bias_initializer, kernel_regularizer,
                     bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint):
    """The initializer/regularizer/constraint entries of the attention configs."""
    return {
        "kernel_initializer": initializers.serialize(kernel_initializer),
        "bias_initializer": initializers.serialize(bias_initializer),
        "kernel_regularizer": regularizers.serialize(kernel_regularizer),
        "bias_regularizer": regularizers.serialize(bias_regularizer),
        "activity_regularizer": regularizers.serialize(activity_regularizer),
        "kernel_constraint": constraints.serialize(kernel_constraint),
        "bias_constraint": constraints.serialize(bias_constraint),
    }
