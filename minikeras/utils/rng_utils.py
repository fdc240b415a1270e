"""`set_random_seed`: one call makes runs reproducible."""
from minikeras.backend.random import set_random_seed  # noqa: F401  (re-exported here as in Keras)
