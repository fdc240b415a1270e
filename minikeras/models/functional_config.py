"""Functional models as Keras 3 configs: the layer graph, both ways.

`functional_get_config` writes the schema of Keras 3's `Functional.get_config`
(`layers` with `inbound_nodes`, `input_layers`, `output_layers`), with the
layers in Keras's order (`keras_layer_order`), so that Keras rebuilds the
same graph and the weight file's `layers/<name>` paths line up.
`functional_from_config` rebuilds a model from such a config, including
Keras 2 configs (`inbound_nodes` as `[layer, node, tensor, kwargs]` lists).
"""
import inspect

from minikeras.backend.keras_tensor import KerasTensor
from minikeras.models.node import map_structure


def is_op_layer(layer):
    """True for the node of a raw op (`x + y`, `ops.relu(x)`): Keras writes it as an
    operation and leaves it out of `model.layers` (so out of the weight file)."""
    return getattr(type(layer), "_keras_op_node", False)


def _node_of(tensor):
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def _graph_nodes(model):
    """Nodes from the model's inputs to its outputs, inputs first (Keras's `_build_map`).

    Returns `(nodes, first_visit_index)`; the index orders layers met at the
    same depth, as Keras does.
    """
    finished, in_progress = set(), set()
    ordered, op_index = [], {}
    input_ids = {id(t) for t in model.inputs}

    def visit(tensor):
        if getattr(tensor, "_keras_history", None) is None:
            return
        layer = tensor._keras_history[0]
        node = _node_of(tensor)
        if id(node) in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return
        if id(node) in in_progress:
            raise ValueError(f"Tensor {tensor} from layer '{layer.name}' is part of a cycle.")
        op_index.setdefault(id(layer), len(op_index))
        in_progress.add(id(node))
        if not node.is_input:
            for t in node.input_tensors:
                visit(t)
        finished.add(id(node))
        in_progress.discard(id(node))
        ordered.append(node)

    for t in model.outputs:
        visit(t)
    return ordered, op_index


def keras_layer_order(model):
    """The model's layers in Keras 3's order (`Functional.layers`).

    Deepest first (depth counted from the outputs), ties broken by the order
    in which a depth-first walk from the outputs first meets each layer.
    The weight file names each layer after its position in this list.
    """
    nodes, op_index = _graph_nodes(model)
    in_graph = {id(n) for n in nodes}
    node_depth, op_depth, layers = {}, {}, {}
    for node in reversed(nodes):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, op_depth.get(id(node.layer), 0))
        op_depth[id(node.layer)] = depth
        layers[id(node.layer)] = node.layer
        node_depth[id(node)] = depth
        for parent in node.parent_nodes:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for t in model.inputs:
        layer = t._keras_history[0]
        if id(layer) not in op_depth and _node_of(t).is_input:
            op_depth[id(layer)] = 0
            op_index[id(layer)] = -1
            layers[id(layer)] = layer
    return sorted(layers.values(),
                  key=lambda l: (-op_depth[id(l)], op_index.get(id(l), -1)))


def _functional_like_constructor(cls):
    from minikeras.models.functional import Functional
    from minikeras.models.model import Model
    init = cls.__init__
    if init in (Functional.__init__, Model.__init__):
        return True
    spec = inspect.getfullargspec(init)
    if spec.args[1:] == inspect.getfullargspec(Functional.__init__).args[1:]:
        return True
    return spec.varargs is not None and spec.varkw is not None


def functional_get_config(model):
    """Keras 3's config of a Functional model (see module docstring)."""
    from minikeras.models.functional import Functional
    from minikeras.models.model import Model
    from minikeras.saving.keras_ops import op_layer_config
    from minikeras.saving.serialization import serialize_keras_object
    if not _functional_like_constructor(type(model)):
        # A subclass with its own constructor serializes like a subclassed model.
        return Model.get_config(model)

    nodes, _ = _graph_nodes(model)
    own = {id(n) for n in nodes}
    layers = keras_layer_order(model)

    def own_index(layer, node_index):
        """The node's index among the nodes of `layer` that belong to this model."""
        return sum(1 for n in layer._inbound_nodes[:node_index] if id(n) not in own)

    reindex = {}
    for layer in layers:
        kept = 1 if isinstance(layer, Functional) else 0
        for node in layer._inbound_nodes:
            if id(node) in own:
                reindex[id(node)] = kept
                kept += 1

    def serialize_arg(x):
        if isinstance(x, KerasTensor) and x._keras_history is not None:
            layer, node_index, tensor_index = x._keras_history
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": list(x.shape), "dtype": x.dtype,
                               "keras_history": [layer.name,
                                                 node_index - own_index(layer, node_index),
                                                 tensor_index]}}
        return serialize_keras_object(x)

    layer_configs = []
    for layer in layers:
        if is_op_layer(layer):
            # A raw op (`x + y`, `ops.concatenate(...)`): written as Keras writes operations.
            nodes = [n for n in layer._inbound_nodes if id(n) in own and not n.is_input]
            layer_configs.append(op_layer_config(layer, nodes, serialize_arg))
            continue
        inbound = []
        for node in layer._inbound_nodes:
            if id(node) not in own or node.is_input:
                continue
            inbound.append({"args": map_structure(serialize_arg, list(node.call_args)),
                            "kwargs": {k: map_structure(serialize_arg, v)
                                       for k, v in node.call_kwargs.items()}})
        layer_config = serialize_keras_object(layer)
        layer_config["name"] = layer.name
        layer_config["inbound_nodes"] = inbound
        layer_configs.append(layer_config)

    def tensor_config(t):
        layer, node_index, tensor_index = t._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) not in reindex:
            raise RuntimeError(f"Internal error: tensor {t} is not part of model {model.name}.")
        return [layer.name, reindex[id(node)], tensor_index]

    return {"name": model.name, "trainable": model.trainable, "layers": layer_configs,
            "input_layers": map_structure(tensor_config, model._inputs_struct),
            "output_layers": map_structure(tensor_config, model._outputs_struct)}


def functional_from_config(cls, config, custom_objects=None):
    """Rebuild a Functional model (or a functional subclass `cls`) from its config."""
    from minikeras.layers.layer import Layer
    from minikeras.models.functional import Functional
    from minikeras.saving.keras_ops import OpReplay, is_op_config
    from minikeras.saving.serialization import deserialize_keras_object

    config = dict(config)
    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"Invalid Functional model config: missing key '{key}'. "
                             f"Received keys: {sorted(config)}")
    layers_data = config.pop("layers")
    input_layers = config.pop("input_layers")
    output_layers = config.pop("output_layers")
    name = config.pop("name", None)
    trainable = config.pop("trainable", None)
    for legacy in ("dtype", "build_input_shape"):
        config.pop(legacy, None)

    created = {}
    pending = {}
    order = []
    for layer_data in layers_data:
        layer_name = layer_data.get("name") or layer_data.get("config", {}).get("name")
        if is_op_config(layer_data):
            # A Keras operation (`Add`, `GetItem`, `Concatenate`, ...): replayed by
            # calling the minikeras function when its node's inputs exist.
            created[layer_name] = OpReplay(layer_data)
            order.append(layer_name)
            pending[layer_name] = list(layer_data.get("inbound_nodes") or [])
            continue
        layer = deserialize_keras_object(layer_data, custom_objects=custom_objects)
        if not isinstance(layer, Layer):
            raise ValueError("Unexpected object from deserialization, expected a layer, "
                             f"got a {type(layer)} for layer '{layer_name}'.")
        created[layer_name] = layer
        order.append(layer_name)
        pending[layer_name] = list(layer_data.get("inbound_nodes") or [])

    while any(pending.values()):
        progressed = False
        for layer_name in order:
            queue = pending[layer_name]
            while queue:
                try:
                    args, kwargs = _deserialize_node(queue[0], created)
                except IndexError:
                    break
                created[layer_name](*args, **kwargs)
                queue.pop(0)
                progressed = True
        if not progressed:
            raise ValueError(
                "Invalid Functional model configuration. The graph of the Functional "
                "model either has loops or disconnected nodes. The following nodes "
                f"failed to be resolved: { {k: v for k, v in pending.items() if v} }")

    def get_tensor(layer_name, node_index, tensor_index):
        if layer_name not in created:
            raise ValueError(f"Invalid Functional model configuration: unknown layer "
                             f"'{layer_name}' in input_layers/output_layers.")
        layer = created[layer_name]
        if isinstance(layer, Functional):
            node_index -= 1  # Keras counts a Functional's own construction node
        try:
            return layer._inbound_nodes[node_index].output_tensors[tensor_index]
        except IndexError:
            raise ValueError(f"Invalid Functional model configuration: layer '{layer_name}' "
                             f"has no output {tensor_index} at node {node_index}.") from None

    def map_tensors(tensors):
        if (isinstance(tensors, list) and len(tensors) in (3, 4)
                and isinstance(tensors[0], str)):
            return get_tensor(*tensors[:3])
        if isinstance(tensors, dict):
            return {k: map_tensors(v) for k, v in tensors.items()}
        if isinstance(tensors, tuple):
            return tuple(map_tensors(v) for v in tensors)
        return [map_tensors(v) for v in tensors]

    kwargs = {"name": name}
    if trainable is not None:
        kwargs["trainable"] = trainable
    model = cls(inputs=map_tensors(input_layers), outputs=map_tensors(output_layers),
                **kwargs, **config)
    return model


def _deserialize_node(node_data, created):
    """`(args, kwargs)` for replaying one layer call; IndexError if not ready yet."""
    from minikeras.saving.serialization import deserialize_keras_object
    if not node_data:
        return [], {}
    if isinstance(node_data, list):
        # Keras 2: [[layer_name, node_index, tensor_index, kwargs], ...]
        tensors, kwargs = [], {}
        for entry in node_data:
            layer_name, node_index, tensor_index = entry[:3]
            if len(entry) == 4:
                kwargs = entry[3] or {}
            if layer_name not in created:
                raise ValueError(f"Invalid Functional model configuration. Missing node: "
                                 f"{layer_name}")
            layer = created[layer_name]
            if len(layer._inbound_nodes) <= node_index:
                raise IndexError(f"Layer {layer_name} has no node {node_index} yet.")
            tensors.append(layer._inbound_nodes[node_index].output_tensors[tensor_index])
        return [tensors[0] if len(tensors) == 1 else tensors], dict(kwargs)

    args = deserialize_keras_object(node_data.get("args", []))
    kwargs = deserialize_keras_object(node_data.get("kwargs", {}))

    def revive(x):
        if isinstance(x, KerasTensor):
            history = getattr(x, "_pre_serialization_keras_history", None)
            if history is None:
                return x
            layer = created.get(history[0])
            if layer is None:
                raise ValueError(f"Unknown layer: {history[0]}")
            if len(layer._inbound_nodes) <= history[1]:
                raise IndexError(f"Layer {history[0]} has no node {history[1]} yet.")
            return layer._inbound_nodes[history[1]].output_tensors[history[2]]
        return x

    return map_structure(revive, args), {k: map_structure(revive, v) for k, v in kwargs.items()}
