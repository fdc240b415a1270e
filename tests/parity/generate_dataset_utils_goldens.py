"""Records Keras 3's dataset utilities as goldens for minikeras's tests.

Run with a Python that has tensorflow + keras 3 + pillow (never minikeras):

    python tests/parity/generate_dataset_utils_goldens.py

It writes small PNG images and text files into a temporary folder (their
pixels and contents are stored in the goldens, so the test rebuilds the
same folder), runs `image_dataset_from_directory`,
`text_dataset_from_directory`, `timeseries_dataset_from_array`,
`split_dataset` and `pad_sequences`, and writes into `goldens/` next to
this file:

- dataset_utils.json: per case the arguments, the file order (paths
  relative to the folder), class names, labels, shapes and dtypes, texts.
- dataset_utils.npz: the source pixels and the arrays Keras produced.
"""
import json
import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDENS = os.path.join(HERE, "goldens")

# class -> list of (file name, height, width, mode)
IMAGE_TREE = {
    "cats": [("c1.png", 9, 13, "RGB"), ("c2.png", 12, 7, "RGB"), ("c3.png", 10, 10, "RGBA"),
             ("nested/c4.png", 8, 11, "RGB")],
    "dogs": [("d1.png", 7, 9, "RGB"), ("d2.png", 16, 12, "L"), ("d3.png", 11, 14, "RGB")],
    "owls": [("o1.png", 6, 6, "RGB"), ("o2.png", 13, 9, "RGB")],
}
TEXT_TREE = {
    "neg": [("a.txt", "bad movie"), ("b.txt", "terrible plot, awful acting"),
            ("c.txt", "not good")],
    "pos": [("a.txt", "great film"), ("d.txt", "wonderful \u00e9l\u00e8ve story"),
            ("e.txt", "loved it"), ("f.txt", "superb")],
}


def make_pixels():
    rng = np.random.RandomState(0)
    pixels = {}
    for cls, files in IMAGE_TREE.items():
        for fname, h, w, mode in files:
            channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
            pixels[f"{cls}/{fname}"] = rng.randint(0, 256, size=(h, w, channels)).astype("uint8")
    return pixels


def write_images(root, pixels, only=None):
    for rel, arr in pixels.items():
        if only and rel.split("/")[0] not in only:
            continue
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = {1: "L", 3: "RGB", 4: "RGBA"}[arr.shape[2]]
        Image.fromarray(arr[:, :, 0] if mode == "L" else arr, mode=mode).save(path)


def write_texts(root):
    for cls, files in TEXT_TREE.items():
        for fname, text in files:
            path = os.path.join(root, cls, fname)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(text.encode("utf-8"))


def collect(ds):
    xs, ys = [], []
    for batch in ds:
        if isinstance(batch, tuple):
            xs.append(batch[0].numpy())
            ys.append(batch[1].numpy())
        else:
            xs.append(batch.numpy())
    return xs, ys


def rel(paths, root):
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in paths]


IMAGE_CASES = [
    dict(name="rgb_bilinear", kwargs=dict(image_size=(8, 6), batch_size=4, shuffle=False)),
    dict(name="rgb_nearest", kwargs=dict(image_size=(5, 7), batch_size=3, shuffle=False,
                                         interpolation="nearest")),
    dict(name="rgb_bicubic", kwargs=dict(image_size=(6, 6), batch_size=5, shuffle=False,
                                         interpolation="bicubic")),
    dict(name="crop", kwargs=dict(image_size=(6, 4), batch_size=9, shuffle=False,
                                  crop_to_aspect_ratio=True)),
    dict(name="pad", kwargs=dict(image_size=(6, 4), batch_size=9, shuffle=False,
                                 pad_to_aspect_ratio=True)),
    dict(name="rgba_categorical", kwargs=dict(image_size=(4, 4), batch_size=4, shuffle=False,
                                              color_mode="rgba", label_mode="categorical")),
    dict(name="channels_first_unbatched", kwargs=dict(image_size=(3, 5), batch_size=None,
                                                      shuffle=False,
                                                      data_format="channels_first")),
    dict(name="class_names_subset", kwargs=dict(image_size=(4, 4), batch_size=32,
                                                shuffle=False, class_names=["owls", "cats"])),
    dict(name="no_labels", kwargs=dict(image_size=(4, 4), batch_size=32, shuffle=False,
                                       labels=None)),
    dict(name="binary_two_classes", only=["cats", "dogs"],
         kwargs=dict(image_size=(4, 4), batch_size=32, shuffle=False, label_mode="binary")),
    dict(name="grayscale_gray_files", only=["dogs"], gray_only=True,
         kwargs=dict(image_size=(5, 5), batch_size=32, shuffle=False,
                     color_mode="grayscale")),
]


def image_goldens(meta, arrays, pixels):
    meta["image_tree"] = {c: [list(f) for f in files] for c, files in IMAGE_TREE.items()}
    for k, v in pixels.items():
        arrays[f"pixels/{k}"] = v
    cases = []
    for case in IMAGE_CASES:
        with tempfile.TemporaryDirectory() as root:
            px = pixels
            if case.get("gray_only"):
                px = {k: v for k, v in pixels.items() if v.shape[2] == 1}
            write_images(root, px, case.get("only"))
            ds = keras.utils.image_dataset_from_directory(root, verbose=False, **case["kwargs"])
            xs, ys = collect(ds)
            out = dict(case, file_paths=rel(ds.file_paths, root),
                       class_names=ds.class_names, num_batches=len(xs),
                       x_dtype=str(xs[0].dtype), x_shapes=[list(x.shape) for x in xs])
            arrays[f"image/{case['name']}/x"] = np.concatenate(xs) \
                if case["kwargs"]["batch_size"] else np.stack(xs)
            if ys:
                arrays[f"image/{case['name']}/y"] = np.concatenate(ys) \
                    if case["kwargs"]["batch_size"] else np.stack(ys)
            cases.append(out)
    # File order and splits with shuffling (pixels not needed).
    orders = []
    for seed in (1, 42, 1337):
        with tempfile.TemporaryDirectory() as root:
            write_images(root, pixels)
            ds = keras.utils.image_dataset_from_directory(root, image_size=(2, 2), seed=seed,
                                                          verbose=False)
            train, val = keras.utils.image_dataset_from_directory(
                root, image_size=(2, 2), seed=seed, validation_split=0.3, subset="both",
                verbose=False)
            orders.append(dict(seed=seed, file_paths=rel(ds.file_paths, root),
                               train=rel(train.file_paths, root),
                               val=rel(val.file_paths, root),
                               val_labels=np.concatenate(collect(val)[1]).tolist()))
    meta["image_cases"] = cases
    meta["image_orders"] = orders


def text_goldens(meta):
    meta["text_tree"] = {c: [list(f) for f in files] for c, files in TEXT_TREE.items()}
    cases = []
    for name, kwargs in [
            ("ordered", dict(shuffle=False, batch_size=3)),
            ("max_length_binary", dict(shuffle=False, batch_size=10, max_length=6,
                                       label_mode="binary")),
            ("categorical", dict(shuffle=False, batch_size=4, label_mode="categorical")),
            ("seeded", dict(shuffle=True, seed=7, batch_size=10)),
            ("split_training", dict(shuffle=True, seed=3, batch_size=10,
                                    validation_split=0.4, subset="training")),
            ("split_validation", dict(shuffle=True, seed=3, batch_size=10,
                                      validation_split=0.4, subset="validation"))]:
        with tempfile.TemporaryDirectory() as root:
            write_texts(root)
            ds = keras.utils.text_dataset_from_directory(root, verbose=False, **kwargs)
            xs, ys = collect(ds)
            texts = [t.decode("utf-8", errors="replace") for x in xs for t in x]
            out = dict(name=name, kwargs=kwargs, class_names=ds.class_names,
                       texts=texts, labels=np.concatenate(ys).tolist(),
                       batch_sizes=[len(x) for x in xs], x_dtype=str(xs[0].dtype))
            if name in ("seeded", "split_training", "split_validation"):
                # Order within the dataset goes through a tf.data shuffle
                # buffer; the index order is what minikeras reproduces.
                from keras.src.utils import dataset_utils
                paths, labels, _ = dataset_utils.index_directory(
                    root, "inferred", formats=(".txt",), shuffle=True, seed=kwargs["seed"],
                    verbose=False)
                out["index_order"] = rel(paths, root)
            cases.append(out)
    meta["text_cases"] = cases


def timeseries_goldens(meta, arrays):
    data = np.arange(40 * 2, dtype="float32").reshape(40, 2)
    targets = np.arange(100, 140, dtype="int32")
    arrays["timeseries/data"] = data
    arrays["timeseries/targets"] = targets
    cases = []
    for name, kwargs, with_targets in [
            ("basic", dict(sequence_length=5, batch_size=8), True),
            ("stride_rate", dict(sequence_length=4, sequence_stride=3, sampling_rate=2,
                                 batch_size=5), True),
            ("start_end", dict(sequence_length=3, start_index=4, end_index=30,
                               batch_size=7), True),
            ("no_targets_unbatched", dict(sequence_length=6, sequence_stride=7,
                                          batch_size=None), False),
            ("shuffled", dict(sequence_length=5, batch_size=8, shuffle=True, seed=5), True)]:
        ds = keras.utils.timeseries_dataset_from_array(
            data, targets if with_targets else None, **kwargs)
        xs, ys = collect(ds)
        x = np.concatenate(xs) if kwargs.get("batch_size") else np.stack(xs)
        out = dict(name=name, kwargs=kwargs, with_targets=with_targets,
                   batch_sizes=[len(b) for b in xs], x_dtype=str(x.dtype))
        if name == "shuffled":
            order = np.argsort(x[:, 0, 0])
            x = x[order]
            ys = [np.concatenate(ys)[order]]
            starts = np.arange(0, 40 - 4, 1)
            np.random.RandomState(5).shuffle(starts)
            out["start_order"] = starts.tolist()
        arrays[f"timeseries/{name}/x"] = x
        if ys:
            arrays[f"timeseries/{name}/y"] = np.concatenate(ys)
        cases.append(out)
    meta["timeseries_cases"] = cases


def split_goldens(meta, arrays):
    x = np.arange(30, dtype="float32").reshape(10, 3)
    y = np.arange(10, dtype="int32")
    arrays["split/x"] = x
    arrays["split/y"] = y
    cases = []
    for name, dataset, kwargs in [
            ("array_left_float", "x", dict(left_size=0.8)),
            ("tuple_right_int_shuffled", "xy", dict(right_size=3, shuffle=True, seed=9)),
            ("list_both_shuffled", "xy_list", dict(left_size=0.5, right_size=0.3,
                                                   shuffle=True, seed=2))]:
        ds = {"x": x, "xy": (x, y), "xy_list": [x, y]}[dataset]
        left, right = keras.utils.split_dataset(ds, **kwargs)
        for side, part in (("left", left), ("right", right)):
            items = list(part.as_numpy_iterator())
            if dataset == "x":
                arrays[f"split/{name}/{side}"] = np.stack(items)
            else:
                arrays[f"split/{name}/{side}/x"] = np.stack([i[0] for i in items])
                arrays[f"split/{name}/{side}/y"] = np.stack([i[1] for i in items])
        cases.append(dict(name=name, dataset=dataset, kwargs=kwargs))
    meta["split_cases"] = cases


def pad_goldens(meta, arrays):
    seqs = [[1], [2, 3], [4, 5, 6, 7], [], [8, 9, 10]]
    cases = []
    for i, kwargs in enumerate([{}, dict(maxlen=3), dict(padding="post"),
                                dict(truncating="post", maxlen=2),
                                dict(padding="post", truncating="post", maxlen=3, value=-1),
                                dict(dtype="float32", value=0.5),
                                dict(maxlen=6, dtype="int64")]):
        out = keras.utils.pad_sequences(seqs, **kwargs)
        arrays[f"pad/{i}"] = out
        cases.append(dict(kwargs=kwargs, dtype=str(out.dtype)))
    vec = [np.ones((2, 3)) * 1, np.ones((4, 3)) * 2]
    arrays["pad/vectors"] = keras.utils.pad_sequences(vec, maxlen=3, dtype="float32")
    meta["pad_cases"] = cases
    meta["pad_sequences"] = seqs


def audio_goldens(meta, arrays):
    """Two classes of mono 16-bit PCM clips of different lengths."""
    import wave
    rng = np.random.RandomState(4)
    clips = {"no/a.wav": (9, 1), "no/b.wav": (5, 1), "yes/c.wav": (7, 1),
             "yes/d.wav": (12, 1)}
    for rel_path, (n, ch) in clips.items():
        arrays[f"audio_src/{rel_path}"] = rng.randint(-32768, 32767, size=(n, ch)).astype("int16")
    cases = []
    for name, kwargs in [("padded_batches", dict(batch_size=3, shuffle=False)),
                         ("fixed_length_categorical",
                          dict(batch_size=4, shuffle=False, output_sequence_length=8,
                               label_mode="categorical"))]:
        with tempfile.TemporaryDirectory() as root:
            for rel_path, (n, ch) in clips.items():
                path = os.path.join(root, rel_path)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with wave.open(path, "wb") as f:
                    f.setnchannels(ch)
                    f.setsampwidth(2)
                    f.setframerate(8000)
                    f.writeframes(arrays[f"audio_src/{rel_path}"].tobytes())
            ds = keras.utils.audio_dataset_from_directory(root, verbose=False, **kwargs)
            xs, ys = collect(ds)
            for i, (x, y) in enumerate(zip(xs, ys)):
                arrays[f"audio/{name}/x{i}"] = x
                arrays[f"audio/{name}/y{i}"] = y
            cases.append(dict(name=name, kwargs=kwargs, num_batches=len(xs),
                              class_names=ds.class_names))
    meta["audio_cases"] = cases


def main():
    os.makedirs(GOLDENS, exist_ok=True)
    meta = {"keras_version": keras.__version__}
    arrays = {}
    image_goldens(meta, arrays, make_pixels())
    text_goldens(meta)
    timeseries_goldens(meta, arrays)
    split_goldens(meta, arrays)
    pad_goldens(meta, arrays)
    audio_goldens(meta, arrays)
    with open(os.path.join(GOLDENS, "dataset_utils.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(GOLDENS, "dataset_utils.npz"), **arrays)
    print("wrote dataset_utils goldens")


if __name__ == "__main__":
    main()
