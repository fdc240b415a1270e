"""keras.ops.linalg: decompositions, solves, norms and forward-mode `jvp`.

Gradients come from autograd's linear-algebra VJPs (inv, det, slogdet,
solve, cholesky, eigh, svd) and from a hand-written VJP for `qr`. All
functions work on stacks of matrices (leading batch axes).
"""
import numpy as np
import autograd.numpy as anp
from autograd.extend import primitive, defvjp_argnums
from autograd.tracer import getval

from minikeras.ops import _primitives as OP
from minikeras.ops.core import _f, _t, _dtype_of, _tree_flatten, _tree_pack, cast


def _plain(x):
    return np.asarray(getval(x))


def _swap(x):
    return anp.swapaxes(x, -1, -2)


def _check_square(x, name):
    s = np.shape(_plain(x))
    if len(s) < 2 or s[-1] != s[-2]:
        raise ValueError(f"`{name}` needs square matrices in the last two axes. Received: x.shape={s}")


def _eye_like(x):
    n = np.shape(_plain(x))[-1]
    return np.eye(n, dtype=_dtype_of(x))


# ----- factorizations --------------------------------------------------------------
def cholesky(x, upper=False):
    """Cholesky factor `L` (`L @ L.T == x`), or `L.T` with `upper=True`.

    Raises `ValueError` when `x` is not positive definite.
    """
    x = _f(x)
    _check_square(x, "cholesky")
    try:
        out = anp.linalg.cholesky(x)
    except np.linalg.LinAlgError as e:
        raise ValueError(f"Cholesky decomposition failed: the input is not positive definite ({e}).") from None
    return _swap(out) if upper else out


def cholesky_inverse(x, upper=False):
    """Inverse of `A` from its Cholesky factor `x` (lower, or upper if `upper`)."""
    x = _f(x)
    _check_square(x, "cholesky_inverse")
    lower = x if not upper else _swap(x)
    inv_l = solve_triangular(lower, np.broadcast_to(_eye_like(x), np.shape(_plain(x))), lower=True)
    return anp.matmul(_swap(inv_l), inv_l)


def _qr_grad_square(q, r, dq, dr):
    # A = QR with R square-invertible: dA = (dQ + Q copyltu(M)) R^-T,
    # M = R dR^T - dQ^T Q, copyltu(M) = tril(M) + tril(M, -1)^T.
    m = anp.matmul(r, _swap(dr)) - anp.matmul(_swap(dq), q)
    n = np.shape(_plain(m))[-1]
    low = np.tril(np.ones((n, n)), -1)
    ltu = m * (low + np.eye(n)) + _swap(m * low)
    rhs = dq + anp.matmul(q, ltu)
    # X R^T = rhs  ->  R X^T = rhs^T
    xt = _solve_tri(r, _swap(rhs), lower=False)
    return _swap(xt)


def _solve_tri(a, b, lower):
    return solve_triangular(a, b, lower=lower)


@primitive
def _qr(x, complete):
    return tuple(np.linalg.qr(x, mode="complete" if complete else "reduced"))


def _qr_vjp(argnums, ans, args, kwargs):
    x, complete = args
    q, r = ans
    rows, cols = np.shape(x)[-2:]

    def vjp(g):
        dq, dr = g
        if rows >= cols:
            if complete and rows > cols:
                raise NotImplementedError(
                    "The gradient of qr(mode='complete') is only defined for square or "
                    "wide matrices, as in TensorFlow.")
            return (_qr_grad_square(q, r, dq, dr),)
        # Wide: A = [X | Y], X = Q U square.
        u = r[..., :, :rows]
        du, dv = dr[..., :, :rows], dr[..., :, rows:]
        y = x[..., :, rows:]
        dy = anp.matmul(q, dv)
        dx = _qr_grad_square(q, u, dq + anp.matmul(y, _swap(dv)), du)
        return (anp.concatenate([dx, dy], axis=-1),)
    return vjp


defvjp_argnums(_qr, _qr_vjp)


def qr(x, mode="reduced"):
    """QR decomposition: `(q, r)` with orthonormal `q` and upper `r`.

    Args:
        mode: "reduced" (`q` is `(M, K)`) or "complete" (`q` is `(M, M)`).
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(
            "`mode` argument value not supported. Expected one of {'reduced', 'complete'}. "
            f"Received: mode={mode}")
    x = _f(x)
    q, r = _qr(x, mode == "complete")
    return q, r


def lu_factor(x):
    """LU decomposition with partial pivoting: `(lu, p)`, `L` (unit lower)
    and `U` packed in `lu`; `x[p] == L @ U`."""
    a = np.array(_plain(_f(x)), copy=True)
    _check_square(a, "lu_factor")
    batch = a.shape[:-2]
    n = a.shape[-1]
    flat = a.reshape((-1, n, n))
    perms = np.zeros((flat.shape[0], n), dtype=np.int32)
    for b in range(flat.shape[0]):
        m = flat[b].astype(np.float64)
        perm = np.arange(n)
        for k in range(n):
            piv = k + int(np.argmax(np.abs(m[k:, k])))
            if piv != k:
                m[[k, piv]] = m[[piv, k]]
                perm[[k, piv]] = perm[[piv, k]]
            if m[k, k] != 0:
                m[k + 1:, k] /= m[k, k]
                m[k + 1:, k + 1:] -= np.outer(m[k + 1:, k], m[k, k + 1:])
        flat[b] = m
        perms[b] = perm
    # x[perm] = L U; Keras (TensorFlow backend) returns the inverse permutation.
    inv = np.argsort(perms, axis=-1).astype(np.int32)
    return flat.reshape(a.shape), inv.reshape(batch + (n,))


def eig(x):
    """Eigenvalues and eigenvectors of general square matrices (complex)."""
    x = _plain(_f(x))
    _check_square(x, "eig")
    w, v = np.linalg.eig(x)
    cdt = np.complex64 if x.dtype.itemsize <= 4 else np.complex128
    return w.astype(cdt), v.astype(cdt)


def eigh(x):
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices."""
    x = _f(x)
    _check_square(x, "eigh")
    w, v = anp.linalg.eigh(x)
    return w, v


def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u @ diag(s) @ vh`.

    Returns `(u, s, vh)`, or `s` alone with `compute_uv=False`.
    """
    x = _f(x)
    if not compute_uv:
        return anp.linalg.svd(x, full_matrices=False, compute_uv=False)
    u, s, vh = anp.linalg.svd(x, full_matrices=full_matrices, compute_uv=True)
    return u, s, vh


# ----- inverses, determinants and solves ---------------------------------------------------
def inv(x):
    """Matrix inverse."""
    x = _f(x)
    _check_square(x, "inv")
    return anp.linalg.inv(x)


def det(x):
    """Determinant of square matrices."""
    x = _f(x)
    _check_square(x, "det")
    return anp.linalg.det(x)


def slogdet(x):
    """Sign and log of the absolute value of the determinant."""
    x = _f(x)
    _check_square(x, "slogdet")
    sign, logabs = anp.linalg.slogdet(x)
    return sign, logabs


def solve(a, b):
    """Solve `a @ x = b` (`b` may lack the last axis: a vector per matrix)."""
    a, b = _f(a), _f(b)
    _check_square(a, "solve")
    if np.ndim(_plain(b)) == np.ndim(_plain(a)) - 1:
        return anp.linalg.solve(a, anp.expand_dims(b, -1))[..., 0]
    return anp.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    """Solve `a @ x = b` for triangular `a` (only its `lower`/upper part is read)."""
    a, b = _f(a), _f(b)
    _check_square(a, "solve_triangular")
    vec = np.ndim(_plain(b)) == np.ndim(_plain(a)) - 1
    if vec:
        b = anp.expand_dims(b, -1)
    n = np.shape(_plain(a))[-1]
    mask = np.tril(np.ones((n, n), dtype=_dtype_of(a))) if lower else np.triu(
        np.ones((n, n), dtype=_dtype_of(a)))
    out = anp.linalg.solve(a * mask, b)
    return out[..., 0] if vec else out


def lstsq(a, b, rcond=None):
    """Least-squares solution of `a @ x = b` through the SVD of `a`; singular
    values below `rcond * s_max` are dropped."""
    a, b = _f(a), _f(b)
    if np.shape(_plain(a))[0] != np.shape(_plain(b))[0]:
        raise ValueError("Leading dimensions of input arrays must match")
    if np.ndim(_plain(a)) != 2:
        raise TypeError(f"{np.ndim(_plain(a))}-dimensional array given. Array must be two-dimensional")
    vec = np.ndim(_plain(b)) == 1
    if vec:
        b = anp.reshape(b, (-1, 1))
    if np.ndim(_plain(b)) != 2:
        raise TypeError(
            f"{np.ndim(_plain(b))}-dimensional array given. Array must be one or two-dimensional")
    m, n = np.shape(_plain(a))
    eps = np.finfo(_dtype_of(a)).eps
    rcond = eps * max(m, n) if rcond is None else (eps if rcond < 0 else rcond)
    u, s, vt = anp.linalg.svd(a, full_matrices=False)
    mask = _plain(s) >= rcond * _plain(s)[0]
    s_inv = OP.where(mask, 1.0 / OP.where(mask, s, 1.0), 0.0)
    x = anp.matmul(_swap(vt), anp.reshape(s_inv, (-1, 1)) * anp.matmul(_swap(u), b))
    return anp.reshape(x, (-1,)) if vec else x


def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse; singular values below `rcond * s_max`
    (default `10 * max(M, N) * eps`) are dropped."""
    x = _f(x)
    m, n = np.shape(_plain(x))[-2:]
    if rcond is None:
        rcond = 10.0 * max(m, n) * np.finfo(_dtype_of(x)).eps
    u, s, vt = anp.linalg.svd(x, full_matrices=False)
    cutoff = rcond * np.max(_plain(s), axis=-1, keepdims=True)
    keep = _plain(s) > cutoff
    s_inv = OP.where(keep, 1.0 / OP.where(keep, s, 1.0), 0.0)
    return anp.matmul(_swap(vt) * anp.expand_dims(s_inv, -2), _swap(u))


def matrix_rank(x, tol=None):
    """Number of singular values above `tol` (default `max(M, N) * eps *
    s_max`)."""
    x = _plain(_f(x))
    s = np.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = np.max(s, axis=-1, keepdims=True) * max(x.shape[-2:]) * np.finfo(x.dtype).eps
    else:
        tol = np.asarray(tol)[..., None] if np.ndim(tol) else tol
    return np.sum(s > tol, axis=-1).astype("int32")


# ----- norms ---------------------------------------------------------------------------
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector (one axis) or matrix (two axes) norm.

    Vector `ord`: None/2, inf, -inf, 0, or any number p. Matrix `ord`:
    None/"fro", "nuc", 1, -1, 2, -2, inf, -inf.
    """
    x = _f(x)
    ndim = np.ndim(_plain(x))
    if axis is None:
        axis = tuple(range(ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    axis = tuple(axis)
    if any(a < -ndim or a >= ndim for a in axis):
        raise ValueError(
            "All `axis` values must be in the range [-ndim, ndim). "
            f"Received inputs with ndim={ndim}, while axis={axis}")
    if len(axis) == 1:
        ax = axis[0]
        if ord is None or ord == 2:
            return anp.sqrt(anp.sum(anp.real(x * anp.conj(x)), axis=ax, keepdims=keepdims))
        if ord == float("inf"):
            return OP.reduce_max(anp.abs(x), axis=ax, keepdims=keepdims)
        if ord == float("-inf"):
            return OP.reduce_min(anp.abs(x), axis=ax, keepdims=keepdims)
        if ord == 0:
            return np.sum(_plain(x) != 0, axis=ax, keepdims=keepdims).astype(_dtype_of(x))
        if isinstance(ord, str):
            raise ValueError(f"Invalid `ord` argument for vector norm. Received: ord={ord}")
        p = np.asarray(ord, _dtype_of(x))
        return anp.power(anp.sum(anp.power(anp.abs(x), p), axis=ax, keepdims=keepdims), 1.0 / p)
    if len(axis) == 2:
        row, col = (a % ndim for a in axis)
        if ord is None or ord == "fro":
            return anp.sqrt(anp.sum(anp.real(x * anp.conj(x)), axis=axis, keepdims=keepdims))
        if ord in (1, -1):
            red = OP.reduce_max if ord == 1 else OP.reduce_min
            c = col - 1 if (not keepdims and col > row) else col
            return red(anp.sum(anp.abs(x), axis=row, keepdims=keepdims), axis=c, keepdims=keepdims)
        if ord in (float("inf"), float("-inf")):
            red = OP.reduce_max if ord > 0 else OP.reduce_min
            r = row - 1 if (not keepdims and row > col) else row
            return red(anp.sum(anp.abs(x), axis=col, keepdims=keepdims), axis=r, keepdims=keepdims)
        if ord in ("nuc", 2, -2):
            y = anp.moveaxis(x, (row, col), (-2, -1))
            s = anp.linalg.svd(y, full_matrices=False, compute_uv=False)
            out = {"nuc": anp.sum, 2: OP.reduce_max, -2: OP.reduce_min}[ord](s, axis=-1)
            if keepdims:
                out = anp.expand_dims(anp.expand_dims(out, min(row, col)), max(row, col))
            return out
        raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={ord}")
    raise ValueError(f"Invalid axis values. Received: axis={axis}")


# ----- forward mode ------------------------------------------------------------------
def jvp(fun, primals, tangents, has_aux=False):
    """Jacobian-vector product of `fun` at `primals` along `tangents`.

    Computed in reverse mode twice (the VJP is linear in its cotangent, and
    differentiating `<vjp(u), tangents>` by `u` gives `J @ tangents`).

    Returns `(primals_out, tangents_out)`, plus `aux` when `has_aux=True`.
    """
    from autograd import make_vjp, grad
    if not isinstance(primals, (list, tuple)) or not isinstance(tangents, (list, tuple)):
        raise ValueError("`primals` and `tangents` must be tuples or lists of arguments.")
    flat_p = [np.asarray(getval(_t(p))) for p in _tree_flatten(list(primals))]
    flat_t = [np.asarray(getval(_t(t))) for t in _tree_flatten(list(tangents))]
    if len(flat_p) != len(flat_t) or any(p.shape != t.shape for p, t in zip(flat_p, flat_t)):
        raise ValueError("`primals` and `tangents` must have the same structure and shapes.")
    # Everything travels as one flat vector so that autograd sees one input
    # and one output.
    dt = np.result_type(*[p.dtype for p in flat_p])
    sizes = [p.size for p in flat_p]
    cuts = list(np.cumsum(sizes)[:-1])
    vec0 = np.concatenate([p.reshape(-1).astype(dt) for p in flat_p])
    tvec = np.concatenate([t.reshape(-1).astype(dt) for t in flat_t])
    info = {}

    def flat_fun(vec):
        pieces = anp.split(vec, cuts) if cuts else [vec]
        leaves = [cast(anp.reshape(pc, p.shape), p.dtype) for pc, p in zip(pieces, flat_p)]
        out = fun(*_tree_pack(list(primals), leaves))
        if has_aux:
            out, info["aux"] = out
        info["structure"] = out
        outs = [_t(o) for o in _tree_flatten(out)]
        info["shapes"] = [np.shape(getval(o)) for o in outs]
        info["dtypes"] = [np.asarray(getval(o)).dtype for o in outs]
        return anp.concatenate([anp.reshape(o, (-1,)) for o in outs])

    vjp_fn, out_vec = make_vjp(flat_fun)(vec0)
    out_vec = np.asarray(out_vec)
    jvp_vec = np.asarray(grad(lambda u: anp.sum(vjp_fn(u) * tvec))(np.zeros_like(out_vec)))

    def unflatten(vec):
        parts, pos = [], 0
        for shp, odt in zip(info["shapes"], info["dtypes"]):
            n = int(np.prod(shp))
            parts.append(vec[pos:pos + n].reshape(shp).astype(odt))
            pos += n
        structure = info["structure"]
        if isinstance(structure, (list, tuple, dict)):
            return _tree_pack(structure, parts)
        return parts[0]
    primals_out, tangents_out = unflatten(out_vec), unflatten(jvp_vec)
    if has_aux:
        aux = info["aux"]
        leaves = [np.asarray(getval(a)) if hasattr(a, "_value") or isinstance(a, np.ndarray) else a
                  for a in _tree_flatten(aux)]
        aux = _tree_pack(aux, leaves) if isinstance(aux, (list, tuple, dict)) else leaves[0]
        return primals_out, tangents_out, aux
    return primals_out, tangents_out
