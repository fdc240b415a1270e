"""Keras 2's `keras.layers.merge` module, kept for old imports.

Every public name resolves to `keras.layers.<name>` with a DeprecationWarning.
"""
from minikeras.compat.legacy_paths import legacy_module_getattr

__getattr__ = legacy_module_getattr("keras.layers.merge", "keras.layers")
