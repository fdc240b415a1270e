"""`backend.common.standardize_dtype`: Keras's names for Python and string dtypes."""
import numpy as np

import minikeras as keras
from minikeras.backend.common import standardize_dtype


def test_python_types_and_int_alias_follow_keras_tensorflow_backend():
    # Keras maps Python's float to float32 (numpy would say float64) and int/"int" to
    # int64 (numpy's int is int32 on some platforms; the old alias said int32).
    assert standardize_dtype(float) == "float32"
    assert standardize_dtype(int) == "int64"
    assert standardize_dtype("int") == "int64"
    assert standardize_dtype(bool) == "bool"
    # numpy dtypes keep their exact width, even those that compare equal to float/int.
    assert standardize_dtype(np.dtype("float64")) == "float64"
    assert standardize_dtype(np.float64) == "float64"
    assert standardize_dtype(np.int32) == "int32"


def test_user_visible_dtypes_from_python_types():
    assert keras.layers.Dense(2, dtype=float).dtype == "float32"
    assert keras.Input((2,), dtype=float).dtype == "float32"
    assert keras.ops.cast(np.ones(2), float).dtype == np.float32
    assert keras.ops.zeros((2,), dtype=float).dtype == np.float32
    # Normalization's `count` weight is dtype="int": int64, so summary() sizes match Keras.
    norm = keras.layers.Normalization()
    norm.adapt(np.arange(4.0, dtype="float32")[:, None])
    assert norm.count.dtype == "int64"
