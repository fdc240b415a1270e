"""keras.config: global settings in one place."""
import warnings

from minikeras.backend.config import (  # noqa: F401
    epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format)
from minikeras.backend.dtype_policy import dtype_policy, set_dtype_policy  # noqa: F401
from minikeras.saving.safe_mode import enable_unsafe_deserialization  # noqa: F401
from minikeras.utils.io_utils import (  # noqa: F401
    disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled)

_STATE = {"traceback_filtering": True, "flash_attention": None, "max_epochs": None,
          "max_steps_per_epoch": None}


def backend():
    """The backend doing the math: always `"numpy"` (with autograd) here."""
    return "numpy"


def set_backend(backend):
    """Keras can switch between TensorFlow, JAX and PyTorch; minikeras has one backend."""
    if backend != "numpy":
        raise ValueError(
            f"minikeras runs on numpy only; received backend={backend!r}. Install the `keras` "
            "package to use TensorFlow, JAX or PyTorch.")


def enable_traceback_filtering():
    _STATE["traceback_filtering"] = True


def disable_traceback_filtering():
    _STATE["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _STATE["traceback_filtering"]


def enable_flash_attention():
    """Accepted for compatibility: attention is computed with plain numpy here."""
    _STATE["flash_attention"] = True


def disable_flash_attention():
    _STATE["flash_attention"] = False


def is_flash_attention_enabled():
    return _STATE["flash_attention"]


def is_nnx_enabled():
    return False


def set_max_epochs(max_epochs):
    """Cap the number of epochs every `fit` runs (None removes the cap)."""
    _STATE["max_epochs"] = max_epochs


def max_epochs():
    return _STATE["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Cap the number of steps per epoch of every `fit` (None removes the cap)."""
    _STATE["max_steps_per_epoch"] = max_steps_per_epoch


def max_steps_per_epoch():
    return _STATE["max_steps_per_epoch"]
