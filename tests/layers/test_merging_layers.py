"""Merge layers (Add, Concatenate, ...): dtype promotion of mixed inputs."""
import numpy as np
import pytest

import minikeras as keras
from minikeras import layers


@pytest.mark.parametrize("cls", [layers.Add, layers.Subtract, layers.Multiply, layers.Average,
                                 layers.Maximum, layers.Minimum, layers.Concatenate])
def test_int_and_float32_inputs_merge_to_float32(cls):
    # An IntegerLookup/StringLookup one-hot (int64) merged with a Normalization output
    # (float32) is float32 in Keras; numpy's own promotion would give float64.
    ints = np.array([[1, 0], [0, 1]], dtype="int64")
    floats = np.array([[0.5, 0.25], [1.5, -1.0]], dtype="float32")
    out = cls()([ints, floats])
    assert out.dtype == np.float32
    if cls is layers.Add:
        np.testing.assert_allclose(out, [[1.5, 0.25], [1.5, 0.0]])


def test_one_hot_lookup_concatenated_with_normalized_number_is_float32():
    lookup = layers.IntegerLookup(output_mode="one_hot")
    lookup.adapt(np.array([3, 5, 7]))
    norm = layers.Normalization()
    norm.adapt(np.array([[1.0], [3.0]], dtype="float32"))
    code = keras.Input((1,), dtype="int64")
    value = keras.Input((1,))
    model = keras.Model([code, value], layers.concatenate([lookup(code), norm(value)]))
    out = model.predict([np.array([[5], [9]]), np.array([[1.0], [3.0]])], verbose=0)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0, 0, 1, 0, -1], [1, 0, 0, 0, 1]], atol=1e-6)
