"""Datasets from arrays and folders: `split_dataset`,
`image_dataset_from_directory`, `text_dataset_from_directory`,
`timeseries_dataset_from_array`.

Each returns a `BatchDataset` (a `keras.utils.PyDataset`) that `fit`,
`evaluate` and `predict` accept, where Keras returns a `tf.data.Dataset`.
What follows Keras exactly: the files found and their order (the same
`seed` gives the same `file_paths`), labels and label modes, class names,
the training/validation split, shapes and dtypes, the resized pixels
(bilinear/nearest/bicubic, as `tf.image.resize`), and for time series the
windows and their (seeded) order. What differs: Keras additionally shuffles
through a `tf.data` buffer each epoch; minikeras's first epoch follows
`file_paths` and later epochs are reshuffled with the `seed`.
"""
import os
import random

import numpy as np

from minikeras.backend import config
from minikeras.utils.batch_dataset import BatchDataset

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5",
                   "gaussian", "mitchellcubic")


# ----- split_dataset ------------------------------------------------------------------
def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None,
                  preferred_backend=None):
    """Splits a dataset into a left half and a right half (e.g. train / test).

    Args:
        dataset: A NumPy array, a list/tuple of arrays with the same length,
            or a dataset of samples (a `BatchDataset` from `split_dataset`,
            or any iterable of samples).
        left_size: If float (in the range `[0, 1]`), it signifies the fraction
            of the data to pack in the left dataset. If integer, it signifies
            the number of samples to pack in the left dataset. If `None`,
            defaults to the complement to `right_size`.
        right_size: If float (in the range `[0, 1]`), it signifies the
            fraction of the data to pack in the right dataset. If integer, it
            signifies the number of samples to pack in the right dataset. If
            `None`, defaults to the complement to `left_size`.
        shuffle: Boolean, whether to shuffle the data before splitting it.
        seed: A random seed for shuffling (the same seed shuffles the samples
            as Keras does).
        preferred_backend: accepted for compatibility; ignored.

    Returns:
        A tuple of two unbatched datasets (`BatchDataset`), the left and right
        splits. Call `.batch(batch_size)` on them before passing them to
        `fit`.

    Example:

    >>> data = np.random.random(size=(1000, 4))
    >>> left_ds, right_ds = keras.utils.split_dataset(data, left_size=0.8)
    >>> len(left_ds)
    800
    """
    samples, structure = _dataset_to_samples(dataset)
    if right_size is None and left_size is None:
        raise ValueError(
            "At least one of the `left_size` or `right_size` must be specified. "
            "Received: left_size=None and right_size=None")
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e6))
        # Keras seeds Python's global `random` and shuffles the sample list.
        random.seed(seed)
        random.shuffle(samples)
    total = len(samples)
    left_size, right_size = _rescale_split_sizes(left_size, right_size, total)
    left = samples[:left_size]
    right = samples[-right_size:]
    return _samples_dataset(left, structure), _samples_dataset(right, structure)


def _dataset_to_samples(dataset):
    """A list of samples and the structure of one sample."""
    if isinstance(dataset, (list, tuple)):
        kind = type(dataset).__name__
        if len(dataset) == 0:
            raise ValueError(f"Received an empty {kind} dataset. Please provide a non-empty "
                             f"{kind} of arrays.")
        expected = None
        for i, element in enumerate(dataset):
            if not isinstance(element, np.ndarray):
                raise ValueError(f"Expected a {kind} of `numpy.ndarray` objects, Received: "
                                 f"{type(element)} at index {i}.")
            if expected is None:
                expected = element.shape
            elif element.shape[0] != expected[0]:
                raise ValueError(
                    f"Received a {kind} of NumPy arrays with different lengths. Mismatch "
                    f"found at index {i}, Expected shape={expected} Received "
                    f"shape={element.shape}. Please provide a {kind} of NumPy arrays of "
                    "the same length.")
        return list(zip(*dataset)), ("tuple", len(dataset))
    if isinstance(dataset, np.ndarray):
        if dataset.ndim == 0 or len(dataset) == 0:
            raise ValueError("Received an empty dataset. Argument `dataset` must be a "
                             "non-empty list/tuple of `numpy.ndarray` objects.")
        return list(dataset), ("array",)
    if isinstance(dataset, BatchDataset) and dataset.batch_size is not None:
        dataset = dataset.unbatch()
    if hasattr(dataset, "__iter__"):
        samples = list(dataset)
        if not samples:
            raise ValueError("Received an empty dataset.")
        first = samples[0]
        if isinstance(first, np.ndarray):
            for i, s in enumerate(samples[1:]):
                if np.shape(s) != first.shape:
                    raise ValueError(
                        f"All `dataset` samples must have same shape, Expected shape: "
                        f"{first.shape} Received shape: {np.shape(s)} at index {i}.")
            return samples, ("array",)
        if isinstance(first, (tuple, list)):
            return [tuple(s) for s in samples], ("tuple", len(first))
        return samples, ("array",)
    raise TypeError(
        "The `dataset` argument must be either a NumPy array, a list/tuple of arrays or "
        f"a dataset of samples. Received: dataset={dataset} of type {type(dataset)}")


def _samples_dataset(samples, structure):
    if structure[0] == "tuple":
        columns = tuple(np.array(c) for c in zip(*samples))
    else:
        columns = np.array(samples)

    def load(indices):
        if isinstance(columns, tuple):
            return tuple(c[indices] for c in columns)
        return columns[indices]

    return BatchDataset(len(samples), load, batch_size=None)


def _rescale_split_sizes(left_size, right_size, total_length):
    """Integer sizes of both splits, checked as Keras checks them."""
    lt, rt = type(left_size), type(right_size)
    if (left_size is not None and lt not in (int, float)) and (
            right_size is not None and rt not in (int, float)):
        raise TypeError(
            "Invalid `left_size` and `right_size` Types. Expected: integer or float or "
            f"None, Received: type(left_size)={lt} and type(right_size)={rt}")
    if left_size is not None and lt not in (int, float):
        raise TypeError(f"Invalid `left_size` Type. Expected: int or float or None, "
                        f"Received: type(left_size)={lt}.")
    if right_size is not None and rt not in (int, float):
        raise TypeError(f"Invalid `right_size` Type. Expected: int or float or None, "
                        f"Received: type(right_size)={rt}.")
    if left_size == 0 and right_size == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the "
                         "split sizes must be non-zero.")
    if (lt is int and (left_size <= 0 or left_size >= total_length)) or (
            lt is float and (left_size <= 0 or left_size >= 1)):
        raise ValueError(
            "`left_size` should be either a positive integer smaller than "
            f"{total_length}, or a float within the range `[0, 1]`. Received: "
            f"left_size={left_size}")
    if (rt is int and (right_size <= 0 or right_size >= total_length)) or (
            rt is float and (right_size <= 0 or right_size >= 1)):
        raise ValueError(
            "`right_size` should be either a positive integer and smaller than "
            f"{total_length} or a float within the range `[0, 1]`. Received: "
            f"right_size={right_size}")
    if rt is lt is float and right_size + left_size > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It "
                         "must be less than or equal to 1.")
    if lt is float:
        left_size = round(left_size * total_length)
    if rt is float:
        right_size = round(right_size * total_length)
    if left_size is None:
        left_size = total_length - right_size
    elif right_size is None:
        right_size = total_length - left_size
    if left_size + right_size > total_length:
        raise ValueError(
            "The sum of `left_size` and `right_size` should be smaller than the "
            f"{total_length}. Received: left_size + right_size = "
            f"{left_size + right_size} and total_length = {total_length}")
    for split, side in ((left_size, "left"), (right_size, "right")):
        if split == 0:
            raise ValueError(
                f"With `dataset` of length={total_length}, `left_size`={left_size} and "
                f"`right_size`={right_size}. Resulting {side} side dataset split will be "
                "empty. Adjust any of the aforementioned parameters")
    return int(left_size), int(right_size)


# ----- indexing folders ------------------------------------------------------------------
def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True):
    """All files in `directory` with an allowed extension, with their labels.

    Returns:
        `(file_paths, labels, class_names)` in Keras's order: class folders
        in alphanumeric order (or the order of `class_names`), files sorted
        within each, then shuffled with `np.random.RandomState(seed)` when
        `shuffle`.
    """
    if not os.path.isdir(directory):
        raise ValueError(f"Could not find directory {directory}")
    if labels == "inferred":
        subdirs = []
        for subdir in sorted(os.listdir(directory)):
            if os.path.isdir(os.path.join(directory, subdir)) and not subdir.startswith("."):
                subdirs.append(subdir.rstrip("/"))
        if class_names is not None:
            if not set(class_names).issubset(set(subdirs)):
                raise ValueError(
                    "The `class_names` passed did not match the names of the "
                    "subdirectories of the target directory. Expected: "
                    f"{subdirs} (or a subset of it), but received: class_names={class_names}")
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            if labels is None:
                raise ValueError("When `labels=None` (no labels), argument `class_names` "
                                 "cannot be specified.")
            raise ValueError(
                "When argument `labels` is specified, argument `class_names` cannot be "
                "specified (the `class_names` will be the sorted list of labels).")
    class_names = subdirs
    filenames, label_parts = [], []
    for index, subdir in enumerate(subdirs):
        found = _index_subdirectory(os.path.join(directory, subdir), follow_links, formats)
        filenames.extend(found)
        label_parts.append(np.full((len(found),), index, dtype="int32"))
    if labels == "inferred":
        labels = np.concatenate(label_parts) if label_parts else np.zeros((0,), "int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                "Expected the lengths of `labels` to match the number of files in the "
                f"target directory. len(labels) is {len(labels)} while we found "
                f"{len(filenames)} files in directory {directory}.")
        class_names = [str(label) for label in sorted(set(labels))]
    if verbose:
        if labels is None:
            print(f"Found {len(filenames)} files.")
        else:
            print(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    file_paths = [os.path.join(directory, f) for f in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(file_paths)
        if labels is not None:
            labels = np.asarray(labels)
            np.random.RandomState(seed).shuffle(labels)
    return file_paths, labels, class_names


def _index_subdirectory(directory, follow_links, formats):
    """Relative paths (`<class dir>/<...>/<file>`) of the allowed files, sorted."""
    dirname = os.path.basename(directory)
    out = []
    walk = sorted(os.walk(directory, followlinks=follow_links), key=lambda w: w[0])
    for root, _, files in walk:
        for fname in sorted(files):
            if fname.lower().endswith(formats):
                absolute = os.path.join(root, fname)
                out.append(os.path.join(dirname, os.path.relpath(absolute, directory)))
    return out


def _check_validation_split_arg(validation_split, subset, shuffle, seed):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError(
            "If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError('`subset` must be either "training", "validation" or "both", '
                         f"received: {subset}")
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a "
            "`seed` argument, to make sure that there is no overlap between the "
            "training and validation subset.")


def _training_or_validation_split(samples, labels, validation_split, subset):
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    if subset == "training":
        print(f"Using {len(samples) - num_val} files for training.")
        samples = samples[:-num_val] if num_val else samples
        if labels is not None:
            labels = labels[:-num_val] if num_val else labels
    elif subset == "validation":
        print(f"Using {num_val} files for validation.")
        samples = samples[-num_val:] if num_val else samples[:0]
        if labels is not None:
            labels = labels[-num_val:] if num_val else labels[:0]
    else:
        raise ValueError('`subset` must be either "training" or "validation", '
                         f"received: {subset}")
    return samples, labels


def _encode_labels(labels, label_mode, num_classes):
    labels = np.asarray(labels)
    if label_mode == "binary":
        return labels.astype("float32")[:, None]
    if label_mode == "categorical":
        return np.eye(num_classes, dtype="float32")[labels.astype("int64")]
    return labels.astype("int32")


def _check_labels_args(labels, label_mode, class_names, what):
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                "`labels` argument should be a list/tuple of integer labels, of the same "
                f"size as the number of {what} files in the target directory. If you "
                "wish to infer the labels from the subdirectory names in the target "
                'directory, pass `labels="inferred"`. If you wish to get a dataset that '
                f"only contains {what}s (no labels), pass `labels=None`. "
                f"Received: labels={labels}")
        if class_names:
            raise ValueError(
                'You can only pass `class_names` if `labels="inferred"`. Received: '
                f"labels={labels}, and class_names={class_names}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError('`label_mode` argument must be one of "int", "categorical", '
                         f'"binary", or None. Received: label_mode={label_mode}')


def _check_format(format):
    if format not in ("tf", "grain"):
        raise ValueError(f'`format` should be either "tf" or "grain". Received: format={format}')


def _index_labeled_files(directory, labels, label_mode, class_names, formats,
                         validation_split, subset, shuffle, seed, follow_links, verbose):
    """The common start of the `*_dataset_from_directory` functions, after
    their own argument checks: `(paths, labels, label_mode, class_names,
    seed)`, with a seed drawn when none is given (so that both subsets
    split the same shuffled order)."""
    if labels is None or label_mode is None:
        labels = None
        label_mode = None
    _check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = index_directory(
        directory, labels, formats=formats, class_names=class_names, shuffle=shuffle,
        seed=seed, follow_links=follow_links, verbose=verbose)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError('When passing `label_mode="binary"`, there must be exactly 2 '
                         f"class_names. Received: class_names={class_names}")
    return paths, labels, label_mode, class_names, seed


def _make_datasets(paths, labels, class_names, label_mode, subset, validation_split,
                   batch_size, shuffle, seed, load_one, stack, what, directory):
    """The dataset(s) for one subset or both, with `class_names`/`file_paths`."""
    num_classes = len(class_names) if class_names else 0

    def build(sub_paths, sub_labels, sub_shuffle):
        encoded = None if label_mode is None else _encode_labels(sub_labels, label_mode,
                                                                 num_classes)

        def load(indices):
            samples = stack([load_one(sub_paths[int(i)]) for i in indices])
            if encoded is None:
                return samples
            return samples, encoded[np.asarray(indices, dtype="int64")]

        ds = BatchDataset(len(sub_paths), load, batch_size=batch_size, shuffle=sub_shuffle,
                          seed=seed)
        ds.class_names = class_names
        ds.file_paths = list(sub_paths)
        return ds

    if subset == "both":
        train = _training_or_validation_split(paths, labels, validation_split, "training")
        val = _training_or_validation_split(paths, labels, validation_split, "validation")
        if not train[0]:
            raise ValueError(f"No training {what} found in directory {directory}.")
        if not val[0]:
            raise ValueError(f"No validation {what} found in directory {directory}.")
        return [build(train[0], train[1], shuffle), build(val[0], val[1], False)]
    paths, labels = _training_or_validation_split(paths, labels, validation_split, subset)
    if not paths:
        raise ValueError(f"No {what} found in directory {directory}.")
    return build(paths, labels, shuffle)


# ----- images ------------------------------------------------------------------------------
def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, format="tf",
                                 verbose=True):
    """Generates a dataset from image files in a directory.

    If your directory structure is:

    ```
    main_directory/
    ...class_a/
    ......a_image_1.jpg
    ......a_image_2.jpg
    ...class_b/
    ......b_image_1.jpg
    ......b_image_2.jpg
    ```

    Then calling `image_dataset_from_directory(main_directory,
    labels='inferred')` will return a dataset that yields batches of images
    from the subdirectories `class_a` and `class_b`, together with labels 0
    and 1 (0 corresponding to `class_a` and 1 corresponding to `class_b`).

    Supported image formats: `.jpeg`, `.jpg`, `.png`, `.bmp`, `.gif`.
    Animated gifs are truncated to the first frame.

    Args:
        directory: Directory where the data is located. If `labels` is
            `"inferred"`, it should contain subdirectories, each containing
            images for a class. Otherwise, the directory structure is ignored.
        labels: Either `"inferred"` (labels are generated from the directory
            structure), `None` (no labels), or a list/tuple of integer labels
            of the same size as the number of image files found in the
            directory, sorted according to the alphanumeric order of the
            image file paths.
        label_mode: `"int"` (labels as int32 scalars, for
            `sparse_categorical_crossentropy`), `"categorical"` (one-hot
            float32 vectors), `"binary"` (float32 scalars 0 or 1 of shape
            `(batch, 1)`, for `binary_crossentropy`), or `None` (no labels).
        class_names: Only valid if `labels` is `"inferred"`. The explicit list
            of class names (must match names of subdirectories), giving the
            order of the classes.
        color_mode: One of `"grayscale"`, `"rgb"`, `"rgba"`. Whether the
            images will be converted to have 1, 3, or 4 channels.
        batch_size: Size of the batches of data. If `None`, the data is not
            batched (the dataset yields individual samples).
        image_size: Size to resize images to after they are read from disk,
            specified as `(height, width)`.
        shuffle: Whether to shuffle the data. If set to `False`, sorts the
            data in alphanumeric order.
        seed: Optional random seed for shuffling and transformations.
        validation_split: Optional float between 0 and 1, fraction of data to
            reserve for validation.
        subset: Subset of the data to return. One of `"training"`,
            `"validation"`, or `"both"` (a list of two datasets).
        interpolation: Interpolation method used when resizing images:
            `"bilinear"`, `"nearest"`, `"bicubic"` (as `tf.image.resize`),
            `"area"` and `"lanczos3"` (Pillow's box and Lanczos filters,
            close to TensorFlow's). `"lanczos5"`, `"gaussian"` and
            `"mitchellcubic"` raise `NotImplementedError`.
        follow_links: Whether to visit subdirectories pointed to by symlinks.
        crop_to_aspect_ratio: If `True`, resize the images without aspect
            ratio distortion (largest centred crop, then resize).
        pad_to_aspect_ratio: If `True`, resize the images without aspect
            ratio distortion by padding with zeros.
        data_format: `"channels_last"` or `"channels_first"` (default:
            `keras.config.image_data_format()`).
        format: Accepted for compatibility (`"tf"` or `"grain"`): a
            `BatchDataset` is returned either way.
        verbose: Whether to print the number of files found.

    Returns:
        A `BatchDataset` yielding `(images, labels)` (or only `images` when
        `label_mode` is `None`): images of shape
        `(batch_size, image_size[0], image_size[1], num_channels)`, float32
        (the input dtype for `"nearest"`, as `tf.image.resize`), labels as
        described for `label_mode`. It has the attributes `class_names` and
        `file_paths`.
    """
    _check_labels_args(labels, label_mode, class_names, "image")
    channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
    if channels is None:
        raise ValueError('`color_mode` must be one of {"rgb", "rgba", "grayscale"}. '
                         f"Received: color_mode={color_mode}")
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    elif not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError("Invalid `image_size` value. Expected a tuple of 2 integers. "
                         f"Received: image_size={image_size}")
    image_size = (int(image_size[0]), int(image_size[1]))
    interpolation = interpolation.lower()
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"Argument `interpolation` should be one of {_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation}")
    if interpolation in ("lanczos5", "gaussian", "mitchellcubic"):
        raise NotImplementedError(
            f"interpolation={interpolation!r} is not implemented in minikeras; use "
            "'bilinear', 'nearest', 'bicubic', 'area' or 'lanczos3'.")
    _check_format(format)
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be "
                         "set to `True`.")
    paths, labels, label_mode, class_names, seed = _index_labeled_files(
        directory, labels, label_mode, class_names, IMAGE_FORMATS, validation_split, subset,
        shuffle, seed, follow_links, verbose)
    data_format = config.standardize_data_format(data_format)

    def load_one(path):
        return load_image(path, image_size, channels, interpolation, data_format,
                          crop_to_aspect_ratio, pad_to_aspect_ratio)

    return _make_datasets(paths, labels, class_names, label_mode, subset, validation_split,
                          batch_size, shuffle, seed, load_one, np.stack, "images",
                          directory)


def load_image(path, image_size, num_channels, interpolation="bilinear",
               data_format="channels_last", crop_to_aspect_ratio=False,
               pad_to_aspect_ratio=False):
    """One image file as an array resized to `image_size`, as Keras's loader."""
    from minikeras.utils import image_utils
    pixels = decode_image(path, num_channels)
    if interpolation in ("area", "lanczos3"):
        return _pil_resize(pixels, image_size, interpolation, data_format,
                           crop_to_aspect_ratio, pad_to_aspect_ratio)
    if crop_to_aspect_ratio:
        img = image_utils.smart_resize(pixels, image_size, interpolation=interpolation,
                                       data_format="channels_last")
    elif pad_to_aspect_ratio:
        img = _resize_with_pad(pixels, image_size, interpolation)
    else:
        img = image_utils._resize(pixels, image_size, interpolation, "channels_last")
    if data_format == "channels_first":
        img = np.transpose(img, (2, 0, 1))
    return np.ascontiguousarray(img)


def decode_image(path, num_channels):
    """uint8 pixels `(height, width, num_channels)` of an image file (first frame)."""
    from PIL import Image
    with Image.open(path) as img:
        img.seek(0)
        if num_channels == 1:
            img = img.convert("L")
        elif num_channels == 3:
            img = img.convert("RGB")
        else:
            img = img.convert("RGBA")
        pixels = np.asarray(img, dtype=np.uint8)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    return pixels


def _resize_with_pad(pixels, image_size, interpolation):
    """`tf.image.resize_with_pad`: fit inside `image_size`, centre, pad with zeros."""
    from minikeras.utils import image_utils
    height, width = pixels.shape[0], pixels.shape[1]
    target_h, target_w = image_size
    f32 = np.float32
    ratio = max(f32(width) / f32(target_w), f32(height) / f32(target_h))
    resized_h_f = f32(height) / ratio
    resized_w_f = f32(width) / ratio
    resized_h, resized_w = int(np.floor(resized_h_f)), int(np.floor(resized_w_f))
    pad_top = max(0, int(np.floor((f32(target_h) - resized_h_f) / f32(2))))
    pad_left = max(0, int(np.floor((f32(target_w) - resized_w_f) / f32(2))))
    resized = image_utils._resize(pixels, (resized_h, resized_w), interpolation,
                                  "channels_last")
    out = np.zeros((target_h, target_w, pixels.shape[2]), dtype=resized.dtype)
    out[pad_top:pad_top + resized_h, pad_left:pad_left + resized_w] = resized
    return out


def _pil_resize(pixels, image_size, interpolation, data_format, crop, pad):
    """"area" and "lanczos3" through Pillow's box and Lanczos filters
    (close to, not exactly, TensorFlow's)."""
    from PIL import Image
    resample = Image.BOX if interpolation == "area" else Image.LANCZOS
    height, width = pixels.shape[:2]
    if crop:
        th, tw = image_size
        ch = max(min(height, int(float(width * th) / tw)), 1)
        cw = max(min(width, int(float(height * tw) / th)), 1)
        hs, ws = int(float(height - ch) / 2), int(float(width - cw) / 2)
        pixels = pixels[hs:hs + ch, ws:ws + cw]
    channels = pixels.shape[2]
    planes = []
    size = image_size
    if pad:
        ratio = max(width / image_size[1], height / image_size[0])
        size = (int(np.floor(height / ratio)), int(np.floor(width / ratio)))
    for c in range(channels):
        plane = Image.fromarray(np.ascontiguousarray(pixels[:, :, c], dtype=np.float32))
        planes.append(np.asarray(plane.resize((size[1], size[0]), resample)))
    img = np.stack(planes, axis=-1).astype(np.float32)
    if pad:
        out = np.zeros(tuple(image_size) + (channels,), np.float32)
        top = (image_size[0] - size[0]) // 2
        left = (image_size[1] - size[1]) // 2
        out[top:top + size[0], left:left + size[1]] = img
        img = out
    if data_format == "channels_first":
        img = np.transpose(img, (2, 0, 1))
    return np.ascontiguousarray(img)


# ----- text ------------------------------------------------------------------------------------
def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None,
                                shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, format="tf", verbose=True):
    """Generates a dataset from text files in a directory.

    If your directory structure is:

    ```
    main_directory/
    ...class_a/
    ......a_text_1.txt
    ......a_text_2.txt
    ...class_b/
    ......b_text_1.txt
    ......b_text_2.txt
    ```

    Then calling `text_dataset_from_directory(main_directory,
    labels='inferred')` will return a dataset that yields batches of texts
    from the subdirectories `class_a` and `class_b`, together with labels 0
    and 1. Only `.txt` files are supported at this time.

    Args:
        directory: Directory where the data is located. If `labels` is
            `"inferred"`, it should contain subdirectories, each containing
            text files for a class. Otherwise, the directory structure is
            ignored.
        labels: Either `"inferred"`, `None` (no labels), or a list/tuple of
            integer labels of the same size as the number of text files
            found in the directory, sorted by file path.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None` (see
            `image_dataset_from_directory`).
        class_names: Only valid if `labels="inferred"`: the explicit list of
            class names (must match names of subdirectories).
        batch_size: Size of the batches of data. If `None`, the data is not
            batched.
        max_length: Maximum size of a text string, in UTF-8 bytes as
            TensorFlow counts them. Texts longer than this are truncated.
        shuffle: Whether to shuffle the data. If set to `False`, sorts the
            data in alphanumeric order.
        seed: Optional random seed for shuffling and transformations.
        validation_split: Optional float between 0 and 1, fraction of data to
            reserve for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: Whether to visit subdirectories pointed to by symlinks.
        format: Accepted for compatibility (`"tf"` or `"grain"`).
        verbose: Whether to print the number of files found.

    Returns:
        A `BatchDataset` yielding `(texts, labels)` (or only `texts`): texts
        as a numpy array of Python strings (dtype object) of shape
        `(batch_size,)`. It has the attributes `class_names` and
        `file_paths`.
    """
    _check_labels_args(labels, label_mode, class_names, "text")
    _check_format(format)
    paths, labels, label_mode, class_names, seed = _index_labeled_files(
        directory, labels, label_mode, class_names, (".txt",), validation_split, subset,
        shuffle, seed, follow_links, verbose)

    def load_one(path):
        with open(path, "rb") as f:
            raw = f.read()
        if max_length is not None:
            raw = raw[:max_length]
        return raw.decode("utf-8", errors="replace")

    def stack(texts):
        out = np.empty((len(texts),), dtype=object)
        out[:] = texts
        return out

    return _make_datasets(paths, labels, class_names, label_mode, subset, validation_split,
                          batch_size, shuffle, seed, load_one, stack, "text files",
                          directory)


# ----- time series ------------------------------------------------------------------------------
def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None, format="tf"):
    """Creates a dataset of sliding windows over a timeseries provided as array.

    This function takes in a sequence of data-points gathered at equal
    intervals, along with time series parameters such as length of the
    sequences/windows, spacing between two sequence/windows, etc., to produce
    batches of timeseries inputs and targets.

    Args:
        data: Numpy array or eager tensor containing consecutive data points
            (timesteps). Axis 0 is expected to be the time dimension.
        targets: Targets corresponding to timesteps in `data`. `targets[i]`
            should be the target corresponding to the window that starts at
            index `i`. Pass `None` if you don't have target data (in this
            case the dataset will only yield the input data).
        sequence_length: Length of the output sequences (in number of
            timesteps).
        sequence_stride: Period between successive output sequences. For
            stride `s`, output samples would start at index `data[i]`,
            `data[i + s]`, `data[i + 2 * s]`, etc.
        sampling_rate: Period between successive individual timesteps within
            sequences. For rate `r`, timesteps `data[i], data[i + r], ...
            data[i + sequence_length]` are used for creating a sample
            sequence.
        batch_size: Number of timeseries samples in each batch (except maybe
            the last one). If `None`, the data will not be batched.
        shuffle: Whether to shuffle output samples, or instead draw them in
            chronological order.
        seed: Optional int; random seed for shuffling.
        start_index: Optional int; data points earlier (exclusive) than
            `start_index` will not be used in the output sequences.
        end_index: Optional int; data points later (exclusive) than
            `end_index` will not be used in the output sequences.
        format: Accepted for compatibility (`"tf"` or `"grain"`).

    Returns:
        A `BatchDataset` yielding `(batch_of_sequences, batch_of_targets)`
        (or only the sequences when `targets` is `None`); sequences have
        shape `(batch_size, sequence_length, *data.shape[1:])`.

    Example: consider indices `[0, 1, ... 98]`. With `sequence_length=10,
    sampling_rate=2, sequence_stride=3, shuffle=False`, the dataset yields
    batches of sequences composed of `[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]`,
    `[3, 5, 7, 9, 11, 13, 15, 17, 19, 21]`, `[6, 8, 10, 12, 14, 16, 18, 20,
    22, 24]`, ..., `[78, 80, 82, 84, 86, 88, 90, 92, 94, 96]`.
    """
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: "
                             f"start_index={start_index}")
        if start_index >= n:
            raise ValueError("`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length {n}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError("`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= n:
            raise ValueError("`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {n}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: "
                             f"end_index={end_index}")
    if sampling_rate <= 0:
        raise ValueError(f"`sampling_rate` must be higher than 0. Received: "
                         f"sampling_rate={sampling_rate}")
    if sampling_rate >= n:
        raise ValueError("`sampling_rate` must be lower than the length of the data. "
                         f"Received: sampling_rate={sampling_rate}, for data of length {n}")
    if sequence_stride <= 0:
        raise ValueError(f"`sequence_stride` must be higher than 0. Received: "
                         f"sequence_stride={sequence_stride}")
    if sequence_stride >= n:
        raise ValueError("`sequence_stride` must be lower than the length of the data. "
                         f"Received: sequence_stride={sequence_stride}, for data of length {n}")
    _check_format(format)
    start_index = start_index or 0
    end_index = end_index if end_index is not None else n
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    starts = np.arange(0, max(num_seqs, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(starts)
    window = data[start_index:end_index]
    target_window = None if targets is None else targets[start_index:end_index]
    offsets = np.arange(sequence_length, dtype="int64") * sampling_rate

    def load(indices):
        pos = starts[np.asarray(indices, dtype="int64")]
        sequences = np.asarray(window)[pos[:, None] + offsets[None, :]]
        if target_window is None:
            return sequences
        return sequences, np.asarray(target_window)[pos]

    return BatchDataset(len(starts), load, batch_size=batch_size, shuffle=shuffle, seed=seed)
