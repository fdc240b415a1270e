"""Recurrent layers, Embedding and Masking against real Keras 3 goldens.

The goldens (tests/parity/generate_rnn_goldens.py) hold, per case, the
weights, inputs, masks and initial states, Keras's outputs, and the
gradients of `sum_k sum(output_k * r_k)` w.r.t. the input, the initial
states and every weight. Everything here must agree to float32 precision:
rtol 1e-5, plus atol 1e-6 times the array's largest magnitude (at least 1)
for entries that pass through zero or are sums of large terms cancelling.
The 60-step cases, where rounding compounds over the recurrence, meet the
same bound.
"""
import json
import os
import re

import numpy as np
import pytest
from autograd.tracer import getval

from minikeras import Input
from minikeras.backend.tape import GradientTape
from minikeras.layers.core.dense import Dense
from minikeras.layers.core.embedding import Embedding
from minikeras.layers.core.masking import Masking
from minikeras.layers.rnn.bidirectional import Bidirectional
from minikeras.layers.rnn.conv_lstm1d import ConvLSTM1D
from minikeras.layers.rnn.conv_lstm2d import ConvLSTM2D
from minikeras.layers.rnn.conv_lstm3d import ConvLSTM3D
from minikeras.layers.rnn.gru import GRU, GRUCell
from minikeras.layers.rnn.lstm import LSTM, LSTMCell
from minikeras.layers.rnn.rnn import RNN
from minikeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from minikeras.layers.rnn.time_distributed import TimeDistributed
from minikeras.models.functional import Functional
from minikeras.models.sequential import Sequential

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDENS = os.path.join(HERE, "..", "..", "parity", "goldens")
META = json.load(open(os.path.join(GOLDENS, "rnn_goldens.json")))
ARR = np.load(os.path.join(GOLDENS, "rnn_goldens.npz"))
CASES = META["cases"]
RTOL, ATOL = 1e-5, 1e-6

CLASSES = {"SimpleRNN": SimpleRNN, "LSTM": LSTM, "GRU": GRU, "SimpleRNNCell": SimpleRNNCell,
           "LSTMCell": LSTMCell, "GRUCell": GRUCell, "Dense": Dense, "ConvLSTM1D": ConvLSTM1D,
           "ConvLSTM2D": ConvLSTM2D, "ConvLSTM3D": ConvLSTM3D}


def make_layer(spec):
    cls = spec["class"]
    kwargs = dict(spec.get("kwargs", {}))
    if cls == "Bidirectional":
        inner = make_layer(spec["layer"])
        if "backward_layer" in spec:
            kwargs["backward_layer"] = make_layer(spec["backward_layer"])
        return Bidirectional(inner, **kwargs)
    if cls == "TimeDistributed":
        return TimeDistributed(make_layer(spec["layer"]), **kwargs)
    if cls == "RNN":
        cells = [make_layer(c) for c in spec["cells"]]
        return RNN(cells if len(cells) > 1 else cells[0], **kwargs)
    return CLASSES[cls](**kwargs)


def flat(out):
    if isinstance(out, (list, tuple)):
        res = []
        for o in out:
            res.extend(flat(o))
        return res
    return [out]


def close(got, want, what, rtol=RTOL):
    # atol scales with the array's largest entry: an entry that is a sum of
    # large terms cancelling to near zero carries their absolute rounding.
    atol = ATOL * max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(np.asarray(getval(got)), want, rtol=rtol, atol=atol,
                               err_msg=what)


def _unnumbered(path):
    """`"bidirectional_3/forward_lstm_14/lstm_cell/kernel"` without the name counters."""
    return re.sub(r"_\d+(?=/|$)", "", path)


LAYER_CASES = sorted(k for k, c in CASES.items() if "spec" in c and not k.startswith("stateful"))


@pytest.mark.parametrize("key", LAYER_CASES)
def test_layer_matches_keras(key):
    case = CASES[key]
    layer = make_layer(case["spec"])
    x = ARR[f"{key}/x"]
    kw = {}
    if case["mask"]:
        kw["mask"] = ARR[f"{key}/mask"]
    states = [ARR[f"{key}/state_{i}"] for i in range(case["n_states"])]
    if states:
        kw["initial_state"] = states
    layer(x, **kw)
    weights = [ARR[f"{key}/w_{i}"] for i in range(len(case["weights"]))]
    assert [v.name for v in layer.weights] == [p.split("/")[-1] for p in case["weights"]]
    # Paths nest like Keras's ("bidirectional/forward_lstm/lstm_cell/kernel"),
    # up to the counters in auto-generated layer names.
    assert [_unnumbered(v.path) for v in layer.weights] == [
        _unnumbered(p) for p in case["weights"]]
    layer.set_weights(weights)
    rtol = RTOL
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        for s in states:
            tape.watch(s)
        out = flat(layer(x, **kw))
        assert len(out) == case["n_out"]
        loss = sum((o * ARR[f"{key}/r_{k}"]).sum() for k, o in enumerate(out))
    for k, o in enumerate(out):
        assert getval(o).dtype == np.float32
        close(o, ARR[f"{key}/out_{k}"], f"{key} output {k}", rtol)
    close(tape.gradient(loss, x), ARR[f"{key}/grad_x"], f"{key} grad x", rtol)
    for i, s in enumerate(states):
        close(tape.gradient(loss, s), ARR[f"{key}/grad_state_{i}"], f"{key} grad state {i}",
              rtol)
    grads = tape.gradient(loss, layer.trainable_weights)
    for i, g in enumerate(grads):
        close(g, ARR[f"{key}/grad_w_{i}"], f"{key} grad {case['weights'][i]}", rtol)


def _build_model(key):
    T, D, U = 6, 4, 5
    if key == "model/embedding_lstm":
        return Sequential([Input((T,), dtype="int32"), Embedding(10, D, mask_zero=True),
                           LSTM(U)])
    if key == "model/embedding_gru_lstm_functional":
        inp = Input((T,), dtype="int32")
        e = Embedding(10, D, mask_zero=True)(inp)
        s = GRU(U, return_sequences=True)(e)
        return Functional(inp, LSTM(4)(s))
    if key == "model/embedding":
        return Sequential([Input((T,), dtype="int32"), Embedding(10, 3)])
    if key == "model/masking_lstm":
        return Sequential([Input((T, D)), Masking(0.0), LSTM(U, return_sequences=True)])
    if key == "model/masking_bidirectional":
        return Sequential([Input((T, D)), Masking(0.0),
                           Bidirectional(GRU(U, return_sequences=True))])
    raise KeyError(key)


MODEL_CASES = sorted(k for k, c in CASES.items() if c.get("model"))


@pytest.mark.parametrize("key", MODEL_CASES)
def test_model_with_masks_matches_keras(key):
    case = CASES[key]
    model = _build_model(key)
    x = ARR[f"{key}/x"]
    weights = [ARR[f"{key}/w_{i}"] for i in range(len(case["weights"]))]
    assert [v.name for v in model.weights] == [p.split("/")[-1] for p in case["weights"]]
    assert [_unnumbered(v.path) for v in model.weights] == [
        _unnumbered(p) for p in case["weights"]]
    model.set_weights(weights)
    with GradientTape() as tape:
        if not case["int_input"]:
            tape.watch(x)
        out = model(x)
        loss = (out * ARR[f"{key}/r_0"]).sum()
    close(out, ARR[f"{key}/out_0"], f"{key} output")
    sources = list(model.trainable_weights) + ([] if case["int_input"] else [x])
    grads = tape.gradient(loss, sources)
    for i in range(len(model.trainable_weights)):
        close(grads[i], ARR[f"{key}/grad_w_{i}"], f"{key} grad {case['weights'][i]}")
    if not case["int_input"]:
        close(grads[-1], ARR[f"{key}/grad_x"], f"{key} grad x")


def test_stateful_lstm_matches_keras():
    key = "stateful/lstm"
    layer = make_layer(CASES[key]["spec"])
    x1, x2 = ARR[f"{key}/x"], ARR[f"{key}/x2"]
    layer(x1)
    layer.set_weights([ARR[f"{key}/w_{i}"] for i in range(3)])
    layer.reset_state()
    close(layer(x1), ARR[f"{key}/out_0"], "first batch")
    close(layer(x2), ARR[f"{key}/out2_0"], "second batch continues the states")
    layer.reset_states()
    close(layer(x2), ARR[f"{key}/out3_0"], "after reset_state")


def _normalize(value):
    if isinstance(value, dict) and "class_name" in value:
        return value["class_name"]
    if isinstance(value, dict):
        return {k: _normalize(v) for k, v in value.items()}
    if isinstance(value, tuple):  # JSON has no tuples
        return list(value)
    return value


@pytest.mark.parametrize("name", sorted(META["configs"]))
def test_default_config_matches_keras(name):
    ctor = {"SimpleRNN": lambda: SimpleRNN(4), "LSTM": lambda: LSTM(4), "GRU": lambda: GRU(4),
            "SimpleRNNCell": lambda: SimpleRNNCell(4), "LSTMCell": lambda: LSTMCell(4),
            "GRUCell": lambda: GRUCell(4), "Embedding": lambda: Embedding(10, 3),
            "Masking": lambda: Masking(), "ConvLSTM2D": lambda: ConvLSTM2D(4, 3)}[name]
    want = META["configs"][name]
    got = ctor().get_config()
    got.pop("name", None)
    if name == "SimpleRNN":
        # Keras's SimpleRNN.get_config drops `seed` (its constructor takes
        # it); we keep it so a round trip keeps the dropout stream.
        assert got.pop("seed") is None
    assert set(got) == set(want), (sorted(set(got) ^ set(want)))
    for k in want:
        if k == "dtype":
            continue
        g, w = _normalize(got[k]), _normalize(want[k])
        if isinstance(w, str) and isinstance(g, str):
            # Initializer class names: GlorotUniform vs glorot_uniform spellings.
            assert g.replace("_", "").lower() == w.replace("_", "").lower(), k
        else:
            assert g == w, k
