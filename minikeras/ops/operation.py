"""`Operation` (the base of every Layer) and `Function` (a callable graph)."""
from minikeras.backend import common


class Operation:
    """Base class of everything that can be called on tensors and KerasTensors.

    Subclasses implement `call`; `compute_output_spec` gives the output's
    shape/dtype for symbolic inputs.
    """

    def __init__(self, name=None):
        self.name = common.check_name(
            name or common.unique_name(common.to_snake_case(type(self).__name__)))

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement `call()`.")

    def symbolic_call(self, *args, **kwargs):
        return self.compute_output_spec(*args, **kwargs)

    def compute_output_spec(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} must implement `compute_output_spec()` to be called on "
            "symbolic tensors.")

    def quantized_call(self, *args, **kwargs):
        raise NotImplementedError("Quantized calls are not supported by minikeras.")

    def rematerialized_call(self, call_fn, *args, **kwargs):
        return lambda *a, **k: call_fn(*a, **k)

    def get_config(self):
        """The name, plus the constructor arguments when they were recorded."""
        config = {"name": self.name}
        auto = getattr(self, "_auto_config", None)
        if auto is not None:
            config.update(getattr(auto, "config", auto))
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Function:
    """A graph of layer calls from `inputs` to `outputs`, callable on arrays.

    Like a Functional model without the training API.

    Example:

    ```python
    x = keras.Input((3,))
    y = keras.layers.Dense(2)(x)
    fn = keras.Function(x, y)
    fn(np.ones((1, 3)))
    ```
    """

    def __init__(self, inputs, outputs, name=None):
        from minikeras.models.functional import Functional
        self._graph = Functional(inputs, outputs, name=name)
        self.name = self._graph.name

    def __call__(self, inputs):
        return self._graph(inputs)

    def call(self, inputs):
        """Run the graph on new inputs."""
        return self._graph(inputs)

    def compute_output_shape(self, input_shape):
        return self._graph.compute_output_shape(input_shape)

    def get_config(self):
        """The graph's config, in the Functional model's format."""
        return self._graph.get_config()

    @classmethod
    def from_config(cls, config):
        from minikeras.models.functional import Functional
        graph = Functional.from_config(config)
        return cls(graph.input, graph.output, name=config.get("name"))

    @property
    def inputs(self):
        return self._graph.inputs

    @property
    def outputs(self):
        return self._graph.outputs

    @property
    def input(self):
        return self._graph.input

    @property
    def output(self):
        return self._graph.output

    @property
    def operations(self):
        return self._graph.layers

    def compute_output_spec(self, inputs):
        return self._graph.compute_output_spec(inputs)

    def symbolic_call(self, inputs):
        return self._graph(inputs)

    def quantized_call(self, *args, **kwargs):
        raise NotImplementedError("Quantized calls are not supported by minikeras.")

    def rematerialized_call(self, call_fn, *args, **kwargs):
        return lambda *a, **k: call_fn(*a, **k)


class Quantizer:
    """Base class of quantizers; quantization is not supported by minikeras."""

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        raise NotImplementedError("Quantization is not supported by minikeras.")

    def get_config(self):
        return {"output_dtype": self.output_dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
