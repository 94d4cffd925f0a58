"""Edges around the rules of issue 3: request forms, versions, methods, targets kept byte-exact, deep pipelining,
upgrades the backend declines, bytes sent before the 101, and tunnels closed from either side.
"""
import os
import shutil
import subprocess
import threading

import pytest

from backend_server import ws_frame
from conftest import binary_path
from proxy_support import (RawClient, bad_request, exchange, field_names, field_values, read_ws_frame,
                           ws_handshake)


def start(gateway_factory, backend, *extra):
    return gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1"] + list(extra))


def test_h1_h1_targetForwardedByteExactly(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    target = b"/a/../b/./c%2Fd%20e?q=%ZZ&x=1;y=2&&z"
    resp, client = exchange(gw.port, b"GET " + target + b" HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert resp.status == 200
    assert backend.requests()[0]["target"] == target.decode()


def test_h1_h1_unknownMethod_forwarded(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"PURGE /cache HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert resp.status == 200
    assert backend.requests()[0]["method"] == "PURGE"


def test_h1_h1_optionsAsterisk_forwarded(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert resp.status == 200
    assert backend.requests()[0]["head"].startswith("OPTIONS * HTTP/1.1\r\n")


def test_h1_h1_asteriskWithGet_400AndClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    answer = bad_request(gw.port, b"GET * HTTP/1.1\r\nHost: a\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert backend.requests() == []


def test_h1_h1_connect_405(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    client.close()
    assert resp.status == 405
    assert backend.requests() == []


def test_h1_h1_http20RequestLine_505(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    answer = bad_request(gw.port, b"GET / HTTP/2.0\r\nHost: a\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 505 "), answer


def test_h1_h1_malformedVersion_400(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    answer = bad_request(gw.port, b"GET / HTTP/1.1x\r\nHost: a\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 "), answer


def test_h1_h1_xForwardedForOnSeveralLines_combinedThenAppended(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    raw = b"GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-For: 10.0.0.2, 10.0.0.3\r\n\r\n"
    resp, client = exchange(gw.port, raw)
    client.close()
    assert field_values(backend.requests()[0], "x-forwarded-for") == ["10.0.0.1, 10.0.0.2, 10.0.0.3, 127.0.0.1"]


def test_h1_h1_absoluteForm_xForwardedHostIsTargetAuthority(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET http://app.example/x HTTP/1.1\r\nHost: other.example\r\n\r\n")
    client.close()
    assert field_values(backend.requests()[0], "x-forwarded-host") == ["app.example"]


def test_h1_h1_deepPipeline_over64KiBHeld_answeredInOrder(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    count = 1500
    client = RawClient(gw.port, timeout=30)
    data = b"".join(b"GET /deep/%d HTTP/1.1\r\nHost: a\r\nX-Pad: %s\r\n\r\n" % (i, b"p" * 40) for i in range(count))
    assert len(data) > 64 * 1024

    sender = threading.Thread(target=client.send, args=(data,))
    sender.start()
    for i in range(count):
        resp = client.read_response()
        assert resp.body == b"backend GET /deep/%d\n" % i
    sender.join()
    client.close()


def test_h1_h1_pipelinedAfterLocal404_answeredInOrder(gateway_factory, backend_factory, tmp_path):
    only = backend_factory("only")
    config = tmp_path / "gw.yaml"
    config.write_text(f"routes:\n  - prefix: /api/\n    upstream: {only.url}\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--workers", "1", "--config", str(config)])
    client = RawClient(gw.port)
    client.send(b"GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\nGET /api/x HTTP/1.1\r\nHost: a\r\n\r\n"
                b"GET /nowhere2 HTTP/1.1\r\nHost: a\r\n\r\n")
    statuses = [client.read_response().status for _ in range(3)]
    client.close()
    assert statuses == [404, 200, 404]


def test_h1_h1_pipelinedAfterPostBody_answeredInOrder(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\ndef"
                b"GET /last HTTP/1.1\r\nHost: a\r\n\r\n")
    bodies = [client.read_response().body for _ in range(3)]
    client.close()
    assert bodies == [b"abc", b"def", b"backend GET /last\n"]


def test_h1_h1_pipelinedAfterConnectionClose_notProcessed(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /one HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    assert resp.body == b"backend GET /one\n"
    assert client.is_closed_by_peer()
    client.close()
    assert [r["target"] for r in backend.requests()] == ["/one"]


def test_h1_h1_upgradeDeclinedByBackend_connectionContinuesAsHTTP(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /status/426 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    resp = client.read_response()
    assert resp.status == 426
    client.send(b"GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    assert client.read_response().body == b"backend GET /after\n"
    client.close()


def test_h1_h1_websocketBytesSentBeforeThe101_relayedAfterIt(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                + ws_frame(0x1, b"early", mask=True))
    _, status, _, _ = client.read_head()
    assert status == 101
    assert read_ws_frame(client) == (0x1, b"early")
    client.close()


def test_h1_h1_websocketClientCloses_backendSeesClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client, status, _, _ = ws_handshake(gw.port)
    assert status == 101
    client.send(ws_frame(0x1, b"x", mask=True))
    assert read_ws_frame(client) == (0x1, b"x")
    client.close()
    [req] = backend.requests()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset"), timeout=5)


def test_h1_h1_websocketBackendCloses_clientSeesClose(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client, status, _, _ = ws_handshake(gw.port)
    assert status == 101
    client.send(ws_frame(0x8, b"\x03\xe8", mask=True))
    assert read_ws_frame(client)[0] == 0x8
    assert client.is_closed_by_peer(wait=5)
    client.close()


def test_h1_h1_twoWorkers_serveRequests(gateway_factory, backend):
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "2"])
    for i in range(20):
        resp, client = exchange(gw.port, b"GET /w%d HTTP/1.1\r\nHost: a\r\n\r\n" % i)
        client.close()
        assert resp.body == b"backend GET /w%d\n" % i


def test_h1_h1_requestBodyOnGet_forwarded(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    payload = os.urandom(1000)
    resp, client = exchange(gw.port, b"GET /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + payload)
    client.close()
    assert resp.body == payload
    assert field_values(backend.requests()[0], "content-length") == ["1000"]
    assert "transfer-encoding" not in field_names(backend.requests()[0])


def test_h1_h1_transferEncodingChunkedAnyCase_accepted(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n"
                                     b"3\r\nabc\r\n0\r\n\r\n")
    client.close()
    assert resp.status == 200 and resp.body == b"abc"


def test_h1_h1_upgradeAllowlist_isConfigurable(gateway_factory, backend, tmp_path):
    config = tmp_path / "gw.yaml"
    config.write_text("limits:\n  upgrade_allowlist: websocket, x-echo\n")
    gw = start(gateway_factory, backend, "--config", str(config))
    client = RawClient(gw.port)
    client.send(b"GET /upgrade-echo HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n")
    _, status, _, headers = client.read_head()
    assert status == 101 and dict((k.lower(), v) for k, v in headers)["upgrade"] == "x-echo"
    client.send(b"raw bytes both ways")
    assert client._exact(19) == b"raw bytes both ways"
    client.close()


def test_h1_h1_upgradeAllowlistWithH2c_refusedAtStartup(tmp_path):
    from conftest import run_tracegw

    config = tmp_path / "gw.yaml"
    config.write_text("limits:\n  upgrade_allowlist: websocket, h2c\n")
    result = run_tracegw(["--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9", "--config", str(config)])
    assert result.returncode == 2
    assert "upgrade_allowlist" in result.stderr


def test_h1_h1_status304WithContentLength_hasNoBody(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /status/304?cl=100 HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    after = client.read_response()
    client.close()
    assert resp.status == 304 and resp.header("content-length") == "100"
    assert after.body == b"backend GET /after\n"


def test_h1_h1_backendConnectionClose_clientConnectionStaysOpen(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /status/200?close=1 HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    assert resp.status == 200 and resp.header("connection") is None
    client.send(b"GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    assert client.read_response().body == b"backend GET /after\n"
    client.close()
    reqs = backend.requests()
    assert reqs[0]["conn"] != reqs[1]["conn"]
    assert "retrying" not in gw.stderr(), "a backend connection announced as closing was reused"


def test_h1_h1_clientConnectionClose_backendConnectionStillPooled(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    for i in range(2):
        resp, client = exchange(gw.port, b"GET /c%d HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" % i)
        assert client.is_closed_by_peer()
        client.close()
    reqs = backend.requests()
    assert reqs[0]["conn"] == reqs[1]["conn"], "Connection: close is hop-by-hop; the backend hop stays pooled"


def test_h1_h1_backendResponseWithContentLengthAndChunked_contentLengthRemoved(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /cl-and-te HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    assert resp.status == 200 and resp.body == b"hello world"
    # RFC 9112 §6.3 item 3: an intermediary must not forward the Content-Length of a chunked message.
    assert resp.header("content-length") is None, resp.headers
    client.send(b"GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    assert client.read_response().body == b"backend GET /after\n"
    client.close()


def test_h1_h1_backendResponseWithDuplicateContentLength_forwardedOnce(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /duplicate-cl HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert resp.body == b"hello"
    assert [v for k, v in resp.headers if k.lower() == "content-length"] == ["5"]


def test_h1_h1_backendResponseHeadTooLarge_502(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /huge-header HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert resp.status == 502


def test_h1_h1_websocketLargeMessages_relayedWithBackpressure(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client, status, _, _ = ws_handshake(gw.port)
    assert status == 101
    message = os.urandom(8 * 1024 * 1024)
    sender = threading.Thread(target=client.send, args=(ws_frame(0x2, message, mask=True),))
    sender.start()
    opcode, payload = read_ws_frame(client)
    sender.join()
    client.close()
    assert opcode == 0x2 and payload == message


def test_h1_h1_connectionNamingContentLength_bodyStillFramedForBackend(gateway_factory, backend):
    # Hop-by-hop removal must never strip the framing of a forwarded body: that would smuggle the body to the backend
    # as the next request.
    gw = start(gateway_factory, backend)
    body = b"GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
    raw = (b"POST /echo HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body == body
    reqs = backend.requests()
    assert [r["target"] for r in reqs] == ["/echo"]
    assert field_values(reqs[0], "content-length") == [str(len(body))]


def test_h1_h1_connectionNamingTransferEncoding_bodyStillFramedForBackend(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    raw = (b"POST /echo HTTP/1.1\r\nHost: a\r\nConnection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"5\r\nhello\r\n0\r\n\r\n")
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body == b"hello"
    assert field_values(backend.requests()[0], "transfer-encoding") == ["chunked"]


def test_h1_h1_responseConnectionNamingContentLength_bodyStillFramedForClient(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /connection-names-length HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    after = client.read_response()
    client.close()
    assert resp.body == b"hello" and resp.header("content-length") == "5"
    assert after.body == b"backend GET /after\n"


def test_h1_h1_chunkedResponseTrailersToHTTP10Client_droppedBodyIntact(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /chunked HTTP/1.0\r\n\r\n")
    client.close()
    assert resp.body == b"hello chunked world" and b"X-Checksum" not in resp.body


def listening_sockets(port):
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                for line in f.readlines()[1:]:
                    parts = line.split()
                    if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        count += 1
        except OSError:
            pass
    return count


def start_pinned(cpus, backend):
    """tracegw without --workers under `taskset -c cpus`; returns (process, port)."""
    env = dict(os.environ)
    env.setdefault("LSAN_OPTIONS", f"suppressions={os.path.join(os.path.dirname(__file__), 'lsan.supp')}")
    proc = subprocess.Popen(["taskset", "-c", ",".join(map(str, cpus)), binary_path(), "--listen", "127.0.0.1:0",
                             "--upstream", backend.url], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
    line = b""
    while b"listening on " not in line:
        line = proc.stderr.readline()
        assert line, "tracegw exited before listening"
    return proc, int(line.rsplit(b":", 1)[1])


@pytest.mark.skipif(shutil.which("taskset") is None, reason="taskset is not installed")
def test_h1_h1_workersDefault_followsAffinityMask(backend):
    cpus = sorted(os.sched_getaffinity(0))
    for mask in ([cpus[0]], cpus):
        proc, port = start_pinned(mask, backend)
        try:
            # One SO_REUSEPORT listener per worker.
            assert listening_sockets(port) == len(mask)
        finally:
            proc.terminate()
            assert proc.wait(timeout=15) == 0
            proc.stderr.close()


def test_h1_h1_backendRejectsBeforeReadingBody_clientGetsResponse(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port, timeout=15)
    client.send(b"POST /early-reject HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n" % (4 * 1024 * 1024))
    try:
        for _ in range(16):
            client.send(b"e" * (256 * 1024))
    except (BrokenPipeError, ConnectionResetError):
        pass
    resp = client.read_response()
    client.close()
    assert resp.status == 403 and resp.body == b"rejected early\n"
    # When the response head arrives before the whole body was relayed, the gateway must close ("Connection: close");
    # on a fast loopback the body may already be complete, and then keeping the connection is correct too.
    assert resp.header("connection") in ("close", None)
