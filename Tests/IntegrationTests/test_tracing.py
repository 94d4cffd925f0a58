"""Tracing through the proxy (issue 4), with the real tracegw binary, a real backend process, curl/raw clients, and
spans decoded from the stdout exporter's OTLP/JSON by protobuf's official json_format (127.0.0.1 only)."""
import os
import re
import socket
import subprocess
import tempfile
import time

import pytest

from tracing_support import CLIENT, SERVER, RecordingBackend, collect_spans

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture
def backend():
    b = RecordingBackend()
    yield b
    b.stop()


def write_config(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    f.write(text)
    f.close()
    return f.name


def start(gateway_factory, backend, config="", extra_args=(), env=None):
    args = ["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1",
            "--stdout-format", "otlp-json"] + list(extra_args)
    if config:
        args += ["--config", write_config(config)]
    full_env = {"OTEL_BSP_SCHEDULE_DELAY": "50"}
    full_env.update(env or {})
    return gateway_factory(args, env=full_env)


def curl(url, *headers, method=None, data=None):
    cmd = ["curl", "-s", "-o", "/dev/null", "-D", "-", "--max-time", "10"]
    for h in headers:
        cmd += ["-H", h]
    if method:
        cmd += ["-X", method]
    if data is not None:
        cmd += ["--data-binary", data]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=15).stdout
    status = int(out.split(" ", 2)[1]) if out.startswith("HTTP/") else 0
    fields = {}
    for line in out.splitlines()[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            fields.setdefault(k.strip().lower(), []).append(v.strip())
    return status, fields


def raw_request(port, data, read_timeout=5):
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        s.sendall(data)
        chunks = b""
        try:
            while True:
                part = s.recv(65536)
                if not part:
                    break
                chunks += part
                if b"\r\n\r\n" in chunks and b"Content-Length: " in chunks:
                    head, _, body = chunks.partition(b"\r\n\r\n")
                    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
                    if len(body) >= length:
                        break
        except socket.timeout:
            pass
        return chunks


def by_kind(spans, kind):
    return [s for s in spans if s.kind == kind]


def parse_traceparent(value):
    version, trace_id, span_id, flags = value.split("-")[:4]
    return version, trace_id, span_id, flags


# ---- SERVER span and attributes ----------------------------------------------------------------------------------

def test_h1_h1_serverSpan_hasSemanticConventionAttributes(gateway_factory, backend):
    g = start(gateway_factory, backend, config="routes:\n  - path: /jobs/{job.id}\n")
    status, _ = curl(g.url("/jobs/42?verbose=1"), "User-Agent: tracegw-test/1.0", data="hello")
    assert status == 200
    spans = collect_spans(g, 2)
    server = by_kind(spans, SERVER)[0]
    a = server.attributes
    assert server.name == "POST /jobs/{job.id}"
    assert a["http.request.method"] == "POST"
    assert a["url.path"] == "/jobs/42"
    assert "url.query" not in a
    assert a["url.scheme"] == "http"
    assert a["http.route"] == "/jobs/{job.id}"
    assert a["job.id"] == "42"
    assert a["server.address"] == "127.0.0.1" and a["server.port"] == g.port
    assert a["client.address"] == "127.0.0.1" and a["client.port"] > 0
    assert a["network.peer.address"] == "127.0.0.1" and a["network.peer.port"] == a["client.port"]
    assert a["network.protocol.version"] == "1.1"
    assert a["user_agent.original"] == "tracegw-test/1.0"
    assert a["http.request.body.size"] == 5
    assert a["http.response.body.size"] == 3
    assert a["http.response.status_code"] == 200
    assert a["tracegw.backend.address"] == f"127.0.0.1:{backend.port}"
    assert a["tracegw.backend.connect_duration"] >= 0
    assert a["tracegw.backend.time_to_first_byte"] > 0
    assert server.status_code == 0
    assert server.resource["service.name"] == "tracegw"
    assert server.resource["deployment.environment"] == "development"
    assert server.proto.end_time_unix_nano > server.proto.start_time_unix_nano
    # The backend attempt lies within the request.
    client = by_kind(spans, CLIENT)[0]
    assert server.proto.start_time_unix_nano <= client.proto.start_time_unix_nano
    assert client.proto.start_time_unix_nano < client.proto.end_time_unix_nano <= server.proto.end_time_unix_nano


def test_h1_h1_unmatchedRoute_spanNamedByMethodOnly(gateway_factory, backend):
    g = start(gateway_factory, backend, config="routes:\n  - path: /jobs/{job.id}\n")
    curl(g.url("/other/path"))
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.name == "GET"
    assert "http.route" not in server.attributes
    assert server.attributes["url.path"] == "/other/path"


def test_h1_h1_unknownMethod_isOTHERNamedHTTP(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/x"), method="FOO")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.name == "HTTP"
    assert server.attributes["http.request.method"] == "_OTHER"
    assert server.attributes["http.request.method_original"] == "FOO"


def test_h1_h1_recordUrlQuery_whenEnabled(gateway_factory, backend):
    g = start(gateway_factory, backend, config="record_url_query: true\n")
    curl(g.url("/q?a=1&b=2"))
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.attributes["url.query"] == "a=1&b=2"


# ---- propagation ---------------------------------------------------------------------------------------------------

def test_h1_h1_traceparentContinued_andReinjectedWithClientSpanAsParent(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01", "tracestate: vendor=abc,other=1")
    spans = collect_spans(g, 2)
    server, client = by_kind(spans, SERVER)[0], by_kind(spans, CLIENT)[0]
    assert server.trace_id == TRACE_ID and server.parent_span_id == PARENT_ID
    assert client.trace_id == TRACE_ID and client.parent_span_id == server.span_id
    sent = backend.requests()[0]
    version, trace_id, span_id, flags = parse_traceparent(backend.header(sent, "traceparent"))
    assert (version, trace_id, span_id, flags) == ("00", TRACE_ID, client.span_id, "01")
    assert backend.header(sent, "tracestate") == "vendor=abc,other=1"
    assert len([h for h in sent["headers"] if h[0] == "traceparent"]) == 1


def test_h1_h1_noIncomingContext_startsTraceWithRandomFlag(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"))
    spans = collect_spans(g, 2)
    server = by_kind(spans, SERVER)[0]
    assert server.parent_span_id == ""
    _, trace_id, _, flags = parse_traceparent(backend.header(backend.requests()[0], "traceparent"))
    assert trace_id == server.trace_id
    assert int(flags, 16) & 0x02, "Level 2 random flag must be set on ids we generate"
    assert int(flags, 16) & 0x01


def test_h1_h1_randomFlagCopiedUnchanged_whenContinuing(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01")
    curl(g.url("/b"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-03")
    collect_spans(g, 4)
    first, second = backend.requests()
    assert parse_traceparent(backend.header(first, "traceparent"))[3] == "01"
    assert parse_traceparent(backend.header(second, "traceparent"))[3] == "03"


INVALID_TRACEPARENTS = {
    "versionFF": f"ff-{TRACE_ID}-{PARENT_ID}-01",
    "uppercaseHex": f"00-{TRACE_ID.upper()}-{PARENT_ID}-01",
    "zeroTraceId": f"00-{'0' * 32}-{PARENT_ID}-01",
    "zeroSpanId": f"00-{TRACE_ID}-{'0' * 16}-01",
    "shortTraceId": f"00-{TRACE_ID[:-1]}-{PARENT_ID}-01",
    "badFlags": f"00-{TRACE_ID}-{PARENT_ID}-0g",
    "version00WithExtraField": f"00-{TRACE_ID}-{PARENT_ID}-01-extra",
    "wrongDelimiter": f"00_{TRACE_ID}-{PARENT_ID}-01",
    "nonHexVersion": f"0x-{TRACE_ID}-{PARENT_ID}-01",
}


@pytest.mark.parametrize("case", sorted(INVALID_TRACEPARENTS))
def test_h1_h1_invalidTraceparent_startsFreshTraceAndDropsTracestate(gateway_factory, backend, case):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: {INVALID_TRACEPARENTS[case]}", "tracestate: vendor=abc", "baggage: user=alice")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.trace_id != TRACE_ID
    assert server.parent_span_id == ""
    sent = backend.requests()[0]
    assert parse_traceparent(backend.header(sent, "traceparent"))[1] == server.trace_id
    assert backend.header(sent, "tracestate") is None
    assert backend.header(sent, "baggage") == "user=alice", "baggage passes independently of traceparent"


def test_h1_h1_twoTraceparentHeaders_areInvalid(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01", f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-00")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.trace_id != TRACE_ID


def test_h1_h1_futureVersion_isAcceptedWithExtraFields(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: cc-{TRACE_ID}-{PARENT_ID}-01-what-the-future-holds")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.trace_id == TRACE_ID and server.parent_span_id == PARENT_ID
    version = parse_traceparent(backend.header(backend.requests()[0], "traceparent"))[0]
    assert version == "00", "we send the version we implement"


def test_h1_h1_tracestate_multipleFieldsCombinedInOrder(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01", "tracestate: a=1,b=2", "tracestate: c=3")
    collect_spans(g, 2)
    assert backend.header(backend.requests()[0], "tracestate") == "a=1,b=2,c=3"


def test_h1_h1_tracestate_over512Characters_truncatesWholeEntriesLongFirst(gateway_factory, backend):
    g = start(gateway_factory, backend)
    long_entry = "long=" + "x" * 200
    entries = [f"k{i}=" + "v" * 20 for i in range(25)]
    state = ",".join(entries[:3] + [long_entry] + entries[3:])
    assert len(state) > 512
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01", f"tracestate: {state}")
    collect_spans(g, 2)
    sent = backend.header(backend.requests()[0], "tracestate")
    assert sent is not None and len(sent) <= 512
    assert "long=" not in sent
    members = sent.split(",")
    assert all("=" in m for m in members), "no partial entries"
    assert members[:3] == entries[:3]


def test_h1_h1_tracestate_malformedMember_dropsTracestateKeepsTrace(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01", "tracestate: UPPER=1,ok=2")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.trace_id == TRACE_ID
    sent = backend.header(backend.requests()[0], "tracestate")
    assert sent is None or "UPPER" not in sent


def test_h1_h1_baggage_passedOnUnchanged(gateway_factory, backend):
    g = start(gateway_factory, backend)
    baggage = ",".join(f"k{i}=v{i}" for i in range(64))
    curl(g.url("/a"), f"baggage: {baggage}")
    collect_spans(g, 2)
    assert backend.header(backend.requests()[0], "baggage") == baggage


def test_h1_h1_unsampled_contextStillPropagatedAndNoSpans(gateway_factory, backend):
    g = start(gateway_factory, backend, extra_args=["--sampling-rate", "0"])
    curl(g.url("/a"))
    curl(g.url("/b"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-00")
    time.sleep(0.5)
    g.stop()
    assert g.stdout() == []
    first, second = backend.requests()
    assert parse_traceparent(backend.header(first, "traceparent"))[3] in ("00", "02")
    assert parse_traceparent(backend.header(second, "traceparent"))[1] == TRACE_ID
    assert int(parse_traceparent(backend.header(second, "traceparent"))[3], 16) & 1 == 0


def test_h1_h1_parentBased_sampledParentIsSampledEvenAtRatioZero(gateway_factory, backend):
    g = start(gateway_factory, backend, extra_args=["--sampling-rate", "0"])
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01")
    spans = collect_spans(g, 2)
    assert by_kind(spans, SERVER)[0].trace_id == TRACE_ID


def test_h1_h1_contextFieldsMatchedByWholeNameAnyCase_lookAlikesForwarded(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), f"TraceParent: 00-{TRACE_ID}-{PARENT_ID}-01", "TRACESTATE: vendor=abc",
         "traceparenx: same-length", "tracestatf: same-length", "x-traceparent: longer")
    spans = collect_spans(g, 2)
    server, client = by_kind(spans, SERVER)[0], by_kind(spans, CLIENT)[0]
    assert server.trace_id == TRACE_ID and server.parent_span_id == PARENT_ID
    sent = backend.requests()[0]
    assert [h[1] for h in sent["headers"] if h[0] == "traceparent"] == [f"00-{TRACE_ID}-{client.span_id}-01"]
    assert [h[1] for h in sent["headers"] if h[0] == "tracestate"] == ["vendor=abc"]
    for name in ("traceparenx", "tracestatf"):
        assert backend.header(sent, name) == "same-length"
    assert backend.header(sent, "x-traceparent") == "longer"


def test_h1_h1_propagationExtract_continuesTraceButForwardsCallerHeaders(gateway_factory, backend):
    g = start(gateway_factory, backend, config="routes:\n  - prefix: /\n    propagation: extract\n")
    incoming = f"00-{TRACE_ID}-{PARENT_ID}-01"
    curl(g.url("/a"), f"traceparent: {incoming}")
    server = by_kind(collect_spans(g, 1), SERVER)[0]
    assert server.trace_id == TRACE_ID
    assert backend.header(backend.requests()[0], "traceparent") == incoming


def test_h1_h1_propagationInject_ignoresCallerAndReplacesHeaders(gateway_factory, backend):
    g = start(gateway_factory, backend, config="routes:\n  - prefix: /\n    propagation: inject\n")
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.trace_id != TRACE_ID
    assert parse_traceparent(backend.header(backend.requests()[0], "traceparent"))[1] == server.trace_id


def test_h1_h1_propagationIgnore_leavesHeadersAlone(gateway_factory, backend):
    g = start(gateway_factory, backend, config="routes:\n  - prefix: /\n    propagation: ignore\n")
    incoming = f"00-{TRACE_ID}-{PARENT_ID}-01"
    curl(g.url("/a"), f"traceparent: {incoming}")
    server = by_kind(collect_spans(g, 1), SERVER)[0]
    assert server.trace_id != TRACE_ID
    assert backend.header(backend.requests()[0], "traceparent") == incoming


# ---- routes ----------------------------------------------------------------------------------------------------------

def test_h1_h1_routeTracingOff_noSpanNoHeader(gateway_factory, backend):
    g = start(gateway_factory, backend, config="routes:\n  - path: /health\n    tracing: false\n  - prefix: /\n")
    status, fields = curl(g.url("/health"))
    assert status == 200 and "server-timing" not in fields and "content-length" in fields
    _, traced_fields = curl(g.url("/traced"))
    assert "server-timing" in traced_fields
    spans = collect_spans(g, 2)
    assert all(s.attributes.get("url.path") != "/health" for s in spans)
    assert backend.header(backend.requests()[0], "traceparent") is None


def test_h1_h1_routeOptions_spanNameAttributesAndSampling(gateway_factory, backend):
    config = """routes:
  - path: /jobs/submit
    span_name: submit-job
    attributes:
      team: infra
      tenant: "header:x-tenant"
  - path: /never
    sampling_rate: 0
"""
    g = start(gateway_factory, backend, config=config)
    curl(g.url("/jobs/submit"), "X-Tenant: acme", data="{}")
    curl(g.url("/never"))
    spans = collect_spans(g, 2)
    server = by_kind(spans, SERVER)[0]
    assert server.name == "submit-job"
    assert server.attributes["team"] == "infra" and server.attributes["tenant"] == "acme"
    time.sleep(0.3)
    g.stop()
    from tracing_support import decode_otlp_json_lines
    assert all(s.attributes.get("url.path") != "/never" for s in decode_otlp_json_lines(g.stdout()))


# ---- trust, capture, client address ------------------------------------------------------------------------------

def test_h1_h1_untrustedContext_newTraceWithLinkAndCallerCannotForceSampling(gateway_factory, backend):
    g = start(gateway_factory, backend, config="trust_incoming_trace: false\n")
    curl(g.url("/a"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.trace_id != TRACE_ID and server.parent_span_id == ""
    assert server.links == [(TRACE_ID, PARENT_ID)]
    g2 = start(gateway_factory, backend, config="trust_incoming_trace: false\n", extra_args=["--sampling-rate", "0"])
    curl(g2.url("/b"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01")
    time.sleep(0.4)
    g2.stop()
    assert g2.stdout() == [], "a caller's sampled flag must not force sampling on an untrusted edge"


def test_h1_h1_headerCapture_recordsListedAndNeverRedacted(gateway_factory, backend):
    config = ("capture_request_headers: x-request-id,authorization,cookie\n"
              "capture_response_headers: content-length\n")
    g = start(gateway_factory, backend, config=config)
    curl(g.url("/a"), "X-Request-Id: r-1", "X-Request-Id: r-2", "Authorization: Bearer secret", "Cookie: s=1")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.attributes["http.request.header.x-request-id"] == ["r-1", "r-2"]
    assert server.attributes["http.response.header.content-length"] == ["3"]
    assert "http.request.header.authorization" not in server.attributes
    assert "http.request.header.cookie" not in server.attributes
    assert "secret" not in "\n".join(g.stdout()) and "secret" not in g.stderr()


def test_h1_h1_trustedProxy_clientAddressFromForwardedFor(gateway_factory, backend):
    g = start(gateway_factory, backend, config="trusted_proxies: 127.0.0.0/8\n")
    curl(g.url("/a"), "X-Forwarded-For: 203.0.113.9, 127.0.0.5")
    curl(g.url("/b"), "Forwarded: for=198.51.100.7;proto=http")
    spans = sorted(by_kind(collect_spans(g, 4), SERVER), key=lambda s: s.attributes["url.path"])
    assert spans[0].attributes["client.address"] == "203.0.113.9"
    assert "client.port" not in spans[0].attributes
    assert spans[1].attributes["client.address"] == "198.51.100.7"
    assert spans[0].attributes["network.peer.address"] == "127.0.0.1"


def test_h1_h1_untrustedPeer_forwardedForIgnored(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/a"), "X-Forwarded-For: 203.0.113.9")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.attributes["client.address"] == "127.0.0.1"


# ---- response trace header -----------------------------------------------------------------------------------------

def test_h1_h1_serverTiming_carriesTraceContextAppendedToBackends(gateway_factory, backend):
    g = start(gateway_factory, backend, config="traceresponse_header: true\n")
    status, fields = curl(g.url("/servertiming"), f"traceparent: 00-{TRACE_ID}-{PARENT_ID}-01")
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert "db;dur=53" in fields["server-timing"]
    expected = f"trace;desc=00-{TRACE_ID}-{server.span_id}-01"
    assert expected in fields["server-timing"]
    assert fields["traceresponse"] == [f"00-{TRACE_ID}-{server.span_id}-01"]


def test_h1_h1_serverTiming_switchedOffGlobally(gateway_factory, backend):
    g = start(gateway_factory, backend, config="response_trace_header: false\n")
    _, fields = curl(g.url("/a"))
    assert "server-timing" not in fields and "content-length" in fields


# ---- failures ------------------------------------------------------------------------------------------------------

def test_h1_h1_backendRefused_502SpanIsError(gateway_factory, backend):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    g = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", f"http://127.0.0.1:{dead}", "--workers", "1",
                         "--stdout-format", "otlp-json"], env={"OTEL_BSP_SCHEDULE_DELAY": "50"})
    status, fields = curl(g.url("/a"))
    assert status == 502
    assert "server-timing" in fields
    spans = collect_spans(g, 3)
    server = by_kind(spans, SERVER)[0]
    assert server.attributes["http.response.status_code"] == 502
    assert server.attributes["error.type"] == "connection_refused"
    assert server.status_code == 2
    clients = by_kind(spans, CLIENT)
    assert len(clients) == 2, "refused connect is retried once on a fresh connection"
    assert all(c.status_code == 2 and c.attributes["error.type"] == "connection_refused" for c in clients)
    assert clients[1].attributes["http.request.resend_count"] == 1


def test_h1_h1_backendTimeout_504SpanHasTimeoutErrorType(gateway_factory, backend):
    g = start(gateway_factory, backend, config="limits:\n  response_timeout: 1s\n")
    status, _ = curl(g.url("/slow/3"))
    assert status == 504
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.attributes["http.response.status_code"] == 504
    assert server.attributes["error.type"] == "timeout"
    assert server.status_code == 2


def test_h1_h1_backend4xx_serverUnsetClientError(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/status/404"))
    spans = collect_spans(g, 2)
    assert by_kind(spans, SERVER)[0].status_code == 0
    client = by_kind(spans, CLIENT)[0]
    assert client.status_code == 2 and client.attributes["error.type"] == "404"
    assert client.attributes["http.response.status_code"] == 404


def test_h1_h1_backend5xx_serverSpanError(gateway_factory, backend):
    g = start(gateway_factory, backend)
    curl(g.url("/status/503"))
    server = by_kind(collect_spans(g, 2), SERVER)[0]
    assert server.status_code == 2 and server.attributes["error.type"] == "503"


def test_h1_h1_staleKeepAlive_retriedWithResendCount(gateway_factory, backend):
    g = start(gateway_factory, backend)
    port = g.port
    # Two requests on one client connection reuse one backend connection; the backend drops the second request.
    resp = raw_request(port, b"GET /drop-second HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b" 200 " in resp
    resp = raw_request(port, b"GET /drop-second HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b" 200 " in resp
    spans = collect_spans(g, 5)
    clients = by_kind(spans, CLIENT)
    resent = [c for c in clients if c.attributes.get("http.request.resend_count") == 1]
    assert len(resent) == 1
    failed = [c for c in clients if c.status_code == 2]
    assert len(failed) == 1 and failed[0].trace_id == resent[0].trace_id


def test_h1_h1_clientSpansOff_backendParentIsServerSpan(gateway_factory, backend):
    g = start(gateway_factory, backend, config="client_spans: false\n")
    curl(g.url("/a"))
    spans = collect_spans(g, 1)
    time.sleep(0.3)
    assert by_kind(spans, CLIENT) == []
    server = by_kind(spans, SERVER)[0]
    assert parse_traceparent(backend.header(backend.requests()[0], "traceparent"))[2] == server.span_id


def test_h1_h1_textFormat_oneLinePerSpan(gateway_factory, backend):
    g = gateway_factory(["--listen", "127.0.0.1:0", "--upstream", backend.url, "--workers", "1"],
                        env={"OTEL_BSP_SCHEDULE_DELAY": "50"})
    curl(g.url("/a"))
    lines = g.wait_stdout_lines(2)
    assert any(" server " in l and "http.request.method=GET" in l for l in lines)
    assert any(" client " in l for l in lines)


def test_h1_h1_blockingThreadLoopDriver_proxiesAndTraces(gateway_factory, backend):
    g = start(gateway_factory, backend, env={"TRACEGW_LOOP_DRIVER": "blocking_thread"})
    for path in ("/a", "/b", "/c"):
        status, fields = curl(g.url(path))
        assert status == 200 and "server-timing" in fields
    assert len(by_kind(collect_spans(g, 6), SERVER)) == 3


@pytest.mark.parametrize("driver", ["dispatch_source", "blocking_thread"])
def test_h1_h1_busyPoll_proxiesAndTraces(gateway_factory, backend, driver):
    # Busy polling (TRACEGW_BUSY_POLL) keeps a drained loop polling up to 200 µs before it blocks; requests, their
    # spans and idle gaps longer than the window must work as without it.
    g = start(gateway_factory, backend, env={"TRACEGW_LOOP_DRIVER": driver, "TRACEGW_BUSY_POLL": "200us"})
    for path in ("/a", "/b", "/c"):
        status, fields = curl(g.url(path))
        assert status == 200 and "server-timing" in fields
        time.sleep(0.05)
    assert len(by_kind(collect_spans(g, 6), SERVER)) == 3
