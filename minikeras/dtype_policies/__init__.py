"""keras.dtype_policies: float dtype policies (quantized ones are not supported)."""
from minikeras.backend.dtype_policy import (  # noqa: F401
    DTypePolicy, FloatDTypePolicy, deserialize, get, serialize)
