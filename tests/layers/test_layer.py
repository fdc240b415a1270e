"""`Layer.__call__`: how the `training` flag reaches nested layers."""
import numpy as np

import minikeras as keras
from minikeras import layers

X = np.full((4, 3), 5.0, "float32")


class Holder(keras.Model):
    """A subclassed model that runs its base in inference mode, as the
    fine-tuning recipe does for a base with BatchNormalization."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.bn_after = layers.BatchNormalization()

    def call(self, x, training=None):
        return self.bn_after(self.base(x, training=False))


def test_explicit_training_reaches_the_sublayers_of_that_call():
    # Keras: an explicit `training=` on a call is the context for the layers
    # inside it. It used to be ignored below an outer training=True call.
    base = keras.Sequential([keras.Input((3,)), layers.BatchNormalization()])
    model = Holder(base)
    model(X, training=True)
    np.testing.assert_array_equal(base.layers[0].moving_mean.numpy(), np.zeros(3))
    # The layer after the base is back in the outer mode (training); Keras 3.15
    # lets the inner flag leak to it through its shared call context.
    assert np.all(model.bn_after.moving_mean.numpy() > 0)


def test_explicit_training_through_a_layer_without_a_training_argument():
    class Inner(layers.Layer):
        def __init__(self):
            super().__init__()
            self.bn = layers.BatchNormalization()

        def call(self, x):
            return self.bn(x)

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = Inner()

        def call(self, x, training=None):
            return self.inner(x, training=False)

    outer = Outer()
    outer(X, training=True)
    np.testing.assert_array_equal(outer.inner.bn.moving_mean.numpy(), np.zeros(3))
    outer.inner(X, training=True)
    assert np.all(outer.inner.bn.moving_mean.numpy() > 0)


def test_fit_keeps_an_inference_mode_base_in_inference_mode():
    base = keras.Sequential([keras.Input((3,)), layers.BatchNormalization(), layers.Dense(2)])
    model = Holder(base)
    model.compile("sgd", "mse")
    rng = np.random.default_rng(0)
    model.fit(rng.random((8, 3)).astype("float32"), rng.random((8, 2)).astype("float32"),
              verbose=0)
    np.testing.assert_array_equal(base.layers[0].moving_mean.numpy(), np.zeros(3))
    assert not np.array_equal(base.layers[0].gamma.numpy(), np.ones(3))  # but it trains
