"""keras.losses: loss classes, loss functions, and `get`/`serialize`/`deserialize`."""
import inspect
import types

from minikeras.losses.loss import Loss, Reduction
from minikeras.losses.losses import (
    CTC, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
    CategoricalFocalCrossentropy, CategoricalGeneralizedCrossEntropy, CategoricalHinge, Circle,
    CosineSimilarity, Dice, Hinge, Huber, KLDivergence, LogCosh, LossFunctionWrapper,
    MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
    MeanSquaredLogarithmicError, Poisson, SparseCategoricalCrossentropy, SquaredHinge, Tversky,
    binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_generalized_cross_entropy, categorical_hinge,
    circle, cosine_similarity, ctc, dice, hinge, huber, kl_divergence, log_cosh,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy, squared_hinge,
    tversky)

# Short names: Keras 3 resolves them as strings; tf.keras also exports them.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

ALL_OBJECTS = {
    Loss, LossFunctionWrapper, KLDivergence, Poisson, BinaryCrossentropy,
    BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy,
    SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError,
    MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, LogCosh, Huber,
    Hinge, SquaredHinge, CategoricalHinge, Dice, Tversky, Circle, CTC,
    CategoricalGeneralizedCrossEntropy,
    kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy,
    categorical_crossentropy, categorical_focal_crossentropy, sparse_categorical_crossentropy,
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, cosine_similarity, log_cosh, huber, hinge, squared_hinge,
    categorical_hinge, dice, tversky, circle, ctc, categorical_generalized_cross_entropy,
}
ALL_OBJECTS_DICT = {obj.__name__: obj for obj in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
    "kld": kl_divergence, "KLD": kl_divergence,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    # tf.keras spellings that Keras 3's `get` no longer resolves.
    "kullback_leibler_divergence": kl_divergence, "logcosh": log_cosh,
})


def serialize(loss):
    """Serialize a loss class instance or loss function to a config dict.

    Args:
        loss: A `Loss` instance or a loss function.

    Returns:
        A Keras-format dict: `{"module", "class_name", "config",
        "registered_name"}`.
    """
    if loss is None:
        return None
    if isinstance(loss, types.FunctionType):
        return _serialize_function(loss)
    if isinstance(loss, Loss):
        cls = type(loss)
        builtin = cls in ALL_OBJECTS
        module = "keras.losses" if builtin else cls.__module__
        if module is not None and module.startswith("__main__"):
            module = None
        return {
            "module": module,
            "class_name": cls.__name__,
            "config": loss.get_config(),
            "registered_name": None if builtin else (_registered_name(cls) or cls.__name__),
        }
    raise ValueError(f"Cannot serialize {loss!r}: expected a `Loss` instance or a function.")


def deserialize(name, custom_objects=None):
    """Return a loss function or `Loss` instance from its name or config.

    Args:
        name: A string (a loss function or class name) or a config dict as
            returned by `serialize`.
        custom_objects: Optional dict mapping names to custom loss classes
            or functions.

    Returns:
        The loss function or a `Loss` instance.
    """
    if isinstance(name, str):
        obj = _lookup(name, custom_objects)
        if obj is None:
            raise ValueError(f"Could not interpret loss identifier: {name}")
        return obj() if inspect.isclass(obj) else obj
    if isinstance(name, dict):
        class_name = name.get("class_name")
        config = name.get("config")
        if class_name == "function":
            fn = _lookup(config, custom_objects)
            if fn is None:
                raise ValueError(f"Unknown loss function: '{config}'. Please ensure it is "
                                 "registered or passed in `custom_objects`.")
            return fn
        cls = _lookup(name.get("registered_name") or class_name, custom_objects) \
            or _lookup(class_name, custom_objects)
        if cls is None:
            raise ValueError(f"Could not interpret loss identifier: {name}")
        if not inspect.isclass(cls):
            return cls
        return cls.from_config(config or {})
    raise ValueError(f"Could not interpret loss identifier: {name}")


def get(identifier):
    """Retrieve a Keras loss as a function or `Loss` instance.

    Args:
        identifier: A loss identifier: `None`, a string (the name of a loss
            function or class, e.g. `"mse"`, `"categorical_crossentropy"`,
            `"BinaryCrossentropy"`), a config dict, a `Loss` class or
            instance, or a callable.

    Returns:
        A loss function or a `Loss` instance (`None` for `None`).

    Raises:
        ValueError: If the identifier cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier, None)
    else:
        obj = identifier
    if callable(obj):
        if inspect.isclass(obj):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret loss identifier: {identifier}")


# ----- helpers shared with LossFunctionWrapper ---------------------------------
def _serialize_function(fn):
    # Keras 3's format for a function: its (registered) name as the config.
    name = _registered_name(fn) or fn.__name__
    return {"module": "builtins", "class_name": "function", "config": name,
            "registered_name": "function"}


def _deserialize_function(config, custom_objects=None):
    if callable(config):
        return config
    if isinstance(config, dict):
        return deserialize(config, custom_objects)
    fn = _lookup(config, custom_objects)
    if fn is None:
        raise ValueError(f"Unknown loss function: '{config}'. Please ensure it is registered "
                         "or passed in `custom_objects`.")
    return fn


def _lookup(name, custom_objects=None):
    if not isinstance(name, str):
        return None
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    registered = _registered_objects().get(name)
    if registered is not None:
        return registered
    return ALL_OBJECTS_DICT.get(name)


def _registered_objects():
    """Globally registered custom objects (`keras.saving`), when that module exists."""
    try:
        from minikeras import saving
        return dict(saving.get_custom_objects())
    except (ImportError, AttributeError):
        return {}


def _registered_name(obj):
    try:
        from minikeras import saving
        name = saving.get_registered_name(obj)
    except (ImportError, AttributeError):
        return None
    return name if name != getattr(obj, "__name__", None) else None
