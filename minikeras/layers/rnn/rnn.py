"""`RNN`: runs a recurrent cell over the time axis of a sequence."""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval, isbox

from minikeras.backend import primitives
from minikeras.backend.variables import Variable
from minikeras.layers.layer import Layer
from minikeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from minikeras.ops.core import _v


def _is_nested(x):
    return isinstance(x, (list, tuple))


def _flatten(x):
    if _is_nested(x):
        out = []
        for e in x:
            out.extend(_flatten(e))
        return out
    return [x]


def _pack_as(structure, flat):
    it = iter(flat)

    def rebuild(s):
        if _is_nested(s):
            return [rebuild(e) for e in s]
        return next(it)
    return rebuild(structure)


def _shape_str(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


class RNN(Layer):
    """Base class for recurrent layers.

    Runs `cell` over the time axis of `(batch, timesteps, features)` inputs.
    The built-in cells (`SimpleRNNCell`, `LSTMCell`, `GRUCell`, and stacks of
    them) with the built-in activations run each whole sequence in one fused
    kernel; any other cell is called step by step.

    Args:
        cell: an RNN cell instance (a layer with `call(inputs, states)`
            returning `(output, new_states)`, a `state_size` and optionally
            `output_size` and `get_initial_state(batch_size)`), or a list of
            cells, stacked with `StackedRNNCells`.
        return_sequences: return the whole output sequence (else the last).
        return_state: also return the final states.
        go_backwards: process the input backwards and return the reversed
            sequence.
        stateful: reuse each batch's final states as the next batch's
            initial states (fixed batch size required); `reset_state()`
            zeroes them.
        unroll: accepted for compatibility; the loop is never unrolled.
        zero_output_for_mask: output zeros (instead of the previous output)
            at masked time steps when returning sequences.

    Call arguments:
        sequences: `(batch, timesteps, features)`.
        initial_state: list of initial state tensors.
        mask: `(batch, timesteps)` booleans; False steps are skipped (states
            carried over unchanged).
        training: whether dropout is active.

    Example:

    ```python
    cell = keras.layers.LSTMCell(8)
    layer = keras.layers.RNN(cell, return_sequences=True)
    y = layer(np.zeros((2, 5, 3), "float32"))   # (2, 5, 8)
    ```
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if "call" not in dir(cell):
            raise ValueError(
                f"Argument `cell` should have a `call` method. Received: cell={cell}")
        if "state_size" not in dir(cell):
            raise ValueError(
                "The RNN cell should have a `state_size` attribute (single integer or "
                "list of integers, one integer per RNN state). "
                f"Received: cell={cell}")
        super().__init__(**kwargs)
        self.zero_output_for_mask = zero_output_for_mask
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.supports_masking = True
        self.input_spec = None
        self.states = None
        self._expected_batch_size = None
        state_size = getattr(self.cell, "state_size", None)
        if state_size is None:
            raise ValueError("state_size must be specified as property on the RNN cell.")
        if not isinstance(state_size, (list, tuple, int)):
            raise ValueError(
                "state_size must be an integer, or a list/tuple of integers "
                "(one for each state tensor).")
        if isinstance(state_size, int):
            self.state_size = [state_size]
            self.single_state = True
        else:
            self.state_size = list(state_size)
            self.single_state = False

    # ----- shapes and masks --------------------------------------------------------
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        batch_size = sequences_shape[0]
        length = sequences_shape[1]
        states_shape = []
        for state_size in self.state_size:
            if isinstance(state_size, int):
                states_shape.append((batch_size, state_size))
            elif isinstance(state_size, (list, tuple)):
                states_shape.append([(batch_size, s) for s in state_size])
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError("output_size must be an integer.")
        if self.return_sequences:
            output_shape = (batch_size, length, output_size)
        else:
            output_shape = (batch_size, output_size)
        if self.return_state:
            return (output_shape, *states_shape)
        return output_shape

    def compute_mask(self, _, mask):
        # A time-step mask applies to all inputs: take the first.
        mask = _flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.state_size]
        return output_mask

    def _check_rank(self, shape):
        if shape is not None and len(shape) < 3:
            raise ValueError(
                f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                f"expected ndim=3, found ndim={len(shape)}. "
                f"Full shape received: {_shape_str(shape)}")

    # ----- build, states -------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        step_input_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_input_shape)
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                if sequences_shape[0] is None:
                    raise ValueError(
                        "When using `stateful=True` in a RNN, the batch size must be "
                        "static. Found dynamic batch size: "
                        f"sequence.shape={_shape_str(sequences_shape)}")
                self._create_state_variables(sequences_shape[0])
                self._expected_batch_size = int(sequences_shape[0])
        self.built = True

    def _create_state_variables(self, batch_size):
        init = self.get_initial_state(batch_size)
        # Not tracked as weights (Keras keeps them out of `weights` too).
        object.__setattr__(self, "states", _pack_as(init, [
            Variable(np.asarray(getval(v)), trainable=False, name="rnn_state")
            for v in _flatten(init)]))

    def get_initial_state(self, batch_size):
        """Zero states for `batch_size` (the cell's own initial state if it has one)."""
        fn = getattr(self.cell, "get_initial_state", None)
        if fn:
            init_state = fn(batch_size=batch_size)
        else:
            return [np.zeros((batch_size, d), dtype=self.cell.compute_dtype)
                    for d in self.state_size]
        if not _is_nested(init_state):
            init_state = [init_state]
        return list(init_state)

    def reset_states(self):
        """Alias of `reset_state()`."""
        self.reset_state()

    def reset_state(self):
        """Zero the states of a stateful layer (no-op otherwise)."""
        if self.states is not None:
            for v in _flatten(self.states):
                v.assign(np.zeros_like(v.numpy()))

    # ----- call ------------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=False):
        if mask is not None and _is_nested(mask):
            mask = _flatten(mask)[0]
        sequences = _v(sequences)
        shape = np.shape(getval(sequences))
        self._check_rank(shape)
        batch = shape[0]
        if initial_state is None:
            if self.stateful:
                initial_state = _pack_as(self.states, [v.value for v in _flatten(self.states)])
            else:
                initial_state = self.get_initial_state(batch)
        else:
            initial_state = self._standardize_initial_state(initial_state, batch)
        if self.stateful and self._expected_batch_size is not None \
                and batch != self._expected_batch_size:
            raise ValueError(
                "If an RNN is stateful, the batch size of the input sequences must be the "
                "same as the batch size of the initial state. \n"
                f"- Expected batch size: {self._expected_batch_size}\n"
                f"- Received batch size: {batch}")
        if not _is_nested(initial_state):
            initial_state = [initial_state]
        initial_state = list(initial_state)
        if mask is not None:
            mask = np.asarray(getval(mask)).astype(bool)
            if mask.ndim == 3:
                mask = mask[..., 0]
            if mask.shape != tuple(shape[:2]):
                raise ValueError(
                    f"The mask passed to layer '{self.name}' has shape {mask.shape}, "
                    f"which does not match the (batch, timesteps) {tuple(shape[:2])} of "
                    "its input.")
        try:
            last_output, outputs, states = self.inner_loop(
                sequences, initial_state, mask, training)
        finally:
            self._reset_dropout_masks(self.cell)
        if self.stateful:
            for var, value in zip(_flatten(self.states), _flatten(states)):
                var.assign(np.asarray(getval(value)))
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    def _standardize_initial_state(self, initial_state, batch):
        dtype = self.compute_dtype

        def cast(s):
            s = _v(s)
            if not isbox(s):
                s = np.asarray(s)
                if s.dtype != dtype:
                    s = s.astype(dtype)
            return s
        if not _is_nested(initial_state):
            initial_state = [initial_state]
        flat = _flatten(initial_state)
        want = _flatten(self.state_size)
        if any(not isinstance(w, int) or w < 0 for w in want):
            # The cell describes its states itself (ConvLSTM: feature maps).
            return [cast(s) for s in flat]
        if len(flat) != len(want):
            raise ValueError(
                f"Layer '{self.name}' expects {len(want)} initial state(s) (one per "
                f"entry of `cell.state_size` = {self.state_size}), but it received "
                f"{len(flat)}.")
        for s, size in zip(flat, want):
            sshape = np.shape(getval(s))
            if len(sshape) != 2 or sshape[0] != batch or sshape[1] != size:
                raise ValueError(
                    f"An `initial_state` passed to layer '{self.name}' has shape "
                    f"{tuple(sshape)}, expected ({batch}, {size}) (batch size, state size).")
        flat = [cast(s) for s in flat]
        structure = self.get_initial_state(batch) if not self.single_state else [0]
        if len(_flatten(structure)) == len(flat):
            return _pack_as(structure, flat)
        return flat

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """`(last_output, outputs, final_states)` of running the cell."""
        fused = self._fused_loop(sequences, initial_state, mask, training)
        if fused is not None:
            return fused
        return self._step_loop(sequences, initial_state, mask, training)

    # ----- fused path: one primitive per cell over the whole sequence -------------
    def _fused_cells(self):
        cells = self.cell.cells if isinstance(self.cell, StackedRNNCells) else [self.cell]
        for c in cells:
            spec = getattr(c, "_fused_supported", None)
            if spec is None or not spec():
                return None
        return cells

    def _fused_loop(self, sequences, initial_state, mask, training):
        cells = self._fused_cells()
        if cells is None:
            return None
        stacked = isinstance(self.cell, StackedRNNCells)
        go_backwards = self.go_backwards
        x = sequences
        if stacked and len(cells) > 1 and go_backwards:
            # Running the cells one after the other needs the sequence in
            # processing order for every cell after the first.
            x = primitives.flip(x, 1) if isbox(x) else np.ascontiguousarray(np.flip(x, 1))
            mask = None if mask is None else mask[:, ::-1]
            go_backwards = False
        states_in = initial_state if stacked else [initial_state]
        new_states = []
        out = None
        for k, (cell, st) in enumerate(zip(cells, states_in)):
            last = k == len(cells) - 1
            st_list = list(st) if _is_nested(st) else [st]
            out, st_out = cell._fused_sequence(
                x, st_list, mask=mask, training=training, go_backwards=go_backwards,
                return_sequences=self.return_sequences or not last,
                zero_output_for_mask=self.zero_output_for_mask if last else False)
            if stacked:
                is_list = _is_nested(st)
                new_states.append(st_out if (is_list or len(st_out) > 1) else st_out[0])
            else:
                new_states = st_out
            x = out
        if self.return_sequences:
            last_output = out[:, -1]
            return last_output, out, new_states
        return out, None, new_states

    # ----- generic path: the cell called once per time step -----------------------
    def _step_loop(self, sequences, initial_state, mask, training, step_fn=None):
        """Run `step_fn(x_t, states) -> (output, new_states)` (default: the
        cell) over the time axis, with Keras's masking semantics."""
        if step_fn is None:
            cell = self.cell
            call_kwargs = {}
            if isinstance(cell, Layer) and cell._call_has_training:
                call_kwargs["training"] = training
            if training:
                self._config_dropout_masks(cell, getval(sequences)[:, 0], initial_state)

            def step_fn(x_t, states):
                if isinstance(cell, Layer):
                    return cell(x_t, states, **call_kwargs)
                return cell.call(x_t, states, **call_kwargs)
        T = np.shape(getval(sequences))[1]
        states = initial_state
        order = range(T - 1, -1, -1) if self.go_backwards else range(T)
        outputs = []
        prev_output = None
        for t in order:
            output, new_states = step_fn(sequences[:, t], states)
            if not _is_nested(new_states):
                new_states = [new_states]
            if mask is not None:
                m = mask[:, t][:, None]
                if prev_output is None or self.zero_output_for_mask:
                    base = anp.zeros(np.shape(getval(output)), dtype=getval(output).dtype)
                else:
                    base = prev_output
                output = anp.where(_expand(m, output), output, base)
                flat_new = [anp.where(_expand(m, s), s, p) for s, p in
                            zip(_flatten(new_states), _flatten(states))]
                new_states = _pack_as(new_states, flat_new)
            states = list(new_states)
            prev_output = output
            if self.return_sequences:
                outputs.append(output)
        last_output = prev_output
        seq = anp.stack(outputs, axis=1) if self.return_sequences else None
        return last_output, seq, states

    def _config_dropout_masks(self, cell, step_input, states):
        get = getattr(cell, "get_dropout_mask", None)
        if get is not None:
            get(step_input)
            first = _flatten(states)[0]
            cell.get_recurrent_dropout_mask(getval(first))
        if isinstance(cell, StackedRNNCells):
            x = step_input
            for c, s in zip(cell.cells, states):
                s = list(s) if _is_nested(s) else [s]
                self._config_dropout_masks(c, x, s)
                x, _ = c(x, s) if isinstance(c, Layer) else c.call(x, s)
                x = getval(x)

    def _reset_dropout_masks(self, cell):
        if hasattr(cell, "reset_dropout_mask"):
            cell.reset_dropout_mask()
            cell.reset_recurrent_dropout_mask()
        if isinstance(cell, StackedRNNCells):
            for c in cell.cells:
                self._reset_dropout_masks(c)

    # ----- config -------------------------------------------------------------------
    def get_config(self):
        from minikeras.saving.serialization import serialize_keras_object
        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize_keras_object(self.cell),
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from minikeras.saving.serialization import deserialize_keras_object
        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return super(RNN, cls).from_config({**config, "cell": cell})


class BuiltinRNN(RNN):
    """Base of SimpleRNN, LSTM and GRU: their config holds the cell's arguments
    (not a serialized cell), so they load like any layer."""

    @classmethod
    def from_config(cls, config):
        return Layer.from_config.__func__(cls, config)


def check_use_cudnn(use_cudnn):
    """`use_cudnn` is accepted for compatibility (no effect here) but validated."""
    if use_cudnn not in ("auto", True, False):
        raise ValueError(
            "Invalid valid received for argument `use_cudnn`. Expected one of "
            f"{{'auto', True, False}}. Received: use_cudnn={use_cudnn}")
    return use_cudnn


def _expand(m, s):
    """The (batch, 1) mask broadcast against a state of any rank."""
    extra = len(np.shape(getval(s))) - 2
    return m.reshape(m.shape + (1,) * extra) if extra > 0 else m
