"""Helpers for tracing tests: a recording backend process and OTLP/JSON decoding with the official protobuf classes."""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

HERE = os.path.dirname(os.path.abspath(__file__))


class RecordingBackend:
    """The recording backend as a separate process; `requests()` returns what it received."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tracegw-backend-")
        self.port_file = os.path.join(self.dir, "port")
        self.record = os.path.join(self.dir, "requests.jsonl")
        open(self.record, "w").close()
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "recording_backend.py"), self.port_file, self.record])
        deadline = time.time() + 10
        while not os.path.exists(self.port_file):
            if time.time() > deadline:
                raise AssertionError("backend did not start")
            time.sleep(0.02)
        self.port = int(open(self.port_file).read())
        self.url = f"http://127.0.0.1:{self.port}"

    def requests(self):
        with open(self.record) as f:
            return [json.loads(line) for line in f if line.strip()]

    def header(self, request, name):
        values = [v for n, v in request["headers"] if n == name]
        return values[0] if values else None

    def stop(self):
        self.proc.kill()
        self.proc.wait()


HEX_ID_FIELDS = ("traceId", "spanId", "parentSpanId")


def _hex_to_base64(obj):
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in HEX_ID_FIELDS and isinstance(v, str):
                assert all(c in "0123456789abcdef" for c in v), f"{k} is not lowercase hex: {v}"
                out[k] = base64.b64encode(bytes.fromhex(v)).decode()
            else:
                out[k] = _hex_to_base64(v)
        return out
    if isinstance(obj, list):
        return [_hex_to_base64(x) for x in obj]
    return obj


def decode_otlp_json_lines(lines):
    """Parses OTLP/JSON lines (hex ids, as the OTLP spec encodes JSON) with protobuf's official json_format."""
    spans = []
    for line in lines:
        if not line.strip():
            continue
        request = ExportTraceServiceRequest()
        json_format.Parse(json.dumps(_hex_to_base64(json.loads(line))), request)
        for resource_spans in request.resource_spans:
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    spans.append(Span(span, resource_spans.resource, scope_spans.scope))
    return spans


def any_value(value):
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    return getattr(value, kind)


class Span:
    """A decoded span with convenient accessors."""

    def __init__(self, proto, resource, scope):
        self.proto = proto
        self.resource = {kv.key: any_value(kv.value) for kv in resource.attributes}
        self.scope = scope
        self.attributes = {kv.key: any_value(kv.value) for kv in proto.attributes}
        self.name = proto.name
        self.kind = proto.kind
        self.trace_id = proto.trace_id.hex()
        self.span_id = proto.span_id.hex()
        self.parent_span_id = proto.parent_span_id.hex()
        self.status_code = proto.status.code
        self.links = [(l.trace_id.hex(), l.span_id.hex()) for l in proto.links]

    def __repr__(self):
        return f"Span({self.name!r}, kind={self.kind}, attrs={self.attributes})"


SERVER = 2
CLIENT = 3


def collect_spans(gateway, expected, timeout=15):
    """Waits until `expected` spans were written to stdout (or stops the gateway to flush) and decodes them."""
    deadline = time.time() + timeout
    spans = []
    while time.time() < deadline:
        spans = decode_otlp_json_lines(gateway.stdout())
        if len(spans) >= expected:
            return spans
        time.sleep(0.05)
    gateway.stop()
    spans = decode_otlp_json_lines(gateway.stdout())
    assert len(spans) >= expected, f"expected {expected} spans, got {len(spans)}: {spans}\nstderr: {gateway.stderr()}"
    return spans
