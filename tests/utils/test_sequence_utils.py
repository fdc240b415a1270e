"""`pad_sequences` against real Keras 3 (goldens from
tests/parity/generate_dataset_utils_goldens.py) and its errors."""
import json
import os

import numpy as np
import pytest

from minikeras.utils.sequence_utils import pad_sequences

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "parity", "goldens")
with open(os.path.join(GOLDENS, "dataset_utils.json")) as _f:
    META = json.load(_f)
ARRAYS = np.load(os.path.join(GOLDENS, "dataset_utils.npz"))


@pytest.mark.parametrize("i", range(len(META["pad_cases"])))
def test_pad_sequences_matches_keras(i):
    case = META["pad_cases"][i]
    out = pad_sequences(META["pad_sequences"], **case["kwargs"])
    want = ARRAYS[f"pad/{i}"]
    assert str(out.dtype) == case["dtype"]
    np.testing.assert_array_equal(out, want)


def test_pad_sequences_of_vectors_matches_keras():
    seqs = [np.ones((2, 3)) * 1, np.ones((4, 3)) * 2]
    out = pad_sequences(seqs, maxlen=3, dtype="float32")
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out, ARRAYS["pad/vectors"])


def test_docstring_examples():
    seqs = [[1], [2, 3], [4, 5, 6]]
    np.testing.assert_array_equal(pad_sequences(seqs),
                                  [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(seqs, value=-1),
                                  [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(seqs, maxlen=2), [[0, 1], [2, 3], [5, 6]])


def test_strings_need_object_dtype():
    out = pad_sequences([["a"], ["b", "c"]], dtype=object, value="<pad>")
    assert out.tolist() == [["<pad>", "a"], ["b", "c"]]
    with pytest.raises(ValueError, match="dtype=object"):
        pad_sequences([["a"]], value="<pad>")


def test_bad_input():
    with pytest.raises(ValueError, match="iterable"):
        pad_sequences(5)
    with pytest.raises(ValueError, match="non-iterable"):
        pad_sequences([[1, 2], 3])
    with pytest.raises(ValueError, match="Padding type"):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="Truncating type"):
        pad_sequences([[1]], truncating="middle")
    with pytest.raises(ValueError, match="different from expected shape"):
        pad_sequences([np.ones((2, 3)), np.ones((2, 4))])


def test_empty_sequences_and_zero_maxlen():
    assert pad_sequences([[], []]).shape == (2, 0)
    assert pad_sequences([[1, 2], [3]], maxlen=0).shape == (2, 0)
    np.testing.assert_array_equal(pad_sequences([[], [1]], maxlen=2), [[0, 0], [0, 1]])
