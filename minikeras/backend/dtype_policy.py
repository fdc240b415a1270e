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


_GLOBAL_POLICY = {"policy": None}


def dtype_policy():
    """The global dtype policy (by default, `floatx()`)."""
    policy = _GLOBAL_POLICY["policy"]
    return policy if policy is not None else DTypePolicy(None)


def set_dtype_policy(policy):
    """Set the default dtype policy of layers created afterwards.

    Args:
        policy: a `DTypePolicy` or its name (`"float32"`, `"float64"`...).
            Mixed precision (`"mixed_float16"`) is not supported here.
    """
    if not isinstance(policy, DTypePolicy):
        if not isinstance(policy, str):
            raise ValueError(
                "Invalid `policy` argument. Expected the string name of a policy (such as "
                f"'float32') or a `DTypePolicy` instance. Received: policy={policy}")
        policy = DTypePolicy(policy)
    _GLOBAL_POLICY["policy"] = policy


def default_layer_dtype():
    policy = _GLOBAL_POLICY["policy"]
    return policy.name if policy is not None else None


def get(identifier):
    """A DTypePolicy from a name, a config dict or a policy."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    raise ValueError(f"Cannot interpret `dtype` argument. Received: {identifier}")


def serialize(policy):
    return {"module": "keras", "class_name": "DTypePolicy", "config": policy.get_config(),
            "registered_name": None}


def deserialize(config, custom_objects=None):
    return get(config)
