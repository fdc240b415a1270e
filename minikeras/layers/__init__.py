"""keras.layers: every layer class, and the functional merge helpers."""
from minikeras.layers.layer import Layer
from minikeras.layers.input_spec import InputSpec
from minikeras.layers.input_layer import InputLayer, Input
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.activation import Activation
from minikeras.layers.core.dropout import Dropout
from minikeras.layers.core.flatten import Flatten
from minikeras.layers.core.identity import Identity
from minikeras.layers.core.lambda_layer import Lambda
from minikeras.layers.serialization import deserialize, serialize
