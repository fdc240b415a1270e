"""Segment reductions over the rows of an array, as autograd primitives.

`ops.segment_sum/max/min` on graphs (GNN message passing) see tens of
thousands of rows and thousands of segments: a one-hot matrix or a Python
loop per segment costs seconds there. These run in one pass (`np.add.at`,
or a stable sort and `ufunc.reduceat`). Ids must already be valid
(`0 <= id < num_segments`); `ops/math.py` drops the others, as Keras does.
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp

from minikeras.backend.primitives import take


@primitive
def segment_sum(data, ids, num_segments):
    """Rows of `data` added up per segment id; 0 for an empty segment."""
    out = np.zeros((num_segments,) + np.shape(data)[1:], dtype=np.asarray(data).dtype)
    np.add.at(out, ids, data)
    return out


def _segment_sum_vjp(ans, data, ids, num_segments):
    def vjp(g):
        return g[ids] if type(g) is np.ndarray else take(g, ids, axis=0)
    return vjp


defvjp(segment_sum, _segment_sum_vjp)


def _sorted_runs(ids):
    """Stable order of the (non-empty) rows by id, the start of each run, and
    each run's id."""
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    return order, starts, sorted_ids[starts]


@primitive
def segment_extreme(data, ids, num_segments, largest, empty):
    """Per-segment maximum (`largest`) or minimum of the rows of `data`;
    `empty` fills segments with no rows."""
    data = np.asarray(data)
    out = np.full((num_segments,) + data.shape[1:], empty, dtype=data.dtype)
    if ids.size:
        order, starts, run_ids = _sorted_runs(ids)
        reducer = np.maximum if largest else np.minimum
        out[run_ids] = reducer.reduceat(data[order], starts, axis=0)
    return out


def _segment_extreme_vjp(ans, data, ids, num_segments, largest, empty):
    # The gradient goes to the rows that hold the extreme, split evenly among
    # ties (what autograd's max and TensorFlow's segment max gradients do).
    hit = (np.asarray(data) == ans[ids]).astype(np.asarray(data).dtype)
    counts = segment_sum.fun(hit, ids, num_segments)
    share = hit / np.maximum(counts, 1)[ids]

    def vjp(g):
        if type(g) is np.ndarray:
            return g[ids] * share
        return take(g, ids, axis=0) * anp.asarray(share)
    return vjp


defvjp(segment_extreme, _segment_extreme_vjp)
