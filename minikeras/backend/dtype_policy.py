"""DTypePolicy: the dtypes a layer computes in and stores its variables in."""
from minikeras.backend import common


class DTypePolicy:
    """A layer's dtype policy; minikeras supports plain float policies.

    Args:
        name: `"float32"`, `"float16"`, `"float64"`, or `None` for `floatx()`.
            Mixed policies such as `"mixed_float16"` are not supported.
    """

    def __init__(self, name=None):
        if name is None:
            name = common.standardize_dtype(None)
        if isinstance(name, str) and name.startswith("mixed_"):
            raise NotImplementedError(
                f"Mixed precision policy '{name}' is not supported by minikeras; use a "
                "plain float dtype such as 'float32'.")
        self._name = common.standardize_dtype(name)

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._name

    @property
    def variable_dtype(self):
        return self._name

    @property
    def quantization_mode(self):
        return None

    def convert_input(self, x, autocast, dtype):
        import numpy as np
        x = np.asarray(x)
        if autocast and x.dtype.kind == "f" and x.dtype.name != dtype:
            return x.astype(dtype)
        return x

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


class FloatDTypePolicy(DTypePolicy):
    """The same as `DTypePolicy` (Keras keeps the name for compatibility)."""
