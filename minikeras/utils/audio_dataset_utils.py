"""`audio_dataset_from_directory`: batches of `.wav` clips and their labels."""
import wave

import numpy as np

from minikeras.utils import dataset_utils

ALLOWED_FORMATS = (".wav",)


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, batch_size=32, sampling_rate=None,
                                 output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True):
    """Generates a dataset from audio files in a directory.

    If your directory structure is:

    ```
    main_directory/
    ...class_a/
    ......a_audio_1.wav
    ......a_audio_2.wav
    ...class_b/
    ......b_audio_1.wav
    ......b_audio_2.wav
    ```

    Then calling `audio_dataset_from_directory(main_directory,
    labels='inferred')` will return a dataset that yields batches of audio
    clips from the subdirectories `class_a` and `class_b`, together with
    labels 0 and 1. Only 16-bit PCM `.wav` files are supported, decoded as
    `tf.audio.decode_wav` does (float32 in [-1, 1), shape
    `(samples, channels)`).

    Args:
        directory: Directory where the data is located.
        labels: `"inferred"`, `None`, or a list/tuple of integer labels
            sorted by file path.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Only valid if `labels="inferred"`: explicit order of the
            class subdirectories.
        batch_size: Size of the batches of data; `None` for single clips.
        sampling_rate: Resampling needs `tensorflow-io` in Keras; it is not
            implemented in minikeras (`NotImplementedError`).
        output_sequence_length: Clips are padded with zeros or truncated to
            this many samples. If `None`, each batch is padded to its longest
            clip.
        ragged: Ragged batches are not supported (`NotImplementedError`).
        shuffle: Whether to shuffle the data (file order as Keras for a seed).
        seed: Optional random seed for shuffling.
        validation_split: Optional float between 0 and 1, fraction of data to
            reserve for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: Whether to visit subdirectories pointed to by symlinks.
        verbose: Whether to print the number of files found.

    Returns:
        A `BatchDataset` yielding `(audio, labels)` (or only `audio`), audio
        of shape `(batch_size, sequence_length, num_channels)`, with the
        attributes `class_names` and `file_paths`.
    """
    dataset_utils._check_labels_args(labels, label_mode, class_names, "audio")
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError("`sampling_rate` should have an integer value. "
                             f"Received: sampling_rate={sampling_rate}")
        if sampling_rate <= 0:
            raise ValueError("`sampling_rate` should be higher than 0. "
                             f"Received: sampling_rate={sampling_rate}")
        raise NotImplementedError(
            "Resampling audio (`sampling_rate`) is not implemented in minikeras (Keras "
            "needs tensorflow-io for it). Resample the files beforehand.")
    if ragged:
        raise NotImplementedError(
            "`ragged=True` is not supported: minikeras has no ragged tensors. Pass "
            "`output_sequence_length` or let each batch be padded to its longest clip.")
    paths, labels, label_mode, class_names, seed = dataset_utils._index_labeled_files(
        directory, labels, label_mode, class_names, ALLOWED_FORMATS, validation_split, subset,
        shuffle, seed, follow_links, verbose)

    def load_one(path):
        return read_wav(path, output_sequence_length)

    return dataset_utils._make_datasets(
        paths, labels, class_names, label_mode, subset, validation_split, batch_size,
        shuffle, seed, load_one, _pad_batch, "audio files", directory)


def read_wav(path, desired_samples=None):
    """float32 `(samples, channels)` of a 16-bit PCM wav file, in [-1, 1)."""
    with wave.open(path, "rb") as f:
        if f.getsampwidth() != 2:
            raise ValueError(
                f"Only 16-bit PCM wav files can be decoded; {path} has "
                f"{8 * f.getsampwidth()}-bit samples.")
        channels = f.getnchannels()
        frames = f.readframes(f.getnframes())
    audio = np.frombuffer(frames, dtype="<i2").reshape(-1, channels)
    audio = audio.astype(np.float32) / np.float32(32768.0)
    if desired_samples is not None and desired_samples >= 0:
        if len(audio) >= desired_samples:
            audio = audio[:desired_samples]
        else:
            pad = np.zeros((desired_samples - len(audio), channels), np.float32)
            audio = np.concatenate([audio, pad])
    return audio


def _pad_batch(clips):
    """Stack clips, padding with zeros to the longest (tf `padded_batch`)."""
    longest = max(len(c) for c in clips)
    out = np.zeros((len(clips), longest, clips[0].shape[1]), np.float32)
    for i, c in enumerate(clips):
        out[i, :len(c)] = c
    return out
