"""Compatibility helpers: the `keras` import alias and legacy spellings."""
from minikeras.compat.alias import alias_keras  # noqa: F401
