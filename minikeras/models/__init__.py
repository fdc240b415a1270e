"""keras.models: the model classes and whole-model saving functions."""
from minikeras.models.model import Model
from minikeras.models.functional import Functional
from minikeras.models.sequential import Sequential
