"""Recurrent-layer usage cases shared by `generate_rnn_usage_goldens.py` (run
under real Keras 3) and `tests/scenarios/test_rnn_usage_examples.py` (run on
minikeras), so both libraries build the same models, load the same weights
and go through the same calls.

Every builder takes the `keras` module to use; `run_case` returns a dict of
named float32 arrays (outputs, carried states, losses, weights after
training) that the test compares with the golden file.
"""
import numpy as np


def _cell_class(keras):
    ops = keras.ops

    class MinimalRNNCell(keras.layers.Layer):
        """The custom cell of the `keras.layers.RNN` docstring, with a bias."""

        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                          initializer="uniform", name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                    initializer="uniform",
                                                    name="recurrent_kernel")
            self.bias = self.add_weight(shape=(self.units,), initializer="zeros",
                                        name="bias")

        def call(self, inputs, states):
            prev = states[0]
            out = ops.tanh(ops.matmul(inputs, self.kernel)
                           + ops.matmul(prev, self.recurrent_kernel) + self.bias)
            return out, [out]

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return MinimalRNNCell


def build_stateful_stack(keras):
    L = keras.layers
    return keras.Sequential([
        keras.Input(batch_shape=(4, 5, 3)),
        L.LSTM(3, stateful=True, return_sequences=True),
        L.GRU(2, stateful=True),
        L.Dense(1),
    ])


def build_custom_cells(keras):
    L = keras.layers
    Cell = _cell_class(keras)
    inp = keras.Input((None, 3))
    seq, state = L.RNN(Cell(4), return_sequences=True, return_state=True,
                       go_backwards=True)(inp)
    stacked = L.RNN([Cell(3), Cell(2)], return_sequences=True)(seq)
    unrolled = L.RNN(Cell(2), unroll=True)(stacked)
    return keras.Model(inp, [seq, state, stacked, unrolled])


def build_masked_lstm(keras):
    L = keras.layers
    inp = keras.Input((None, 3))
    masked = L.Masking(mask_value=0.0)(inp)
    seq, h, c = L.LSTM(3, return_sequences=True, return_state=True)(masked)
    last = L.SimpleRNN(2, go_backwards=True)(seq)
    return keras.Model(inp, [seq, h, c, last])


def build_embedding_bidirectional(keras, merge_mode):
    L = keras.layers
    inp = keras.Input((None,), dtype="int32")
    emb = L.Embedding(12, 3, mask_zero=True)(inp)
    outs = L.Bidirectional(L.GRU(2, return_sequences=True, return_state=True),
                           merge_mode=merge_mode)(emb)
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    pooled = L.GlobalAveragePooling1D()(outs[0])
    return keras.Model(inp, outs + [pooled])


def build_bidirectional_backward_layer(keras):
    L = keras.layers
    inp = keras.Input((None,), dtype="int32")
    emb = L.Embedding(12, 3, mask_zero=True)(inp)
    bi = L.Bidirectional(L.LSTM(3, return_sequences=True, return_state=True),
                         backward_layer=L.LSTM(3, return_sequences=True, return_state=True,
                                               go_backwards=True))
    seq, fh, fc, bh, bc = bi(emb)
    return keras.Model(inp, [seq, fh, fc, bh, bc])


def build_time_distributed_conv(keras):
    L = keras.layers
    inp = keras.Input((None, 6, 6, 2))
    h = L.TimeDistributed(L.Conv2D(3, 3, activation="relu"))(inp)
    h = L.TimeDistributed(L.MaxPooling2D())(h)
    h = L.TimeDistributed(L.Flatten())(h)
    h = L.LSTM(4)(h)
    out = L.Dense(1)(h)
    return keras.Model(inp, out)


def build_next_frame(keras):
    """keras.io "Next-frame video prediction with ConvLSTM2D", shrunk."""
    L = keras.layers
    inp = L.Input(shape=(None, 6, 6, 1))
    h = L.ConvLSTM2D(filters=3, kernel_size=(3, 3), padding="same",
                     return_sequences=True, activation="relu")(inp)
    h = L.BatchNormalization()(h)
    h = L.ConvLSTM2D(filters=3, kernel_size=(1, 1), padding="same",
                     return_sequences=True, activation="relu")(h)
    out = L.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid",
                   padding="same")(h)
    return keras.Model(inp, out)


BUILDERS = {
    "stateful_stack": build_stateful_stack,
    "custom_cells": build_custom_cells,
    "masked_lstm": build_masked_lstm,
    **{f"bidirectional_{m}": (lambda keras, m=m: build_embedding_bidirectional(
        keras, None if m == "none" else m))
       for m in ("concat", "sum", "mul", "ave", "none")},
    "bidirectional_backward_layer": build_bidirectional_backward_layer,
    "time_distributed_conv": build_time_distributed_conv,
    "next_frame": build_next_frame,
}


def make_data(rng):
    """Inputs (and targets) for every case, drawn once by the generator."""
    f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
    seq = f32(rng.standard_normal((4, 6, 3)))
    seq[0, 4:] = 0.0   # post-padding
    seq[1, :2] = 0.0   # pre-padding
    seq[2, 2] = 0.0    # a hole in the middle
    tokens = np.array([[3, 4, 5, 0, 0, 0], [0, 0, 7, 1, 2, 9], [5, 0, 6, 0, 8, 11],
                       [1, 2, 3, 4, 5, 6]], dtype=np.int32)
    frames = f32(rng.random((4, 4, 6, 6, 1)))
    return {
        "stateful_x": f32(rng.standard_normal((8, 5, 3))),
        "stateful_y": f32(rng.standard_normal((8, 1))),
        "seq": seq,
        "tokens": tokens,
        "video": f32(rng.standard_normal((4, 3, 6, 6, 2))),
        "video_y": f32(rng.standard_normal((4, 1))),
        "frames_x": frames[:, :-1],
        "frames_y": frames[:, 1:],
    }


def random_weights(model, rng):
    out = []
    for v in model.weights:
        w = rng.standard_normal(tuple(v.shape)) * 0.4
        if "moving_variance" in v.path:
            w = np.abs(w) + 0.5
        out.append(np.asarray(w, dtype=np.float32))
    return out


def _states(layer):
    return [np.asarray(s.numpy() if hasattr(s, "numpy") else s, dtype=np.float32)
            for s in layer.states]


def run_case(keras, name, model, data):
    """Drive `model` the way a user would and collect what they would see."""
    res = {}
    if name == "stateful_stack":
        x, y = data["stateful_x"], data["stateful_y"]
        lstm, gru = model.layers[0], model.layers[1]
        # Two batches of 4: the second batch starts from the first one's states.
        res["predict_1"] = model.predict(x, batch_size=4, verbose=0)
        res["predict_2"] = model.predict(x[:4], batch_size=4, verbose=0)
        for i, s in enumerate(_states(lstm) + _states(gru)):
            res[f"states_after_predict_{i}"] = s
        lstm.reset_states()
        gru.reset_state()
        res["predict_after_reset"] = model.predict(x[:4], verbose=0)
        lstm.reset_states()
        gru.reset_states()
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        hist = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
        res["fit_loss"] = np.asarray(hist.history["loss"], dtype=np.float32)
        for i, s in enumerate(_states(lstm) + _states(gru)):
            res[f"states_after_fit_{i}"] = s
        res["train_on_batch"] = np.float32(model.train_on_batch(x[4:], y[4:]))
        res["predict_on_batch"] = np.asarray(model.predict_on_batch(x[:4]))
        for i, w in enumerate(model.get_weights()):
            res[f"weights_after_{i}"] = w
        return res
    if name in ("custom_cells", "masked_lstm"):
        outs = model.predict(data["seq"], verbose=0)
    elif name.startswith("bidirectional"):
        outs = model.predict(data["tokens"], verbose=0)
    elif name == "time_distributed_conv":
        outs = [model.predict(data["video"], verbose=0)]
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        hist = model.fit(data["video"], data["video_y"], batch_size=2, epochs=2,
                         shuffle=False, verbose=0)
        res["fit_loss"] = np.asarray(hist.history["loss"], dtype=np.float32)
    elif name == "next_frame":
        outs = [model.predict(data["frames_x"], verbose=0)]
        model.compile(loss=keras.losses.binary_crossentropy,
                      optimizer=keras.optimizers.Adam(0.01))
        hist = model.fit(data["frames_x"], data["frames_y"], batch_size=2, epochs=2,
                         shuffle=False, verbose=0)
        res["fit_loss"] = np.asarray(hist.history["loss"], dtype=np.float32)
        # The example's closing loop: predict one frame ahead, append, repeat.
        frames = data["frames_x"][0, :2]
        for _ in range(2):
            new = model.predict(np.expand_dims(frames, axis=0), verbose=0)[0]
            frames = np.concatenate([frames, new[-1:]], axis=0)
        res["rollout"] = frames
    else:
        raise KeyError(name)
    for k, o in enumerate(outs if isinstance(outs, (list, tuple)) else [outs]):
        res[f"out_{k}"] = np.asarray(o, dtype=np.float32)
    return res
