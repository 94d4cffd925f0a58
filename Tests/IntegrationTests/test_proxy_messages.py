"""Issue 3 §2–§3: ordinary HTTP/1.1 messages through the gateway — pipelining, HTTP/1.0, keep-alive, Expect,
bodiless responses, close-delimited and chunked bodies with trailers, hop-by-hop and forwarding fields, upgrades.
"""
import os

from backend_server import ws_frame
from proxy_support import RawClient, curl, exchange, field_names, field_values, read_ws_frame, ws_handshake


def start(gateway_factory, backend, *extra):
    return gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1"] + list(extra))


# ---- ordinary requests with curl ----------------------------------------------------------------------------------

def test_h1_h1_curlGet_isProxied(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    result = curl("-i", gw.url("/hello?x=1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"HTTP/1.1 200 OK")
    assert result.stdout.endswith(b"backend GET /hello?x=1\n")


def test_h1_h1_curlPost_bodyForwardedByteExactly(gateway_factory, backend, tmp_path):
    gw = start(gateway_factory, backend)
    payload = os.urandom(300_000)
    path = tmp_path / "body.bin"
    path.write_bytes(payload)
    result = curl("--data-binary", f"@{path}", "-H", "Content-Type: application/octet-stream", gw.url("/echo"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == payload
    [req] = backend.requests()
    assert req["body_len"] == len(payload) and req["body"].encode("latin-1") == payload


# ---- pipelining, HTTP/1.0, keep-alive and close ---------------------------------------------------------------------

def test_h1_h1_pipelinedRequests_answeredInOrder(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /slow/300 HTTP/1.1\r\nHost: a\r\n\r\n"
                b"GET /status/201 HTTP/1.1\r\nHost: a\r\n\r\n"
                b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nping"
                b"GET /third HTTP/1.1\r\nHost: a\r\n\r\n")
    first = client.read_response()
    second = client.read_response()
    third = client.read_response()
    fourth = client.read_response()
    client.close()
    assert (first.status, first.body) == (200, b"slow done\n")
    assert second.status == 201
    assert (third.status, third.body) == (200, b"ping")
    assert (fourth.status, fourth.body) == (200, b"backend GET /third\n")
    assert [r["target"] for r in backend.requests()] == ["/slow/300", "/status/201", "/echo", "/third"]


def test_h1_h1_pipelinedRequestsSplitAcrossWrites_answeredInOrder(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    data = b"".join(b"GET /p%d HTTP/1.1\r\nHost: a\r\n\r\n" % i for i in range(10))
    for i in range(0, len(data), 7):
        client.send(data[i:i + 7])
    bodies = [client.read_response().body for _ in range(10)]
    client.close()
    assert bodies == [b"backend GET /p%d\n" % i for i in range(10)]


def test_h1_h1_http10_answeredAndClosed(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /old HTTP/1.0\r\n\r\n")
    assert resp.status == 200 and resp.body == b"backend GET /old\n"
    assert client.is_closed_by_peer()
    client.close()
    [req] = backend.requests()
    assert req["version"] == "HTTP/1.1"
    assert field_values(req, "host") == [f"127.0.0.1:{backend.port}"]


def test_h1_h1_http10KeepAlive_staysOpen(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    for i in range(2):
        client.send(b"GET /ka%d HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" % i)
        resp = client.read_response()
        assert resp.status == 200 and resp.body == b"backend GET /ka%d\n" % i
        assert resp.header("connection").lower() == "keep-alive"
    assert not client.is_closed_by_peer(wait=0.3)
    client.close()


def test_h1_h1_http10ClientOfChunkedBackend_getsCloseDelimitedBody(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    client.close()
    assert resp.status == 200
    assert resp.header("transfer-encoding") is None
    assert resp.body == b"hello chunked world"
    assert resp.header("connection").lower() == "close"


def test_h1_h1_keepAlive_reusesClientAndBackendConnections(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    for i in range(3):
        client.send(b"GET /k%d HTTP/1.1\r\nHost: a\r\n\r\n" % i)
        assert client.read_response().status == 200
    assert not client.is_closed_by_peer(wait=0.3)
    client.close()
    conns = {r["conn"] for r in backend.requests()}
    assert len(conns) == 1, "the pooled backend connection was not reused"


def test_h1_h1_connectionClose_answeredWithCloseAndClosed(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /bye HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    assert resp.status == 200 and resp.header("connection").lower() == "close"
    assert client.is_closed_by_peer()
    client.close()
    [req] = backend.requests()
    assert "connection" not in field_names(req)


# ---- Expect, HEAD, 1xx, 204, 304 ------------------------------------------------------------------------------------

def test_h1_h1_expect100Continue_answeredBeforeBodyAndNotForwarded(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
    version, status, _, _ = client.read_head()
    assert status == 100
    client.send(b"hello")
    resp = client.read_response()
    client.close()
    assert resp.status == 200 and resp.body == b"hello"
    [req] = backend.requests()
    assert "expect" not in field_names(req)


def test_h1_h1_headResponse_hasNoBodyAndConnectionStaysInSync(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"HEAD /stream/1000 HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    head = client.read_response(method="HEAD")
    after = client.read_response()
    client.close()
    assert head.status == 200 and head.header("content-length") == "1000" and head.body == b""
    assert after.body == b"backend GET /after\n"


def test_h1_h1_headOfChunkedResource_hasNoBody(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"HEAD /chunked HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    head = client.read_response(method="HEAD")
    after = client.read_response()
    client.close()
    assert head.status == 200 and head.body == b""
    assert after.body == b"backend GET /after\n"


def test_h1_h1_interim1xxResponse_finalResponseDelivered(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /interim HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    after = client.read_response()
    client.close()
    assert resp.status == 200 and resp.body == b"after interim\n"
    assert after.body == b"backend GET /after\n"


def test_h1_h1_status204_hasNoBody(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    after = client.read_response()
    client.close()
    assert resp.status == 204 and resp.header("transfer-encoding") is None
    assert after.body == b"backend GET /after\n"


def test_h1_h1_status304_hasNoBody(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client = RawClient(gw.port)
    client.send(b"GET /status/304 HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    resp = client.read_response()
    after = client.read_response()
    client.close()
    assert resp.status == 304 and resp.header("transfer-encoding") is None
    assert after.body == b"backend GET /after\n"


# ---- close-delimited and chunked bodies -----------------------------------------------------------------------------

def test_h1_h1_closeDelimitedResponse_reframedAsChunkedForHTTP11(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /close-delimited HTTP/1.1\r\nHost: a\r\n\r\n")
    assert resp.status == 200 and resp.chunked
    assert resp.body == b"first part, second part, until close"
    # Re-framed, so the client connection stays usable.
    client.send(b"GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
    assert client.read_response().body == b"backend GET /after\n"
    client.close()


def test_h1_h1_closeDelimitedResponse_curlGetsWholeBody(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    result = curl(gw.url("/close-delimited"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"first part, second part, until close"


def test_h1_h1_chunkedResponseWithTrailers_forwardedToClient(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /chunked HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n")
    client.close()
    assert resp.status == 200 and resp.chunked
    assert resp.body == b"hello chunked world"
    assert resp.header("trailer") == "X-Checksum"
    assert ("X-Checksum", "abc123") in resp.trailers


def test_h1_h1_chunkedRequestWithTrailers_forwardedToBackend(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    body = b"5\r\nhello\r\n6\r\n world\r\n0\r\nX-Req-Trailer: t1\r\nX-Other: t2\r\n\r\n"
    raw = b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTrailer: X-Req-Trailer, X-Other\r\n\r\n" + body
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body == b"hello world"
    [req] = backend.requests()
    assert req["body"] == "hello world"
    assert field_values(req, "transfer-encoding") == ["chunked"]
    assert field_values(req, "trailer") == ["X-Req-Trailer, X-Other"]
    assert "X-Req-Trailer: t1\r\n" in req["trailers"] and "X-Other: t2\r\n" in req["trailers"]


def test_h1_h1_chunkedRequestWithoutTrailers_reframed(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    raw = b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\n\r\n"
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body == b"abc"
    [req] = backend.requests()
    assert req["trailers"] == "\r\n"


# ---- hop-by-hop fields (RFC 9110 §7.6.1) ----------------------------------------------------------------------------

def test_h1_h1_hopByHopRequestFields_removed(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    raw = (b"POST /echo HTTP/1.1\r\nHost: a\r\nConnection: X-Named, keep-alive, Upgrade\r\nX-Named: secret\r\n"
           b"Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: foo/1\r\n"
           b"X-Kept: yes\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body == b"hi"
    [req] = backend.requests()
    names = field_names(req)
    for gone in ["connection", "x-named", "keep-alive", "proxy-connection", "te", "upgrade"]:
        assert gone not in names, gone
    assert field_values(req, "x-kept") == ["yes"]
    assert field_values(req, "transfer-encoding") == ["chunked"], "Transfer-Encoding must be re-framed, not copied"


def test_h1_h1_hopByHopResponseFields_removed(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /hop-response HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert resp.status == 200 and resp.body == b"ok"
    names = resp.header_names()
    for gone in ["x-secret", "keep-alive", "proxy-connection", "upgrade"]:
        assert gone not in names, gone
    assert resp.header("connection") is None
    assert resp.header("x-kept") == "yes"


# ---- forwarding fields ----------------------------------------------------------------------------------------------

FORWARDED_REQUEST = (b"GET /fwd HTTP/1.1\r\nHost: app.example:8080\r\nX-Forwarded-For: 203.0.113.9\r\n"
                     b"X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nVia: 1.0 edge\r\n"
                     b"Forwarded: for=203.0.113.9;proto=https;by=edge\r\n\r\n")


def forwarded_record(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, FORWARDED_REQUEST)
    client.close()
    assert resp.status == 200
    return backend.requests()[0]


def test_h1_h1_xForwardedFor_clientAddressAppended(gateway_factory, backend):
    req = forwarded_record(gateway_factory, backend)
    assert field_values(req, "x-forwarded-for") == ["203.0.113.9, 127.0.0.1"]


def test_h1_h1_xForwardedFor_setWhenAbsent(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    client.close()
    assert field_values(backend.requests()[0], "x-forwarded-for") == ["127.0.0.1"]


def test_h1_h1_xForwardedProto_setFromThisHop(gateway_factory, backend):
    req = forwarded_record(gateway_factory, backend)
    assert field_values(req, "x-forwarded-proto") == ["http"]


def test_h1_h1_xForwardedHost_setFromHost(gateway_factory, backend):
    req = forwarded_record(gateway_factory, backend)
    assert field_values(req, "x-forwarded-host") == ["app.example:8080"]


def test_h1_h1_via_added(gateway_factory, backend):
    req = forwarded_record(gateway_factory, backend)
    assert field_values(req, "via") == ["1.0 edge, 1.1 tracegw"]


def test_h1_h1_forwarded_passedUnchanged(gateway_factory, backend):
    req = forwarded_record(gateway_factory, backend)
    assert field_values(req, "forwarded") == ["for=203.0.113.9;proto=https;by=edge"]


def test_h1_h1_host_passedUnchanged(gateway_factory, backend):
    req = forwarded_record(gateway_factory, backend)
    assert field_values(req, "host") == ["app.example:8080"]


# ---- upgrades and tunnels -------------------------------------------------------------------------------------------

def test_h1_h1_websocketUpgrade_tunnelledBothWays(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client, status, headers, expected = ws_handshake(gw.port)
    assert status == 101
    assert headers["upgrade"].lower() == "websocket" and headers["sec-websocket-accept"] == expected
    for message in [b"hello", os.urandom(200), os.urandom(70_000)]:
        client.send(ws_frame(0x2, message, mask=True))
        opcode, payload = read_ws_frame(client)
        assert opcode == 0x2 and payload == message
    client.send(ws_frame(0x8, b"\x03\xe8", mask=True))
    opcode, _ = read_ws_frame(client)
    assert opcode == 0x8
    client.close()
    [req] = backend.requests()
    assert field_values(req, "upgrade") == ["websocket"]
    assert [v.lower() for v in field_values(req, "connection")] == ["upgrade"]
    assert field_values(req, "sec-websocket-key")


def test_h1_h1_websocketServerPings_relayedAndPongsReachBackend(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    client, status, _, _ = ws_handshake(gw.port, "/ws?ping=0.2")
    assert status == 101
    opcode, payload = read_ws_frame(client)
    assert (opcode, payload) == (0x9, b"srv")
    client.send(ws_frame(0xA, b"srv", mask=True))
    backend.wait_event(lambda e: e["event"] == "pong", timeout=5)
    client.close()


def test_h1_h1_h2cUpgrade_neverReachesBackend(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    raw = (b"GET /h2c HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
           b"HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n")
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200 and resp.body == b"backend GET /h2c\n"
    [req] = backend.requests()
    names = field_names(req)
    assert "upgrade" not in names and "http2-settings" not in names and "connection" not in names


def test_h1_h1_h2cListedWithWebsocket_neverTunnelled(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    raw = b"GET /h2c HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c, websocket\r\n\r\n"
    resp, client = exchange(gw.port, raw)
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert "upgrade" not in field_names(req)


def test_h1_h1_upgradeNotInAllowlist_notForwarded(gateway_factory, backend):
    gw = start(gateway_factory, backend)
    resp, client = exchange(gw.port, b"GET /u HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: foo/2\r\n\r\n")
    client.close()
    assert resp.status == 200
    [req] = backend.requests()
    assert "upgrade" not in field_names(req)
