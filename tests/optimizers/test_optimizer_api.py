"""The optimizer API: arguments, errors, legacy spellings, state and config."""
import warnings

import numpy as np
import pytest

import minikeras as keras
from minikeras import optimizers
from minikeras.optimizers import schedules

ALL_NAMES = ["sgd", "adam", "rmsprop", "adamw", "adagrad", "adadelta", "adamax",
             "nadam", "ftrl", "lion", "adafactor", "lamb"]


def _vars():
    return [keras.Variable(np.array([[1.0, -2.0], [3.0, 0.5]], np.float32), name="kernel"),
            keras.Variable(np.array([0.1, -0.1], np.float32), name="bias")]


def _grads():
    return [np.array([[0.5, -1.0], [0.25, 2.0]], np.float32),
            np.array([1.0, -0.5], np.float32)]


# ----- construction -----------------------------------------------------------------
def test_keras3_defaults():
    assert optimizers.Adam().get_config()["learning_rate"] == pytest.approx(0.001)
    cfg = optimizers.Adam().get_config()
    assert (cfg["beta_1"], cfg["beta_2"], cfg["epsilon"], cfg["amsgrad"]) == (0.9, 0.999, 1e-7, False)
    cfg = optimizers.SGD().get_config()
    assert cfg["learning_rate"] == pytest.approx(0.01)
    assert (cfg["momentum"], cfg["nesterov"]) == (0.0, False)
    cfg = optimizers.RMSprop().get_config()
    assert (cfg["rho"], cfg["momentum"], cfg["epsilon"], cfg["centered"]) == (0.9, 0.0, 1e-7, False)
    assert optimizers.AdamW().weight_decay == 0.004


def test_names_are_unique_snake_case():
    assert optimizers.Adam().name == "adam"
    assert optimizers.Adam().name == "adam_1"
    assert optimizers.RMSprop().name == "rm_sprop"  # as Keras names it
    assert optimizers.SGD(name="mine").name == "mine"


@pytest.mark.parametrize("bad", [-0.1, "fast", None, True, [0.1]])
def test_bad_learning_rate_raises_value_error(bad):
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate=bad)


def test_negative_learning_rate_assignment_raises():
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1.0
    assert float(opt.learning_rate) == pytest.approx(0.01)


def test_integer_and_numpy_learning_rates_are_accepted():
    assert float(optimizers.SGD(learning_rate=1).learning_rate) == 1.0
    assert float(optimizers.SGD(learning_rate=np.float32(0.5)).learning_rate) == 0.5


def test_argument_errors():
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.Adam(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.Adam(gradient_accumulation_steps=1)
    with pytest.raises(ValueError, match="ema_momentum"):
        optimizers.Adam(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(foo=1)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)


# ----- legacy Keras 2 spellings ----------------------------------------------------------
def test_lr_keyword_warns_and_sets_learning_rate():
    with pytest.warns(DeprecationWarning, match="learning_rate") as record:
        opt = optimizers.SGD(lr=0.25)
    assert record[0].filename == __file__  # attributed to the caller's line
    assert float(opt.learning_rate) == 0.25


def test_lr_property_warns_and_is_assignable():
    opt = optimizers.Adam(learning_rate=0.1)
    with pytest.warns(DeprecationWarning, match="learning_rate"):
        assert float(opt.lr) == pytest.approx(0.1)
    with pytest.warns(DeprecationWarning, match="learning_rate"):
        opt.lr = 0.05
    assert float(opt.learning_rate) == pytest.approx(0.05)


def test_decay_applies_keras2_inverse_time_decay():
    with pytest.warns(DeprecationWarning, match="InverseTimeDecay"):
        opt = optimizers.SGD(learning_rate=0.1, decay=0.5)
    w = keras.Variable(np.array([1.0], np.float32))
    expected = np.float32(1.0)
    for k in range(5):
        opt.apply_gradients([(np.array([1.0], np.float32), w)])
        expected = np.float32(expected - np.float32(0.1) / (np.float32(1) + np.float32(0.5) * k))
        np.testing.assert_allclose(w.numpy(), [expected], rtol=1e-6)
    with pytest.warns(DeprecationWarning):
        assert optimizers.SGD.from_config(opt.get_config())._legacy_decay == 0.5


# ----- learning rate ------------------------------------------------------------------------
def test_learning_rate_is_a_variable_and_assignable():
    opt = optimizers.SGD(learning_rate=0.1)
    w = keras.Variable(np.array([1.0], np.float32))
    opt.apply_gradients([(np.array([1.0], np.float32), w)])
    opt.learning_rate = 0.5
    assert isinstance(opt.learning_rate, keras.Variable)
    assert opt.learning_rate.numpy().dtype == np.float32
    opt.apply_gradients([(np.array([1.0], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.1 - 0.5], rtol=1e-6)
    assert opt.variables[1].path == f"{opt.name}/learning_rate"


def test_schedule_learning_rate_reads_the_step_and_is_not_settable():
    lr = schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(learning_rate=lr)
    w = keras.Variable(np.array([0.0], np.float32))
    for _ in range(3):
        opt.apply_gradients([(np.array([1.0], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [-(0.1 + 0.05 + 0.025)], rtol=1e-6)
    assert opt.learning_rate == np.float32(0.0125)
    assert [v.path for v in opt.variables] == [f"{opt.name}/iteration"]
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_assigning_a_schedule_replaces_the_variable():
    opt = optimizers.Adam(learning_rate=0.1)
    opt.learning_rate = schedules.InverseTimeDecay(0.1, 1, 1.0)
    assert len(opt.variables) == 1
    assert opt.learning_rate == np.float32(0.1)


def test_callable_learning_rate():
    opt = optimizers.SGD(learning_rate=lambda: 0.2)
    w = keras.Variable(np.array([1.0], np.float32))
    opt.apply_gradients([(np.array([1.0], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [0.8], rtol=1e-6)


# ----- get / serialize / deserialize ------------------------------------------------------
@pytest.mark.parametrize("name", ALL_NAMES + [n.upper() for n in ALL_NAMES[:3]] + ["Adam", "RMSprop"])
def test_get_by_name(name):
    opt = optimizers.get(name)
    assert isinstance(opt, optimizers.Optimizer)
    assert type(opt).__name__.lower() == name.lower()


def test_get_dict_instance_none_and_errors():
    opt = optimizers.get({"class_name": "Adam", "config": {"learning_rate": 0.5}})
    assert float(opt.learning_rate) == 0.5
    same = optimizers.SGD()
    assert optimizers.get(same) is same
    assert optimizers.get(None) is None
    with pytest.raises(ValueError, match="nonsense"):
        optimizers.get("nonsense")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(3)


@pytest.mark.parametrize("name", ALL_NAMES + ["schedulefreeadamw", "muon"])
def test_config_round_trip(name):
    opt = optimizers.get(name)
    config = optimizers.serialize(opt)
    assert config["module"] == "keras.optimizers"
    clone = optimizers.deserialize(config)
    assert type(clone) is type(opt)
    assert clone.get_config() == opt.get_config()


def test_schedule_survives_config_round_trip():
    lr = schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10)
    opt = optimizers.Adam(learning_rate=lr)
    clone = optimizers.Adam.from_config(opt.get_config())
    assert isinstance(clone._learning_rate, schedules.CosineDecay)
    assert clone._learning_rate.get_config() == lr.get_config()


def test_deserialize_keras2_form_and_custom_objects():
    opt = optimizers.deserialize({"class_name": "SGD", "config": {"learning_rate": 0.3,
                                                                  "momentum": 0.9}})
    assert opt.momentum == 0.9

    keras2 = {"name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
              "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
              "ema_overwrite_frequency": None, "jit_compile": False,
              "is_legacy_optimizer": False, "learning_rate": 0.001, "beta_1": 0.9,
              "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}
    assert isinstance(optimizers.deserialize({"class_name": "Adam", "config": keras2}),
                      optimizers.Adam)
    legacy = {"name": "RMSprop", "learning_rate": 0.001, "decay": 0.0, "rho": 0.9,
              "momentum": 0.0, "epsilon": 1e-07, "centered": False}
    assert optimizers.deserialize({"class_name": "RMSprop", "config": legacy}).rho == 0.9

    class MyOpt(optimizers.SGD):
        pass

    found = optimizers.deserialize({"class_name": "MyOpt", "config": {}},
                                   custom_objects={"MyOpt": MyOpt})
    assert isinstance(found, MyOpt)


# ----- applying gradients ----------------------------------------------------------------
def test_none_gradients_are_skipped_with_a_warning():
    k, b = _vars()
    before = b.numpy().copy()
    opt = optimizers.SGD(learning_rate=0.1)
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply_gradients([(_grads()[0], k), (None, b)])
    np.testing.assert_array_equal(b.numpy(), before)
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="No gradients"):
        opt.apply_gradients([(None, k), (None, b)])


def test_apply_requires_known_variables():
    opt = optimizers.Adam()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply(_grads())
    variables = _vars()
    opt.build(variables)
    opt.apply(_grads())  # positional grads once built
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(_grads()[1], keras.Variable(np.zeros(2, np.float32)))])


def test_update_is_in_place_and_float32():
    variables = _vars()
    opt = optimizers.Adam(learning_rate=0.1)
    opt.apply_gradients(zip(_grads(), variables))
    arrays = [v._value for v in variables] + [v._value for v in opt.variables[2:]]
    for _ in range(3):
        # float64 gradients are cast to the variable's dtype, not the reverse
        opt.apply_gradients(zip([g.astype(np.float64) for g in _grads()], variables))
    assert all(a is b for a, b in zip(arrays, [v._value for v in variables]
                                      + [v._value for v in opt.variables[2:]]))
    assert all(v.numpy().dtype == np.float32 for v in variables + opt.variables[1:])


def test_gradient_shape_is_checked_and_aliasing_is_safe():
    w = keras.Variable(np.array([1.0, 2.0], np.float32), name="w")
    opt = optimizers.Lion(learning_rate=0.1)
    with pytest.raises(ValueError, match="shape"):
        opt.apply_gradients([(np.ones(3, np.float32), w)])
    # the gradient may be the variable's own array (d(w**2/2)/dw = w)
    opt.apply_gradients([(w.numpy(), w)])
    np.testing.assert_allclose(w.numpy(), [0.9, 1.9], rtol=1e-6)
    np.testing.assert_allclose(opt.variables[2].numpy(), [0.01, 0.02], rtol=1e-6)


def test_float64_variables_stay_float64():
    w = keras.Variable(np.array([1.0, 2.0]), dtype="float64")
    opt = optimizers.Adam(learning_rate=0.1)
    opt.apply_gradients([(np.array([1.0, 1.0]), w)])
    assert w.numpy().dtype == np.float64
    # (step constants such as Adam's bias correction are float32: rtol 1e-5)
    np.testing.assert_allclose(w.numpy(), [0.9, 1.9], rtol=1e-5)


def test_constraint_is_applied_after_the_update():
    w = keras.Variable(np.array([1.0, -1.0], np.float32),
                       constraint=lambda x: np.clip(np.asarray(x), 0.0, None))
    optimizers.SGD(learning_rate=1.0).apply_gradients([(np.array([2.0, 0.5], np.float32), w)])
    np.testing.assert_array_equal(w.numpy(), [0.0, 0.0])


def test_exclude_from_weight_decay_by_variable():
    k, b = _vars()
    kb, bb = k.numpy().copy(), b.numpy().copy()
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[b])
    zeros = [np.zeros_like(kb), np.zeros_like(bb)]
    opt.apply_gradients(zip(zeros, [k, b]))
    np.testing.assert_allclose(k.numpy(), kb * (1 - 0.05), rtol=1e-6)
    np.testing.assert_array_equal(b.numpy(), bb)


def test_loss_scale_factor_and_scale_loss():
    opt = optimizers.SGD(learning_rate=1.0, loss_scale_factor=4.0)
    assert opt.scale_loss(2.0) == 8.0
    w = keras.Variable(np.array([1.0], np.float32))
    opt.apply_gradients([(np.array([4.0], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [0.0])


def test_gradient_accumulation_iterations_and_updates():
    w = keras.Variable(np.array([1.0], np.float32))
    opt = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=2)
    opt.apply_gradients([(np.array([1.0], np.float32), w)])
    np.testing.assert_array_equal(w.numpy(), [1.0])  # accumulated only
    assert int(opt.iterations) == 0
    opt.apply_gradients([(np.array([3.0], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [1.0 - 2.0])  # mean of the two
    assert int(opt.iterations) == 1
    # Keras hands back a tensor here; callbacks call `.numpy()` on it.
    assert opt.iterations.numpy() == 1


# ----- state ---------------------------------------------------------------------------------
def test_save_and_load_own_variables_resume_exactly():
    variables = _vars()
    opt = optimizers.Adam(learning_rate=0.1)
    for _ in range(3):
        opt.apply_gradients(zip(_grads(), variables))
    store = {}
    opt.save_own_variables(store)
    assert sorted(store, key=int) == [str(i) for i in range(len(opt.variables))]
    snapshot = [v.numpy().copy() for v in variables]
    opt.apply_gradients(zip(_grads(), variables))
    expected = [v.numpy().copy() for v in variables]

    fresh_vars = [keras.Variable(s) for s in snapshot]
    fresh = optimizers.Adam(learning_rate=0.1)
    fresh.build(fresh_vars)
    fresh.load_own_variables(store)
    assert int(fresh.iterations.numpy()) == 3
    fresh.apply_gradients(zip(_grads(), fresh_vars))
    for got, want in zip(fresh_vars, expected):
        np.testing.assert_array_equal(got.numpy(), want)

    with pytest.warns(UserWarning, match="Skipping variable loading"):
        optimizers.Adam().load_own_variables(store)


def test_set_weights_checks_shapes():
    opt = optimizers.SGD(momentum=0.9)
    with pytest.raises(ValueError, match="not yet been built"):
        opt.set_weights([])
    opt.build(_vars())
    with pytest.raises(ValueError, match="not compatible"):
        opt.set_weights([np.array(0), np.array(0.1), np.zeros((3, 3))])


def test_stateless_apply_leaves_variables_untouched():
    variables = _vars()
    opt = optimizers.Adam(learning_rate=0.1)
    opt.build(variables)
    before = [v.numpy().copy() for v in variables]
    opt_values = [v.numpy().copy() for v in opt.variables]
    new_vars, new_opt = opt.stateless_apply(opt_values, _grads(), before)
    for v, b in zip(variables, before):
        np.testing.assert_array_equal(v.numpy(), b)
    assert int(opt.iterations.numpy()) == 0 and int(new_opt[0]) == 1
    stateful = [keras.Variable(b) for b in before]
    optimizers.Adam(learning_rate=0.1).apply_gradients(zip(_grads(), stateful))
    for got, want in zip(new_vars, stateful):
        np.testing.assert_array_equal(got, want.numpy())


def test_ema_finalize_overwrites_with_average():
    w = keras.Variable(np.array([1.0], np.float32))
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5)
    for _ in range(2):
        opt.apply_gradients([(np.array([1.0], np.float32), w)])
    # average: step 1 -> 0.0 (first step copies), step 2 -> 0.5 * 0 + 0.5 * -1
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [-0.5])


# ----- custom optimizers and wrappers ----------------------------------------------------
def test_custom_optimizer_subclass_with_ops():
    from minikeras import ops

    class PlainSGD(optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def build(self, variables):
            super().build(variables)
            self.counts = self.add_optimizer_variables(variables, "count")

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, ops.multiply(gradient, learning_rate))
            self.assign_add(self.counts[self._get_variable_index(variable)],
                            ops.ones_like(gradient))

    variables = _vars()
    before = [v.numpy().copy() for v in variables]
    opt = PlainSGD()
    opt.apply_gradients(zip(_grads(), variables))
    for v, b, g in zip(variables, before, _grads()):
        np.testing.assert_allclose(v.numpy(), b - 0.1 * g, rtol=1e-6)
    assert [v.path.split("/")[-1] for v in opt.variables[2:]] == ["kernel_count", "bias_count"]
    assert optimizers.get(opt) is opt


def test_loss_scale_optimizer_wraps_inner():
    inner = optimizers.SGD(learning_rate=0.5)
    opt = optimizers.LossScaleOptimizer(inner, initial_scale=4.0, dynamic_growth_steps=2)
    assert float(opt.scale_loss(1.0)) == 4.0
    w = keras.Variable(np.array([1.0], np.float32))
    opt.apply_gradients([(np.array([4.0], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [0.5])  # 4 / scale 4 * lr 0.5
    opt.apply_gradients([(np.array([np.inf], np.float32), w)])
    np.testing.assert_allclose(w.numpy(), [0.5])  # skipped
    assert float(opt.dynamic_scale.numpy()) == 2.0
    assert float(opt.learning_rate) == 0.5
    clone = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(clone.inner_optimizer, optimizers.SGD)


def test_multi_optimizer_routes_by_path():
    k, b = _vars()
    k.path, b.path = "encoder/kernel", "head/bias"
    sgd, adam = optimizers.SGD(learning_rate=1.0), optimizers.Adam(learning_rate=0.1)
    opt = optimizers.MultiOptimizer(optimizers.OptimizerMap(sgd, {"encoder/.*": adam}))
    kb, bb = k.numpy().copy(), b.numpy().copy()
    opt.apply_gradients(zip(_grads(), [k, b]))
    np.testing.assert_allclose(b.numpy(), bb - _grads()[1], rtol=1e-6)
    np.testing.assert_allclose(k.numpy(), kb - 0.1 * np.sign(_grads()[0]), rtol=1e-4)
    assert adam.built and sgd.built
    with pytest.raises(AttributeError):
        opt.learning_rate


def test_adadelta_update_step_argument_name():
    import inspect
    assert list(inspect.signature(optimizers.Adadelta.update_step).parameters)[1] == "grad"


def test_warnings_free_normal_step():
    variables = _vars()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ALL_NAMES:
            optimizers.get(name).apply_gradients(zip(_grads(), variables))


def test_minimize_is_a_deprecated_keras2_method():
    opt = optimizers.RMSprop(learning_rate=0.1)
    var1 = keras.Variable(10.0)
    with pytest.warns(DeprecationWarning, match="apply_gradients"):
        opt.minimize(lambda: (var1 ** 2) / 2.0, [var1])  # d(loss)/d(var1) = var1
    np.testing.assert_allclose(var1.numpy(), 9.683772, rtol=1e-6)  # Keras's docstring value
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="tape"):
        opt.minimize(np.float32(1.0), [var1])


def test_scheduled_learning_rate_has_numpy_like_a_tensor():
    opt = optimizers.Adam(schedules.InverseTimeDecay(0.001, decay_steps=10, decay_rate=1.0))
    assert opt.learning_rate.numpy() == pytest.approx(0.001)
    assert float(opt.learning_rate) == pytest.approx(0.001)
