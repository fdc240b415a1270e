"""minikeras: Keras 3 in pure Python on numpy and autograd."""
__version__ = "0.1.0"
version = __version__

from minikeras import backend, ops  # noqa: E402,F401
from minikeras.backend import Variable, GradientTape  # noqa: E402,F401
