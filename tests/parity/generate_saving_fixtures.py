"""Write the Keras-made files that tests/saving loads (run with real Keras 3).

Usage (in a virtualenv with keras 3 + tensorflow-cpu + h5py):

    python tests/parity/generate_saving_fixtures.py

Writes small `.keras`, `.weights.h5` and legacy `.h5` files into
`tests/saving/fixtures/`, plus `expected.npz` holding each model's inputs and
Keras's predictions (and, for the mid-training model, the next training batch
and the weights after Keras takes that step). Also: Functional models with raw
ops (`ops_*.keras`: Keras writes `x + y`, `h[:, :2]`, `ops.concatenate` as
operations), a model with adapted vocabularies (`text_vectorization.keras`,
with `assets/`), and `keras_op_table.json`, read from Keras's own code: how
each keras.ops / keras.activations call is written in a config
(minikeras/saving/keras_op_table.py must equal it; tests/saving/test_keras_ops.py
prints the lines to paste when it doesn't). This script must not import
minikeras.
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "saving", "fixtures")
L = keras.layers


@keras.saving.register_keras_serializable(package="MiniKerasTest", name="TwoDense")
class TwoDense(keras.Model):
    """The registered subclassed model; tests/saving defines the same one."""

    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = L.Dense(units, activation="relu")
        self.out = L.Dense(2)

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def deflate(path):
    """Re-zip a `.keras` archive with compression (HDF5 padding shrinks ~10x).

    Keras writes members uncompressed; a deflated archive is just as valid and
    keeps the committed fixtures small.
    """
    import zipfile
    with zipfile.ZipFile(path) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)


def rand(*shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype("float32")


def main():
    os.makedirs(OUT, exist_ok=True)
    keras.utils.set_random_seed(42)
    expected = {}

    def record(name, model, x):
        path = os.path.join(OUT, f"{name}.keras")
        model.save(path)
        deflate(path)
        xs = x if isinstance(x, list) else [x]
        ys = model.predict(x, verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        for i, v in enumerate(xs):
            expected[f"{name}/x{i}"] = v
        for i, v in enumerate(ys):
            expected[f"{name}/y{i}"] = np.asarray(v)
        # Reloading in Keras must give the same predictions (sanity of the fixture).
        again = keras.saving.load_model(path)
        ya = again.predict(x, verbose=0)
        ya = ya if isinstance(ya, list) else [ya]
        for a, b in zip(ys, ya):
            np.testing.assert_allclose(a, b, atol=1e-6)

    # Dense MLP (also as a .weights.h5 file).
    mlp = keras.Sequential([keras.Input((4,)), L.Dense(8, activation="relu"),
                            L.Dense(3, activation="softmax")], name="mlp")
    record("mlp", mlp, rand(5, 4, seed=1))
    mlp.save_weights(os.path.join(OUT, "mlp.weights.h5"))

    # Multi-input, multi-output Functional model with a shared layer.
    a, b = keras.Input((3,), name="in_a"), keras.Input((3,), name="in_b")
    shared = L.Dense(4, activation="relu", name="shared")
    out_a = L.Dense(2, name="out_a")(shared(a))
    out_b = L.Dense(1, name="out_b")(shared(b))
    multi = keras.Model([a, b], [out_a, out_b], name="multi")
    record("functional_multi", multi, [rand(4, 3, seed=2), rand(4, 3, seed=3)])

    # Multi-input Functional model merged by Concatenate.
    a, b = keras.Input((3,), name="left"), keras.Input((2,), name="right")
    x = L.Concatenate()([L.Dense(4, activation="tanh")(a), b])
    concat = keras.Model([a, b], L.Dense(2)(x), name="concat")
    record("functional_concat", concat, [rand(4, 3, seed=4), rand(4, 2, seed=5)])

    # Registered subclassed model.
    sub = TwoDense(units=5, name="two_dense")
    sub(rand(2, 3, seed=6))
    record("subclassed", sub, rand(4, 3, seed=7))

    # A model mid-training: Adam state saved; the test takes the next step.
    train = keras.Sequential([keras.Input((3,)), L.Dense(5, activation="tanh"), L.Dense(1)],
                             name="train")
    train.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    xt, yt = rand(8, 3, seed=8), rand(8, 1, seed=9)
    train.fit(xt, yt, batch_size=4, epochs=2, verbose=0, shuffle=False)
    record("training", train, xt)
    xn, yn = rand(4, 3, seed=10), rand(4, 1, seed=11)
    expected["training/next_x"], expected["training/next_y"] = xn, yn
    train2 = keras.saving.load_model(os.path.join(OUT, "training.keras"))
    logs = train2.train_on_batch(xn, yn, return_dict=True)
    expected["training/next_loss"] = np.float32(logs["loss"])
    for i, w in enumerate(train2.get_weights()):
        expected[f"training/next_w{i}"] = w
    expected["training/iterations"] = np.int64(train2.optimizer.iterations.numpy())

    # CNN.
    cnn = keras.Sequential([keras.Input((6, 6, 2)), L.Conv2D(3, 3, activation="relu"),
                            L.MaxPooling2D(2), L.Flatten(), L.Dense(2)], name="cnn")
    record("cnn", cnn, rand(2, 6, 6, 2, seed=12))

    # LSTM.
    lstm = keras.Sequential([keras.Input((5, 3)), L.LSTM(4), L.Dense(1)], name="lstm")
    record("lstm", lstm, rand(2, 5, 3, seed=13))

    # BatchNormalization, trained so its moving statistics are not the defaults.
    bn = keras.Sequential([keras.Input((4,)), L.Dense(6), L.BatchNormalization(), L.Dense(1)],
                          name="bn")
    bn.compile(optimizer="sgd", loss="mse")
    bn.fit(rand(16, 4, seed=14) * 3 + 1, rand(16, 1, seed=15), epochs=2, verbose=0)
    record("bn", bn, rand(3, 4, seed=16))

    # A Lambda layer: loading must refuse it unless safe_mode=False.
    lam = keras.Sequential([keras.Input((2,)), L.Lambda(lambda t: t * 2.0), L.Dense(1)],
                           name="lam")
    lam.save(os.path.join(OUT, "lambda.keras"))
    deflate(os.path.join(OUT, "lambda.keras"))

    # Legacy .h5 written by Keras 3 (compiled, trained).
    legacy = keras.Sequential([keras.Input((4,)), L.Dense(3, activation="relu"), L.Dense(2)],
                              name="legacy")
    legacy.compile(optimizer="adam", loss="mse")
    legacy.fit(rand(6, 4, seed=17), rand(6, 2, seed=18), epochs=1, verbose=0)
    legacy.save(os.path.join(OUT, "legacy_keras3.h5"))
    xl = rand(3, 4, seed=19)
    expected["legacy_keras3/x0"], expected["legacy_keras3/y0"] = xl, legacy.predict(xl, verbose=0)

    write_keras2_file(os.path.join(OUT, "legacy_keras2.h5"), expected)
    write_op_fixtures(record)
    write_asset_fixtures(expected)
    with open(os.path.join(OUT, "keras_op_table.json"), "w") as f:
        json.dump(op_table(), f, indent=0, sort_keys=True)

    # Keras 3's own npz weights store (pickled objects): must be refused.
    from keras.src.saving import saving_lib
    saving_lib.save_model(keras.Sequential([keras.Input((2,)), L.Dense(1)]),
                          os.path.join(OUT, "keras_npz_store.keras"), weights_format="npz")

    np.savez_compressed(os.path.join(OUT, "expected.npz"), **expected)
    print("wrote", sorted(os.listdir(OUT)))


def write_op_fixtures(record):
    """Functional models with raw ops: Keras writes them as operations (Add, GetItem, ...)."""
    ops = keras.ops
    x = keras.Input((4,), name="x")
    record("ops_residual", keras.Model(x, L.Dense(4, name="d")(x) + x, name="ops_residual"),
           rand(3, 4, seed=30))
    x = keras.Input((4,), name="x")
    record("ops_slice", keras.Model(x, L.Dense(4, name="d")(x)[:, :2], name="ops_slice"),
           rand(3, 4, seed=31))
    x = keras.Input((4,), name="x")
    h = ops.relu(ops.concatenate([x, L.Dense(2, name="d")(x)], axis=-1))
    record("ops_calls", keras.Model(x, h, name="ops_calls"), rand(3, 4, seed=32))
    record("ops_mixed", ops_mixed_model(), rand(3, 4, seed=33))


def ops_mixed_model():
    """Operators and keras.ops calls of many shapes (tests/saving builds the same model)."""
    ops = keras.ops
    x = keras.Input((4,), name="x")
    d = L.Dense(4, name="d")(x)
    a = -(2.0 - d) * d / 3.0 + ops.power(1.5, d) @ np.eye(4, dtype="float32") - abs(x)
    b = a[..., None, 1:4:2] ** 2
    c = ops.sum(ops.reshape(b, (-1, 2)), axis=1, keepdims=True)
    e = ops.softmax(ops.expand_dims(d, 1), axis=-1)
    f = keras.activations.relu(ops.squeeze(e, axis=1), negative_slope=0.1, max_value=0.3)
    g = ops.einsum("bi,ij->bj", ops.clip(x, -0.5, 0.5), np.ones((4, 3), dtype="float32"))
    h = ops.where(ops.greater(d, 0.0), ops.maximum(d, x), ops.transpose(ops.stack([d, x]),
                                                                         (1, 0, 2))[:, 0])
    k = ops.mean(ops.take(x, [0, 2], axis=1)) + ops.logsumexp(d, axis=-1) / ops.norm(x)
    return keras.Model(x, [c, f, g, h, k, ops.concatenate([a, 1 - x], axis=1)], name="ops_mixed")


def write_asset_fixtures(expected):
    """An adapted TextVectorization and StringLookup: vocabularies go to `assets/`."""
    import tensorflow as tf
    texts = ["The cat sat.", "the dog ran far", "a cat, and a dog!", "cats and dogs"]
    tv = L.TextVectorization(max_tokens=12, output_sequence_length=6, name="tv")
    tv.adapt(texts)
    lookup = L.StringLookup(num_oov_indices=2, name="lookup")
    lookup.adapt(["red", "green", "green", "blue", "blue", "blue"])
    text = keras.Input(shape=(1,), dtype="string", name="text")
    color = keras.Input(shape=(2,), dtype="string", name="color")
    model = keras.Model([text, color], [tv(text), lookup(color)], name="vocab")
    path = os.path.join(OUT, "text_vectorization.keras")
    model.save(path)
    deflate(path)
    xt = np.array([["the cat ran"], ["A dog, far away"], ["zebra"]])
    xc = np.array([["blue", "red"], ["purple", "green"], ["", "blue"]])
    again = keras.saving.load_model(path)
    for m in (model, again):
        ys = m.predict([tf.constant(xt), tf.constant(xc)], verbose=0)
    expected["text_vectorization/x0"], expected["text_vectorization/x1"] = xt, xc
    for i, y in enumerate(ys):
        expected[f"text_vectorization/y{i}"] = np.asarray(y)


# ----- the table of Keras ops (how a `keras.ops` call is written in a config) ---------------
_PUBLIC_OP_MODULES = ("ops", "ops.numpy", "ops.nn", "ops.linalg", "ops.image", "activations")


def _public_functions():
    """`{(family, name): (public module, function)}` of keras.ops.* and keras.activations."""
    import inspect
    found = {}
    for where in _PUBLIC_OP_MODULES:
        module = keras
        for part in where.split("."):
            module = getattr(module, part)
        family = "activations" if where == "activations" else "ops"
        for name in sorted(dir(module)):
            fn = getattr(module, name)
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            key = (family, name)
            if key in found:
                assert found[key][1] is fn, f"two keras.{family} functions named {name}"
                continue
            found[key] = (f"keras.{where}", fn)
    return found


def _signature(fn):
    """`[[name, kind, default?], ...]`: kind is p(ositional), *, k(eyword-only) or **."""
    import inspect
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "p", inspect.Parameter.POSITIONAL_OR_KEYWORD: "p",
             inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.KEYWORD_ONLY: "k",
             inspect.Parameter.VAR_KEYWORD: "**"}
    out = []
    for p in inspect.signature(fn).parameters.values():
        item = [p.name, kinds[p.kind]]
        if p.default is not inspect.Parameter.empty:
            item.append(_plain(p.default))
        out.append(item)
    return out


def _plain(value):
    """A JSON-able default (tuples become lists); others are flagged as expressions."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)) and all(
            v is None or isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    return {"expr": repr(value)}


def _source_of(node, params):
    """Where a call argument comes from: a parameter, a constant, or an expression."""
    import ast
    if isinstance(node, ast.Name) and node.id in params:
        return ["arg", node.id]
    if isinstance(node, ast.Constant):
        return ["value", _plain(node.value)]
    return ["expr", ast.unparse(node)]


def _op_class_calls(fn, tree):
    """`Cls(...).symbolic_call(...)` and `Cls(...)(...)` calls of `fn` (Cls an Operation)."""
    import ast
    from keras.src.ops.operation import Operation
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        inner = node.func
        if isinstance(inner, ast.Attribute) and inner.attr == "symbolic_call":
            inner = inner.value
        if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)):
            continue
        cls = fn.__globals__.get(inner.func.id)
        if isinstance(cls, type) and issubclass(cls, Operation):
            calls.append((cls, inner, node))
    return calls


def _class_entry(fn, cls, ctor, call):
    import ast
    import inspect
    from keras.src.ops.operation import Operation
    params = [p[0] for p in _signature(fn)]
    init_sig = inspect.signature(cls.__init__)
    init_params = [p for p in list(init_sig.parameters.values())[1:]]
    names = [p.name for p in init_params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    bound = {}
    for name, arg in zip(names, ctor.args):
        bound[name] = _source_of(arg, params)
    for kw in ctor.keywords:
        bound[kw.arg or "**"] = _source_of(kw.value, params)
    init = []
    for p in init_params:
        if p.name == "name" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name in bound and bound[p.name][0] == "expr" and isinstance(
                getattr(ctor.args[names.index(p.name)] if p.name in names[:len(ctor.args)]
                        else [k.value for k in ctor.keywords if k.arg == p.name][0],
                        "id", None), str) and p.default is not inspect.Parameter.empty:
            # A local variable (a deprecated argument popped from **kwargs):
            # what the constructor gets when the caller doesn't pass it.
            bound.pop(p.name)
            init.append([p.name, "value", _plain(p.default)])
        elif p.name in bound:
            init.append([p.name] + bound.pop(p.name))
        elif p.default is not inspect.Parameter.empty:
            init.append([p.name, "value", _plain(p.default)])
        else:
            init.append([p.name, "expr", "<missing>"])
    for name, source in bound.items():  # `**kwargs` passed on to the constructor
        init.append([name] + (source if name == "**" and source[0] == "arg"
                              else ["expr", str(source)]))
    call_args = []
    for a in call.args:
        if isinstance(a, ast.Starred) and isinstance(a.value, ast.Name):
            call_args.append("*" + a.value.id)
        else:
            src = _source_of(a, params)
            call_args.append(src[1] if src[0] == "arg" else {"expr": ast.unparse(a)})
    call_kw = {}
    for kw in call.keywords:
        src = _source_of(kw.value, params)
        call_kw[kw.arg or "**"] = src[1] if src[0] == "arg" else {"expr": ast.unparse(kw.value)}
    custom = any("get_config" in vars(c) for c in cls.__mro__[:cls.__mro__.index(Operation)])
    takes_name = "name" in init_sig.parameters or any(
        p.kind == p.VAR_KEYWORD for p in init_sig.parameters.values())
    return {"class": [cls.__module__, cls.__name__], "init": init, "call": call_args,
            "call_kw": call_kw, "name_in_config": takes_name, "custom_config": custom}


def _delegate_entry(fn, call, target_params, target):
    """Compose `fn` that only calls another public function (an alias, an activation)."""
    import ast
    params = [p[0] for p in _signature(fn)]
    passed = {}
    positional = [p[0] for p in target_params if p[1] == "p"]
    for name, arg in zip(positional, call.args):
        passed[name] = arg
    for kw in call.keywords:
        passed[kw.arg] = kw.value

    def source(target_param):
        if target_param in passed:
            return _source_of(passed[target_param], params)
        default = [p for p in target_params if p[0] == target_param][0]
        return ["value", default[2]] if len(default) > 2 else ["expr", "<missing>"]
    init = []
    for name, kind, value in target["init"]:
        init.append([name] + (source(value) if kind == "arg" else [kind, value]))

    def call_source(value):
        if isinstance(value, str) and not value.startswith("*"):
            src = source(value)
            return src[1] if src[0] == "arg" else {"expr": ast.unparse(passed[value])
                                                   if value in passed else "<missing>"}
        return {"expr": str(value)}
    return {**target, "init": init, "call": [call_source(v) for v in target["call"]],
            "call_kw": {k: call_source(v) for k, v in target["call_kw"].items()}}


def op_table():
    """How Keras writes each keras.ops / keras.activations call on KerasTensors.

    `{"ops": {name: entry}, "activations": {name: entry}}`; an entry holds the
    function's signature (`params`), the operation class Keras records
    (`class`: module and name), where each constructor argument of that class
    comes from (`init`: a parameter of the function, a value, or an
    expression minikeras can't reproduce), and which parameters are the
    arguments of the graph node (`call`, `call_kw`). Functions that create no
    single operation (creation ops, control flow, composites) are left out.
    """
    import ast
    import inspect
    import textwrap
    functions = _public_functions()
    table = {"ops": {}, "activations": {}}
    pending = {}
    for (family, name), (where, fn) in functions.items():
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        except (OSError, TypeError):
            continue
        calls = _op_class_calls(fn, tree)
        base = {"where": where, "params": _signature(fn)}
        if len({c[0] for c in calls}) == 1:
            table[family][name] = {**base, **_class_entry(fn, *calls[0])}
        elif not calls:
            pending[(family, name)] = (base, fn, tree)
    for (family, name), (base, fn, tree) in pending.items():
        targets = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            callee = None
            if isinstance(f, ast.Name):
                callee = fn.__globals__.get(f.id)
            elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) \
                    and inspect.ismodule(fn.__globals__.get(f.value.id)):
                callee = getattr(fn.__globals__[f.value.id], f.attr, None)
            for (fam, other), (_, g) in functions.items():
                if g is callee and fam == "ops" and other in table["ops"]:
                    targets.append((node, other))
                    break
        if len(targets) == 1:
            node, other = targets[0]
            target = table["ops"][other]
            entry = _delegate_entry(fn, node, target["params"], target)
            table[family][name] = {**base, **{k: v for k, v in entry.items()
                                              if k not in ("where", "params")}}
    return table


def write_keras2_file(path, expected):
    """A Keras 2 (tf.keras 2.x) full-model `.h5`, in that version's exact layout."""
    kernel1, bias1 = rand(4, 3, seed=20), rand(3, seed=21)
    kernel2, bias2 = rand(3, 2, seed=22), rand(2, seed=23)
    init = {"class_name": "GlorotUniform", "config": {"seed": None}}
    zeros = {"class_name": "Zeros", "config": {}}

    def dense(name, units, activation, extra=None):
        cfg = {"name": name, "trainable": True, "dtype": "float32", "units": units,
               "activation": activation, "use_bias": True, "kernel_initializer": init,
               "bias_initializer": zeros, "kernel_regularizer": None,
               "bias_regularizer": None, "activity_regularizer": None,
               "kernel_constraint": None, "bias_constraint": None}
        cfg.update(extra or {})
        return {"class_name": "Dense", "config": cfg}

    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4],
                                                "dtype": "float32", "sparse": False,
                                                "ragged": False, "name": "dense_input"}},
        dense("dense", 3, "relu", {"batch_input_shape": [None, 4]}),
        dense("dense_1", 2, "linear")]}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.15.0"
        for name, (k, b) in (("dense", (kernel1, bias1)), ("dense_1", (kernel2, bias2))):
            lg = g.create_group(name)
            lg.attrs["weight_names"] = np.array([f"{name}/kernel:0".encode(),
                                                 f"{name}/bias:0".encode()])
            lg.create_dataset(f"{name}/kernel:0", data=k)
            lg.create_dataset(f"{name}/bias:0", data=b)
    # Keras 3 reads this file; its predictions are the expected ones.
    model = keras.saving.load_model(path, compile=False)
    x = rand(3, 4, seed=24)
    expected["legacy_keras2/x0"], expected["legacy_keras2/y0"] = x, model.predict(x, verbose=0)
    np.testing.assert_allclose(expected["legacy_keras2/y0"],
                               np.maximum(x @ kernel1 + bias1, 0) @ kernel2 + bias2, atol=1e-5)


if __name__ == "__main__":
    main()
