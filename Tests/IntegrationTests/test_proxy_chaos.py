"""Issue 3 §4 "none crashes or stalls the process": many clients misbehaving at once, in every phase of an exchange.

Clients reset or close mid-upload, mid-download, mid-tunnel, while the backend hangs or resets, with pipelined
requests left unread and garbage bytes; afterwards the gateway must still answer. Seeded, so a failure replays; bounded
to a few seconds. Most useful against sanitizer builds (conftest fails the test on any sanitizer report).
"""
import random
import socket
import struct
import threading
import time

from backend_server import ws_frame
from proxy_support import RawClient, exchange, ws_handshake

DURATION = 3.0


def reset(client):
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def download_then_reset(port, rng):
    c = RawClient(port)
    c.send(b"GET /stream/%d HTTP/1.1\r\nHost: a\r\n\r\n" % (20 * 1024 * 1024))
    c.read_head()
    c.count(rng.randint(1, 2 * 1024 * 1024))
    reset(c)


def upload_then_close(port, rng):
    c = RawClient(port)
    c.send(b"POST /consume HTTP/1.1\r\nHost: a\r\nContent-Length: 4000000\r\n\r\n")
    c.send(b"u" * rng.randint(0, 1_000_000))
    (reset if rng.random() < 0.5 else RawClient.close)(c)


def hang_then_close(port, rng):
    c = RawClient(port)
    c.send(b"GET /hang HTTP/1.1\r\nHost: a\r\n\r\n")
    time.sleep(rng.random() * 0.1)
    (reset if rng.random() < 0.5 else RawClient.close)(c)


def websocket_then_reset(port, rng):
    c, status, _, _ = ws_handshake(port, "/ws?ping=0.05")
    if status == 101:
        c.send(ws_frame(0x2, b"w" * rng.randint(0, 200_000), mask=True))
        time.sleep(rng.random() * 0.05)
    reset(c)


def pipeline_unread(port, rng):
    c = RawClient(port)
    c.send(b"".join(b"GET /stream/%d HTTP/1.1\r\nHost: a\r\n\r\n" % rng.randint(0, 300_000) for _ in range(5)))
    time.sleep(rng.random() * 0.05)
    (reset if rng.random() < 0.5 else RawClient.close)(c)


def garbage(port, rng):
    c = RawClient(port)
    c.send(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 3000))))
    (reset if rng.random() < 0.5 else RawClient.close)(c)


def backend_resets(port, rng):
    c = RawClient(port)
    c.send(b"GET /%s HTTP/1.1\r\nHost: a\r\n\r\n" % rng.choice([b"reset-mid", b"reset-before", b"close-delimited"]))
    try:
        c.read_response()
    except (EOFError, ConnectionResetError):
        pass
    c.close()


def ordinary(port, rng):
    resp, c = exchange(port, b"GET /slow/%d HTTP/1.1\r\nHost: a\r\n\r\n" % rng.randint(0, 50))
    assert resp.status == 200
    c.close()


ACTIONS = [download_then_reset, upload_then_close, hang_then_close, websocket_then_reset, pipeline_unread, garbage,
           backend_resets, ordinary]


def run_clients(port, actions, seconds, threads=12):
    """Runs `threads` seeded clients, each picking actions at random for `seconds`; returns the assertion failures."""
    errors = []
    deadline = time.time() + seconds

    def run(seed):
        rng = random.Random(seed)
        while time.time() < deadline:
            action = rng.choice(actions)
            try:
                action(port, rng)
            except (OSError, EOFError):
                pass  # the client side of misbehaviour: resets and timeouts are expected
            except AssertionError as e:
                errors.append(f"{action.__name__}: {e}")

    workers = [threading.Thread(target=run, args=(seed,)) for seed in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=60)
    return errors


def test_h1_h1_manyMisbehavingClients_gatewaySurvivesAndServes(gateway_factory, backend, tmp_path):
    config = tmp_path / "gw.yaml"
    config.write_text("limits:\n  response_timeout: 2s\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "2",
                          "--config", str(config)])
    errors = run_clients(gw.port, ACTIONS, DURATION)
    assert gw.proc.poll() is None, gw.stderr()[-3000:]
    assert not errors, errors[:5]
    for i in range(5):
        resp, c = exchange(gw.port, b"GET /after-chaos HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        c.close()
        assert resp.status == 200 and resp.body == b"backend GET /after-chaos\n"


def timed_ordinary(port, rng):
    started = time.time()
    try:
        resp, c = exchange(port, b"GET /stream/%d HTTP/1.1\r\nHost: a\r\n\r\n" % rng.randint(0, 4000), timeout=3)
    except (OSError, EOFError) as e:  # a stalled response times out: a failure here, not client misbehaviour
        raise AssertionError(f"no response after {time.time() - started:.1f} s: {e!r}")
    c.close()
    assert resp.status == 200, f"status {resp.status}"
    assert time.time() - started < 1.5, f"took {time.time() - started:.1f} s"


def test_h1_h1_clientsNotReadingPipelinedResponses_pooledBackendConnectionsKeepServing(gateway_factory, backend):
    """A client that stops reading makes its exchange pause the backend's reads, sometimes just before the response's
    last bytes, which still complete the response: the connection must not go back to the pool paused, or the next
    request sent on it waits for its response forever (seen as ordinary requests stalling until a timeout)."""
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1"])
    errors = run_clients(gw.port, [pipeline_unread, timed_ordinary], DURATION)
    assert gw.proc.poll() is None, gw.stderr()[-3000:]
    assert not errors, errors[:5]
