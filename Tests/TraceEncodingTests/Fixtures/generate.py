#!/usr/bin/env python3
"""Writes the golden encoder outputs for Tests/TraceEncodingTests with the official classes.

The spans here mirror Tests/TraceEncodingTests/SampleSpans.swift (keep the two in step).

- otlp.bin: opentelemetry-proto's ExportTraceServiceRequest (PyPI opentelemetry-proto), SerializeToString().
- jaeger.bin: opentelemetry-exporter-jaeger-thrift's generated jaeger ttypes Batch, written with Thrift's
  TBinaryProtocol, mapped as the OpenTelemetry "OpenTelemetry to Jaeger Transformation" page describes (the
  mapping is spelled out again below, independently of the Swift encoder).
- zipkin.json: Zipkin v2 JSON built by hand per the OpenTelemetry "OpenTelemetry to Zipkin Transformation" page,
  serialized with json.dumps (compact separators, UTF-8 kept).
- otlp.json: the same request through protobuf's json_format (MessageToDict, integer enums), with the base64 ids
  turned into the hex OTLP/JSON requires; the Swift test compares it as parsed JSON (key order and number spelling
  such as 2.0 vs 2 are not part of the format).
- partial_success_*.bin: ExportTraceServiceResponse samples for the partial-success decoder.

Run: pip install opentelemetry-proto protobuf opentelemetry-exporter-jaeger-thrift thrift
     python3 Tests/TraceEncodingTests/Fixtures/generate.py
"""
import base64
import importlib.util
import json
import os
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2 as ts
from opentelemetry.proto.common.v1 import common_pb2 as common
from opentelemetry.proto.resource.v1 import resource_pb2 as resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2 as trace
from thrift.protocol import TBinaryProtocol
from thrift.transport import TTransport

HERE = os.path.dirname(os.path.abspath(__file__))


def _jaeger_ttypes():
    # The exporter package's __init__ imports an SDK of its own era; its generated Thrift code (gen/jaeger) needs
    # only the thrift runtime, so it is imported directly from the installed package's directory.
    spec = importlib.util.find_spec("opentelemetry.exporter.jaeger.thrift")
    sys.path.insert(0, os.path.join(spec.submodule_search_locations[0], "gen"))
    from jaeger import ttypes  # noqa: E402
    return ttypes


jaeger = _jaeger_ttypes()

# ---------------------------------------------------------------------------------------------------------------
# The sample data. Attribute values are (type, value): s string, b bool, i int64, d double, as/ab/ai/ad arrays.
# Kinds are OTLP numbers: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.

RESOURCE = [
    ("service.name", ("s", "tracegw")),
    ("service.version", ("s", "1.2.3")),
    ("host.name", ("s", "gw-01")),
    ("deployment.environment.name", ("s", "prod")),
    ("process.pid", ("i", 4242)),
]
SCOPE = ("tracegw", "0.1.0")
OTHER = ("other", None)

SERVER_ATTRIBUTES = [
    ("http.request.method", ("s", "GET")),
    ("url.path", ("s", "/api/v1/jobs/12345")),
    ("url.query", ("s", "page=2&limit=50")),
    ("url.scheme", ("s", "http")),
    ("http.route", ("s", "/api/v1/jobs/{id}")),
    ("server.address", ("s", "gateway.example.com")),
    ("server.port", ("i", 8080)),
    ("network.peer.address", ("s", "10.1.2.3")),
    ("network.peer.port", ("i", 51234)),
    ("client.address", ("s", "10.1.2.3")),
    ("client.port", ("i", 51234)),
    ("network.protocol.version", ("s", "1.1")),
    ("user_agent.original", ("s", "Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0")),
    ("http.response.status_code", ("i", 200)),
    ("http.response.body.size", ("i", 1834)),
]


def span(**kw):
    base = dict(trace_state=[], parent=None, flags=0, attributes=[], dropped_attributes=0, events=[],
                dropped_events=0, links=[], dropped_links=0, status=("unset", None), scope=SCOPE)
    base.update(kw)
    return base


SERVER = span(
    name="GET /api/v1/jobs/{id}", kind=2,
    trace_id=0x4bf92f3577b34da6a3ce929d0e0e4736, span_id=0x00f067aa0ba902b7, flags=1,
    parent=0x1122334455667788,
    start=1_764_000_000_123_456_789, end=1_764_000_000_125_000_001,
    attributes=SERVER_ATTRIBUTES,
)

FULL = span(
    name="POST /upload \u2713", kind=3,
    trace_id=0x8000000000000000FFFFFFFFFFFFFFFF, span_id=0x8877665544332211, flags=3,
    trace_state=[("vendor", "x=1"), ("rojo", "00f067aa0ba902b7")],
    parent=0x00f067aa0ba902b7,
    start=1_764_000_000_150_000_500, end=1_764_000_000_250_999_999,
    attributes=[
        ("http.request.method", ("s", "POST")),
        ("server.address", ("s", "backend.internal")),
        ("server.port", ("i", 9000)),
        ("network.peer.address", ("s", "127.0.0.1")),
        ("network.peer.port", ("i", 9001)),
        ("s.empty", ("s", "")),
        ("s.utf8", ("s", "h\u00e9llo \u2013 \u4e16\u754c \U0001F680")),
        ("s.escapes", ("s", "quote\" backslash\\ nl\n tab\t ctl\x01")),
        ("b.true", ("b", True)),
        ("b.false", ("b", False)),
        ("i.zero", ("i", 0)),
        ("i.negative", ("i", -1)),
        ("i.max", ("i", 2**63 - 1)),
        ("i.min", ("i", -(2**63))),
        ("d.quarter", ("d", 0.25)),
        ("d.negative", ("d", -1.5)),
        ("arr.strings", ("as", ["a", "b\"c", "\u00fc"])),
        ("arr.bools", ("ab", [True, False])),
    ],
    dropped_attributes=2,
    events=[
        dict(name="exception", time=1_764_000_000_200_000_999,
             attributes=[("exception.type", ("s", "Timeout")), ("exception.message", ("s", "upstream took > 5s"))],
             dropped=1),
        dict(name="retry", time=1_764_000_000_210_000_000, attributes=[], dropped=0),
    ],
    dropped_events=3,
    links=[
        dict(trace_id=0xFFFFFFFFFFFFFFFF8000000000000001, span_id=0xfedcba9876543210, flags=1,
             trace_state=[("congo", "t61rcWkgMzE")], is_remote=True,
             attributes=[("link.kind", ("s", "batch"))], dropped=1),
        dict(trace_id=0x00000000000000010000000000000002, span_id=3, flags=0, trace_state=[], is_remote=False,
             attributes=[], dropped=0),
    ],
    dropped_links=300,
    status=("error", "backend timeout"),
)

ROOT_INTERNAL = span(
    name="", kind=1, trace_id=0x0102, span_id=0x0a0b,
    start=1_000_000_000, end=1_000_000_400, status=("ok", None), scope=OTHER,
)

BIG = span(
    name="publish jobs", kind=4,
    trace_id=0x4bf92f3577b34da6a3ce929d0e0e4736, span_id=1, flags=1,
    start=1_764_000_001_000_000_000, end=1_764_000_002_000_000_000,
    attributes=[
        ("messaging.payload", ("s", "0123456789" * 2000)),
        ("server.address", ("s", "10.9.8.7")),
        ("server.port", ("i", 5672)),
        ("peer.service", ("s", "queue")),
    ],
    status=("error", ""),
)

CONSUMER = span(
    name="process jobs", kind=5,
    trace_id=0x4bf92f3577b34da6a3ce929d0e0e4736, span_id=2, flags=1, parent=1,
    start=1_764_000_002_000_000_000, end=1_764_000_002_000_000_100,
    attributes=[("error", ("b", False)), ("messaging.system", ("s", "rabbitmq")),
                ("arr.ints", ("ai", [1, -2, 300, -(2**63)])), ("arr.doubles", ("ad", [0.5, 2.0, -0.125])),
                ("arr.empty", ("as", []))],
    scope=OTHER,
)

BATCH = [SERVER, ROOT_INTERNAL, FULL, CONSUMER, BIG]

# ---------------------------------------------------------------------------------------------------------------
# OTLP protobuf with the official generated classes.


def any_value(value):
    kind, v = value
    if kind == "s":
        return common.AnyValue(string_value=v)
    if kind == "b":
        return common.AnyValue(bool_value=v)
    if kind == "i":
        return common.AnyValue(int_value=v)
    if kind == "d":
        return common.AnyValue(double_value=v)
    item = {"as": "s", "ab": "b", "ai": "i", "ad": "d"}[kind]
    return common.AnyValue(array_value=common.ArrayValue(values=[any_value((item, x)) for x in v]))


def key_values(attributes):
    return [common.KeyValue(key=k, value=any_value(v)) for k, v in attributes]


def trace_state_header(members):
    return ",".join(f"{k}={v}" for k, v in members)


def otlp_span(s):
    has_parent = s["parent"] is not None
    flags = s["flags"] | (0 if has_parent else 0x100)  # root: "is_remote known, parent not remote"
    status = None
    if s["status"][0] == "ok":
        status = trace.Status(code=trace.Status.STATUS_CODE_OK)
    elif s["status"][0] == "error":
        status = trace.Status(code=trace.Status.STATUS_CODE_ERROR, message=s["status"][1] or "")
    out = trace.Span(
        trace_id=s["trace_id"].to_bytes(16, "big"),
        span_id=s["span_id"].to_bytes(8, "big"),
        trace_state=trace_state_header(s["trace_state"]),
        parent_span_id=s["parent"].to_bytes(8, "big") if has_parent else b"",
        flags=flags,
        name=s["name"],
        kind=s["kind"],
        start_time_unix_nano=s["start"],
        end_time_unix_nano=s["end"],
        attributes=key_values(s["attributes"]),
        dropped_attributes_count=s["dropped_attributes"],
        events=[trace.Span.Event(time_unix_nano=e["time"], name=e["name"], attributes=key_values(e["attributes"]),
                                 dropped_attributes_count=e["dropped"]) for e in s["events"]],
        dropped_events_count=s["dropped_events"],
        links=[trace.Span.Link(trace_id=l["trace_id"].to_bytes(16, "big"), span_id=l["span_id"].to_bytes(8, "big"),
                               trace_state=trace_state_header(l["trace_state"]), attributes=key_values(l["attributes"]),
                               dropped_attributes_count=l["dropped"],
                               flags=l["flags"] | 0x100 | (0x200 if l["is_remote"] else 0)) for l in s["links"]],
        dropped_links_count=s["dropped_links"],
    )
    if status is not None:
        out.status.CopyFrom(status)
    return out


def otlp_request(spans):
    scopes = []
    for s in spans:
        if s["scope"] not in scopes:
            scopes.append(s["scope"])
    scope_spans = []
    for name, version in scopes:
        scope_spans.append(trace.ScopeSpans(
            scope=common.InstrumentationScope(name=name, version=version or ""),
            spans=[otlp_span(s) for s in spans if s["scope"] == (name, version)]))
    request = ts.ExportTraceServiceRequest(resource_spans=[trace.ResourceSpans(
        resource=resource_pb2.Resource(attributes=key_values(RESOURCE)), scope_spans=scope_spans)])
    # Re-parse and re-serialize: the official encoder's canonical field order.
    return ts.ExportTraceServiceRequest.FromString(request.SerializeToString()).SerializeToString()


def otlp_json(spans):
    request = ts.ExportTraceServiceRequest.FromString(otlp_request(spans))
    document = json_format.MessageToDict(request, use_integers_for_enums=True)

    def to_hex(holder, key):
        if key in holder:
            holder[key] = base64.b64decode(holder[key]).hex()

    for resource_spans in document.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                for key in ("traceId", "spanId", "parentSpanId"):
                    to_hex(span, key)
                for link in span.get("links", []):
                    to_hex(link, "traceId")
                    to_hex(link, "spanId")
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Jaeger Thrift with the generated ttypes and TBinaryProtocol.


def i64(unsigned):
    return unsigned - (1 << 64) if unsigned >= (1 << 63) else unsigned


def json_list(kind, v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def jaeger_tag(key, value):
    kind, v = value
    if kind == "s":
        return jaeger.Tag(key=key, vType=jaeger.TagType.STRING, vStr=v)
    if kind == "b":
        return jaeger.Tag(key=key, vType=jaeger.TagType.BOOL, vBool=v)
    if kind == "i":
        return jaeger.Tag(key=key, vType=jaeger.TagType.LONG, vLong=v)
    if kind == "d":
        return jaeger.Tag(key=key, vType=jaeger.TagType.DOUBLE, vDouble=v)
    return jaeger.Tag(key=key, vType=jaeger.TagType.STRING, vStr=json_list(kind, v))


JAEGER_KIND = {1: None, 2: "server", 3: "client", 4: "producer", 5: "consumer"}


def jaeger_span(s):
    high, low = s["trace_id"] >> 64, s["trace_id"] & ((1 << 64) - 1)
    refs = []
    if s["parent"] is not None:
        refs.append(jaeger.SpanRef(refType=jaeger.SpanRefType.CHILD_OF, traceIdLow=i64(low), traceIdHigh=i64(high),
                                   spanId=i64(s["parent"])))
    for l in s["links"]:
        refs.append(jaeger.SpanRef(refType=jaeger.SpanRefType.FOLLOWS_FROM,
                                   traceIdLow=i64(l["trace_id"] & ((1 << 64) - 1)), traceIdHigh=i64(l["trace_id"] >> 64),
                                   spanId=i64(l["span_id"])))
    status, description = s["status"]
    tags = [jaeger_tag(k, v) for k, v in s["attributes"] if not (status == "error" and k == "error")]
    if JAEGER_KIND[s["kind"]]:
        tags.append(jaeger_tag("span.kind", ("s", JAEGER_KIND[s["kind"]])))
    name, version = s["scope"]
    if name:
        tags.append(jaeger_tag("otel.scope.name", ("s", name)))
    if version:
        tags.append(jaeger_tag("otel.scope.version", ("s", version)))
    if status == "ok":
        tags.append(jaeger_tag("otel.status_code", ("s", "OK")))
    elif status == "error":
        tags.append(jaeger_tag("otel.status_code", ("s", "ERROR")))
        if description:
            tags.append(jaeger_tag("otel.status_description", ("s", description)))
        tags.append(jaeger_tag("error", ("b", True)))
    for key, count in (("otel.dropped_attributes_count", s["dropped_attributes"]),
                       ("otel.dropped_events_count", s["dropped_events"]),
                       ("otel.dropped_links_count", s["dropped_links"])):
        if count:
            tags.append(jaeger_tag(key, ("i", count)))
    logs = []
    for e in s["events"]:
        fields = [jaeger_tag(k, v) for k, v in e["attributes"]]
        if not any(k == "event" for k, _ in e["attributes"]):
            fields.append(jaeger_tag("event", ("s", e["name"])))
        if e["dropped"]:
            fields.append(jaeger_tag("otel.event.dropped_attributes_count", ("i", e["dropped"])))
        logs.append(jaeger.Log(timestamp=e["time"] // 1000, fields=fields))
    return jaeger.Span(
        traceIdLow=i64(low), traceIdHigh=i64(high), spanId=i64(s["span_id"]),
        parentSpanId=i64(s["parent"] or 0), operationName=s["name"],
        references=refs or None, flags=s["flags"] & 1,
        startTime=s["start"] // 1000, duration=(s["end"] - s["start"]) // 1000,
        tags=tags, logs=logs or None)


def jaeger_batch(spans):
    service = dict(RESOURCE).get("service.name", ("s", "unknown_service"))[1]
    process = jaeger.Process(serviceName=service,
                             tags=[jaeger_tag(k, v) for k, v in RESOURCE if k != "service.name"] or None)
    batch = jaeger.Batch(process=process, spans=[jaeger_span(s) for s in spans])
    buffer = TTransport.TMemoryBuffer()
    batch.write(TBinaryProtocol.TBinaryProtocol(buffer))
    data = buffer.getvalue()
    # Check the round trip through the generated reader too.
    decoded = jaeger.Batch()
    decoded.read(TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data)))
    assert decoded == batch
    return data


# ---------------------------------------------------------------------------------------------------------------
# Zipkin v2 JSON by hand.


def zipkin_text(value):
    kind, v = value
    if kind == "s":
        return v
    if kind == "b":
        return "true" if v else "false"
    if kind in ("i", "d"):
        return str(v)
    return json_list(kind, v)


def json_value(value):
    kind, v = value
    return v


def ip_kind(text):
    parts = text.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        return "ipv4"
    if text.count(":") >= 2 and all(c in "0123456789abcdefABCDEF:." for c in text):
        return "ipv6"
    return None


ZIPKIN_KIND = {1: None, 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}


def zipkin_span(s):
    attrs = dict(s["attributes"])
    out = {"traceId": f"{s['trace_id']:032x}", "id": f"{s['span_id']:016x}"}
    if s["parent"] is not None:
        out["parentId"] = f"{s['parent']:016x}"
    if ZIPKIN_KIND[s["kind"]]:
        out["kind"] = ZIPKIN_KIND[s["kind"]]
    out["name"] = s["name"]
    out["timestamp"] = s["start"] // 1000
    out["duration"] = max(1, (s["end"] - s["start"]) // 1000)
    out["localEndpoint"] = {"serviceName": dict(RESOURCE)["service.name"][1]}
    if s["kind"] in (3, 4):
        remote = {}
        server = attrs.get("server.address", (None, None))[1]
        if "peer.service" in attrs:
            remote["serviceName"] = attrs["peer.service"][1]
        elif server is not None and ip_kind(server) is None:
            remote["serviceName"] = server
        peer = attrs.get("network.peer.address", (None, None))[1]
        port = None
        if peer is not None and ip_kind(peer):
            remote[ip_kind(peer)] = peer
            port = attrs.get("network.peer.port", (None, None))[1]
        elif server is not None and ip_kind(server):
            remote[ip_kind(server)] = server
        if port is None:
            port = attrs.get("server.port", (None, None))[1]
        if port is not None:
            remote["port"] = port
        if remote:
            out["remoteEndpoint"] = remote
    if s["events"]:
        annotations = []
        for e in s["events"]:
            if e["attributes"]:
                value = json.dumps({e["name"]: {k: json_value(v) for k, v in e["attributes"]}},
                                   separators=(",", ":"), ensure_ascii=False)
            else:
                value = e["name"]
            annotations.append({"timestamp": e["time"] // 1000, "value": value})
        out["annotations"] = annotations
    status, description = s["status"]
    tags = {}
    for k, v in s["attributes"]:
        if k == "error" and (status == "error" or v in (("b", False), ("s", "false"))):
            continue
        tags[k] = zipkin_text(v)
    name, version = s["scope"]
    if name:
        tags["otel.scope.name"] = name
    if version:
        tags["otel.scope.version"] = version
    if status == "ok":
        tags["otel.status_code"] = "OK"
    elif status == "error":
        tags["otel.status_code"] = "ERROR"
        tags["error"] = description or ""
    for key, count in (("otel.dropped_attributes_count", s["dropped_attributes"]),
                       ("otel.dropped_events_count", s["dropped_events"]),
                       ("otel.dropped_links_count", s["dropped_links"])):
        if count:
            tags[key] = str(count)
    if tags:
        out["tags"] = tags
    return out


def zipkin_json(spans):
    return json.dumps([zipkin_span(s) for s in spans], separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Partial-success responses.


def partial_success_samples():
    with_rejections = ts.ExportTraceServiceResponse(
        partial_success=ts.ExportTracePartialSuccess(rejected_spans=42, error_message="quota exceeded: 42 spans \u2717"))
    # An unknown field (99, varint) before the known one: decoders must skip it.
    unknown = b"\x98\x06\x07" + with_rejections.SerializeToString()
    return {
        "partial_success_rejected.bin": with_rejections.SerializeToString(),
        "partial_success_empty.bin": ts.ExportTraceServiceResponse().SerializeToString(),
        "partial_success_warning.bin": ts.ExportTraceServiceResponse(
            partial_success=ts.ExportTracePartialSuccess(error_message="deprecated attribute used")).SerializeToString(),
        "partial_success_unknown_field.bin": unknown,
    }


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def main():
    write("otlp.bin", otlp_request(BATCH))
    write("otlp_server.bin", otlp_request([SERVER]))
    write("otlp.json", otlp_json(BATCH))
    write("jaeger.bin", jaeger_batch(BATCH))
    write("jaeger_server.bin", jaeger_batch([SERVER]))
    write("zipkin.json", zipkin_json(BATCH))
    write("zipkin_server.json", zipkin_json([SERVER]))
    for name, data in partial_success_samples().items():
        write(name, data)


if __name__ == "__main__":
    main()
