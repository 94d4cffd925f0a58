"""Issue 3 §3 tunnels: a WebSocket stays open while idle for at least the tunnel idle timeout, and closes after it.

The 70 s test's WebSocket is opened when the session starts (conftest.py) and checked here, so its wait overlaps
the rest of the suite; this module sorts last so that usually nothing is left to wait for.
"""
import time

from proxy_support import read_ws_frame, write_config, ws_handshake
from backend_server import ws_frame


def test_h1_h1_websocketIdle70s_staysOpen(websocket_idle_probe):
    assert websocket_idle_probe.status == 101
    outcome, elapsed = websocket_idle_probe.result()
    assert outcome == "ok", outcome
    assert elapsed >= 70


def test_h1_h1_websocketIdlePastTunnelIdleTimeout_closed(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  tunnel_idle_timeout: 1s\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1", "--config", config])
    client, status, _, _ = ws_handshake(gw.port)
    assert status == 101
    assert client.is_closed_by_peer(wait=5)
    client.close()
    [req] = backend.requests()
    backend.wait_event(lambda e: e["conn"] == req["conn"] and e["event"] in ("peer_closed", "peer_reset"), timeout=5)


def test_h1_h1_websocketTrafficWithinTunnelIdleTimeout_keepsItOpen(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", "limits:\n  tunnel_idle_timeout: 1s\n")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1", "--config", config])
    client, status, _, _ = ws_handshake(gw.port)
    assert status == 101
    for i in range(5):  # 2.5 s in total, never 1 s idle
        time.sleep(0.5)
        client.send(ws_frame(0x1, b"tick %d" % i, mask=True))
        assert read_ws_frame(client) == (0x1, b"tick %d" % i)
    client.close()


def test_h1_h1_websocketPerRouteTunnelIdleTimeout_applies(gateway_factory, backend, tmp_path):
    config = write_config(tmp_path / "gw.yaml", f"""
limits:
  tunnel_idle_timeout: 1s
routes:
  - prefix: /ws
    upstream: {backend.url}
    tunnel_idle_timeout: 10s
""")
    gw = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1", "--config", config])
    client, status, _, _ = ws_handshake(gw.port)
    assert status == 101
    assert not client.is_closed_by_peer(wait=2.5)
    client.send(ws_frame(0x1, b"route timeout", mask=True))
    assert read_ws_frame(client) == (0x1, b"route timeout")
    client.close()
