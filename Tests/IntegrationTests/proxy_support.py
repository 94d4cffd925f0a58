"""Helpers for the proxy integration tests: the recording backend process, raw-socket HTTP/1.1 clients, config files.

Everything talks to 127.0.0.1 only. Raw sockets are used wherever bytes matter (malformed requests, pipelining,
exact framing); curl is used for ordinary requests.
"""
import base64
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _binary_is_sanitized():
    """Whether tracegw was built with a sanitizer: TRACEGW_SANITIZER is set, or the binary carries its runtime."""
    if os.environ.get("TRACEGW_SANITIZER"):
        return True
    try:
        from conftest import binary_path

        with open(binary_path(), "rb") as f:
            data = f.read()
        return b"__tsan_init" in data or b"__asan_init" in data
    except (OSError, subprocess.SubprocessError):
        return False


SANITIZED = _binary_is_sanitized()


class Backend:
    """A running backend_server.py process and its control channel (never proxied)."""

    def __init__(self, name="backend"):
        self.name = name
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "backend_server.py"), "--name", name],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"backend did not start: {self.proc.stderr.read().decode()}")
        ports = json.loads(line)
        self.port = ports["port"]
        self.control = ports["control"]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _snapshot(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.control, timeout=10)
        try:
            conn.request("GET", "/state")
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def requests(self):
        return self._snapshot()["requests"]

    def events(self):
        return self._snapshot()["events"]

    def wait_requests(self, count, timeout=10, complete=False):
        """Waits until at least `count` requests were received (fully, when `complete`)."""
        deadline = time.time() + timeout
        while True:
            reqs = self.requests()
            if len([r for r in reqs if r["complete"] or not complete]) >= count:
                return reqs
            if time.time() > deadline:
                raise AssertionError(f"backend {self.name} saw {len(reqs)} requests, expected {count}: {reqs}")
            time.sleep(0.02)

    def wait_event(self, predicate, timeout=10):
        deadline = time.time() + timeout
        while True:
            events = self.events()
            found = [e for e in events if predicate(e)]
            if found:
                return found
            if time.time() > deadline:
                raise AssertionError(f"backend {self.name}: no matching event in {events}")
            time.sleep(0.02)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def field_values(record, name):
    """The values of every field `name` (case-insensitive) in a recorded request, in order."""
    return [v for k, v in record["headers"] if k.lower() == name.lower()]


def field_names(record):
    return [k.lower() for k, _ in record["headers"]]


class Response:
    def __init__(self, version, status, reason, headers, body, trailers, interim):
        self.version = version
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.interim = interim
        self.chunked = False

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_names(self):
        return [k.lower() for k, _ in self.headers]

    def __repr__(self):
        return f"<Response {self.status} {self.headers} body={self.body[:200]!r}>"


class RawClient:
    """A raw TCP client with a buffered reader that parses HTTP/1.1 responses byte-exactly."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        self.sock.close()

    def _fill(self):
        data = self.sock.recv(256 * 1024)
        if not data:
            self.eof = True
            raise EOFError("connection closed")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[: i + 2]
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read_head(self):
        status_line = self._line()
        version, status, reason = (status_line.decode("latin-1").split(" ", 2) + [""])[:3]
        headers = []
        while True:
            line = self._line()
            if not line:
                break
            name, _, value = line.partition(b":")
            headers.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
        return version, int(status), reason, headers

    def read_response(self, method="GET", count_only=False):
        """Reads one final response (collecting 1xx interim heads); `count_only` counts body bytes instead."""
        interim = []
        while True:
            version, status, reason, headers = self.read_head()
            if 100 <= status < 200 and status != 101:
                interim.append((status, headers))
                continue
            break
        resp = Response(version, status, reason, headers, b"", [], interim)
        te = resp.header("transfer-encoding")
        cl = resp.header("content-length")
        if method == "HEAD" or status in (101, 204, 304):
            return resp
        if te is not None:
            resp.chunked = True
            body = bytearray()
            while True:
                size_line = self._line()
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    break
                body += self._exact(size)
                self._exact(2)
            while True:
                line = self._line()
                if not line:
                    break
                name, _, value = line.partition(b":")
                resp.trailers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
            resp.body = bytes(body)
        elif cl is not None:
            n = int(cl)
            if count_only:
                resp.body = self.count(n)
            else:
                resp.body = self._exact(n)
        else:
            resp.body = self.read_until_close()
        return resp

    def count(self, n):
        got = min(n, len(self.buf))
        del self.buf[:got]
        while got < n:
            data = self.sock.recv(min(1 << 20, n - got))
            if not data:
                raise EOFError(f"closed after {got} of {n} bytes")
            got += len(data)
        return got

    def read_until_close(self):
        """Everything until the server closes (raises socket.timeout if it never does)."""
        out = bytearray(self.buf)
        self.buf.clear()
        while True:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            out += data
        self.eof = True
        return bytes(out)

    def is_closed_by_peer(self, wait=3.0):
        """Whether the server closes the connection within `wait` seconds (no further bytes expected)."""
        if self.eof:
            return True
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        if data:
            self.buf += data
            return False
        self.eof = True
        return True


def exchange(port, request_bytes, method="GET", timeout=10):
    """Sends raw bytes on a fresh connection and reads one response; returns (response, client)."""
    client = RawClient(port, timeout=timeout)
    client.send(request_bytes)
    return client.read_response(method), client


def bad_request(port, request_bytes, timeout=10):
    """Sends a malformed request; returns the raw answer bytes, read until the gateway closes."""
    client = RawClient(port, timeout=timeout)
    try:
        client.send(request_bytes)
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        return client.read_until_close()
    finally:
        client.close()


def curl(*args, timeout=20):
    """Runs curl (no proxy from the environment); returns the CompletedProcess with bytes output."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run(["curl", "-sS", "--max-time", str(timeout)] + list(args), capture_output=True,
                          timeout=timeout + 5, env=env)


def write_config(path, text):
    with open(path, "w") as f:
        f.write(text)
    return str(path)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class RSSMonitor:
    """Samples a process's VmRSS every 20 ms in a thread and keeps the maximum (KiB)."""

    def __init__(self, pid):
        self.pid = pid
        self.max_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.max_kib = max(self.max_kib, rss_kib(self.pid))
            except OSError:
                return
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def wait_until(predicate, timeout=10, interval=0.02, message="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def ws_handshake(port, path="/ws"):
    """Opens a WebSocket (RFC 6455 §4.1) on a fresh connection; returns (client, status, headers, expected accept)."""
    key = base64.b64encode(os.urandom(16)).decode()
    client = RawClient(port)
    client.send((f"GET {path} HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    version, status, _, headers = client.read_head()
    expected = base64.b64encode(hashlib.sha1(key.encode() + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()).decode()
    return client, status, dict((k.lower(), v) for k, v in headers), expected


def read_ws_frame(client):
    """Reads one unmasked frame sent by the server side; returns (opcode, payload)."""
    hdr = client._exact(2)
    n = hdr[1] & 0x7F
    if n == 126:
        n = int.from_bytes(client._exact(2), "big")
    elif n == 127:
        n = int.from_bytes(client._exact(8), "big")
    return hdr[0] & 0x0F, client._exact(n)


class IdleWebSocketProbe:
    """A WebSocket through its own gateway and backend left idle for `idle_seconds` in a thread, then echo-checked.

    Started when the test session begins (see conftest.py) so the 70 s wait overlaps the rest of the suite.
    """

    def __init__(self, gateway_class, config_dir, idle_seconds=70, tunnel_idle_timeout="75s"):
        from backend_server import ws_frame

        self.ws_frame = ws_frame
        self.idle_seconds = idle_seconds
        self.backend = Backend("ws-idle")
        config = write_config(os.path.join(config_dir, "ws-idle.yaml"),
                              f"limits:\n  tunnel_idle_timeout: {tunnel_idle_timeout}\n")
        self.gateway = gateway_class(["--listen", "127.0.0.1:0", "--upstream", self.backend.url, "--workers", "1",
                                      "--config", config])
        self.client, self.status, _, _ = ws_handshake(self.gateway.port)
        self.client.sock.settimeout(idle_seconds + 30)
        self.started = time.time()
        self.outcome = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            time.sleep(self.idle_seconds)
            if self.client.is_closed_by_peer(wait=0.1):
                self.outcome = f"closed by the gateway while idle (after {time.time() - self.started:.1f}s)"
                return
            self.client.sock.settimeout(10)
            self.client.send(self.ws_frame(0x1, b"still here", mask=True))
            opcode, payload = read_ws_frame(self.client)
            self.outcome = "ok" if (opcode, payload) == (0x1, b"still here") else f"bad echo {opcode} {payload!r}"
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.outcome = f"failed after {time.time() - self.started:.1f}s: {e!r}"

    def result(self):
        self.thread.join(timeout=self.idle_seconds + 60)
        return self.outcome, time.time() - self.started

    def stop(self):
        try:
            self.client.close()
        except OSError:
            pass
        self.gateway.stop()
        self.backend.stop()


def wait_log(gateway, text, timeout=5):
    """Whether `text` appears in the gateway's stderr within `timeout` (its reader thread runs behind the process)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in gateway.stderr():
            return True
        time.sleep(0.02)
    return False
