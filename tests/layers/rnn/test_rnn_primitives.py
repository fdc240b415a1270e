"""Numerical-gradient checks (float64) of the whole-sequence RNN primitives,
and their agreement with a plain per-step autograd reference."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from minikeras.backend import rnn_primitives as R
from tests.gradcheck import check_grad

B, T, D, N = 2, 4, 3, 3
MASK = np.array([[1, 1, 0, 0], [0, 1, 1, 1]], dtype=bool)


def _params(kind, rng, reset_after=True):
    gates = {"lstm": 4, "gru": 3, "simple": 1}[kind]
    W = rng.standard_normal((D, gates * N)) * 0.6
    U = rng.standard_normal((N, gates * N)) * 0.6
    if kind == "gru" and reset_after:
        b = rng.standard_normal((2, gates * N)) * 0.3
    else:
        b = rng.standard_normal(gates * N) * 0.3
    return W, U, b


def _run(kind, x, W, U, b, h0, c0, **kw):
    if kind == "lstm":
        out = R.lstm_sequence(x, W, U, b, h0, c0, **kw)
    elif kind == "gru":
        out = R.gru_sequence(x, W, U, b, h0, **kw)
    else:
        out = R.simple_rnn_sequence(x, W, U, b, h0, **kw)
    return anp.concatenate([anp.ravel(o) for o in out])


VARIANTS = {
    "plain": {},
    "seq": {"return_sequences": True},
    "backwards_seq": {"go_backwards": True, "return_sequences": True},
    "mask_seq": {"mask": MASK, "return_sequences": True},
    "mask_last": {"mask": MASK},
    "mask_zero_out": {"mask": MASK, "return_sequences": True, "zero_output_for_mask": True},
    "mask_backwards": {"mask": MASK, "go_backwards": True, "return_sequences": True},
}
KINDS = [("lstm", {}), ("gru", {"reset_after": True}), ("gru", {"reset_after": False}),
         ("simple", {})]


@pytest.mark.parametrize("kind,extra", KINDS, ids=["lstm", "gru", "gru_reset_before", "simple"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_gradients_match_finite_differences(kind, extra, variant):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((B, T, D))
    W, U, b = _params(kind, rng, extra.get("reset_after", True))
    h0 = rng.standard_normal((B, N)) * 0.5
    c0 = rng.standard_normal((B, N)) * 0.5 if kind == "lstm" else None
    kw = {**VARIANTS[variant], **extra}
    args = [x, W, U, b, h0] + ([c0] if kind == "lstm" else [])

    def f(*a):
        a = list(a)
        c = a[5] if kind == "lstm" else None
        return _run(kind, a[0], a[1], a[2], a[3], a[4], c, **kw)
    for argnum in range(len(args)):
        check_grad(f, *args, argnum=argnum, eps=1e-6, rtol=1e-5, atol=1e-8)


ACTS = [("lstm", "relu", "hard_sigmoid"), ("lstm", "linear", "sigmoid"),
        ("gru", "relu", "hard_sigmoid"), ("simple", "relu", None), ("simple", "linear", None),
        ("simple", "sigmoid", None), ("simple", "hard_sigmoid", None)]


@pytest.mark.parametrize("kind,act,ract", ACTS)
def test_other_activations_gradients(kind, act, ract):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((B, T, D))
    W, U, b = _params(kind, rng)
    h0 = rng.standard_normal((B, N)) * 0.5
    c0 = rng.standard_normal((B, N)) * 0.5
    kw = {"activation": act, "return_sequences": True}
    if ract:
        kw["recurrent_activation"] = ract

    def f(x, W, U, b, h0):
        return _run(kind, x, W, U, b, h0, c0, **kw)
    for argnum in range(5):
        # Kinks of relu / hard_sigmoid are measure-zero for these draws.
        check_grad(f, x, W, U, b, h0, argnum=argnum, eps=1e-6, rtol=1e-5, atol=1e-8)


def _dropout_masks(rng, gates, shared):
    g = 1 if shared else gates
    xm = (rng.random((B, g, D)) > 0.3) / 0.7
    hm = (rng.random((B, g, N)) > 0.3) / 0.7
    return xm, hm


# SimpleRNN has one gate: per-gate and shared masks coincide.
DROPOUT_CASES = [(k, e, s) for k, e in KINDS for s in (True, False) if k != "simple" or s]


@pytest.mark.parametrize("kind,extra,shared", DROPOUT_CASES)
def test_dropout_mask_gradients(kind, extra, shared):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((B, T, D))
    W, U, b = _params(kind, rng, extra.get("reset_after", True))
    h0 = rng.standard_normal((B, N)) * 0.5
    c0 = rng.standard_normal((B, N)) * 0.5
    gates = {"lstm": 4, "gru": 3, "simple": 1}[kind]
    xm, hm = _dropout_masks(rng, gates, shared)
    kw = {**extra, "return_sequences": True, "mask": MASK, "input_dropout_mask": xm,
          "recurrent_dropout_mask": hm}

    def f(x, W, U, b, h0):
        return _run(kind, x, W, U, b, h0, c0, **kw)
    for argnum in range(5):
        check_grad(f, x, W, U, b, h0, argnum=argnum, eps=1e-6, rtol=1e-5, atol=1e-8)


# ----- agreement with a per-step reference written with autograd ops ---------------
def _sig(z):
    return 1 / (1 + anp.exp(-z))


def _ref(kind, x, W, U, b, h0, c0, xm=None, hm=None, reset_after=True):
    """Per-step reference with Keras's gate order and per-gate dropout masks."""
    n = U.shape[0]
    G = W.shape[1] // n
    h, c = h0, c0
    outs = []

    def xin(g):
        return x_t if xm is None else x_t * xm[:, g if xm.shape[1] > 1 else 0]

    def hin(g):
        return h if hm is None else h * hm[:, g if hm.shape[1] > 1 else 0]
    for t in range(x.shape[1]):
        x_t = x[:, t]
        sl = [slice(g * n, (g + 1) * n) for g in range(G)]
        if kind == "simple":
            h = anp.tanh(anp.dot(xin(0), W) + b + anp.dot(hin(0), U))
        elif kind == "lstm":
            z = [anp.dot(xin(g), W[:, sl[g]]) + b[sl[g]] + anp.dot(hin(g), U[:, sl[g]])
                 for g in range(4)]
            c = _sig(z[1]) * c + _sig(z[0]) * anp.tanh(z[2])
            h = _sig(z[3]) * anp.tanh(c)
        else:
            bi, br = (b[0], b[1]) if reset_after else (b, None)
            xz = [anp.dot(xin(g), W[:, sl[g]]) + bi[sl[g]] for g in range(3)]
            if reset_after:
                hu = [anp.dot(hin(g), U[:, sl[g]]) + br[sl[g]] for g in range(3)]
                z, r = _sig(xz[0] + hu[0]), _sig(xz[1] + hu[1])
                hh = anp.tanh(xz[2] + r * hu[2])
            else:
                z = _sig(xz[0] + anp.dot(hin(0), U[:, sl[0]]))
                r = _sig(xz[1] + anp.dot(hin(1), U[:, sl[1]]))
                hh = anp.tanh(xz[2] + anp.dot(r * hin(2), U[:, sl[2]]))
            h = z * h + (1 - z) * hh
        outs.append(h)
    return anp.concatenate([anp.ravel(anp.stack(outs, 1)), anp.ravel(h)] +
                           ([anp.ravel(c)] if kind == "lstm" else []))


REF_CASES = [(k, e, d) for k, e in KINDS for d in ("none", "shared", "per_gate")
             if k != "simple" or d != "per_gate"]


@pytest.mark.parametrize("kind,extra,dropout", REF_CASES)
def test_matches_per_step_reference(kind, extra, dropout):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((B, T, D))
    reset_after = extra.get("reset_after", True)
    W, U, b = _params(kind, rng, reset_after)
    h0 = rng.standard_normal((B, N)) * 0.5
    c0 = rng.standard_normal((B, N)) * 0.5
    gates = {"lstm": 4, "gru": 3, "simple": 1}[kind]
    xm = hm = None
    if dropout != "none":
        xm, hm = _dropout_masks(rng, gates, dropout == "shared")
    kw = {**extra, "return_sequences": True, "input_dropout_mask": xm,
          "recurrent_dropout_mask": hm}
    got = _run(kind, x, W, U, b, h0, c0, **kw)
    want = _ref(kind, x, W, U, b, h0, c0, xm, hm, reset_after)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # and the gradients w.r.t. every argument
    r = rng.standard_normal(np.shape(want))
    for argnum in range(5):
        def loss(*a, fn):
            a = list(a)
            return anp.sum(fn(*a) * r)
        g_got = autograd.grad(lambda *a: loss(*a, fn=lambda *q: _run(
            kind, *q, c0, **kw)), argnum)(x, W, U, b, h0)
        g_want = autograd.grad(lambda *a: loss(*a, fn=lambda *q: _ref(
            kind, *q, c0, xm, hm, reset_after)), argnum)(x, W, U, b, h0)
        np.testing.assert_allclose(g_got, g_want, rtol=1e-10, atol=1e-12)


def test_float32_stays_float32_and_inference_skips_storage():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((B, T, D)).astype(np.float32)
    W, U, b = (a.astype(np.float32) for a in _params("lstm", rng))
    h0 = np.zeros((B, N), np.float32)
    out, h, c = R.lstm_sequence(x, W, U, b, h0, h0, return_sequences=True)
    assert out.dtype == h.dtype == c.dtype == np.float32
    assert out.shape == (B, T, N) and out.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(out[:, -1], h)


def test_unsupported_activation_is_a_clear_error():
    rng = np.random.default_rng(6)
    W, U, b = _params("simple", rng)
    with pytest.raises(ValueError, match="Unsupported activation"):
        R.simple_rnn_sequence(np.zeros((B, T, D)), W, U, b, np.zeros((B, N)),
                              activation="softplus")


def test_one_blas_thread_context_restores_setting():
    fns = R._openblas_controls()
    if fns is None:
        pytest.skip("numpy's BLAS is not a reachable OpenBLAS")
    before = fns[0]()
    with R._OneBlasThread(10):
        assert fns[0]() == 1
    assert fns[0]() == before
    with R._OneBlasThread(R._SMALL_GEMM * 2):
        assert fns[0]() == before


def test_backward_can_run_twice():
    """A persistent tape runs a VJP twice; the LSTM kernel reuses its
    derivative buffer during the first pass and must rebuild it."""
    from minikeras.backend.tape import GradientTape
    from minikeras.backend.variables import Variable
    rng = np.random.default_rng(7)
    x = rng.standard_normal((B, T, D)).astype(np.float32)
    W, U, b = (a.astype(np.float32) for a in _params("lstm", rng))
    W = Variable(W)
    h0 = np.zeros((B, N), np.float32)
    with GradientTape(persistent=True) as tape:
        out, h, c = R.lstm_sequence(x, W.value, U, b, h0, h0, return_sequences=True)
        loss = (out * out).sum()
    g1 = tape.gradient(loss, W)
    g2 = tape.gradient(loss, W)
    np.testing.assert_allclose(g1, g2, rtol=1e-6, atol=1e-7)
    assert np.all(np.isfinite(g1)) and np.abs(g1).sum() > 0


def test_reused_buffers_never_alias_live_results():
    """The LSTM kernel reuses its large buffers across calls: outputs handed
    out (even for batch 1, where a transpose is already contiguous) and the
    stored state of a pending backward pass must not be overwritten."""
    from minikeras.backend.tape import GradientTape
    from minikeras.backend.variables import Variable
    rng = np.random.default_rng(8)
    W, U, b = (a.astype(np.float32) for a in _params("lstm", rng))
    x1 = rng.standard_normal((1, T, D)).astype(np.float32)
    x2 = rng.standard_normal((1, T, D)).astype(np.float32)
    h0 = np.zeros((1, N), np.float32)
    out1, h1, _ = R.lstm_sequence(x1, W, U, b, h0, h0, return_sequences=True)
    kept = out1.copy(), h1.copy()
    R.lstm_sequence(x2, W, U, b, h0, h0, return_sequences=True)
    np.testing.assert_array_equal(out1, kept[0])
    np.testing.assert_array_equal(h1, kept[1])

    Wv = Variable(W)

    def grad_of(x, interleave=None):
        with GradientTape() as tape:
            out, _, _ = R.lstm_sequence(x, Wv.value, U, b, h0, h0, return_sequences=True)
            loss = (out * out).sum()
        if interleave is not None:  # another call between forward and backward
            interleave()
        return tape.gradient(loss, Wv)
    alone = grad_of(x1)
    interleaved = grad_of(x1, lambda: grad_of(x2))
    np.testing.assert_allclose(interleaved, alone, rtol=1e-6, atol=1e-7)
