"""Write goldens for the layer catalog from real Keras 3 (TensorFlow backend).

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal
test run, and this script never imports minikeras):

    python tests/parity/generate_layer_goldens.py

For every case it builds the Keras layer, sets seeded random weights, calls
it on seeded random inputs and records, with `tf.GradientTape`, the
gradient of `sum(output * cotangent)` with respect to every input and every
trainable weight. Written, per topic `T` (conv, pool, norm, reshape, merge,
activation, preprocessing, regularization):

* `goldens/layer_T.npz`: `<case>__x<i>` inputs, `<case>__mask`,
  `<case>__w<j>` weights, `<case>__y` output, `<case>__cot` cotangent,
  `<case>__gx<i>` input gradients, `<case>__gw<j>` trainable-weight
  gradients, `<case>__after<j>` all weights after the call (moving statistics
  of BatchNormalization), `<case>__loss` the layer's `losses` sum.
* `goldens/layer_cases.json`: the cases (class, constructor kwargs, input
  shapes, training flag) plus Keras' weight names and which gradients exist.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")


def case(topic, name, cls, kwargs, shapes, training=False, mask=None, weights="random",
         positive_input=False):
    return dict(topic=topic, name=name, cls=cls, kwargs=kwargs,
                shapes=[list(s) for s in shapes], training=training, mask=mask,
                weights=weights, positive_input=positive_input)


def conv_cases():
    c = []
    x1, x1f = (2, 9, 4), (2, 4, 9)
    x2, x2f = (2, 7, 8, 4), (2, 4, 7, 8)
    x3, x3f = (2, 5, 6, 5, 3), (2, 3, 5, 6, 5)
    c += [case("conv", "conv1d_valid", "Conv1D", dict(filters=5, kernel_size=3), [x1]),
          case("conv", "conv1d_same_s2", "Conv1D", dict(filters=5, kernel_size=3, strides=2,
                                                          padding="same"), [x1]),
          case("conv", "conv1d_causal_d2", "Conv1D", dict(filters=3, kernel_size=3,
                                                            padding="causal", dilation_rate=2), [x1]),
          case("conv", "conv1d_groups", "Conv1D", dict(filters=6, kernel_size=2, groups=2,
                                                         activation="relu"), [x1]),
          case("conv", "conv1d_cf", "Conv1D", dict(filters=5, kernel_size=3, padding="same",
                                                     data_format="channels_first"), [x1f]),
          case("conv", "conv2d_valid", "Conv2D", dict(filters=6, kernel_size=3), [x2]),
          case("conv", "conv2d_same_s2", "Conv2D", dict(filters=6, kernel_size=3, strides=2,
                                                          padding="same", activation="relu"), [x2]),
          case("conv", "conv2d_valid_s2_rect", "Conv2D", dict(filters=3, kernel_size=(3, 2),
                                                                strides=(2, 3)), [x2]),
          case("conv", "conv2d_dil", "Conv2D", dict(filters=4, kernel_size=3, dilation_rate=2,
                                                      padding="same", use_bias=False), [x2]),
          case("conv", "conv2d_groups", "Conv2D", dict(filters=6, kernel_size=3, groups=2), [x2]),
          case("conv", "conv2d_cf", "Conv2D", dict(filters=6, kernel_size=3, strides=2,
                                                     padding="same", data_format="channels_first"),
               [x2f]),
          case("conv", "conv2d_1x1", "Conv2D", dict(filters=5, kernel_size=1), [x2]),
          case("conv", "conv3d_valid", "Conv3D", dict(filters=4, kernel_size=2), [x3]),
          case("conv", "conv3d_same_s2", "Conv3D", dict(filters=4, kernel_size=3, strides=2,
                                                          padding="same"), [x3]),
          case("conv", "conv3d_cf", "Conv3D", dict(filters=4, kernel_size=2, padding="same",
                                                     data_format="channels_first"), [x3f]),
          case("conv", "conv1dt_valid_s2", "Conv1DTranspose", dict(filters=3, kernel_size=3,
                                                                    strides=2), [x1]),
          case("conv", "conv1dt_same_s2", "Conv1DTranspose", dict(filters=3, kernel_size=3,
                                                                   strides=2, padding="same"), [x1]),
          case("conv", "conv1dt_op", "Conv1DTranspose", dict(filters=3, kernel_size=3, strides=2,
                                                              output_padding=1), [x1]),
          case("conv", "conv1dt_cf", "Conv1DTranspose", dict(filters=3, kernel_size=4, strides=2,
                                                              padding="same",
                                                              data_format="channels_first"), [x1f]),
          case("conv", "conv2dt_valid", "Conv2DTranspose", dict(filters=3, kernel_size=3), [x2]),
          case("conv", "conv2dt_valid_s2", "Conv2DTranspose", dict(filters=3, kernel_size=3,
                                                                    strides=2), [x2]),
          case("conv", "conv2dt_same_s2", "Conv2DTranspose", dict(filters=3, kernel_size=4,
                                                                   strides=2, padding="same"), [x2]),
          case("conv", "conv2dt_same_s2_k3", "Conv2DTranspose", dict(filters=2, kernel_size=3,
                                                                      strides=2, padding="same"),
               [x2]),
          case("conv", "conv2dt_op", "Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2,
                                                              padding="valid",
                                                              output_padding=(1, 0)), [x2]),
          case("conv", "conv2dt_dil", "Conv2DTranspose", dict(filters=3, kernel_size=3,
                                                               dilation_rate=2,
                                                               activation="relu"), [x2]),
          case("conv", "conv2dt_cf", "Conv2DTranspose", dict(filters=3, kernel_size=3, strides=2,
                                                              padding="same",
                                                              data_format="channels_first"), [x2f]),
          case("conv", "conv3dt_s2", "Conv3DTranspose", dict(filters=2, kernel_size=2,
                                                              strides=2), [x3]),
          case("conv", "conv3dt_same", "Conv3DTranspose", dict(filters=2, kernel_size=3,
                                                                padding="same"), [x3]),
          case("conv", "sep1d", "SeparableConv1D", dict(filters=4, kernel_size=3,
                                                         depth_multiplier=2), [x1]),
          case("conv", "sep1d_same_s2", "SeparableConv1D", dict(filters=4, kernel_size=3, strides=2,
                                                                 padding="same"), [x1]),
          case("conv", "sep2d", "SeparableConv2D", dict(filters=5, kernel_size=3,
                                                         depth_multiplier=2), [x2]),
          case("conv", "sep2d_same_s2", "SeparableConv2D", dict(filters=5, kernel_size=3,
                                                                 strides=2, padding="same",
                                                                 activation="relu"), [x2]),
          case("conv", "sep2d_dil_cf", "SeparableConv2D", dict(filters=5, kernel_size=2,
                                                                dilation_rate=2,
                                                                data_format="channels_first"),
               [x2f]),
          case("conv", "dw1d", "DepthwiseConv1D", dict(kernel_size=3, depth_multiplier=2), [x1]),
          case("conv", "dw1d_same_s2", "DepthwiseConv1D", dict(kernel_size=3, strides=2,
                                                                padding="same"), [x1]),
          case("conv", "dw2d", "DepthwiseConv2D", dict(kernel_size=3), [x2]),
          case("conv", "dw2d_dm2_same_s2", "DepthwiseConv2D", dict(kernel_size=3, strides=2,
                                                                    padding="same",
                                                                    depth_multiplier=2), [x2]),
          case("conv", "dw2d_cf", "DepthwiseConv2D", dict(kernel_size=(2, 3), depth_multiplier=2,
                                                           data_format="channels_first"), [x2f]),
          ]
    return c


def pool_cases():
    c = []
    x1, x1f = (2, 9, 3), (2, 3, 9)
    x2, x2f = (2, 7, 8, 3), (2, 3, 7, 8)
    x3, x3f = (2, 5, 6, 5, 2), (2, 2, 5, 6, 5)
    for kind in ("Max", "Average"):
        k = kind.lower()
        c += [case("pool", f"{k}pool1d", f"{kind}Pooling1D", dict(pool_size=2), [x1]),
              case("pool", f"{k}pool1d_s1_same", f"{kind}Pooling1D",
                   dict(pool_size=3, strides=1, padding="same"), [x1]),
              case("pool", f"{k}pool1d_cf", f"{kind}Pooling1D",
                   dict(pool_size=3, strides=2, padding="same", data_format="channels_first"),
                   [x1f]),
              case("pool", f"{k}pool2d", f"{kind}Pooling2D", dict(pool_size=2), [x2]),
              case("pool", f"{k}pool2d_same", f"{kind}Pooling2D",
                   dict(pool_size=3, strides=2, padding="same"), [x2]),
              case("pool", f"{k}pool2d_overlap", f"{kind}Pooling2D",
                   dict(pool_size=(3, 2), strides=(1, 2)), [x2]),
              case("pool", f"{k}pool2d_cf", f"{kind}Pooling2D",
                   dict(pool_size=2, padding="same", data_format="channels_first"), [x2f]),
              case("pool", f"{k}pool3d", f"{kind}Pooling3D", dict(pool_size=2), [x3]),
              case("pool", f"{k}pool3d_same", f"{kind}Pooling3D",
                   dict(pool_size=2, strides=(1, 2, 2), padding="same"), [x3]),
              case("pool", f"{k}pool3d_cf", f"{kind}Pooling3D",
                   dict(pool_size=2, data_format="channels_first"), [x3f]),
              ]
        for r, (xs, xf) in enumerate(((x1, x1f), (x2, x2f), (x3, x3f)), start=1):
            c += [case("pool", f"global_{k}{r}d", f"Global{kind}Pooling{r}D", {}, [xs]),
                  case("pool", f"global_{k}{r}d_keep_cf", f"Global{kind}Pooling{r}D",
                       dict(keepdims=True, data_format="channels_first"), [xf])]
    c.append(case("pool", "global_average1d_mask", "GlobalAveragePooling1D", {}, [x1],
                  mask=[[1, 1, 0, 1, 0, 0, 1, 1, 1], [0, 1, 1, 1, 1, 1, 1, 0, 0]]))
    return c


def norm_cases():
    x2, x4, x4f = (6, 5), (4, 3, 3, 6), (4, 6, 3, 3)
    return [
        case("norm", "bn_infer", "BatchNormalization", {}, [x4]),
        case("norm", "bn_train", "BatchNormalization", dict(momentum=0.9), [x4], training=True),
        case("norm", "bn_train_2d", "BatchNormalization", dict(epsilon=1e-2), [x2],
             training=True),
        case("norm", "bn_train_cf", "BatchNormalization", dict(axis=1), [x4f], training=True),
        case("norm", "bn_infer_cf", "BatchNormalization", dict(axis=1), [x4f]),
        case("norm", "bn_train_nocenter", "BatchNormalization", dict(center=False, scale=False),
             [x4], training=True),
        case("norm", "bn_train_noscale", "BatchNormalization", dict(scale=False), [x4],
             training=True),
        case("norm", "bn_train_mask", "BatchNormalization", {}, [(2, 5, 3)], training=True,
             mask=[[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]]),
        case("norm", "ln", "LayerNormalization", {}, [x4]),
        case("norm", "ln_2d", "LayerNormalization", dict(epsilon=1e-5), [x2]),
        case("norm", "ln_axes", "LayerNormalization", dict(axis=[1, 2]), [x4]),
        case("norm", "ln_axis1", "LayerNormalization", dict(axis=1), [x4f]),
        case("norm", "ln_noscale", "LayerNormalization", dict(center=False, scale=False), [x4]),
        case("norm", "gn2", "GroupNormalization", dict(groups=2), [x4]),
        case("norm", "gn_inst", "GroupNormalization", dict(groups=-1), [x4]),
        case("norm", "gn_cf", "GroupNormalization", dict(groups=3, axis=1), [x4f]),
        case("norm", "gn_nocenter", "GroupNormalization", dict(groups=1, center=False), [x2]),
        case("norm", "unit", "UnitNormalization", {}, [x2]),
        case("norm", "unit_axes", "UnitNormalization", dict(axis=[1, 2]), [x4]),
        case("norm", "rms", "RMSNormalization", {}, [x4]),
    ]


def reshape_cases():
    x3, x4, x5 = (2, 4, 3), (2, 4, 5, 3), (2, 3, 4, 2, 3)
    return [
        case("reshape", "reshape", "Reshape", dict(target_shape=(3, 4)), [(2, 12)]),
        case("reshape", "reshape_infer", "Reshape", dict(target_shape=(-1, 6)), [x4]),
        case("reshape", "permute", "Permute", dict(dims=(2, 1)), [x3]),
        case("reshape", "permute3", "Permute", dict(dims=(3, 1, 2)), [x4]),
        case("reshape", "repeat", "RepeatVector", dict(n=3), [(2, 5)]),
        case("reshape", "zp1d", "ZeroPadding1D", dict(padding=(1, 2)), [x3]),
        case("reshape", "zp1d_cf", "ZeroPadding1D", dict(padding=2, data_format="channels_first"),
             [x3]),
        case("reshape", "zp2d", "ZeroPadding2D", dict(padding=((1, 0), (2, 3))), [x4]),
        case("reshape", "zp2d_cf", "ZeroPadding2D", dict(padding=1, data_format="channels_first"),
             [x4]),
        case("reshape", "zp3d", "ZeroPadding3D", dict(padding=(1, 0, 2)), [x5]),
        case("reshape", "crop1d", "Cropping1D", dict(cropping=(1, 2)), [(2, 6, 3)]),
        case("reshape", "crop2d", "Cropping2D", dict(cropping=((1, 0), (2, 1))), [x4]),
        case("reshape", "crop2d_cf", "Cropping2D", dict(cropping=1, data_format="channels_first"),
             [(2, 3, 5, 4)]),
        case("reshape", "crop3d", "Cropping3D", dict(cropping=((1, 0), (1, 1), (0, 1))), [x5]),
        case("reshape", "up1d", "UpSampling1D", dict(size=3), [x3]),
        case("reshape", "up2d", "UpSampling2D", dict(size=(2, 3)), [x4]),
        case("reshape", "up2d_cf", "UpSampling2D", dict(size=2, data_format="channels_first"),
             [x4]),
        case("reshape", "up2d_bilinear", "UpSampling2D", dict(size=(2, 3),
                                                              interpolation="bilinear"), [x4]),
        case("reshape", "up2d_bilinear_cf", "UpSampling2D",
             dict(size=2, interpolation="bilinear", data_format="channels_first"), [x4]),
        case("reshape", "up3d", "UpSampling3D", dict(size=(1, 2, 2)), [x5]),
    ]


def merge_cases():
    a, b = (3, 4, 5), (3, 4, 5)
    return [
        case("merge", "add", "Add", {}, [a, b, a]),
        case("merge", "add_bcast", "Add", {}, [(3, 4, 5), (3, 5)]),
        case("merge", "subtract", "Subtract", {}, [a, b]),
        case("merge", "multiply", "Multiply", {}, [a, b, a]),
        case("merge", "average", "Average", {}, [a, b]),
        case("merge", "maximum", "Maximum", {}, [a, b, a]),
        case("merge", "minimum", "Minimum", {}, [a, b]),
        case("merge", "concat", "Concatenate", {}, [(3, 4, 2), (3, 4, 5)]),
        case("merge", "concat_axis1", "Concatenate", dict(axis=1), [(3, 2, 5), (3, 4, 5)]),
        case("merge", "dot", "Dot", dict(axes=1), [(3, 6), (3, 6)]),
        case("merge", "dot_norm", "Dot", dict(axes=1, normalize=True), [(3, 6), (3, 6)]),
        case("merge", "dot_axes", "Dot", dict(axes=(1, 2)), [(3, 5, 2), (3, 4, 5)]),
        case("merge", "dot_last", "Dot", dict(axes=-1), [(3, 4, 5), (3, 2, 5)]),
    ]


def activation_cases():
    x = (4, 3, 5)
    return [
        case("activation", "relu", "ReLU", {}, [x]),
        case("activation", "relu_all", "ReLU", dict(max_value=0.8, negative_slope=0.1,
                                                    threshold=0.2), [x]),
        case("activation", "relu6", "ReLU", dict(max_value=6.0), [x]),
        case("activation", "leaky", "LeakyReLU", {}, [x]),
        case("activation", "leaky_01", "LeakyReLU", dict(negative_slope=0.1), [x]),
        case("activation", "prelu", "PReLU", {}, [x]),
        case("activation", "prelu_shared", "PReLU", dict(shared_axes=[1]), [x]),
        case("activation", "elu", "ELU", {}, [x]),
        case("activation", "elu_05", "ELU", dict(alpha=0.5), [x]),
        case("activation", "softmax", "Softmax", {}, [x]),
        case("activation", "softmax_axis1", "Softmax", dict(axis=1), [x]),
        case("activation", "softmax_axes", "Softmax", dict(axis=[1, 2]), [x]),
        case("activation", "softmax_mask", "Softmax", {}, [(2, 5)],
             mask=[[1, 1, 0, 1, 0], [0, 1, 1, 1, 1]]),
    ]


def preprocessing_cases():
    img, imgf = (2, 9, 8, 3), (2, 3, 9, 8)
    c = [
        case("preprocessing", "rescaling", "Rescaling", dict(scale=1 / 127.5, offset=-1.0),
             [img], positive_input=True),
        case("preprocessing", "normalization", "Normalization",
             dict(mean=[0.5, 1.0, -1.0], variance=[4.0, 0.25, 1.0]), [img]),
        case("preprocessing", "normalization_invert", "Normalization",
             dict(axis=None, mean=2.0, variance=9.0, invert=True), [img]),
        case("preprocessing", "resize_down", "Resizing", dict(height=5, width=3), [img]),
        case("preprocessing", "resize_up", "Resizing", dict(height=13, width=11), [img]),
        case("preprocessing", "resize_nearest", "Resizing",
             dict(height=5, width=12, interpolation="nearest"), [img]),
        case("preprocessing", "resize_crop", "Resizing",
             dict(height=4, width=4, crop_to_aspect_ratio=True), [img]),
        case("preprocessing", "resize_pad", "Resizing",
             dict(height=4, width=8, pad_to_aspect_ratio=True, fill_value=0.5), [img]),
        case("preprocessing", "resize_cf", "Resizing",
             dict(height=6, width=5, data_format="channels_first"), [imgf]),
        case("preprocessing", "center_crop", "CenterCrop", dict(height=5, width=4), [img]),
        case("preprocessing", "center_crop_up", "CenterCrop", dict(height=10, width=12), [img]),
        case("preprocessing", "center_crop_cf", "CenterCrop",
             dict(height=4, width=6, data_format="channels_first"), [imgf]),
        case("preprocessing", "flip_infer", "RandomFlip", {}, [img]),
        case("preprocessing", "contrast_infer", "RandomContrast", dict(factor=0.5), [img]),
    ]
    for fill in ("reflect", "wrap", "constant", "nearest"):
        for interp in ("bilinear", "nearest"):
            c.append(case("preprocessing", f"rotation_{fill}_{interp}", "RandomRotation",
                          dict(factor=(0.1, 0.1), fill_mode=fill, interpolation=interp,
                               fill_value=0.25), [img], training=True))
        c.append(case("preprocessing", f"zoom_in_{fill}", "RandomZoom",
                      dict(height_factor=(-0.3, -0.3), width_factor=(-0.2, -0.2),
                           fill_mode=fill), [img], training=True))
        c.append(case("preprocessing", f"zoom_out_{fill}", "RandomZoom",
                      dict(height_factor=(0.4, 0.4), fill_mode=fill), [img], training=True))
        c.append(case("preprocessing", f"translate_{fill}", "RandomTranslation",
                      dict(height_factor=(0.25, 0.25), width_factor=(-0.35, -0.35),
                           fill_mode=fill, interpolation="bilinear"), [img], training=True))
    c += [case("preprocessing", "rotation_big", "RandomRotation",
               dict(factor=(-0.6, -0.6), fill_mode="reflect"), [img], training=True),
          case("preprocessing", "rotation_cf", "RandomRotation",
               dict(factor=(0.3, 0.3), fill_mode="constant", data_format="channels_first"),
               [imgf], training=True),
          case("preprocessing", "translate_far_reflect", "RandomTranslation",
               dict(height_factor=(0.9, 0.9), width_factor=(-0.8, -0.8), fill_mode="reflect"),
               [img], training=True),
          case("preprocessing", "translate_far_wrap", "RandomTranslation",
               dict(height_factor=(0.7, 0.7), width_factor=(1.0, 1.0), fill_mode="wrap",
                    interpolation="nearest"), [img], training=True),
          case("preprocessing", "rotation_infer", "RandomRotation", dict(factor=0.3), [img]),
          ]
    return c


def regularization_cases():
    x = (4, 6)
    return [
        case("regularization", "activity_reg", "ActivityRegularization", dict(l1=0.01, l2=0.02),
             [x]),
        case("regularization", "gaussian_noise_infer", "GaussianNoise", dict(stddev=0.3), [x]),
        case("regularization", "gaussian_dropout_infer", "GaussianDropout", dict(rate=0.3), [x]),
        case("regularization", "alpha_dropout_infer", "AlphaDropout", dict(rate=0.3), [x]),
        case("regularization", "spatial_dropout1d_infer", "SpatialDropout1D", dict(rate=0.3),
             [(2, 4, 3)]),
    ]


def random_weights(layer, rng):
    values = []
    for w in layer.weights:
        shape = tuple(w.shape)
        if "variance" in w.name or w.name == "count":
            if w.name == "count":
                values.append(np.zeros(shape, dtype=w.dtype))
                continue
            values.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        elif w.name == "gamma" or w.name == "scale":
            values.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            values.append((rng.standard_normal(shape) * 0.5).astype("float32"))
    return values


def run_case(c, rng, arrays):
    name = c["name"]
    layer = getattr(keras.layers, c["cls"])(**c["kwargs"])
    xs = []
    for s in c["shapes"]:
        x = rng.standard_normal(s).astype("float32")
        if c["positive_input"]:
            x = (np.abs(x) * 100).astype("float32")
        xs.append(x)
    single = len(xs) == 1
    layer.build(tuple(c["shapes"][0]) if single else [tuple(s) for s in c["shapes"]])
    if c["weights"] == "random" and layer.weights:
        layer.set_weights(random_weights(layer, rng))
    before = [np.array(w.numpy()) for w in layer.weights]
    txs = [tf.constant(x) for x in xs]
    kwargs = {}
    if c["mask"] is not None:
        kwargs["mask"] = tf.constant(np.array(c["mask"], dtype=bool))
    with tf.GradientTape(persistent=True) as tape:
        for t in txs:
            tape.watch(t)
        y = layer(txs[0] if single else txs, training=c["training"], **kwargs)
        cot = rng.standard_normal(tuple(y.shape)).astype("float32")
        loss = tf.reduce_sum(y * cot)
    gx = tape.gradient(loss, txs)
    gw = tape.gradient(loss, layer.trainable_weights)
    for i, x in enumerate(xs):
        arrays[f"{name}__x{i}"] = x
    if c["mask"] is not None:
        arrays[f"{name}__mask"] = np.array(c["mask"], dtype=bool)
    for j, w in enumerate(before):
        arrays[f"{name}__w{j}"] = w
    arrays[f"{name}__y"] = np.asarray(y)
    arrays[f"{name}__cot"] = cot
    have_gx = []
    for i, g in enumerate(gx):
        if g is not None:
            arrays[f"{name}__gx{i}"] = np.asarray(g)
        have_gx.append(g is not None)
    for j, g in enumerate(gw):
        arrays[f"{name}__gw{j}"] = np.asarray(g)
    for j, w in enumerate(layer.weights):
        arrays[f"{name}__after{j}"] = np.array(w.numpy())
    if layer.losses:
        arrays[f"{name}__loss"] = np.float32(sum(float(l) for l in layer.losses))
    info = dict(c)
    info["weight_names"] = [w.name for w in layer.weights]
    info["trainable_names"] = [w.name for w in layer.trainable_weights]
    info["have_gx"] = have_gx
    info["output_shape"] = list(y.shape)
    return info


def bars_and_crosses(n, rng, size=14):
    """`n` binary images: a single bar (label 0) or a cross (label 1)."""
    x = np.zeros((n, size, size, 1), dtype=np.uint8)
    y = rng.integers(0, 2, n)
    for i in range(n):
        length = int(rng.integers(6, 11))
        r, c = (int(v) for v in rng.integers(2, size - 2, 2))
        lo_r, lo_c = max(0, r - length // 2), max(0, c - length // 2)
        horizontal = rng.random() < 0.5
        if y[i] == 0:
            if horizontal:
                x[i, r, lo_c:lo_c + length, 0] = 1
            else:
                x[i, lo_r:lo_r + length, c, 0] = 1
        else:
            x[i, r, lo_c:lo_c + length, 0] = 1
            x[i, lo_r:lo_r + length, c, 0] = 1
    return x, y.astype(np.int64)


def cnn_task():
    """The bars-vs-crosses task and real Keras' test accuracy on it."""
    rng = np.random.default_rng(2024)
    x_train, y_train = bars_and_crosses(400, rng)
    x_test, y_test = bars_and_crosses(200, rng)
    accs = []
    for seed in range(3):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([
            keras.Input((14, 14, 1)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(0.01),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train.astype("float32"), y_train, epochs=8, batch_size=32, verbose=0)
        accs.append(float(model.evaluate(x_test.astype("float32"), y_test, verbose=0)[1]))
    np.savez_compressed(os.path.join(OUT, "layer_cnn_task.npz"), x_train=x_train,
                        y_train=y_train, x_test=x_test, y_test=y_test)
    with open(os.path.join(OUT, "layer_cnn_task.json"), "w") as fh:
        json.dump({"keras_test_accuracy": accs, "epochs": 8, "batch_size": 32,
                   "learning_rate": 0.01}, fh, indent=1)
    print(f"cnn task: Keras test accuracy {accs}")


def main():
    os.makedirs(OUT, exist_ok=True)
    cnn_task()
    keras.utils.set_random_seed(0)
    groups = dict(conv=conv_cases(), pool=pool_cases(), norm=norm_cases(),
                  reshape=reshape_cases(), merge=merge_cases(),
                  activation=activation_cases(), preprocessing=preprocessing_cases(),
                  regularization=regularization_cases())
    all_info = []
    for topic, cases in groups.items():
        arrays = {}
        rng = np.random.default_rng(len(topic) * 1009)
        for c in cases:
            all_info.append(run_case(c, rng, arrays))
        path = os.path.join(OUT, f"layer_{topic}.npz")
        np.savez_compressed(path, **arrays)
        print(f"{path}: {len(cases)} cases, {os.path.getsize(path) // 1024} KiB")
    with open(os.path.join(OUT, "layer_cases.json"), "w") as fh:
        json.dump({"keras_version": keras.__version__, "tensorflow_version": tf.__version__,
                   "cases": all_info}, fh, indent=1)


if __name__ == "__main__":
    main()
