"""Exporters end to end: real requests through tracegw to a tiny backend, spans decoded by receivers that are not
ours (see receivers.py), compared field by field with the same spans from the stdout exporter's OTLP/JSON; and the
fault behaviour (retries, refusals, a dead collector). 127.0.0.1 only."""
import json
import os
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
import pytest
from google.protobuf import json_format

from receivers import (Faults, JaegerReceiver, OTLPGRPCReceiver, OTLPHTTPReceiver, GeneratedCertificates,
                       ZipkinReceiver, otlp_json_to_message)

FAST = {"OTEL_BSP_SCHEDULE_DELAY": "100"}


class Backend:
    """A tiny HTTP/1.1 backend answering 200 "ok"."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def backend():
    b = Backend()
    yield b
    b.stop()


@pytest.fixture
def receivers():
    started = []

    def start(r):
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


def drive(gateway, count, prefix="/item"):
    for i in range(count):
        with urllib.request.urlopen(gateway.url(f"{prefix}/{i}?q={i}"), timeout=10) as response:
            assert response.status == 200
            assert response.read() == b"ok"


def reference_spans(gateway, count, timeout=15):
    """The spans as the stdout exporter wrote them (OTLP/JSON), parsed with the official classes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        spans = {}
        for line in gateway.stdout():
            message = otlp_json_to_message(line)
            for rs in message.resource_spans:
                for ss in rs.scope_spans:
                    for span in ss.spans:
                        spans[span.span_id] = (rs, ss, span)
        if len(spans) >= count:
            return spans
        time.sleep(0.05)
    raise AssertionError(f"stdout reference has {len(spans)} spans, expected {count}")


def assert_same_otlp(received, reference):
    """Every field of every span, plus resource and scope, equal (compared as protobuf messages)."""
    by_id = {}
    for rs, ss, span in received:
        assert span.span_id not in by_id, "span delivered twice"
        by_id[span.span_id] = (rs, ss, span)
    assert set(by_id) == set(reference)
    for span_id, (rs, ss, span) in by_id.items():
        ref_rs, ref_ss, ref_span = reference[span_id]
        assert span == ref_span, f"{json_format.MessageToDict(span)} != {json_format.MessageToDict(ref_span)}"
        assert rs.resource == ref_rs.resource
        assert ss.scope == ref_ss.scope
        assert rs.schema_url == ref_rs.schema_url


def start_gateway(gateway_factory, backend, exporters, env):
    full = dict(FAST)
    full.update(env)
    return gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--exporter", exporters,
                            "--stdout-format", "otlp-json"], env=full)


# MARK: Field-by-field comparisons


def test_otlpGRPC_everySpanMatchesReference(gateway_factory, backend, receivers):
    r = receivers(OTLPGRPCReceiver())
    g = start_gateway(gateway_factory, backend, "otlp,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_HEADERS": "x-tenant=acme,authorization=Bearer%20t0k"})
    drive(g, 6)
    reference = reference_spans(g, 12)
    assert_same_otlp(r.wait_spans(12), reference)
    metadata = r.headers[0]
    assert metadata["x-tenant"] == "acme" and metadata["authorization"] == "Bearer t0k"


def test_otlpHTTPProtobuf_everySpanMatchesReference(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver())
    g = start_gateway(gateway_factory, backend, "otlp-http,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_HEADERS": "x-tenant=acme"})
    drive(g, 6)
    assert_same_otlp(r.wait_spans(12), reference_spans(g, 12))
    assert r.headers[0]["content-type"] == "application/x-protobuf"
    assert r.headers[0]["x-tenant"] == "acme"


def test_otlpHTTPJSON_everySpanMatchesReference(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver())
    g = start_gateway(gateway_factory, backend, "otlp,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"})
    drive(g, 6)
    assert_same_otlp(r.wait_spans(12), reference_spans(g, 12))
    assert r.errors == []
    assert r.headers[0]["content-type"] == "application/json"


def test_otlpHTTP_gzip_decodesTheSame(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver())
    g = start_gateway(gateway_factory, backend, "otlp-http,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"})
    drive(g, 4)
    assert_same_otlp(r.wait_spans(8), reference_spans(g, 8))
    assert r.headers[0]["content-encoding"] == "gzip"


def test_otlpGRPC_gzip_decodesTheSame(gateway_factory, backend, receivers):
    r = receivers(OTLPGRPCReceiver())
    g = start_gateway(gateway_factory, backend, "otlp,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"})
    drive(g, 4)
    # grpcio decompresses before the servicer (and hides grpc-encoding from its metadata): decoding is the check.
    assert_same_otlp(r.wait_spans(8), reference_spans(g, 8))


def test_otlpHTTP_tracesEndpoint_usedExactlyAsGiven(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver(path="/custom/ingest"))
    g = start_gateway(gateway_factory, backend, "otlp-http,stdout",
                      {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"http://127.0.0.1:{r.port}/custom/ingest"})
    drive(g, 2)
    assert len(r.wait_spans(4)) >= 4


def test_otlpHTTP_generalEndpointWithPath_appendsV1Traces(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver(path="/prefix/v1/traces"))
    g = start_gateway(gateway_factory, backend, "otlp-http,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}/prefix/"})
    drive(g, 2)
    assert len(r.wait_spans(4)) >= 4


def _tag_value(tag):
    for attr in ("vStr", "vBool", "vLong", "vDouble", "vBinary"):
        v = getattr(tag, attr)
        if v is not None:
            return v
    return None


def _otlp_value(any_value):
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [_otlp_value(v) for v in any_value.array_value.values]
    return getattr(any_value, kind)


def _signed(b):
    return int.from_bytes(b, "big", signed=True)


def test_jaeger_everySpanMatchesReference(gateway_factory, backend, receivers):
    r = receivers(JaegerReceiver())
    g = start_gateway(gateway_factory, backend, "jaeger,stdout",
                      {"OTEL_EXPORTER_JAEGER_ENDPOINT": f"http://127.0.0.1:{r.port}/api/traces"})
    drive(g, 5)
    reference = reference_spans(g, 10)
    received = r.wait_spans(10)
    assert set(r.content_types) == {"application/vnd.apache.thrift.binary"}
    assert len(received) == len(reference)
    kinds = {2: "server", 3: "client", 4: "producer", 5: "consumer"}
    for process, span in received:
        key = (span.spanId & ((1 << 64) - 1)).to_bytes(8, "big")
        rs, ss, ref = reference[key]
        assert process.serviceName == "tracegw"
        assert span.traceIdHigh == _signed(ref.trace_id[:8]) and span.traceIdLow == _signed(ref.trace_id[8:])
        assert span.parentSpanId == (_signed(ref.parent_span_id) if ref.parent_span_id else 0)
        assert span.operationName == ref.name
        assert span.startTime == ref.start_time_unix_nano // 1000
        assert span.duration == (ref.end_time_unix_nano - ref.start_time_unix_nano) // 1000
        tags = {t.key: _tag_value(t) for t in span.tags}
        for attr in ref.attributes:
            value = _otlp_value(attr.value)
            if isinstance(value, list):
                assert json.loads(tags[attr.key]) == value
            else:
                assert tags[attr.key] == value, attr.key
        if ref.kind in kinds:
            assert tags["span.kind"] == kinds[ref.kind]
        if ref.status.code == 2:
            assert tags["otel.status_code"] == "ERROR" and tags["error"] is True
        if ref.parent_span_id:
            assert span.references[0].refType == 0 and span.references[0].spanId == _signed(ref.parent_span_id)


def test_zipkin_everySpanMatchesReference(gateway_factory, backend, receivers):
    r = receivers(ZipkinReceiver())
    g = start_gateway(gateway_factory, backend, "zipkin,stdout",
                      {"OTEL_EXPORTER_ZIPKIN_ENDPOINT": f"http://127.0.0.1:{r.port}/api/v2/spans"})
    drive(g, 5)
    reference = reference_spans(g, 10)
    received = r.wait_spans(10)
    assert r.errors == []
    assert len(received) == len(reference)
    kinds = {2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}
    for s in received:
        rs, ss, ref = reference[bytes.fromhex(s["id"])]
        assert s["traceId"] == ref.trace_id.hex()
        assert s.get("parentId") == (ref.parent_span_id.hex() if ref.parent_span_id else None)
        assert s["name"] == ref.name
        assert s.get("kind") == kinds.get(ref.kind)
        assert s["timestamp"] == ref.start_time_unix_nano // 1000
        assert s["duration"] == max((ref.end_time_unix_nano - ref.start_time_unix_nano) // 1000, 1)
        assert s["localEndpoint"]["serviceName"] == "tracegw"
        for attr in ref.attributes:
            value = _otlp_value(attr.value)
            text = s["tags"][attr.key]
            if isinstance(value, bool):
                assert text == ("true" if value else "false")
            elif isinstance(value, (int, float)):
                assert float(text) == float(value)
            elif isinstance(value, list):
                assert json.loads(text) == value
            else:
                assert text == value


def test_severalExporters_eachGetsEverySpan(gateway_factory, backend, receivers):
    grpc_r = receivers(OTLPGRPCReceiver())
    jaeger_r = receivers(JaegerReceiver())
    g = start_gateway(gateway_factory, backend, "otlp,jaeger,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{grpc_r.port}",
                       "OTEL_EXPORTER_JAEGER_ENDPOINT": f"http://127.0.0.1:{jaeger_r.port}/api/traces"})
    drive(g, 3)
    assert_same_otlp(grpc_r.wait_spans(6), reference_spans(g, 6))
    assert len(jaeger_r.wait_spans(6)) == 6


# MARK: TLS


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return GeneratedCertificates(str(tmp_path_factory.mktemp("tls")))


def test_otlpGRPC_overTLS_withCAFile_everySpanMatchesReference(gateway_factory, backend, receivers, certificates):
    r = receivers(OTLPGRPCReceiver(tls=certificates))
    g = start_gateway(gateway_factory, backend, "otlp,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"https://localhost:{r.port}",
                       "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca})
    drive(g, 3)
    assert_same_otlp(r.wait_spans(6), reference_spans(g, 6))


def test_otlpGRPC_hostPortEndpoint_usesTLSUnlessInsecure(gateway_factory, backend, receivers, certificates):
    r = receivers(OTLPGRPCReceiver(tls=certificates))
    g = start_gateway(gateway_factory, backend, "otlp,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca})
    drive(g, 2)
    assert_same_otlp(r.wait_spans(4), reference_spans(g, 4))


def test_otlpHTTP_overTLS_withCAFile_everySpanMatchesReference(gateway_factory, backend, receivers, certificates):
    r = receivers(OTLPHTTPReceiver(tls=certificates))
    g = start_gateway(gateway_factory, backend, "otlp-http,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"https://127.0.0.1:{r.port}",
                       "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.ca})
    drive(g, 3)
    assert_same_otlp(r.wait_spans(6), reference_spans(g, 6))


def test_otlpHTTP_overTLS_untrustedServer_isNotDelivered(gateway_factory, backend, receivers, certificates):
    r = receivers(OTLPHTTPReceiver(tls=certificates))
    g = start_gateway(gateway_factory, backend, "otlp-http",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"https://127.0.0.1:{r.port}",
                       "OTEL_BSP_EXPORT_TIMEOUT": "1500"})
    drive(g, 1)
    time.sleep(2.5)
    g.stop()
    assert r.spans() == []
    assert "certificate" in g.stderr()


# MARK: Faults


def test_otlpGRPC_unavailableThenAccepts_everySpanExactlyOnce(gateway_factory, backend, receivers):
    r = receivers(OTLPGRPCReceiver(faults=Faults(count=2, kind=grpc.StatusCode.UNAVAILABLE)))
    g = start_gateway(gateway_factory, backend, "otlp,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}"})
    drive(g, 4)
    reference = reference_spans(g, 8)
    assert_same_otlp(r.wait_spans(8, timeout=30), reference)
    time.sleep(0.5)
    assert len(r.spans()) == 8
    assert r.attempts >= 3


def test_otlpHTTP_503ThenAccepts_everySpanExactlyOnce(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver(faults=Faults(count=2, retry_after=0)))
    g = start_gateway(gateway_factory, backend, "otlp-http,stdout",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}"})
    drive(g, 4)
    reference = reference_spans(g, 8)
    assert_same_otlp(r.wait_spans(8, timeout=30), reference)
    time.sleep(0.5)
    assert len(r.spans()) == 8
    assert r.attempts >= 3


def test_otlpGRPC_invalidArgument_notRetried(gateway_factory, backend, receivers):
    r = receivers(OTLPGRPCReceiver(faults=Faults(count=1, kind=grpc.StatusCode.INVALID_ARGUMENT)))
    g = start_gateway(gateway_factory, backend, "otlp",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_BSP_SCHEDULE_DELAY": "60000"})
    drive(g, 1)
    g.stop()
    assert r.attempts == 1, r.attempts
    assert "refused" in g.stderr() and "grpc-status 3" in g.stderr()


def test_otlpHTTP_400_notRetried(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver(faults=Faults(count=1), status_on_fault=400))
    g = start_gateway(gateway_factory, backend, "otlp-http",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_BSP_SCHEDULE_DELAY": "60000"})
    drive(g, 1)
    g.stop()
    assert r.attempts == 1, r.attempts
    assert "HTTP 400" in g.stderr()


def test_otlpHTTP_partialSuccess_loggedNotRetried(gateway_factory, backend, receivers):
    r = receivers(OTLPHTTPReceiver(partial_rejected=1))
    g = start_gateway(gateway_factory, backend, "otlp-http",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_BSP_SCHEDULE_DELAY": "60000"})
    drive(g, 1)
    g.stop()
    assert r.attempts == 1
    assert "1 spans rejected: test rejects some" in g.stderr()


def test_otlpGRPC_partialSuccess_loggedNotRetried(gateway_factory, backend, receivers):
    r = receivers(OTLPGRPCReceiver(partial_rejected=2))
    g = start_gateway(gateway_factory, backend, "otlp",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{r.port}",
                       "OTEL_BSP_SCHEDULE_DELAY": "60000"})
    drive(g, 1)
    g.stop()
    assert r.attempts == 1
    assert "2 spans rejected: test rejects some" in g.stderr()


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.mark.parametrize("exporter", ["otlp", "otlp-http"])
def test_collectorDown_requestsSucceed_memoryBounded_droppedCounted(gateway_factory, backend, exporter):
    # Nothing listens on this port: every export fails with connection refused and is retried until
    # export_timeout; meanwhile the small queue fills and spans are dropped and counted.
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead_port = s.getsockname()[1]
    s.close()
    g = start_gateway(gateway_factory, backend, exporter,
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{dead_port}",
                       "OTEL_BSP_MAX_QUEUE_SIZE": "64", "OTEL_BSP_EXPORT_TIMEOUT": "2000"})
    drive(g, 50, prefix="/warm")
    start_rss = _rss_kib(g.proc.pid)
    started = time.time()
    drive(g, 400)
    elapsed = time.time() - started
    end_rss = _rss_kib(g.proc.pid)
    assert end_rss - start_rss < 10 * 1024, (start_rss, end_rss)
    assert elapsed < 60
    # The periodic report comes at most every 10 s: wait for the first one.
    deadline = started + 25
    while "spans lost in the last" not in g.stderr() and time.time() < deadline:
        time.sleep(0.2)
    g.stop()
    stderr = g.stderr()
    assert "spans lost in the last 10 s:" in stderr and "dropped (exporter queue full)" in stderr, stderr[-2000:]
    assert "spans were dropped because an exporter queue was full" in stderr, stderr[-2000:]


def test_collectorReturns_exportResumes(gateway_factory, backend, receivers):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    g = start_gateway(gateway_factory, backend, "otlp-http",
                      {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port}", "OTEL_BSP_EXPORT_TIMEOUT": "1000"})
    drive(g, 2, prefix="/early")
    time.sleep(1.5)
    from http.server import ThreadingHTTPServer as _S  # noqa: F401  (port reuse below)
    r = OTLPHTTPReceiver.__new__(OTLPHTTPReceiver)
    # Start the receiver on the very port the gateway was pointed at.
    OTLPHTTPReceiverOnPort(r, port)
    receivers(r)
    drive(g, 3, prefix="/late")
    spans = r.wait_spans(6, timeout=20)
    assert any(span.name for _, _, span in spans)


def OTLPHTTPReceiverOnPort(receiver, port):
    """Initialises `receiver` as an OTLPHTTPReceiver bound to `port`."""
    import receivers as mod
    original = mod.ThreadingHTTPServer

    class Fixed(original):
        def __init__(self, address, handler):
            super().__init__(("127.0.0.1", port), handler)

    mod.ThreadingHTTPServer = Fixed
    try:
        OTLPHTTPReceiver.__init__(receiver)
    finally:
        mod.ThreadingHTTPServer = original
