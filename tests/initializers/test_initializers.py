"""keras.initializers behaviour: seeding, get/aliases, argument errors, shapes."""
import numpy as np
import pytest

from minikeras import initializers
from minikeras.backend.random import SeedGenerator, set_random_seed

RANDOM = ["RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling",
          "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal",
          "LecunUniform", "Orthogonal"]

ALIASES = {
    "constant": "Constant", "zeros": "Zeros", "ones": "Ones", "identity": "Identity",
    "IdentityInitializer": "Identity", "stft": "STFT", "STFTInitializer": "STFT",
    "random_normal": "RandomNormal", "random_uniform": "RandomUniform",
    "truncated_normal": "TruncatedNormal", "variance_scaling": "VarianceScaling",
    "glorot_normal": "GlorotNormal", "glorot_uniform": "GlorotUniform",
    "he_normal": "HeNormal", "he_uniform": "HeUniform", "lecun_normal": "LecunNormal",
    "lecun_uniform": "LecunUniform", "orthogonal": "Orthogonal",
    "OrthogonalInitializer": "Orthogonal"}


@pytest.mark.parametrize("alias,name", sorted(ALIASES.items()))
def test_aliases_are_the_same_class_and_strings_resolve(alias, name):
    cls = getattr(initializers, name)
    assert getattr(initializers, alias) is cls
    assert type(initializers.get(alias)) is cls
    assert type(initializers.get(name)) is cls


def test_legacy_short_names():
    assert type(initializers.get("normal")) is initializers.RandomNormal
    assert type(initializers.get("uniform")) is initializers.RandomUniform
    assert type(initializers.get("zero")) is initializers.Zeros
    assert type(initializers.get("one")) is initializers.Ones


@pytest.mark.parametrize("name", RANDOM)
def test_int_seed_repeats_and_differs_between_seeds(name):
    cls = getattr(initializers, name)
    a = cls(seed=1)((6, 5))
    b = cls(seed=1)((6, 5))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(cls(seed=1)((6, 5)), cls(seed=1)((6, 5)))
    init = cls(seed=1)
    np.testing.assert_array_equal(init((6, 5)), init((6, 5)))  # as Keras: same each call
    assert not np.array_equal(a, cls(seed=2)((6, 5)))


@pytest.mark.parametrize("name", RANDOM)
def test_unseeded_follows_set_random_seed(name):
    cls = getattr(initializers, name)
    set_random_seed(5)
    a1, a2 = cls()((6, 5)), cls()((6, 5))
    set_random_seed(5)
    b1, b2 = cls()((6, 5)), cls()((6, 5))
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)  # successive layers get different weights


def test_seed_generator_advances():
    init = initializers.RandomNormal(seed=SeedGenerator(3))
    a, b = init((4,)), init((4,))
    assert not np.array_equal(a, b)
    again = initializers.RandomNormal(seed=SeedGenerator(3))
    np.testing.assert_array_equal(again((4,)), a)


def test_bad_seed_raises():
    with pytest.raises(ValueError, match="seed"):
        initializers.GlorotUniform(seed="x")
    with pytest.raises(ValueError, match="seed"):
        initializers.RandomNormal(seed=1.5)


def test_variance_scaling_argument_errors():
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_max")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    assert initializers.VarianceScaling(distribution="Uniform").distribution == "uniform"


def test_uniform_bounds_and_truncation():
    w = initializers.GlorotUniform(seed=0)((30, 20))
    limit = np.sqrt(6 / 50)
    assert np.all(np.abs(w) <= limit) and np.abs(w).max() > 0.9 * limit
    t = initializers.TruncatedNormal(mean=1.0, stddev=0.5, seed=0)((10000,))
    assert t.min() >= 0.0 and t.max() <= 2.0
    u = initializers.RandomUniform(2.0, 3.0, seed=0)((10000,))
    assert u.min() >= 2.0 and u.max() < 3.0


def test_conv_kernel_uses_receptive_field():
    # He normal on a 3x3x8x16 kernel: fan_in = 3*3*8 = 72
    w = initializers.HeNormal(seed=0)((3, 3, 8, 16))
    big = initializers.HeNormal(seed=0)((3, 3, 8, 4096))
    np.testing.assert_allclose(big.std(), np.sqrt(2 / 72), rtol=0.02)
    assert w.shape == (3, 3, 8, 16)


def test_shape_rules_for_special_initializers():
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal()((5,))
    with pytest.raises(ValueError, match="2D matrices"):
        initializers.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match="side"):
        initializers.STFT(side="both")
    with pytest.raises(ValueError, match="Scaling"):
        initializers.STFT(scaling="energy")
    with pytest.raises(ValueError, match="shape"):
        initializers.GlorotUniform()((None, 3))
    assert initializers.Zeros()(()).shape == ()
    assert initializers.Ones()(4).shape == (4,)


def test_constant_broadcasts_and_keeps_dtype():
    w = initializers.Constant(7)((2, 3))
    assert w.dtype == np.float32 and np.all(w == 7)
    assert initializers.Constant([1.0, 2.0])((3, 2)).tolist() == [[1, 2]] * 3
    assert initializers.Constant(1.5)((2,), dtype="float64").dtype == np.float64


def test_identity_gain_round_trips():
    init = initializers.Identity(gain=3.0)
    clone = initializers.Identity.from_config(init.get_config())
    np.testing.assert_array_equal(clone((2, 2)), 3 * np.eye(2))


@pytest.mark.parametrize("name", RANDOM + ["Zeros", "Ones", "Constant", "Identity", "STFT"])
def test_clone_and_from_config(name):
    init = getattr(initializers, name)()
    clone = init.clone()
    assert type(clone) is type(init) and clone is not init
    assert clone.get_config() == init.get_config()


def test_get_identifiers():
    assert initializers.get(None) is None
    inst = initializers.HeUniform(seed=1)
    assert initializers.get(inst) is inst
    assert type(initializers.get(initializers.Ones)) is initializers.Ones
    got = initializers.get({"class_name": "RandomUniform",
                            "config": {"minval": 0.0, "maxval": 1.0, "seed": 2}})
    assert got.minval == 0.0 and got.seed == 2

    def fn(shape, dtype=None):
        return np.full(shape, 4.0, dtype=dtype or "float32")

    assert initializers.get(fn) is fn
    arr = np.arange(6, dtype="float64").reshape(2, 3)
    from_array = initializers.get(arr)
    out = from_array((2, 3), dtype="float32")
    assert out.dtype == np.float32 and out.tolist() == arr.tolist()
    with pytest.raises(ValueError, match="Expected `shape`"):
        from_array((3, 2))


def test_get_unknown_identifier_raises():
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: foo"):
        initializers.get("foo")
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 5"):
        initializers.get(5)
    with pytest.raises(ValueError, match="Nope"):
        initializers.deserialize({"class_name": "Nope", "config": {}})


def test_custom_initializer_subclass_round_trip():
    class Halves(initializers.Initializer):
        def __init__(self, scale=0.5):
            self.scale = scale

        def __call__(self, shape, dtype=None):
            return np.full(shape, self.scale, dtype=dtype or "float32")

        def get_config(self):
            return {"scale": self.scale}

    cfg = initializers.serialize(Halves(0.25))
    assert cfg["class_name"] == "Halves" and cfg["config"] == {"scale": 0.25}
    back = initializers.deserialize(cfg, custom_objects={"Halves": Halves})
    np.testing.assert_array_equal(back((2,)), [0.25, 0.25])


def test_base_initializer_call_not_implemented():
    with pytest.raises(NotImplementedError):
        initializers.Initializer()((2,))
    assert initializers.Initializer().get_config() == {}
