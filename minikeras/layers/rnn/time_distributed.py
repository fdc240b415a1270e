"""`TimeDistributed`: applies a layer to every temporal slice of an input."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.layers.core.wrapper import Wrapper
from minikeras.layers.layer import Layer
from minikeras.ops.core import _v


def _has_statistics(layer):
    """Whether the layer keeps non-trainable statistics (BatchNormalization)."""
    for l in layer._flatten_layers():
        for v in l._own_variables:
            if getattr(v, "_layer_trainable_flag", True) is False:
                return True
    return False


class TimeDistributed(Wrapper):
    """This wrapper allows to apply a layer to every temporal slice of an input.

    Every input should be at least 3D; axis 1 is the temporal dimension. The
    same layer (same weights) is applied to each of the time steps,
    independently. Stateless layers run once on the `(batch * time, ...)`
    reshaped input; layers that keep statistics (BatchNormalization) run
    once per time step, as in Keras 3.

    Args:
        layer: a `keras.layers.Layer` instance.

    Call arguments:
        inputs: `(batch, time, ...)`.
        training: passed to the wrapped layer if it takes it.
        mask: `(batch, time, ...)` booleans, passed to the wrapped layer if
            it takes a mask.

    Example:

    >>> layer = keras.layers.TimeDistributed(keras.layers.Dense(8))
    >>> layer(np.zeros((32, 10, 16), "float32")).shape
    (32, 10, 8)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` "
                f"instance. Received: {layer}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _get_child_input_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(
                f"`TimeDistributed` Layer '{self.name}' should be passed an `input_shape` "
                f"with at least 3 dimensions, received: {input_shape}")
        return (input_shape[0], *input_shape[2:])

    def compute_output_shape(self, input_shape):
        child_input_shape = self._get_child_input_shape(input_shape)
        child_output_shape = self.layer.compute_output_shape(child_input_shape)
        return (child_output_shape[0], input_shape[1], *child_output_shape[1:])

    def build(self, input_shape):
        super().build(self._get_child_input_shape(tuple(input_shape)))

    def call(self, inputs, training=None, mask=None):
        inputs = _v(inputs)
        shape = tuple(np.shape(getval(inputs)))
        self._get_child_input_shape(shape)
        if mask is not None:
            mask = np.asarray(getval(mask))
            if mask.ndim < 2:
                raise ValueError(
                    "The `mask` passed to the `TimeDistributed` layer must be at least 2D "
                    "(e.g., `(batch_size, timesteps)`), but it has "
                    f"{mask.ndim} dimension(s) with shape {mask.shape}.")
            if mask.shape[:2] != shape[:2]:
                raise ValueError(
                    f"The `mask` passed to the `TimeDistributed` layer has a shape "
                    f"{mask.shape} that is incompatible with the input shape {shape}. The "
                    "first two dimensions of the mask (batch size and timesteps) must match "
                    "the input's first two dimensions. Expected mask shape prefix: "
                    f"({shape[0]}, {shape[1]}).")
        kwargs = {}
        if self.layer._call_has_training:
            kwargs["training"] = training
        batch, steps = shape[:2]
        if training and _has_statistics(self.layer):
            outs = []
            for t in range(steps):
                if self.layer._call_has_mask and mask is not None:
                    kwargs["mask"] = mask[:, t]
                outs.append(self.layer(inputs[:, t], **kwargs))
            return anp.stack(outs, axis=1)
        if self.layer._call_has_mask and mask is not None:
            kwargs["mask"] = mask.reshape((batch * steps,) + mask.shape[2:])
        y = self.layer(anp.reshape(inputs, (batch * steps,) + shape[2:]), **kwargs)
        return anp.reshape(y, (batch, steps) + tuple(np.shape(getval(y)))[1:])
