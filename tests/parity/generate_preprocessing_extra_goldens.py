"""Write goldens for the extra preprocessing layers from real Keras 3.

Run in a virtualenv with TensorFlow + Keras 3 (TensorFlow backend; never
needed by the normal test run, and this script never imports minikeras):

    python tests/parity/generate_preprocessing_extra_goldens.py

Written under `goldens/`:

* `prep_extra_text.json`: text and categorical layers (StringLookup,
  IntegerLookup, TextVectorization, Hashing, HashedCrossing,
  CategoryEncoding, Discretization). Each case holds the constructor
  kwargs, the optional `adapt` data, the call inputs (and call kwargs), and
  Keras' output (values, dtype, shape), vocabulary, IDF weights and config.
* `prep_extra_image.json` + `prep_extra_image.npz`: image layers. The
  random layers are compared through fixed transformations: the case
  records the transformation Keras drew (`get_random_transformation`) and
  the output of `transform_images(images, transformation)`; deterministic
  layers record `layer(images)`.
* `prep_extra_audio.npz`: STFTSpectrogram / MelSpectrogram outputs.
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

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "A dog, a cat and a FOX!",
    "the cat sat on the mat",
    "Dogs and cats: friends?",
    "  spaced\tout\ntext  ",
    "Émile's café: naïve résumé",
]
WORDS = [["a", "b", "c", "b"], ["c", "c", "d", "e"], ["b", "a", "z", "c"]]
INTS = [[12, 36, 12, 7], [7, 7, 1138, 42], [36, 5, 12, 0]]


def _plain(v):
    if isinstance(v, np.ndarray):
        return _plain(v.tolist())
    if isinstance(v, (list, tuple)):
        return [_plain(e) for e in v]
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, dict):
        return {k: _plain(e) for k, e in v.items()}
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def text_case(name, cls, init, inputs, adapt=None, call_kwargs=None, tuple_inputs=False,
              input_dtype=None):
    layer = getattr(keras.layers, cls)(**init)
    if adapt is not None:
        layer.adapt(np.array(adapt) if not isinstance(adapt, dict) else adapt["list"])
    x = [np.array(e) for e in inputs] if tuple_inputs else np.array(inputs, dtype=input_dtype)
    kwargs = {k: np.array(v) for k, v in (call_kwargs or {}).items()}
    y = layer(tuple(x) if tuple_inputs else x, **kwargs)
    y = y.numpy() if hasattr(y, "numpy") else np.asarray(y)
    rec = dict(name=name, cls=cls, init=init, adapt=adapt, inputs=inputs,
               tuple_inputs=tuple_inputs, input_dtype=input_dtype, call_kwargs=call_kwargs,
               output=_plain(y), dtype=str(y.dtype) if y.dtype.kind not in "SO" else "string",
               shape=list(y.shape), config=_plain(layer.get_config()))
    if hasattr(layer, "get_vocabulary"):
        rec["vocabulary"] = _plain(layer.get_vocabulary())
    lookup = getattr(layer, "_lookup_layer", layer)
    if getattr(lookup, "output_mode", None) == "tf_idf":
        rec["idf_weights"] = _plain(lookup.idf_weights_const.numpy())
    if cls == "Discretization":
        rec["bin_boundaries"] = _plain(layer.bin_boundaries)
    return rec


def text_cases():
    c = []
    sl = "StringLookup"
    vocab = ["a", "b", "c", "d"]
    c.append(text_case("sl_vocab", sl, dict(vocabulary=vocab), WORDS))
    c.append(text_case("sl_adapt", sl, dict(), WORDS, adapt=WORDS))
    c.append(text_case("sl_adapt_max", sl, dict(max_tokens=4), WORDS, adapt=WORDS))
    c.append(text_case("sl_adapt_rank1", sl, dict(), WORDS, adapt=sum(WORDS, [])))
    c.append(text_case("sl_oov3", sl, dict(vocabulary=["a", "b"], num_oov_indices=3),
                       WORDS + [["zz", "yy", "quux", "a"]]))
    c.append(text_case("sl_oov3_salt", sl, dict(vocabulary=["a", "b"], num_oov_indices=3,
                                                salt=[1, 2]),
                       WORDS + [["zz", "yy", "quux", "a"]]))
    c.append(text_case("sl_mask", sl, dict(vocabulary=vocab, mask_token="[M]"),
                       [["a", "[M]", "q", "d"]]))
    c.append(text_case("sl_mask_special", sl, dict(vocabulary=["", "[UNK]", "a", "b"],
                                                   mask_token=""), [["a", "", "q", "b"]]))
    c.append(text_case("sl_invert", sl, dict(vocabulary=vocab, invert=True),
                       [[1, 0, 4, 2], [3, 3, 9, 1]]))
    c.append(text_case("sl_invert_mask", sl, dict(vocabulary=vocab, invert=True,
                                                  mask_token="[M]"), [[1, 0, 5, 2]]))
    c.append(text_case("sl_one_hot", sl, dict(vocabulary=vocab, output_mode="one_hot"),
                       ["a", "q", "d"]))
    c.append(text_case("sl_one_hot_col", sl, dict(vocabulary=vocab, output_mode="one_hot"),
                       [["a"], ["q"], ["d"]]))
    c.append(text_case("sl_multi_hot", sl, dict(vocabulary=vocab, output_mode="multi_hot"),
                       WORDS))
    c.append(text_case("sl_multi_hot_rank1", sl, dict(vocabulary=vocab,
                                                      output_mode="multi_hot"),
                       ["a", "b", "zz"]))
    c.append(text_case("sl_count_pad", sl, dict(vocabulary=vocab, output_mode="count",
                                                pad_to_max_tokens=True, max_tokens=8), WORDS))
    c.append(text_case("sl_count_mask", sl, dict(vocabulary=vocab, output_mode="count",
                                                 mask_token="[M]"), [["a", "[M]", "a", "q"]]))
    c.append(text_case("sl_tfidf_adapt", sl, dict(output_mode="tf_idf"), WORDS, adapt=WORDS))
    c.append(text_case("sl_tfidf_given", sl, dict(vocabulary=vocab, output_mode="tf_idf",
                                                  idf_weights=[0.5, 0.25, 1.0, 2.0]), WORDS))
    c.append(text_case("sl_tfidf_given_pad", sl, dict(
        vocabulary=vocab, output_mode="tf_idf", idf_weights=[0.5, 0.25, 1.0, 2.0],
        pad_to_max_tokens=True, max_tokens=7), WORDS))
    il = "IntegerLookup"
    c.append(text_case("il_vocab", il, dict(vocabulary=[12, 36, 1138, 42]), INTS))
    c.append(text_case("il_adapt", il, dict(), INTS, adapt=INTS))
    c.append(text_case("il_adapt_mask", il, dict(mask_token=0, max_tokens=5), INTS,
                       adapt=INTS))
    c.append(text_case("il_floormod", il, dict(vocabulary=[12, 36], num_oov_indices=3), INTS))
    c.append(text_case("il_farmhash", il, dict(vocabulary=[12, 36], num_oov_indices=3,
                                               oov_method="farmhash"), INTS))
    c.append(text_case("il_farmhash_salt", il, dict(vocabulary=[12, 36], num_oov_indices=3,
                                                    oov_method="farmhash", salt=5), INTS))
    c.append(text_case("il_invert", il, dict(vocabulary=[12, 36, 1138, 42], invert=True),
                       [[1, 0, 4, 2], [3, 3, 9, 1]]))
    c.append(text_case("il_multi_hot", il, dict(vocabulary=[12, 36, 1138, 42],
                                                output_mode="multi_hot"), INTS))
    c.append(text_case("il_tfidf", il, dict(output_mode="tf_idf", max_tokens=5), INTS,
                       adapt=INTS))
    tv = "TextVectorization"
    c.append(text_case("tv_adapt", tv, dict(), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_adapt_max_seq", tv, dict(max_tokens=8, output_sequence_length=6),
                       CORPUS + ["unknown words here fox"], adapt=CORPUS))
    c.append(text_case("tv_col_input", tv, dict(output_sequence_length=3),
                       [[s] for s in CORPUS[:3]], adapt=CORPUS))
    c.append(text_case("tv_lower", tv, dict(standardize="lower"), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_strip", tv, dict(standardize="strip_punctuation"), CORPUS,
                       adapt=CORPUS))
    c.append(text_case("tv_none", tv, dict(standardize=None), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_char", tv, dict(split="character", max_tokens=12),
                       CORPUS[:3], adapt=CORPUS))
    c.append(text_case("tv_ngrams2", tv, dict(ngrams=2), CORPUS[:3], adapt=CORPUS))
    c.append(text_case("tv_ngrams_tuple", tv, dict(ngrams=(2, 3), max_tokens=20),
                       CORPUS[:3], adapt=CORPUS))
    c.append(text_case("tv_multi_hot", tv, dict(output_mode="multi_hot", max_tokens=10),
                       CORPUS, adapt=CORPUS))
    c.append(text_case("tv_count", tv, dict(output_mode="count"), CORPUS, adapt=CORPUS))
    c.append(text_case("tv_count_pad", tv, dict(output_mode="count", max_tokens=40,
                                                pad_to_max_tokens=True), CORPUS[:2],
                       adapt=CORPUS))
    c.append(text_case("tv_tfidf", tv, dict(output_mode="tf_idf", ngrams=2, max_tokens=15),
                       CORPUS, adapt=CORPUS))
    c.append(text_case("tv_vocab", tv, dict(vocabulary=["the", "fox", "dog", "cat"],
                                           output_sequence_length=5), CORPUS))
    c.append(text_case("tv_split_none", tv, dict(split=None, vocabulary=["a b", "c"]),
                       [["a b"], ["c"], ["A B!"]]))
    c.append(text_case("tv_split_none_one_hot", tv, dict(
        split=None, output_mode="one_hot", vocabulary=["a b", "c"]), [["a b"], ["c"], ["d"]]))
    c.append(text_case("tv_scalar", tv, dict(vocabulary=["the", "fox", "dog"]),
                       "The dog and the fox"))
    h = "Hashing"
    c.append(text_case("hash_str", h, dict(num_bins=3), [["A"], ["B"], ["C"], ["D"], ["E"]]))
    c.append(text_case("hash_str_long", h, dict(num_bins=1000),
                       [[("word%d" % i) * (i % 9 + 1)] for i in range(20)]))
    c.append(text_case("hash_salt", h, dict(num_bins=3, salt=133),
                       [["A"], ["B"], ["C"], ["D"], ["E"]]))
    c.append(text_case("hash_salt_pair", h, dict(num_bins=50, salt=[7, 1 << 40]),
                       [["A"], ["B"], ["Hello"]]))
    c.append(text_case("hash_mask", h, dict(num_bins=3, mask_value=""),
                       [["A"], ["B"], [""], ["C"], ["D"]]))
    c.append(text_case("hash_int", h, dict(num_bins=7), [[1, -2, 3], [40, 5000, 0]]))
    c.append(text_case("hash_int_mask", h, dict(num_bins=7, mask_value=0),
                       [[1, 0, 3], [40, 5000, 0]]))
    c.append(text_case("hash_float", h, dict(num_bins=7), [[1.7, -2.2, 3.0]],
                       input_dtype="float32"))
    c.append(text_case("hash_multi_hot", h, dict(num_bins=6, output_mode="multi_hot"),
                       [["a", "b", "c"], ["d", "a", "a"]]))
    c.append(text_case("hash_count", h, dict(num_bins=6, output_mode="count"),
                       [["a", "b", "c"], ["d", "a", "a"]]))
    c.append(text_case("hash_one_hot", h, dict(num_bins=6, output_mode="one_hot"),
                       [["a"], ["b"], ["c"]]))
    hc = "HashedCrossing"
    c.append(text_case("cross_int_str", hc, dict(num_bins=5),
                       [["A", "B", "A", "B", "A"], [101, 101, 101, 102, 102]],
                       tuple_inputs=True))
    c.append(text_case("cross_col", hc, dict(num_bins=1000),
                       [[["x"], ["y"]], [[1], [2]], [["p"], ["q"]]], tuple_inputs=True))
    c.append(text_case("cross_one_hot", hc, dict(num_bins=4, output_mode="one_hot"),
                       [[3, 4, 5], [7, 8, 9]], tuple_inputs=True))
    ce = "CategoryEncoding"
    c.append(text_case("ce_one_hot", ce, dict(num_tokens=4, output_mode="one_hot"),
                       [3, 2, 0, 1]))
    c.append(text_case("ce_one_hot_col", ce, dict(num_tokens=4, output_mode="one_hot"),
                       [[3], [2], [0]]))
    c.append(text_case("ce_multi_hot", ce, dict(num_tokens=4, output_mode="multi_hot"),
                       [[0, 1], [0, 0], [1, 2], [3, 1]]))
    c.append(text_case("ce_multi_hot_rank1", ce, dict(num_tokens=5), [0, 3, 3]))
    c.append(text_case("ce_count", ce, dict(num_tokens=4, output_mode="count"),
                       [[0, 1], [0, 0], [1, 2], [3, 1]]))
    c.append(text_case("ce_count_weights", ce, dict(num_tokens=4, output_mode="count"),
                       [[0, 1], [0, 0], [1, 2], [3, 1]],
                       call_kwargs=dict(count_weights=[[0.1, 0.2], [0.1, 0.1], [0.2, 0.3],
                                                       [0.4, 0.2]])))
    d = "Discretization"
    data = [[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]
    c.append(text_case("disc_bounds", d, dict(bin_boundaries=[0.0, 1.0, 2.0]), data,
                       input_dtype="float32"))
    c.append(text_case("disc_one_hot", d, dict(bin_boundaries=[0.0, 1.0, 2.0],
                                               output_mode="one_hot"), [[-1.5], [0.5], [2.5]],
                       input_dtype="float32"))
    c.append(text_case("disc_multi_hot", d, dict(bin_boundaries=[0.0, 1.0, 2.0],
                                                 output_mode="multi_hot"), data,
                       input_dtype="float32"))
    c.append(text_case("disc_count", d, dict(bin_boundaries=[0.0, 1.0, 2.0],
                                             output_mode="count"), data,
                       input_dtype="float32"))
    rng = np.random.default_rng(3)
    sample = np.round(rng.normal(size=(50, 3)), 3).astype("float32").tolist()
    c.append(text_case("disc_adapt", d, dict(num_bins=4), data, adapt=sample,
                       input_dtype="float32"))
    c.append(text_case("disc_adapt_eps", d, dict(num_bins=5, epsilon=0.1), data,
                       adapt=sample, input_dtype="float32"))
    c.append(text_case("disc_adapt_list", d, dict(num_bins=3), data,
                       adapt={"list": [[1.0, 2.0, 3.0], [4.0, 5.0], [0.5, 9.0, 7.0, 6.0]]},
                       input_dtype="float32"))
    return c


def main_text():
    cases = text_cases()
    with open(os.path.join(OUT, "prep_extra_text.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": cases}, f, indent=0,
                  ensure_ascii=False)
    print(f"prep_extra_text.json: {len(cases)} cases")


def _images(shape, scale=255.0, seed=0):
    return (np.random.default_rng(seed).random(shape) * scale).astype("float32")


IMG = (3, 8, 7, 3)


def image_cases():
    """`(name, class, kwargs, images, mode)`; mode "transform" (random layers,
    through a drawn transformation), "call" (deterministic), "center" (RandomCrop
    at inference: the centered window)."""
    x255 = _images(IMG)
    x01 = _images(IMG, 1.0, seed=1)
    cf = np.transpose(x255, (0, 3, 1, 2)).copy()
    c = [
        ("crop", "RandomCrop", dict(height=5, width=4, seed=3), _images((2, 9, 8, 3)),
         "transform"),
        ("crop_center", "RandomCrop", dict(height=5, width=4, seed=3),
         _images((2, 9, 8, 3)), "center"),
        ("crop_small_resize", "RandomCrop", dict(height=10, width=6, seed=3),
         _images((2, 7, 8, 3)), "transform"),
        ("crop_cf", "RandomCrop", dict(height=5, width=4, seed=3,
                                       data_format="channels_first"), cf, "transform"),
        ("brightness", "RandomBrightness", dict(factor=0.3, seed=1), x255, "transform"),
        ("brightness_01", "RandomBrightness", dict(factor=(-0.5, 0.8), value_range=(0, 1),
                                                   seed=1), x01, "transform"),
        ("invert", "RandomInvert", dict(factor=0.7, seed=2), x255, "transform"),
        ("grayscale", "RandomGrayscale", dict(factor=0.6, seed=2), x255, "transform"),
        ("grayscale_cf", "RandomGrayscale", dict(factor=0.6, seed=2,
                                                 data_format="channels_first"), cf,
         "transform"),
        ("hue", "RandomHue", dict(factor=0.6, seed=4), x255, "transform"),
        ("hue_01", "RandomHue", dict(factor=(0.2, 0.9), value_range=(0, 1), seed=4), x01,
         "transform"),
        ("saturation", "RandomSaturation", dict(factor=(0.2, 0.8), seed=5), x255,
         "transform"),
        ("saturation_01", "RandomSaturation", dict(factor=(0.6, 0.9), value_range=(0, 1),
                                                   seed=5), x01, "transform"),
        ("sharpness", "RandomSharpness", dict(factor=0.8, seed=6), x255, "transform"),
        ("sharpness_cf", "RandomSharpness", dict(factor=0.8, seed=6,
                                                 data_format="channels_first"), cf,
         "transform"),
        ("shear", "RandomShear", dict(x_factor=0.4, y_factor=0.3, seed=7), x255,
         "transform"),
        ("shear_nearest_constant", "RandomShear", dict(
            x_factor=(0.2, 0.5), interpolation="nearest", fill_mode="constant",
            fill_value=9.0, seed=7), x255, "transform"),
        ("posterization", "RandomPosterization", dict(factor=(2, 6), seed=8), x255,
         "transform"),
        ("posterization_01", "RandomPosterization", dict(factor=3, value_range=(0, 1),
                                                         seed=8), x01, "transform"),
        ("degeneration", "RandomColorDegeneration", dict(factor=0.7, seed=9), x255,
         "transform"),
        ("erasing", "RandomErasing", dict(factor=0.9, seed=10), x255, "transform"),
        ("erasing_fill", "RandomErasing", dict(factor=1.0, scale=(0.1, 0.5),
                                               fill_value=[10.0, 20.0, 30.0], seed=10),
         x255, "transform"),
        ("gaussian_blur", "RandomGaussianBlur", dict(factor=0.8, kernel_size=3, sigma=0.9,
                                                     seed=11), x255, "transform"),
        ("gaussian_blur_k5", "RandomGaussianBlur", dict(factor=1.0, kernel_size=5,
                                                        sigma=(0.4, 1.0), seed=11), x255,
         "transform"),
        ("perspective", "RandomPerspective", dict(factor=0.9, scale=0.6, seed=12), x255,
         "transform"),
        ("perspective_nearest", "RandomPerspective", dict(
            factor=1.0, scale=0.4, interpolation="nearest", fill_value=5.0, seed=12), x255,
         "transform"),
        ("solarization", "Solarization", dict(addition_factor=0.3, threshold_factor=0.6,
                                              seed=13), x255, "transform"),
        ("solarization_default", "Solarization", dict(), x255, "transform"),
        ("solarization_01", "Solarization", dict(threshold_factor=(0.4, 0.6),
                                                 value_range=(0, 1), seed=13), x01,
         "transform"),
        ("mixup", "MixUp", dict(alpha=0.4, seed=14), x255, "transform"),
        ("cutmix", "CutMix", dict(factor=0.8, seed=15), x255, "transform"),
        ("cutmix_cf", "CutMix", dict(factor=0.8, seed=15, data_format="channels_first"), cf,
         "transform"),
        ("autocontrast", "AutoContrast", dict(), x255 * 0.5 + 20, "call"),
        ("autocontrast_01", "AutoContrast", dict(value_range=(0, 1)), x01 * 0.3 + 0.2,
         "call"),
        ("equalization", "Equalization", dict(), np.round(x255 * 0.6), "call"),
        ("equalization_bins", "Equalization", dict(bins=16, value_range=(0, 1)), x01,
         "call"),
        ("equalization_cf", "Equalization", dict(data_format="channels_first"),
         np.round(cf * 0.6), "call"),
    ]
    return c


def _store_transformation(arrays, prefix, t):
    keys = []
    if t is None:
        return None
    if isinstance(t, dict):
        for k, v in t.items():
            arrays[f"{prefix}__t__{k}"] = np.asarray(v)
            keys.append(k)
        return keys
    if isinstance(t, (tuple, list)):
        arrays[f"{prefix}__t"] = np.asarray([int(np.asarray(v)) for v in t])
        return "tuple"
    arrays[f"{prefix}__t"] = np.asarray(t)
    return "array"


def main_image():
    arrays, meta = {}, []
    for name, cls, kwargs, x, mode in image_cases():
        layer = getattr(keras.layers, cls)(**kwargs)
        x = np.asarray(x, dtype="float32")
        arrays[f"{name}__x"] = x
        if mode == "call":
            y = layer(x, training=True)
            t_keys = None
        else:
            t = layer.get_random_transformation(x, training=mode != "center")
            t_keys = _store_transformation(arrays, name, t)
            y = layer.transform_images(tf.constant(x), t, training=True)
        arrays[f"{name}__y"] = np.asarray(y)
        meta.append(dict(name=name, cls=cls, kwargs=kwargs, mode=mode, t_keys=t_keys,
                         config=_plain(layer.get_config()),
                         infer_same=bool(np.array_equal(np.asarray(layer(x, training=False)),
                                                        x)) if mode != "center" else None))
    np.savez_compressed(os.path.join(OUT, "prep_extra_image.npz"), **arrays)
    with open(os.path.join(OUT, "prep_extra_image.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": meta}, f, indent=0)
    print(f"prep_extra_image: {len(meta)} cases")


def config_cases():
    """Layers whose random draws can't be replayed: configs (and MaxNumBoundingBoxes'
    output on boxes)."""
    c = {}
    c["RandomColorJitter"] = keras.layers.RandomColorJitter(
        brightness_factor=0.2, contrast_factor=0.3, saturation_factor=(0.4, 0.6),
        hue_factor=0.2, seed=2).get_config()
    c["RandAugment"] = keras.layers.RandAugment(num_ops=3, factor=0.4, seed=3).get_config()
    c["AugMix"] = keras.layers.AugMix(num_chains=2, chain_depth=2, factor=0.2, alpha=0.5,
                                      all_ops=False, seed=4).get_config()
    c["MaxNumBoundingBoxes"] = keras.layers.MaxNumBoundingBoxes(
        3, fill_value=-2, bounding_box_format="xyxy").get_config()
    c["Pipeline"] = keras.layers.Pipeline([keras.layers.AutoContrast(),
                                           keras.layers.RandomBrightness(0.1, seed=1)],
                                          name="pipe").get_config()
    boxes = np.arange(2 * 4 * 4, dtype="float32").reshape(2, 4, 4)
    labels = np.arange(8, dtype="float32").reshape(2, 4)
    out = {}
    for n in (2, 6):
        layer = keras.layers.MaxNumBoundingBoxes(n, fill_value=-2, bounding_box_format="xyxy")
        r = layer({"images": np.zeros((2, 4, 4, 3), "float32"),
                   "bounding_boxes": {"boxes": boxes, "labels": labels}})
        out[str(n)] = {"boxes": _plain(np.asarray(r["bounding_boxes"]["boxes"])),
                       "labels": _plain(np.asarray(r["bounding_boxes"]["labels"]))}
    return {"configs": _plain(c), "max_boxes": {"boxes": _plain(boxes),
                                                "labels": _plain(labels), "out": out}}


def audio_cases():
    rng = np.random.default_rng(7)
    arrays, meta = {}, []
    sig = rng.normal(size=(2, 600, 2)).astype("float32")
    sig_cf = np.transpose(sig, (0, 2, 1)).copy()
    stft = [
        ("stft_log", dict(frame_length=64, frame_step=32), sig),
        ("stft_magnitude_same", dict(mode="magnitude", frame_length=50, frame_step=20,
                                     fft_length=64, padding="same"), sig),
        ("stft_psd_hamming", dict(mode="psd", frame_length=32, window="hamming",
                                  periodic=True, scaling="spectrum"), sig),
        ("stft_real_cf", dict(mode="real", frame_length=32, data_format="channels_first"),
         sig_cf),
        ("stft_imag_expand", dict(mode="imag", frame_length=32, expand_dims=True), sig),
        ("stft_angle_none", dict(mode="angle", frame_length=16, window=None, scaling=None),
         sig),
        ("stft_stft_cf_expand", dict(mode="stft", frame_length=32, expand_dims=True,
                                     data_format="channels_first"), sig_cf),
    ]
    for name, kw, x in stft:
        layer = keras.layers.STFTSpectrogram(**kw)
        y = layer(x)
        arrays[f"{name}__x"] = x
        arrays[f"{name}__y"] = np.asarray(y)
        for w in layer.weights:
            arrays[f"{name}__w__{w.name}"] = np.asarray(w)
        meta.append(dict(name=name, cls="STFTSpectrogram", kwargs=kw,
                         config=_plain(layer.get_config()),
                         weight_names=[w.name for w in layer.weights]))
    audio = rng.normal(size=(2, 1000)).astype("float32") * 0.3
    mel = [
        ("mel_small", dict(fft_length=256, sequence_stride=64, num_mel_bins=20), audio),
        ("mel_no_db", dict(fft_length=128, sequence_stride=50, sequence_length=100,
                           num_mel_bins=10, power_to_db=False, mag_exp=1.0,
                           sampling_rate=8000, min_freq=50.0, max_freq=3000.0), audio),
        ("mel_rank1_hamming", dict(fft_length=256, sequence_stride=128, num_mel_bins=16,
                                   window="hamming", top_db=30.0, ref_power=2.0), audio[0]),
    ]
    for name, kw, x in mel:
        layer = keras.layers.MelSpectrogram(**kw)
        arrays[f"{name}__x"] = x
        arrays[f"{name}__y"] = np.asarray(layer(x))
        meta.append(dict(name=name, cls="MelSpectrogram", kwargs=kw,
                         config=_plain(layer.get_config())))
    return arrays, meta


def main_extra():
    with open(os.path.join(OUT, "prep_extra_configs.json"), "w") as f:
        json.dump(config_cases(), f, indent=0)
    arrays, meta = audio_cases()
    np.savez_compressed(os.path.join(OUT, "prep_extra_audio.npz"), **arrays)
    with open(os.path.join(OUT, "prep_extra_audio.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "cases": meta}, f, indent=0)
    print(f"prep_extra_audio: {len(meta)} cases; prep_extra_configs.json")


if __name__ == "__main__":
    keras.utils.set_random_seed(0)
    main_text()
    main_image()
    main_extra()
