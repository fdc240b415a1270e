"""Write goldens for the recurrent layers, Embedding and Masking from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run):

    python tests/parity/generate_rnn_goldens.py

Every case builds a layer (or a small model), sets weights drawn here, runs
it on inputs drawn here, and records with `tf.GradientTape` the outputs and
the gradients of `loss = sum_k sum(output_k * r_k)` (random `r_k`) w.r.t. the
input, the initial states and every trainable weight. Writes, next to this
script:

- `goldens/rnn_goldens.npz`: `<case>/x`, `/mask`, `/state_<i>`, `/w_<i>`
  (weights in Keras's order), `/r_<k>`, `/out_<k>`, `/grad_x`,
  `/grad_state_<i>`, `/grad_w_<i>`; the stateful case adds `/out2_<k>`;
  `train/*` holds the sequence-classification data set.
- `goldens/rnn_goldens.json`: per case the layer spec (class, kwargs,
  wrapped layers), the weight names, and the call options; the default
  `get_config()` of each layer; the accuracy Keras reaches on the training
  task.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
rng = np.random.default_rng(20240917)
B, T, D, U = 3, 6, 4, 5
MASK = np.array([[1, 1, 1, 1, 0, 0],
                 [0, 0, 1, 1, 1, 1],
                 [1, 0, 1, 1, 0, 1]], dtype=bool)

ARRAYS = {}
CASES = {}


def f32(x):
    return np.asarray(x, dtype=np.float32)


def make_layer(spec):
    """Build a Keras layer from a JSON-friendly spec (mirrored by the test)."""
    cls = spec["class"]
    kwargs = dict(spec.get("kwargs", {}))
    if cls == "Bidirectional":
        inner = make_layer(spec["layer"])
        if "backward_layer" in spec:
            kwargs["backward_layer"] = make_layer(spec["backward_layer"])
        return keras.layers.Bidirectional(inner, **kwargs)
    if cls == "TimeDistributed":
        return keras.layers.TimeDistributed(make_layer(spec["layer"]), **kwargs)
    if cls == "RNN":
        cells = [make_layer(c) for c in spec["cells"]]
        return keras.layers.RNN(cells if len(cells) > 1 else cells[0], **kwargs)
    return getattr(keras.layers, cls)(**kwargs)


def weights_like(layer, scale=0.5):
    out = []
    for v in layer.weights:
        out.append(f32(rng.standard_normal(tuple(v.shape)) * scale))
    return out


def record(name, spec, x, mask=None, states=None, call_kwargs=None, weight_scale=0.5,
           int_input=False):
    layer = make_layer(spec)
    xt = tf.constant(x)
    kw = dict(call_kwargs or {})
    if mask is not None:
        kw["mask"] = tf.constant(mask)
    st = [tf.constant(s) for s in states] if states is not None else None
    if st is not None:
        kw["initial_state"] = st
    layer(xt, **kw)  # build
    ws = weights_like(layer, weight_scale)
    layer.set_weights(ws)
    with tf.GradientTape(persistent=True) as tape:
        if not int_input:
            tape.watch(xt)
        for s in st or []:
            tape.watch(s)
        out = layer(xt, **kw)
        outs = tf.nest.flatten(out)
        rs = [f32(rng.standard_normal(tuple(o.shape))) for o in outs]
        loss = tf.add_n([tf.reduce_sum(o * r) for o, r in zip(outs, rs)])
    key = name
    ARRAYS[f"{key}/x"] = x
    if mask is not None:
        ARRAYS[f"{key}/mask"] = mask
    for i, s in enumerate(states or []):
        ARRAYS[f"{key}/state_{i}"] = s
    for i, w in enumerate(ws):
        ARRAYS[f"{key}/w_{i}"] = w
    for k, (o, r) in enumerate(zip(outs, rs)):
        ARRAYS[f"{key}/out_{k}"] = f32(o.numpy())
        ARRAYS[f"{key}/r_{k}"] = r
    if not int_input:
        ARRAYS[f"{key}/grad_x"] = f32(tape.gradient(loss, xt).numpy())
    for i, s in enumerate(st or []):
        ARRAYS[f"{key}/grad_state_{i}"] = f32(tape.gradient(loss, s).numpy())
    for i, g in enumerate(tape.gradient(loss, layer.trainable_weights)):
        ARRAYS[f"{key}/grad_w_{i}"] = f32(tf.convert_to_tensor(g).numpy())
    CASES[key] = {"spec": spec, "weights": [v.path for v in layer.weights],
                  "n_out": len(outs), "mask": mask is not None,
                  "n_states": len(states or []), "call_kwargs": call_kwargs or {},
                  "int_input": int_input}
    return layer


def x_default(t=T, d=D):
    return f32(rng.standard_normal((B, t, d)))


def recurrent_cases():
    kinds = {
        "simple_rnn": {"class": "SimpleRNN", "kwargs": {"units": U}},
        "lstm": {"class": "LSTM", "kwargs": {"units": U}},
        "gru": {"class": "GRU", "kwargs": {"units": U}},
        "gru_rb": {"class": "GRU", "kwargs": {"units": U, "reset_after": False}},
    }
    n_states = {"simple_rnn": 1, "lstm": 2, "gru": 1, "gru_rb": 1}
    variants = {
        "base": ({}, False, False),
        "seq_state": ({"return_sequences": True, "return_state": True}, False, False),
        "backwards": ({"go_backwards": True, "return_sequences": True,
                       "return_state": True}, False, False),
        "mask": ({"return_sequences": True, "return_state": True}, True, False),
        "mask_last": ({"return_state": True}, True, False),
        "mask_back": ({"go_backwards": True, "return_sequences": True}, True, False),
        "init_state": ({"return_sequences": True, "return_state": True}, False, True),
        "mask_init": ({"return_state": True}, True, True),
        "nobias": ({"use_bias": False, "return_sequences": True}, False, False),
    }
    for kind, base in kinds.items():
        for vname, (extra, use_mask, use_state) in variants.items():
            spec = {"class": base["class"], "kwargs": {**base["kwargs"], **extra}}
            states = ([f32(rng.standard_normal((B, U)) * 0.5) for _ in range(n_states[kind])]
                      if use_state else None)
            record(f"{kind}/{vname}", spec, x_default(), MASK if use_mask else None, states)
    # Other activations exercise the other fused activation kernels.
    record("simple_rnn/relu", {"class": "SimpleRNN", "kwargs": {
        "units": U, "activation": "relu", "return_sequences": True}}, x_default(),
        weight_scale=0.3)
    record("lstm/hard_sigmoid", {"class": "LSTM", "kwargs": {
        "units": U, "recurrent_activation": "hard_sigmoid", "activation": "tanh",
        "return_sequences": True}}, x_default())
    record("gru/linear", {"class": "GRU", "kwargs": {
        "units": U, "activation": "linear", "return_sequences": True}}, x_default(),
        weight_scale=0.3)
    # A long sequence: rounding accumulates over the recurrence.
    record("lstm/long", {"class": "LSTM", "kwargs": {"units": 8, "return_sequences": True}},
           x_default(t=60), weight_scale=0.3)
    record("gru/long", {"class": "GRU", "kwargs": {"units": 8}}, x_default(t=60),
           weight_scale=0.3)
    # Generic RNN with a stack of cells.
    record("stacked/seq_state", {"class": "RNN", "cells": [
        {"class": "LSTMCell", "kwargs": {"units": U}},
        {"class": "GRUCell", "kwargs": {"units": 4}}],
        "kwargs": {"return_sequences": True, "return_state": True}}, x_default())
    record("stacked/mask_back", {"class": "RNN", "cells": [
        {"class": "SimpleRNNCell", "kwargs": {"units": U}},
        {"class": "LSTMCell", "kwargs": {"units": 4}}],
        "kwargs": {"go_backwards": True, "return_sequences": True}}, x_default(), MASK)
    record("rnn_cell/lstm", {"class": "RNN", "cells": [
        {"class": "LSTMCell", "kwargs": {"units": U}}],
        "kwargs": {"return_sequences": True, "return_state": True}}, x_default(), MASK)


def bidirectional_cases():
    for inner in ("LSTM", "GRU"):
        for mode in ("concat", "sum", "mul", "ave", None):
            for seq in (True, False):
                spec = {"class": "Bidirectional", "kwargs": {"merge_mode": mode},
                        "layer": {"class": inner, "kwargs": {"units": U,
                                                             "return_sequences": seq}}}
                record(f"bidi_{inner.lower()}/{mode}_{'seq' if seq else 'last'}", spec,
                       x_default())
    spec = {"class": "Bidirectional", "kwargs": {},
            "layer": {"class": "LSTM", "kwargs": {"units": U, "return_sequences": True}}}
    record("bidi_lstm/mask", spec, x_default(), MASK)
    spec = {"class": "Bidirectional", "kwargs": {"merge_mode": "sum"},
            "layer": {"class": "GRU", "kwargs": {"units": U, "return_sequences": False}}}
    record("bidi_gru/mask_last", spec, x_default(), MASK)
    spec = {"class": "Bidirectional", "kwargs": {},
            "layer": {"class": "LSTM", "kwargs": {"units": U, "return_state": True}}}
    record("bidi_lstm/state", spec, x_default(), None,
           [f32(rng.standard_normal((B, U)) * 0.5) for _ in range(4)])
    spec = {"class": "Bidirectional", "kwargs": {"merge_mode": "concat"},
            "layer": {"class": "LSTM", "kwargs": {"units": U, "return_sequences": True}},
            "backward_layer": {"class": "GRU", "kwargs": {"units": 3, "return_sequences": True,
                                                        "go_backwards": True}}}
    record("bidi_lstm/backward_gru", spec, x_default())


def wrapper_cases():
    record("time_distributed/dense", {"class": "TimeDistributed", "layer": {
        "class": "Dense", "kwargs": {"units": 3, "activation": "tanh"}}}, x_default())
    record("time_distributed/dense_4d", {"class": "TimeDistributed", "layer": {
        "class": "Dense", "kwargs": {"units": 2}}}, f32(rng.standard_normal((B, T, 2, D))))


def conv_lstm_cases():
    x1 = f32(rng.standard_normal((2, 4, 7, 3)))
    record("conv_lstm1d/same_seq_state", {"class": "ConvLSTM1D", "kwargs": {
        "filters": 3, "kernel_size": 3, "padding": "same", "return_sequences": True,
        "return_state": True}}, x1, MASK[:2, :4].copy(), weight_scale=0.3)
    record("conv_lstm1d/init_state_backwards", {"class": "ConvLSTM1D", "kwargs": {
        "filters": 2, "kernel_size": 2, "go_backwards": True, "return_state": True}}, x1,
        None, [f32(rng.standard_normal((2, 6, 2)) * 0.5) for _ in range(2)], weight_scale=0.3)
    x2 = f32(rng.standard_normal((2, 3, 5, 6, 2)))
    record("conv_lstm2d/valid_strides", {"class": "ConvLSTM2D", "kwargs": {
        "filters": 3, "kernel_size": [3, 2], "strides": 2, "return_sequences": True}}, x2,
        weight_scale=0.3)
    record("conv_lstm2d/dilation_same", {"class": "ConvLSTM2D", "kwargs": {
        "filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}}, x2,
        weight_scale=0.3)
    record("conv_lstm2d/channels_first", {"class": "ConvLSTM2D", "kwargs": {
        "filters": 2, "kernel_size": 3, "padding": "same", "data_format": "channels_first",
        "return_sequences": True}}, f32(rng.standard_normal((2, 3, 2, 5, 4))),
        weight_scale=0.3)
    record("conv_lstm3d/valid", {"class": "ConvLSTM3D", "kwargs": {
        "filters": 2, "kernel_size": 2, "return_sequences": True}},
        f32(rng.standard_normal((2, 2, 3, 4, 3, 2))), weight_scale=0.3)


def model_case(name, build, x, int_input=False):
    model = build()
    ws = weights_like(model)
    model.set_weights(ws)
    xt = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        if not int_input:
            tape.watch(xt)
        out = model(xt)
        r = f32(rng.standard_normal(tuple(out.shape)))
        loss = tf.reduce_sum(out * r)
    ARRAYS[f"{name}/x"] = x
    for i, w in enumerate(ws):
        ARRAYS[f"{name}/w_{i}"] = w
    ARRAYS[f"{name}/out_0"] = f32(out.numpy())
    ARRAYS[f"{name}/r_0"] = r
    if not int_input:
        ARRAYS[f"{name}/grad_x"] = f32(tape.gradient(loss, xt).numpy())
    for i, g in enumerate(tape.gradient(loss, model.trainable_weights)):
        ARRAYS[f"{name}/grad_w_{i}"] = f32(tf.convert_to_tensor(g).numpy())
    CASES[name] = {"model": True, "weights": [v.path for v in model.weights],
                   "int_input": int_input}


def masking_models():
    ids = np.array([[3, 7, 1, 9, 0, 0], [0, 0, 5, 2, 8, 4], [6, 0, 2, 2, 0, 1]], dtype=np.int32)

    def emb_lstm():
        return keras.Sequential([keras.Input((T,), dtype="int32"),
                                 keras.layers.Embedding(10, D, mask_zero=True),
                                 keras.layers.LSTM(U)])
    model_case("model/embedding_lstm", emb_lstm, ids, int_input=True)

    def emb_functional():
        inp = keras.Input((T,), dtype="int32")
        e = keras.layers.Embedding(10, D, mask_zero=True)(inp)
        s = keras.layers.GRU(U, return_sequences=True)(e)
        s = keras.layers.LSTM(4)(s)
        return keras.Model(inp, s)
    model_case("model/embedding_gru_lstm_functional", emb_functional, ids, int_input=True)

    def emb_plain():
        return keras.Sequential([keras.Input((T,), dtype="int32"),
                                 keras.layers.Embedding(10, 3)])
    model_case("model/embedding", emb_plain, ids, int_input=True)

    x = x_default()
    x[0, 4:] = 0.0
    x[1, :2] = 0.0
    x[2, 3] = 0.0

    def masking_lstm():
        return keras.Sequential([keras.Input((T, D)), keras.layers.Masking(0.0),
                                 keras.layers.LSTM(U, return_sequences=True)])
    model_case("model/masking_lstm", masking_lstm, x)

    def masking_bidi():
        return keras.Sequential([keras.Input((T, D)), keras.layers.Masking(0.0),
                                 keras.layers.Bidirectional(keras.layers.GRU(
                                     U, return_sequences=True))])
    model_case("model/masking_bidirectional", masking_bidi, x)


def stateful_case():
    layer = keras.layers.LSTM(U, stateful=True, return_sequences=True)
    x1, x2 = x_default(), x_default()
    layer(tf.constant(x1))
    ws = weights_like(layer)
    layer.set_weights(ws)
    layer.reset_state()
    o1 = layer(tf.constant(x1)).numpy()
    o2 = layer(tf.constant(x2)).numpy()
    layer.reset_state()
    o3 = layer(tf.constant(x2)).numpy()
    key = "stateful/lstm"
    ARRAYS.update({f"{key}/x": x1, f"{key}/x2": x2, f"{key}/out_0": f32(o1),
                   f"{key}/out2_0": f32(o2), f"{key}/out3_0": f32(o3)})
    for i, w in enumerate(ws):
        ARRAYS[f"{key}/w_{i}"] = w
    CASES[key] = {"spec": {"class": "LSTM", "kwargs": {"units": U, "stateful": True,
                                                       "return_sequences": True}},
                  "weights": [v.path for v in layer.weights]}


def training_task():
    """Is the sum of the marked elements positive? (LSTM(16), Adam, 8 epochs)."""
    data_rng = np.random.default_rng(7)
    n, t = 1200, 12
    values = data_rng.standard_normal((n, t)).astype(np.float32)
    marks = (data_rng.random((n, t)) < 0.3).astype(np.float32)
    x = np.stack([values, marks], axis=-1)
    y = ((values * marks).sum(axis=1) > 0).astype(np.float32)[:, None]
    ARRAYS["train/x"] = x
    ARRAYS["train/y"] = y
    accs = []
    for seed in (1, 2, 3):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input((t, 2)), keras.layers.LSTM(16),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy",
                      metrics=["accuracy"])
        model.fit(x[:1000], y[:1000], batch_size=32, epochs=8, verbose=0)
        accs.append(float(model.evaluate(x[1000:], y[1000:], verbose=0)[1]))
    return {"epochs": 8, "batch_size": 32, "units": 16, "learning_rate": 0.01,
            "n_train": 1000, "keras_val_accuracy": accs}


def default_configs():
    layers = {
        "SimpleRNN": keras.layers.SimpleRNN(4),
        "LSTM": keras.layers.LSTM(4),
        "GRU": keras.layers.GRU(4),
        "SimpleRNNCell": keras.layers.SimpleRNNCell(4),
        "LSTMCell": keras.layers.LSTMCell(4),
        "GRUCell": keras.layers.GRUCell(4),
        "Embedding": keras.layers.Embedding(10, 3),
        "Masking": keras.layers.Masking(),
        "ConvLSTM2D": keras.layers.ConvLSTM2D(4, 3),
    }
    out = {}
    for name, layer in layers.items():
        cfg = layer.get_config()
        cfg.pop("name", None)
        out[name] = json.loads(json.dumps(cfg, default=str))
    return out


def main():
    recurrent_cases()
    bidirectional_cases()
    wrapper_cases()
    conv_lstm_cases()
    masking_models()
    stateful_case()
    meta = {"cases": CASES, "configs": default_configs(), "train": training_task(),
            "versions": {"keras": keras.__version__, "tensorflow": tf.__version__}}
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, "rnn_goldens.npz"), **ARRAYS)
    with open(os.path.join(OUT, "rnn_goldens.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    print(f"{len(CASES)} cases, train accuracies {meta['train']['keras_val_accuracy']}")


if __name__ == "__main__":
    main()
