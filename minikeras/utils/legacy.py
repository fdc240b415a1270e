"""keras.utils.legacy: the serialization functions under their old home."""
from minikeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object)
