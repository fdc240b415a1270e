"""`Concatenate` and `concatenate`: join a list of inputs along an axis."""
import numpy as np
from autograd.tracer import getval

from minikeras.layers.merging.base_merge import Merge, _shape
from minikeras import ops
from minikeras.ops.core import _v


class Concatenate(Merge):
    """Concatenates a list of inputs.

    It takes as input a list of tensors, all of the same shape except for
    the concatenation axis, and returns a single tensor that is the
    concatenation of all inputs.

    Args:
        axis: axis along which to concatenate.
        **kwargs: standard layer keyword arguments.

    Example:

    >>> x = np.arange(20).reshape(2, 2, 5)
    >>> y = np.arange(20, 30).reshape(2, 1, 5)
    >>> keras.layers.Concatenate(axis=1)([x, y]).shape
    (2, 3, 5)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 1 or \
                not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(
                f"A `Concatenate` layer ('{self.name}') should be called on a list of at "
                f"least 1 input. Received: input_shape={input_shape}")
        self._check_shapes(input_shape)
        self.built = True

    def _check_shapes(self, input_shapes):
        ranks = {len(s) for s in input_shapes}
        bad = len(ranks) != 1
        if not bad:
            rank = ranks.pop()
            axis = self.axis % rank
            for a in range(rank):
                if a == axis:
                    continue
                dims = {s[a] for s in input_shapes if s[a] is not None}
                if len(dims) > 1:
                    bad = True
        if bad:
            raise ValueError(
                f"A `Concatenate` layer ('{self.name}') requires inputs with matching shapes "
                "except for the concatenation axis. Received: "
                f"input_shape={[tuple(s) for s in input_shapes]}")

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A `Concatenate` layer ('{self.name}') should be called on a list of "
                f"inputs. Received: inputs={inputs}")
        inputs = [_v(x) for x in inputs]
        self._check_shapes([_shape(x) for x in inputs])
        # ops.concatenate promotes as Keras does (int64 one-hot + float32 -> float32);
        # numpy's own rule would give float64.
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or \
                not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(
                f"A `Concatenate` layer ('{self.name}') should be called on a list of "
                f"inputs. Received: input_shape={input_shape}")
        self._check_shapes(input_shape)
        out = list(input_shape[0])
        for s in input_shape[1:]:
            if out[self.axis] is None or s[self.axis] is None:
                out[self.axis] = None
                break
            out[self.axis] += s[self.axis]
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (tuple, list)):
            raise ValueError(f"`mask` should be a list. Received mask={mask}")
        if len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. Received: "
                f"inputs of length {len(inputs)}, and mask of length {len(mask)}")
        if all(m is None for m in mask):
            return None
        masks = []
        for x, m in zip(inputs, mask):
            shape = _shape(x)
            if m is None:
                masks.append(np.ones(shape, dtype=bool))
                continue
            m = np.asarray(getval(_v(m))).astype(bool)
            if m.ndim < len(shape):
                m = np.broadcast_to(np.expand_dims(m, -1), shape)
            masks.append(m)
        return np.any(np.concatenate(masks, axis=self.axis), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface to the `Concatenate` layer.

    Args:
        inputs: a list of input tensors.
        axis: concatenation axis.
        **kwargs: standard layer keyword arguments.

    Returns:
        A tensor, the concatenation of the inputs alongside axis `axis`.
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
