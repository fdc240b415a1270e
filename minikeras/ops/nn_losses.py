"""Cross-entropies and CTC of keras.ops.nn (TensorFlow-backend formulas).

As in Keras, when `output` came out of a softmax/sigmoid activation the
cross-entropies compute from the remembered logits (`primitives.
recall_logits`), exactly and without clipping.
"""
import warnings

import numpy as np
import autograd.numpy as anp
from autograd.tracer import getval

from minikeras.backend import config
from minikeras.backend import primitives as P
from minikeras.ops import _primitives as OP
from minikeras.ops.core import _t, _dtype_of, cast


def _plain(x):
    return np.asarray(getval(x))


def _check_same_shape(target, output):
    if np.ndim(_plain(target)) != np.ndim(_plain(output)):  # Keras checks the rank first
        raise ValueError(
            "Arguments `target` and `output` must have the same rank (ndim). "
            f"Received: target.shape={np.shape(_plain(target))}, "
            f"output.shape={np.shape(_plain(output))}")
    if np.shape(_plain(target)) != np.shape(_plain(output)):
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={np.shape(_plain(target))}, "
            f"output.shape={np.shape(_plain(output))}")


def _logits(output, from_logits, name, act):
    logits = P.recall_logits(output)
    if logits is None:
        return output, from_logits
    if from_logits:
        warnings.warn(
            f'"`{name}` received `from_logits=True`, but the `output` argument was '
            f"produced by a {act} activation and thus does not represent logits. "
            "Was this intended?", stacklevel=3)
    return logits, True


def _float(x):
    x = _t(x)
    return x if _dtype_of(x).kind == "f" else cast(x, config.floatx())


def _clip(x, lo, hi):
    from minikeras.ops.elementwise import clip
    return clip(x, lo, hi)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy of probabilities (or logits)."""
    target, output = _float(target), _float(output)
    target = cast(target, _dtype_of(output)) if _dtype_of(target) != _dtype_of(output) else target
    _check_same_shape(target, output)
    output, from_logits = _logits(output, from_logits, "binary_crossentropy", "Sigmoid")
    if from_logits:
        # max(x, 0) - x * z + log(1 + exp(-|x|))
        zero = np.zeros((), _dtype_of(output))
        return (OP.maximum(output, zero) - output * target
                + anp.log1p(anp.exp(-anp.abs(output))))
    eps = config.epsilon()
    output = _clip(output, eps, 1.0 - eps)
    bce = target * anp.log(output)
    bce = bce + (1 - target) * anp.log(1 - output)
    return -bce


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot/probability `target` and `output`
    (probabilities, renormalized over `axis`, or logits)."""
    target, output = _float(target), _float(output)
    target = cast(target, _dtype_of(output)) if _dtype_of(target) != _dtype_of(output) else target
    _check_same_shape(target, output)
    if len(np.shape(_plain(output))) < 1:
        raise ValueError(
            "Argument `output` must be at least rank 1. Received: "
            f"output.shape={np.shape(_plain(output))}")
    if axis in (-1, np.ndim(_plain(output)) - 1):
        output, from_logits = _logits(output, from_logits, "categorical_crossentropy", "Softmax")
    if from_logits:
        return P.softmax_cross_entropy(target, output, axis)
    output = output / anp.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    output = _clip(output, eps, 1.0 - eps)
    return -anp.sum(target * anp.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy with integer class ids `target` over the last axis."""
    target, output = _t(target), _float(output)
    if axis != -1 and axis != np.ndim(_plain(output)) - 1:
        raise ValueError(
            f"Only axis=-1 is currently supported. Received: axis={axis}")
    tv = _plain(target)
    if tv.ndim == np.ndim(_plain(output)) and tv.shape[-1] == 1:
        tv = tv[..., 0]
    if tv.shape != tuple(np.shape(_plain(output))[:-1]):
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last "
            f"dimension: target.shape={np.shape(_plain(target))}, "
            f"output.shape={np.shape(_plain(output))}")
    output, from_logits = _logits(output, from_logits, "sparse_categorical_crossentropy", "Softmax")
    if not from_logits:
        eps = config.epsilon()
        output = anp.log(_clip(output, eps, 1.0 - eps))
    return P.sparse_softmax_cross_entropy(tv, output)


# ----- CTC ------------------------------------------------------------------------
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC negative log-likelihood per sample.

    Args:
        target: `(batch, max_label_length)` integer labels.
        output: `(batch, max_time, classes)` logits.
        target_length: `(batch,)` label counts.
        output_length: `(batch,)` time steps to use per sample.
        mask_index: the blank class.
    """
    from minikeras.losses._ctc import ctc_negative_log_likelihood
    labels = _plain(_t(target)).astype(np.int64)
    output = _float(output)
    tl = _plain(_t(target_length)).astype(np.int64).reshape(-1)
    ol = _plain(_t(output_length)).astype(np.int64).reshape(-1)
    batch = np.shape(_plain(output))[0]
    steps = np.shape(_plain(output))[1]
    if len(tl) != batch or len(ol) != batch:
        raise ValueError(
            "`target_length` and `output_length` need one entry per sample. Received: "
            f"target_length.shape={tl.shape}, output_length.shape={ol.shape}, batch={batch}")
    if np.all(ol == steps):
        return ctc_negative_log_likelihood(labels, output, tl, blank_index=mask_index)
    # Samples of different lengths: one recursion each over its own steps.
    losses = [ctc_negative_log_likelihood(labels[b:b + 1], output[b:b + 1, :int(ol[b])],
                                          tl[b:b + 1], blank_index=mask_index)
              for b in range(batch)]
    return anp.concatenate(losses, axis=0)


def _log_softmax_np(x):
    m = np.max(x, axis=-1, keepdims=True)
    s = x - m
    return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))


def _beam_search(logp, beam_width, top_paths, blank):
    """CTC prefix beam search over `(T, C)` log-probabilities."""
    neg = -np.inf
    beams = {(): (0.0, neg)}  # prefix -> (log p ending in blank, ending in non-blank)
    for t in range(logp.shape[0]):
        nxt = {}

        def add(prefix, pb, pnb):
            ob, onb = nxt.get(prefix, (neg, neg))
            nxt[prefix] = (np.logaddexp(ob, pb), np.logaddexp(onb, pnb))
        for prefix, (pb, pnb) in beams.items():
            total = np.logaddexp(pb, pnb)
            add(prefix, total + logp[t, blank], neg)
            for c in range(logp.shape[1]):
                if c == blank:
                    continue
                p = logp[t, c]
                if prefix and prefix[-1] == c:
                    add(prefix + (c,), neg, pb + p)
                    add(prefix, neg, pnb + p)
                else:
                    add(prefix + (c,), neg, total + p)
        ranked = sorted(nxt.items(), key=lambda kv: -np.logaddexp(*kv[1]))
        beams = dict(ranked[:beam_width])
    ranked = sorted(beams.items(), key=lambda kv: -np.logaddexp(*kv[1]))[:top_paths]
    return [(list(p), float(np.logaddexp(*s))) for p, s in ranked]


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decode `(batch, time, classes)` CTC outputs.

    Returns `(decoded, scores)`: `decoded` is `(top_paths, batch, time)`
    int32 padded with -1. Greedy scores are the negative sum of the best
    class score per step; beam-search scores are log-probabilities.
    """
    x = _plain(_float(inputs)).astype(np.float64)
    lengths = _plain(_t(sequence_lengths)).astype(np.int64).reshape(-1)
    batch, steps, classes = x.shape
    blank = mask_index % classes if mask_index is not None else classes - 1
    if strategy == "greedy":
        decoded = np.full((1, batch, steps), -1, dtype=np.int32)
        scores = np.zeros((batch, 1), dtype=_dtype_of(_float(inputs)))
        for b in range(batch):
            n = int(lengths[b])
            best = np.argmax(x[b, :n], axis=-1)
            scores[b, 0] = -np.sum(np.max(x[b, :n], axis=-1))
            out, prev = [], None
            for c in best:
                if not (merge_repeated and c == prev) and c != blank:
                    out.append(int(c))
                prev = c
            decoded[0, b, :len(out)] = out
        return decoded, scores
    if strategy == "beam_search":
        decoded = np.full((top_paths, batch, steps), -1, dtype=np.int32)
        scores = np.zeros((batch, top_paths), dtype=_dtype_of(_float(inputs)))
        for b in range(batch):
            n = int(lengths[b])
            paths = _beam_search(_log_softmax_np(x[b, :n]), beam_width, top_paths, blank)
            for k, (labels, score) in enumerate(paths):
                decoded[k, b, :len(labels)] = labels
                scores[b, k] = score
        return decoded, scores
    raise ValueError(
        f"Invalid strategy {strategy}. Supported values are 'greedy' and 'beam_search'.")
