"""keras.models: the model classes and whole-model saving functions."""
from minikeras.models.model import Model
from minikeras.models.functional import Functional
from minikeras.models.sequential import Sequential
from minikeras.models.cloning import clone_model
from minikeras.models.model_from_json import model_from_json
from minikeras.saving.saving_api import load_model, save_model
