"""Issue 3 §4: backend failures, timeouts, retries, cancellation and connection limits, with real processes.

After every failure the gateway must still be alive and serving (no crash, no stall) and must have logged it.
"""
import socket
import time

from conftest import free_port
from proxy_support import RawClient, bad_request, curl, exchange, wait_log, write_config


def start(gateway_factory, upstream, config=None, workers=1):
    args = ["--listen", "127.0.0.1:0", "--upstream", upstream, "--workers", str(workers)]
    if config:
        args += ["--config", config]
    return gateway_factory(args)


def assert_still_serving(gw, backend):
    assert gw.proc.poll() is None, f"gateway exited: {gw.stderr()}"
    resp, client = exchange(gw.port, b"GET /alive HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", timeout=10)
    client.close()
    assert resp.status == 200 and resp.body == f"{backend.name} GET /alive\n".encode()


def get(path, extra=b""):
    return b"GET " + path + b" HTTP/1.1\r\nHost: a\r\n" + extra + b"\r\n"


# ---- 502 ------------------------------------------------------------------------------------------------------------

def test_h1_h1_backendRefused_502(gateway_factory):
    gw = start(gateway_factory, f"http://127.0.0.1:{free_port()}")
    resp, client = exchange(gw.port, get(b"/x"))
    assert resp.status == 502
    # The request was complete, so the client connection stays usable.
    client.send(get(b"/y"))
    assert client.read_response().status == 502
    client.close()
    assert gw.proc.poll() is None
    assert wait_log(gw, "cannot connect to backend"), gw.stderr()


def test_h1_h1_backendResetBeforeResponse_502(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    resp, client = exchange(gw.port, get(b"/reset-before"))
    client.close()
    assert resp.status == 502
    # GET is idempotent: one retry on a fresh connection, never more.
    assert len(backend.requests()) == 2
    assert wait_log(gw, " error "), gw.stderr()  # one error line: reset or closed before the response
    assert_still_serving(gw, backend)


def test_h1_h1_backendResetBeforeResponseToPost_502NotRetried(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    resp, client = exchange(gw.port, b"POST /reset-before HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
    client.close()
    assert resp.status == 502
    assert len(backend.requests()) == 1
    assert_still_serving(gw, backend)


def test_h1_h1_backendResetMidBody_clientConnectionClosed(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    client.send(get(b"/reset-mid"))
    version, status, _, headers = client.read_head()
    assert status == 200
    rest = client.read_until_close()
    client.close()
    assert len(rest) < 100000, "the body cannot be complete after a reset"
    assert len(backend.requests()) == 1, "a response already started must not be retried"
    assert_still_serving(gw, backend)


def test_h1_h1_backendInvalidResponse_502(gateway_factory):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    gw = start(gateway_factory, f"http://127.0.0.1:{port}")
    client = RawClient(gw.port)
    client.send(get(b"/garbage"))
    listener.settimeout(5)
    conn, _ = listener.accept()
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")
    resp = client.read_response()
    client.close()
    conn.close()
    # Bytes of a response arrived, so even a GET is not retried.
    listener.settimeout(0.3)
    try:
        listener.accept()
        retried = True
    except socket.timeout:
        retried = False
    listener.close()
    assert resp.status == 502
    assert not retried
    assert wait_log(gw, "invalid response from backend"), gw.stderr()


# ---- 504 ------------------------------------------------------------------------------------------------------------

def test_h1_h1_responseTimeoutFromLimits_504(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  response_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    resp, client = exchange(gw.port, get(b"/hang"), timeout=15)
    client.close()
    assert resp.status == 504
    assert wait_log(gw, "response_timeout"), gw.stderr()
    # The timed-out backend request is abandoned: the backend sees its connection closed.
    backend.wait_event(lambda e: e["event"] == "peer_closed", timeout=5)
    assert_still_serving(gw, backend)


def test_h1_h1_responseTimeoutPerRoute_504(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", f"""
routes:
  - prefix: /hang
    upstream: {backend.url}
    response_timeout: 1s
""")
    gw = start(gateway_factory, backend.url, config)
    resp, client = exchange(gw.port, get(b"/hang"), timeout=15)
    client.close()
    assert resp.status == 504


def test_h1_h1_slowResponseWithinTimeout_isDelivered(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  response_timeout: 2s\n")
    gw = start(gateway_factory, backend.url, config)
    resp, client = exchange(gw.port, get(b"/slow/500"))
    client.close()
    assert resp.status == 200 and resp.body == b"slow done\n"


# ---- retries --------------------------------------------------------------------------------------------------------

def test_h1_h1_idempotentRequest_retriedOnceAfterBackendClosedKeepAlive(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    client.send(get(b"/close-after"))
    assert client.read_response().body == b"first\n"
    client.send(get(b"/again"))
    resp = client.read_response()
    client.close()
    assert resp.status == 200 and resp.body == b"backend GET /again\n"
    reqs = backend.requests()
    assert [r["target"] for r in reqs] == ["/close-after", "/again", "/again"]
    assert reqs[1].get("dropped") and reqs[1]["conn"] == reqs[0]["conn"]
    assert reqs[2]["conn"] != reqs[1]["conn"], "the retry must use a fresh connection"


def test_h1_h1_postNotRetried_afterBytesReachedBackend(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    client.send(get(b"/close-after"))
    assert client.read_response().body == b"first\n"
    client.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\ndata")
    resp = client.read_response()
    client.close()
    assert resp.status == 502
    assert [r["target"] for r in backend.requests()] == ["/close-after", "/echo"]


# ---- cancellation ---------------------------------------------------------------------------------------------------

def test_h1_h1_clientDisconnect_cancelsBackendRequest(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    client.send(get(b"/hang"))
    [req] = backend.wait_requests(1)
    client.close()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset"), timeout=5)
    assert_still_serving(gw, backend)


def test_h1_h1_clientDisconnectMidUpload_cancelsBackendRequest(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    client.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
    [req] = backend.wait_requests(1)
    client.close()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset"), timeout=5)
    assert_still_serving(gw, backend)


# ---- client-side timeouts and limits --------------------------------------------------------------------------------

def test_h1_h1_headerReadTimeout_408AndClose(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  header_read_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    answer = bad_request(gw.port, b"GET /slowloris HTTP/1.1\r\nHost: a\r\n", timeout=10)
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"Connection: close" in answer
    assert backend.requests() == []
    assert wait_log(gw, "header_read_timeout"), gw.stderr()


def test_h1_h1_headerReadTimeout_appliesToTricklingClient(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  header_read_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port, timeout=10)
    answer = b""
    start_time = time.time()
    try:
        for byte in b"GET /trickle HTTP/1.1\r\nHost: a\r\nX-Slow: " + b"z" * 40:
            client.send(bytes([byte]))
            time.sleep(0.1)
            if time.time() - start_time > 8:
                break
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        answer = client.read_until_close()
    except ConnectionResetError:
        pass
    client.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer


def test_h1_h1_keepAliveIdleTimeout_closesIdleConnection(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  keepalive_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port)
    client.send(get(b"/first"))
    assert client.read_response().status == 200
    assert client.is_closed_by_peer(wait=5)
    client.close()


def test_h1_h1_keepAliveWithinIdleTimeout_staysOpen(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  keepalive_timeout: 3s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port)
    client.send(get(b"/first"))
    assert client.read_response().status == 200
    assert not client.is_closed_by_peer(wait=0.5)
    client.send(get(b"/second"))
    assert client.read_response().status == 200
    client.close()


def test_h1_h1_maxConnections_extraConnectionWaitsUntilOneCloses(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  max_connections: 2\n")
    gw = start(gateway_factory, backend.url, config)
    first, second = RawClient(gw.port), RawClient(gw.port)
    for c in (first, second):
        c.send(get(b"/held"))
        assert c.read_response().status == 200
    third = RawClient(gw.port, timeout=1)
    third.send(get(b"/third"))
    try:
        third.sock.recv(1)
        served_early = True
    except socket.timeout:
        served_early = False
    assert not served_early, "a connection over max_connections was served"
    first.close()
    third.sock.settimeout(10)
    resp = third.read_response()
    assert resp.status == 200 and resp.body == b"backend GET /third\n"
    second.close()
    third.close()


def test_h1_h1_backendConnectTimeout_502(gateway_factory, tmp_path):
    # A listener that never accepts, with its backlog filled, leaves further connects pending.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    config = write_config(tmp_path / "gw.yaml", "limits:\n  backend_connect_timeout: 500ms\n")
    gw = start(gateway_factory, f"http://127.0.0.1:{port}", config)
    result = curl("-o", "/dev/null", "-w", "%{http_code}", gw.url("/x"), timeout=15)
    for s in fillers:
        s.close()
    listener.close()
    assert result.stdout in (b"502", b"504"), result


# ---- retries when nothing reached the backend ---------------------------------------------------------------------

def error_lines(gw, text):
    return [line for line in gw.stderr().splitlines() if " error " in line and text in line]


def test_h1_h1_refusedGet_retriedOnceThen502WithOneErrorLine(gateway_factory):
    gw = start(gateway_factory, f"http://127.0.0.1:{free_port()}")
    resp, client = exchange(gw.port, get(b"/x", b"Connection: close\r\n"))
    client.close()
    assert resp.status == 502
    assert wait_log(gw, "cannot connect to backend")
    time.sleep(0.1)
    assert gw.stderr().count("retrying request on a fresh backend connection") == 1
    assert len(error_lines(gw, "cannot connect to backend")) == 1


def test_h1_h1_postWithNothingSent_retriedWhenBackendNeverConnected(gateway_factory):
    gw = start(gateway_factory, f"http://127.0.0.1:{free_port()}")
    resp, client = exchange(gw.port, b"POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
    client.close()
    assert resp.status == 502
    assert wait_log(gw, "retrying request on a fresh backend connection")
    time.sleep(0.1)
    assert gw.stderr().count("retrying request on a fresh backend connection") == 1


# ---- backend pool ---------------------------------------------------------------------------------------------------

def test_h1_h1_backendPoolIdleTimeout_closesIdleBackendConnection(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  backend_idle_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port)
    client.send(get(b"/pooled"))
    assert client.read_response().status == 200
    [req] = backend.requests()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] == "peer_closed", timeout=5)
    # The client connection is unaffected and the next request opens a fresh backend connection.
    client.send(get(b"/next"))
    assert client.read_response().status == 200
    client.close()
    assert backend.requests()[1]["conn"] != req["conn"]


def test_h1_h1_backendMaxIdleConnectionsZero_closesAfterEachResponse(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  backend_max_idle_connections: 0\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port)
    for i in range(3):
        client.send(get(b"/n%d" % i))
        assert client.read_response().status == 200
    client.close()
    assert len({r["conn"] for r in backend.requests()}) == 3


def test_h1_h1_backendMaxConnections_extraRequest503(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  backend_max_connections: 1\n")
    gw = start(gateway_factory, backend.url, config)
    busy = RawClient(gw.port)
    busy.send(get(b"/slow/1000"))
    backend.wait_requests(1)
    resp, other = exchange(gw.port, get(b"/other"))
    other.close()
    assert resp.status == 503
    assert busy.read_response().body == b"slow done\n"
    busy.close()
    assert wait_log(gw, "backend connection limit reached"), gw.stderr()


# ---- stalled clients ------------------------------------------------------------------------------------------------

def test_h1_h1_clientBodyTimeout_408AndBackendCancelled(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  client_body_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port)
    client.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + b"x" * 10)
    answer = client.read_until_close()
    client.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    [req] = backend.requests()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset"), timeout=5)


def test_h1_h1_sendTimeout_closesClientThatStopsReading(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  send_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port, timeout=15)
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 * 1024)
    client.send(get(b"/stream/%d" % (200 * 1024 * 1024)))
    [req] = backend.wait_requests(1)
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset", "error"),
                       timeout=10)
    client.close()
    assert wait_log(gw, "send_timeout"), gw.stderr()
    assert_still_serving(gw, backend)


def test_h1_h1_backendStallsMidResponse_clientClosedAfterResponseTimeout(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  response_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port, timeout=15)
    client.send(get(b"/stall-mid"))
    _, status, _, _ = client.read_head()
    assert status == 200
    rest = client.read_until_close()
    client.close()
    assert len(rest) == 1000
    [req] = backend.requests()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] == "peer_closed", timeout=5)
    assert wait_log(gw, "stalled mid-response"), gw.stderr()


def test_h1_h1_backendHTTP10Response_connectionNotReused(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    for _ in range(2):
        client.send(get(b"/http10-response"))
        resp = client.read_response()
        assert resp.status == 200 and resp.body == b"old ok"
    client.close()
    reqs = backend.requests()
    assert len(reqs) == 2 and reqs[0]["conn"] != reqs[1]["conn"]
    assert "retrying" not in gw.stderr(), "a closed backend connection was reused"


def test_h1_h1_unsolicited101FromBackend_502(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    resp, client = exchange(gw.port, get(b"/unsolicited-101"))
    client.close()
    assert resp.status == 502
    assert_still_serving(gw, backend)


def test_h1_h1_clientDisconnectMidDownload_cancelsBackendResponse(gateway_factory, backend):
    gw = start(gateway_factory, backend.url)
    client = RawClient(gw.port)
    client.send(get(b"/stream/%d" % (500 * 1024 * 1024)))
    client.read_head()
    client.count(1024 * 1024)
    client.close()
    [req] = backend.requests()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset", "error"),
                       timeout=10)
    assert_still_serving(gw, backend)


def test_h1_h1_uploadLongerThanResponseTimeout_notCutOff(gateway_factory, backend, tmp_path):
    # response_timeout is the wait for the backend's answer (nginx's proxy_read_timeout), not a cap on how long a
    # client may take to upload a body that keeps flowing.
    config = write_config(tmp_path / "gw.yaml", "limits:\n  response_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port, timeout=15)
    client.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 25\r\n\r\n")
    for i in range(5):
        time.sleep(0.5)
        client.send(b"part%d" % i)
    resp = client.read_response()
    client.close()
    assert resp.status == 200 and resp.body == b"part0part1part2part3part4"


def test_h1_h1_slowReadingClient_notMistakenForStalledBackend(gateway_factory, backend, tmp_path):
    # A client that reads slowly pauses backend reads (backpressure); that is not the backend stalling.
    config = write_config(tmp_path / "gw.yaml", "limits:\n  response_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port, timeout=15)
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    size = 24 * 1024 * 1024
    client.send(get(b"/stream/%d" % size))
    client.read_head()
    got = 0
    pauses = 0
    while got < size:
        if pauses < 4:
            time.sleep(1.2)  # longer than response_timeout, shorter than send_timeout
            pauses += 1
        got += client.count(min(size - got, 256 * 1024))
    client.close()
    assert got == size
    assert "stalled mid-response" not in gw.stderr()


def test_h1_h1_uploadToSlowConsumingBackend_notMistakenForSlowClient(gateway_factory, backend, tmp_path):
    # While the backend is not taking the body the gateway stops reading the client (backpressure); the client is not
    # the one pausing, so client_body_timeout must not fire.
    config = write_config(tmp_path / "gw.yaml", "limits:\n  client_body_timeout: 1s\n")
    gw = start(gateway_factory, backend.url, config)
    client = RawClient(gw.port, timeout=30)
    size = 64 * 1024 * 1024
    client.send(b"POST /consume?delay=2500 HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n" % size)
    block = b"b" * (1024 * 1024)
    for _ in range(size // len(block)):
        client.send(block)
    resp = client.read_response()
    client.close()
    assert resp.status == 200 and resp.body == str(size).encode()
