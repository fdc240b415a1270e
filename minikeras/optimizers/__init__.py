"""keras.optimizers: the optimizers, `get`, `serialize` and `deserialize`."""
from minikeras.optimizers import schedules  # noqa: F401
from minikeras.optimizers import _serialization
from minikeras.optimizers.adadelta import Adadelta
from minikeras.optimizers.adafactor import Adafactor
from minikeras.optimizers.adagrad import Adagrad
from minikeras.optimizers.adam import Adam
from minikeras.optimizers.adamax import Adamax
from minikeras.optimizers.adamw import AdamW
from minikeras.optimizers.base_optimizer import Optimizer
from minikeras.optimizers.ftrl import Ftrl
from minikeras.optimizers.lamb import Lamb
from minikeras.optimizers.lion import Lion
from minikeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from minikeras.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from minikeras.optimizers.muon import Muon
from minikeras.optimizers.nadam import Nadam
from minikeras.optimizers.rmsprop import RMSprop
from minikeras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from minikeras.optimizers.sgd import SGD

# Keras 3's `get` knows these by (lowercased) class name; Lamb is added so that
# `get("lamb")` works like every other built-in.
ALL_OBJECTS = (Optimizer, Adam, SGD, RMSprop, Adadelta, AdamW, Adagrad, Adamax,
               Adafactor, Muon, MultiOptimizer, OptimizerMap, Nadam, Ftrl, Lion,
               Lamb, LossScaleOptimizer, ScheduleFreeAdamW)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


def serialize(optimizer):
    """Returns the optimizer configuration as a Python dict (Keras 3 format).

    Args:
        optimizer: An `Optimizer` instance to serialize.

    Returns:
        Python dict which contains the configuration of the optimizer.
    """
    return _serialization.serialize_object(optimizer, "keras.optimizers", ALL_OBJECTS_DICT)


def deserialize(config, custom_objects=None):
    """Returns a Keras optimizer object via its configuration.

    Built-in optimizer names are matched case-insensitively.

    Args:
        config: Optimizer configuration dictionary (Keras 3 or Keras 2 form).
        custom_objects: Optional dictionary mapping names (strings) to custom
            objects (classes and functions) to be considered during
            deserialization.

    Returns:
        A Keras Optimizer instance.
    """
    cls = _serialization.lookup_class(config, ALL_OBJECTS_DICT, custom_objects,
                                      "optimizer", case_insensitive=True)
    if cls is None:
        raise ValueError(
            f"Could not interpret optimizer identifier: {config.get('class_name')}")
    inner = dict(config.get("config") or {})
    return cls.from_config(inner, custom_objects=custom_objects)


def get(identifier):
    """Retrieves a Keras Optimizer instance.

    Args:
        identifier: Optimizer identifier, one of:
            - String: name of an optimizer (case-insensitive), e.g. `"adam"`.
            - Dictionary: configuration dictionary.
            - Keras Optimizer instance (it will be returned unchanged).

    Returns:
        A Keras Optimizer instance.

    Example:

    >>> get("Adam").__class__.__name__
    'Adam'
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        try:
            obj = deserialize({"class_name": identifier, "config": {}})
        except ValueError:
            raise ValueError(
                f"Could not interpret optimizer identifier: {identifier}") from None
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")

from minikeras.optimizers import legacy  # noqa: E402,F401
