"""imdb and reuters: processing options compared with real Keras on the same tiny files."""
import io
import json
import pickle

import numpy as np
import pytest

from minikeras.datasets import imdb, reuters


def _as_lists(x):
    assert isinstance(x, np.ndarray) and x.dtype == object and x.ndim == 1
    return [list(s) for s in x]


def _check_case(result, case):
    (xa, ya), (xb, yb) = result
    assert _as_lists(xa) == case["x_train"]
    assert _as_lists(xb) == case["x_test"]
    assert ya.tolist() == case["y_train"]
    assert yb.tolist() == case["y_test"]


def test_imdb_matches_keras_for_every_option_set(serve, golden_file, goldens):
    server = serve(imdb, {"imdb.npz": golden_file("datasets_imdb.npz")})
    assert len(goldens["imdb"]) >= 5
    for case in goldens["imdb"]:
        _check_case(imdb.load_data(**case["kwargs"]), case)
    assert server.count("imdb.npz") == 1  # downloaded once, then cached


def test_imdb_options_do_what_they_say(serve, golden_file):
    serve(imdb, {"imdb.npz": golden_file("datasets_imdb.npz")})
    (xa, _), (xb, _) = imdb.load_data(num_words=20, skip_top=5, oov_char=2)
    words = [w for s in list(xa) + list(xb) for w in s[1:]]
    assert all(w == 2 or 5 <= w < 20 for w in words)
    # start_char (1) is below skip_top, so Keras turns it into oov_char too.
    assert all(s[0] == 2 for s in xa)
    (xa, _), _ = imdb.load_data(start_char=7)
    assert all(s[0] == 7 for s in xa)
    (xa, _), _ = imdb.load_data(maxlen=9)
    assert max(len(s) for s in xa) < 9
    (xa_shift, _), _ = imdb.load_data(index_from=10, start_char=None)
    (xa_plain, _), _ = imdb.load_data(index_from=0, start_char=None)
    assert [w - 10 for w in xa_shift[0]] == list(xa_plain[0])


def test_imdb_maxlen_too_small_raises(serve, golden_file):
    serve(imdb, {"imdb.npz": golden_file("datasets_imdb.npz")})
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(maxlen=2)


def test_imdb_legacy_and_unknown_kwargs(serve, golden_file):
    serve(imdb, {"imdb.npz": golden_file("datasets_imdb.npz")})
    with pytest.warns(DeprecationWarning, match="num_words"):
        (a, _), _ = imdb.load_data(nb_words=20)
    (b, _), _ = imdb.load_data(num_words=20)
    assert _as_lists(a) == _as_lists(b)
    with pytest.raises(TypeError, match="bogus"):
        imdb.load_data(bogus=1)


def test_imdb_word_index(serve):
    index = {"the": 1, "and": 2, "film": 19}
    data = json.dumps(index).encode()
    server = serve(imdb, {"imdb_word_index.json": data}, hash_attr="WORD_INDEX_HASH", md5=True)
    assert len(imdb.WORD_INDEX_HASH) == 32  # md5, detected by length as in Keras
    assert imdb.get_word_index() == index
    assert imdb.get_word_index() == index
    assert server.count("imdb_word_index.json") == 1


def test_reuters_matches_keras(serve, golden_file, goldens):
    serve(reuters, {"reuters.npz": golden_file("datasets_reuters.npz")})
    for case in goldens["reuters"]:
        _check_case(reuters.load_data(**case["kwargs"]), case)


def test_reuters_word_index_and_labels(serve):
    data = json.dumps({"said": 3}).encode()
    serve(reuters, {"reuters_word_index.json": data}, hash_attr="WORD_INDEX_HASH", md5=True)
    assert reuters.get_word_index() == {"said": 3}
    names = reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[-1] == "lead"


class _Evil:
    def __reduce__(self):
        return (print, ("pwned",))


def test_tampered_npz_is_refused(serve, npz_bytes):
    evil = np.empty(1, dtype=object)
    evil[0] = _Evil()
    buf = io.BytesIO()
    np.savez(buf, x_train=evil, y_train=np.zeros(1), x_test=evil, y_test=np.zeros(1))
    serve(imdb, {"imdb.npz": buf.getvalue()})
    with pytest.raises(pickle.UnpicklingError, match="builtins.print"):
        imdb.load_data()
