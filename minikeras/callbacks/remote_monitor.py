"""`RemoteMonitor`: POST the epoch logs to a server (standard library only)."""
import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from minikeras.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Callback used to stream events to a server.

    At the end of each epoch it sends an HTTP POST to `root + path` with the
    epoch index and the logs: as a form field `field` holding the JSON text,
    or, with `send_as_json=True`, as a JSON body (`Content-Type:
    application/json`). Uses `urllib` (Keras uses `requests`); an unreachable
    server gives a warning, not an error.

    Args:
        root: String; root url of the target server.
        path: String; path relative to `root` to which the events will be
            sent.
        field: String; JSON field under which the data will be stored. The
            field is used only if the payload is sent within a form (i.e.
            when `send_as_json=False`).
        headers: Dictionary; optional custom HTTP headers.
        send_as_json: Boolean; whether the request should be sent as
            `"application/json"`.
    """

    timeout = 10  # seconds: a slow server must not stall training for long

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/",
                 field="data", headers=None, send_as_json=False):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            # numpy values are not JSON serializable: send their Python value.
            send[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("ascii")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(
            self.root + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(
                f"Could not reach RemoteMonitor root server at {self.root}",
                stacklevel=2)
