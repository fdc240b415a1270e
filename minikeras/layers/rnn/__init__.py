"""Recurrent layers: cells, the generic `RNN`, and the Bidirectional / TimeDistributed wrappers."""
