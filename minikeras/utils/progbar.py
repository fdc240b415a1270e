"""`Progbar`: the Keras progress bar, and `print_msg`, the one place it writes.

The bar prints exactly what Keras 3 prints:

    32/32 ━━━━━━━━━━━━━━━━━━━━ 1s 3ms/step - accuracy: 0.8424 - loss: 0.5322

In a terminal, Jupyter or PyCharm ("dynamic display") the line is redrawn in
place with `\\r` and decorated with Keras's bold/colour escapes. In a plain
pipe or log file there is nothing to redraw, so the intermediate updates are
skipped and only the final line of each bar is written, without escapes.
"""
import math
import os
import sys
import time

import numpy as np

_BAR_CHAR = "\u2501"  # "━", the heavy horizontal line Keras 3 draws with
_BOLD = "\x1b[1m"
_GREEN = "\x1b[32m"
_WHITE = "\x1b[37m"
_RESET = "\x1b[0m"


def print_msg(message, line_break=True):
    """Write `message` to stdout and flush it.

    Falls back to `=` for the bar character when stdout cannot encode it
    (a Latin-1 console, say), as Keras does.
    """
    message = str(message)
    if line_break:
        message += "\n"
    try:
        sys.stdout.write(message)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        message = message.replace(_BAR_CHAR, "=")
        message = message.encode(encoding, errors="ignore").decode(encoding)
        sys.stdout.write(message)
    sys.stdout.flush()


def _is_dynamic_display():
    """Whether the output can be redrawn in place (terminal, Jupyter, PyCharm)."""
    # Keras 3 also counts any POSIX system as dynamic, which floods pipes and
    # log files with escapes and backspaces; minikeras only trusts a real tty
    # or a notebook kernel (whose stdout is not a tty but renders `\r`/ANSI).
    stdout = sys.stdout
    isatty = getattr(stdout, "isatty", None)
    try:
        tty = bool(isatty()) if callable(isatty) else False
    except (ValueError, OSError):  # closed or detached stream
        tty = False
    return tty or _in_jupyter_kernel() or "PYCHARM_HOSTED" in os.environ


def _in_jupyter_kernel():
    """True inside a running Jupyter kernel (not merely when ipykernel was imported,
    as a test runner that drives notebooks does)."""
    if "ipykernel" not in sys.modules:
        return False
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    return shell is not None and getattr(shell, "kernel", None) is not None


class Progbar:
    """Displays a progress bar.

    If neither of `stateful_metrics` and `stateless_metrics` is provided, all
    metrics are assumed to be stateless (averaged by the progress bar before
    display).

    Args:
        target: Total number of steps expected, None if unknown.
        width: Progress bar width on screen.
        verbose: Verbosity mode, 0 (silent), 1 (verbose), 2 (semi-verbose:
            one line when the bar is finalized).
        interval: Minimum visual progress update interval (in seconds).
        stateful_metrics: Iterable of string names of metrics that should
            *not* be averaged over time. Metrics in this list will be
            displayed as-is. If provided, do not provide `stateless_metrics`.
        stateless_metrics: Iterable of string names of metrics that *should*
            be averaged over time. Metrics in this list will be averaged by
            the progbar before display. If provided, do not provide
            `stateful_metrics`.
        unit_name: Display name for step counts (usually "step" or "sample").

    Example:

    >>> bar = Progbar(3)
    >>> for i in range(3):
    ...     bar.update(i + 1, values=[("loss", 0.5 / (i + 1))])
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05,
                 stateful_metrics=None, stateless_metrics=None,
                 unit_name="step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be "
                "provided. `stateful_metrics` is used to make metrics stateless "
                "by default (with an exclusion list), while `stateless_metrics` "
                "is used to make metrics stateful by default (with an exclusion "
                "list).")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        if stateful_metrics is not None:
            self.stateful_metrics = set(stateful_metrics)
            self.stateless_metrics = None
        elif stateless_metrics is not None:
            self.stateful_metrics = None
            self.stateless_metrics = set(stateless_metrics)
        else:
            self.stateful_metrics = set()
            self.stateless_metrics = None
        self._dynamic_display = _is_dynamic_display()
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight]
        self._values_order = []
        self._start = time.time()
        self._last_update = 0
        self._time_at_epoch_start = self._start
        self._time_after_first_step = None
        self._prev_total_width = 0

    # ----- public API ---------------------------------------------------------
    def update(self, current, values=None, finalize=None):
        """Updates the progress bar.

        Args:
            current: Index of current step.
            values: List of tuples: `(name, value_for_last_step)`. If `name`
                is in `stateful_metrics`, `value_for_last_step` will be
                displayed as-is. Else, an average of the metric over time
                will be displayed.
            finalize: Whether this is the last update for the progress bar.
                If `None`, defaults to `current >= self.target`.
        """
        if finalize is None:
            finalize = False if self.target is None else current >= self.target
        self._accumulate(current, values or [], finalize)
        self._seen_so_far = current

        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._print_verbose_1(current, now, time_per_unit, finalize)
        elif self.verbose == 2:
            if finalize and self.target is not None and self.target > 0:
                self._print_verbose_2(current, now, time_per_unit)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the bar by `n` steps (see `update`)."""
        self.update(self._seen_so_far + n, values)

    # ----- bookkeeping --------------------------------------------------------
    def _is_stateless(self, name):
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return name in self.stateless_metrics

    def _accumulate(self, current, values, finalize):
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            if self._is_stateless(name) and not finalize:
                # Weight by the number of steps since the last update; at
                # least 1 so that an update repeating `current` still counts.
                weight = max(current - self._seen_so_far, 1)
                if name in self._values:
                    self._values[name][0] += value * weight
                    self._values[name][1] += weight
                else:
                    self._values[name] = [value * weight, weight]
            else:
                # Stateful values, and the final (already averaged) epoch
                # values, are shown as they come.
                self._values[name] = [value, 1]

    def _average(self, name):
        total, count = self._values[name]
        if not isinstance(total, float):
            total = np.mean(total)
        return total / max(1, count)

    # ----- rendering ----------------------------------------------------------
    def _print_verbose_1(self, current, now, time_per_unit, finalize):
        dynamic = self._dynamic_display
        if not dynamic and not finalize:
            return  # a pipe cannot redraw: keep only the final line
        # `plain` is what the eye sees; `styled` adds the escapes. Their
        # lengths differ only by the escapes, so the padding uses `plain`.
        plain, styled = [], []

        def emit(text, style=None):
            plain.append(text)
            styled.append(f"{style}{text}{_RESET}" if style and dynamic else text)

        if self.target is not None and self.target > 0:
            numdigits = int(math.log10(self.target)) + 1
            emit(f"%{numdigits}d/%d" % (current, self.target), _BOLD)
            emit(" ")
            filled = int(self.width * (float(current) / self.target))
            if filled > 0:
                emit(_BAR_CHAR * filled, _GREEN)
            emit(_BAR_CHAR * (self.width - filled), _WHITE)
        else:
            emit("%7d/Unknown" % current)

        emit(" ")
        if self.target is not None and self.target > 0 and not finalize:
            emit(self._format_eta(time_per_unit * (self.target - current)), _BOLD)
        else:
            emit(f"{now - self._start:.0f}s", _BOLD)
        emit(self._format_time(time_per_unit, self.unit_name))
        for name in self._values_order:
            avg = self._average(name)
            emit(f" - {name}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {name}: {avg:.4e}")

        total_width = len("".join(plain))
        message = "".join(styled)
        if dynamic:
            message = "\b" * self._prev_total_width + "\r" + message
            if self._prev_total_width > total_width:
                message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def _print_verbose_2(self, current, now, time_per_unit):
        numdigits = int(math.log10(self.target)) + 1
        info = f"%{numdigits}d/%d" % (current, self.target)
        info += f" - {now - self._start:.0f}s"
        info += " -" + self._format_time(time_per_unit, self.unit_name)
        for name in self._values_order:
            avg = self._average(name)
            # Keras compares without abs() here (unlike verbose=1), so
            # negative values print in exponent form; kept for parity.
            info += f" - {name}: {avg:.4f}" if avg > 1e-3 else f" - {name}: {avg:.4e}"
        print_msg(info + "\n", line_break=False)

    @staticmethod
    def _format_eta(eta):
        if eta > 3600:
            return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
        if eta > 60:
            return "%d:%02d" % (eta // 60, eta % 60)
        return "%ds" % eta

    def _format_time(self, time_per_unit, unit_name):
        """Formats a duration per unit as ` 3s/step`, ` 12ms/step`, ` 40us/step`."""
        if time_per_unit >= 1 or time_per_unit == 0:
            return f" {time_per_unit:.0f}s/{unit_name}"
        if time_per_unit >= 1e-3:
            return f" {time_per_unit * 1000.0:.0f}ms/{unit_name}"
        return f" {time_per_unit * 1000000.0:.0f}us/{unit_name}"

    def _estimate_step_duration(self, current, now):
        """Seconds per step, ignoring the (usually slow) first step once
        more steps are available."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            time_per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            time_per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return time_per_unit
