"""Write goldens for the attention-family layers from real Keras 3 (TensorFlow
backend): MultiHeadAttention, GroupQueryAttention, Attention,
AdditiveAttention, EinsumDense, SpectralNormalization, the adaptive pooling
layers and ReversibleEmbedding.

Run in a virtualenv with TensorFlow + Keras 3 (never needed by the normal test
run; this script never imports minikeras):

    python tests/parity/generate_attention_goldens.py

For every case it builds the Keras layer, sets seeded random weights, calls it
on seeded random inputs and records, with `tf.GradientTape`, the gradient of
`sum(output_i * cotangent_i)` (over every output) with respect to every float
input and every trainable weight. Written:

* `goldens/attention_cases.json`: per case the class, constructor kwargs, how
  it is called, Keras's weight names, trainable weight names, and config.
* `goldens/attention_data.npz`: `<case>__in_<arg>` inputs, `<case>__w<j>`
  weights, `<case>__y<i>` outputs, `<case>__cot<i>` cotangents,
  `<case>__gin_<arg>` input gradients, `<case>__gw<j>` trainable-weight
  gradients, `<case>__after<j>` the weights after the call.
* `goldens/attention_model.keras`: a small Functional attention block
  (Embedding with mask_zero, MultiHeadAttention, LayerNormalization, Dense)
  saved by Keras, and in the npz `model__ids` / `model__y` its inputs and
  `predict` outputs.
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
L = keras.layers

CASES = []
DATA = {}


def _seed(name):
    return sum((i + 1) * ord(c) for i, c in enumerate(name)) % (2 ** 31)


def normal(rng, shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype("float32")


def mask_array(rng, shape, p_keep=0.7, ensure_row=True):
    m = rng.random(shape) < p_keep
    if ensure_row:
        m[..., 0] = True
    return m


def jsonable(x):
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return x


def run(name, cls, kwargs, inputs, call="qkv", call_kwargs=None, training=False,
        weight_scale=0.5, positive_weights=()):
    """Build, set random weights, call and differentiate one case.

    call: "qkv" -> layer(**inputs, **call_kwargs); "list" -> layer([query,
    value(, key)], mask=[query_mask, value_mask] if given); "single" ->
    layer(inputs["inputs"], **call_kwargs).
    """
    rng = np.random.default_rng(_seed(name))
    call_kwargs = dict(call_kwargs or {})
    if cls == "SpectralNormalization":
        inner_cls, inner_kwargs = kwargs["layer"]
        layer = L.SpectralNormalization(getattr(L, inner_cls)(**inner_kwargs),
                                        **{k: v for k, v in kwargs.items() if k != "layer"})
    else:
        layer = getattr(L, cls)(**kwargs)
    tensors = {k: tf.constant(v) for k, v in inputs.items()}

    def invoke():
        if call == "qkv":
            return layer(**tensors, training=training, **call_kwargs)
        if call == "list":
            seq = [tensors["query"], tensors["value"]]
            if "key" in tensors:
                seq.append(tensors["key"])
            mask = None
            if "query_mask" in tensors or "value_mask" in tensors:
                mask = [tensors.get("query_mask"), tensors.get("value_mask")]
            return layer(seq, mask=mask, training=training, **call_kwargs)
        return layer(tensors["inputs"], training=training, **call_kwargs)

    # Build (by a first call, as users do; the weights are replaced below).
    if cls == "SpectralNormalization":
        layer.build(inputs["inputs"].shape)
    else:
        invoke()
    weights = []
    for j, w in enumerate(layer.weights):
        scale = weight_scale
        value = normal(rng, tuple(w.shape), scale)
        if w.path.split("/")[-1] in positive_weights:
            value = np.abs(value) + 0.5
        weights.append(value)
    layer.set_weights(weights)
    float_inputs = {k: t for k, t in tensors.items() if t.dtype.is_floating}
    trainable = layer.trainable_weights
    with tf.GradientTape(persistent=True) as tape:
        for t in float_inputs.values():
            tape.watch(t)
        out = invoke()
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        cots = [normal(rng, tuple(o.shape)) for o in outs]
        total = tf.add_n([tf.reduce_sum(tf.cast(o, "float32") * c) for o, c in zip(outs, cots)])
    grads_in = {k: tape.gradient(total, t) for k, t in float_inputs.items()}
    grads_w = tape.gradient(total, trainable)
    for k, v in inputs.items():
        DATA[f"{name}__in_{k}"] = v
    for j, w in enumerate(weights):
        DATA[f"{name}__w{j}"] = w
    for i, (o, c) in enumerate(zip(outs, cots)):
        DATA[f"{name}__y{i}"] = np.asarray(o)
        DATA[f"{name}__cot{i}"] = c
    for k, g in grads_in.items():
        DATA[f"{name}__gin_{k}"] = (np.zeros_like(inputs[k]) if g is None
                                    else tf.convert_to_tensor(g).numpy())
    for j, g in enumerate(grads_w):
        DATA[f"{name}__gw{j}"] = (np.zeros(tuple(trainable[j].shape), "float32")
                                  if g is None else tf.convert_to_tensor(g).numpy())
    for j, w in enumerate(layer.weights):
        DATA[f"{name}__after{j}"] = np.asarray(w.numpy())
    config = layer.get_config()
    config.pop("name", None)
    CASES.append(jsonable(dict(
        name=name, cls=cls, kwargs=kwargs, call=call, call_kwargs=call_kwargs,
        training=training, inputs=sorted(inputs), grad_inputs=sorted(float_inputs),
        n_outputs=len(outs), weight_names=[w.path.split("/")[-1] for w in layer.weights],
        weight_paths=[w.path for w in layer.weights],
        trainable_names=[w.path.split("/")[-1] for w in trainable],
        config={k: v for k, v in config.items() if k not in ("dtype",)},
    )))


# ----- cases ------------------------------------------------------------------------
def mha_cases():
    r = np.random.default_rng(1)
    q, v, k = normal(r, (2, 4, 6)), normal(r, (2, 5, 6)), normal(r, (2, 5, 7))
    x = normal(r, (2, 5, 6))
    run("mha_basic", "MultiHeadAttention", dict(num_heads=2, key_dim=3), dict(query=q, value=v))
    run("mha_key_dims", "MultiHeadAttention",
        dict(num_heads=3, key_dim=4, value_dim=2, output_shape=5, use_bias=False),
        dict(query=q, value=v, key=k))
    am = mask_array(r, (2, 4, 5))
    am[1, 2, :] = False   # a fully masked query row
    run("mha_scores_mask", "MultiHeadAttention", dict(num_heads=2, key_dim=3),
        dict(query=q, value=v, attention_mask=am), call_kwargs=dict(return_attention_scores=True))
    run("mha_dpa_mask", "MultiHeadAttention", dict(num_heads=2, key_dim=3),
        dict(query=q, value=v, attention_mask=am))
    run("mha_causal", "MultiHeadAttention", dict(num_heads=2, key_dim=4),
        dict(query=x, value=x), call_kwargs=dict(use_causal_mask=True))
    vm = mask_array(r, (2, 5))
    run("mha_causal_scores_vmask", "MultiHeadAttention", dict(num_heads=2, key_dim=4),
        dict(query=x, value=x, value_mask=vm),
        call_kwargs=dict(use_causal_mask=True, return_attention_scores=True))
    km = mask_array(r, (2, 5))
    run("mha_value_key_mask", "MultiHeadAttention", dict(num_heads=2, key_dim=3),
        dict(query=q, value=v, key=k, value_mask=vm, key_mask=km))
    x4 = normal(r, (2, 3, 4, 6))
    run("mha_axes_2", "MultiHeadAttention", dict(num_heads=2, key_dim=3, attention_axes=(2,)),
        dict(query=x4, value=x4))
    run("mha_axes_12", "MultiHeadAttention", dict(num_heads=2, key_dim=3, attention_axes=(1, 2)),
        dict(query=x4, value=x4), call_kwargs=dict(return_attention_scores=True))
    run("mha_gate", "MultiHeadAttention", dict(num_heads=2, key_dim=3, use_gate=True),
        dict(query=q, value=v))
    run("mha_sliding", "MultiHeadAttention", dict(num_heads=2, key_dim=3, sliding_window=2),
        dict(query=x, value=x), call_kwargs=dict(use_causal_mask=True))
    run("mha_output_shape", "MultiHeadAttention",
        dict(num_heads=2, key_dim=3, output_shape=(2, 3)), dict(query=q, value=v))
    run("mha_scores_plain", "MultiHeadAttention", dict(num_heads=1, key_dim=5),
        dict(query=q, value=v), call_kwargs=dict(return_attention_scores=True))


def gqa_cases():
    r = np.random.default_rng(2)
    q, v, k = normal(r, (2, 4, 6)), normal(r, (2, 5, 6)), normal(r, (2, 5, 3))
    x = normal(r, (2, 5, 6))
    run("gqa_basic", "GroupQueryAttention",
        dict(head_dim=3, num_query_heads=4, num_key_value_heads=2), dict(query=q, value=v))
    run("gqa_causal_scores", "GroupQueryAttention",
        dict(head_dim=2, num_query_heads=4, num_key_value_heads=2),
        dict(query=x, value=x), call_kwargs=dict(use_causal_mask=True,
                                                 return_attention_scores=True))
    qm = mask_array(r, (2, 4))
    run("gqa_mqa_gate_key", "GroupQueryAttention",
        dict(head_dim=3, num_query_heads=3, num_key_value_heads=1, use_gate=True),
        dict(query=q, value=v, key=k, query_mask=qm))


def attention_cases():
    r = np.random.default_rng(3)
    q, v, k = normal(r, (2, 3, 4)), normal(r, (2, 5, 4)), normal(r, (2, 5, 4))
    qm, vm = mask_array(r, (2, 3)), mask_array(r, (2, 5))
    run("attention_dot", "Attention", {}, dict(query=q, value=v), call="list")
    run("attention_concat_scale", "Attention", dict(use_scale=True, score_mode="concat"),
        dict(query=q, value=v, key=k, query_mask=qm, value_mask=vm), call="list",
        call_kwargs=dict(return_attention_scores=True), positive_weights=("scale",))
    run("attention_causal", "Attention", dict(use_scale=True),
        dict(query=normal(r, (2, 5, 4)), value=v, value_mask=vm, query_mask=np.ones((2, 5), bool)),
        call="list", call_kwargs=dict(use_causal_mask=True, return_attention_scores=True))
    run("additive", "AdditiveAttention", {},
        dict(query=q, value=v, key=k, query_mask=qm, value_mask=vm), call="list",
        call_kwargs=dict(return_attention_scores=True))
    run("additive_noscale", "AdditiveAttention", dict(use_scale=False),
        dict(query=q, value=v), call="list")


def einsum_cases():
    r = np.random.default_rng(4)
    run("einsum_dense_relu", "EinsumDense",
        dict(equation="ab,bc->ac", output_shape=4, bias_axes="c", activation="relu"),
        dict(inputs=normal(r, (3, 5))), call="single")
    run("einsum_heads", "EinsumDense",
        dict(equation="abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de"),
        dict(inputs=normal(r, (2, 4, 5))), call="single")
    run("einsum_left_ellipsis", "EinsumDense",
        dict(equation="...b,bc->...c", output_shape=3, bias_axes="c"),
        dict(inputs=normal(r, (2, 3, 4, 5))), call="single")
    run("einsum_right_ellipsis", "EinsumDense",
        dict(equation="ab...,bc->ac...", output_shape=(3,), bias_axes="c"),
        dict(inputs=normal(r, (2, 4, 3, 2))), call="single")
    run("einsum_batch_letter", "EinsumDense",
        dict(equation="abc,bcd->abd", output_shape=(3, 2), bias_axes="bd"),
        dict(inputs=normal(r, (2, 3, 4))), call="single")
    run("einsum_transposed", "EinsumDense",
        dict(equation="abc,dc->adb", output_shape=(3, None)),
        dict(inputs=normal(r, (2, 4, 5))), call="single")


def spectral_cases():
    r = np.random.default_rng(5)
    run("spectral_dense_train", "SpectralNormalization", dict(layer=("Dense", dict(units=4))),
        dict(inputs=normal(r, (3, 5))), call="single", training=True)
    run("spectral_conv_train", "SpectralNormalization",
        dict(layer=("Conv2D", dict(filters=3, kernel_size=2)), power_iterations=3),
        dict(inputs=normal(r, (2, 5, 5, 2))), call="single", training=True)
    run("spectral_dense_infer", "SpectralNormalization", dict(layer=("Dense", dict(units=4))),
        dict(inputs=normal(r, (3, 5))), call="single", training=False)


def pooling_cases():
    r = np.random.default_rng(6)
    run("adapt_avg1d", "AdaptiveAveragePooling1D", dict(output_size=4),
        dict(inputs=normal(r, (2, 10, 3))), call="single")
    run("adapt_max1d_up", "AdaptiveMaxPooling1D", dict(output_size=7),
        dict(inputs=normal(r, (2, 5, 3))), call="single")
    run("adapt_avg2d", "AdaptiveAveragePooling2D", dict(output_size=(3, 4)),
        dict(inputs=normal(r, (2, 7, 9, 2))), call="single")
    run("adapt_max2d_cf", "AdaptiveMaxPooling2D",
        dict(output_size=(4, 3), data_format="channels_first"),
        dict(inputs=normal(r, (2, 2, 9, 7))), call="single")
    run("adapt_avg3d_cf", "AdaptiveAveragePooling3D",
        dict(output_size=(2, 3, 4), data_format="channels_first"),
        dict(inputs=normal(r, (1, 2, 5, 6, 7))), call="single")
    run("adapt_max3d", "AdaptiveMaxPooling3D", dict(output_size=2),
        dict(inputs=normal(r, (1, 5, 4, 3, 2))), call="single")


def reversible_cases():
    r = np.random.default_rng(7)
    run("reversible_tied", "ReversibleEmbedding", dict(input_dim=11, output_dim=4),
        dict(inputs=normal(r, (2, 3, 4))), call="single",
        call_kwargs=dict(reverse=True))
    run("reversible_untied_cap", "ReversibleEmbedding",
        dict(input_dim=11, output_dim=4, tie_weights=False, logit_soft_cap=2.0),
        dict(inputs=normal(r, (2, 3, 4))), call="single", call_kwargs=dict(reverse=True))
    run("reversible_forward", "ReversibleEmbedding", dict(input_dim=11, output_dim=4),
        dict(inputs=r.integers(0, 11, size=(2, 5)).astype("int32")), call="single")


def model_golden():
    """A Functional transformer block saved by Keras, for .keras interop."""
    keras.utils.set_random_seed(11)
    ids_in = keras.Input((6,), dtype="int32", name="ids")
    x = L.Embedding(20, 8, mask_zero=True, name="emb")(ids_in)
    # Nothing after the attention consumes the mask explicitly: Keras would
    # then record its mask arithmetic (NotEqual, LogicalOr) as graph nodes.
    a = L.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(x, x)
    x = L.LayerNormalization(name="ln")(a)
    out = L.Dense(3, activation="softmax", name="head")(x)
    model = keras.Model(ids_in, out, name="tiny_transformer")
    rng = np.random.default_rng(12)
    model.set_weights([normal(rng, w.shape, 0.5) for w in model.weights])
    ids = rng.integers(1, 20, size=(4, 6)).astype("int32")
    ids[0, 4:] = 0
    ids[2, 2:] = 0
    DATA["model__ids"] = ids
    DATA["model__y"] = model.predict(ids, verbose=0)
    path = os.path.join(OUT, "attention_model.keras")
    model.save(path)
    return {"weight_paths": [w.path for w in model.weights], "h5_vars": _h5_layout(path)}


def _h5_layout(keras_path):
    """`{group: [shape of vars/0, vars/1, ...]}` of the archive's weights file."""
    import io
    import zipfile
    import h5py
    with zipfile.ZipFile(keras_path) as zf:
        raw = zf.read("model.weights.h5")
    layout = {}
    with h5py.File(io.BytesIO(raw), "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Group) and name.endswith("vars"):
                group = name[:-len("/vars")] if name != "vars" else ""
                layout[group] = [list(obj[str(i)].shape) for i in range(len(obj))]
        f.visititems(visit)
    return layout


def main():
    os.makedirs(OUT, exist_ok=True)
    mha_cases()
    gqa_cases()
    attention_cases()
    einsum_cases()
    spectral_cases()
    pooling_cases()
    reversible_cases()
    model_info = model_golden()
    for key, value in DATA.items():
        assert np.asarray(value).dtype != object, key
    np.savez_compressed(os.path.join(OUT, "attention_data.npz"), **DATA)
    with open(os.path.join(OUT, "attention_cases.json"), "w") as fh:
        json.dump({"keras_version": keras.__version__, "tensorflow_version": tf.__version__,
                   "cases": CASES, "model": model_info}, fh, indent=1)
    print(f"wrote {len(CASES)} cases, {len(DATA)} arrays")


if __name__ == "__main__":
    main()
