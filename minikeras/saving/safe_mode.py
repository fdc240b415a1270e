"""Whether deserialization may run code stored in a file (lambdas).

Safe mode is on unless the caller turns it off: `load_model(...,
safe_mode=False)` for one call (a `SafeModeScope` around the
deserialization), or `keras.config.enable_unsafe_deserialization()` for the
whole process.
"""
import threading

_STATE = threading.local()
_GLOBAL = {"unsafe_allowed": False}


class SafeModeScope:
    """Within it, nested deserialization uses `safe_mode`."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.previous = getattr(_STATE, "safe_mode", None)
        _STATE.safe_mode = self.safe_mode
        return self

    def __exit__(self, *args):
        _STATE.safe_mode = self.previous


def scope_value():
    """The innermost `SafeModeScope`'s value, or None outside any scope."""
    return getattr(_STATE, "safe_mode", None)


def unsafe_globally_enabled():
    return _GLOBAL["unsafe_allowed"]


def in_safe_mode():
    """True unless a scope or `enable_unsafe_deserialization()` allows code."""
    value = scope_value()
    if value is not None:
        return bool(value)
    return not _GLOBAL["unsafe_allowed"]


def enable_unsafe_deserialization():
    """Allow lambdas in configs to be loaded everywhere (trusted files only)."""
    _GLOBAL["unsafe_allowed"] = True
