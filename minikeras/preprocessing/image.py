"""`keras.preprocessing.image`: ImageDataGenerator and the image utilities.

The generator follows Keras's legacy `ImageDataGenerator` option by option:
the same random draws (numpy's global random state, in the same order), the
same affine matrices, the same normalization order. Iterators transform a
whole batch at once (one vectorised affine warp instead of a SciPy call per
channel per image), which is where the speed comes from.
"""
import math
import warnings

import numpy as np

from minikeras.backend import config
from minikeras.preprocessing import affine as _affine
from minikeras.preprocessing import transforms as _transforms
from minikeras.preprocessing.affine import apply_affine_transform
from minikeras.preprocessing.iterators import (  # noqa: F401
    BatchFromFilesMixin, DataFrameIterator, DirectoryIterator, Iterator,
    NumpyArrayIterator)
from minikeras.preprocessing.transforms import (  # noqa: F401
    apply_brightness_shift, apply_channel_shift, flip_axis,
    random_brightness, random_channel_shift, random_rotation, random_shear,
    random_shift, random_zoom)
from minikeras.utils.image_utils import (  # noqa: F401
    array_to_img, img_to_array, load_img, save_img, smart_resize)

__all__ = [
    "DirectoryIterator", "ImageDataGenerator", "Iterator",
    "NumpyArrayIterator", "apply_affine_transform", "apply_brightness_shift",
    "apply_channel_shift", "array_to_img", "img_to_array", "load_img",
    "random_brightness", "random_channel_shift", "random_rotation",
    "random_shear", "random_shift", "random_zoom", "save_img", "smart_resize",
]


def _is_number(v):
    return isinstance(v, (int, float, np.integer, np.floating))


class ImageDataGenerator:
    """Generate batches of tensor image data with real-time data augmentation.

    The data will be looped over (in batches).

    Args:
        featurewise_center: Boolean. Set input mean to 0 over the dataset,
            feature-wise.
        samplewise_center: Boolean. Set each sample mean to 0.
        featurewise_std_normalization: Boolean. Divide inputs by std of the
            dataset, feature-wise.
        samplewise_std_normalization: Boolean. Divide each input by its std.
        zca_whitening: Boolean. Apply ZCA whitening.
        zca_epsilon: epsilon for ZCA whitening. Default is 1e-6.
        rotation_range: Int. Degree range for random rotations.
        width_shift_range: Float, 1-D array-like or int
            - float: fraction of total width, if < 1, or pixels if >= 1.
            - 1-D array-like: random elements from the array.
            - int: integer number of pixels from interval
                `(-width_shift_range, +width_shift_range)`
            - With `width_shift_range=2` possible values are integers
                `[-1, 0, +1]`, same as with `width_shift_range=[-1, 0, +1]`,
                while with `width_shift_range=1.0` possible values are floats
                in the interval `[-1.0, +1.0)`.
        height_shift_range: Float, 1-D array-like or int, as
            `width_shift_range` but for the height.
        brightness_range: Tuple or list of two floats. Range for picking a
            brightness shift value from.
        shear_range: Float. Shear Intensity (Shear angle in counter-clockwise
            direction in degrees)
        zoom_range: Float or [lower, upper]. Range for random zoom. If a
            float, `[lower, upper] = [1-zoom_range, 1+zoom_range]`.
        channel_shift_range: Float. Range for random channel shifts.
        fill_mode: One of {"constant", "nearest", "reflect" or "wrap"}.
            Default is 'nearest'. Points outside the boundaries of the input
            are filled according to the given mode:
            - 'constant': kkkkkkkk|abcd|kkkkkkkk (cval=k)
            - 'nearest':  aaaaaaaa|abcd|dddddddd
            - 'reflect':  abcddcba|abcd|dcbaabcd
            - 'wrap':  abcdabcd|abcd|abcdabcd
        cval: Float or Int. Value used for points outside the boundaries
            when `fill_mode = "constant"`.
        horizontal_flip: Boolean. Randomly flip inputs horizontally.
        vertical_flip: Boolean. Randomly flip inputs vertically.
        rescale: rescaling factor. Defaults to None. If None or 0, no
            rescaling is applied, otherwise we multiply the data by the
            value provided (after applying all other transformations).
        preprocessing_function: function that will be applied on each input.
            The function will run after the image is resized and augmented.
            The function should take one argument: one image (Numpy tensor
            with rank 3), and should output a Numpy tensor with the same
            shape.
        data_format: Image data format, either `"channels_first"` or
            `"channels_last"`. Defaults to
            `keras.backend.image_data_format()`.
        validation_split: Float. Fraction of images reserved for validation
            (strictly between 0 and 1).
        interpolation_order: int, order to use for the spline interpolation
            (0 or 1).
        dtype: Dtype to use for the generated arrays (default: floatx).

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    datagen = ImageDataGenerator(
        rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
        horizontal_flip=True, validation_split=0.2)
    model.fit(datagen.flow(x_train, y_train, batch_size=32,
                           subset="training"),
              validation_data=datagen.flow(x_train, y_train, batch_size=8,
                                           subset="validation"),
              epochs=epochs)
    ```
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False,
                 zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None,
                 shear_range=0.0, zoom_range=0.0, channel_shift_range=0.0,
                 fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None,
                 preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        if data_format is None:
            data_format = config.image_data_format()
        if dtype is None:
            dtype = config.floatx()
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dtype = dtype
        self.interpolation_order = interpolation_order

        if data_format not in {"channels_last", "channels_first"}:
            raise ValueError(
                "`data_format` should be `\"channels_last\"` (channel after "
                "row and column) or `\"channels_first\"` (channel before row "
                f"and column). Received: {data_format}")
        self.data_format = data_format
        if data_format == "channels_first":
            self.channel_axis, self.row_axis, self.col_axis = 1, 2, 3
        else:
            self.channel_axis, self.row_axis, self.col_axis = 3, 1, 2
        # Fail now rather than at the first batch.
        _affine._check_mode_order(fill_mode, interpolation_order)
        if validation_split and not 0 < validation_split < 1:
            raise ValueError(
                "`validation_split` must be strictly between 0 and 1. "
                f" Received: {validation_split}")
        self._validation_split = validation_split

        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None

        if _is_number(zoom_range):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif (isinstance(zoom_range, (list, tuple, np.ndarray))
              and len(zoom_range) == 2
              and all(_is_number(val) for val in zoom_range)):
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(
                "`zoom_range` should be a float or a tuple or list of two "
                f"floats. Received: {zoom_range}")
        if zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, which "
                    "overrides setting of `featurewise_center`.")
            if featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening` which "
                    "overrides setting of`featurewise_std_normalization`.")
        if featurewise_std_normalization:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn(
                    "This ImageDataGenerator specifies "
                    "`featurewise_std_normalization`, which overrides "
                    "setting of `featurewise_center`.")
        if samplewise_std_normalization:
            if not samplewise_center:
                self.samplewise_center = True
                warnings.warn(
                    "This ImageDataGenerator specifies "
                    "`samplewise_std_normalization`, which overrides "
                    "setting of `samplewise_center`.")
        if brightness_range is not None:
            if (not isinstance(brightness_range, (tuple, list, np.ndarray))
                    or len(brightness_range) != 2):
                raise ValueError(
                    "`brightness_range should be tuple or list of two floats. "
                    f"Received: {brightness_range}")
        self.brightness_range = brightness_range

    # ------------------------------------------------------------------ flows
    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None,
             seed=None, save_to_dir=None, save_prefix="", save_format="png",
             ignore_class_split=False, subset=None):
        """Takes data & label arrays, generates batches of augmented data.

        Args:
            x: Input data. Numpy array of rank 4 or a tuple. If tuple, the
                first element should contain the images and the second
                element another numpy array or a list of numpy arrays that
                gets passed to the output without any modifications.
            y: Labels.
            batch_size: Int (default: 32).
            shuffle: Boolean (default: True).
            sample_weight: Sample weights.
            seed: Int (default: None).
            save_to_dir: None or str (default: None). Optionally a directory
                to which to save the augmented pictures being generated.
            save_prefix: Str (default: `''`). Prefix for the filenames of
                saved pictures.
            save_format: one of "png", "jpeg", "bmp", "pdf", "ppm", "gif",
                "tif", "jpg" (default: "png").
            ignore_class_split: Boolean (default: False), ignore difference
                in number of classes in labels across train and validation
                split (useful for non-classification tasks)
            subset: Subset of data (`"training"` or `"validation"`) if
                `validation_split` is set in `ImageDataGenerator`.

        Returns:
            A `NumpyArrayIterator` yielding tuples of `(x, y)` where `x` is a
            numpy array of image data and `y` is a numpy array of
            corresponding labels (or `(x, y, sample_weight)`, or just `x`
            when `y` is None).
        """
        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle,
            sample_weight=sample_weight, seed=seed,
            data_format=self.data_format, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format,
            ignore_class_split=ignore_class_split, subset=subset,
            dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256),
                            color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32,
                            shuffle=True, seed=None, save_to_dir=None,
                            save_prefix="", save_format="png",
                            follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """Takes the path to a directory & generates batches of augmented data.

        Args:
            directory: string, path to the target directory. It should
                contain one subdirectory per class. Any PNG, JPG, BMP, PPM or
                TIF images inside each of the subdirectories directory tree
                will be included in the generator.
            target_size: Tuple of integers `(height, width)`, defaults to
                `(256, 256)`. The dimensions to which all images found will
                be resized.
            color_mode: One of "grayscale", "rgb", "rgba". Default: "rgb".
            classes: Optional list of class subdirectories (e.g.
                `['dogs', 'cats']`). Default: None, in which case the classes
                are the sorted subdirectory names.
            class_mode: One of "categorical", "binary", "sparse", "input", or
                None. Default: "categorical".
            batch_size: Size of the batches of data (default: 32).
            shuffle: Whether to shuffle the data (default: True).
            seed: Optional random seed for shuffling and transformations.
            save_to_dir: None or str (default: None). Optionally a directory
                to which to save the augmented pictures being generated.
            save_prefix: Str. Prefix to use for filenames of saved pictures.
            save_format: one of "png", "jpeg", "bmp", "pdf", "ppm", "gif",
                "tif", "jpg" (default: "png").
            follow_links: Whether to follow symlinks inside class
                subdirectories (default: False).
            subset: Subset of data (`"training"` or `"validation"`) if
                `validation_split` is set in `ImageDataGenerator`.
            interpolation: Interpolation method used to resample the image if
                the target size is different from that of the loaded image.
                Supported methods are `"nearest"`, `"bilinear"`,
                `"bicubic"`, `"lanczos"`, `"box"` and `"hamming"`.
                Default: `"nearest"`.
            keep_aspect_ratio: Boolean, whether to resize images to a target
                size without aspect ratio distortion. The image is cropped in
                the center with target aspect ratio before resizing.

        Returns:
            A `DirectoryIterator` yielding tuples of `(x, y)`.
        """
        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode,
            keep_aspect_ratio=keep_aspect_ratio, classes=classes,
            class_mode=class_mode, data_format=self.data_format,
            batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, follow_links=follow_links,
            subset=subset, interpolation=interpolation, dtype=self.dtype)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename",
                            y_col="class", weight_col=None,
                            target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical",
                            batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="",
                            save_format="png", subset=None,
                            interpolation="nearest", validate_filenames=True,
                            **kwargs):
        """Takes the dataframe and the path to a directory, generates batches.

        Needs pandas. The dataframe lists the image files (`x_col`, relative
        to `directory` if given) and, depending on `class_mode`, their
        labels (`y_col`) and weights (`weight_col`).

        Args:
            dataframe: Pandas dataframe.
            directory: string, path to the directory to read images from, or
                None when `x_col` holds absolute paths.
            x_col: string, column in `dataframe` that contains the filenames.
            y_col: string or list, column(s) in `dataframe` with the targets.
            weight_col: string, column in `dataframe` with sample weights.
            target_size: tuple of integers `(height, width)`.
            color_mode: one of "grayscale", "rgb", "rgba".
            classes: optional list of classes (e.g. `['dogs', 'cats']`).
            class_mode: one of "binary", "categorical", "input",
                "multi_output", "raw", "sparse" or None.
            batch_size: size of the batches of data (default: 32).
            shuffle: whether to shuffle the data (default: True)
            seed: optional random seed for shuffling and transformations.
            save_to_dir: None or str. Directory to save augmented pictures.
            save_prefix: str. Prefix to use for filenames of saved pictures.
            save_format: one of "png", "jpeg", ... (default: "png").
            subset: `"training"` or `"validation"` with `validation_split`.
            interpolation: Interpolation method used to resample the image.
            validate_filenames: Boolean, whether to validate image filenames
                in `x_col`. If `True`, invalid images will be ignored.
            **kwargs: legacy arguments (`has_ext`, `sort`, `drop_duplicates`)
                raising a DeprecationWarning.

        Returns:
            A `DataFrameIterator` yielding tuples of `(x, y)`.
        """
        if "has_ext" in kwargs:
            warnings.warn(
                "has_ext is deprecated, filenames in the dataframe have to "
                "match the exact filenames in disk.", DeprecationWarning)
        if "sort" in kwargs:
            warnings.warn(
                "sort is deprecated, batches will be created in the same "
                "order than the filenames provided if `shuffle` is set to "
                "`False`.", DeprecationWarning)
        if class_mode == "other":
            warnings.warn(
                "`class_mode=\"other\"` is deprecated, please use "
                "`class_mode=\"raw\"`.", DeprecationWarning)
            class_mode = "raw"
        if "drop_duplicates" in kwargs:
            warnings.warn(
                "drop_duplicates is deprecated, you can drop duplicates by "
                "using the pandas.DataFrame.drop_duplicates method.",
                DeprecationWarning)
        return DataFrameIterator(
            dataframe, directory, self, x_col=x_col, y_col=y_col,
            weight_col=weight_col, target_size=target_size,
            color_mode=color_mode, classes=classes, class_mode=class_mode,
            data_format=self.data_format, batch_size=batch_size,
            shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format, subset=subset,
            interpolation=interpolation,
            validate_filenames=validate_filenames, dtype=self.dtype)

    # ------------------------------------------------------------ standardize
    def standardize(self, x):
        """Applies the normalization configuration in-place to a batch of inputs.

        `x` is changed in-place since the function is mainly used internally
        to standardize images and feed them to your network. To keep `x`,
        call `standardize(np.copy(x))`.

        Args:
            x: Batch of inputs to be normalized.

        Returns:
            The inputs, normalized.
        """
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        return self._normalize(x, None)

    def _normalize(self, x, sample_axes):
        """Everything `standardize` does after `preprocessing_function`.

        `sample_axes=None` takes samplewise statistics over all of `x` (as
        Keras does for whatever it is given); a tuple takes them per sample.
        """
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, axis=sample_axes, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, axis=sample_axes, keepdims=True) + 1e-6
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `featurewise_center`, "
                    "but it hasn't been fit on any training data. Fit it "
                    "first by calling `.fit(numpy_data)`.")
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= self.std + 1e-6
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies "
                    "`featurewise_std_normalization`, but it hasn't been fit "
                    "on any training data. Fit it first by calling "
                    "`.fit(numpy_data)`.")
        if self.zca_whitening:
            if self.zca_whitening_matrix is not None:
                flat_x = x.reshape(-1, math.prod(x.shape[-3:]))
                white_x = flat_x @ self.zca_whitening_matrix
                x = np.reshape(white_x, x.shape)
            else:
                warnings.warn(
                    "This ImageDataGenerator specifies `zca_whitening`, but "
                    "it hasn't been fit on any training data. Fit it first "
                    "by calling `.fit(numpy_data)`.")
        return x

    # ------------------------------------------------------------- transforms
    @staticmethod
    def _uniform_shift(r):
        """True when Keras draws this shift with one `np.random.uniform` (or
        not at all); ints and lists go through `np.random.choice`."""
        if isinstance(r, (float, np.floating)):
            return True
        return isinstance(r, (int, np.integer)) and not r

    def get_random_transform(self, img_shape, seed=None):
        """Generates random parameters for a transformation.

        Args:
            img_shape: Tuple of integers. Shape of the image that is
                transformed.
            seed: Random seed.

        Returns:
            A dictionary containing randomly chosen parameters describing the
            transformation.
        """
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        if seed is not None:
            np.random.seed(seed)
        if self.rotation_range:
            theta = np.random.uniform(-self.rotation_range,
                                      self.rotation_range)
        else:
            theta = 0
        tx = self._draw_shift(self.height_shift_range, img_shape[img_row_axis])
        ty = self._draw_shift(self.width_shift_range, img_shape[img_col_axis])
        if self.shear_range:
            shear = np.random.uniform(-self.shear_range, self.shear_range)
        else:
            shear = 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1],
                                       2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift_intensity = None
        if self.channel_shift_range != 0:
            channel_shift_intensity = np.random.uniform(
                -self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0],
                                           self.brightness_range[1])
        return {
            "theta": theta, "tx": tx, "ty": ty, "shear": shear,
            "zx": zx, "zy": zy, "flip_horizontal": flip_horizontal,
            "flip_vertical": flip_vertical,
            "channel_shift_intensity": channel_shift_intensity,
            "brightness": brightness,
        }

    @staticmethod
    def _draw_shift(rng_range, size):
        """One shift in pixels, drawn exactly as Keras draws it."""
        if not rng_range:
            return 0
        try:  # 1-D array-like or int: pick a value, then a sign
            t = np.random.choice(rng_range)
            t *= np.random.choice([-1, 1])
        except ValueError:  # floating point: uniform in (-r, r)
            t = np.random.uniform(-rng_range, rng_range)
        if np.max(rng_range) < 1:
            t *= size
        return t

    def _random_params_batch(self, n, img_shape):
        """Parameters for `n` images, as `n` calls of `get_random_transform`.

        When every random number Keras would draw is a plain uniform double,
        they are drawn in one call (same stream, same values); otherwise
        image by image.
        """
        if not all(self._uniform_shift(r) for r in (self.height_shift_range,
                                                    self.width_shift_range)):
            ps = [self.get_random_transform(img_shape) for _ in range(n)]
            out = {k: np.asarray([p[k] for p in ps], dtype=np.float64)
                   for k in ("theta", "tx", "ty", "shear", "zx", "zy")}
            out["flip_horizontal"] = np.asarray(
                [bool(p["flip_horizontal"]) for p in ps])
            out["flip_vertical"] = np.asarray(
                [bool(p["flip_vertical"]) for p in ps])
            for k in ("channel_shift_intensity", "brightness"):
                out[k] = (None if ps[0][k] is None else
                          np.asarray([p[k] for p in ps], dtype=np.float64))
            return out

        # Column layout of one image's draws, in Keras's order.
        def uniform(lo, hi, col):
            lo, hi = float(lo), float(hi)
            return lo + (hi - lo) * col

        cols = []
        if self.rotation_range:
            cols.append("theta")
        if self.height_shift_range:
            cols.append("tx")
        if self.width_shift_range:
            cols.append("ty")
        if self.shear_range:
            cols.append("shear")
        zoom = not (self.zoom_range[0] == 1 and self.zoom_range[1] == 1)
        if zoom:
            cols += ["zx", "zy"]
        cols += ["fh", "fv"]
        if self.channel_shift_range != 0:
            cols.append("cs")
        if self.brightness_range is not None:
            cols.append("br")
        u = np.random.random_sample(n * len(cols)).reshape(n, len(cols))
        c = {name: u[:, i] for i, name in enumerate(cols)}
        zeros = np.zeros(n)
        out = {"theta": zeros, "tx": zeros, "ty": zeros, "shear": zeros,
               "zx": np.ones(n), "zy": np.ones(n)}
        if "theta" in c:
            out["theta"] = uniform(-self.rotation_range, self.rotation_range,
                                   c["theta"])
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        for key, rng_range, axis in (("tx", self.height_shift_range,
                                      img_row_axis),
                                     ("ty", self.width_shift_range,
                                      img_col_axis)):
            if key in c:
                t = uniform(-rng_range, rng_range, c[key])
                if np.max(rng_range) < 1:
                    t = t * img_shape[axis]
                out[key] = t
        if "shear" in c:
            out["shear"] = uniform(-self.shear_range, self.shear_range,
                                   c["shear"])
        if zoom:
            out["zx"] = uniform(self.zoom_range[0], self.zoom_range[1],
                                c["zx"])
            out["zy"] = uniform(self.zoom_range[0], self.zoom_range[1],
                                c["zy"])
        out["flip_horizontal"] = (c["fh"] < 0.5) & bool(self.horizontal_flip)
        out["flip_vertical"] = (c["fv"] < 0.5) & bool(self.vertical_flip)
        out["channel_shift_intensity"] = (
            uniform(-self.channel_shift_range, self.channel_shift_range,
                    c["cs"]) if "cs" in c else None)
        out["brightness"] = (
            uniform(self.brightness_range[0], self.brightness_range[1],
                    c["br"]) if "br" in c else None)
        return out

    def apply_transform(self, x, transform_parameters):
        """Applies a transformation to an image according to given parameters.

        Args:
            x: 3D tensor, single image.
            transform_parameters: Dictionary with string - parameter pairs
                describing the transformation. Currently, the following
                parameters from the dictionary are used:
                - `'theta'`: Float. Rotation angle in degrees.
                - `'tx'`: Float. Shift in the x direction.
                - `'ty'`: Float. Shift in the y direction.
                - `'shear'`: Float. Shear angle in degrees.
                - `'zx'`: Float. Zoom in the x direction.
                - `'zy'`: Float. Zoom in the y direction.
                - `'flip_horizontal'`: Boolean. Horizontal flip.
                - `'flip_vertical'`: Boolean. Vertical flip.
                - `'channel_shift_intensity'`: Float. Channel shift intensity.
                - `'brightness'`: Float. Brightness shift intensity.

        Returns:
            A transformed version of the input (same shape).
        """
        img_row_axis = self.row_axis - 1
        img_col_axis = self.col_axis - 1
        img_channel_axis = self.channel_axis - 1
        p = transform_parameters
        x = apply_affine_transform(
            x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
            p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
            row_axis=img_row_axis, col_axis=img_col_axis,
            channel_axis=img_channel_axis, fill_mode=self.fill_mode,
            cval=self.cval, order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = apply_channel_shift(x, p["channel_shift_intensity"],
                                    img_channel_axis)
        if p.get("flip_horizontal", False):
            x = flip_axis(x, img_col_axis)
        if p.get("flip_vertical", False):
            x = flip_axis(x, img_row_axis)
        if p.get("brightness") is not None:
            x = _transforms._brightness_shift_batch(
                np.asarray(x)[None], np.asarray([p["brightness"]]), False,
                self.data_format == "channels_first")[0]
        return x

    def random_transform(self, x, seed=None):
        """Applies a random transformation to an image.

        Args:
            x: 3D tensor, single image.
            seed: Random seed.

        Returns:
            A randomly transformed version of the input (same shape).
        """
        params = self.get_random_transform(x.shape, seed)
        return self.apply_transform(x, params)

    # ------------------------------------------------------- batch fast path
    def _overridden(self):
        cls = type(self)
        return any(getattr(cls, name) is not getattr(ImageDataGenerator, name)
                   for name in ("get_random_transform", "apply_transform",
                                "standardize", "random_transform"))

    def _random_transform_standardize_batch(self, batch, out_dtype):
        """What Keras's iterators do image by image, for a whole batch.

        Same random draws, same transforms and normalization, same dtypes;
        the affine warp runs once for the batch.
        """
        n = len(batch)
        out = np.zeros(batch.shape, dtype=out_dtype)
        if n == 0:
            return out
        if self._overridden():
            # A subclass's methods see one image at a time, as in Keras.
            for i in range(n):
                out[i] = self._one_image(batch[i])
            return out
        start = 0
        prep = self.preprocessing_function
        if prep is not None:
            # Keras interleaves each image's draws with the user function.
            # Run the first image that way and watch numpy's global random
            # state: a function that draws from it keeps the whole batch on
            # that path; one that does not lets the rest be batched with
            # exactly the same draws.
            out[0], drew = self._one_image(batch[0], watch_rng=True)
            if drew:
                for i in range(1, n):
                    out[i] = self._one_image(batch[i])
                return out
            start = 1
            if n == 1:
                return out
        rest = batch[start:]
        p = self._random_params_batch(len(rest), batch.shape[1:])
        x = self._apply_transform_batch(rest, p)
        if prep is not None:
            x = np.stack([prep(img) for img in x])
        out[start:] = self._normalize(x, tuple(range(1, x.ndim)))
        return out

    def _one_image(self, x, watch_rng=False):
        """Keras's per-image step: draw, transform, standardize."""
        params = self.get_random_transform(x.shape)
        x = self.apply_transform(x, params)
        if not watch_rng:
            return self.standardize(x)
        before = np.random.get_state()
        x = self.preprocessing_function(x)
        after = np.random.get_state()
        drew = (before[2:4] != after[2:4]
                or not np.array_equal(before[1], after[1]))
        return self._normalize(x, None), drew

    def _apply_transform_batch(self, batch, p, precise=False):
        channels_first = self.data_format == "channels_first"
        # Work channels last; the image axes keep their order.
        xb = batch.transpose(0, 2, 3, 1) if channels_first else batch
        n, rows, cols = xb.shape[:3]
        warp = ~_affine.is_identity(p["theta"], p["tx"], p["ty"], p["shear"],
                                    p["zx"], p["zy"])
        fh = np.asarray(p["flip_horizontal"], dtype=bool)
        fv = np.asarray(p["flip_vertical"], dtype=bool)
        result = None
        if warp.any():
            sel = np.flatnonzero(warp)
            mats, offs = _affine.transform_matrices(
                p["theta"][sel], p["tx"][sel], p["ty"][sel],
                p["shear"][sel], p["zx"][sel], p["zy"][sel], rows, cols)
            # Flips are folded into the warp by reading the output grid
            # backwards; nothing between warp and flip depends on position.
            r_idx = np.arange(rows, dtype=np.float64)
            c_idx = np.arange(cols, dtype=np.float64)
            out_rows = np.where(fv[sel, None], r_idx[::-1], r_idx)
            out_cols = np.where(fh[sel, None], c_idx[::-1], c_idx)
            # float32 interpolation is within 1e-4 of SciPy on 0..255 images;
            # brightness truncates to integers, so there SciPy is replicated
            # bit for bit.
            precise = (precise or self.brightness_range is not None
                       or xb.dtype != np.float32)
            warped = _affine.warp_batch(
                xb[sel] if len(sel) < n else xb, mats, offs,
                fill_mode=self.fill_mode, cval=self.cval,
                order=self.interpolation_order, out_rows=out_rows,
                out_cols=out_cols, precise=precise)
            if len(sel) == n:
                result = warped
            else:
                result = np.array(xb)
                result[sel] = warped
        if result is None:
            result = np.array(xb)
        done = warp
        for flags, axis in ((fh, 2), (fv, 1)):
            todo = np.flatnonzero(flags & ~done)
            if len(todo):
                result[todo] = np.flip(result[todo], axis=axis)
        if p["channel_shift_intensity"] is not None:
            axes = (1, 2, 3)
            lo = result.min(axis=axes, keepdims=True)
            hi = result.max(axis=axes, keepdims=True)
            cs = np.asarray(p["channel_shift_intensity"],
                            dtype=np.float64).reshape(-1, 1, 1, 1)
            result = np.clip(result + cs, lo, hi)
        if p["brightness"] is not None:
            result = _transforms._brightness_shift_batch(
                result, p["brightness"], False, channels_first=False)
        if channels_first:
            result = result.transpose(0, 3, 1, 2)
        return result

    # -------------------------------------------------------------------- fit
    def fit(self, x, augment=False, rounds=1, seed=None):
        """Fits the data generator to some sample data.

        This computes the internal data stats related to the
        data-dependent transformations, based on an array of sample data.

        Only required if `featurewise_center` or
        `featurewise_std_normalization` or `zca_whitening` are set to True.

        When `rescale` is set to a value, rescaling is applied to
        sample data before computing the internal data stats.

        Args:
            x: Sample data. Should have rank 4. In case of grayscale data,
                the channels axis should have value 1, in case of RGB data,
                it should have value 3, and in case of RGBA data, it should
                have value 4.
            augment: Boolean (default: False). Whether to fit on randomly
                augmented samples.
            rounds: Int (default: 1). If using data augmentation
                (`augment=True`), this is how many augmentation passes over
                the data to use.
            seed: Int (default: None). Random seed.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(
                "Input to `.fit()` should have rank 4. Got array with shape: "
                + str(x.shape))
        if x.shape[self.channel_axis] not in {1, 3, 4}:
            warnings.warn(
                "Expected input to be images (as Numpy array) following the "
                f"data format convention \"{self.data_format}\" (channels on "
                f"axis {self.channel_axis}), i.e. expected either 1, 3 or 4 "
                f"channels on axis {self.channel_axis}. However, it was "
                f"passed an array with shape {x.shape} "
                f"({x.shape[self.channel_axis]} channels).")
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            ax = np.zeros((rounds * x.shape[0],) + x.shape[1:],
                          dtype=self.dtype)
            if self._overridden():
                for r in range(rounds):
                    for i in range(x.shape[0]):
                        ax[i + r * x.shape[0]] = self.random_transform(x[i])
            else:
                # Same draws as the image-by-image loop, warped in chunks.
                n, step = x.shape[0], 256
                for s in range(0, rounds * n, step):
                    idx = np.arange(s, min(s + step, rounds * n)) % n
                    p = self._random_params_batch(len(idx), x.shape[1:])
                    ax[s:s + len(idx)] = self._apply_transform_batch(
                        x[idx], p, precise=True)
            x = ax
        if self.featurewise_center:
            self.mean = np.mean(x, axis=(0, self.row_axis, self.col_axis))
            broadcast_shape = [1, 1, 1]
            broadcast_shape[self.channel_axis - 1] = x.shape[self.channel_axis]
            self.mean = np.reshape(self.mean, broadcast_shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.std(x, axis=(0, self.row_axis, self.col_axis))
            broadcast_shape = [1, 1, 1]
            broadcast_shape[self.channel_axis - 1] = x.shape[self.channel_axis]
            self.std = np.reshape(self.std, broadcast_shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            flat_x = np.reshape(x, (n, -1))
            u, s, _ = np.linalg.svd(flat_x.T, full_matrices=False)
            s_inv = np.sqrt(n) / (s + self.zca_epsilon)
            self.zca_whitening_matrix = (u * s_inv).dot(u.T)
