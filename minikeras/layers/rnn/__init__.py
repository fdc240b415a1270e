"""Recurrent layers: cells, the generic `RNN`, ConvLSTM, and the Bidirectional /
TimeDistributed wrappers. Exported from `minikeras.layers`."""
