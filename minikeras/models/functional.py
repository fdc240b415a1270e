"""`Functional`: a model defined by a graph of layer calls on KerasTensors."""
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer, warn_if_mask_dropped
from minikeras.losses.loss import set_loss_mask
from minikeras.models.model import Model
from minikeras.models.node import adjust_input_rank, cast_to_input_dtype, flatten, map_structure


def _pack(structure, flat):
    it = iter(flat)

    def rebuild(s):
        if isinstance(s, (list, tuple)):
            return type(s)(rebuild(x) for x in s)
        if isinstance(s, dict):
            return {k: rebuild(v) for k, v in s.items()}
        return next(it)
    return rebuild(structure)


def _nodes_between(inputs, outputs):
    """The nodes that compute `outputs` from `inputs`, in execution order
    (the node that made an input is included, not what comes before it)."""
    input_ids = {id(t) for t in inputs}
    order, state = [], {}

    def visit(tensor):
        hist = tensor._keras_history
        if hist is None:
            raise ValueError(f"Tensor {tensor} was not produced by a Keras layer call.")
        node = hist[0]._inbound_nodes[hist[1]]
        key = id(node)
        if state.get(key) == "done":
            return
        if state.get(key) == "active":
            raise ValueError("The Functional graph has a cycle.")
        state[key] = "active"
        if id(tensor) not in input_ids:
            if node.is_input:
                raise ValueError(
                    f"Graph disconnected: cannot find a path to tensor {tensor} from the "
                    f"given model inputs {[t.name for t in inputs]}. The input "
                    f"'{tensor.name}' is used but was not passed to `Model(inputs=...)`.")
            for t in node.input_tensors:
                visit(t)
        state[key] = "done"
        order.append(node)

    for t in outputs:
        visit(t)
    return order


def _is_input_tensor(tensor):
    hist = tensor._keras_history
    return hist is not None and hist[0]._inbound_nodes[hist[1]].is_input


def _clone_from_inputs(inputs, outputs):
    """A graph from new `Input`s standing for intermediate input tensors.

    `keras.Model(inputs=encoded_features, outputs=...)` (the FeatureSpace
    example) starts a model in the middle of another graph. As Keras does,
    each such input becomes an `Input` named `<tensor name>CLONE`, and the
    layers between the inputs and the outputs are called again on it (each
    layer gets a new node); the model is the graph from those `Input`s.
    """
    from minikeras.layers.input_layer import Input
    flat_in, flat_out = flatten(inputs), flatten(outputs)
    for t in flat_in + flat_out:
        if getattr(t, "_keras_history", None) is None:
            raise ValueError(f"Tensor {t} was not produced by a Keras layer call.")
    values, clones = {}, []
    for t in flat_in:
        clone = t if _is_input_tensor(t) else Input(batch_shape=t.shape, dtype=t.dtype,
                                                    name=f"{t.name}CLONE")
        values[id(t)] = clone
        clones.append(clone)

    def fetch(x):
        return values[id(x)] if isinstance(x, KerasTensor) else x

    for node in _nodes_between(flat_in, flat_out):
        if any(id(t) in values for t in node.output_tensors):
            continue  # an input (or the node that made it): its value is the clone
        out = node.layer(*map_structure(fetch, node.call_args),
                         **{k: map_structure(fetch, v) for k, v in node.call_kwargs.items()})
        for t, v in zip(node.output_tensors, flatten(out)):
            values[id(t)] = v
    return _pack(inputs, clones), _pack(outputs, [values[id(t)] for t in flat_out])


class Functional(Model):
    """A model whose layers form a directed acyclic graph from `inputs` to `outputs`.

    Created by `keras.Model(inputs, outputs)`; `inputs` and `outputs` may be
    single KerasTensors, lists or dicts of them.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, dict):
            for k, t in inputs.items():
                if not isinstance(t, KerasTensor):
                    raise ValueError(f"Input '{k}' of a Functional model must be a KerasTensor "
                                     f"from `keras.Input`; received {type(t).__name__}.")
        flat_in = flatten(inputs)
        flat_out = flatten(outputs)
        for t in flat_in + flat_out:
            if not isinstance(t, KerasTensor):
                raise ValueError(
                    "All `inputs` and `outputs` values of a Functional model must be "
                    f"KerasTensors (from `keras.Input` and layer calls). Received: {t} "
                    f"(of type {type(t).__name__})")
        if not all(_is_input_tensor(t) for t in flat_in):
            inputs, outputs = _clone_from_inputs(inputs, outputs)
            flat_in, flat_out = flatten(inputs), flatten(outputs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = flat_in
        self.outputs = flat_out
        self._nodes = self._collect_nodes()
        from minikeras.models.functional_config import keras_layer_order
        self._functional_layers = keras_layer_order(self)
        self._has_masking = any(
            type(l).compute_mask is not Layer.compute_mask or l.supports_masking
            for l in self._functional_layers)
        self.built = True

    def _collect_nodes(self):
        """Nodes from the inputs to the outputs in execution order."""
        return _nodes_between(self.inputs, self.outputs)

    @property
    def operations(self):
        """Every operation of the graph: layers and raw-op nodes, in Keras's order."""
        return list(self._functional_layers)

    @property
    def layers(self):
        """The model's layers (raw-op nodes such as `x + y` are not listed, as in Keras)."""
        from minikeras.models.functional_config import is_op_layer
        return [l for l in self._functional_layers if not is_op_layer(l)]

    @property
    def output_names(self):
        """Names of the layers producing the outputs, in output order."""
        return [t._keras_history[0].name for t in self.outputs]

    @property
    def input_names(self):
        return [t._keras_history[0].name for t in self.inputs]

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    def _flatten_inputs(self, inputs):
        if isinstance(inputs, dict):
            names = [t._keras_history[0].name for t in self.inputs]
            if isinstance(self._inputs_struct, dict):
                keys = list(self._inputs_struct.keys())
                missing = [k for k in keys if k not in inputs]
                if not missing:
                    return [inputs[k] for k in keys]
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(
                    f"Missing data for input(s) {missing}. The model expects inputs named "
                    f"{names}; received keys {list(inputs.keys())}.")
            return [inputs[n] for n in names]
        flat = flatten(inputs)
        if len(flat) != len(self.inputs):
            raise ValueError(
                f'Layer "{self.name}" expects {len(self.inputs)} input(s), but it received '
                f"{len(flat)} input tensors.")
        return flat

    def _check_input_shapes(self, flat):
        """Keras's Functional input spec: each input's shape must agree with its
        `Input` (batch axis free), a trailing axis of 1 being ignored on either side.

        Only the axes both shapes have are compared, as in Keras; rank mismatches
        are left to `adjust_input_rank`.
        """
        for i, (t, x) in enumerate(zip(self.inputs, flat)):
            shape = getattr(x, "shape", None)
            if shape is None or t.shape is None:
                continue
            spec = (None,) + tuple(t.shape[1:]) if len(t.shape) else ()
            got, want = tuple(shape), spec
            if got and got[-1] == 1:
                got = got[:-1]
            if want and want[-1] == 1:
                want = want[:-1]
            for w, g in zip(want, got):
                if w is not None and g is not None and w != g:
                    raise ValueError(
                        f"Input {i} with name '{t.name}' of layer '{self.name}' is "
                        f"incompatible with the layer: expected shape={spec}, "
                        f"found shape={got}")

    def call(self, inputs, training=None, mask=None):
        values = {}
        flat = self._flatten_inputs(inputs)
        self._check_input_shapes(flat)
        for t, v in zip(self.inputs, flat):
            values[id(t)] = adjust_input_rank(cast_to_input_dtype(v, t), t)
        masks = {}
        if mask is not None:
            for t, m in zip(self.inputs, flatten(mask)):
                masks[id(t)] = m
        has_masking = self._has_masking

        def fetch(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._nodes:
            if node.is_input:
                continue
            layer = node.layer
            args = map_structure(fetch, node.call_args)
            kwargs = {k: map_structure(fetch, v) for k, v in node.call_kwargs.items()}
            if training is not None and layer._call_has_training and "training" not in kwargs:
                kwargs["training"] = training
            in_mask = None
            if has_masking:
                in_masks = [masks.get(id(t)) for t in node.input_tensors]
                if any(m is not None for m in in_masks):
                    in_mask = in_masks[0] if len(in_masks) == 1 else in_masks
                    warn_if_mask_dropped(layer, in_masks[0])
                    if layer._call_has_mask and "mask" not in kwargs:
                        kwargs["mask"] = in_mask
            out = layer(*args, **kwargs)
            for t, v in zip(node.output_tensors, flatten(out)):
                values[id(t)] = v
            if has_masking:
                first = args[0] if args else None
                out_mask = layer.compute_mask(first, in_mask)
                if out_mask is not None:
                    for t, m in zip(node.output_tensors,
                                    out_mask if isinstance(out_mask, (list, tuple)) else [out_mask] * len(node.output_tensors)):
                        masks[id(t)] = m
        if has_masking:
            # The outputs' masks go with them to the compiled losses and metrics,
            # which then leave masked steps out (Keras's `_keras_mask`).
            for t in self.outputs:
                if masks.get(id(t)) is not None:
                    set_loss_mask(values[id(t)], masks[id(t)])
        return _pack(self._outputs_struct, [values[id(t)] for t in self.outputs])

    def compute_output_spec(self, *args, **kwargs):
        if args:
            self._check_input_shapes(self._flatten_inputs(args[0]))
        return map_structure(lambda t: KerasTensor(t.shape, t.dtype), self._outputs_struct)

    def compute_output_shape(self, input_shape):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def get_config(self):
        from minikeras.models.functional_config import functional_get_config
        return functional_get_config(self)


def functional_from_config(cls, config, custom_objects=None):
    from minikeras.models.functional_config import functional_from_config as build
    return build(cls, config, custom_objects)
