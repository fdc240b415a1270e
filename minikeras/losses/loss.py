"""The `Loss` base class and the reduction / sample-weight / mask logic.

Keras 3 semantics (`keras.losses.Loss`): `call()` returns one value per
sample, `__call__` merges any mask into `sample_weight`, weights the values
and reduces them with `reduction`:

- `"sum_over_batch_size"` (default) and `"mean"`: sum / number of elements,
- `"mean_with_sample_weight"`: sum / sum of the sample weights,
- `"sum"`: sum,
- `"none"` or `None`: the weighted per-sample values.
"""
import collections
import warnings

import numpy as np
from autograd.tracer import getval

from minikeras import ops
from minikeras.backend import common, config, primitives
from minikeras.backend.eager_tensor import as_eager

_ALLOWED_REDUCTIONS = (
    "sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


class Loss:
    """Loss base class.

    This is the class to subclass in order to create new custom losses.

    Args:
        name: Optional name for the loss instance.
        reduction: Type of reduction to apply to the loss. In almost all cases
            this should be `"sum_over_batch_size"`. Supported options are
            `"sum"`, `"sum_over_batch_size"`, `"mean"`,
            `"mean_with_sample_weight"` or `None`. `"sum"` sums the loss,
            `"sum_over_batch_size"` and `"mean"` sum the loss and divide by the
            sample size, and `"mean_with_sample_weight"` sums the loss and
            divides by the sum of the sample weights. `"none"` and `None`
            perform no aggregation. Defaults to `"sum_over_batch_size"`.
        dtype: The dtype of the loss's computations. Defaults to `None`, which
            means using `keras.backend.floatx()`.

    To be implemented by subclasses:

    * `call()`: Contains the logic for loss calculation using `y_true`,
        `y_pred`, returning one value per sample.

    Example subclass implementation:

    ```python
    class MeanSquaredError(Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.square(y_pred - y_true), axis=-1)
    ```
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or common.unique_name(common.to_snake_case(self.__class__.__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = _compute_dtype(dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = get_loss_mask(y_pred)
        y_pred = _map_structure(lambda x: ops.convert_to_tensor(x, dtype=self.dtype), y_pred)
        y_true = _map_structure(lambda x: ops.convert_to_tensor(x, dtype=self.dtype), y_true)

        losses = self.call(y_true, y_pred)
        out_mask = get_loss_mask(losses)

        if in_mask is not None and out_mask is not None:
            mask = np.logical_and(_np(in_mask).astype(bool), _np(out_mask).astype(bool))
        else:
            mask = in_mask if in_mask is not None else out_mask
        return as_eager(reduce_weighted_values(
            losses, sample_weight=sample_weight, mask=mask,
            reduction=self.reduction, dtype=self.dtype))

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name}, reduction={self.reduction}>"


class Reduction:
    """Legacy (tf.keras) names of the reduction strings, kept for old code."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def standardize_reduction(reduction):
    """Validate `reduction`; the Keras 2 value `"auto"` maps to the default."""
    if isinstance(reduction, str) and reduction == "auto":
        # Keras 2 spelling (`Reduction.AUTO`); Keras 3 dropped it.
        warnings.warn(
            "`reduction='auto'` is a Keras 2 value; Keras 3 uses "
            "'sum_over_batch_size', which is what 'auto' meant outside "
            "distribution strategies.", DeprecationWarning, stacklevel=3)
        return "sum_over_batch_size"
    if reduction not in _ALLOWED_REDUCTIONS:
        allowed = {r for r in _ALLOWED_REDUCTIONS}
        raise ValueError(
            "Invalid value for argument `reduction`. "
            f"Expected one of {allowed}. Received: reduction={reduction}")
    return reduction


def _compute_dtype(dtype):
    if dtype is None:
        return config.floatx()
    # A dtype policy (`keras.DTypePolicy`): losses compute in its compute dtype.
    if hasattr(dtype, "compute_dtype"):
        return common.standardize_dtype(dtype.compute_dtype)
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return common.standardize_dtype(dtype[len("mixed_"):])
    return common.standardize_dtype(dtype)


def _map_structure(fn, x):
    if isinstance(x, dict):
        return {k: _map_structure(fn, v) for k, v in x.items()}
    return fn(x)


def _np(x):
    return np.asarray(getval(x))


def _is_float_array(x):
    """An eager (possibly traced) floating array, not a symbolic tensor."""
    v = getval(x)
    return type(v) is np.ndarray and v.dtype.kind == "f"


# ----- masks -----------------------------------------------------------------
# Keras attaches a `_keras_mask` to tensors. numpy arrays and autograd boxes take
# no attributes, so a loss function that produces a mask (ignore_class, Circle)
# registers it here keyed by the identity of the returned values; the bounded
# size keeps direct function calls (whose masks nobody reads) from piling up.
_MASKS = collections.OrderedDict()
_MAX_MASKS = 32


def set_loss_mask(values, mask):
    """Attach boolean `mask` to `values`: loss values a loss function returns,
    or a model output whose last layer computed a mask (Keras's `_keras_mask`,
    which losses and metrics then apply).

    Keyed by the underlying array, so a traced box and the array it wraps share
    the mask and the registry holds no autograd graph.
    """
    array = getval(values)
    _MASKS[id(array)] = (array, mask)
    while len(_MASKS) > _MAX_MASKS:
        _MASKS.popitem(last=False)


def get_loss_mask(x):
    """The mask attached to `x` by `set_loss_mask`, or None."""
    array = getval(x)
    entry = _MASKS.get(id(array))
    if entry is not None and entry[0] is array:
        return entry[1]
    # Arrays cannot carry `_keras_mask`; only objects that can are asked.
    return getattr(x, "_keras_mask", None)


# ----- reduction -------------------------------------------------------------
def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Squeeze/expand the last dim if the ranks differ by exactly 1."""
    s1, s2 = ops.shape(x1), ops.shape(x2)
    if len(s1) == len(s2):
        return x1, x2
    if len(s1) == len(s2) + 1 and s1[-1] == 1:
        if len(s2) == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, axis=-1)
        else:
            x1 = ops.squeeze(x1, axis=-1)
    if len(s2) == len(s1) + 1 and s2[-1] == 1:
        if len(s1) == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, axis=-1)
        else:
            x2 = ops.squeeze(x2, axis=-1)
    return x1, x2


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduce already-weighted `values` to a scalar according to `reduction`."""
    shape = ops.shape(values)
    if reduction is None or reduction == "none" or shape == () or shape == (0,):
        return values
    by_size = reduction in ("sum_over_batch_size", "mean") or (
        reduction == "mean_with_sample_weight" and sample_weight is None)
    if by_size and _is_float_array(values):
        return primitives.mean_all(values)
    loss = ops.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        dtype = _np(loss).dtype
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = ops.cast(ops.sum(sample_weight), dtype)
        else:
            divisor = np.asarray(int(np.prod(shape)), dtype=dtype)
        # divide_no_nan only matters for a zero divisor; a plain division is the
        # same number and one traced op instead of several.
        loss = ops.divide_no_nan(loss, divisor) if not np.all(getval(divisor)) else loss / divisor
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weight `values` by `sample_weight` and `mask`, then reduce them."""
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = ops.convert_to_tensor(mask, dtype=dtype)

    sample_weight = apply_mask(sample_weight, mask, dtype=_np(values).dtype, reduction=reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, _np(values).dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        vs, ws = ops.shape(values), ops.shape(sample_weight)
        try:
            np.broadcast_shapes(vs, ws)
        except ValueError:
            raise ValueError(
                "`sample_weight` cannot be broadcast to the shape of the per-sample "
                f"losses. Received: losses.shape={vs}, sample_weight.shape={ws}") from None
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Merge a (boolean) `mask` into `sample_weight`.

    For the averaging reductions, valid entries get weight `total / valid` so
    that dividing by the number of elements averages over the valid ones only.
    """
    if mask is None:
        return sample_weight
    mask_np = _np(mask)
    if reduction in ("mean", "sum_over_batch_size"):
        # total / valid in the loss dtype, as Keras computes it (0 if none valid).
        total = np.asarray(mask_np.size, dtype=dtype)
        valid = np.sum(mask_np.astype(dtype))
        mask_weight = total / valid if valid != 0 else np.asarray(0, dtype=dtype)
        float_mask = np.where(mask_np.astype(bool), mask_weight, 0).astype(dtype)
    else:
        float_mask = mask_np.astype(dtype)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, dtype)
        float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
        sample_weight = sample_weight * float_mask
    else:
        sample_weight = float_mask
    return sample_weight
