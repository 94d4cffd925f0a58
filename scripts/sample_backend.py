#!/usr/bin/env python3
"""A small stand-in for the hypersdk daemon's REST API, for the demo and examples (127.0.0.1 only).

Endpoints: POST /jobs/submit, GET /jobs/{id}, GET /jobs/progress/{id}, GET /health. Each response echoes the
trace context headers the backend received, so the demo shows what the gateway propagated.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JOBS = {}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes; without this, delayed ACKs add 40 ms

    def log_message(self, fmt, *args):
        sys.stderr.write("sample-backend: " + (fmt % args) + "\n")

    def reply(self, status, payload):
        body = (json.dumps(payload) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def seen_context(self):
        return {k: self.headers.get(k) for k in ("traceparent", "tracestate", "baggage") if self.headers.get(k)}

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts == ["health"]:
            return self.reply(200, {"status": "ok"})
        if len(parts) == 2 and parts[0] == "jobs":
            with LOCK:
                job = JOBS.get(parts[1])
            if job is None:
                return self.reply(404, {"error": "no such job", "id": parts[1], "trace": self.seen_context()})
            return self.reply(200, {**job, "trace": self.seen_context()})
        if len(parts) == 3 and parts[:2] == ["jobs", "progress"]:
            with LOCK:
                job = JOBS.get(parts[2])
            if job is None:
                return self.reply(404, {"error": "no such job", "id": parts[2]})
            return self.reply(200, {"id": parts[2], "progress": 42, "trace": self.seen_context()})
        return self.reply(404, {"error": "not found", "path": self.path})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.split("?")[0] != "/jobs/submit":
            return self.reply(404, {"error": "not found"})
        try:
            spec = json.loads(body or b"{}")
        except ValueError:
            return self.reply(400, {"error": "invalid JSON"})
        with LOCK:
            job_id = str(len(JOBS) + 1)
            JOBS[job_id] = {"id": job_id, "vm": spec.get("vm", "unnamed"), "status": "running"}
        return self.reply(202, {"id": job_id, "status": "running", "trace": self.seen_context()})


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    sys.stderr.write(f"sample-backend: listening on 127.0.0.1:{server.server_address[1]}\n")
    server.serve_forever()


if __name__ == "__main__":
    main()
