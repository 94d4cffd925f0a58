"""Issue 3 §3 routing and §5 lifecycle: route table by prefix and template, SIGTERM/SIGINT drain, SIGHUP reload."""
import http.client
import signal
import socket
import time

from proxy_support import RawClient, exchange, wait_log, wait_until, write_config


def get(path):
    return b"GET " + path + b" HTTP/1.1\r\nHost: a\r\n\r\n"


def body_of(port, path):
    resp, client = exchange(port, get(path))
    client.close()
    return resp.status, resp.body


# ---- routes ---------------------------------------------------------------------------------------------------------

def routed_gateway(gateway_factory, backend_factory, tmp_path, with_fallback=True):
    api, users, default = backend_factory("api"), backend_factory("users"), backend_factory("default")
    config = write_config(tmp_path / "gw.yaml", f"""
routes:
  - path: /users/{{id}}/profile
    upstream: {users.url}
  - prefix: /api/
    upstream: {api.url}
""")
    args = ["--listen", "127.0.0.1:0", "--workers", "1", "--config", config]
    if with_fallback:
        args += ["--upstream", default.url]
    return gateway_factory(args), api, users, default


def test_h1_h1_routeByPrefix_selectsItsUpstream(gateway_factory, backend_factory, tmp_path):
    gw, api, users, default = routed_gateway(gateway_factory, backend_factory, tmp_path)
    assert body_of(gw.port, b"/api/v1/items?x=1") == (200, b"api GET /api/v1/items?x=1\n")
    assert body_of(gw.port, b"/api/") == (200, b"api GET /api/\n")
    assert body_of(gw.port, b"/apix") == (200, b"default GET /apix\n")
    assert users.requests() == []


def test_h1_h1_routeByTemplate_selectsItsUpstream(gateway_factory, backend_factory, tmp_path):
    gw, api, users, default = routed_gateway(gateway_factory, backend_factory, tmp_path)
    assert body_of(gw.port, b"/users/42/profile") == (200, b"users GET /users/42/profile\n")
    assert body_of(gw.port, b"/users/42/profile?full=1") == (200, b"users GET /users/42/profile?full=1\n")
    # A template matches the whole path, one segment per capture.
    assert body_of(gw.port, b"/users/42/profile/extra") == (200, b"default GET /users/42/profile/extra\n")
    assert body_of(gw.port, b"/users//profile") == (200, b"default GET /users//profile\n")
    assert api.requests() == []


def test_h1_h1_routesAlternatingOnOneConnection_eachReachesItsUpstream(gateway_factory, backend_factory, tmp_path):
    # One keep-alive client connection whose requests switch routes: each goes to its own route's backend pool
    # (the exchange keeps the last route's pool; a new route must not reuse it).
    gw, api, users, default = routed_gateway(gateway_factory, backend_factory, tmp_path)
    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=10)
    try:
        for path, owner in [("/api/a", "api"), ("/users/7/profile", "users"), ("/api/b", "api"), ("/other", "default"),
                            ("/other", "default"), ("/users/8/profile", "users"), ("/api/c", "api")]:
            conn.request("GET", path)
            resp = conn.getresponse()
            assert (resp.status, resp.read()) == (200, f"{owner} GET {path}\n".encode()), path
    finally:
        conn.close()
    assert [r["target"] for r in api.requests()] == ["/api/a", "/api/b", "/api/c"]
    assert [r["target"] for r in users.requests()] == ["/users/7/profile", "/users/8/profile"]
    assert [r["target"] for r in default.requests()] == ["/other", "/other"]


def test_h1_h1_noRouteAndNoFallback_404(gateway_factory, backend_factory, tmp_path):
    gw, api, users, default = routed_gateway(gateway_factory, backend_factory, tmp_path, with_fallback=False)
    status, _ = body_of(gw.port, b"/elsewhere")
    assert status == 404
    assert body_of(gw.port, b"/api/ok") == (200, b"api GET /api/ok\n")


# ---- SIGTERM / SIGINT -----------------------------------------------------------------------------------------------

def drain_test(gateway_factory, backend, sig):
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "2"])
    idle = RawClient(gw.port)
    idle.send(get(b"/idle"))
    assert idle.read_response().status == 200
    client = RawClient(gw.port, timeout=15)
    client.send(get(b"/slow/1500"))
    backend.wait_requests(2)
    gw.proc.send_signal(sig)
    resp = client.read_response()
    assert resp.status == 200 and resp.body == b"slow done\n"
    assert resp.header("connection") == "close"
    assert idle.is_closed_by_peer(wait=5), "idle keep-alive connections are closed on drain"
    client.close()
    idle.close()
    assert gw.proc.wait(timeout=15) == 0, gw.stderr()
    return gw


def test_h1_h1_sigterm_drainsSlowRequestAndExits0(gateway_factory, backend):
    gw = drain_test(gateway_factory, backend, signal.SIGTERM)
    assert wait_log(gw, "draining"), gw.stderr()


def test_h1_h1_sigint_drainsSlowRequestAndExits0(gateway_factory, backend):
    drain_test(gateway_factory, backend, signal.SIGINT)


def test_h1_h1_sigterm_stopsAccepting(gateway_factory, backend):
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1"])
    client = RawClient(gw.port, timeout=15)
    client.send(get(b"/slow/1500"))
    backend.wait_requests(1)
    gw.proc.send_signal(signal.SIGTERM)
    wait_until(lambda: "draining" in gw.stderr(), timeout=5, message="draining log line")
    time.sleep(0.2)
    refused = False
    try:
        late = socket.create_connection(("127.0.0.1", gw.port), timeout=2)
        late.sendall(get(b"/late"))
        late.settimeout(2)
        refused = late.recv(100) == b""
        late.close()
    except (ConnectionRefusedError, ConnectionResetError):
        refused = True
    assert refused, "a new connection was served while draining"
    assert client.read_response().status == 200
    client.close()
    assert gw.proc.wait(timeout=15) == 0, gw.stderr()


def test_h1_h1_drainTimeout_closesRequestsStillInFlight(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  drain_timeout: 1s\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1", "--config", config])
    client = RawClient(gw.port, timeout=15)
    client.send(get(b"/hang"))
    backend.wait_requests(1)
    gw.proc.send_signal(signal.SIGTERM)
    assert gw.proc.wait(timeout=10) == 0, gw.stderr()
    assert client.is_closed_by_peer(wait=5)
    client.close()


# ---- SIGHUP ---------------------------------------------------------------------------------------------------------

def test_h1_h1_sighup_reloadsRoutesWithoutDroppingConnections(gateway_factory, backend_factory, tmp_path):
    old, new = backend_factory("old"), backend_factory("new")
    path = tmp_path / "gw.yaml"
    write_config(path, f"routes:\n  - prefix: /\n    upstream: {old.url}\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--workers", "1", "--config", str(path)])
    client = RawClient(gw.port)
    client.send(get(b"/before"))
    assert client.read_response().body == b"old GET /before\n"

    write_config(path, f"routes:\n  - prefix: /\n    upstream: {new.url}\n")
    gw.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: "configuration reloaded" in gw.stderr(), timeout=5, message="reload log line")
    time.sleep(0.1)  # the new table reaches the worker through its queue

    client.send(get(b"/after"))
    resp = client.read_response()
    assert resp.body == b"new GET /after\n", "the open keep-alive connection must survive and use the new routes"
    assert body_of(gw.port, b"/fresh") == (200, b"new GET /fresh\n")
    client.close()
    assert gw.proc.poll() is None


def test_h1_h1_sighupWithBadConfig_keepsRunningConfiguration(gateway_factory, backend, tmp_path):
    path = tmp_path / "gw.yaml"
    write_config(path, f"routes:\n  - prefix: /\n    upstream: {backend.url}\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--workers", "1", "--config", str(path)])
    write_config(path, "routes:\n  - prefix: nope\n")
    gw.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: "reload failed" in gw.stderr(), timeout=5, message="reload failure log line")
    assert body_of(gw.port, b"/still") == (200, b"backend GET /still\n")


def test_h1_h1_sighupDuringRequest_requestFinishesOnItsRoute(gateway_factory, backend_factory, tmp_path):
    old, new = backend_factory("old"), backend_factory("new")
    path = tmp_path / "gw.yaml"
    write_config(path, f"routes:\n  - prefix: /\n    upstream: {old.url}\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--workers", "1", "--config", str(path)])
    client = RawClient(gw.port, timeout=15)
    client.send(get(b"/slow/1000"))
    old.wait_requests(1)
    write_config(path, f"routes:\n  - prefix: /\n    upstream: {new.url}\n")
    gw.proc.send_signal(signal.SIGHUP)
    wait_until(lambda: "configuration reloaded" in gw.stderr(), timeout=5, message="reload log line")
    resp = client.read_response()
    assert resp.status == 200 and resp.body == b"slow done\n"
    client.send(get(b"/next"))
    assert client.read_response().body == b"new GET /next\n"
    client.close()
