"""Reading the pickled dataset files (IMDB/Reuters `.npz`, CIFAR batches) safely.

IMDB and Reuters store ragged sequences as object arrays, which numpy can only
save as a pickle; CIFAR batches are pickled dicts. Unpickling runs whatever the
file names, so only the globals needed to rebuild numpy arrays are allowed:
a tampered file raises instead of executing code.
"""
import io
import pickle
import zipfile

import numpy as np

_ALLOWED_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),  # files written by numpy < 2
    ("numpy._core.multiarray", "_reconstruct"),  # files written by numpy >= 2
})


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that only builds numpy arrays, lists, dicts and scalars."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: only numpy "
            "arrays are allowed. The file may be corrupted or malicious; delete "
            "it from the cache and download it again.")


def _read_npy(buffer):
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:
        # An object array: skip the header and unpickle with the allow-list.
        buffer.seek(0)
        major, _ = np.lib.format.read_magic(buffer)
        if major == 1:
            np.lib.format.read_array_header_1_0(buffer)
        elif major in (2, 3):  # 3.0 differs from 2.0 only in the header text encoding
            np.lib.format.read_array_header_2_0(buffer)
        else:
            raise ValueError(f"Unsupported .npy format version {major}.") from None
        return RestrictedUnpickler(buffer).load()


def load_npz(path):
    """Loads an `.npz` archive (object arrays included) into a dict of arrays."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                with archive.open(member) as raw:
                    arrays[member[:-4]] = _read_npy(io.BytesIO(raw.read()))
    return arrays


def load_pickle(path):
    """Loads a Python-2-era pickle (such as a CIFAR batch) with the allow-list.

    Keys come back as `str` (the files store them as bytes).
    """
    with open(path, "rb") as f:
        data = RestrictedUnpickler(f, encoding="bytes").load()
    return {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in data.items()}
