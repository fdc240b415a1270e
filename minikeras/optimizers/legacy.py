"""keras.optimizers.legacy: the tf.keras 2.11+ spellings, mapped to the current optimizers.

Keras 3 refuses these; old code that uses them runs here with a
DeprecationWarning naming the Keras 3 class.
"""
import warnings

from minikeras.optimizers import adagrad, adam, ftrl, rmsprop, sgd
from minikeras.optimizers.base_optimizer import Optimizer  # noqa: F401


def _legacy(base):
    class Legacy(base):
        def __init__(self, *args, **kwargs):
            warnings.warn(
                f"`keras.optimizers.legacy.{base.__name__}` is a Keras 2 spelling; use "
                f"`keras.optimizers.{base.__name__}`.", DeprecationWarning, stacklevel=2)
            super().__init__(*args, **kwargs)
    Legacy.__name__ = Legacy.__qualname__ = base.__name__
    Legacy.__doc__ = base.__doc__
    return Legacy


Adagrad = _legacy(adagrad.Adagrad)
Adam = _legacy(adam.Adam)
Ftrl = _legacy(ftrl.Ftrl)
RMSprop = _legacy(rmsprop.RMSprop)
SGD = _legacy(sgd.SGD)
