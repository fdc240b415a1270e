"""Interactive logging switch: whether progress output goes to stdout.

Keras sends its messages (progress bars, `print_msg`) to stdout when
interactive logging is enabled (the default) and to the `logging` module
(Keras: absl) otherwise, which suits batch jobs and log files.
"""
import logging

_STATE = {"interactive_logging": True}


def enable_interactive_logging():
    """Turn on interactive logging.

    When interactive logging is enabled, Keras displays logs via stdout.
    This provides the best experience when using Keras in an interactive
    environment such as a shell or a notebook.
    """
    _STATE["interactive_logging"] = True


def disable_interactive_logging():
    """Turn off interactive logging.

    When interactive logging is disabled, Keras sends logs to the Python
    `logging` module (logger `"minikeras"`, level INFO). This is the best
    option when using Keras in a non-interactive way, such as running a
    training or inference job on a server.
    """
    _STATE["interactive_logging"] = False


def is_interactive_logging_enabled():
    """Check if interactive logging is enabled.

    To switch between writing logs to stdout and the `logging` module, you
    can use `keras.config.enable_interactive_logging()` and
    `keras.config.disable_interactive_logging()`.

    Returns:
        Boolean, `True` if interactive logging is enabled, and `False`
        otherwise.
    """
    return _STATE["interactive_logging"]


def log_message(message):
    """Where a message goes when interactive logging is disabled."""
    logging.getLogger("minikeras").info(message)
