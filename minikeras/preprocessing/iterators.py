"""Iterators that yield augmented batches: from arrays, folders, dataframes.

They are sequences (`len`, `[i]`) and Python iterators (`next`), shuffle
with numpy's global random state as Keras does (re-seeded from `seed` before
every batch when a seed is given), and call `on_epoch_end()` to reshuffle.
"""
import collections
import os
import threading
import warnings

import numpy as np

from minikeras.backend import config
from minikeras.utils import image_utils


class Iterator:
    """Base class for image data iterators.

    Every `Iterator` implements `_get_batches_of_transformed_samples`.

    Args:
        n: Integer, total number of samples in the dataset to loop over.
        batch_size: Integer, size of a batch.
        shuffle: Boolean, whether to shuffle the data between epochs.
        seed: Random seeding for data shuffling.
        **kwargs: `workers`, `use_multiprocessing` and `max_queue_size`, as
            for `keras.utils.PyDataset` (recorded; batches are produced in
            the calling thread).
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed, **kwargs):
        unknown = set(kwargs) - {"workers", "use_multiprocessing",
                                 "max_queue_size"}
        if unknown:
            raise TypeError(
                f"Iterator got unexpected keyword arguments: {sorted(unknown)}")
        self._workers = kwargs.get("workers", 1)
        self._use_multiprocessing = kwargs.get("use_multiprocessing", False)
        self._max_queue_size = kwargs.get("max_queue_size", 10)
        self.n = n
        self.batch_size = batch_size
        self.seed = seed
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    @property
    def workers(self):
        return self._workers

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return self._max_queue_size

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    @property
    def num_batches(self):
        return len(self)

    def _set_index_array(self):
        self.index_array = np.arange(self.n)
        if self.shuffle:
            self.index_array = np.random.permutation(self.n)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(
                f"Asked to retrieve element {idx}, but the Sequence has "
                f"length {len(self)}")
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        index_array = self.index_array[
            self.batch_size * idx: self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(index_array)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_begin(self):
        """Called at the start of every epoch (does nothing here)."""

    def on_epoch_end(self):
        """Reshuffle the sample order (when `shuffle`)."""
        self._set_index_array()

    def reset(self):
        """Restart `next()` from the first batch of a new pass."""
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            if self.seed is not None:
                np.random.seed(self.seed + self.total_batches_seen)
            if self.batch_index == 0:
                self._set_index_array()
            if self.n == 0:
                current_index = 0
            else:
                current_index = (self.batch_index * self.batch_size) % self.n
            if self.n > current_index + self.batch_size:
                self.batch_index += 1
            else:
                self.batch_index = 0
            self.total_batches_seen += 1
            yield self.index_array[current_index:current_index + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            index_array = next(self.index_generator)
        return self._get_batches_of_transformed_samples(index_array)

    next = __next__

    def _get_batches_of_transformed_samples(self, index_array):
        """Gets a batch of transformed samples.

        Args:
            index_array: Array of sample indices to include in batch.

        Returns:
            A batch of transformed samples.
        """
        raise NotImplementedError


def _transform_batch(generator, batch, out_dtype):
    """Random transforms + standardization of a batch, as Keras does them."""
    if generator is None:
        return batch.astype(out_dtype, copy=False)
    batch_fn = getattr(generator, "_random_transform_standardize_batch", None)
    if batch_fn is not None:
        return batch_fn(batch, out_dtype)
    # Any other object with Keras's per-image methods.
    out = np.zeros(batch.shape, dtype=out_dtype)
    for i in range(len(batch)):
        x = batch[i]
        params = generator.get_random_transform(x.shape)
        x = generator.apply_transform(x, params)
        out[i] = generator.standardize(x)
    return out


def _save_batch(batch_x, index_array, data_format, save_to_dir, save_prefix,
                save_format, hash_high):
    for i, j in enumerate(index_array):
        img = image_utils.array_to_img(batch_x[i], data_format, scale=True)
        fname = "{prefix}_{index}_{hash}.{format}".format(
            prefix=save_prefix, index=j, hash=np.random.randint(hash_high),
            format=save_format)
        img.save(os.path.join(save_to_dir, fname))


class NumpyArrayIterator(Iterator):
    """Iterator yielding data from a Numpy array.

    Args:
        x: Numpy array of input data or tuple. If tuple, the second element
            is either another numpy array or a list of numpy arrays, each of
            which gets passed through as an output without any
            modifications.
        y: Numpy array of targets data.
        image_data_generator: Instance of `ImageDataGenerator` to use for
            random transformations and normalization.
        batch_size: Integer, size of a batch.
        shuffle: Boolean, whether to shuffle the data between epochs.
        sample_weight: Numpy array of sample weights.
        seed: Random seed for data shuffling.
        data_format: String, one of `channels_first`, `channels_last`.
        save_to_dir: Optional directory where to save the pictures being
            yielded, in a viewable format.
        save_prefix: String prefix to use for saving sample images (if
            `save_to_dir` is set).
        save_format: Format to use for saving sample images (if
            `save_to_dir` is set).
        subset: Subset of data (`"training"` or `"validation"`) if
            validation_split is set in ImageDataGenerator.
        ignore_class_split: Boolean (default: False), ignore difference in
            number of classes in labels across train and validation split
            (useful for non-classification tasks)
        dtype: Dtype to use for the generated arrays.
    """

    def __init__(self, x, y, image_data_generator, batch_size=32,
                 shuffle=False, sample_weight=None, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="",
                 save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        if data_format is None:
            data_format = config.image_data_format()
        if dtype is None:
            dtype = config.floatx()
        self.dtype = dtype
        if isinstance(x, (tuple, list)):
            if not isinstance(x[1], list):
                x_misc = [np.asarray(x[1])]
            else:
                x_misc = [np.asarray(xx) for xx in x[1]]
            x = x[0]
            for xx in x_misc:
                if len(x) != len(xx):
                    raise ValueError(
                        "All of the arrays in `x` should have the same "
                        f"length. Found a pair with: len(x[0]) = {len(x)}, "
                        f"len(x[?]) = {len(xx)}")
        else:
            x_misc = []
        if y is not None and len(x) != len(y):
            raise ValueError(
                "`x` (images tensor) and `y` (labels) should have the same "
                f"length. Found: x.shape = {np.asarray(x).shape}, "
                f"y.shape = {np.asarray(y).shape}")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                "`x` (images tensor) and `sample_weight` should have the "
                f"same length. Found: x.shape = {np.asarray(x).shape}, "
                f"sample_weight.shape = {np.asarray(sample_weight).shape}")
        if subset is not None:
            if subset not in {"training", "validation"}:
                raise ValueError(
                    f"Invalid subset name: {subset}; expected \"training\" "
                    "or \"validation\".")
            split = getattr(image_data_generator, "_validation_split", 0)
            if not split:
                raise ValueError(
                    f"`subset={subset!r}` needs a `validation_split` in the "
                    "ImageDataGenerator; it was created with "
                    f"validation_split={split}.")
            split_idx = int(len(x) * split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:split_idx]),
                                           np.unique(y[split_idx:]))):
                raise ValueError(
                    "Training and validation subsets have different number "
                    "of classes after the split. If your numpy arrays are "
                    "sorted by the label, you might want to shuffle them.")
            if subset == "validation":
                x = x[:split_idx]
                x_misc = [np.asarray(xx[:split_idx]) for xx in x_misc]
                if y is not None:
                    y = y[:split_idx]
            else:
                x = x[split_idx:]
                x_misc = [np.asarray(xx[split_idx:]) for xx in x_misc]
                if y is not None:
                    y = y[split_idx:]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        if self.x.ndim != 4:
            raise ValueError(
                "Input data in `NumpyArrayIterator` should have rank 4. You "
                f"passed an array with shape {self.x.shape}"
                + (" (a single image or a batch without a channels axis? "
                   "add one with x[..., None] or np.expand_dims)"
                   if self.x.ndim == 3 else ""))
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in {1, 3, 4}:
            warnings.warn(
                "NumpyArrayIterator is set to use the data format convention "
                f"\"{data_format}\" (channels on axis {channels_axis}), i.e. "
                f"expected either 1, 3, or 4 channels on axis "
                f"{channels_axis}. However, it was passed an array with "
                f"shape {self.x.shape} ({self.x.shape[channels_axis]} "
                "channels).")
        self.y = np.asarray(y) if y is not None else None
        self.sample_weight = (np.asarray(sample_weight)
                              if sample_weight is not None else None)
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = _transform_batch(self.image_data_generator,
                                   self.x[index_array], self.dtype)
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self.data_format,
                        self.save_to_dir, self.save_prefix, self.save_format,
                        1e4)
        batch_x_miscs = [xx[index_array] for xx in self.x_misc]
        output = (batch_x if not batch_x_miscs else [batch_x] + batch_x_miscs,)
        if self.y is None:
            return output[0]
        output += (self.y[index_array],)
        if self.sample_weight is not None:
            output += (self.sample_weight[index_array],)
        return output


def _iter_valid_files(directory, white_list_formats, follow_links):
    """Yield `(root, filename)` of the files with a whitelisted extension."""
    walk = sorted(os.walk(directory, followlinks=follow_links),
                  key=lambda x: x[0])
    for root, _, files in walk:
        for fname in sorted(files):
            if fname.lower().endswith(".tiff"):
                warnings.warn(
                    "Using \".tiff\" files with multiple bands will cause "
                    "distortion. Please verify your output.")
            if fname.lower().endswith(white_list_formats):
                yield root, fname


def _list_valid_filenames_in_directory(directory, white_list_formats, split,
                                       class_indices, follow_links):
    """Class indices and paths (relative to `directory`'s parent) of a class."""
    dirname = os.path.basename(directory)
    valid_files = list(_iter_valid_files(directory, white_list_formats,
                                         follow_links))
    if split:
        num_files = len(valid_files)
        start, stop = int(split[0] * num_files), int(split[1] * num_files)
        valid_files = valid_files[start:stop]
    classes = []
    filenames = []
    for root, fname in valid_files:
        classes.append(class_indices[dirname])
        absolute_path = os.path.join(root, fname)
        filenames.append(os.path.join(
            dirname, os.path.relpath(absolute_path, directory)))
    return classes, filenames


class BatchFromFilesMixin:
    """Turns lists of image files into batches (shared by folder/dataframe)."""

    def set_processing_attrs(self, image_data_generator, target_size,
                             color_mode, data_format, save_to_dir,
                             save_prefix, save_format, subset, interpolation,
                             keep_aspect_ratio):
        """Sets attributes to use later for processing files into a batch.

        Args:
            image_data_generator: Instance of `ImageDataGenerator` to use for
                random transformations and normalization.
            target_size: tuple of integers, dimensions to resize images to.
            color_mode: One of `"rgb"`, `"rgba"`, `"grayscale"`.
            data_format: String, one of `channels_first`, `channels_last`.
            save_to_dir: Optional directory where to save the pictures being
                yielded.
            save_prefix: String prefix to use for saving sample images.
            save_format: Format to use for saving sample images.
            subset: Subset of data (`"training"` or `"validation"`) if
                validation_split is set in ImageDataGenerator.
            interpolation: Interpolation method used to resample the image.
            keep_aspect_ratio: Boolean, whether to resize images to a target
                size without aspect ratio distortion.
        """
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        if color_mode not in {"rgb", "rgba", "grayscale"}:
            raise ValueError(
                f"Invalid color mode: {color_mode}; expected \"rgb\", "
                "\"rgba\", or \"grayscale\".")
        self.color_mode = color_mode
        self.data_format = data_format
        channels = {"rgba": 4, "rgb": 3, "grayscale": 1}[color_mode]
        if data_format == "channels_last":
            self.image_shape = self.target_size + (channels,)
        else:
            self.image_shape = (channels,) + self.target_size
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        self.interpolation = interpolation
        if subset is not None:
            validation_split = getattr(self.image_data_generator,
                                       "_validation_split", 0)
            if subset not in ("validation", "training"):
                raise ValueError(
                    f"Invalid subset name: {subset}; expected \"training\" "
                    "or \"validation\"")
            if not validation_split:
                raise ValueError(
                    f"`subset={subset!r}` needs a `validation_split` in the "
                    "ImageDataGenerator; it was created with "
                    f"validation_split={validation_split}.")
            if subset == "validation":
                split = (0, validation_split)
            else:
                split = (validation_split, 1)
        else:
            split = None
        self.split = split
        self.subset = subset

    def _load_batch(self, index_array):
        filepaths = self.filepaths
        batch = np.zeros((len(index_array),) + self.image_shape,
                         dtype=config.floatx())
        for i, j in enumerate(index_array):
            img = image_utils.load_img(
                filepaths[j], color_mode=self.color_mode,
                target_size=self.target_size,
                interpolation=self.interpolation,
                keep_aspect_ratio=self.keep_aspect_ratio)
            x = image_utils.img_to_array(img, data_format=self.data_format)
            if hasattr(img, "close"):
                img.close()
            if x.shape != self.image_shape:
                raise ValueError(
                    f"Image file {filepaths[j]!r} loaded with shape {x.shape}, "
                    f"expected {self.image_shape}.")
            batch[i] = x
        return batch

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = _transform_batch(self.image_data_generator or None,
                                   self._load_batch(index_array), self.dtype)
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self.data_format,
                        self.save_to_dir, self.save_prefix, self.save_format,
                        1e7)
        if self.class_mode == "input":
            batch_y = batch_x.copy()
        elif self.class_mode in {"binary", "sparse"}:
            batch_y = np.empty(len(batch_x), dtype=self.dtype)
            for i, n_observation in enumerate(index_array):
                batch_y[i] = self.classes[n_observation]
        elif self.class_mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)),
                               dtype=self.dtype)
            for i, n_observation in enumerate(index_array):
                batch_y[i, self.classes[n_observation]] = 1.0
        elif self.class_mode == "multi_output":
            batch_y = [output[index_array] for output in self.labels]
        elif self.class_mode == "raw":
            batch_y = self.labels[index_array]
        else:
            return batch_x
        if self.sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self.sample_weight[index_array]

    @property
    def filepaths(self):
        """List of absolute paths to image files."""
        raise NotImplementedError(
            f"`filepaths` property method has not been implemented in "
            f"{type(self).__name__}.")

    @property
    def labels(self):
        """Class labels of every observation."""
        raise NotImplementedError(
            f"`labels` property method has not been implemented in "
            f"{type(self).__name__}.")

    @property
    def sample_weight(self):
        raise NotImplementedError(
            f"`sample_weight` property method has not been implemented in "
            f"{type(self).__name__}.")


class DirectoryIterator(BatchFromFilesMixin, Iterator):
    """Iterator capable of reading images from a directory on disk.

    Each subdirectory of `directory` is a class; images are found
    recursively (`png`, `jpg`, `jpeg`, `bmp`, `ppm`, `tif`, `tiff`; other
    files are skipped) and listed in sorted order, class by class.

    Args:
        directory: Path to the directory to read images from.
        image_data_generator: Instance of `ImageDataGenerator` to use for
            random transformations and normalization (or `None`).
        target_size: tuple of integers, dimensions to resize input images to.
        color_mode: One of `"rgb"`, `"rgba"`, `"grayscale"`.
        classes: Optional list of strings, names of subdirectories containing
            images from each class (e.g. `["dogs", "cats"]`).
        class_mode: Mode for yielding the targets: `"binary"`,
            `"categorical"`, `"input"`, `"sparse"` or `None`.
        batch_size: Integer, size of a batch.
        shuffle: Boolean, whether to shuffle the data between epochs.
        seed: Random seed for data shuffling.
        data_format: String, one of `channels_first`, `channels_last`.
        save_to_dir: Optional directory where to save the pictures being
            yielded.
        save_prefix: String prefix to use for saving sample images.
        save_format: Format to use for saving sample images.
        follow_links: Whether to follow symbolic links to subdirectories.
        subset: Subset of data (`"training"` or `"validation"`) if
            validation_split is set in ImageDataGenerator.
        interpolation: Interpolation method used to resample the image if
            the target size is different from that of the loaded image.
        keep_aspect_ratio: Boolean, whether to resize images to a target size
            without aspect ratio distortion.
        dtype: Dtype to use for generated arrays.
    """

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory, image_data_generator, target_size=(256, 256),
                 color_mode="rgb", classes=None, class_mode="categorical",
                 batch_size=32, shuffle=True, seed=None, data_format=None,
                 save_to_dir=None, save_prefix="", save_format="png",
                 follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        if data_format is None:
            data_format = config.image_data_format()
        if dtype is None:
            dtype = config.floatx()
        super().set_processing_attrs(
            image_data_generator, target_size, color_mode, data_format,
            save_to_dir, save_prefix, save_format, subset, interpolation,
            keep_aspect_ratio)
        self.directory = directory
        self.classes = classes
        if class_mode not in self.allowed_class_modes:
            raise ValueError(
                f"Invalid class_mode: {class_mode}; expected one of: "
                f"{self.allowed_class_modes}")
        self.class_mode = class_mode
        self.dtype = dtype
        self.samples = 0
        if not os.path.isdir(directory):
            raise FileNotFoundError(
                f"Image directory not found: {directory!r} does not exist or "
                "is not a directory. `flow_from_directory` expects a folder "
                "with one subfolder of images per class.")
        if not classes:
            classes = [subdir for subdir in sorted(os.listdir(directory))
                       if os.path.isdir(os.path.join(directory, subdir))]
        else:
            for subdir in classes:
                if not os.path.isdir(os.path.join(directory, subdir)):
                    raise FileNotFoundError(
                        f"Class folder not found: "
                        f"{os.path.join(directory, subdir)!r} (from "
                        f"classes={list(classes)}).")
        self.num_classes = len(classes)
        self.class_indices = dict(zip(classes, range(len(classes))))

        self.filenames = []
        classes_list = []
        for subdir in classes:
            cls, names = _list_valid_filenames_in_directory(
                os.path.join(directory, subdir), self.white_list_formats,
                self.split, self.class_indices, follow_links)
            classes_list.append(cls)
            self.filenames += names
        self.samples = len(self.filenames)
        self.classes = np.zeros((self.samples,), dtype="int32")
        i = 0
        for cls in classes_list:
            self.classes[i:i + len(cls)] = cls
            i += len(cls)
        print(f"Found {self.samples} images belonging to "
              f"{self.num_classes} classes.")
        self._filepaths = [os.path.join(self.directory, fname)
                           for fname in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    @property
    def sample_weight(self):
        return None


def validate_filename(filename, white_list_formats):
    """True if `filename` has an allowed extension and is a file."""
    return (filename.lower().endswith(white_list_formats)
            and os.path.isfile(filename))


class DataFrameIterator(BatchFromFilesMixin, Iterator):
    """Iterator reading the images listed in a pandas dataframe.

    Args:
        dataframe: Pandas dataframe with a column of file paths (`x_col`)
            and, depending on `class_mode`, label column(s) (`y_col`).
        directory: Path prepended to the file paths (or `None`).
        image_data_generator: Instance of `ImageDataGenerator`.
        x_col: Column with the file paths.
        y_col: Column (or list of columns) with the targets.
        weight_col: Column with sample weights.
        target_size: tuple of integers, dimensions to resize input images to.
        color_mode: One of `"rgb"`, `"rgba"`, `"grayscale"`.
        classes: Optional list of class names to use.
        class_mode: One of `"binary"`, `"categorical"`, `"input"`,
            `"multi_output"`, `"raw"`, `"sparse"` or `None`.
        batch_size: Integer, size of a batch.
        shuffle: Boolean, whether to shuffle the data between epochs.
        seed: Random seed for data shuffling.
        data_format: String, one of `channels_first`, `channels_last`.
        save_to_dir: Optional directory where to save augmented pictures.
        save_prefix: String prefix to use for saving sample images.
        save_format: Format to use for saving sample images.
        subset: `"training"` or `"validation"` with a `validation_split`.
        interpolation: Interpolation method used to resample the images.
        keep_aspect_ratio: Whether to crop to the target aspect ratio.
        dtype: Dtype to use for the generated arrays.
        validate_filenames: Whether to drop rows whose file is missing or
            has an unsupported extension.
    """

    allowed_class_modes = {"binary", "categorical", "input", "multi_output",
                           "raw", "sparse", None}

    def __init__(self, dataframe, directory=None, image_data_generator=None,
                 x_col="filename", y_col="class", weight_col=None,
                 target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True,
                 seed=None, data_format="channels_last", save_to_dir=None,
                 save_prefix="", save_format="png", subset=None,
                 interpolation="nearest", keep_aspect_ratio=False,
                 dtype="float32", validate_filenames=True):
        super().set_processing_attrs(
            image_data_generator, target_size, color_mode, data_format,
            save_to_dir, save_prefix, save_format, subset, interpolation,
            keep_aspect_ratio)
        df = dataframe.copy()
        self.directory = directory or ""
        self.class_mode = class_mode
        self.dtype = dtype
        self._check_params(df, x_col, y_col, weight_col, classes)
        if validate_filenames:
            df = self._filter_valid_filepaths(df, x_col)
        num_classes = None
        if class_mode not in ["input", "multi_output", "raw", None]:
            df, classes = self._filter_classes(df, y_col, classes)
            num_classes = len(classes)
            self.class_indices = dict(zip(classes, range(len(classes))))
        if self.split:
            num_files = len(df)
            start = int(self.split[0] * num_files)
            stop = int(self.split[1] * num_files)
            df = df.iloc[start:stop, :]
        if class_mode not in ["input", "multi_output", "raw", None]:
            self.classes = self.get_classes(df, y_col)
        self.filenames = df[x_col].tolist()
        self._sample_weight = df[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets = [np.array(df[col].tolist()) for col in y_col]
        if class_mode == "raw":
            self._targets = df[y_col].values
        self.samples = len(self.filenames)
        validated = "validated" if validate_filenames else "non-validated"
        if class_mode in ["input", "multi_output", "raw", None]:
            print(f"Found {self.samples} {validated} image filenames.")
        else:
            print(f"Found {self.samples} {validated} image filenames "
                  f"belonging to {num_classes} classes.")
        self._filepaths = [os.path.join(self.directory, fname)
                           for fname in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _check_params(self, df, x_col, y_col, weight_col, classes):
        if self.class_mode not in self.allowed_class_modes:
            raise ValueError(
                f"Invalid class_mode: {self.class_mode}; expected one of: "
                f"{self.allowed_class_modes}")
        if self.class_mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(
                f"If class_mode=\"{self.class_mode}\", y_col must be a list. "
                f"Received {type(y_col).__name__}.")
        if not all(df[x_col].apply(lambda x: isinstance(x, str))):
            raise TypeError(
                f"All values in column x_col={x_col} must be strings.")
        if self.class_mode in {"binary", "sparse"}:
            if not all(df[y_col].apply(lambda x: isinstance(x, str))):
                raise TypeError(
                    f"If class_mode=\"{self.class_mode}\", y_col=\"{y_col}\" "
                    "column values must be strings.")
        if self.class_mode == "binary":
            if classes:
                classes = set(classes)
                if len(classes) != 2:
                    raise ValueError(
                        "If class_mode=\"binary\" there must be 2 classes. "
                        f"{len(classes)} class/es were given.")
            elif df[y_col].nunique() != 2:
                raise ValueError(
                    "If class_mode=\"binary\" there must be 2 classes. "
                    f"Found {df[y_col].nunique()} classes.")
        if self.class_mode == "categorical":
            types = (str, list, tuple)
            if not all(df[y_col].apply(lambda x: isinstance(x, types))):
                raise TypeError(
                    f"If class_mode=\"{self.class_mode}\", y_col=\"{y_col}\" "
                    "column values must be type string, list or tuple.")
        if classes and self.class_mode in {"input", "multi_output", "raw",
                                           None}:
            warnings.warn(
                f"`classes` will be ignored given the "
                f"class_mode=\"{self.class_mode}\"")
        if weight_col and not issubclass(df[weight_col].dtype.type, np.number):
            raise TypeError(f"Column weight_col={weight_col} must be numeric.")

    def get_classes(self, df, y_col):
        labels = []
        for label in df[y_col]:
            if isinstance(label, (list, tuple)):
                labels.append([self.class_indices[lbl] for lbl in label])
            else:
                labels.append(self.class_indices[label])
        return labels

    @staticmethod
    def _filter_classes(df, y_col, classes):
        df = df.copy()

        def remove_classes(labels, classes):
            if isinstance(labels, (list, tuple)):
                labels = [cls for cls in labels if cls in classes]
                return labels or None
            if isinstance(labels, str):
                return labels if labels in classes else None
            raise TypeError(
                f"Expect string, list or tuple but found {type(labels)} in "
                f"{y_col} column ")

        if classes:
            classes = list(collections.OrderedDict.fromkeys(classes).keys())
            df[y_col] = df[y_col].apply(lambda x: remove_classes(x, classes))
        else:
            classes = set()
            for v in df[y_col]:
                if isinstance(v, (list, tuple)):
                    classes.update(v)
                else:
                    classes.add(v)
            classes = sorted(classes)
        return df.dropna(subset=[y_col]), classes

    def _filter_valid_filepaths(self, df, x_col):
        filepaths = df[x_col].map(
            lambda fname: os.path.join(self.directory, fname))
        mask = filepaths.apply(validate_filename,
                               args=(self.white_list_formats,))
        n_invalid = (~mask).sum()
        if n_invalid:
            warnings.warn(
                f"Found {n_invalid} invalid image filename(s) in "
                f"x_col=\"{x_col}\". These filename(s) will be ignored.")
        return df[mask]

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        if self.class_mode in {"multi_output", "raw"}:
            return self._targets
        return self.classes

    @property
    def sample_weight(self):
        return self._sample_weight
