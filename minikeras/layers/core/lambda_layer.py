"""`Lambda`: wraps an arbitrary expression as a layer."""
import inspect

from minikeras.layers.layer import Layer


class Lambda(Layer):
    """Wraps an arbitrary function (written with `keras.ops`) as a layer.

    Args:
        function: called as `function(inputs, **arguments)`; it also gets
            `mask` and `training` if its signature names them.
        output_shape: the output shape (tuple) or a function of the input
            shape; inferred by running the function when omitted.
        mask: a mask, or a function `(inputs, mask) -> mask`.
        arguments: extra keyword arguments for `function`.

    Example:

    >>> double = keras.layers.Lambda(lambda x: 2 * x)
    >>> double(np.ones((1, 2)))
    array([[2., 2.]], dtype=float32)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Argument `function` must be callable. Received: {function}")
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        self._fn_takes_mask = "mask" in params
        self._fn_takes_training = "training" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            from minikeras.layers.layer import _infer_by_running
            return _infer_by_running(self, args, kwargs)
        from minikeras.layers.layer import _shape_of, _spec_from_shapes
        in_shape = _shape_of(args[0])
        if callable(self._output_shape):
            shape = self._output_shape(in_shape)
        else:
            batch = in_shape[0] if isinstance(in_shape, tuple) else None
            shape = (batch,) + tuple(self._output_shape)
        return _spec_from_shapes(shape, self._dtype)

    def compute_output_shape(self, input_shape):
        """The shape given as `output_shape`, or inferred by running the function."""
        from minikeras.backend.keras_tensor import KerasTensor
        from minikeras.layers.layer import _shape_of
        from minikeras.models.node import map_structure

        def spec(shape):
            return KerasTensor(shape)
        is_single = isinstance(input_shape, tuple) and all(
            d is None or isinstance(d, int) for d in input_shape)
        inputs = spec(input_shape) if is_single else map_structure(
            lambda s: s, [spec(tuple(s)) for s in input_shape])
        return _shape_of(self.compute_output_spec(inputs))

    def get_config(self):
        from minikeras.layers.core._function_config import serialize_function
        config = Layer.get_config(self)
        for key in ("function", "arguments", "output_shape", "mask"):
            config.pop(key, None)
        config["function"] = serialize_function(self.function)
        config["arguments"] = self.arguments
        if self._output_shape is not None:
            config["output_shape"] = (serialize_function(self._output_shape)
                                      if callable(self._output_shape) else list(self._output_shape))
        if self.mask is not None:
            config["mask"] = serialize_function(self.mask) if callable(self.mask) else self.mask
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        from minikeras.layers.core._function_config import deserialize_function
        config = dict(config)
        config["function"] = deserialize_function(config["function"], custom_objects, safe_mode)
        if isinstance(config.get("output_shape"), dict):
            config["output_shape"] = deserialize_function(config["output_shape"], custom_objects, safe_mode)
        elif isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        if isinstance(config.get("mask"), dict):
            config["mask"] = deserialize_function(config["mask"], custom_objects, safe_mode)
        return super().from_config(config)


# Python operator -> (keras.ops function, operands reversed?), as Keras's KerasTensor has them.
_OPERATORS = {
    "__add__": ("add", False), "__radd__": ("add", True),
    "__sub__": ("subtract", False), "__rsub__": ("subtract", True),
    "__mul__": ("multiply", False), "__rmul__": ("multiply", True),
    "__matmul__": ("matmul", False), "__rmatmul__": ("matmul", True),
    "__truediv__": ("true_divide", False), "__rtruediv__": ("true_divide", True),
    "__floordiv__": ("floor_divide", False), "__rfloordiv__": ("floor_divide", True),
    "__mod__": ("mod", False), "__rmod__": ("mod", True),
    "__pow__": ("power", False), "__rpow__": ("power", True),
    "__lt__": ("less", False), "__le__": ("less_equal", False),
    "__gt__": ("greater", False), "__ge__": ("greater_equal", False),
    "__ne__": ("not_equal", False),
    "__and__": ("logical_and", False), "__rand__": ("logical_and", True),
    "__or__": ("logical_or", False), "__ror__": ("logical_or", True),
    "__xor__": ("logical_xor", False), "__rxor__": ("logical_xor", True),
    "__neg__": ("negative", False), "__abs__": ("absolute", False),
    "__invert__": ("logical_not", False), "__getitem__": ("get_item", False),
}


def _operator_node_name(op_name):
    """Keras's name for the node: its operation's class in snake case (`add`, `get_item`)."""
    from minikeras.backend import common
    from minikeras.saving.keras_ops import keras_class_name
    fn_name = _OPERATORS.get(op_name, (None,))[0]
    class_name = keras_class_name("ops", fn_name) if fn_name else None
    return common.unique_name(common.to_snake_case(class_name or "TensorOpLambda"))


def _binary_ops():
    import operator
    names = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
             "lt", "le", "gt", "ge", "xor")
    table = {n: getattr(operator, n) for n in names}
    table.update({"and": operator.and_, "or": operator.or_})
    return table


def _unary_ops():
    import operator
    import numpy as np
    return {"__neg__": operator.neg, "__abs__": operator.abs, "__invert__": operator.invert,
            "__round__": lambda x, ndigits=None: np.round(x, ndigits or 0)}


_BINARY = _binary_ops()
_UNARY = _unary_ops()


class TensorOpLambda(Layer):
    """The layer behind `keras_tensor + 1`, `x[:, 0]`, ...: one Python operator.

    In a saved Functional model it is written as Keras writes that operator
    (an `Add`, `GetItem`, ... operation; see `minikeras.saving.keras_ops`).
    """

    # A raw op: written as a Keras operation, not in Keras's `model.layers`.
    _keras_op_node = True

    def __init__(self, op_name, others=(), **kwargs):
        name = kwargs.pop("name", None) or _operator_node_name(op_name)
        super().__init__(name=name, **kwargs)
        from minikeras.backend.keras_tensor import KerasTensor
        self.op_name = op_name
        self._others = list(others)
        self._symbolic_positions = [i for i, o in enumerate(self._others)
                                    if isinstance(o, KerasTensor)]

    def keras_op_name(self):
        """`("ops", name)`: the keras.ops function Keras records for this operator."""
        if self.op_name not in _OPERATORS:
            return "ops", self.op_name
        return "ops", _OPERATORS[self.op_name][0]

    def keras_op_arguments(self, node):
        """`(args, kwargs)` of the keras.ops call equivalent to a node of this layer."""
        inputs = node.call_args[0]
        if self._symbolic_positions:
            x, others = inputs[0], list(self._others)
            for pos, value in zip(self._symbolic_positions, inputs[1:]):
                others[pos] = value
        else:
            x, others = inputs, list(self._others)
        reverse = _OPERATORS.get(self.op_name, (None, False))[1]
        operands = [x] + others
        return (tuple(reversed(operands)) if reverse else tuple(operands)), {}

    def __call__(self, x, *args, **kwargs):
        from minikeras.backend.keras_tensor import KerasTensor
        if self._symbolic_positions and not args and isinstance(x, KerasTensor):
            tensors = [self._others[i] for i in self._symbolic_positions]
            return super().__call__([x] + tensors)
        return super().__call__(x, *args, **kwargs)

    def call(self, inputs):
        if self._symbolic_positions:
            x, rest = inputs[0], list(inputs[1:])
            others = list(self._others)
            for pos, val in zip(self._symbolic_positions, rest):
                others[pos] = val
        else:
            x, others = inputs, self._others
        name = self.op_name
        if name == "__getitem__":
            return x[others[0]]
        if name in _UNARY:
            return _UNARY[name](x, *others)
        if name.startswith("__r") and name[3:-2] in _BINARY:
            return _BINARY[name[3:-2]](others[0], x)  # reflected: `1 - x`
        return _BINARY[name[2:-2]](x, others[0])
