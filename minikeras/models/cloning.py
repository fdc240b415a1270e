"""`clone_model`: the same architecture with new layers (and new weights)."""
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.models.node import flatten, map_structure


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """Clone a Functional or Sequential `Model` instance.

    Model cloning is similar to calling a model on new inputs, except that it
    creates new layers (and thus new weights) instead of sharing the weights
    of the existing layers.

    Args:
        model: Instance of `Model` (Functional, Sequential or subclassed).
        input_tensors: optional list of input tensors to build the model
            upon. If not provided, new `Input` objects are created.
        clone_function: callable `fn(layer)` returning the layer to use in
            the copy (default: `layer.__class__.from_config(layer.get_config())`).
        call_function: callable `fn(layer, *args, **kwargs)` calling each
            cloned layer (Functional models only).
        recursive: whether to also clone the layers of nested models with
            `clone_function` (otherwise nested models are cloned whole).

    Returns:
        A new model; it is compiled like `model` if `model` was compiled.

    Example:

    ```python
    new_model = keras.models.clone_model(model)
    new_model.set_weights(model.get_weights())
    ```
    """
    from minikeras.models.functional import Functional
    from minikeras.models.sequential import Sequential
    from minikeras.saving.serialization import deserialize_keras_object, serialize_keras_object

    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs.keys())}")
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(
                "`call_function` argument is not supported with Sequential models.  In a "
                "Sequential model, layers aren't called at model-construction time (they're "
                "merely listed). Use `call_function` with Functional models only. Received "
                f"model of type '{type(model).__name__}', with call_function={call_function}")
        fn = _wrap(clone_function, call_function, recursive, cache)
        return _clone_sequential(model, fn, input_tensors)
    if isinstance(model, Functional):
        fn = _wrap(clone_function, call_function, recursive, cache)
        return _clone_functional(model, fn, input_tensors, call_function)
    if clone_function or input_tensors:
        raise ValueError(
            "Arguments `clone_function` and `input_tensors` are only supported for "
            "Sequential models or Functional models. Received model of type "
            f"'{type(model).__name__}', with clone_function={clone_function} and "
            f"input_tensors={input_tensors}")
    if call_function is not None:
        raise ValueError(
            "Argument `call_function` is only supported for Functional models. Received "
            f"model of type '{type(model).__name__}', with call_function={call_function}")
    config = serialize_keras_object(model)
    return deserialize_keras_object(config, custom_objects={type(model).__name__: type(model)})


def _default_clone(layer):
    return layer.__class__.from_config(layer.get_config())


def _wrap(clone_function, call_function, recursive, cache):
    """Clone each layer once (shared layers stay shared) and recurse if asked."""
    from minikeras.models.functional import Functional
    from minikeras.models.sequential import Sequential
    clone_function = clone_function or _default_clone
    cache = {} if cache is None else cache
    if not callable(clone_function):
        raise ValueError("Expected `clone_function` argument to be a callable. "
                         f"Received: clone_function={clone_function}")

    def wrapped(layer):
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, (Sequential, Functional)):
            clone = clone_model(layer, clone_function=clone_function,
                                call_function=None if isinstance(layer, Sequential)
                                else call_function, recursive=True, cache=cache)
        else:
            clone = clone_function(layer)
        cache[id(layer)] = clone
        return clone
    return wrapped


def _compile_like(new_model, model):
    if getattr(model, "compiled", False):
        new_model.compile_from_config(model.get_compile_config())
    return new_model


def _clone_sequential(model, clone_function, input_tensors):
    from minikeras.layers.input_layer import Input
    from minikeras.models.sequential import Sequential
    new_layers = [clone_function(layer) for layer in model.layers]
    ref = model._input_layer
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)):
            if len(input_tensors) != 1:
                raise ValueError("Argument `input_tensors` must contain a single tensor.")
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError("Argument `input_tensors` must be a KerasTensor. Received "
                             f"invalid value: input_tensors={input_tensors}")
        from minikeras.layers.input_layer import InputLayer
        history = getattr(input_tensors, "_keras_history", None)
        if history is not None and isinstance(history[0], InputLayer):
            new_layers = [history[0]] + new_layers  # already an `Input`: use its layer
        else:
            new_layers = [Input(tensor=input_tensors,
                                name=ref.name if ref is not None else None)] + new_layers
    elif ref is not None:
        new_layers = [Input(batch_shape=ref.batch_shape, dtype=ref.dtype, name=ref.name,
                            optional=getattr(ref, "optional", False))] + new_layers
    clone = Sequential(new_layers, name=model.name, trainable=model.trainable)
    return _compile_like(clone, model)


def _clone_functional(model, clone_function, input_tensors, call_function):
    from minikeras.layers.input_layer import Input
    from minikeras.models.functional import Functional
    from minikeras.models.functional_config import _functional_like_constructor
    if input_tensors is not None:
        flat = flatten(input_tensors)
        if not all(isinstance(x, KerasTensor) for x in flat):
            raise ValueError("All entries in `input_tensors` must be KerasTensors. Received "
                             f"invalid values: inputs_tensors={input_tensors}")
        if len(flat) != len(model.inputs):
            raise ValueError("`input_tensors` must have the same structure as model.input\n"
                             f"Reference structure: {model.input}\n"
                             f"Received structure: {input_tensors}")
    else:
        input_tensors = map_structure(
            lambda x: Input(batch_shape=x.shape, dtype=x.dtype, name=x.name), model.input)
    values = {id(t): new for t, new in zip(model.inputs, flatten(input_tensors))}

    def fetch(x):
        return values[id(x)] if isinstance(x, KerasTensor) and id(x) in values else x

    from minikeras.models.functional_config import is_op_layer
    clones = {}  # one copy per layer, so a shared layer stays shared in the copy
    for node in model._nodes:
        if node.is_input:
            continue
        if is_op_layer(node.layer):
            layer = node.layer  # raw ops hold no state: reused, as Keras does
        else:
            if id(node.layer) not in clones:
                clones[id(node.layer)] = clone_function(node.layer)
            layer = clones[id(node.layer)]
        args = map_structure(fetch, node.call_args)
        kwargs = {k: map_structure(fetch, v) for k, v in node.call_kwargs.items()}
        out = call_function(layer, *args, **kwargs) if call_function else layer(*args, **kwargs)
        for t, new in zip(node.output_tensors, flatten(out)):
            values[id(t)] = new
    outputs = map_structure(lambda t: values[id(t)], model._outputs_struct)
    cls = type(model) if _functional_like_constructor(type(model)) else Functional
    return _compile_like(cls(input_tensors, outputs, name=model.name), model)
