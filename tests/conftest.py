import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _fresh_session():
    """Each test starts with fresh layer names and a fixed seed."""
    from minikeras.backend import clear_session
    from minikeras.backend.random import set_random_seed
    clear_session()
    set_random_seed(1337)
    yield
