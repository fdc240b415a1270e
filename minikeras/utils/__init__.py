"""keras.utils: data helpers, progress bar, seeding, serialization shortcuts."""
from minikeras.utils.numerical_utils import normalize, to_categorical
from minikeras.utils.rng_utils import set_random_seed
from minikeras.utils.progbar import Progbar
from minikeras.trainers.data_adapters import pack_x_y_sample_weight, unpack_x_y_sample_weight
from minikeras.backend import clear_session, is_keras_tensor, standardize_dtype
from minikeras.utils.file_utils import get_file
from minikeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img
from minikeras.saving.object_registration import (
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from minikeras.saving.serialization import deserialize_keras_object, serialize_keras_object
from minikeras.utils.py_dataset import PyDataset, Sequence
from minikeras.utils.sequence_utils import pad_sequences
from minikeras.utils.dataset_utils import (
    image_dataset_from_directory, split_dataset, text_dataset_from_directory,
    timeseries_dataset_from_array)
from minikeras.utils.audio_dataset_utils import audio_dataset_from_directory
from minikeras.utils.model_visualization import model_to_dot, plot_model
from minikeras.utils.config import Config
from minikeras.utils.io_utils import (
    disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled)
from minikeras.utils.graph_utils import get_source_inputs
from minikeras.utils.feature_space import FeatureSpace
from minikeras.utils import legacy  # noqa: E402,F401
