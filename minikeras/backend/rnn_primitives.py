"""Whole-sequence SimpleRNN, LSTM and GRU as autograd primitives.

One primitive call runs a whole sequence forward, and its VJP runs the whole
backward pass, so autograd records one node per layer call instead of a graph
of per-time-step ops. The layout is what the GEMMs want:

* forward: the input projection of every step is one GEMM (`x @ W` over the
  time-major `(T * B, D)` input); the loop over time does only `h @ U` and the
  gate arithmetic, keeping the activated gates for the backward pass;
* backward: the loop over time (reversed) does only `dz @ U.T` and the gate
  arithmetic, storing every step's pre-activation gradient `dz`; then `dU`,
  `dW` and `dx` are one GEMM each over all steps.

Semantics follow Keras 3's `backend.rnn`: `go_backwards` reads the input in
reverse and returns the outputs in processing order; with a `mask`, a masked
step carries the states through unchanged and outputs the previous output
(zeros before the first unmasked step, or always zeros with
`zero_output_for_mask=True`).

Dropout masks (`input_dropout_mask`, `recurrent_dropout_mask`) have shape
`(batch, G, dim)`: G = 1 shares one mask across gates (Keras's fused
implementation), G = number of gates gives each gate its own mask (Keras's
implementation 1, used with `recurrent_dropout`).

The VJPs use plain numpy: these primitives are differentiable once (no
gradient of a gradient).
"""
import weakref

import numpy as np
from autograd.extend import primitive, defvjp_argnums
from autograd.tracer import getval, isbox


# ----- BLAS threads -------------------------------------------------------------------
# The per-step GEMMs (batch x units x gates*units) are far too small for a
# multi-threaded BLAS: handing them to threads costs more than it saves (3x
# to 15x slower than one thread, measured with OpenBLAS on 2 cores). The
# time loops therefore run with one BLAS thread when numpy's OpenBLAS can be
# told so, and restore the setting afterwards.
_SMALL_GEMM = 1 << 23     # multiply-adds per step below which one thread is used
_BLAS = {}


def _openblas_controls():
    if "fns" in _BLAS:
        return _BLAS["fns"]
    fns = None
    try:
        import ctypes
        import glob
        import os
        libdir = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
        paths = glob.glob(os.path.join(libdir, "*openblas*"))
        if not paths:
            import sys
            libdir = os.path.join(os.path.dirname(np.__file__), ".dylibs") \
                if sys.platform == "darwin" else libdir
            paths = glob.glob(os.path.join(libdir, "*openblas*"))
        for path in paths:
            lib = ctypes.CDLL(path)
            for get_name, set_name in (
                    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
                    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
                    ("openblas_get_num_threads", "openblas_set_num_threads")):
                get_fn = getattr(lib, get_name, None)
                set_fn = getattr(lib, set_name, None)
                if get_fn is not None and set_fn is not None:
                    get_fn.restype = ctypes.c_int
                    set_fn.argtypes = [ctypes.c_int]
                    fns = (get_fn, set_fn)
                    break
            if fns:
                break
    except Exception:  # no OpenBLAS we can reach: leave threading alone
        fns = None
    _BLAS["fns"] = fns
    return fns


class _OneBlasThread:
    """Context manager: one BLAS thread inside when the GEMMs are small."""
    __slots__ = ("small", "saved")

    def __init__(self, macs_per_step):
        self.small = macs_per_step < _SMALL_GEMM
        self.saved = None

    def __enter__(self):
        if self.small:
            fns = _openblas_controls()
            if fns is not None:
                n = fns[0]()
                if n > 1:
                    fns[1](1)
                    self.saved = n
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            _openblas_controls()[1](self.saved)
            self.saved = None
        return False


# ----- scratch buffers ----------------------------------------------------------------
class _BufferPool:
    """Reuses the large per-call arrays (gates, states) across calls.

    A fresh multi-megabyte array per call costs more than the work done in
    it: the allocator hands the memory back to the system on free, and every
    page is faulted in and zeroed again on the next call. The arrays of a
    forward pass stay referenced until its backward pass is gone (they are
    given back when its `_Run` is collected), so nothing live is reused. At
    most `per_shape` arrays of one shape and `max_bytes` in all are kept.
    """

    def __init__(self, per_shape=2, max_bytes=128 << 20):
        self.free = {}
        self.per_shape = per_shape
        self.max_bytes = max_bytes
        self.nbytes = 0

    def take(self, shape, dtype):
        stack = self.free.get((shape, np.dtype(dtype).str))
        if stack:
            a = stack.pop()
            self.nbytes -= a.nbytes
            return a
        return np.empty(shape, dtype=dtype)

    def give(self, arrays):
        for a in arrays:
            stack = self.free.setdefault((a.shape, a.dtype.str), [])
            if len(stack) < self.per_shape and self.nbytes + a.nbytes <= self.max_bytes:
                stack.append(a)
                self.nbytes += a.nbytes


_POOL = _BufferPool()


# ----- activations: applied in place; derivatives computed from the output ----
def _tanh_(z):
    np.tanh(z, out=z)


def _sigmoid_(z):
    # 1 / (1 + exp(-z)); exp overflow to inf gives the exact limit 0.
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1
    np.reciprocal(z, out=z)


def _relu_(z):
    np.maximum(z, 0, out=z)


def _linear_(z):
    pass


def _hard_sigmoid_(z):
    # Keras 3: relu6(z + 3) / 6.
    z += 3
    np.clip(z, 0, 6, out=z)
    z /= 6


def _d_tanh(y):
    return 1 - y * y


def _d_sigmoid(y):
    return y * (1 - y)


def _d_relu(y):
    return (y > 0).astype(y.dtype)


def _d_linear(y):
    return np.ones_like(y)


def _d_hard_sigmoid(y):
    return ((y > 0) & (y < 1)).astype(y.dtype) / np.asarray(6, y.dtype)


ACTIVATIONS = {
    "tanh": (_tanh_, _d_tanh),
    "sigmoid": (_sigmoid_, _d_sigmoid),
    "relu": (_relu_, _d_relu),
    "linear": (_linear_, _d_linear),
    "hard_sigmoid": (_hard_sigmoid_, _d_hard_sigmoid),
}


def _act(name):
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"Unsupported activation for the fused recurrent kernel: {name!r}. "
            f"Supported: {sorted(ACTIVATIONS)}") from None


# ----- projections with optional (shared or per-gate) dropout masks ----------
class _Projection:
    """The input projection `xt (T, B, D) @ W (D, G*n) + b` of every step.

    Without per-gate dropout masks it is one GEMM; the bias rides along as
    an extra row of W against a column of ones, so neither the forward bias
    add nor the backward bias sum costs a pass over the `(T, B, G*n)` array.
    """

    def __init__(self, xt, W, b, xmask):
        self.xt, self.W, self.b, self.xmask = xt, W, b, xmask
        T, B, D = xt.shape
        self.X2 = None
        if xmask is None or xmask.shape[1] == 1:
            xm = xt if xmask is None else xt * xmask[:, 0]
            if b is None:
                self.X2 = xm.reshape(T * B, D)
            else:
                self.X2 = np.empty((T * B, D + 1), dtype=xt.dtype)
                self.X2[:, :D] = xm.reshape(T * B, D)
                self.X2[:, D] = 1

    def forward(self):
        xt, W, b, xmask = self.xt, self.W, self.b, self.xmask
        T, B, D = xt.shape
        if self.X2 is not None:
            Wb = W if b is None else np.concatenate([W, b[None, :]], axis=0)
            return (self.X2 @ Wb).reshape(T, B, -1)
        G = xmask.shape[1]
        n = W.shape[1] // G
        out = np.empty((T, B, G * n), dtype=xt.dtype)
        for g in range(G):
            sl = slice(g * n, (g + 1) * n)
            out[..., sl] = ((xt * xmask[:, g]).reshape(T * B, D) @ W[:, sl]).reshape(T, B, n)
        if b is not None:
            out += b
        return out

    def backward(self, dZ, want_x, want_W, W=None):
        """(dx, dW, db) for the stacked `dZ (T, B, G*n)`; `W` overrides the
        matrix used for dx (the forward may have used a rescaled copy)."""
        xt, xmask = self.xt, self.xmask
        W = self.W if W is None else W
        T, B, D = xt.shape
        dZ2 = dZ.reshape(T * B, -1)
        dx = dW = db = None
        if self.X2 is not None:
            if want_W:
                dWb = self.X2.T @ dZ2
                dW = dWb[:D]
                db = dWb[D] if self.b is not None else None
            if want_x:
                dx = (dZ2 @ W.T).reshape(T, B, D)
                if xmask is not None:
                    dx *= xmask[:, 0]
            return dx, dW, db
        G = xmask.shape[1]
        n = W.shape[1] // G
        if want_W:
            dW = np.empty_like(W)
            db = dZ2.sum(axis=0) if self.b is not None else None
        if want_x:
            dx = np.zeros((T, B, D), dtype=xt.dtype)
        for g in range(G):
            sl = slice(g * n, (g + 1) * n)
            dZg = dZ2[:, sl]
            if want_W:
                dW[:, sl] = (xt * xmask[:, g]).reshape(T * B, D).T @ dZg
            if want_x:
                dx += (dZg @ W[:, sl].T).reshape(T, B, D) * xmask[:, g]
        return dx, dW, db


def _recur(h, U, hmask, out):
    """`out[:] = h @ U`, masking `h` (per gate when `hmask` has G > 1)."""
    if hmask is None:
        np.matmul(h, U, out=out)
    elif hmask.shape[1] == 1:
        np.matmul(h * hmask[:, 0], U, out=out)
    else:
        G = hmask.shape[1]
        n = U.shape[1] // G
        for g in range(G):
            sl = slice(g * n, (g + 1) * n)
            np.matmul(h * hmask[:, g], U[:, sl], out=out[:, sl])


def _recur_back_h(dz, UT, hmask):
    """Gradient of `_recur` w.r.t. `h`, given `UT = U.T` (contiguous)."""
    if hmask is None:
        return dz @ UT
    if hmask.shape[1] == 1:
        return (dz @ UT) * hmask[:, 0]
    G = hmask.shape[1]
    n = UT.shape[0] // G
    out = (dz[:, :n] @ UT[:n]) * hmask[:, 0]
    for g in range(1, G):
        sl = slice(g * n, (g + 1) * n)
        out += (dz[:, sl] @ UT[sl]) * hmask[:, g]
    return out


def _recur_back_U(Hp, dZ, hmask):
    """Gradient of every step's `_recur` w.r.t. `U`: one GEMM over all steps."""
    T, B, n = Hp.shape
    dZ2 = dZ.reshape(T * B, -1)
    if hmask is None or hmask.shape[1] == 1:
        hm = Hp if hmask is None else Hp * hmask[:, 0]
        return hm.reshape(T * B, n).T @ dZ2
    G = hmask.shape[1]
    m = dZ2.shape[1] // G
    out = np.empty((n, G * m), dtype=Hp.dtype)
    for g in range(G):
        sl = slice(g * m, (g + 1) * m)
        out[:, sl] = (Hp * hmask[:, g]).reshape(T * B, n).T @ dZ2[:, sl]
    return out


# ----- shared plumbing -------------------------------------------------------------
class _Run:
    """A finished forward pass: its results and the closure for the backward.

    `macs` is the size of one recurrent GEMM (batch x units x gates*units),
    which decides the BLAS threading of the backward pass.
    """
    __slots__ = ("result", "backward", "macs", "__weakref__")

    def __init__(self, result, backward, macs):
        self.result = result
        self.backward = backward
        self.macs = macs


@primitive
def _sequence_apply(run, x, W, U, b, h0, c0):
    """Returns the precomputed results; its VJP runs the stored backward pass."""
    return run.result


def _sequence_vjp(argnums, ans, args, kwargs):
    run = args[0]
    want = {a - 1 for a in argnums}

    def vjp(g):
        with _OneBlasThread(run.macs):
            grads = run.backward(tuple(g), want)
        return tuple(grads[a - 1] for a in argnums)
    return vjp


defvjp_argnums(_sequence_apply, _sequence_vjp)


def _time_major(x, go_backwards):
    xt = np.swapaxes(x, 0, 1)
    if go_backwards:
        xt = xt[::-1]
    return np.ascontiguousarray(xt)


def _batch_major(dxt, go_backwards):
    if go_backwards:
        dxt = dxt[::-1]
    return np.ascontiguousarray(np.swapaxes(dxt, 0, 1))


def _mask_time_major(mask, go_backwards, dtype):
    """(T, B, 1) float 0/1 and boolean masks in processing order, or Nones."""
    if mask is None:
        return None, None
    m = np.asarray(mask).astype(bool)
    if m.ndim == 3:  # (B, T, 1) masks are accepted, as in Keras
        m = m[..., 0]
    mt = m.T
    if go_backwards:
        mt = mt[::-1]
    mb = np.ascontiguousarray(mt)[..., None]
    return mb.astype(dtype), mb


def _dropout_mask(m, dtype):
    if m is None:
        return None
    m = np.asarray(getval(m), dtype=dtype)
    return m[:, None, :] if m.ndim == 2 else m


def _as(a, dtype):
    if a is None:
        return None
    a = np.asarray(a)
    return a if a.dtype == dtype else a.astype(dtype)


def _zero_like_grad(g, shape, dtype):
    if g is None:
        return np.zeros(shape, dtype=dtype)
    return np.asarray(g, dtype=dtype)


def _masked_output(O, t, hn, mb, zero_output):
    """O[t] = where(mask, hn, previous output), zeros before any output."""
    if zero_output or t == 0:
        O[t] = np.where(mb, hn, 0)
    else:
        O[t] = np.where(mb, hn, O[t - 1])


def _start_grads(g_out, return_sequences, T, B, n, dtype):
    """Per-step output gradients (time-major view) or the last-step gradient."""
    g_out = _zero_like_grad(g_out, (B, T, n) if return_sequences else (B, n), dtype)
    if return_sequences:
        return np.swapaxes(g_out, 0, 1), None
    return None, g_out


def _step_output_grad(t, T, gseq, glast):
    if gseq is not None:
        return gseq[t]
    if t == T - 1:
        return glast
    return None


def _masked_step_grads(m, dh, dout, carry):
    """Split the incoming gradients at a step under a mask.

    Returns (d new h, gradient passed to the previous state, new output
    carry): where the mask is on, the step's new state received the output
    and state gradients; where it is off, the previous state (and, unless
    `zero_output_for_mask`, i.e. `carry` is None, the previous output) passed
    through and receive them.
    """
    if carry is not None:
        dout = carry if dout is None else dout + carry
    dhn = (dh if dout is None else dh + dout) * m
    dh_pass = dh - dh * m
    if carry is not None:
        carry = dout - dout * m
    return dhn, dh_pass, carry


# ----- LSTM --------------------------------------------------------------------------
# Keras gates i, f, c, o -> internal o, i, f, c: the sigmoid gates together,
# and the three gates the cell-state gradient multiplies (i, f, c) together.
_LSTM_ORDER = (3, 0, 1, 2)


def _gate_major(a, n, order):
    """`(rows, G * n)` in Keras gate order -> `(G, rows, n)` in `order`."""
    rows = a.shape[0]
    return np.ascontiguousarray(a.reshape(rows, len(order), n)[:, list(order)]
                                .transpose(1, 0, 2))


def _from_gate_major(a4, order):
    """Inverse of `_gate_major`: `(G, rows, n)` -> `(rows, G * n)` in Keras order."""
    inv = np.argsort(order)
    g, rows, n = a4.shape
    return np.ascontiguousarray(a4[inv].transpose(1, 0, 2)).reshape(rows, g * n)


def _per_gate_masks(m, order):
    """`(B, G, dim)` dropout masks -> `(G, B, dim)` in internal gate order
    (G stays 1 for a mask shared by the gates)."""
    if m is None:
        return None
    if m.shape[1] > 1:
        m = m[:, list(order)]
    return np.ascontiguousarray(m.transpose(1, 0, 2))


def lstm_sequence(x, kernel, recurrent_kernel, bias, h0, c0, mask=None,
                  input_dropout_mask=None, recurrent_dropout_mask=None,
                  activation="tanh", recurrent_activation="sigmoid",
                  go_backwards=False, return_sequences=False, zero_output_for_mask=False):
    """Run an LSTM over a whole sequence.

    Args:
        x: `(batch, timesteps, features)`.
        kernel: `(features, 4 * units)`, gates in Keras order i, f, c, o.
        recurrent_kernel: `(units, 4 * units)`.
        bias: `(4 * units,)` or None.
        h0, c0: initial states, `(batch, units)`.
        mask: optional `(batch, timesteps)` booleans (True = use the step).
        input_dropout_mask, recurrent_dropout_mask: optional multipliers,
            `(batch, dim)` shared by the gates or `(batch, 4, dim)` per gate.
        activation, recurrent_activation: names from `ACTIVATIONS`.

    Returns:
        `(output, h, c)`: the output sequence `(batch, timesteps, units)` if
        `return_sequences` else the last output `(batch, units)`, and the
        final states.
    """
    args = (x, kernel, recurrent_kernel, bias, h0, c0)
    traced = any(isbox(a) for a in args)
    xv = np.asarray(getval(x))
    dt = xv.dtype if xv.dtype.kind == "f" else np.dtype("float32")
    xv, W, U, b, h0v, c0v = (_as(getval(a), dt) for a in args)
    with _OneBlasThread(xv.shape[0] * U.size):
        run = _lstm_run(xv, W, U, b, h0v, c0v, mask, _dropout_mask(input_dropout_mask, dt),
                        _dropout_mask(recurrent_dropout_mask, dt), activation,
                        recurrent_activation, go_backwards, return_sequences,
                        zero_output_for_mask, traced)
    if not traced:
        return run.result
    return _sequence_apply(run, x, kernel, recurrent_kernel, bias, h0, c0)


def _lstm_run(x, W, U, b, h0, c0, mask, xmask, hmask, act, ract, go_backwards,
              return_sequences, zero_output, keep):
    # Layout: gate-major. Every per-step gate array is `(4, B, n)` with each
    # gate a contiguous `(B, n)` block (numpy's ufuncs run several times
    # faster on contiguous blocks than on column slices of a `(B, 4n)` row),
    # and the recurrent product is one batched matmul of four `n x n`
    # blocks, which OpenBLAS also runs faster than one `n x 4n` GEMM at these
    # sizes. The stored sequences are `(T, 4, B, n)`: one step's gates are
    # one contiguous block.
    dt = x.dtype
    B, T, D = x.shape
    n = U.shape[0]
    order = _LSTM_ORDER
    fa, da = _act(act)
    fr, dr = _act(ract)
    W4 = _gate_major(W, n, order)                       # (4, D, n)
    U4 = _gate_major(U, n, order)                       # (4, n, n)
    b4 = None if b is None else b.reshape(4, n)[list(order)]
    xm4 = _per_gate_masks(xmask, order)                 # (G, B, D) or None
    hm4 = _per_gate_masks(hmask, order)                 # (G, B, n) or None
    # With the default activations one tanh covers all four gates:
    # sigmoid(z) = 0.5 + 0.5 * tanh(z / 2), and halving the sigmoid gates'
    # weights is exact. Then every gate's derivative is
    # scale * (1 - tanh^2), scale = 1/4 for the sigmoid gates: the backward
    # loop multiplies by (1 - tanh^2) only, and the scale is folded into the
    # GEMM operands.
    fused = act == "tanh" and ract == "sigmoid"
    scale = np.ones((4, 1, 1), dtype=dt)                # d gate / d z, folded
    W4f, U4f, b4f = W4, U4, b4
    if fused:
        half = np.array([0.5, 0.5, 0.5, 1.0], dtype=dt)[:, None, None]
        W4f, U4f = W4 * half, U4 * half
        b4f = None if b4 is None else b4 * half[:, :, 0]
        scale[:3] = 0.25
    xt = _time_major(x, go_backwards)                   # (T, B, D)
    pool = _POOL
    owned = []

    def take(shape):
        a = pool.take(shape, dt)
        owned.append(a)
        return a

    # Input projection of every step, with the bias as an extra row of the
    # kernel against a column of ones (no separate bias pass, forward or
    # backward): XW[k] = [x * xmask_k, 1] @ [W_k; b_k].
    D1 = D if b is None else D + 1
    Wb = W4f if b is None else np.concatenate([W4f, b4f[:, None, :]], axis=1)
    G_in = 1 if xm4 is None else xm4.shape[0]
    X = take((G_in, T, B, D1))
    if xm4 is None:
        X[0, ..., :D] = xt
    else:
        np.multiply(xt[None], xm4[:, None], out=X[..., :D])
    if b is not None:
        X[..., D] = 1
    Gs = take((T, 4, B, n))                             # activated in place: o, i, f, c~
    np.matmul(X.transpose(1, 0, 2, 3), Wb, out=Gs)     # (T, G_in, B, D1) @ (4, D1, n)
    mt, mtb = _mask_time_major(mask, go_backwards, dt)
    H = take((T + 1, B, n))
    C = take((T + 1, B, n))
    H[0] = h0
    C[0] = c0
    nk = T if keep else 1
    AC = take((nk, B, n))                                # activation(new c)
    DG = take((T, 4, B, n)) if fused and keep else None  # 1 - tanh^2
    O = take((T, B, n)) if mt is not None else None
    tmp = np.empty((B, n), dtype=dt)
    rec = np.empty((4, B, n), dtype=dt)
    hm_buf = None if hm4 is None else np.empty(hm4.shape, dtype=dt)
    with np.errstate(over="ignore", under="ignore"):
        for t in range(T):
            k = t if keep else 0
            z = Gs[t]
            if hm4 is None:
                np.matmul(H[t], U4f, out=rec)
            else:
                np.multiply(H[t], hm4, out=hm_buf)
                np.matmul(hm_buf, U4f, out=rec)
            z += rec
            if fused:
                np.tanh(z, out=z)
                if keep:
                    d = DG[t]
                    np.multiply(z, z, out=d)
                    np.subtract(1, d, out=d)
                s = z[:3]
                s *= 0.5
                s += 0.5
            else:
                fr(z[:3])
                fa(z[3])
            o, i, f, g = z[0], z[1], z[2], z[3]
            cn = C[t + 1] if mt is None else np.empty((B, n), dtype=dt)
            np.multiply(f, C[t], out=cn)
            np.multiply(i, g, out=tmp)
            cn += tmp
            ac = AC[k]
            if fused:
                np.tanh(cn, out=ac)
            else:
                ac[...] = cn
                fa(ac)
            if mt is None:
                np.multiply(o, ac, out=H[t + 1])
            else:
                mb = mtb[t]
                C[t + 1] = np.where(mb, cn, C[t])
                hn = o * ac
                H[t + 1] = np.where(mb, hn, H[t])
                _masked_output(O, t, hn, mb, zero_output)
    seq = O if mt is not None else H[1:]
    # Copies (never views) leave: the buffers go back to the pool.
    out = np.swapaxes(seq, 0, 1).copy() if return_sequences else seq[T - 1].copy()
    result = (out, H[T].copy(), C[T].copy())
    consumed = []

    def backward(g, want):
        g_out, g_h, g_c = g
        gseq, glast = _start_grads(g_out, return_sequences, T, B, n, dt)
        dh = _zero_like_grad(g_h, (B, n), dt).copy()
        dc = _zero_like_grad(g_c, (B, n), dt).copy()
        # dL/dz / scale; with the fused activations it overwrites DG step by
        # step (saving a pass over memory). A second backward pass (persistent
        # tape) first rebuilds DG from the gates: 1 - tanh^2 = 4 y (1 - y) for
        # the sigmoid gates y.
        if fused:
            if consumed:
                y = Gs[:, :3]
                DG[:, :3] = 4 * y * (1 - y)
                DG[:, 3] = 1 - Gs[:, 3] * Gs[:, 3]
            consumed.append(True)
            Q = DG
        else:
            Q = take((T, 4, B, n))
        m4 = np.empty((4, B, n), dtype=dt)
        UT4s = np.ascontiguousarray(U4.transpose(0, 2, 1)) * scale   # (4, n, n)
        r4 = np.empty((4, B, n), dtype=dt)
        carry = None
        if mt is not None and not zero_output:
            carry = np.zeros((B, n), dtype=dt)
        t1 = np.empty((B, n), dtype=dt)
        dcn_buf = np.empty((B, n), dtype=dt)
        # dh, dc are updated in place: each step's inputs are consumed before.
        for t in range(T - 1, -1, -1):
            dout = _step_output_grad(t, T, gseq, glast)
            if mt is None:
                dhn = dh if dout is None else dh + dout
                dcn = dc
            else:
                m = mt[t]
                dhn, dh_pass, carry = _masked_step_grads(m, dh, dout, carry)
                dcn = dc * m
                dc_pass = dc - dcn
            z = Gs[t]
            ac = AC[t]
            if fused:
                np.multiply(ac, ac, out=t1)
                np.subtract(1, t1, out=t1)
            else:
                t1[...] = da(ac)
            t1 *= z[0]
            t1 *= dhn
            dcn = np.add(dcn, t1, out=dcn_buf)                # + dhn * o * act'(c)
            q = Q[t]
            np.multiply(dhn, ac, out=m4[0])                    # o
            np.multiply(dcn, z[3], out=m4[1])                  # i
            np.multiply(dcn, C[t], out=m4[2])                  # f
            np.multiply(dcn, z[1], out=m4[3])                  # c~
            if fused:
                np.multiply(m4, DG[t], out=q)
            else:
                m4[:3] *= dr(z[:3])
                m4[3] *= da(z[3])
                q[...] = m4
            np.multiply(dcn, z[2], out=dc)
            if mt is not None:
                dc += dc_pass
            if t == 0 and 4 not in want:
                break                                          # dh0 not needed
            np.matmul(q, UT4s, out=r4)
            if hm4 is not None:
                r4 *= hm4
            np.add.reduce(r4, axis=0, out=dh)
            if mt is not None:
                dh += dh_pass
        grads = [None] * 6
        # Weight gradients: per-step products summed over the steps (the
        # step axis leads, so each step's gate blocks are contiguous).
        if 1 in want or 3 in want:
            # (T, G_in, D1, B) @ (T, 4, B, n) -> (T, 4, D1, n)
            dWb = np.add.reduce(np.matmul(X.transpose(1, 0, 3, 2), Q), axis=0) * scale
            if 1 in want:
                grads[1] = _from_gate_major(dWb[:, :D], order)
            if 3 in want and b is not None:
                grads[3] = _from_gate_major(dWb[:, D:], order)[0]
        if 0 in want:
            W4sT = np.ascontiguousarray((W4 * scale).transpose(0, 2, 1))  # (4, n, D)
            dx4 = np.matmul(Q, W4sT)                                    # (T, 4, B, D)
            if xm4 is not None:
                dx4 *= xm4
            grads[0] = _batch_major(np.add.reduce(dx4, axis=1), go_backwards)
        if 2 in want:
            Hs = H[:T, None]                                            # (T, 1, B, n)
            if hm4 is not None:
                Hs = Hs * hm4
            dU4 = np.add.reduce(np.matmul(np.swapaxes(Hs, -1, -2), Q), axis=0) * scale
            grads[2] = _from_gate_major(dU4, order)
        grads[4] = dh
        grads[5] = dc
        return grads

    run = _Run(result, backward, B * U.size)
    if keep:
        weakref.finalize(run, pool.give, owned)
    else:
        pool.give(owned)
    return run


# ----- GRU ---------------------------------------------------------------------------
def gru_sequence(x, kernel, recurrent_kernel, bias, h0, mask=None,
                 input_dropout_mask=None, recurrent_dropout_mask=None,
                 activation="tanh", recurrent_activation="sigmoid", reset_after=True,
                 go_backwards=False, return_sequences=False, zero_output_for_mask=False):
    """Run a GRU over a whole sequence (gates in Keras order z, r, h).

    `bias` is `(2, 3 * units)` (input and recurrent biases) when
    `reset_after`, else `(3 * units,)`; or None. Returns `(output, h)`.
    Other arguments as in `lstm_sequence` (dropout masks: G = 3 per gate).
    """
    args = (x, kernel, recurrent_kernel, bias, h0)
    traced = any(isbox(a) for a in args)
    xv = np.asarray(getval(x))
    dt = xv.dtype if xv.dtype.kind == "f" else np.dtype("float32")
    xv, W, U, b, h0v = (_as(getval(a), dt) for a in args)
    with _OneBlasThread(xv.shape[0] * U.size):
        run = _gru_run(xv, W, U, b, h0v, mask, _dropout_mask(input_dropout_mask, dt),
                   _dropout_mask(recurrent_dropout_mask, dt), activation,
                   recurrent_activation, reset_after, go_backwards, return_sequences,
                   zero_output_for_mask, traced)
    if not traced:
        return run.result
    return _sequence_apply(run, x, kernel, recurrent_kernel, bias, h0, None)


def _gru_run(x, W, U, b, h0, mask, xmask, hmask, act, ract, reset_after, go_backwards,
             return_sequences, zero_output, keep):
    dt = x.dtype
    B, T, D = x.shape
    n = U.shape[0]
    n2 = 2 * n
    fa, da = _act(act)
    fr, dr = _act(ract)
    if b is None:
        b_in = b_rec = None
    elif reset_after:
        b_in, b_rec = b[0], b[1]
    else:
        b_in, b_rec = b, None
    xt = _time_major(x, go_backwards)
    proj = _Projection(xt, W, b_in, xmask)
    XW = proj.forward()
    mt, mtb = _mask_time_major(mask, go_backwards, dt)
    # Recurrent-dropout masks for the z/r part and for the candidate part.
    hm_zr = hm_h = hmask
    if hmask is not None and hmask.shape[1] == 3:
        hm_zr, hm_h = hmask[:, :2], hmask[:, 2:3]
    U_zr = np.ascontiguousarray(U[:, :n2])
    U_h = np.ascontiguousarray(U[:, n2:])
    H = np.empty((T + 1, B, n), dtype=dt)
    H[0] = h0
    nk = T if keep else 1
    ZR = np.empty((nk, B, n2), dtype=dt)
    HH = np.empty((nk, B, n), dtype=dt)
    R2 = np.empty((nk, B, n), dtype=dt)   # reset_after: U_h-projection of h; else r * h
    O = np.empty((T, B, n), dtype=dt) if mt is not None else None
    hu = np.empty((B, 3 * n if reset_after else n2), dtype=dt)
    with np.errstate(over="ignore", under="ignore"):
        for t in range(T):
            k = t if keep else 0
            h = H[t]
            xw = XW[t]
            zr, hh = ZR[k], HH[k]
            if reset_after:
                _recur(h, U, hmask, hu)
                if b_rec is not None:
                    hu += b_rec
                np.add(xw[:, :n2], hu[:, :n2], out=zr)
                fr(zr)
                R2[k] = hu[:, n2:]
                np.multiply(zr[:, n:], hu[:, n2:], out=hh)
            else:
                _recur(h, U_zr, hm_zr, hu)
                np.add(xw[:, :n2], hu, out=zr)
                fr(zr)
                hrec = h if hm_h is None else h * hm_h[:, 0]
                np.multiply(zr[:, n:], hrec, out=R2[k])
                np.matmul(R2[k], U_h, out=hh)
            hh += xw[:, n2:]
            fa(hh)
            hn = h - hh
            hn *= zr[:, :n]
            hn += hh                                   # z * h + (1 - z) * hh
            if mt is None:
                H[t + 1] = hn
            else:
                mb = mtb[t]
                H[t + 1] = np.where(mb, hn, h)
                _masked_output(O, t, hn, mb, zero_output)
    seq = O if mt is not None else H[1:]
    out = np.ascontiguousarray(np.swapaxes(seq, 0, 1)) if return_sequences else seq[T - 1].copy()
    result = (out, H[T].copy())

    def backward(g, want):
        g_out, g_h = g[0], g[1]
        gseq, glast = _start_grads(g_out, return_sequences, T, B, n, dt)
        dh = _zero_like_grad(g_h, (B, n), dt).copy()
        dZR = dr(ZR)
        dHH = da(HH)
        dXZ = np.empty((T, B, 3 * n), dtype=dt)
        dHU = np.empty((T, B, 3 * n), dtype=dt) if reset_after else None
        UT = np.ascontiguousarray(U.T)
        U_zrT = np.ascontiguousarray(U_zr.T)
        U_hT = np.ascontiguousarray(U_h.T)
        carry = None
        if mt is not None and not zero_output:
            carry = np.zeros((B, n), dtype=dt)
        for t in range(T - 1, -1, -1):
            dout = _step_output_grad(t, T, gseq, glast)
            if mt is None:
                dhn = dh if dout is None else dh + dout
            else:
                dhn, dh_pass, carry = _masked_step_grads(mt[t], dh, dout, carry)
            h = H[t]
            z, r = ZR[t][:, :n], ZR[t][:, n:]
            dxz = dXZ[t]
            dah = dxz[:, n2:]
            np.multiply(dhn, 1 - z, out=dah)
            dah *= dHH[t]                               # d candidate pre-activation
            np.multiply(dhn, h - HH[t], out=dxz[:, :n])  # d z
            if reset_after:
                np.multiply(dah, R2[t], out=dxz[:, n:n2])  # d r
                dxz[:, :n2] *= dZR[t]
                dhu = dHU[t]
                dhu[:, :n2] = dxz[:, :n2]
                np.multiply(dah, r, out=dhu[:, n2:])
                dh = dhn * z + _recur_back_h(dhu, UT, hmask)
            else:
                drh = dah @ U_hT
                hrec = h if hm_h is None else h * hm_h[:, 0]
                np.multiply(drh, hrec, out=dxz[:, n:n2])
                dxz[:, :n2] *= dZR[t]
                dhr = drh * r
                if hm_h is not None:
                    dhr *= hm_h[:, 0]
                dh = dhn * z + _recur_back_h(dxz[:, :n2], U_zrT, hm_zr) + dhr
            if mt is not None:
                dh += dh_pass
        grads = [None] * 6
        dxt, dW, db_in = proj.backward(dXZ, 0 in want, 1 in want or 3 in want)
        if 0 in want:
            grads[0] = _batch_major(dxt, go_backwards)
        grads[1] = dW
        if 2 in want:
            if reset_after:
                grads[2] = _recur_back_U(H[:T], dHU, hmask)
            else:
                dU = np.empty_like(U)
                dU[:, :n2] = _recur_back_U(H[:T], dXZ[..., :n2], hm_zr)
                dU[:, n2:] = R2.reshape(T * B, n).T @ dXZ[..., n2:].reshape(T * B, n)
                grads[2] = dU
        if 3 in want and b is not None:
            grads[3] = (np.stack([db_in, dHU.reshape(T * B, -1).sum(axis=0)])
                        if reset_after else db_in)
        grads[4] = dh
        return grads

    return _Run(result, backward, B * U.size)


# ----- SimpleRNN ---------------------------------------------------------------------
def simple_rnn_sequence(x, kernel, recurrent_kernel, bias, h0, mask=None,
                        input_dropout_mask=None, recurrent_dropout_mask=None,
                        activation="tanh", go_backwards=False, return_sequences=False,
                        zero_output_for_mask=False):
    """Run `h = activation(x @ W + b + h @ U)` over a whole sequence.

    Returns `(output, h)`; arguments as in `lstm_sequence` (dropout masks
    `(batch, dim)`).
    """
    args = (x, kernel, recurrent_kernel, bias, h0)
    traced = any(isbox(a) for a in args)
    xv = np.asarray(getval(x))
    dt = xv.dtype if xv.dtype.kind == "f" else np.dtype("float32")
    xv, W, U, b, h0v = (_as(getval(a), dt) for a in args)
    with _OneBlasThread(xv.shape[0] * U.size):
        run = _simple_run(xv, W, U, b, h0v, mask, _dropout_mask(input_dropout_mask, dt),
                          _dropout_mask(recurrent_dropout_mask, dt), activation, go_backwards,
                          return_sequences, zero_output_for_mask, traced)
    if not traced:
        return run.result
    return _sequence_apply(run, x, kernel, recurrent_kernel, bias, h0, None)


def _simple_run(x, W, U, b, h0, mask, xmask, hmask, act, go_backwards, return_sequences,
                zero_output, keep):
    dt = x.dtype
    B, T, D = x.shape
    n = U.shape[0]
    fa, da = _act(act)
    xt = _time_major(x, go_backwards)
    proj = _Projection(xt, W, b, xmask)
    XW = proj.forward()
    mt, mtb = _mask_time_major(mask, go_backwards, dt)
    H = np.empty((T + 1, B, n), dtype=dt)
    H[0] = h0
    A = XW                                    # activated in place
    O = np.empty((T, B, n), dtype=dt) if mt is not None else None
    rec = np.empty((B, n), dtype=dt)
    with np.errstate(over="ignore", under="ignore"):
        for t in range(T):
            a = A[t]
            _recur(H[t], U, hmask, rec)
            a += rec
            fa(a)
            if mt is None:
                H[t + 1] = a
            else:
                mb = mtb[t]
                H[t + 1] = np.where(mb, a, H[t])
                _masked_output(O, t, a, mb, zero_output)
    seq = O if mt is not None else H[1:]
    out = np.ascontiguousarray(np.swapaxes(seq, 0, 1)) if return_sequences else seq[T - 1].copy()
    result = (out, H[T].copy())

    def backward(g, want):
        g_out, g_h = g[0], g[1]
        gseq, glast = _start_grads(g_out, return_sequences, T, B, n, dt)
        dh = _zero_like_grad(g_h, (B, n), dt).copy()
        dA = da(A)
        dZ = np.empty((T, B, n), dtype=dt)
        UT = np.ascontiguousarray(U.T)
        carry = None
        if mt is not None and not zero_output:
            carry = np.zeros((B, n), dtype=dt)
        for t in range(T - 1, -1, -1):
            dout = _step_output_grad(t, T, gseq, glast)
            if mt is None:
                dhn = dh if dout is None else dh + dout
            else:
                dhn, dh_pass, carry = _masked_step_grads(mt[t], dh, dout, carry)
            np.multiply(dhn, dA[t], out=dZ[t])
            dh = _recur_back_h(dZ[t], UT, hmask)
            if mt is not None:
                dh += dh_pass
        grads = [None] * 6
        dxt, dW, db = proj.backward(dZ, 0 in want, 1 in want or 3 in want)
        if 0 in want:
            grads[0] = _batch_major(dxt, go_backwards)
        grads[1] = dW
        if 2 in want:
            grads[2] = _recur_back_U(H[:T], dZ, hmask)
        if 3 in want and b is not None:
            grads[3] = db
        grads[4] = dh
        return grads

    return _Run(result, backward, B * U.size)
