"""Bad input gives a ValueError that names the layer and the shapes."""
import numpy as np
import pytest

import minikeras as keras
from tests.layers.catalog import CLASSES


def call(cls, kwargs, *shapes):
    layer = CLASSES[cls](name=f"my_{cls.lower()}", **kwargs)
    xs = [np.ones(s, np.float32) for s in shapes]
    return layer, (xs[0] if len(xs) == 1 else xs)


@pytest.mark.parametrize("cls,kwargs,shape", [
    ("Conv2D", dict(filters=2, kernel_size=3), (4, 8, 8)),
    ("Conv1D", dict(filters=2, kernel_size=3), (4, 8, 8, 1)),
    ("Conv3D", dict(filters=2, kernel_size=2), (4, 8, 8, 1)),
    ("Conv2DTranspose", dict(filters=2, kernel_size=3), (8, 8, 1)),
    ("DepthwiseConv2D", dict(kernel_size=3), (4, 8, 8)),
    ("SeparableConv1D", dict(filters=2, kernel_size=3), (4, 8)),
    ("MaxPooling2D", {}, (4, 8, 8)),
    ("AveragePooling1D", dict(pool_size=2), (4, 8, 8, 1)),
    ("GlobalAveragePooling2D", {}, (4, 8, 8)),
    ("UpSampling2D", {}, (4, 8)),
    ("ZeroPadding2D", {}, (4, 8, 8)),
    ("Cropping1D", {}, (4, 8)),
    ("RepeatVector", dict(n=2), (4, 8, 1)),
    ("SpatialDropout2D", dict(rate=0.5), (4, 8, 8)),
])
def test_wrong_rank(cls, kwargs, shape):
    layer, x = call(cls, kwargs, shape)
    with pytest.raises(ValueError) as err:
        layer(x)
    msg = str(err.value)
    assert layer.name in msg
    assert "ndim" in msg and str(len(shape)) in msg


@pytest.mark.parametrize("cls,kwargs,build_shape,bad_shape", [
    ("Conv2D", dict(filters=2, kernel_size=3), (1, 8, 8, 3), (1, 8, 8, 4)),
    ("Conv2D", dict(filters=2, kernel_size=3, data_format="channels_first"),
     (1, 3, 8, 8), (1, 4, 8, 8)),
    ("Conv1DTranspose", dict(filters=2, kernel_size=3), (1, 8, 3), (1, 8, 5)),
    ("SeparableConv2D", dict(filters=2, kernel_size=3), (1, 8, 8, 3), (1, 8, 8, 2)),
    ("BatchNormalization", {}, (2, 5), (2, 6)),
    ("GroupNormalization", dict(groups=2), (2, 4), (2, 6)),
    ("PReLU", {}, (2, 5), (2, 6)),
])
def test_wrong_channel_count(cls, kwargs, build_shape, bad_shape):
    layer, x = call(cls, kwargs, build_shape)
    layer(x)
    with pytest.raises(ValueError) as err:
        layer(np.ones(bad_shape, np.float32))
    msg = str(err.value)
    assert layer.name in msg and str(bad_shape) in msg


@pytest.mark.parametrize("cls,kwargs,shape", [
    ("Conv2D", dict(filters=2, kernel_size=5), (1, 3, 8, 1)),
    ("Conv1D", dict(filters=2, kernel_size=3, dilation_rate=3), (1, 6, 1)),
    ("Conv3D", dict(filters=2, kernel_size=(1, 4, 1)), (1, 3, 3, 3, 1)),
    ("DepthwiseConv2D", dict(kernel_size=4), (1, 3, 3, 2)),
    ("SeparableConv1D", dict(filters=2, kernel_size=9), (1, 8, 2)),
    ("MaxPooling2D", dict(pool_size=4), (1, 3, 8, 1)),
    ("AveragePooling1D", dict(pool_size=9), (1, 8, 1)),
])
def test_kernel_larger_than_input_with_valid_padding(cls, kwargs, shape):
    layer, x = call(cls, kwargs, shape)
    with pytest.raises(ValueError) as err:
        layer(x)
    msg = str(err.value)
    assert layer.name in msg and str(shape) in msg
    assert "zero or negative" in msg
    # with 'same' padding the same input is fine
    if "pool_size" not in kwargs or cls.startswith("Max"):
        same = CLASSES[cls](padding="same", **kwargs)
        assert np.asarray(same(x)).shape[0] == 1


def test_kernel_larger_than_input_in_a_functional_model():
    with pytest.raises(ValueError, match="zero or negative"):
        CLASSES["Conv2D"](2, 7, name="big")(keras.Input((5, 5, 1)))


@pytest.mark.parametrize("cls,shapes", [
    ("Add", [(2, 3), (2, 4)]),
    ("Multiply", [(2, 3, 4), (2, 5, 4)]),
    ("Maximum", [(2, 3), (2, 4)]),
    ("Average", [(2, 3), (3, 3)]),
    ("Subtract", [(2, 3), (2, 3), (2, 3)]),
    ("Concatenate", [(2, 3, 4), (2, 5, 5)]),
    ("Concatenate", [(2, 3), (2, 4, 1)]),
    ("Dot", [(2, 3), (2, 4)]),
])
def test_incompatible_merge(cls, shapes):
    layer, xs = call(cls, {}, *shapes) if cls != "Dot" else call(cls, dict(axes=1), *shapes)
    with pytest.raises(ValueError) as err:
        layer(xs)
    msg = str(err.value)
    assert layer.name in msg
    if cls != "Subtract":
        assert any(str(s[1:]) in msg or str(s) in msg or str(s[-1]) in msg for s in shapes)


def test_incompatible_merge_in_a_functional_model():
    a, b = keras.Input((3,)), keras.Input((4,))
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        CLASSES["Add"](name="adder")([a, b])


def test_merge_needs_a_list():
    with pytest.raises(ValueError, match="list"):
        CLASSES["Add"]()(np.ones((2, 3), np.float32))


@pytest.mark.parametrize("cls,kwargs,match", [
    ("Conv2D", dict(filters=0, kernel_size=3), "filters"),
    ("Conv2D", dict(filters=4, kernel_size=3, groups=3), "divisible"),
    ("Conv2D", dict(filters=4, kernel_size=3, strides=2, dilation_rate=2), "dilation_rate"),
    ("Conv1D", dict(filters=4, kernel_size=(3, 3)), "kernel_size"),
    ("Conv2D", dict(filters=4, kernel_size=3, padding="causal"), "padding"),
    ("Conv2DTranspose", dict(filters=4, kernel_size=3, strides=2, output_padding=2),
     "output_padding"),
    ("MaxPooling2D", dict(padding="full"), "padding"),
    ("Reshape", dict(target_shape=(-1, -1)), "unknown dimension"),
    ("Permute", dict(dims=(1, 3)), "dims"),
    ("GroupNormalization", dict(groups=0), "groups"),
    ("ReLU", dict(max_value=-1.0), "max_value"),
    ("GaussianNoise", dict(stddev=2.0), "stddev"),
    ("RandomFlip", dict(mode="diagonal"), "mode"),
    ("RandomRotation", dict(factor=2.0), "factor"),
    ("RandomContrast", dict(factor=1.5), "factor"),
    ("Dot", dict(axes=(1, 2, 3)), "axes"),
])
def test_bad_constructor_arguments(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        CLASSES[cls](**kwargs)


def test_bad_reshape_and_crop_name_the_layer_and_shapes():
    layer = CLASSES["Reshape"]((5, 5), name="reshaper")
    with pytest.raises(ValueError, match=r"reshaper.*\(12,\)"):
        layer(np.ones((2, 12), np.float32))
    layer = CLASSES["Cropping2D"](3, name="cropper")
    with pytest.raises(ValueError, match=r"cropper.*\(1, 5, 5, 1\)"):
        layer(np.ones((1, 5, 5, 1), np.float32))


def test_unsupported_options_say_so():
    with pytest.raises(NotImplementedError):
        CLASSES["BatchNormalization"](renorm=True)
    # (Resizing and UpSampling2D take every interpolation: test_preprocessing_layers.)


def test_keras1_keyword_arguments_raise_value_error_as_in_keras3():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        keras.layers.Dense(3, init="uniform")


def test_never_called_layer_and_set_weights_messages_match_keras():
    import minikeras as keras
    dense = keras.layers.Dense(1, name="dd")
    with pytest.raises(AttributeError, match="^The layer dd has never been called and thus has no defined input.$"):
        dense.input
    dense.build((None, 2))
    with pytest.raises(ValueError, match="on layer 'dd' with a weight list of length 1"):
        dense.set_weights([np.zeros((2, 1))])
    with pytest.raises(ValueError, match=r"Target variable: <Variable path=dd/kernel, shape=\(2, 1\)"):
        dense.kernel.assign(np.zeros((3, 3)))
