"""A tiny HTTP server on 127.0.0.1 for download tests, and a guard against real network use.

Shared by tests/datasets and tests/utils/test_file_utils.py (loaded by path).
"""
import http.server
import socket
import threading
import urllib.parse

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class LocalServer:
    """Serves in-memory files at `base_url + name`, recording every request.

    `files[name] = bytes` serves a file; `truncated[name] = bytes` announces a
    longer Content-Length than it sends, then closes (a dropped connection).
    """

    def __init__(self):
        self.files = {}
        self.truncated = {}
        self.requests = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = 10  # a stuck client cannot hold the server thread forever

            def do_GET(self):
                name = urllib.parse.urlsplit(self.path).path.lstrip("/")
                server.requests.append(name)
                if name in server.files:
                    body = server.files[name]
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif name in server.truncated:
                    body = server.truncated[name]
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body) + 1000))
                    self.end_headers()
                    self.wfile.write(body)
                    self.close_connection = True
                else:
                    self.send_error(404, "Not Found")

            def log_message(self, *args):  # keep test output clean
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    def count(self, name):
        return self.requests.count(name)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/"


def forbid_network(monkeypatch):
    """Makes any name lookup or connection other than loopback fail loudly."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise AssertionError(f"test tried to resolve {host!r}: no real network in tests")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            raise AssertionError(f"test tried to connect to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
