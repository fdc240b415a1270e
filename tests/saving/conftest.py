"""Fixtures of the saving tests (defined in helpers.py, shared with the test modules)."""
from tests.saving.helpers import expected, h5_backend, no_h5py  # noqa: F401
