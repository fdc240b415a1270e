"""keras.backend: global settings and the few backend functions Keras 3 exports."""
from minikeras.backend.config import (
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx,
    set_image_data_format, standardize_data_format)
from minikeras.backend.common import (
    get_uid, is_float_dtype, is_int_dtype, result_type, standardize_dtype)
from minikeras.backend.variables import Variable, is_variable
from minikeras.backend.tape import GradientTape


def clear_session(free_memory=True):
    """Reset layer-name counters so that new layers are named `dense`, ... again."""
    from minikeras.backend import common
    common.reset_uids()


def is_keras_tensor(x):
    """True for the symbolic tensors of the Functional API (`keras.Input`)."""
    from minikeras.backend.keras_tensor import KerasTensor
    return isinstance(x, KerasTensor)
