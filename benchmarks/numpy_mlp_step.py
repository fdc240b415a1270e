"""The MLP training step written by hand in numpy: a reference, not a floor.

`bench_mlp.py` compares minikeras with two numpy baselines. The floor is the
step's eight GEMMs alone; this module is the whole step as a person would
write it for this one model with no framework at all: preallocated buffers,
in-place updates, the fused softmax cross-entropy gradient and Keras's Adam
update. It shows how far above the floor numpy itself lands, so that the
distance between minikeras and the floor can be split into "numpy" and
"framework".

`tests/benchmarks/test_numpy_mlp_step.py` checks that it computes the same
update as `model.train_on_batch`, so it does the same work.
"""
import numpy as np


class NumpyMLPStep:
    """One Adam step of a Dense-relu, Dense-relu, Dense-softmax MLP.

    Args:
        weights: `[w1, b1, w2, b2, w3, b3]`, float32 (copied).
        batch_size: rows per step.
        learning_rate, beta_1, beta_2, epsilon: Keras's Adam arguments.
    """

    def __init__(self, weights, batch_size, learning_rate=0.001, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-7):
        f32 = np.float32
        self.params = [np.array(w, dtype=f32) for w in weights]
        self.grads = [np.empty_like(p) for p in self.params]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.tmp = np.empty(max(p.size for p in self.params), f32)
        w1, _, w2, _, w3, _ = self.params
        n = batch_size
        self.h1 = np.empty((n, w1.shape[1]), f32)
        self.h2 = np.empty((n, w2.shape[1]), f32)
        self.z = np.empty((n, w3.shape[1]), f32)
        self.d2 = np.empty_like(self.h2)
        self.d1 = np.empty_like(self.h1)
        self.lr, self.b1, self.b2, self.eps = f32(learning_rate), f32(beta_1), f32(beta_2), f32(epsilon)
        self.t = 0

    def __call__(self, x, y):
        """Forward, backward and update on one batch; returns the mean loss."""
        w1, b1, w2, b2, w3, b3 = self.params
        gw1, gb1, gw2, gb2, gw3, gb3 = self.grads
        h1, h2, z, d1, d2 = self.h1, self.h2, self.z, self.d1, self.d2
        np.matmul(x, w1, out=h1)
        np.add(h1, b1, out=h1)
        np.maximum(h1, 0, out=h1)
        np.matmul(h1, w2, out=h2)
        np.add(h2, b2, out=h2)
        np.maximum(h2, 0, out=h2)
        np.matmul(h2, w3, out=z)
        np.add(z, b3, out=z)
        # Softmax cross-entropy from the logits and its gradient, (p - y) / n.
        s = z - np.maximum.reduce(z, axis=1, keepdims=True)
        e = np.exp(s)
        total = np.add.reduce(e, axis=1, keepdims=True)
        loss = np.add.reduce(y * (np.log(total) - s), axis=None) / np.float32(len(x))
        dz = e / total
        dz -= y
        dz /= np.float32(len(x))
        np.matmul(h2.T, dz, out=gw3)
        np.add.reduce(dz, axis=0, out=gb3)
        np.matmul(dz, w3.T, out=d2)
        np.multiply(d2, h2 > 0, out=d2)
        np.matmul(h1.T, d2, out=gw2)
        np.add.reduce(d2, axis=0, out=gb2)
        np.matmul(d2, w2.T, out=d1)
        np.multiply(d1, h1 > 0, out=d1)
        np.matmul(x.T, d1, out=gw1)
        np.add.reduce(d1, axis=0, out=gb1)
        self._adam()
        return loss

    def _adam(self):
        self.t += 1
        one = np.float32(1)
        alpha = np.float32(self.lr * np.sqrt(one - self.b2 ** self.t) / (one - self.b1 ** self.t))
        c1, c2 = one - self.b1, one - self.b2
        for p, g, m, v in zip(self.params, self.grads, self.m, self.v):
            tmp = self.tmp[:p.size].reshape(p.shape)
            np.subtract(g, m, out=tmp)      # m += (g - m) * (1 - beta_1)
            np.multiply(tmp, c1, out=tmp)
            np.add(m, tmp, out=m)
            np.square(g, out=tmp)           # v += (g^2 - v) * (1 - beta_2)
            np.subtract(tmp, v, out=tmp)
            np.multiply(tmp, c2, out=tmp)
            np.add(v, tmp, out=v)
            np.sqrt(v, out=tmp)             # p -= alpha * m / (sqrt(v) + eps)
            np.add(tmp, self.eps, out=tmp)
            np.divide(m, tmp, out=tmp)
            np.multiply(tmp, alpha, out=tmp)
            np.subtract(p, tmp, out=p)
