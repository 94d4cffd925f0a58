"""Shared fixtures for integration tests: the real tracegw binary, real backends and clients on 127.0.0.1 only."""
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)


def binary_path():
    path = os.environ.get("TRACEGW_BINARY")
    if path:
        return path
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True)
    return os.path.join(out.stdout.strip(), "tracegw")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """A running tracegw process; stdout (spans) and stderr (logs) are collected by reader threads."""

    def __init__(self, args, env=None, wait_listening=True):
        self.args = [binary_path()] + list(args)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        # Under --sanitize=address: see lsan.supp (Swift weak side tables alive at exit look leaked).
        full_env.setdefault("LSAN_OPTIONS", f"suppressions={os.path.join(HERE, 'lsan.supp')}")
        full_env.update(env or {})
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
        self.stdout_lines = []
        self.stderr_lines = []
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.stdout_lines), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr_lines), daemon=True),
        ]
        for t in self._threads:
            t.start()
        self.port = None
        if wait_listening:
            self.port = self.wait_for_listening()

    def _pump(self, stream, sink):
        for line in iter(stream.readline, b""):
            with self._lock:
                sink.append(line.decode("utf-8", "replace").rstrip("\n"))

    def wait_for_listening(self, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                for line in self.stderr_lines:
                    if "listening on " in line:
                        return int(line.rsplit(":", 1)[1].split()[0])
            if self.proc.poll() is not None:
                raise AssertionError(f"tracegw exited with {self.proc.returncode}: {self.stderr()}")
            time.sleep(0.02)
        raise AssertionError(f"tracegw did not report listening: {self.stderr()}")

    def stdout(self):
        with self._lock:
            return list(self.stdout_lines)

    def stderr(self):
        with self._lock:
            return "\n".join(self.stderr_lines)

    def wait_stdout_lines(self, count, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            lines = self.stdout()
            if len(lines) >= count:
                return lines
            time.sleep(0.02)
        raise AssertionError(f"expected {count} stdout lines, got {len(self.stdout())}; stderr: {self.stderr()}")

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self, sig=None, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig or 15)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self._threads:
            t.join(timeout=5)
        return self.proc.returncode


@pytest.fixture
def gateway_factory():
    started = []

    def start(args, env=None, wait_listening=True):
        g = Gateway(args, env=env, wait_listening=wait_listening)
        started.append(g)
        return g

    yield start
    for g in started:
        g.stop()
    # A sanitizer build reports races and memory errors on stderr without failing the process: fail the test.
    for g in started:
        for marker in ("WARNING: ThreadSanitizer", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "Fatal error",
                       "Program crashed"):
            if marker in g.stderr():
                pytest.fail(f"tracegw stderr contains {marker!r}:\n{g.stderr()[-4000:]}")


def run_tracegw(args, env=None, timeout=30):
    """Runs tracegw to completion (e.g. --print-config) and returns the CompletedProcess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    full_env.update(env or {})
    return subprocess.run([binary_path()] + list(args), capture_output=True, text=True, env=full_env, timeout=timeout)


@pytest.fixture
def backend_factory():
    """Starts recording backends (backend_server.py processes); all are killed after the test."""
    from proxy_support import Backend

    started = []

    def start(name="backend"):
        b = Backend(name)
        started.append(b)
        return b

    yield start
    for b in started:
        b.stop()


@pytest.fixture
def backend(backend_factory):
    """One recording backend named `backend`."""
    return backend_factory("backend")


IDLE_PROBE_TEST = "test_h1_h1_websocketIdle70s_staysOpen"


def pytest_collection_finish(session):
    """Starts the 70 s idle WebSocket early when its test is selected, so the wait overlaps the other tests."""
    if any(item.name == IDLE_PROBE_TEST for item in session.items):
        import tempfile

        from proxy_support import IdleWebSocketProbe

        session.config._ws_idle_dir = tempfile.TemporaryDirectory()
        session.config._ws_idle_probe = IdleWebSocketProbe(Gateway, session.config._ws_idle_dir.name)


def pytest_sessionfinish(session):
    probe = getattr(session.config, "_ws_idle_probe", None)
    if probe is not None:
        probe.stop()
        session.config._ws_idle_dir.cleanup()


@pytest.fixture
def websocket_idle_probe(request):
    """The idle WebSocket started at collection time (see pytest_collection_finish)."""
    probe = getattr(request.config, "_ws_idle_probe", None)
    if probe is None:
        pytest.skip("the idle probe starts only when its test is collected")
    return probe
