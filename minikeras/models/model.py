"""`Model`: a Layer with training (`Trainer`), saving and `summary()`.

`Model(inputs, outputs)` builds a Functional model; subclassing `Model` and
defining `call` gives a subclassed model built on its first call.
"""
import numpy as np

from minikeras.layers.layer import Layer, CTX
from minikeras.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """A model groups layers into an object with training and inference.

    Three ways to build one:

    ```python
    # Functional
    inputs = keras.Input(shape=(10,))
    x = keras.layers.Dense(20, activation="relu")(inputs)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)

    # Subclassing
    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, inputs, training=None):
            return self.dense(inputs)

    # Sequential
    model = keras.Sequential([keras.layers.Dense(1)])
    ```
    """

    def __new__(cls, *args, **kwargs):
        from minikeras.models.functional import Functional
        if _functional_args(args, kwargs) and not issubclass(cls, Functional):
            if cls is Model:
                return Functional.__new__(Functional, *args, **kwargs)
            # A subclass built the functional way: mix Functional in.
            mixed = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
            return Functional.__new__(mixed, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        from minikeras.models.functional import Functional
        if _functional_args(args, kwargs) and isinstance(self, Functional):
            Functional.__init__(self, *args, **kwargs)
            return
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        for legacy in ("autocast",):
            kwargs.pop(legacy, None)
        if kwargs and not args:
            # Keras 3 (Layer.__init__) raises ValueError for unknown keywords, as for the
            # Keras 1 spelling `Model(input=..., output=...)`.
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}. "
                "To build a Functional model, call `keras.Model(inputs=..., outputs=...)`.")
        if args or kwargs:
            raise TypeError(
                f"Model.__init__() got unexpected arguments: args={args}, kwargs={kwargs}. "
                "To build a Functional model, call `keras.Model(inputs, outputs)`.")
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype)
        self._init_trainer()

    def __setattr__(self, name, value):
        # Layer.__init__ has not run yet in a subclass that sets attributes first.
        if not hasattr(self, "_layers_order") and isinstance(value, Layer):
            raise RuntimeError(
                "It looks like you are subclassing `Model` and you forgot to call "
                "`super().__init__()`. Always start with this line.")
        super().__setattr__(name, value)

    @property
    def layers(self):
        """The model's direct sub-layers, in order."""
        return self._layers

    @layers.setter
    def layers(self, _):
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. Please use "
            "another name.")

    def get_layer(self, name=None, index=None):
        """A layer by name or by index in `layers`."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def build(self, input_shape=None):
        """Build a subclassed model by calling it on zeros of `input_shape`."""
        if self.built and self.weights:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._build_shapes = input_shape
        x = _zeros_for(input_shape)
        prev = CTX.symbolic
        CTX.symbolic = True
        try:
            self(x, training=False)
        finally:
            CTX.symbolic = prev
        self.built = True

    def _maybe_build(self, args, kwargs):
        if type(self).build is Model.build:
            # A subclassed model's layers build themselves during this first call.
            if not self.built:
                first = args[0] if args else next(iter(kwargs.values()), None)
                from minikeras.layers.layer import _shape_of
                self._build_shapes = _shape_of(first)
                self.built = True
            return
        super()._maybe_build(args, kwargs)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print the table of layers, output shapes and parameter counts."""
        from minikeras.utils.summary_utils import print_summary
        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    # Saving entry points; the formats live in minikeras.saving.
    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        from minikeras.saving import saving_api
        return saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        from minikeras.saving import saving_api
        return saving_api.save_weights(self, filepath, overwrite=overwrite,
                                       max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        from minikeras.saving import saving_api
        return saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs):
        """The model's config as a JSON string (see `models.model_from_json`)."""
        import json
        from minikeras.saving.serialization import serialize_keras_object
        return json.dumps(serialize_keras_object(self), **kwargs)

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        cls = type(self)
        if cls.__init__ is not Model.__init__ and self._auto_config is not None:
            for k, v in self._auto_config.items():
                config.setdefault(k, v)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from minikeras.models.functional import Functional, functional_from_config
        if "layers" in config and "input_layers" in config and (
                cls is Model or issubclass(cls, Functional)):
            return functional_from_config(cls if cls is not Model else Functional,
                                          config, custom_objects)
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(
                f"Unable to revive model from config. When overriding the `get_config()` "
                f"method, make sure that the returned config contains all items used as "
                f"arguments in the constructor to {cls}. Error: {e}") from e


def _functional_args(args, kwargs):
    from minikeras.backend.keras_tensor import KerasTensor
    from minikeras.models.node import flatten
    if "inputs" in kwargs or "outputs" in kwargs:
        return True
    return len(args) >= 2 and all(isinstance(t, KerasTensor) for t in flatten(args[:2]))


def _zeros_for(shape):
    if isinstance(shape, dict):
        return {k: _zeros_for(v) for k, v in shape.items()}
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
        return [_zeros_for(s) for s in shape]
    shape = tuple(1 if d is None else int(d) for d in shape)
    return np.zeros(shape, dtype="float32")
