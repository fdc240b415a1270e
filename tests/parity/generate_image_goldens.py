"""Write goldens for keras.preprocessing.image from real Keras 3 (tf.keras).

Run in a virtualenv with TensorFlow + Keras 3 + SciPy + Pillow (never needed
by the normal test run):

    python tests/parity/generate_image_goldens.py

Writes, next to this script, under `goldens/`:

- `image_transforms.npz` / `.json`: `ImageDataGenerator.apply_transform`
  with fixed parameters (each parameter alone and combined) for each fill
  mode, interpolation order 0 and 1, grayscale and RGB, both data formats.
  Inputs are `in/<image>`, outputs `case/<id>`.
- `image_random.json`: `get_random_transform` draws after `np.random.seed`,
  for several generator configurations.
- `image_flow.npz` / `.json`: batches of `flow(...)` (indexing and `next`)
  with seeds, plus the `random_*` module functions.
- `image_fit.npz`: `fit` statistics (mean, std, ZCA matrix) and
  `standardize` outputs.
- `image_directory.npz` / `.json`: the bytes of PNG/JPEG files, and what
  `flow_from_directory` makes of them (class_indices, filenames, classes,
  batches, labels) for several color and class modes, and, when pandas is
  importable, of `flow_from_dataframe` on the same files.
- `image_resize.npz`: `smart_resize` outputs.
"""
import json
import os
import shutil
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402,F401
from tensorflow import keras  # noqa: E402
from tensorflow.keras.preprocessing import image as kimage  # noqa: E402
from PIL import Image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "goldens")
IDG = kimage.ImageDataGenerator


def f32(x):
    return np.asarray(x, dtype=np.float32)


def to_cf(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 0))


# --------------------------------------------------------------- transforms
PARAMS = [
    {"theta": 30.0},
    {"theta": -90.0},
    {"tx": 2.5},
    {"ty": -3.0},
    {"tx": 1.3, "ty": -0.7},
    {"shear": 25.0},
    {"zx": 0.7},
    {"zy": 1.4},
    {"zx": 0.6, "zy": 0.6},
    {"zx": 1.5, "zy": 1.5},
    {"flip_horizontal": True},
    {"flip_vertical": True},
    {"channel_shift_intensity": 40.0},
    {"brightness": 0.6},
    {"brightness": 1.7},
    {"theta": 45.0, "zx": 2.0, "zy": 2.2},
    {"theta": 17.0, "tx": 1.5, "ty": -2.2, "shear": 10.0, "zx": 0.9,
     "zy": 1.2, "flip_horizontal": True, "channel_shift_intensity": -25.0},
    {"theta": -33.0, "tx": -0.5, "ty": 2.0, "zx": 1.1, "zy": 0.8,
     "flip_vertical": True, "flip_horizontal": True, "brightness": 1.2},
]
MODES = [("constant", 0.0), ("constant", 17.5), ("nearest", 0.0),
         ("reflect", 0.0), ("wrap", 0.0)]


def transform_goldens():
    rng = np.random.default_rng(6)
    images = {
        "gray": f32(rng.integers(0, 256, size=(7, 9, 1))),
        "rgb": f32(rng.integers(0, 256, size=(6, 8, 3))),
        "rgb_wide": f32(rng.uniform(-60, 300, size=(6, 8, 3))),
    }
    arrays = {f"in/{k}": v for k, v in images.items()}
    cases = []
    for fmt in ("channels_last", "channels_first"):
        keras.backend.set_image_data_format(fmt)
        for img_name in ("gray", "rgb"):
            for mode, cval in MODES:
                for order in (1, 0):
                    for pi, params in enumerate(PARAMS):
                        if order == 0 and pi % 3:
                            continue  # order 0: a third of the cases
                        cases.append((fmt, img_name, mode, cval, order, pi))
        for pi in (13, 14, 17):  # brightness outside 0..255
            cases.append((fmt, "rgb_wide", "nearest", 0.0, 1, pi))
    meta = []
    for i, (fmt, img_name, mode, cval, order, pi) in enumerate(cases):
        keras.backend.set_image_data_format(fmt)
        gen = IDG(fill_mode=mode, cval=cval, interpolation_order=order,
                  data_format=fmt)
        x = images[img_name]
        if fmt == "channels_first":
            x = to_cf(x)
        out = gen.apply_transform(x.copy(), dict(PARAMS[pi]))
        arrays[f"case/{i}"] = f32(out)
        meta.append({"id": i, "data_format": fmt, "image": img_name,
                     "fill_mode": mode, "cval": cval, "order": order,
                     "params": PARAMS[pi]})
    keras.backend.set_image_data_format("channels_last")

    # Module functions with fixed parameters.
    x = images["rgb"]
    fn_cases = [
        ("apply_affine_transform", dict(theta=20, tx=1, ty=2, shear=5,
                                        zx=0.9, zy=1.1, row_axis=0,
                                        col_axis=1, channel_axis=2,
                                        fill_mode="reflect")),
        ("apply_affine_transform", dict(theta=-40, zx=1.3, row_axis=1,
                                        col_axis=0, channel_axis=2,
                                        fill_mode="wrap", order=0)),
        ("apply_channel_shift", dict(intensity=-30.0, channel_axis=2)),
        ("apply_brightness_shift", dict(brightness=0.8, scale=True)),
        ("apply_brightness_shift", dict(brightness=1.3, scale=False)),
    ]
    fn_meta = []
    for j, (name, kw) in enumerate(fn_cases):
        out = getattr(kimage, name)(x.copy(), **kw)
        arrays[f"fn/{j}"] = f32(out)
        fn_meta.append({"id": j, "fn": name, "kwargs": kw})
    arrays["in/uint8"] = rng.integers(0, 256, size=(5, 6, 3)).astype(np.uint8)
    arrays["fn/uint8"] = kimage.apply_affine_transform(
        arrays["in/uint8"], theta=33, zx=0.8, row_axis=0, col_axis=1,
        channel_axis=2, fill_mode="nearest")
    np.savez_compressed(os.path.join(OUT, "image_transforms.npz"), **arrays)
    with open(os.path.join(OUT, "image_transforms.json"), "w") as f:
        json.dump({"cases": meta, "functions": fn_meta}, f, indent=1)


# ---------------------------------------------------------- random draws
RANDOM_CONFIGS = [
    dict(rotation_range=20, width_shift_range=0.1, height_shift_range=0.1,
         zoom_range=0.1, horizontal_flip=True),
    dict(rotation_range=45, width_shift_range=3.0, height_shift_range=0.25,
         shear_range=12.0, zoom_range=[0.8, 1.3], channel_shift_range=30.0,
         brightness_range=[0.5, 1.5], horizontal_flip=True,
         vertical_flip=True),
    dict(width_shift_range=4, height_shift_range=[-2, 0, 3],
         horizontal_flip=True),
    dict(rotation_range=10, width_shift_range=np.float32(0.2),
         zoom_range=[1.0, 1.0]),
]


def jsonable(v):
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer, int, bool, np.bool_)):
        return int(v)
    return v


def random_goldens():
    out = []
    for ci, cfg in enumerate(RANDOM_CONFIGS):
        gen = IDG(**cfg)
        np.random.seed(100 + ci)
        draws = [gen.get_random_transform((10, 12, 3)) for _ in range(6)]
        draws = [{k: jsonable(v) for k, v in d.items()} for d in draws]
        cfg_json = {k: (float(v) if isinstance(v, np.floating) else v)
                    for k, v in cfg.items()}
        out.append({"config": cfg_json, "seed": 100 + ci,
                    "img_shape": [10, 12, 3], "draws": draws})
    with open(os.path.join(OUT, "image_random.json"), "w") as f:
        json.dump(out, f, indent=1)


# --------------------------------------------------------------- flow
FLOW_CONFIGS = [
    ("aug_rgb", dict(rotation_range=20, width_shift_range=0.1,
                     height_shift_range=0.1, zoom_range=0.1,
                     horizontal_flip=True), "rgb", "channels_last"),
    ("aug_gray_cf", dict(rotation_range=30, shear_range=10.0,
                         zoom_range=[0.9, 1.2], vertical_flip=True,
                         fill_mode="reflect", channel_shift_range=20.0,
                         rescale=1 / 255.0, samplewise_center=True,
                         samplewise_std_normalization=True), "gray",
     "channels_first"),
    ("int_shift", dict(width_shift_range=2, height_shift_range=[-1, 0, 2],
                       fill_mode="wrap", horizontal_flip=True), "rgb",
     "channels_last"),
    ("bright_const", dict(brightness_range=[0.6, 1.4], rotation_range=15,
                          fill_mode="constant", cval=40.0), "rgb",
     "channels_last"),
    ("order0_cf", dict(rotation_range=25, width_shift_range=0.2,
                       interpolation_order=0, fill_mode="nearest"), "rgb",
     "channels_first"),
]


def flow_goldens():
    rng = np.random.default_rng(7)
    xs = {"rgb": f32(rng.integers(0, 256, size=(10, 8, 9, 3))),
          "gray": f32(rng.integers(0, 256, size=(10, 8, 9, 1)))}
    y = np.arange(10) % 3
    sw = rng.uniform(0.5, 2.0, size=10)
    arrays = {"in/rgb": xs["rgb"], "in/gray": xs["gray"], "in/y": y,
              "in/sw": sw}
    meta = []
    for name, cfg, img, fmt in FLOW_CONFIGS:
        keras.backend.set_image_data_format(fmt)
        gen = IDG(data_format=fmt, **cfg)
        x = xs[img] if fmt == "channels_last" else np.moveaxis(xs[img], -1, 1)
        it = gen.flow(x, y, batch_size=4, seed=3, shuffle=True,
                      sample_weight=sw)
        bx, by, bw = it[1]
        arrays[f"{name}/getitem1/x"] = f32(bx)
        arrays[f"{name}/getitem1/y"] = by
        arrays[f"{name}/getitem1/w"] = bw
        it.on_epoch_end()
        bx, by, bw = it[2]
        arrays[f"{name}/getitem2_after_epoch_end/x"] = f32(bx)
        arrays[f"{name}/getitem2_after_epoch_end/y"] = by
        it2 = gen.flow(x, y, batch_size=4, seed=5, shuffle=True)
        for k in range(4):  # crosses the epoch boundary (10 samples)
            bx, by = next(it2)
            arrays[f"{name}/next{k}/x"] = f32(bx)
            arrays[f"{name}/next{k}/y"] = by
        meta.append({"name": name, "config": cfg, "image": img,
                     "data_format": fmt})
    keras.backend.set_image_data_format("channels_last")

    # No seed: the global numpy state drives shuffling and augmentation.
    gen = IDG(rotation_range=10, horizontal_flip=True)
    np.random.seed(11)
    it = gen.flow(xs["rgb"], batch_size=3, shuffle=True)
    arrays["noseed/next0"] = f32(next(it))
    arrays["noseed/next1"] = f32(next(it))

    # Tuple input (x, misc) and subsets.
    gen = IDG(validation_split=0.3)
    misc = np.arange(10) * 10
    it = gen.flow((xs["rgb"], misc), y, batch_size=5, shuffle=False,
                  subset="training", ignore_class_split=True)
    (bx, bm), by = it[0]
    arrays["tuple/x"], arrays["tuple/misc"], arrays["tuple/y"] = bx, bm, by
    it = gen.flow(xs["rgb"], y, batch_size=5, shuffle=False,
                  subset="validation", ignore_class_split=True)
    arrays["subset_val/len"] = np.array([len(it), it.n])
    arrays["subset_val/y"] = it[0][1]

    # random_* module functions after a seed.
    x = xs["rgb"][0]
    fns = [("random_rotation", dict(rg=30, row_axis=0, col_axis=1,
                                    channel_axis=2)),
           ("random_shift", dict(wrg=0.2, hrg=0.3, row_axis=0, col_axis=1,
                                 channel_axis=2, fill_mode="reflect")),
           ("random_shear", dict(intensity=20, row_axis=0, col_axis=1,
                                 channel_axis=2, fill_mode="constant",
                                 cval=9.0)),
           ("random_zoom", dict(zoom_range=(0.7, 1.3), row_axis=0,
                                col_axis=1, channel_axis=2,
                                fill_mode="wrap")),
           ("random_channel_shift", dict(intensity_range=50,
                                         channel_axis=2)),
           ("random_brightness", dict(brightness_range=(0.3, 1.8)))]
    fn_meta = []
    for j, (fn, kw) in enumerate(fns):
        np.random.seed(40 + j)
        arrays[f"randfn/{j}"] = f32(getattr(kimage, fn)(x.copy(), **kw))
        fn_meta.append({"id": j, "fn": fn, "kwargs": kw, "seed": 40 + j})
    np.savez_compressed(os.path.join(OUT, "image_flow.npz"), **arrays)
    with open(os.path.join(OUT, "image_flow.json"), "w") as f:
        json.dump({"configs": meta, "random_functions": fn_meta}, f,
                  indent=1)


# ---------------------------------------------------------------- fit
def fit_goldens():
    rng = np.random.default_rng(8)
    x = f32(rng.integers(0, 256, size=(120, 5, 5, 3)))
    arrays = {"in/x": x}
    gen = IDG(featurewise_center=True, featurewise_std_normalization=True,
              rescale=1 / 255.0)
    gen.fit(x)
    arrays["fstd/mean"], arrays["fstd/std"] = f32(gen.mean), f32(gen.std)
    arrays["fstd/standardize"] = f32(gen.standardize(x[:4].copy()))
    gen = IDG(zca_whitening=True, zca_epsilon=1e-3)
    gen.fit(x)
    arrays["zca/mean"] = f32(gen.mean)
    arrays["zca/matrix"] = gen.zca_whitening_matrix
    arrays["zca/standardize"] = f32(gen.standardize(x[:4].copy()))
    gen = IDG(featurewise_center=True, rotation_range=20, horizontal_flip=True)
    gen.fit(x[:30], augment=True, rounds=2, seed=9)
    arrays["augfit/mean"] = f32(gen.mean)
    xc = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    gen = IDG(featurewise_center=True, featurewise_std_normalization=True,
              data_format="channels_first")
    gen.fit(xc)
    arrays["cf/mean"], arrays["cf/std"] = f32(gen.mean), f32(gen.std)
    arrays["cf/standardize"] = f32(gen.standardize(xc[:3].copy()))
    gen = IDG(samplewise_center=True, samplewise_std_normalization=True,
              rescale=0.5)
    arrays["samplewise/one"] = f32(gen.standardize(x[0].copy()))
    arrays["samplewise/batch"] = f32(gen.standardize(x[:3].copy()))
    gen = IDG(preprocessing_function=lambda a: a[::-1, :, :] * 2.0)
    arrays["prepfn/one"] = f32(gen.standardize(x[1].copy()))
    np.savez_compressed(os.path.join(OUT, "image_fit.npz"), **arrays)


# ---------------------------------------------------------- directories
DIR_FILES = [  # (relative path, size (w, h), PIL mode)
    ("cats/b.png", (10, 8), "RGB"),
    ("cats/A.jpg", (12, 9), "RGB"),
    ("cats/a10.png", (6, 6), "L"),
    ("cats/a2.jpeg", (9, 11), "RGB"),
    ("cats/notes.txt", None, None),
    ("cats/sub/deep.png", (7, 7), "RGBA"),
    ("dogs/img.JPG", (8, 10), "RGB"),
    ("dogs/z.bmp", (5, 9), "RGB"),
    ("dogs/m.png", (11, 7), "P"),
    ("zebra/only.png", (9, 9), "LA"),
    ("zebra/c.png", (8, 8), "RGB"),
    ("zebra/d.jpg", (8, 8), "L"),
]


def make_file_bytes(rng):
    files = {}
    for rel, size, mode in DIR_FILES:
        if size is None:
            files[rel] = b"not an image\n"
            continue
        w, h = size
        chans = {"RGB": 3, "L": 0, "RGBA": 4, "LA": 2, "P": 0}[mode]
        shape = (h, w, chans) if chans else (h, w)
        arr = rng.integers(0, 256, size=shape).astype(np.uint8)
        img = Image.fromarray(arr, {"LA": "LA"}.get(mode, mode)
                              if mode != "P" else "L")
        if mode == "P":
            img = img.convert("P")
        import io
        buf = io.BytesIO()
        fmt = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG",
               "bmp": "BMP"}[rel.rsplit(".", 1)[1].lower()]
        img.save(buf, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        files[rel] = buf.getvalue()
    return files


DIR_CASES = [
    ("rgb_cat", dict(target_size=(6, 7), color_mode="rgb",
                     class_mode="categorical", shuffle=False, batch_size=4),
     {}),
    ("gray_sparse_shuffled", dict(target_size=(5, 5), color_mode="grayscale",
                                  class_mode="sparse", shuffle=True, seed=4,
                                  batch_size=3), {}),
    ("rgba_input_bilinear", dict(target_size=(8, 6), color_mode="rgba",
                                 class_mode="input", shuffle=False,
                                 batch_size=5, interpolation="bilinear",
                                 keep_aspect_ratio=True), {}),
    ("binary_classes", dict(target_size=(6, 6), classes=["zebra", "dogs"],
                            class_mode="binary", shuffle=False,
                            batch_size=4), {}),
    ("none_aug_cf", dict(target_size=(7, 5), class_mode=None, shuffle=True,
                         seed=2, batch_size=4),
     dict(rotation_range=25, horizontal_flip=True, rescale=1 / 255.0,
          data_format="channels_first")),
    ("val_subset", dict(target_size=(6, 6), subset="validation",
                        shuffle=False, batch_size=8),
     dict(validation_split=0.4)),
    ("train_subset", dict(target_size=(6, 6), subset="training",
                          shuffle=False, batch_size=8),
     dict(validation_split=0.4)),
]


def directory_goldens():
    rng = np.random.default_rng(9)
    files = make_file_bytes(rng)
    arrays = {}
    names = sorted(files)
    for i, rel in enumerate(names):
        arrays[f"file/{i}"] = np.frombuffer(files[rel], dtype=np.uint8)
    meta = {"files": names, "cases": []}
    root = tempfile.mkdtemp()
    try:
        for rel in names:
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(files[rel])
        for name, kw, gen_kw in DIR_CASES:
            fmt = gen_kw.get("data_format", "channels_last")
            keras.backend.set_image_data_format(fmt)
            gen = IDG(**gen_kw)
            it = gen.flow_from_directory(root, **kw)
            case = {"name": name, "kwargs": kw, "generator": gen_kw,
                    "class_indices": it.class_indices,
                    "filenames": [p.replace(os.sep, "/")
                                  for p in it.filenames],
                    "classes": it.classes.tolist(), "samples": it.samples,
                    "len": len(it)}
            meta["cases"].append(case)
            for b in range(min(len(it), 3)):
                out = it[b]
                if isinstance(out, tuple):
                    arrays[f"{name}/{b}/x"] = f32(out[0])
                    arrays[f"{name}/{b}/y"] = f32(out[1])
                else:
                    arrays[f"{name}/{b}/x"] = f32(out)
            keras.backend.set_image_data_format("channels_last")
        dataframe_goldens(root, arrays, meta)
        for i, rel in enumerate(names):
            if rel.endswith(".txt"):
                continue
            img = kimage.load_img(os.path.join(root, rel),
                                  color_mode="rgb", target_size=(5, 4),
                                  interpolation="bicubic")
            arrays[f"load_img/{i}"] = kimage.img_to_array(img)
    finally:
        shutil.rmtree(root)
    np.savez_compressed(os.path.join(OUT, "image_directory.npz"), **arrays)
    with open(os.path.join(OUT, "image_directory.json"), "w") as f:
        json.dump(meta, f, indent=1)


DF_ROWS = [  # filename (relative to the folder), label, weight, value
    ("cats/b.png", "cat", 1.0, 0.5),
    ("dogs/img.JPG", "dog", 2.0, 1.5),
    ("zebra/c.png", "zebra", 0.5, 2.5),
    ("cats/missing.png", "cat", 1.0, 3.5),
    ("cats/notes.txt", "cat", 1.0, 4.5),
    ("cats/a2.jpeg", "cat", 3.0, 5.5),
    ("dogs/z.bmp", "dog", 1.5, 6.5),
    ("zebra/d.jpg", "zebra", 1.0, 7.5),
]
DF_CASES = [
    ("df_categorical", dict(target_size=(5, 6), shuffle=False, batch_size=4,
                            weight_col="weight"), {}),
    ("df_binary", dict(target_size=(5, 5), classes=["dog", "zebra"],
                       class_mode="binary", shuffle=False, batch_size=4), {}),
    ("df_raw_shuffled", dict(target_size=(4, 4), y_col="value",
                             class_mode="raw", shuffle=True, seed=3,
                             batch_size=3, color_mode="grayscale"), {}),
    ("df_sparse_val", dict(target_size=(4, 4), class_mode="sparse",
                           subset="validation", shuffle=False, batch_size=4),
     dict(validation_split=0.5)),
]


def dataframe_goldens(root, arrays, meta):
    """`flow_from_dataframe` cases (only when pandas is importable)."""
    try:
        import pandas as pd
    except ImportError:
        print("pandas not importable: no flow_from_dataframe goldens")
        return
    df = pd.DataFrame(DF_ROWS, columns=["filename", "class", "weight",
                                        "value"])
    meta["dataframe_rows"] = DF_ROWS
    meta["dataframe_cases"] = []
    import warnings
    for name, kw, gen_kw in DF_CASES:
        gen = IDG(**gen_kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            it = gen.flow_from_dataframe(df, directory=root, **kw)
        case = {"name": name, "kwargs": kw, "generator": gen_kw,
                "filenames": list(it.filenames), "samples": it.samples,
                "len": len(it),
                "class_indices": getattr(it, "class_indices", None),
                "classes": (list(map(int, it.classes))
                            if hasattr(it, "classes") else None)}
        meta["dataframe_cases"].append(case)
        for b in range(min(len(it), 2)):
            out = it[b]
            arrays[f"{name}/{b}/x"] = f32(out[0])
            arrays[f"{name}/{b}/y"] = f32(out[1])
            if len(out) == 3:
                arrays[f"{name}/{b}/w"] = f32(out[2])


# --------------------------------------------------------------- resize
def resize_goldens():
    rng = np.random.default_rng(10)
    arrays = {}
    x = f32(rng.uniform(0, 255, size=(13, 17, 3)))
    xb = f32(rng.uniform(0, 255, size=(2, 9, 6, 2)))
    xu = rng.integers(0, 256, size=(10, 7, 1)).astype(np.uint8)
    arrays["in/x"], arrays["in/xb"], arrays["in/xu"] = x, xb, xu
    sizes = [(8, 8), (20, 11), (5, 30)]
    for interp in ("bilinear", "nearest", "bicubic"):
        for si, size in enumerate(sizes):
            arrays[f"x/{interp}/{si}"] = np.asarray(
                kimage.smart_resize(x, size, interpolation=interp))
            arrays[f"xb/{interp}/{si}"] = np.asarray(
                kimage.smart_resize(xb, size, interpolation=interp))
            arrays[f"xu/{interp}/{si}"] = np.asarray(
                kimage.smart_resize(xu, size, interpolation=interp))
            arrays[f"xcf/{interp}/{si}"] = np.asarray(kimage.smart_resize(
                to_cf(x), size, interpolation=interp,
                data_format="channels_first"))
    np.savez_compressed(os.path.join(OUT, "image_resize.npz"), **arrays)
    with open(os.path.join(OUT, "image_resize.json"), "w") as f:
        json.dump({"sizes": sizes}, f)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    transform_goldens()
    random_goldens()
    flow_goldens()
    fit_goldens()
    directory_goldens()
    resize_goldens()
    for name in sorted(os.listdir(OUT)):
        if name.startswith("image_"):
            print(name, os.path.getsize(os.path.join(OUT, name)))
