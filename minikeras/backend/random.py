"""Random state: one global generator plus per-object `SeedGenerator`s.

`set_random_seed(s)` reseeds Python's `random`, numpy's legacy global state and
the global generator here, so that layers built and trained afterwards get
bit-identical weights, dropout masks and shuffles.
"""
import random as _py_random

import numpy as np

_GLOBAL = {"rng": np.random.default_rng()}


def global_rng():
    return _GLOBAL["rng"]


def set_random_seed(seed):
    """Seed every source of randomness the library uses."""
    if not isinstance(seed, (int, np.integer)):
        raise ValueError(
            f"Expected `seed` argument to be an integer. Received: seed={seed} "
            f"(of type {type(seed)})")
    seed = int(seed)
    _py_random.seed(seed)
    np.random.seed(seed % (2 ** 32))
    _GLOBAL["rng"] = np.random.default_rng(seed)


class SeedGenerator:
    """Owns a random stream; each draw advances it.

    Args:
        seed: an int for a fixed stream; `None` draws one from the global
            generator (so it follows `utils.set_random_seed`).

    Example:

    >>> gen = SeedGenerator(42)
    >>> a = keras.random.normal((2,), seed=gen)
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if seed is None:
            seed = int(global_rng().integers(0, 2 ** 31 - 1))
        if not isinstance(seed, (int, np.integer)):
            raise ValueError(
                f"Argument `seed` must be an integer. Received: seed={seed}")
        self._initial_seed = int(seed)
        self.name = name or "seed_generator"
        self.rng = np.random.default_rng(self._initial_seed)

    def next(self, ordered=True):
        """Return a fresh integer seed derived from this stream."""
        return int(self.rng.integers(0, 2 ** 31 - 1))

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def rng_from_seed(seed):
    """A numpy Generator for a `seed` argument: None, int or SeedGenerator."""
    if seed is None:
        return global_rng()
    if isinstance(seed, SeedGenerator):
        return seed.rng
    if isinstance(seed, (int, np.integer)):
        return np.random.default_rng(int(seed))
    if isinstance(seed, np.random.Generator):
        return seed
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of "
        f"`SeedGenerator`. Received: seed={seed} (of type {type(seed)})")
