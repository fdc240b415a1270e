"""`Merge`: base of the element-wise merge layers (Add, Multiply, ...)."""
import autograd.numpy as anp
from autograd.tracer import getval
import numpy as np

from minikeras.layers.layer import Layer
from minikeras.ops.core import _dtype_of, _result_dtype, _v, cast


def _shape(x):
    return tuple(np.shape(getval(_v(x))))


class Merge(Layer):
    """Generic merge layer for element-wise merge functions.

    Inputs are a list of tensors with broadcast-compatible shapes (after the
    batch axis); inputs of lower rank get length-1 axes inserted after the
    batch axis. Incompatible shapes raise a ValueError naming the layer and
    the shapes.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs):
        raise NotImplementedError

    def _elemwise_shape(self, shape1, shape2):
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            return self._elemwise_shape(shape2, shape1)
        if not shape2:
            return tuple(shape1)
        out = list(shape1[:-len(shape2)])
        for i, j in zip(shape1[-len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}): inputs have incompatible "
                    f"shapes. Received shapes {tuple(shape1)} and {tuple(shape2)}")
        return tuple(out)

    def _check_list(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (tuple, list)):
            raise ValueError(
                f"A merge layer ('{self.name}') should be called on a list of inputs. "
                f"Received: input_shape={input_shape} (not a list of shapes)")

    def build(self, input_shape):
        self._check_list(input_shape)
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): cannot merge tensors with "
                f"different batch sizes. Received tensors with shapes {list(input_shape)}")
        out = tuple(input_shape[0][1:])
        for s in input_shape[1:]:
            out = self._elemwise_shape(out, tuple(s[1:]))
        self._reshape_required = len({len(s) for s in input_shape}) != 1
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"A merge layer ('{self.name}') should be called on a list of inputs. "
                f"Received: inputs={inputs} (not a list of tensors)")
        inputs = [_v(x) for x in inputs]
        dtypes = [_dtype_of(x) for x in inputs]
        if len(set(dtypes)) > 1:
            # Keras promotes mixed inputs (an int64 one-hot and float32 give float32);
            # numpy's rule would give float64.
            dtype = _result_dtype(*dtypes)
            inputs = [x if d == dtype else cast(x, dtype) for x, d in zip(inputs, dtypes)]
        shapes = [_shape(x) for x in inputs]
        self.build(shapes)
        if self._reshape_required:
            top = max(len(s) for s in shapes)
            inputs = [anp.reshape(x, (s[0],) + (1,) * (top - len(s)) + s[1:])
                      for x, s in zip(inputs, shapes)]
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        out = tuple(input_shape[0][1:])
        for s in input_shape[1:]:
            out = self._elemwise_shape(out, tuple(s[1:]))
        batch_sizes = {s[0] for s in input_shape if s is not None} - {None}
        batch = list(batch_sizes)[0] if len(batch_sizes) == 1 else None
        return (batch,) + tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (tuple, list)):
            raise ValueError(f"`mask` should be a list. Received: mask={mask}")
        if len(mask) != len(inputs):
            raise ValueError(
                "The lists `inputs` and `mask` should have the same length. Received: "
                f"inputs of length {len(inputs)}, and mask of length {len(mask)}")
        if any(m is None for m in mask):
            return None
        out = np.asarray(getval(_v(mask[0]))).astype(bool)
        for m in mask[1:]:
            out = np.logical_or(out, np.asarray(getval(_v(m))).astype(bool))
        return out
