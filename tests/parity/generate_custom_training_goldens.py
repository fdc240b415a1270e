"""Write goldens for tests/scenarios/test_custom_training_examples.py with real Keras 3.

Run in a separate virtualenv with `tensorflow-cpu` (Keras 3, TensorFlow backend):

    python tests/parity/generate_custom_training_goldens.py

It writes `goldens/custom_training.npz`: the inputs and starting weights of two
custom-training examples and what real Keras computes from them.

* WGAN-GP: the gradient penalty (a `GradientTape` nested in the critic's tape,
  differentiated w.r.t. images the generator made inside the outer tape), the
  critic loss, and their gradients w.r.t. the critic's and generator's weights.
* "Writing a training loop from scratch": two epochs of a hand-written loop
  (`optimizer.apply` in the first, `apply_gradients(zip(...))` in the second)
  whose loss adds `model.losses` (a kernel regularizer, an `add_loss` layer and
  `ActivityRegularization`): per-step losses, `model.losses` of the first step,
  first gradients, weights after one step, metric results and final weights.

minikeras is not imported here; the test builds the same architectures.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
rng = np.random.default_rng(5)
arrays = {}


# ----- WGAN-GP gradient penalty ------------------------------------------------------
def critic_model():
    return keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(8, 3, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Conv2D(16, 3, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Flatten(),
        layers.Dense(1),
    ])


def generator_model():
    return keras.Sequential([
        keras.Input(shape=(4,)),
        layers.Dense(4 * 4 * 8, use_bias=False),
        layers.BatchNormalization(),
        layers.LeakyReLU(0.2),
        layers.Reshape((4, 4, 8)),
        layers.UpSampling2D((2, 2)),
        layers.Conv2D(1, 3, padding="same", activation="tanh"),
    ])


critic, gen = critic_model(), generator_model()
critic_w = [rng.normal(0, 0.3, w.shape).astype("float32") for w in critic.get_weights()]
gen_w = []
for v in gen.weights:
    if "moving_variance" in v.path:
        gen_w.append(np.abs(rng.normal(1, 0.3, v.shape)).astype("float32"))
    else:
        gen_w.append(rng.normal(0, 0.3, v.shape).astype("float32"))
critic.set_weights(critic_w)
gen.set_weights(gen_w)
real = rng.uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
z = rng.normal(size=(4, 4)).astype("float32")
alpha = rng.uniform(0, 1, (4, 1, 1, 1)).astype("float32")
arrays.update({f"wgan_critic_{i}": w for i, w in enumerate(critic_w)})
arrays.update({f"wgan_gen_{i}": w for i, w in enumerate(gen_w)})
arrays.update({"wgan_real": real, "wgan_z": z, "wgan_alpha": alpha})

with tf.GradientTape() as tape:
    fake = gen(tf.constant(z), training=True)
    interpolated = real + alpha * (fake - real)
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(interpolated)
        pred = critic(interpolated, training=True)
    grads = gp_tape.gradient(pred, [interpolated])[0]
    norm = ops.sqrt(ops.sum(ops.square(grads), axis=[1, 2, 3]))
    gp = ops.mean((norm - 1.0) ** 2)
    d_loss = ops.mean(critic(fake)) - ops.mean(critic(real)) + 10.0 * gp
weights = critic.trainable_variables + gen.trainable_variables
for i, g in enumerate(tape.gradient(d_loss, weights, unconnected_gradients="zero")):
    arrays[f"wgan_grad_{i}"] = g.numpy()
arrays["wgan_gp"] = np.asarray(gp)
arrays["wgan_d_loss"] = np.asarray(d_loss)


# ----- training loop from scratch with model.losses ------------------------------------
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * ops.sum(inputs))
        return inputs


inputs = keras.Input(shape=(12,), name="digits")
x = layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.l2(1e-3))(inputs)
x = ActivityRegularizationLayer()(x)
x = layers.Dense(16, activation="relu")(x)
x = layers.ActivityRegularization(l1=1e-3, l2=1e-3)(x)
outputs = layers.Dense(4, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

x_train = rng.normal(size=(48, 12)).astype("float32")
y_train = rng.integers(0, 4, 48).astype("int32")
x_val = rng.normal(size=(16, 12)).astype("float32")
y_val = rng.integers(0, 4, 16).astype("int32")
init = [rng.normal(0, 0.4, w.shape).astype("float32") for w in model.get_weights()]
model.set_weights(init)
arrays.update({"loop_x_train": x_train, "loop_y_train": y_train,
               "loop_x_val": x_val, "loop_y_val": y_val})
arrays.update({f"loop_init_{i}": w for i, w in enumerate(init)})

optimizer = keras.optimizers.Adam(learning_rate=1e-2)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
val_acc_metric = keras.metrics.SparseCategoricalAccuracy()
step_losses, train_acc, val_acc = [], [], []
for epoch in range(2):
    for step in range(3):
        xb, yb = x_train[step * 16:(step + 1) * 16], y_train[step * 16:(step + 1) * 16]
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss_value = loss_fn(yb, logits)
            if epoch == 0 and step == 0:
                arrays["loop_model_losses"] = np.array([float(v) for v in model.losses],
                                                       "float32")
            loss_value += sum(model.losses)
        grads = tape.gradient(loss_value, model.trainable_weights)
        if epoch == 0:
            optimizer.apply(grads, model.trainable_weights)
        else:
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
        if epoch == 0 and step == 0:
            arrays.update({f"loop_grad_{i}": g.numpy() for i, g in enumerate(grads)})
            arrays.update({f"loop_step1_{i}": w.numpy()
                           for i, w in enumerate(model.trainable_weights)})
        train_acc_metric.update_state(yb, logits)
        step_losses.append(float(loss_value))
    train_acc.append(float(train_acc_metric.result()))
    train_acc_metric.reset_state()
    for step in range(2):
        val_logits = model(x_val[step * 8:(step + 1) * 8], training=False)
        val_acc_metric.update_state(y_val[step * 8:(step + 1) * 8], val_logits)
    val_acc.append(float(val_acc_metric.result()))
    val_acc_metric.reset_state()
arrays["loop_step_losses"] = np.array(step_losses, "float32")
arrays["loop_train_acc"] = np.array(train_acc, "float32")
arrays["loop_val_acc"] = np.array(val_acc, "float32")
arrays.update({f"loop_final_{i}": w for i, w in enumerate(model.get_weights())})

os.makedirs(OUT, exist_ok=True)
np.savez_compressed(os.path.join(OUT, "custom_training.npz"), **arrays)
print(f"wrote {len(arrays)} arrays with keras {keras.__version__}, tensorflow {tf.__version__}")
