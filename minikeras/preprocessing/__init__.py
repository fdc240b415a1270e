"""`keras.preprocessing`: image augmentation (`keras.preprocessing.image`) and
the legacy text and sequence utilities (`keras.preprocessing.text`,
`keras.preprocessing.sequence`).

The dataset builders Keras also lists here (`image_dataset_from_directory`,
`text_dataset_from_directory`, `timeseries_dataset_from_array`) live in
`minikeras.utils` and are forwarded on first access.
"""
from minikeras.preprocessing import image  # noqa: F401
from minikeras.preprocessing import sequence  # noqa: F401
from minikeras.preprocessing import text  # noqa: F401

_FROM_UTILS = ("image_dataset_from_directory", "text_dataset_from_directory",
               "timeseries_dataset_from_array")


def __getattr__(name):
    if name in _FROM_UTILS:
        import minikeras.utils as utils
        try:
            return getattr(utils, name)
        except AttributeError:
            raise AttributeError(
                f"`keras.preprocessing.{name}` is not available: "
                f"minikeras.utils has no `{name}`.") from None
    raise AttributeError(f"module 'minikeras.preprocessing' has no attribute {name!r}")
