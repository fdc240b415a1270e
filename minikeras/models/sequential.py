"""`Sequential`: a plain stack of layers, one input and one output."""
from minikeras.backend import common
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.input_layer import InputLayer
from minikeras.layers.layer import Layer, warn_if_mask_dropped
from minikeras.losses.loss import set_loss_mask
from minikeras.models.model import Model
from minikeras.models.node import adjust_input_rank, cast_to_input_dtype


class Sequential(Model):
    """A linear stack of layers.

    The input shape comes from a first `keras.Input(shape)` (or an
    `input_shape=` argument on the first layer); without one the model is
    built when it first sees data.

    Example:

    ```python
    model = keras.Sequential()
    model.add(keras.Input(shape=(16,)))
    model.add(keras.layers.Dense(8, activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer="sgd", loss="mse")
    ```
    """

    def __init__(self, layers=None, trainable=True, name=None):
        Model.__init__(self, trainable=trainable, name=name)
        self._stack = []
        self._input_layer = None
        self._graph_outputs = None
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Append a layer (or a `keras.Input`) to the stack."""
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer} (of type {type(layer)})")
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(
                    "Sequential model '{}' has already been configured to use input shape "
                    "{}. You cannot add a different Input layer to it.".format(
                        self.name, self._input_layer.batch_shape if self._input_layer else None))
            self._input_layer = layer
        else:
            names = {l.name for l in self._stack}
            if layer.name in names:
                raise ValueError(
                    "All layers added to a Sequential model should have unique names. Name "
                    f"'{layer.name}' is already the name of a layer in this model. Update "
                    "the `name` argument to pass a unique name.")
            if not self._stack and self._input_layer is None and layer._batch_input_shape is not None:
                self._input_layer = InputLayer(batch_shape=layer._batch_input_shape)
            self._stack.append(layer)
        self.built = False
        self._all_layers_built = False
        self._graph_outputs = None
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Remove and return the last layer."""
        if not self._stack:
            # IndexError, as Keras 3's list pop raises (Keras 2 raised TypeError).
            raise IndexError("There are no layers in the model.")
        layer = self._stack.pop()
        self.built = False
        self._graph_outputs = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        if self._input_layer is not None and self._stack:
            self.build(self._input_layer.batch_shape)
        elif len(self._stack) > 1 and isinstance(self._stack[0], Model):
            # As Keras: a first layer that knows its input shape (a built model, as in
            # `Sequential([model, Softmax()])`) builds the stack at once.
            try:
                input_shape = self._stack[0].input_shape
            except (AttributeError, ValueError):
                return
            if isinstance(input_shape, tuple):
                self.build(input_shape)

    @property
    def layers(self):
        return list(self._stack)

    @property
    def _layers(self):
        return list(self._stack)

    def build(self, input_shape=None):
        """Build every layer by tracing shapes from `input_shape` (batch first)."""
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if isinstance(input_shape, list) and input_shape and isinstance(input_shape[0], (list, tuple)):
            input_shape = input_shape[0]
        input_shape = tuple(input_shape)
        if self._input_layer is None or self._input_layer.batch_shape != input_shape:
            self._input_layer = InputLayer(batch_shape=input_shape)
        x = self._input_layer.output_tensor
        self._graph_outputs = []
        for layer in self._stack:
            x = layer(x)
            self._graph_outputs.append(x)
        self._build_shapes = input_shape
        self.built = True
        # Keras wraps the built stack in an inner Functional model, which takes
        # the next "functional" name: a `keras.Model(...)` made after a built
        # Sequential is "functional_1" there, so the counter moves here too.
        common.get_uid("functional")

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if self._input_layer is not None:
            t = self._input_layer.output_tensor
            if isinstance(x, dict):
                # As Keras's inner Functional model: a dict keyed by the Input's
                # name is that input (e.g. a generator yielding `{"feat": x}, y`).
                if len(x) != 1 or self._input_layer.name not in x:
                    raise ValueError(
                        f"The structure of `inputs` doesn't match the expected structure. "
                        f"Expected: {self._input_layer.name!r}; received a dict with keys "
                        f"{list(x.keys())}.")
                x = x[self._input_layer.name]
            x = cast_to_input_dtype(x, t)
            # Keras runs a built Sequential through its inner Functional, which adds
            # or drops a trailing unit axis: `predict(column)` on `input_shape=[1]`.
            x = adjust_input_rank(x, t)
        for layer in self._stack:
            kwargs = {}
            if layer._call_has_mask and mask is not None:
                kwargs["mask"] = mask
            x_in = x
            warn_if_mask_dropped(layer, mask)
            x = layer(x, **kwargs)
            if mask is not None or type(layer).compute_mask is not Layer.compute_mask:
                mask = layer.compute_mask(x_in, mask)
        if mask is not None:
            set_loss_mask(x, mask)  # losses and metrics leave masked steps out
        return x

    def _maybe_build(self, args, kwargs):
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()))
        shape = tuple(getattr(first, "shape", ()))
        self.build((None,) + shape[1:])

    @property
    def inputs(self):
        return [self._input_layer.output_tensor] if self._input_layer is not None and self.built else None

    @inputs.setter
    def inputs(self, value):
        pass

    @property
    def outputs(self):
        return [self._graph_outputs[-1]] if self._graph_outputs else None

    @outputs.setter
    def outputs(self, value):
        pass

    @property
    def output_names(self):
        return [self._stack[-1].name] if self._stack else []

    @property
    def input_shape(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input shape yet.")
        return self._input_layer.batch_shape

    @property
    def output_shape(self):
        if not self._graph_outputs:
            raise AttributeError(f"Sequential model '{self.name}' has no defined output shape yet.")
        return self._graph_outputs[-1].shape

    @property
    def input(self):
        # Called on a symbolic tensor (nested in another model): the tensor of that first
        # call, as Keras 3 gives, so `Model(outer.input, outer.get_layer("inner").output)`
        # stays connected. Never called but built: our own symbolic input, where Keras 3.15
        # raises; tf.keras-era code relies on it. Unbuilt: Keras's AttributeError.
        if self._inbound_nodes:
            return Layer.input.fget(self)
        if self._input_layer is None:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined input.")
        return self._input_layer.output_tensor

    @property
    def output(self):
        if self._inbound_nodes:
            return Layer.output.fget(self)
        if not self._graph_outputs:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined output.")
        return self._graph_outputs[-1]

    def compute_output_shape(self, input_shape):
        shape = input_shape
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape

    def compute_output_spec(self, *args, **kwargs):
        x = args[0]
        if not self.built:
            self.build(x.shape)
        out = self._graph_outputs[-1]
        return KerasTensor((x.shape[0],) + tuple(out.shape[1:]), out.dtype)

    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        layers = []
        if self._input_layer is not None:
            layers.append(serialize_keras_object(self._input_layer))
        layers.extend(serialize_keras_object(l) for l in self._stack)
        config = {"name": self.name, "trainable": self.trainable, "dtype": None,
                  "layers": layers}
        if self._build_shapes is not None:
            config["build_input_shape"] = list(self._build_shapes)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from minikeras.saving.serialization import deserialize_keras_object
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config["layers"]:
            layer = deserialize_keras_object(layer_config, custom_objects=custom_objects)
            model.add(layer, rebuild=False)
        model._maybe_rebuild()
        if not model.built and config.get("build_input_shape"):
            model.build(tuple(config["build_input_shape"]))
        return model
