"""CTC negative log-likelihood: the forward (alpha) recursion in log space.

Written with autograd-aware ops, so the gradient w.r.t. the logits comes from
autograd walking the recursion backwards (the classic beta pass).
"""
import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras import ops

# Stands for log(0): finite, so that gradients through logsumexp stay finite.
_NEG = -1e30


def _logsumexp3(a, b, c):
    m = np.maximum(np.maximum(getval(a), getval(b)), getval(c))
    return anp.log(anp.exp(a - m) + anp.exp(b - m) + anp.exp(c - m)) + m


def ctc_negative_log_likelihood(labels, logits, label_length, blank_index=0):
    """`-log p(labels | logits)` per sample, every sample using all time steps.

    Args:
        labels: int array `(batch, max_label_length)`; the first
            `label_length[b]` entries of row `b` are its labels.
        logits: `(batch, time, classes)` unnormalized log-probabilities.
        label_length: int array `(batch,)`.
        blank_index: index of the blank class.

    Returns:
        `(batch,)` losses in the dtype of `logits` (`inf` where no alignment
        of the labels fits in the time steps).
    """
    logits = ops.convert_to_tensor(logits)
    batch, steps, _ = ops.shape(logits)
    dtype = np.asarray(getval(logits)).dtype
    neg = np.asarray(_NEG, dtype=dtype)
    logp = ops.log_softmax(logits, axis=-1)

    max_len = labels.shape[1]
    width = 2 * max_len + 1
    ext = np.full((batch, width), blank_index, dtype=np.int64)
    ext[:, 1::2] = labels
    positions = np.arange(width)[None, :]
    valid = positions < (2 * label_length + 1)[:, None]
    skip = np.zeros((batch, width), dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank_index) & (ext[:, 2:] != ext[:, :-2])

    # emit[b, s, t] = log p(ext[b, s] at time t)
    emit = anp.transpose(logp, (0, 2, 1))[np.arange(batch)[:, None], ext]

    alpha = anp.where(valid & (positions < 2), emit[:, :, 0], neg)
    pad1 = np.full((batch, 1), _NEG, dtype=dtype)
    pad2 = np.full((batch, 2), _NEG, dtype=dtype)
    for t in range(1, steps):
        shift1 = anp.concatenate([pad1, alpha[:, :-1]], axis=1)
        shift2 = anp.where(skip, anp.concatenate([pad2, alpha[:, :-2]], axis=1), neg)
        alpha = anp.where(valid, _logsumexp3(alpha, shift1, shift2) + emit[:, :, t], neg)

    rows = np.arange(batch)
    last = alpha[rows, 2 * label_length]
    before = anp.where(label_length > 0, alpha[rows, np.maximum(2 * label_length - 1, 0)], neg)
    m = np.maximum(getval(last), getval(before))
    log_likelihood = anp.log(anp.exp(last - m) + anp.exp(before - m)) + m
    loss = -log_likelihood
    # No valid path: the likelihood is 0, the loss infinite (as TensorFlow gives).
    impossible = getval(log_likelihood) < _NEG / 2
    return anp.where(impossible, np.asarray(np.inf, dtype=dtype), loss)
