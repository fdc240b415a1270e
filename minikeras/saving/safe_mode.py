"""Whether deserialization may run code stored in a file (lambdas)."""
import threading

_STATE = threading.local()
_GLOBAL = {"unsafe_allowed": False}


class SafeModeScope:
    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.previous = getattr(_STATE, "safe_mode", None)
        _STATE.safe_mode = self.safe_mode
        return self

    def __exit__(self, *args):
        _STATE.safe_mode = self.previous


def in_safe_mode():
    if _GLOBAL["unsafe_allowed"]:
        return False
    value = getattr(_STATE, "safe_mode", None)
    return True if value is None else value


def enable_unsafe_deserialization():
    """Allow lambdas in configs to be loaded everywhere (trusted files only)."""
    _GLOBAL["unsafe_allowed"] = True
