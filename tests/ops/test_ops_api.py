"""keras.ops behaviour not covered by the goldens: submodules, dtype rules,
custom_gradient, jvp, vectorize, control flow edge cases, special
functions' accuracy, and error messages."""
import math

import numpy as np
import pytest

import minikeras as keras
from minikeras import ops
from minikeras.backend import GradientTape, Variable


def test_groups_are_submodules_like_keras():
    for name in ("numpy", "nn", "linalg", "image"):
        assert hasattr(ops, name)
    assert ops.numpy.add is ops.add and ops.nn.relu is ops.relu
    assert ops.linalg.qr is ops.qr and callable(ops.image.resize)
    assert "slogdet" in ops.numpy.__all__ and "conv" in ops.nn.__all__
    assert not hasattr(ops, "resize")  # image ops live in ops.image only


def test_dtype_promotion_follows_keras():
    i32 = np.array([1, 2], "int32")
    f32 = np.array([0.5, 1.5], "float32")
    f16 = np.array([0.5, 1.5], "float16")
    assert ops.add(i32, f32).dtype == np.float32          # numpy would give float64
    assert ops.multiply(i32, 2).dtype == np.int32          # Python ints stay weak
    assert ops.add(f16, 1.0).dtype == np.float16          # Python floats too
    assert ops.add(i32, 1.5).dtype == np.float32
    assert ops.divide(i32, i32).dtype == np.float32
    assert ops.mean(i32).dtype == np.float32 and ops.sqrt(i32).dtype == np.float32
    assert ops.sum(np.array([True, False])).dtype == np.int32
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32
    assert ops.convert_to_tensor([1.0, 2]).dtype == np.float32
    assert ops.argmax(f32).dtype == np.int32
    assert ops.dtype(f16) == "float16" and ops.shape(np.zeros((2, 3))) == (2, 3)
    assert ops.is_tensor(f32) and not ops.is_tensor([1.0])


def test_ops_accept_variables_and_keep_float32_gradients():
    v = Variable(np.array([[1.0, -2.0], [0.5, 3.0]], "float32"))
    with GradientTape() as tape:
        y = ops.sum(ops.square(ops.maximum(v, 0.0)) + ops.abs(ops.mean(v, axis=0)))
    g = tape.gradient(y, v)
    assert g.dtype == np.float32
    # the (2,) mean broadcasts over both rows: its gradient counts twice
    np.testing.assert_allclose(g, [[2.0 + 1.0, 1.0], [1.0 + 1.0, 6.0 + 1.0]])


def test_custom_gradient_replaces_the_gradient():
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))
        return ops.log(1 + e), grad

    x = np.array([100.0, 0.0], "float32")
    with GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    np.testing.assert_allclose(tape.gradient(y, x), [1.0, 0.5])
    np.testing.assert_allclose(log1pexp(np.array([0.0])), [np.log(2.0)])

    @ops.custom_gradient
    def clipped_product(a, b):
        def grad(g):
            return ops.clip(g * b, -1.0, 1.0), g * 0.0
        return a * b, grad
    a = Variable(np.array([3.0], "float32"))
    b = Variable(np.array([5.0], "float32"))
    with GradientTape() as tape:
        out = clipped_product(a, b)
    ga, gb = tape.gradient(out, [a, b])
    np.testing.assert_allclose(ga, [1.0])
    np.testing.assert_allclose(gb, [0.0])


def test_jvp_with_several_primals_and_aux():
    x = np.array([1.0, 2.0], "float32")
    y = np.array([3.0, -1.0], "float32")

    def f(a, b):
        return ops.sin(a) * b, {"norm": ops.sum(a)}
    out, tangent, aux = ops.jvp(f, (x, y), (np.ones(2, "float32"), np.zeros(2, "float32")),
                                has_aux=True)
    np.testing.assert_allclose(out, np.sin(x) * y, rtol=1e-6)
    np.testing.assert_allclose(tangent, np.cos(x) * y, rtol=1e-6)
    assert tangent.dtype == np.float32
    np.testing.assert_allclose(aux["norm"], 3.0)


def test_vectorize_elementwise_and_with_signature():
    f = ops.vectorize(lambda a, b: a * b + 1.0)
    np.testing.assert_allclose(f(np.array([1.0, 2.0]), np.array([[3.0], [4.0]])),
                               [[4.0, 7.0], [5.0, 9.0]])
    dot = ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)->()")
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(dot(a, np.ones(3)), [3.0, 12.0])


def test_scan_map_and_associative_scan_with_structures():
    carry, ys = ops.scan(lambda c, _: (c * 2, c), 1, None, length=4)
    assert carry == 16
    np.testing.assert_array_equal(ys, [1, 2, 4, 8])
    out = ops.map(lambda d: d["a"] + d["b"], {"a": np.arange(3.0), "b": np.ones(3)})
    np.testing.assert_allclose(out, [1, 2, 3])
    pair = ops.associative_scan(lambda p, q: (p[0] + q[0], p[1] * q[1]),
                                (np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])))
    np.testing.assert_allclose(pair[0], [1, 3, 6])
    np.testing.assert_allclose(pair[1], [2, 4, 8])
    with pytest.raises(ValueError, match="length"):
        ops.scan(lambda c, x: (c, x), 0)
    assert ops.while_loop(lambda i: i < 10, lambda i: i + 3, 0, maximum_iterations=2) == 6
    assert ops.switch(5, [lambda: "a", lambda: "b"]) == "b"  # index clipped


def test_argpartition_puts_the_kth_smallest_in_place():
    x = np.random.default_rng(0).standard_normal((4, 7))
    idx = ops.argpartition(x, 3, axis=1)
    part = np.take_along_axis(x, idx, axis=1)
    np.testing.assert_allclose(part[:, 3], np.sort(x, axis=1)[:, 3])
    assert np.all(part[:, :3] <= part[:, 3:4]) and np.all(part[:, 4:] >= part[:, 3:4])


def test_special_functions_accuracy():
    xs = np.concatenate([np.linspace(-6, 6, 241), [-30.0, 1e-8, 30.0]])
    np.testing.assert_allclose(ops.erf(xs.astype("float64")), [math.erf(v) for v in xs],
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ops.erfc(xs.astype("float64")), [math.erfc(v) for v in xs],
                               rtol=1e-9, atol=1e-300)
    ys = np.linspace(-0.999999, 0.999999, 201)
    np.testing.assert_allclose(ops.erf(ops.erfinv(ys)), ys, rtol=1e-12, atol=1e-14)
    assert ops.erf(np.array([0.5], "float32")).dtype == np.float32
    assert np.isinf(ops.erfinv(np.array([1.0]))[0]) and np.isnan(ops.erfinv(np.array([1.5]))[0])
    np.testing.assert_allclose(ops.gelu(np.array([1.0]), approximate=False),
                               [0.5 * (1 + math.erf(1 / math.sqrt(2)))], rtol=1e-12)


def test_slicing_and_scattering_errors():
    x = np.zeros((3, 4))
    with pytest.raises(ValueError, match="start_indices"):
        ops.slice(x, (0,), (1, 1))
    with pytest.raises(ValueError, match="rank"):
        ops.slice_update(x, (0, 0), np.ones(2))
    with pytest.raises(ValueError, match="indices"):
        ops.scatter(np.zeros((2, 3, 3), "int32"), np.ones(2), (2, 2))
    with pytest.raises(ValueError, match="Unsupported reduction"):
        ops.scatter_update(x, [[0, 0]], np.ones(1), reduction="median")
    np.testing.assert_allclose(
        ops.scatter_update(np.ones(3), [[1], [1]], np.array([4.0, 3.0]), reduction="mul"), [1, 12, 1])


def test_argument_errors_are_value_and_type_errors():
    x = np.zeros((2, 3), "float32")
    with pytest.raises(ValueError, match="both"):
        ops.where(x > 0, x)
    with pytest.raises(ValueError, match="constant_values"):
        ops.pad(x, [[1, 1], [1, 1]], mode="reflect", constant_values=1)
    with pytest.raises(ValueError, match="range"):
        ops.quantile(x, 1.5)
    with pytest.raises(ValueError, match="method"):
        ops.quantile(x, 0.5, method="cubic")
    with pytest.raises(ValueError, match="scalar"):
        ops.matmul(np.float32(2.0), x)
    with pytest.raises(ValueError, match="channels"):
        ops.conv(np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.resize(np.zeros((4, 4, 1)), (2, 2), interpolation="cubic-ish")
    with pytest.raises(ValueError, match="rank"):
        ops.image.resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="positive definite"):
        ops.cholesky(-np.eye(2))
    with pytest.raises(ValueError, match="shape"):
        ops.categorical_crossentropy(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="order"):
        ops.normalize(x, order=0)
    with pytest.raises(TypeError, match="integer"):
        ops.ldexp(x, x)
    with pytest.raises(ValueError, match="same axes"):
        ops.rearrange(np.zeros((2, 3)), "a b -> a c")
    with pytest.raises(ValueError, match="sparse"):
        ops.convert_to_tensor(x, sparse=True)


def test_keras_tensor_and_layers_still_use_ops():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    out = model.predict(np.ones((4, 3), "float32"), verbose=0)
    np.testing.assert_allclose(ops.sum(out, axis=-1), np.ones(4), rtol=1e-6)


def test_ops_on_keras_tensors_build_functional_graphs():
    a, b = keras.Input((3,)), keras.Input((2,))
    c = ops.concatenate([a, b], axis=-1)
    assert ops.shape(c) == (None, 5) and ops.dtype(c) == "float32"
    out = ops.mean(ops.expand_dims(ops.relu(c), -1), axis=1)
    assert out.shape == (None, 1)
    model = keras.Model([a, b], out)
    xa = np.array([[1.0, -2.0, 3.0]], "float32")
    xb = np.array([[4.0, -5.0]], "float32")
    np.testing.assert_allclose(model([xa, xb]), [[8.0 / 5.0]], rtol=1e-6)
    assert ops.add is ops.numpy.add and ops.relu is ops.nn.relu
