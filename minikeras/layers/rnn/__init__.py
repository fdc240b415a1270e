"""Recurrent layers: cells, the generic `RNN`, and the Bidirectional / TimeDistributed wrappers."""
from minikeras.layers.rnn.bidirectional import Bidirectional
from minikeras.layers.rnn.gru import GRU, GRUCell
from minikeras.layers.rnn.lstm import LSTM, LSTMCell
from minikeras.layers.rnn.rnn import RNN
from minikeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from minikeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from minikeras.layers.rnn.time_distributed import TimeDistributed
from minikeras.layers.rnn.conv_lstm1d import ConvLSTM1D
from minikeras.layers.rnn.conv_lstm2d import ConvLSTM2D
from minikeras.layers.rnn.conv_lstm3d import ConvLSTM3D
