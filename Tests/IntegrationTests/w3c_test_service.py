#!/usr/bin/env python3
"""The "test service" the official W3C Trace Context harness (w3c/trace-context, test/) drives, run as the backend
behind tracegw: for each {url, arguments} in the POSTed JSON array it POSTs `arguments` to `url`, forwarding the
traceparent/tracestate it received from tracegw. Each callback is sent THROUGH tracegw too (the URL's authority is
replaced by the gateway's; tracegw routes it on to the harness), so both the request into the service and every
outgoing call are traced and propagated by tracegw, and the harness checks what tracegw did.

Usage: w3c_test_service.py PORT GATEWAY_PORT   (127.0.0.1 only)
"""
import json
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes; without this, delayed ACKs add 40 ms

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"[]")
        for item in body:
            url = item["url"]
            assert url.startswith("http://127.0.0.1:") or url.startswith("http://localhost:"), url
            path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
            url = f"http://127.0.0.1:{GATEWAY_PORT}{path}"
            request = urllib.request.Request(url, data=json.dumps(item["arguments"]).encode(), method="POST")
            request.add_header("Content-Type", "application/json")
            for name in ("traceparent", "tracestate"):
                for value in self.headers.get_all(name) or []:
                    request.add_header(name, value)
            try:
                urllib.request.urlopen(request, timeout=10).read()
            except Exception as error:  # the harness decides what a failure means
                sys.stderr.write(f"callback failed: {error}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


GATEWAY_PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0

if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
