"""`StackedRNNCells`: several cells behaving as one (each feeds the next)."""
import numpy as np

from minikeras.layers.layer import Layer


def _is_nested(x):
    return isinstance(x, (list, tuple))


class StackedRNNCells(Layer):
    """Wrapper allowing a stack of RNN cells to behave as a single cell.

    Used to implement efficient stacked RNNs: `RNN([cell1, cell2])`. Stacks
    of the built-in cells run cell after cell over the whole sequence, each
    in one fused kernel.

    Args:
        cells: list of RNN cell instances.

    Example:

    ```python
    cells = [keras.layers.LSTMCell(8), keras.layers.LSTMCell(4)]
    rnn = keras.layers.RNN(keras.layers.StackedRNNCells(cells))
    y = rnn(np.zeros((2, 5, 3), "float32"))   # (2, 4)
    ```
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell):
                raise ValueError(
                    "All cells must have a `call` method. "
                    f"Received cell without a `call` method: {cell}")
            if "state_size" not in dir(cell):
                raise ValueError(
                    "All cells must have a `state_size` attribute. "
                    f"Received cell without a `state_size`: {cell}")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        if isinstance(last.state_size, (list, tuple)):
            return last.state_size[0]
        return last.state_size

    def get_initial_state(self, batch_size=None):
        initial_states = []
        for cell in self.cells:
            fn = getattr(cell, "get_initial_state", None)
            if fn:
                initial_states.append(fn(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                initial_states.append(
                    np.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                initial_states.append([np.zeros((batch_size, d), dtype=self.compute_dtype)
                                       for d in cell.state_size])
        return initial_states

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            state_is_list = _is_nested(cell_states)
            cell_states = list(cell_states) if state_is_list else [cell_states]
            if isinstance(cell, Layer) and cell._call_has_training:
                kwargs["training"] = training
            else:
                kwargs.pop("training", None)
            call_fn = cell.__call__ if callable(cell) else cell.call
            inputs, cell_states = call_fn(inputs, cell_states, **kwargs)
            if not _is_nested(cell_states):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not state_is_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            if getattr(cell, "output_size", None) is not None:
                output_dim = cell.output_size
            elif isinstance(cell.state_size, (list, tuple)):
                output_dim = cell.state_size[0]
            else:
                output_dim = cell.state_size
            input_shape = (input_shape[0], output_dim)
        self.built = True

    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        config = super().get_config()
        config["cells"] = [serialize_keras_object(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from minikeras.saving.serialization import deserialize_keras_object
        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects)
                 for c in config.pop("cells")]
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name", "float32")
        return cls(cells, **config)
