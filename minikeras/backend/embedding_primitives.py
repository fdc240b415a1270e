"""Embedding lookup as an autograd primitive with a scatter-add VJP.

The gradient of `table[ids]` w.r.t. `table` adds each output row's gradient
into the row it was read from. `np.add.at` does that one element at a time;
the VJP here picks by the sizes involved (timed with numpy 2 on float32,
3,200 to 25,600 lookups of 64 to 128 columns, tables of 50 to 20,000 rows;
each choice was the fastest, or within noise of it, in its range):

* a small vocabulary (<= 64 rows): one GEMM with a one-hot matrix,
  `onehot(ids).T @ g`;
* few lookups into a big table (4 * lookups < rows): sort the ids and sum
  the runs of equal ids with `np.add.reduceat`, touching only those rows;
* otherwise: one `np.bincount` over the flattened (row, column) pairs.

The VJP uses plain numpy: the primitive is differentiable once.
"""
import numpy as np
from autograd.extend import primitive, defvjp

ONEHOT_MAX_ROWS = 64


@primitive
def embedding_lookup(table, ids):
    """`table[ids]`: rows of `table (rows, dim)` for integer `ids` of any shape."""
    return np.take(table, ids, axis=0)


def scatter_add_rows(g, ids, num_rows):
    """`out[r] = sum of g[i] over ids[i] == r`, for `g (n, dim)`, `ids (n,)`."""
    n, dim = g.shape
    dtype = g.dtype
    if n == 0:
        return np.zeros((num_rows, dim), dtype=dtype)
    if num_rows <= ONEHOT_MAX_ROWS:
        onehot = np.zeros((n, num_rows), dtype=dtype)
        onehot[np.arange(n), ids] = 1
        return onehot.T @ g
    if 4 * n < num_rows:
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
        out = np.zeros((num_rows, dim), dtype=dtype)
        out[sorted_ids[starts]] = np.add.reduceat(g[order], starts, axis=0)
        return out
    flat = (ids[:, None] * dim + np.arange(dim)).ravel()
    sums = np.bincount(flat, weights=g.ravel(), minlength=num_rows * dim)
    return sums.reshape(num_rows, dim).astype(dtype, copy=False)


def _lookup_vjp(ans, table, ids):
    num_rows, dim = np.shape(table)
    flat_ids = np.asarray(ids).reshape(-1).astype(np.intp, copy=False)

    def vjp(g):
        g = np.asarray(g).reshape(-1, dim)
        return scatter_add_rows(g, flat_ids, num_rows)
    return vjp


defvjp(embedding_lookup, _lookup_vjp, None)
