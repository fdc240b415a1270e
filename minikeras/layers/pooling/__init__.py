"""Layer implementations; the public names live in `minikeras.layers`.

`from keras.layers.pooling import ...` (a Keras 2 path) still resolves, with a
DeprecationWarning naming `keras.layers.<name>`.
"""
from minikeras.compat.legacy_paths import legacy_module_getattr

__getattr__ = legacy_module_getattr("keras.layers.pooling", "keras.layers")
