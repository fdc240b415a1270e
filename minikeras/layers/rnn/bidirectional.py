"""`Bidirectional`: runs a recurrent layer forwards and backwards and merges."""
import copy

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from minikeras.backend import primitives
from minikeras.layers.layer import Layer

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _removeprefix(s, prefix):
    return s[len(prefix):] if s.startswith(prefix) else s


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs.

    The forward layer is a copy of `layer`; the backward layer is a copy
    with `go_backwards=True` (or `backward_layer`). Their outputs are merged
    with `merge_mode`; the backward sequence is flipped back to input order
    first. With a mask and `return_sequences`, masked steps output zeros
    (`zero_output_for_mask`), as in Keras.

    Args:
        layer: an `RNN` instance (`LSTM`, `GRU`, ...), or any layer with
            `go_backwards`, `return_sequences` and `return_state`.
        merge_mode: `"concat"` (default), `"sum"`, `"mul"`, `"ave"` or None
            (return both outputs as a tuple).
        weights: optional initial weights, forward then backward.
        backward_layer: optional layer for the backward direction; it must
            have `go_backwards` opposite to `layer`'s.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: states of the forward layer then of the backward one.
        mask: `(batch, timesteps)` booleans.
        training: passed to both layers.

    Example:

    ```python
    model = keras.Sequential([
        keras.Input(shape=(5, 10)),
        keras.layers.Bidirectional(keras.layers.LSTM(10, return_sequences=True)),
        keras.layers.Bidirectional(keras.layers.LSTM(10)),
        keras.layers.Dense(5, activation="softmax"),
    ])
    ```
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        from minikeras.saving.serialization import (
            deserialize_keras_object, serialize_keras_object)
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` "
                f"instance. Received: {layer}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `keras.layers.Layer` instance. "
                f"Received: {backward_layer}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}')
        super().__init__(**kwargs)
        # Fresh copies from the config, so no state carries over from `layer`.
        config = serialize_keras_object(layer)
        config["config"]["name"] = f"forward_{_removeprefix(layer.name, 'forward_')}"
        self.forward_layer = deserialize_keras_object(config)
        if backward_layer is None:
            config = serialize_keras_object(layer)
            config["config"]["go_backwards"] = True
            config["config"]["name"] = f"backward_{_removeprefix(layer.name, 'backward_')}"
            self.backward_layer = deserialize_keras_object(config)
        else:
            self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            self.forward_layer.use_cudnn = layer.use_cudnn
            self.backward_layer.use_cudnn = layer.use_cudnn
        self._verify_layer_config()
        for sub in (self.forward_layer, self.backward_layer):
            # Masked steps output zeros when returning sequences.
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _verify_layer_config(self):
        if self.forward_layer.go_backwards == self.backward_layer.go_backwards:
            raise ValueError(
                "Forward layer and backward layer should have different `go_backwards` "
                "value. Received: forward_layer.go_backwards "
                f"{self.forward_layer.go_backwards}, backward_layer.go_backwards="
                f"{self.backward_layer.go_backwards}")
        for a in ("stateful", "return_sequences", "return_state"):
            fv = getattr(self.forward_layer, a)
            bv = getattr(self.backward_layer, a)
            if fv != bv:
                raise ValueError(
                    "Forward layer and backward layer are expected to have the same value "
                    f'for attribute "{a}", got "{fv}" for forward layer and "{bv}" for '
                    "backward layer")

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shape = ()
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            fwd_units = output_shape[-1]
            bwd = self.backward_layer.compute_output_shape(sequences_shape)
            bwd = bwd[0] if self.return_state else bwd
            output_shape = tuple(output_shape[:-1]) + (fwd_units + bwd[-1],)
        elif self.merge_mode is None:
            output_shape = [output_shape, output_shape]
        if self.return_state:
            if self.merge_mode is None:
                return tuple(output_shape) + state_shape + state_shape
            return (output_shape,) + state_shape + state_shape
        return tuple(output_shape)

    def build(self, sequences_shape, initial_state_shape=None):
        if not self.forward_layer.built:
            self.forward_layer.build(sequences_shape)
        if not self.backward_layer.built:
            self.backward_layer.build(sequences_shape)
        self.built = True
        if self._initial_weights:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if self.forward_layer._call_has_training:
            kwargs["training"] = training
        if self.forward_layer._call_has_mask and mask is not None:
            kwargs["mask"] = mask
        forward_kwargs, backward_kwargs = dict(kwargs), dict(kwargs)
        if initial_state is not None:
            initial_state = list(initial_state)
            half = len(initial_state) // 2
            forward_kwargs["initial_state"] = initial_state[:half]
            backward_kwargs["initial_state"] = initial_state[half:]
        y = self.forward_layer(sequences, **forward_kwargs)
        y_rev = self.backward_layer(sequences, **backward_kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = primitives.flip(y_rev, 1)
        if self.merge_mode == "concat":
            output = anp.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / np.asarray(2, dtype=getval(y).dtype)
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            if self.merge_mode is None:
                return output + states
            return (output,) + states
        return output

    def reset_states(self):
        """Alias of `reset_state()`."""
        self.reset_state()

    def reset_state(self):
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    @property
    def states(self):
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(self.forward_layer.states + self.backward_layer.states)
        return None

    def compute_mask(self, _, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_sequences:
            output_mask = mask if self.merge_mode else [mask, mask]
        else:
            output_mask = None if self.merge_mode else [None, None]
        if self.return_state:
            n_states = len(self.forward_layer.state_size) * 2 \
                if hasattr(self.forward_layer, "state_size") else 0
            masks = output_mask if isinstance(output_mask, list) else [output_mask]
            return masks + [None] * n_states
        return output_mask

    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialize_keras_object(self.forward_layer)
        config["backward_layer"] = serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from minikeras.saving.serialization import deserialize_keras_object
        config = copy.deepcopy(config)
        config["layer"] = deserialize_keras_object(config["layer"],
                                                   custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_keras_object(
                backward, custom_objects=custom_objects)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype.get("config", {}).get("name", "float32")
        return cls(**config)
