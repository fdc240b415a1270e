"""RemoteMonitor against a local HTTP server on 127.0.0.1."""
import http.server
import json
import socket
import threading
import urllib.parse

import numpy as np
import pytest

import minikeras.callbacks as mk


@pytest.fixture
def server():
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):  # keep test output quiet
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", received
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_posts_form_field_with_json(server):
    root, received = server
    cb = mk.RemoteMonitor(root=root, headers={"X-Run": "7"})
    cb.on_epoch_end(2, {"loss": np.float32(0.5), "acc": 0.75})
    (req,) = received
    assert req["path"] == "/publish/epoch/end/"
    assert req["headers"]["X-Run"] == "7"
    form = urllib.parse.parse_qs(req["body"].decode())
    assert json.loads(form["data"][0]) == {"epoch": 2, "loss": 0.5, "acc": 0.75}


def test_posts_json_body(server):
    root, received = server
    cb = mk.RemoteMonitor(root=root, path="/x", send_as_json=True)
    cb.on_epoch_end(0, {"loss": np.array(0.25)})
    (req,) = received
    assert req["path"] == "/x"
    assert req["headers"]["Content-Type"] == "application/json"
    assert json.loads(req["body"]) == {"epoch": 0, "loss": 0.25}


def test_unreachable_server_warns_and_training_goes_on():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    cb = mk.RemoteMonitor(root=f"http://127.0.0.1:{port}")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        cb.on_epoch_end(0, {"loss": 1.0})
