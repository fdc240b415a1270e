"""Shared plumbing of the built-in cells (SimpleRNNCell, LSTMCell, GRUCell)
and of their layers (SimpleRNN, LSTM, GRU), which expose the cell's
arguments as their own properties."""
import numpy as np
from autograd.tracer import getval

from minikeras import activations, constraints, initializers, regularizers
from minikeras.backend.random import SeedGenerator
from minikeras.layers.layer import Layer
from minikeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell, fused_activation_name


def check_units(units):
    if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
        raise ValueError(
            "Received an invalid value for argument `units`, expected a positive "
            f"integer, got {units}.")
    return int(units)


class BaseCell(Layer, DropoutRNNCell):
    """Arguments, weights bookkeeping and config common to the built-in cells."""

    _has_recurrent_activation = True

    def _setup(self, units, activation, recurrent_activation, use_bias, kernel_initializer,
               recurrent_initializer, bias_initializer, kernel_regularizer,
               recurrent_regularizer, bias_regularizer, kernel_constraint,
               recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed):
        self.units = check_units(units)
        self.activation = activations.get(activation)
        if self._has_recurrent_activation:
            self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.seed = seed
        self.seed_generator = SeedGenerator(seed=seed)
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def _add_kernels(self, input_shape, gates):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"The last dimension of the input to {type(self).__name__} '{self.name}' "
                f"must be defined. Received: input_shape={input_shape}")
        self.kernel = self.add_weight(
            shape=(input_dim, self.units * gates), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units * gates), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)

    def _fused_supported(self):
        """Whether the whole-sequence kernel computes exactly this cell."""
        if type(self).call is not type(self)._base_call:
            return False
        if fused_activation_name(self.activation) is None:
            return False
        if self._has_recurrent_activation and \
                fused_activation_name(self.recurrent_activation) is None:
            return False
        return self.built

    def _step_masks(self, inputs, h_tm1, training):
        """This step's (input, recurrent) dropout masks, or None where inactive."""
        dp = self.get_dropout_mask(inputs) if training and 0.0 < self.dropout < 1.0 else None
        rdp = (self.get_recurrent_dropout_mask(h_tm1)
               if training and 0.0 < self.recurrent_dropout < 1.0 else None)
        return dp, rdp

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [np.zeros((batch_size, d), dtype=self.compute_dtype) for d in sizes]

    def _base_config(self):
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
        }
        if self._has_recurrent_activation:
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config.update({
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        })
        return config


def _cell_property(name):
    def get(self):
        return getattr(self.cell, name)
    get.__name__ = name
    get.__doc__ = f"The cell's `{name}`."
    return property(get)


def add_cell_properties(cls, names):
    """Give a layer class read-only properties that read its cell's attributes."""
    for name in names:
        setattr(cls, name, _cell_property(name))
    return cls


COMMON_PROPERTIES = (
    "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout")


def layer_config(layer, base_config):
    """A built-in recurrent layer's config: the RNN's plus its cell's arguments."""
    cell_config = layer.cell._base_config()
    cell_config.pop("seed", None)
    config = dict(base_config)
    config.pop("cell", None)
    config.update(cell_config)
    config["activity_regularizer"] = regularizers.serialize(layer.activity_regularizer)
    config["seed"] = layer.cell.seed
    return config


def fused_activation_names(cell):
    act = fused_activation_name(cell.activation)
    ract = (fused_activation_name(cell.recurrent_activation)
            if cell._has_recurrent_activation else None)
    return act, ract


def as_value(v):
    """A Variable's current (possibly traced) value, or None."""
    return None if v is None else v.value


def plain(x):
    return np.asarray(getval(x))
