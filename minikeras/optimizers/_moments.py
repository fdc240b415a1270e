"""In-place moving-average updates shared by the optimizers' `update_step`s.

Two forms, kept apart because they round differently and each optimizer
matches Keras's own form bit for bit. Both write into `out`, a scratch
buffer (it may be `target` itself), so a step allocates nothing.
"""
import numpy as np


def ema_update(moment, target, one_minus_beta, out):
    """`moment += (target - moment) * (1 - beta)` (Adam's form)."""
    np.subtract(target, moment, out=out)
    np.multiply(out, one_minus_beta, out=out)
    np.add(moment, out, out=moment)


def adam_moments(m, v, g, one_minus_beta_1, one_minus_beta_2, out):
    """Adam's first and second moment updates from gradient `g`."""
    ema_update(m, g, one_minus_beta_1, out)
    np.square(g, out=out)
    ema_update(v, out, one_minus_beta_2, out)


def decay_update(acc, target, rho, one_minus_rho, out):
    """`acc = rho * acc + (1 - rho) * target` (RMSprop's form)."""
    np.multiply(acc, rho, out=acc)
    np.multiply(target, one_minus_rho, out=out)
    np.add(acc, out, out=acc)
