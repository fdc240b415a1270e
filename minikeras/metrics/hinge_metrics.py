"""Hinge metrics: the mean of the hinge losses over all batches."""
from minikeras.metrics import per_sample_losses as L
from minikeras.metrics.reduction_metrics import _FixedFnWrapper


class Hinge(_FixedFnWrapper):
    """Mean of `maximum(1 - y_true * y_pred, 0)`; labels in {0, 1} become {-1, 1}.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="hinge", dtype=None):
        super().__init__(fn=L.hinge, name=name, dtype=dtype)
        self._direction = "down"


class SquaredHinge(_FixedFnWrapper):
    """Mean of `square(maximum(1 - y_true * y_pred, 0))`.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(fn=L.squared_hinge, name=name, dtype=dtype)
        self._direction = "down"


class CategoricalHinge(_FixedFnWrapper):
    """Mean of `maximum(neg - pos + 1, 0)` over one-hot labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
    """

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(fn=L.categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"
