"""keras.random: seeded random tensors and `SeedGenerator`.

Draws with `seed=None` come from the global generator, so they repeat
after `keras.utils.set_random_seed`; an integer seed gives the same values
on every call; a `SeedGenerator` advances on each call.
"""
from minikeras.backend.random import SeedGenerator  # noqa: F401
from minikeras.random.distributions import (  # noqa: F401
    beta, binomial, categorical, dropout, gamma, normal, randint, shuffle,
    truncated_normal, uniform)

__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal",
           "randint", "shuffle", "truncated_normal", "uniform"]
