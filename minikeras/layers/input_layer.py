"""`InputLayer` and `keras.Input`: the entry points of a Functional graph."""
from minikeras.backend import common
from minikeras.backend.keras_tensor import KerasTensor
from minikeras.layers.layer import Layer


class InputLayer(Layer):
    """The layer behind `keras.Input`: holds the input's shape and dtype.

    Args:
        shape: shape without the batch dimension, e.g. `(28, 28, 1)`.
        batch_size: optional fixed batch size.
        dtype: the input dtype (default `floatx()`).
        batch_shape: full shape including the batch dimension.
        input_tensor: an existing KerasTensor to wrap.
        name: the layer name.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None,
                 ragged=None, batch_shape=None, input_tensor=None, optional=False,
                 name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name or common.unique_name("input_layer"), dtype=dtype, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if input_tensor is not None:
            batch_shape = input_tensor.shape
            dtype = input_tensor.dtype
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype = common.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        from minikeras.models.node import Node
        tensor = (input_tensor if input_tensor is not None
                  else KerasTensor(self._batch_shape, self._dtype, name=self.name))
        Node(self, (), {}, tensor)
        self.output_tensor = tensor

    @property
    def batch_shape(self):
        return self._batch_shape

    def call(self, inputs=None):
        return inputs

    def compute_output_shape(self, input_shape):
        return self._batch_shape

    def get_config(self):
        # A tuple, as Keras 3 returns it (and as load_model gives it back):
        # `config["batch_shape"] == (None, 5, 3)` holds in user code.
        return {"batch_shape": self._batch_shape, "dtype": self._dtype,
                "sparse": self.sparse, "ragged": False, "name": self.name,
                "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
          batch_shape=None, name=None, tensor=None, optional=False):
    """Create a symbolic input for a Functional model.

    Example:

    >>> x = keras.Input(shape=(10,))
    >>> x.shape
    (None, 10)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor,
                       optional=optional)
    return layer.output_tensor
