"""keras.random: dtypes, shapes, seeding rules, distributions, errors."""
import numpy as np
import pytest

from minikeras import ops, random, utils
from minikeras.backend import GradientTape, Variable
from minikeras.backend.random import set_random_seed

DRAWS = {
    "normal": lambda seed: random.normal((200, 50), mean=1.0, stddev=2.0, seed=seed),
    "uniform": lambda seed: random.uniform((200, 50), minval=-1.0, maxval=3.0, seed=seed),
    "truncated_normal": lambda seed: random.truncated_normal((200, 50), stddev=0.5, seed=seed),
    "randint": lambda seed: random.randint((200, 50), 2, 7, seed=seed),
    "categorical": lambda seed: random.categorical(np.log([[0.2, 0.8], [0.9, 0.1]]), 5000, seed=seed),
    "gamma": lambda seed: random.gamma((200, 50), alpha=3.0, seed=seed),
    "binomial": lambda seed: random.binomial((200, 50), counts=10, probabilities=0.3, seed=seed),
    "beta": lambda seed: random.beta((200, 50), alpha=2.0, beta=5.0, seed=seed),
    "dropout": lambda seed: random.dropout(np.ones((200, 50), "float32"), 0.3, seed=seed),
    "shuffle": lambda seed: random.shuffle(np.arange(100), seed=seed),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_integer_seed_repeats_and_global_seed_follows_set_random_seed(name):
    draw = DRAWS[name]
    np.testing.assert_array_equal(draw(3), draw(3))
    assert not np.array_equal(draw(3), draw(4))
    utils.set_random_seed(12)
    a = draw(None)
    b = draw(None)
    utils.set_random_seed(12)
    np.testing.assert_array_equal(a, draw(None))
    np.testing.assert_array_equal(b, draw(None))
    assert not np.array_equal(a, b)


def test_seed_generator_advances_and_is_reproducible():
    gen = random.SeedGenerator(42)
    a, b = random.normal((5,), seed=gen), random.normal((5,), seed=gen)
    assert not np.array_equal(a, b)
    gen2 = random.SeedGenerator(42)
    np.testing.assert_array_equal(a, random.normal((5,), seed=gen2))
    assert random.SeedGenerator.from_config(gen.get_config()).get_config() == {"seed": 42}
    set_random_seed(5)
    g1 = random.SeedGenerator()
    set_random_seed(5)
    g2 = random.SeedGenerator()
    np.testing.assert_array_equal(random.uniform((3,), seed=g1), random.uniform((3,), seed=g2))


def test_dtypes_default_to_floatx_and_int32():
    for fn in (random.normal, random.uniform, random.truncated_normal):
        assert fn((2, 3), seed=1).dtype == np.float32
        assert fn((2, 3), seed=1, dtype="float64").dtype == np.float64
    assert random.randint((3,), 0, 5, seed=1).dtype == np.int32
    assert random.randint((3,), 0, 5, seed=1, dtype="int64").dtype == np.int64
    assert random.categorical(np.zeros((2, 3)), 4, seed=1).dtype == np.int32
    assert random.categorical(np.zeros((2, 3)), 4, seed=1).shape == (2, 4)
    assert random.gamma((2,), 1.0, seed=1).dtype == np.float32
    assert random.binomial((2,), 5, 0.5, seed=1).dtype == np.float32
    assert random.beta((2,), 1.0, 1.0, seed=1).dtype == np.float32


def test_distribution_statistics():
    n = DRAWS["normal"](0)
    assert abs(n.mean() - 1.0) < 0.05 and abs(n.std() - 2.0) < 0.05
    u = DRAWS["uniform"](0)
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.05
    t = DRAWS["truncated_normal"](0)
    assert np.abs(t).max() <= 1.0 + 1e-6 and abs(t.std() - 0.5 * 0.88) < 0.02
    r = DRAWS["randint"](0)
    assert set(np.unique(r)) == {2, 3, 4, 5, 6}
    c = DRAWS["categorical"](0)
    assert abs(c[0].mean() - 0.8) < 0.03 and abs(c[1].mean() - 0.1) < 0.03
    g = DRAWS["gamma"](0)
    assert abs(g.mean() - 3.0) < 0.1 and abs(g.var() - 3.0) < 0.3
    b = DRAWS["binomial"](0)
    assert abs(b.mean() - 3.0) < 0.1
    be = DRAWS["beta"](0)
    assert abs(be.mean() - 2.0 / 7.0) < 0.01


def test_dropout_scales_kept_units_and_is_differentiable():
    x = np.full((100, 100), 2.0, "float32")
    y = random.dropout(x, 0.25, seed=3)
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02
    np.testing.assert_allclose(y[kept], 2.0 / 0.75, rtol=1e-6)
    y = random.dropout(x, 0.5, noise_shape=(None, 1), seed=3)
    assert np.all((y == 0).all(axis=1) | (y != 0).all(axis=1))
    v = Variable(np.ones((4, 5), "float32"))
    with GradientTape() as tape:
        out = random.dropout(v, 0.5, seed=9)
    grad = tape.gradient(out, v)
    np.testing.assert_allclose(grad, ops.convert_to_numpy(out))
    assert random.dropout(x, 0.0) is x or np.array_equal(random.dropout(x, 0.0), x)
    assert np.all(random.dropout(x, 1.0) == 0)


def test_shuffle_is_a_permutation_along_axis():
    x = np.arange(12).reshape(3, 4)
    s = random.shuffle(x, axis=1, seed=2)
    assert sorted(s[0].tolist()) == [0, 1, 2, 3]
    np.testing.assert_array_equal(s[1:] - s[:-1], 4)  # one permutation for all rows


def test_errors():
    with pytest.raises(ValueError, match="floating point"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="integer"):
        random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="2-D"):
        random.categorical(np.zeros(3), 2)
    with pytest.raises(ValueError, match="seed"):
        random.normal((2,), seed="abc")
