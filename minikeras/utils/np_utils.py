"""Keras 2's `keras.utils.np_utils` (`np_utils.to_categorical`), kept for old imports.

Every public name resolves to `keras.utils.<name>` with a DeprecationWarning.
"""
from minikeras.compat.legacy_paths import legacy_module_getattr

__getattr__ = legacy_module_getattr("keras.utils.np_utils", "keras.utils")
