"""Span receivers that are not ours: the official opentelemetry-proto classes (protobuf and gRPC), protobuf's
json_format, and the Jaeger Thrift types generated in opentelemetry-exporter-jaeger-thrift. 127.0.0.1 only.

Each receiver records what it decoded and can be told to fail the first N exports, so the gateway's retry
behaviour is observed from outside.
"""
import base64
import gzip
import json
import os
import re
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


def _jaeger_ttypes():
    """Imports the generated Jaeger Thrift types without the exporter package's __init__ (which needs an SDK
    version we do not install)."""
    import opentelemetry.exporter as exporter_pkg
    for base in exporter_pkg.__path__:
        gen = os.path.join(base, "jaeger", "thrift", "gen")
        if os.path.isdir(gen):
            if gen not in sys.path:
                sys.path.insert(0, gen)
            from jaeger import ttypes
            return ttypes
    raise ImportError("opentelemetry-exporter-jaeger-thrift is not installed")


HEX_ID = re.compile(r"^[0-9a-f]*$")
SNAKE_KEYS = {"resource_spans", "scope_spans", "trace_id", "span_id", "parent_span_id", "start_time_unix_nano",
              "end_time_unix_nano", "trace_state", "dropped_attributes_count", "time_unix_nano"}


def otlp_json_to_message(body):
    """Parses OTLP/JSON as the OTLP spec defines it: refuses base64 ids, enum names and snake_case keys, converts
    the hex ids to the base64 protobuf's json_format expects, then parses with json_format (ignore_unknown_fields
    off)."""
    doc = json.loads(body)

    def walk(node):
        if isinstance(node, dict):
            for key in list(node):
                if key in SNAKE_KEYS:
                    raise ValueError(f"snake_case key {key!r} in OTLP/JSON")
                value = node[key]
                if key in ("traceId", "spanId", "parentSpanId"):
                    if not isinstance(value, str) or not HEX_ID.match(value):
                        raise ValueError(f"{key} is not lowercase hex: {value!r}")
                    expected = 32 if key == "traceId" else 16
                    if value and len(value) != expected:
                        raise ValueError(f"{key} has {len(value)} hex digits")
                    node[key] = base64.b64encode(bytes.fromhex(value)).decode()
                elif key == "kind" or key == "code":
                    if not isinstance(value, int):
                        raise ValueError(f"enum {key} is not an integer: {value!r}")
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
    message = trace_service_pb2.ExportTraceServiceRequest()
    json_format.ParseDict(doc, message)
    return message


class Faults:
    """Answers with a failure to the first `count` exports, then accepts."""

    def __init__(self, count=0, kind=None, retry_after=None):
        self.count = count
        self.kind = kind
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.seen = 0

    def next_fails(self):
        with self.lock:
            self.seen += 1
            return self.seen <= self.count


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []     # decoded messages / batches, accepted ones only
        self.attempts = 0      # every export attempt, failed ones included
        self.headers = []      # request headers of every attempt
        self.errors = []

    def spans(self):
        with self.lock:
            out = []
            for req in self.requests:
                for rs in req.resource_spans:
                    for ss in rs.scope_spans:
                        for span in ss.spans:
                            out.append((rs, ss, span))
            return out

    def wait_spans(self, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.spans()) >= count:
                return self.spans()
            time.sleep(0.05)
        raise AssertionError(f"expected {count} spans, got {len(self.spans())}; errors: {self.errors}")


class OTLPHTTPReceiver(Recorder):
    """An OTLP/HTTP receiver on /v1/traces (or `path`) decoding protobuf and JSON with the official classes."""

    def __init__(self, faults=None, path="/v1/traces", status_on_fault=503, partial_rejected=0, tls=None):
        super().__init__()
        self.faults = faults or Faults()
        self.path = path
        self.status_on_fault = status_on_fault
        self.partial_rejected = partial_rejected
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.attempts += 1
                    receiver.headers.append({k.lower(): v for k, v in self.headers.items()})
                if self.path != receiver.path:
                    self._reply(404, b"")
                    return
                if receiver.faults.next_fails():
                    extra = {"Retry-After": str(receiver.faults.retry_after)} if receiver.faults.retry_after is not None else {}
                    self._reply(receiver.status_on_fault, b"", extra)
                    return
                try:
                    if self.headers.get("Content-Encoding") == "gzip":
                        body = gzip.decompress(body)
                    ctype = self.headers.get("Content-Type", "")
                    if ctype == "application/x-protobuf":
                        message = trace_service_pb2.ExportTraceServiceRequest()
                        message.ParseFromString(body)
                    elif ctype == "application/json":
                        message = otlp_json_to_message(body)
                    else:
                        raise ValueError(f"unexpected content-type {ctype!r}")
                except Exception as e:  # noqa: BLE001 - reported to the test
                    with receiver.lock:
                        receiver.errors.append(repr(e))
                    self._reply(400, b"")
                    return
                with receiver.lock:
                    receiver.requests.append(message)
                response = trace_service_pb2.ExportTraceServiceResponse()
                if receiver.partial_rejected:
                    response.partial_success.rejected_spans = receiver.partial_rejected
                    response.partial_success.error_message = "test rejects some"
                if ctype == "application/json":
                    self._reply(200, json_format.MessageToJson(response).encode(), {"Content-Type": "application/json"})
                else:
                    self._reply(200, response.SerializeToString(), {"Content-Type": "application/x-protobuf"})

            def _reply(self, status, body, extra=None):
                self.send_response(status)
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            import ssl
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.server_cert, tls.server_key)
            context.set_alpn_protocols(["http/1.1"])
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class GeneratedCertificates:
    """A CA and a server certificate for localhost and 127.0.0.1, made with the openssl command in `directory`."""

    def __init__(self, directory):
        import subprocess

        def run(*args):
            subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)

        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
            "-subj", "/CN=tracegw integration CA")
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
        with open(os.path.join(directory, "ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf")
        self.ca = os.path.join(directory, "ca.pem")
        self.server_cert = os.path.join(directory, "server.pem")
        self.server_key = os.path.join(directory, "server.key")


class OTLPGRPCReceiver(Recorder):
    """A grpcio server with the TraceService servicer generated in opentelemetry-proto."""

    def __init__(self, faults=None, partial_rejected=0, tls=None):
        super().__init__()
        self.faults = faults or Faults()
        self.partial_rejected = partial_rejected
        receiver = self

        class Servicer(trace_service_pb2_grpc.TraceServiceServicer):
            def Export(self, request, context):
                with receiver.lock:
                    receiver.attempts += 1
                    receiver.headers.append(dict(context.invocation_metadata()))
                if receiver.faults.next_fails():
                    context.abort(receiver.faults.kind or grpc.StatusCode.UNAVAILABLE, "test fault")
                with receiver.lock:
                    receiver.requests.append(request)
                response = trace_service_pb2.ExportTraceServiceResponse()
                if receiver.partial_rejected:
                    response.partial_success.rejected_spans = receiver.partial_rejected
                    response.partial_success.error_message = "test rejects some"
                return response

        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Servicer(), self.server)
        if tls is None:
            self.port = self.server.add_insecure_port("127.0.0.1:0")
        else:
            with open(tls.server_key, "rb") as k, open(tls.server_cert, "rb") as c:
                credentials = grpc.ssl_server_credentials([(k.read(), c.read())])
            self.port = self.server.add_secure_port("127.0.0.1:0", credentials)
        self.server.start()

    def stop(self):
        self.server.stop(0)


class JaegerReceiver:
    """A Jaeger collector's HTTP endpoint (/api/traces) decoding Thrift binary Batches with the generated types."""

    def __init__(self):
        from thrift.protocol import TBinaryProtocol
        from thrift.transport import TTransport
        ttypes = _jaeger_ttypes()
        self.lock = threading.Lock()
        self.batches = []
        self.content_types = []
        self.errors = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    transport = TTransport.TMemoryBuffer(body)
                    batch = ttypes.Batch()
                    batch.read(TBinaryProtocol.TBinaryProtocol(transport))
                    with receiver.lock:
                        receiver.batches.append(batch)
                        receiver.content_types.append(self.headers.get("Content-Type"))
                    status = 202
                except Exception as e:  # noqa: BLE001
                    with receiver.lock:
                        receiver.errors.append(repr(e))
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def spans(self):
        with self.lock:
            return [(b.process, s) for b in self.batches for s in b.spans]

    def wait_spans(self, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.spans()) >= count:
                return self.spans()
            time.sleep(0.05)
        raise AssertionError(f"expected {count} jaeger spans, got {len(self.spans())}; errors {self.errors}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class ZipkinReceiver:
    """A Zipkin v2 /api/v2/spans endpoint that checks the JSON shape of every span."""

    REQUIRED = {"traceId", "id", "name", "timestamp", "duration", "localEndpoint"}

    def __init__(self):
        self.lock = threading.Lock()
        self.spans_list = []
        self.errors = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = 202
                try:
                    assert self.headers.get("Content-Type") == "application/json"
                    spans = json.loads(body)
                    assert isinstance(spans, list)
                    for s in spans:
                        missing = receiver.REQUIRED - set(s)
                        assert not missing, f"missing {missing}"
                        assert re.match(r"^[0-9a-f]{32}$", s["traceId"]) or re.match(r"^[0-9a-f]{16}$", s["traceId"])
                        assert re.match(r"^[0-9a-f]{16}$", s["id"])
                        assert isinstance(s["timestamp"], int) and isinstance(s["duration"], int)
                        if "kind" in s:
                            assert s["kind"] in ("CLIENT", "SERVER", "PRODUCER", "CONSUMER")
                        for v in s.get("tags", {}).values():
                            assert isinstance(v, str)
                    with receiver.lock:
                        receiver.spans_list.extend(spans)
                except Exception as e:  # noqa: BLE001
                    with receiver.lock:
                        receiver.errors.append(repr(e))
                    status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_spans(self, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.spans_list) >= count:
                    return list(self.spans_list)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} zipkin spans, got {len(self.spans_list)}; errors {self.errors}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
