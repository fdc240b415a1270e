"""minikeras: Keras 3 in pure Python on numpy and autograd.

Use it as `import minikeras as keras`.
"""
__version__ = "0.1.0"


def version():
    """The minikeras version string."""
    return __version__


from minikeras import backend, ops  # noqa: E402,F401
from minikeras import activations, initializers, regularizers, constraints  # noqa: E402,F401
from minikeras import losses, metrics, optimizers  # noqa: E402,F401
from minikeras import layers, models, callbacks, datasets, utils  # noqa: E402,F401
from minikeras import preprocessing, random, saving  # noqa: E402,F401
from minikeras import config, dtype_policies, mixed_precision, tree  # noqa: E402,F401
from minikeras.backend import Variable, GradientTape  # noqa: E402,F401
from minikeras.backend.keras_tensor import KerasTensor  # noqa: E402,F401
from minikeras.layers import Input, InputSpec, Layer  # noqa: E402,F401
from minikeras.models import Model, Sequential  # noqa: E402,F401
from minikeras.losses import Loss  # noqa: E402,F401
from minikeras.metrics import Metric  # noqa: E402,F401
from minikeras.optimizers import Optimizer  # noqa: E402,F401
from minikeras.initializers import Initializer  # noqa: E402,F401
from minikeras.regularizers import Regularizer  # noqa: E402,F401
from minikeras.compat.alias import alias_keras  # noqa: E402,F401
from minikeras.backend.scopes import (  # noqa: E402,F401
    RematScope, StatelessScope, SymbolicScope, device, name_scope, remat)
from minikeras.backend.dtype_policy import DTypePolicy, FloatDTypePolicy  # noqa: E402,F401
from minikeras.ops.operation import Function, Operation, Quantizer  # noqa: E402,F401
