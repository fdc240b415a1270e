"""keras.saving: whole-model and weights files, configs, and the custom-object registry."""
from minikeras.saving.object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from minikeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object,
    serialize_keras_object,
)
from minikeras.saving.saving_api import (  # noqa: F401
    load_model,
    load_weights,
    save_model,
    save_weights,
)
from minikeras.saving.file_editor import KerasFileEditor  # noqa: F401
